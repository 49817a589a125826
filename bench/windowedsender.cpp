#include "windowedsender.h"

#include <protocol.h>

#include <QDateTime>
#include <QUrl>
#include <QWebSocket>

using namespace lifeline;

WindowedSender::WindowedSender(const QUrl &url, const QString &uid, int count, int window,
                               QObject *parent)
    : QObject(parent)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_uid(uid)
    , m_count(count)
    , m_window(window)
{
    m_socket->setMaxAllowedIncomingMessageSize(protocol::MaxClientIncomingBytes);
    m_socket->setMaxAllowedIncomingFrameSize(protocol::MaxClientIncomingBytes);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_socket->sendTextMessage(
            protocol::hello(QStringLiteral("bench"), m_uid, QStringLiteral("token")));
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WindowedSender::handleText);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        fail(QStringLiteral("closed (%1 %2)")
                 .arg(int(m_socket->closeCode()))
                 .arg(m_socket->closeReason().isEmpty() ? m_socket->errorString()
                                                        : m_socket->closeReason()));
    });
    m_socket->open(url);
}

WindowedSender::~WindowedSender()
{
    // A normal goodbye, as an app that is done: QWebSocket's own is 1001 (going away), which the
    // server reports on a line of its own for each connection.
    m_socket->close();
}

QString WindowedSender::text()
{
    return QStringLiteral(
        "On my way, about ten minutes late: the train stopped before the bridge.");
}

void WindowedSender::start()
{
    while (m_sent < m_count && m_sent - m_acked < m_window)
        sendNext();
}

void WindowedSender::sendNext()
{
    m_socket->sendTextMessage(protocol::send(QStringLiteral("%1-%2").arg(m_uid).arg(m_sent++),
                                             QStringLiteral("load"), text(),
                                             QDateTime::currentMSecsSinceEpoch()));
}

void WindowedSender::handleText(const QString &text)
{
    protocol::DecodeError problem;
    const protocol::Frame frame = protocol::Frame::decode(text, &problem);
    const QString type = frame.type();
    if (type == protocol::type::Ack) {
        if (++m_acked == m_count) {
            Q_EMIT finished();
            return;
        }
        if (m_sent < m_count)
            sendNext();
    } else if (type == protocol::type::Welcome) {
        Q_EMIT welcomed();
    } else if (type == protocol::type::Nack || type == protocol::type::Retry
               || type == protocol::type::Error) {
        // With the rate limit off and ids of its own, a sender hears nothing but acks.
        fail(QStringLiteral("the server answered with %1: %2").arg(type, text.left(200)));
    }
}

void WindowedSender::fail(const QString &why)
{
    if (m_failed || m_acked == m_count)
        return;
    m_failed = true;
    Q_EMIT failed(why);
}
