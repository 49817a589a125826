#pragma once

#include <QtGlobal>

#include <memory>

class QTcpSocket;
class QWebSocket;

namespace lifeline::server {

class EncodedTextFrames;

// How the frames a ClientConnection sends reach its socket. QWebSocket reads every connection
// and writes its own control frames (pongs, the close frame) either way; this decides only the
// path of the text frames. Chosen for the whole server by --transport (FastPaths).
class FrameTransport
{
public:
    enum class Kind {
        Qt, // QWebSocket::sendTextMessage(), Qt's own path
        Raw, // the frames encoded once per broadcast, written to the socket underneath
    };

    // The transport of kind for socket, which QWebSocketServer made of transport.
    static std::unique_ptr<FrameTransport> create(Kind kind, QWebSocket *socket,
                                                  QTcpSocket *transport);

    virtual ~FrameTransport() = default;
    // Sends frames in order after everything sent before, frames Qt wrote itself included.
    virtual void write(const EncodedTextFrames &frames) = 0;
};

} // namespace lifeline::server
