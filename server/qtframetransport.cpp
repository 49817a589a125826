#include "qtframetransport.h"

#include "encodedtextframes.h"

#include <QWebSocket>

QtFrameTransport::QtFrameTransport(QWebSocket *socket)
    : m_socket(socket)
{ }

void QtFrameTransport::write(const EncodedTextFrames &frames)
{
    for (const QString &text : frames.texts())
        m_socket->sendTextMessage(text);
}
