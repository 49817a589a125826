#include "rawframetransport.h"

#include "encodedtextframes.h"

#include <QSslSocket>

#include <sys/socket.h>

namespace lifeline::server {

RawFrameTransport::RawFrameTransport(QTcpSocket *transport)
    : m_transport(transport)
    , m_plainTcp(!qobject_cast<QSslSocket *>(transport))
{ }

void RawFrameTransport::write(const EncodedTextFrames &frames)
{
    if (m_transport->state() != QAbstractSocket::ConnectedState)
        return; // gone; its disconnect is on the way
    const QByteArray &bytes = frames.bytes();
    qsizetype sent = 0;
    // Straight to the kernel only when nothing waits in Qt's buffer, which keeps the order of
    // everything on the connection: frames QWebSocket wrote itself (pongs, the close frame) and
    // the rest of an earlier frame the kernel had no room for.
    if (m_plainTcp && m_transport->bytesToWrite() == 0) {
        const ssize_t written = ::send(int(m_transport->socketDescriptor()), bytes.constData(),
                                       size_t(bytes.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (written == bytes.size())
            return;
        // The kernel's buffer is full (the client reads slower than we write) or the
        // connection failed; either way Qt's write of the rest handles it as it would have.
        sent = std::max<qsizetype>(written, 0);
    }
    m_transport->write(bytes.constData() + sent, bytes.size() - sent);
}

} // namespace lifeline::server
