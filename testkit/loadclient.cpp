#include "loadclient.h"

#include <protocol.h>

#include <QDateTime>
#include <QTimer>

using namespace lifeline;

namespace lifeline::testkit {

namespace {

// What RawWebSocketPeer reports for a connection that ended without a close frame.
constexpr int CloseAbnormal = 1006;

} // namespace

LoadClient::LoadClient(Owner *owner, int id, const QString &uid, const Session &session)
    : m_owner(owner)
    , m_uid(uid)
    , m_session(session)
    , m_peer(static_cast<RawWebSocketPeer::Listener *>(this), id)
{ }

LoadClient::~LoadClient() = default;

void LoadClient::open(const RawWebSocketPeer::Endpoint &endpoint)
{
    m_peer.open(endpoint);
}

void LoadClient::sendMessage(const QString &id, const QString &room, const QString &text)
{
    m_peer.sendText(messageFrame(id, room, text));
}

QByteArray LoadClient::messageFrame(const QString &id, const QString &room, const QString &text)
{
    return protocol::send(id, room, text, QDateTime::currentMSecsSinceEpoch()).toUtf8();
}

void LoadClient::sendMessages(int count, int window)
{
    Q_ASSERT(m_toSend == 0);
    m_toSend = count;
    m_window = window;
    while (m_sent < m_toSend && m_sent - m_acks < m_window)
        sendNext();
}

QString LoadClient::chatLine()
{
    return QStringLiteral(
        "On my way, about ten minutes late: the train stopped before the bridge.");
}

void LoadClient::sendNext()
{
    // Queued, not sent: the acks of one read open the window for several, which then reach the
    // server in one write, as they did from the QWebSocket this loop replaced. A segment each
    // reached it a few at a time, and it committed smaller batches (bench_store).
    m_peer.queueText(messageFrame(QStringLiteral("%1-%2").arg(m_uid).arg(m_sent++),
                                  QStringLiteral("load"), chatLine()));
}

void LoadClient::opened(RawWebSocketPeer &)
{
    m_state = State::AwaitingWelcome;
    m_peer.sendText(protocol::hello(m_session.appId, m_uid, QStringLiteral("token")).toUtf8());
}

void LoadClient::textReceived(RawWebSocketPeer &, QByteArrayView payload, qint64 receivedUs)
{
    if (m_state != State::Live) {
        handleSessionFrame(payload);
        return;
    }
    if (m_sent > m_acks)
        handleAnswer(payload);
    if (m_state == State::Live)
        m_owner->frameReceived(*this, payload, receivedUs);
}

void LoadClient::pongReceived(RawWebSocketPeer &)
{
    ++m_pongs;
}

void LoadClient::closed(RawWebSocketPeer &, RawWebSocketPeer::End end, int closeCode,
                        const QString &why)
{
    finish(end, closeCode, why);
}

void LoadClient::handleSessionFrame(QByteArrayView payload)
{
    if (payload.size() > LargestParsedFrame)
        return;
    protocol::DecodeError problem;
    const protocol::Frame frame = protocol::Frame::decode(payload.toByteArray(), &problem);
    if (!frame.isValid()) {
        fail(QStringLiteral("the server sent an invalid frame: %1").arg(problem.reason));
        return;
    }
    const QString type = frame.type();
    if (type == protocol::type::Error) {
        fail(QStringLiteral("the server refused the session: %1 %2")
                 .arg(frame.text(QStringLiteral("code")), frame.text(QStringLiteral("message"))));
    } else if (type == protocol::type::Welcome && m_state == State::AwaitingWelcome) {
        if (m_session.syncSince) {
            m_state = State::AwaitingSynced;
            m_peer.sendText(protocol::sync(*m_session.syncSince).toUtf8());
        } else {
            becomeLive();
        }
    } else if (type == protocol::type::Synced && m_state == State::AwaitingSynced) {
        becomeLive();
    }
    // Anything else before Live (presence, a catch-up) is not what a load is about.
}

void LoadClient::handleAnswer(QByteArrayView payload)
{
    if (payload.size() > LargestParsedFrame)
        return;
    protocol::DecodeError problem;
    const protocol::Frame frame = protocol::Frame::decode(payload.toByteArray(), &problem);
    const QString type = frame.type();
    if (type == protocol::type::Ack) {
        if (++m_acks == m_toSend)
            m_owner->allAcknowledged(*this);
        else if (m_sent < m_toSend)
            sendNext();
    } else if (type == protocol::type::Nack || type == protocol::type::Retry
               || type == protocol::type::Error) {
        // With the rate limit off and ids of its own, a sender hears nothing but acks.
        fail(QStringLiteral("the server answered with %1: %2")
                 .arg(type, QString::fromUtf8(payload).left(200)));
    }
}

void LoadClient::becomeLive()
{
    m_state = State::Live;
    if (m_session.pingMs > 0) {
        m_pingTimer = std::make_unique<QTimer>();
        QObject::connect(m_pingTimer.get(), &QTimer::timeout, m_pingTimer.get(),
                         [this] { m_peer.sendPing(); });
        m_pingTimer->start(m_session.pingMs);
    }
    m_owner->live(*this);
}

void LoadClient::fail(const QString &why)
{
    m_peer.abort();
    finish(RawWebSocketPeer::End::ProtocolError, CloseAbnormal, why);
}

void LoadClient::finish(RawWebSocketPeer::End end, int closeCode, const QString &why)
{
    if (m_state == State::Failed || m_state == State::Lost)
        return;
    m_state = m_state == State::Live ? State::Lost : State::Failed;
    m_pingTimer.reset();
    m_owner->ended(*this, end, closeCode, why);
}

} // namespace lifeline::testkit
