#include "sessionclient.h"

namespace lifeline::testkit {

SessionClient::SessionClient(const QString &origin, QObject *parent)
    : QObject(parent)
    , m_socket(origin, QWebSocketProtocol::VersionLatest)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        if (!m_hello.isEmpty())
            m_socket.sendTextMessage(m_hello);
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &SessionClient::handleText);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        fail(QStringLiteral("closed (%1 %2)")
                 .arg(int(m_socket.closeCode()))
                 .arg(m_socket.closeReason().isEmpty() ? m_socket.errorString()
                                                       : m_socket.closeReason()));
    });
}

SessionClient::~SessionClient()
{
    m_socket.disconnect(this);
    m_socket.close();
}

void SessionClient::limitIncomingToTheApps()
{
    m_socket.setMaxAllowedIncomingMessageSize(protocol::MaxClientIncomingBytes);
    m_socket.setMaxAllowedIncomingFrameSize(protocol::MaxClientIncomingBytes);
}

void SessionClient::helloWhenConnected(const QString &appId, const QString &uid,
                                       const QString &token)
{
    m_hello = protocol::hello(appId, uid, token);
}

void SessionClient::hello(const QString &appId, const QString &uid, const QString &token)
{
    m_socket.sendTextMessage(protocol::hello(appId, uid, token));
}

void SessionClient::open(const QUrl &url)
{
    m_socket.open(url);
}

void SessionClient::sendMessage(const QString &id, const QString &room, const QString &text,
                                qint64 sentAt)
{
    m_socket.sendTextMessage(protocol::send(id, room, text, sentAt));
}

void SessionClient::sync(qint64 since)
{
    m_socket.sendTextMessage(protocol::sync(since));
}

void SessionClient::handleText(const QString &text)
{
    protocol::DecodeError problem;
    const protocol::Frame frame = protocol::Frame::decode(text, &problem);
    if (!frame.isValid()) {
        Q_EMIT frameRefused(problem.reason, text);
        return;
    }
    const QString type = frame.type();
    if (type == protocol::type::Ack)
        ++m_acks;
    else if (type == protocol::type::Message)
        ++m_messages;
    Q_EMIT frameReceived(frame, text);
    if (type == protocol::type::Welcome) {
        m_welcomed = true;
        Q_EMIT welcomed();
    } else if (type == protocol::type::Synced) {
        Q_EMIT synced(frame.integer(QStringLiteral("seq")));
    } else if (type == protocol::type::Error) {
        fail(QStringLiteral("the server answered %1: %2")
                 .arg(frame.text(QStringLiteral("code")), frame.text(QStringLiteral("message"))));
    }
}

void SessionClient::fail(const QString &why)
{
    if (m_lost)
        return;
    m_lost = true;
    Q_EMIT lost(why);
}

} // namespace lifeline::testkit
