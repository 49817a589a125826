#include "idleclient.h"

#include <protocol.h>

#include <QTimer>
#include <QUrl>
#include <QWebSocket>

using namespace lifeline;

IdleClient::IdleClient(const QUrl &url, const QString &uid, int pingIntervalMs, QObject *parent)
    : QObject(parent)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_pingTimer(new QTimer(this))
    , m_uid(uid)
{
    // A full presence list of thousands of users is larger than QWebSocket's defaults allow.
    m_socket->setMaxAllowedIncomingMessageSize(protocol::MaxClientIncomingBytes);
    m_socket->setMaxAllowedIncomingFrameSize(protocol::MaxClientIncomingBytes);
    m_pingTimer->setInterval(pingIntervalMs);
    connect(m_pingTimer, &QTimer::timeout, this, [this] { m_socket->ping(); });
    connect(m_socket, &QWebSocket::pong, this, [this] { ++m_pongs; });
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_socket->sendTextMessage(
            protocol::hello(QStringLiteral("bench"), m_uid, QStringLiteral("token")));
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &IdleClient::handleText);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        fail(QStringLiteral("closed (%1 %2)")
                 .arg(int(m_socket->closeCode()))
                 .arg(m_socket->closeReason().isEmpty() ? m_socket->errorString()
                                                        : m_socket->closeReason()));
    });
    m_socket->open(url);
}

IdleClient::~IdleClient() = default;

void IdleClient::handleText(const QString &text)
{
    if (m_ready)
        return;
    protocol::DecodeError problem;
    const protocol::Frame frame = protocol::Frame::decode(text, &problem);
    // Frames of types this build does not know, and presence, are no concern here.
    const QString type = frame.type();
    if (type == protocol::type::Welcome) {
        m_socket->sendTextMessage(protocol::sync(0));
    } else if (type == protocol::type::Synced) {
        m_ready = true;
        m_pingTimer->start();
        Q_EMIT ready();
    } else if (type == protocol::type::Error) {
        fail(QStringLiteral("refused: %1").arg(frame.text(QStringLiteral("message"))));
    }
}

void IdleClient::fail(const QString &why)
{
    if (m_lost)
        return;
    m_lost = true;
    m_pingTimer->stop();
    Q_EMIT lost(why);
}
