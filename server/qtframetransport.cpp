#include "qtframetransport.h"

#include "encodedtextframes.h"

#include <QWebSocket>

namespace lifeline::server {

QtFrameTransport::QtFrameTransport(QWebSocket *socket)
    : m_socket(socket)
{ }

void QtFrameTransport::write(const EncodedTextFrames &frames)
{
    for (const QString &text : frames.texts())
        m_socket->sendTextMessage(text);
}

} // namespace lifeline::server
