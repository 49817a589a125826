#pragma once

#include "frametransport.h"

namespace lifeline::server {

// The pre-framed path: the bytes a broadcast encoded once (EncodedTextFrames::bytes()) go to
// the TCP socket under the QWebSocket, straight to the kernel when nothing waits in Qt's buffer.
// Correct only while Qt writes each of its own frames (pongs, the close frame) whole into that
// socket, as QWebSocketPrivate::writeFrame does in the Qt version FastPaths names;
// tst_chatserver's framesStayWholeWhenTheReaderFallsBehind fails when that stops holding.
class RawFrameTransport : public FrameTransport
{
public:
    explicit RawFrameTransport(QTcpSocket *transport);

    void write(const EncodedTextFrames &frames) override;

private:
    QTcpSocket *m_transport;
    // Plain TCP: frames may go straight to the descriptor. TLS must go through QSslSocket.
    bool m_plainTcp;
};

} // namespace lifeline::server
