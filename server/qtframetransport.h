#pragma once

#include "frametransport.h"

namespace lifeline::server {

// Qt's own path: each text through QWebSocket::sendTextMessage(), which converts, frames and
// buffers it until the next turn of the event loop. Correct on any Qt version.
class QtFrameTransport : public FrameTransport
{
public:
    explicit QtFrameTransport(QWebSocket *socket);

    void write(const EncodedTextFrames &frames) override;

private:
    QWebSocket *m_socket;
};

} // namespace lifeline::server
