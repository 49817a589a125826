#include "clientconnection.h"

#include "encodedtextframes.h"
#include "loggingcategories_p.h"
#include "messagehub.h"
#include "messagestore.h"
#include "websocketclosecode_p.h"

#include <protocol.h>

#include <QHostAddress>
#include <QMetaEnum>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <limits>

namespace lifeline::server {

using namespace lifeline;

namespace {

// docs/protocol.md: a client that has not sent hello within 5 s of the handshake is closed.
constexpr int HelloTimeoutMs = 5000;

// The catch-up reads this many messages per event-loop turn, so that a client far behind does
// not hold up everyone else...
constexpr int CatchUpPageSize = 500;
// ...and waits while this much is still unsent, so that a slow reader does not make us buffer
// the whole history.
constexpr qint64 CatchUpBacklogBytes = 1024 * 1024;
// A live connection with this much unsent has stopped reading (a stalled app, a dead link the
// kernel has not noticed yet). It is dropped rather than buffered for without end; it
// reconnects and catches up from its last seq, so it loses nothing.
constexpr qint64 LiveBacklogBytes = 16 * 1024 * 1024;

// The features a connection over its rate limit gets throttled.
const QString TypingFeature = QStringLiteral("typing");
const QString PresenceFeature = QStringLiteral("presence");

bool isValidName(const QString &name, int maxLength)
{
    return !name.isEmpty() && name.size() <= maxLength;
}

// Why message cannot be stored, as its nack says; false if it can.
bool isRefused(const QString &id, const QString &room, const QString &text, int maxTextBytes,
               QString *code, QString *reason)
{
    *code = protocol::code::InvalidArgument;
    if (!isValidName(id, protocol::MaxIdLength)) {
        *reason = QStringLiteral("\"id\" must be 1 to %1 characters").arg(protocol::MaxIdLength);
        return true;
    }
    if (!isValidName(room, protocol::MaxRoomLength)) {
        *reason
            = QStringLiteral("\"room\" must be 1 to %1 characters").arg(protocol::MaxRoomLength);
        return true;
    }
    if (text.isEmpty()) {
        *reason = QStringLiteral("\"text\" must not be empty");
        return true;
    }
    const qsizetype bytes = text.toUtf8().size();
    if (bytes > maxTextBytes) {
        *code = protocol::code::MessageTooLarge;
        *reason = QStringLiteral("the text is %1 bytes of UTF-8; at most %2 are allowed")
                      .arg(bytes)
                      .arg(maxTextBytes);
        return true;
    }
    return false;
}

} // namespace

ClientConnection::ClientConnection(QWebSocket *socket, QTcpSocket *transport,
                                   FrameTransport::Kind transportKind, const QString &peer,
                                   const TokenStore &tokens, MessageHub *hub, const Limits &limits,
                                   QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_transport(FrameTransport::create(transportKind, socket, transport))
    , m_tokens(tokens)
    , m_hub(hub)
    , m_helloTimer(new QTimer(this))
    , m_idleTimer(new QTimer(this))
    , m_idleTimeoutMs(limits.idleTimeoutMs)
    , m_peer(peer)
    , m_cooldownTimer(new QTimer(this))
    , m_maxTextBytes(std::min(limits.maxTextBytes, protocol::MaxTextBytes))
    , m_bucket(limits.ratePerSecond, limits.burst, 0)
{
    m_clock.start();
    m_socket->setParent(this);
    // QWebSocketServer has no server-wide limit in Qt 6.4; without these a client could make
    // us buffer up to Qt's default of 2 GiB per message.
    m_socket->setMaxAllowedIncomingFrameSize(protocol::MaxServerIncomingBytes);
    m_socket->setMaxAllowedIncomingMessageSize(protocol::MaxServerIncomingBytes);

    connect(m_socket, &QWebSocket::textMessageReceived, this, &ClientConnection::handleText);
    // Frame by frame rather than message by message: a fragmented binary message is refused at
    // its first frame instead of after it has been buffered.
    connect(m_socket, &QWebSocket::binaryFrameReceived, this, &ClientConnection::handleBinary);
    // Emitted when a close frame is sent or answered, never when the TCP connection just drops;
    // closeCode() cannot tell, it stays at 1000 then.
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_closeHandshake = true; });
    connect(m_socket, &QWebSocket::disconnected, this, &ClientConnection::handleDisconnected);
    // A catch-up that waits for the client to read on resumes as the backlog drains.
    connect(m_socket, &QWebSocket::bytesWritten, this, [this] {
        if (m_sync == Sync::CatchingUp)
            scheduleCatchUpPage();
    });

    m_helloTimer->setSingleShot(true);
    m_helloTimer->setInterval(HelloTimeoutMs);
    connect(m_helloTimer, &QTimer::timeout, this, &ClientConnection::helloTimedOut);
    m_helloTimer->start();

    m_lastTraffic.start();
    m_idleTimer->setSingleShot(true);
    connect(m_idleTimer, &QTimer::timeout, this, &ClientConnection::checkIdle);
    m_idleTimer->start(m_idleTimeoutMs);

    m_cooldownTimer->setSingleShot(true);
    // A coarse timer may fire 5 % early; the protocol promises the full time within the limit.
    m_cooldownTimer->setTimerType(Qt::PreciseTimer);
    m_cooldownTimer->setInterval(limits.throttleCooldownMs);
    connect(m_cooldownTimer, &QTimer::timeout, this, &ClientConnection::liftEarnedThrottle);
    qCDebug(lcServer, "%s: connected", qUtf8Printable(m_peer));
}

ClientConnection::~ClientConnection() = default;

void ClientConnection::handleDisconnected()
{
    const int code = m_socket->closeCode();
    if (m_state == State::Closing) {
        qCDebug(lcServer, "%s: disconnected (close code %d)", qUtf8Printable(m_peer), code);
    } else if (!m_closeHandshake) {
        qCInfo(lcServer, "%s: connection dropped without a close frame", qUtf8Printable(m_peer));
    } else if (code == QWebSocketProtocol::CloseCodeNormal) {
        qCDebug(lcServer, "%s: disconnected (close code %d)", qUtf8Printable(m_peer), code);
    } else if (code == QWebSocketProtocol::CloseCodeGoingAway) {
        // A client going away (an app quitting, a browser tab closing), or Qt giving up on a
        // frame that stayed incomplete for 5 s; the reason tells which.
        qCInfo(lcServer, "%s: disconnected (close code %d: %s)", qUtf8Printable(m_peer), code,
               qUtf8Printable(printableForLog(m_socket->closeReason())));
    } else {
        // Qt closes by itself on frames over the limit (1009), invalid UTF-8 (1007) and broken
        // framing (1002); this is the only place those show up.
        qCWarning(lcServer, "%s: connection closed with %d (%s)", qUtf8Printable(m_peer), code,
                  qUtf8Printable(printableForLog(m_socket->closeReason())));
    }
    m_helloTimer->stop();
    m_idleTimer->stop();
    setState(State::Closing);
    Q_EMIT disconnected();
}

void ClientConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcServer, "%s: state %s", qUtf8Printable(m_peer),
            QMetaEnum::fromType<State>().valueToKey(static_cast<int>(state)));
    Q_EMIT stateChanged(state);
}

void ClientConnection::setThrottled(const QStringList &features)
{
    m_adminThrottled = features;
    updateThrottled();
}

void ClientConnection::updateThrottled()
{
    QStringList features = m_adminThrottled;
    if (m_rateThrottled) {
        for (const QString &feature : {TypingFeature, PresenceFeature}) {
            if (!features.contains(feature))
                features.append(feature);
        }
    }
    if (features == m_throttled)
        return;
    const bool presenceWasThrottled = m_throttled.contains(PresenceFeature);
    m_throttled = features;
    if (m_state != State::Authenticated)
        return;
    sendText(protocol::throttle(features));
    if (presenceWasThrottled && !m_throttled.contains(PresenceFeature))
        Q_EMIT presenceUnthrottled();
}

void ClientConnection::earnThrottle()
{
    m_cooldownTimer->start();
    if (m_rateThrottled)
        return;
    m_rateThrottled = true;
    qCInfo(lcServer, "%s: \"%s\" sends faster than its rate limit; throttling typing and presence",
           qUtf8Printable(m_peer), qUtf8Printable(printableForLog(m_uid)));
    updateThrottled();
}

void ClientConnection::liftEarnedThrottle()
{
    if (!m_rateThrottled)
        return;
    m_rateThrottled = false;
    qCInfo(lcServer, "%s: back within its rate limit; lifting the throttling it earned",
           qUtf8Printable(m_peer));
    updateThrottled();
}

void ClientConnection::sendPresence(const EncodedTextFrames &frame)
{
    if (m_state == State::Authenticated && !m_throttled.contains(PresenceFeature))
        write(frame);
}

void ClientConnection::sendTypists(const QString &room, const QStringList &users)
{
    if (m_state == State::Authenticated)
        sendText(protocol::typists(room, users));
}

void ClientConnection::closeGoingAway()
{
    if (m_state == State::Closing)
        return;
    setState(State::Closing);
    m_helloTimer->stop();
    closeWith(protocol::CloseCode::GoingAway, QStringLiteral("the server is shutting down"));
}

void ClientConnection::abort()
{
    setState(State::Closing);
    m_helloTimer->stop();
    m_socket->abort();
}

void ClientConnection::handleText(const QString &message)
{
    if (m_state == State::Closing)
        return;
    protocol::DecodeError problem;
    const protocol::Frame frame = protocol::Frame::decode(message, &problem);
    if (!frame.isValid()) {
        refuseFrame(problem.reason);
        return;
    }
    const QString type = frame.type();
    if (type == protocol::type::Hello) {
        if (m_state == State::Authenticated) {
            refuseFrame(QStringLiteral("\"hello\" was already sent on this connection"));
            return;
        }
        handleHello(frame);
        return;
    }
    if (m_state == State::AwaitingHello) {
        refuseFrame(QStringLiteral("the first frame must be \"hello\", not \"%1\"").arg(type));
        return;
    }
    if (type == protocol::type::Ping) {
        sendText(protocol::pong(frame.integer(QStringLiteral("id"))));
        return;
    }
    if (type == protocol::type::Send) {
        handleSend(frame);
        return;
    }
    if (type == protocol::type::Sync) {
        handleSync(frame);
        return;
    }
    if (type == protocol::type::Typing) {
        handleTyping(frame);
        return;
    }
    // The other types are valid frames, but only from the server.
    refuseFrame(QStringLiteral("\"%1\" frames go from the server to the client only").arg(type));
}

void ClientConnection::handleHello(const protocol::Frame &frame)
{
    m_helloTimer->stop();
    const qint64 version = frame.integer(QStringLiteral("version"));
    if (version != protocol::Version) {
        qCWarning(lcServer, "%s: refused hello: unsupported protocol version %lld",
                  qUtf8Printable(m_peer), static_cast<long long>(version));
        sendError(protocol::code::UnsupportedVersion,
                  QStringLiteral("protocol version %1 is not supported").arg(version),
                  QStringLiteral("This server speaks version %1 of the Lifeline protocol only; "
                                 "update the app or the server.")
                      .arg(protocol::Version));
        setState(State::Closing);
        closeWith(protocol::CloseCode::UnsupportedVersion,
                  QStringLiteral("unsupported protocol version"));
        return;
    }
    const QString uid = frame.text(QStringLiteral("uid"));
    if (!m_tokens.check(uid, frame.text(QStringLiteral("token")))) {
        // The uid is logged so that an admin can see who fails; the token never is.
        qCWarning(lcServer, "%s: refused hello: authentication failed for uid \"%s\"",
                  qUtf8Printable(m_peer), qUtf8Printable(printableForLog(uid)));
        sendError(protocol::code::AuthFailed, QStringLiteral("the token was rejected"),
                  QStringLiteral("Log in again to get a valid token for this user."));
        setState(State::Closing);
        closeWith(protocol::CloseCode::AuthFailed, QStringLiteral("authentication failed"));
        return;
    }
    m_uid = uid;
    qCInfo(lcServer, "%s: \"%s\" logged in", qUtf8Printable(m_peer),
           qUtf8Printable(printableForLog(uid)));
    write(EncodedTextFrames(protocol::welcome(m_uid, m_throttled)));
    // After the welcome: whoever listens (presence) may send right away.
    setState(State::Authenticated);
}

void ClientConnection::handleSync(const protocol::Frame &frame)
{
    if (m_sync != Sync::NotAsked) {
        refuseFrame(QStringLiteral("\"sync\" was already sent on this connection"));
        return;
    }
    const qint64 since = frame.integer(QStringLiteral("since"));
    if (since < 0) {
        refuseArgument(QStringLiteral("sync"), QStringLiteral("\"since\" must be 0 or more"),
                       QStringLiteral("Send the highest seq this client has seen, or 0 for "
                                      "none."));
        return;
    }
    m_sync = Sync::CatchingUp;
    m_cursor = since;
    m_caughtUp = 0;
    m_catchUpTimer.start();
    qCDebug(lcServer, "%s: catching up from seq %lld", qUtf8Printable(m_peer),
            static_cast<long long>(since));
    sendCatchUpPage();
}

void ClientConnection::sendCatchUpPage()
{
    m_pageScheduled = false;
    if (m_state != State::Authenticated || m_sync != Sync::CatchingUp)
        return;
    MessageStore *store = m_hub->store();
    // Retention may have removed what the catch-up asked for, at the start or while a client
    // far behind was reading on: say so, never skip silently.
    const qint64 oldest = store->oldestSeq();
    if (oldest > m_cursor + 1) {
        qCInfo(lcServer, "%s: messages %lld to %lld are no longer kept; sending a gap",
               qUtf8Printable(m_peer), static_cast<long long>(m_cursor + 1),
               static_cast<long long>(oldest - 1));
        sendText(protocol::gap(m_cursor + 1, oldest - 1));
        m_cursor = oldest - 1;
    }
    QList<StoredMessage> page;
    QString error;
    if (!store->readAfter(m_cursor, CatchUpPageSize, &page, &error)) {
        qCWarning(lcServer,
                  "%s: cannot read the message store for the catch-up; closing with "
                  "1011: %s",
                  qUtf8Printable(m_peer), qUtf8Printable(error));
        setState(State::Closing);
        m_socket->close(QWebSocketProtocol::CloseCodeBadOperation,
                        QStringLiteral("the server cannot read its messages"));
        return;
    }
    // Another instance's retention may have removed rows between the two reads above: seq has
    // no holes in a store, so a first row past the cursor is exactly what is missing.
    if (!page.isEmpty() && page.constFirst().seq > m_cursor + 1) {
        sendText(protocol::gap(m_cursor + 1, page.constFirst().seq - 1));
        m_cursor = page.constFirst().seq - 1;
    }
    // What the hub has not published yet reaches this connection live, not here.
    const qint64 published = m_hub->publishedSeq();
    bool reachedPublished = page.size() < CatchUpPageSize;
    for (const StoredMessage &message : std::as_const(page)) {
        if (message.seq > published) {
            reachedPublished = true;
            break;
        }
        sendText(protocol::message(message.id, message.room, message.sender, message.text,
                                   message.seq, message.sentAt));
        m_cursor = message.seq;
        ++m_caughtUp;
    }
    if (!reachedPublished && m_cursor < published) {
        scheduleCatchUpPage();
        return;
    }
    // The last page, read in this turn: from here on the hub sends what gets published, and
    // nothing can fall in between.
    m_sync = Sync::Live;
    m_hub->subscribe(this);
    const qint64 newest = published;
    sendText(protocol::synced(newest));
    qCInfo(lcServer, "%s: caught up with %lld messages in %lld ms; live from seq %lld",
           qUtf8Printable(m_peer), static_cast<long long>(m_caughtUp),
           static_cast<long long>(m_catchUpTimer.elapsed()), static_cast<long long>(newest));
}

void ClientConnection::scheduleCatchUpPage()
{
    if (m_pageScheduled || m_socket->bytesToWrite() > CatchUpBacklogBytes)
        return;
    m_pageScheduled = true;
    QTimer::singleShot(0, this, &ClientConnection::sendCatchUpPage);
}

void ClientConnection::handleSend(const protocol::Frame &frame)
{
    StoredMessage message;
    message.id = frame.text(QStringLiteral("id"));
    message.room = frame.text(QStringLiteral("room"));
    message.sender = m_uid;
    message.text = frame.text(QStringLiteral("text"));
    message.sentAt = frame.integer(QStringLiteral("sentAt"));
    const quint64 number = ++m_sendsReceived;
    // Sent again, the retried message ends the hold on the others, whatever becomes of it.
    if (message.id == m_retryHead)
        m_retryHead.clear();
    QString code;
    QString reason;
    if (isRefused(message.id, message.room, message.text, m_maxTextBytes, &code, &reason)) {
        qCDebug(lcServer, "%s: refused message \"%s\": %s", qUtf8Printable(m_peer),
                qUtf8Printable(printableForLog(message.id)), qUtf8Printable(reason));
        sendText(protocol::nack(message.id, code, reason));
        return;
    }
    // A duplicate is answered whatever the rate: the client is only asking whether it arrived.
    if (!m_retryHead.isEmpty()) {
        if (m_hub->isKnown(message.id))
            submit(message, number);
        else
            sendRetry(message.id);
        return;
    }
    if (!m_bucket.tryTake(m_clock.elapsed()) && !m_hub->isKnown(message.id)) {
        m_retryHead = message.id;
        m_retryHeadNumber = number;
        sendRetry(message.id);
        return;
    }
    submit(message, number);
}

void ClientConnection::submit(const StoredMessage &message, quint64 number)
{
    m_submittedNumbers.insert(message.id, number);
    m_hub->submit(this, message);
}

void ClientConnection::sendRetry(const QString &id)
{
    const qint64 afterMs = std::max<qint64>(m_bucket.msUntilToken(m_clock.elapsed()), 1);
    sendText(protocol::retry(id, afterMs));
    earnThrottle();
}

void ClientConnection::handleTyping(const protocol::Frame &frame)
{
    if (m_throttled.contains(TypingFeature)) {
        // A well-behaved client sends none while throttled; this line shows one that does.
        qCDebug(lcServer, "%s: typing frame ignored: typing is throttled", qUtf8Printable(m_peer));
        return;
    }
    const QString room = frame.text(QStringLiteral("room"));
    if (!isValidName(room, protocol::MaxRoomLength)) {
        refuseArgument(
            QStringLiteral("typing"),
            QStringLiteral("\"room\" must be 1 to %1 characters").arg(protocol::MaxRoomLength),
            QStringLiteral("The frame was ignored."));
        return;
    }
    Q_EMIT typingReceived(room, frame.boolean(QStringLiteral("typing")));
}

void ClientConnection::acknowledge(const QString &id, qint64 seq)
{
    m_submittedNumbers.remove(id);
    sendText(protocol::ack(id, seq));
}

void ClientConnection::refuseTakenId(const QString &id)
{
    m_submittedNumbers.remove(id);
    qCWarning(lcServer, "%s: refused message \"%s\": another user's message has this id",
              qUtf8Printable(m_peer), qUtf8Printable(printableForLog(id)));
    sendText(protocol::nack(id, protocol::code::InvalidArgument,
                            QStringLiteral("another user's message has this id; every message "
                                           "needs an id of its own")));
}

void ClientConnection::retryAfterStoreFailure(const QString &id, qint64 afterMs)
{
    // The earliest of the held sends is the one the client sends first. One not handed over
    // from here (none is, so far) never moves the head.
    quint64 number = m_submittedNumbers.take(id);
    if (number == 0)
        number = std::numeric_limits<quint64>::max();
    if (m_retryHead.isEmpty() || number < m_retryHeadNumber) {
        m_retryHead = id;
        m_retryHeadNumber = number;
    }
    sendText(protocol::retry(id, afterMs));
}

void ClientConnection::dropIfNotReading()
{
    if (m_state != State::Authenticated || m_socket->bytesToWrite() <= LiveBacklogBytes)
        return;
    qCWarning(lcServer,
              "%s: over %lld bytes of messages unsent, the client does not read; dropping the "
              "connection so that it catches up after reconnecting",
              qUtf8Printable(m_peer), static_cast<long long>(LiveBacklogBytes));
    abort();
}

void ClientConnection::deliver(const EncodedTextFrames &messages)
{
    if (m_state == State::Authenticated)
        write(messages);
}

void ClientConnection::handleBinary()
{
    if (m_state == State::Closing)
        return;
    qCWarning(lcServer, "%s: refused a binary frame; closing with 1003", qUtf8Printable(m_peer));
    setState(State::Closing);
    m_helloTimer->stop();
    closeWith(protocol::CloseCode::UnsupportedData,
              QStringLiteral("binary frames are not part of the protocol"));
}

void ClientConnection::helloTimedOut()
{
    if (m_state != State::AwaitingHello)
        return;
    qCWarning(lcServer, "%s: no hello within %d ms; closing with 4002", qUtf8Printable(m_peer),
              HelloTimeoutMs);
    sendError(protocol::code::Protocol,
              QStringLiteral("no \"hello\" frame within 5 s of the handshake"),
              QStringLiteral("Send \"hello\" as the first frame right after connecting."));
    setState(State::Closing);
    closeWith(protocol::CloseCode::HelloTimeout, QStringLiteral("no hello in time"));
}

void ClientConnection::noteTraffic()
{
    m_lastTraffic.start();
}

void ClientConnection::checkIdle()
{
    if (m_state == State::Closing)
        return;
    const qint64 quietMs = m_lastTraffic.elapsed();
    if (quietMs < m_idleTimeoutMs) {
        m_idleTimer->start(int(m_idleTimeoutMs - quietMs));
        return;
    }
    qCWarning(lcServer, "%s: nothing received for %d ms; closing with 4004", qUtf8Printable(m_peer),
              m_idleTimeoutMs);
    setState(State::Closing);
    m_helloTimer->stop();
    closeWith(protocol::CloseCode::IdleTimeout,
              QStringLiteral("nothing received for %1 ms").arg(m_idleTimeoutMs));
}

void ClientConnection::refuseFrame(const QString &problem)
{
    const bool beforeHello = m_state == State::AwaitingHello;
    qCWarning(lcServer, "%s: refused a frame%s: %s", qUtf8Printable(m_peer),
              beforeHello ? " before hello; closing with 4000" : "",
              qUtf8Printable(printableForLog(problem)));
    if (!beforeHello) {
        sendError(protocol::code::Protocol, problem,
                  QStringLiteral("The frame was ignored and the connection stays open; see "
                                 "docs/protocol.md for the frames a client may send."));
        return;
    }
    m_helloTimer->stop();
    sendError(protocol::code::Protocol, problem,
              QStringLiteral("The first frame on a connection must be a valid \"hello\"; see "
                             "docs/protocol.md."));
    setState(State::Closing);
    closeWith(protocol::CloseCode::ProtocolViolation, QStringLiteral("protocol violation"));
}

void ClientConnection::refuseArgument(const QString &what, const QString &problem,
                                      const QString &details)
{
    qCWarning(lcServer, "%s: refused %s: %s", qUtf8Printable(m_peer), qUtf8Printable(what),
              qUtf8Printable(problem));
    sendError(protocol::code::InvalidArgument, problem, details);
}

void ClientConnection::sendText(const QString &frame)
{
    // A connection we are closing must not send more; nor must anything race its close frame.
    if (m_state == State::Authenticated)
        write(EncodedTextFrames(frame));
}

void ClientConnection::sendError(const QString &code, const QString &message,
                                 const QString &details)
{
    write(EncodedTextFrames(protocol::error(code, message, details)));
}

void ClientConnection::write(const EncodedTextFrames &frames)
{
    m_transport->write(frames);
}

void ClientConnection::closeWith(protocol::CloseCode code, const QString &reason)
{
    m_socket->close(toQt(code), reason);
}

} // namespace lifeline::server
