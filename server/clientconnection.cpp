#include "clientconnection.h"

#include "loggingcategories_p.h"

#include <protocol.h>

#include <QHostAddress>
#include <QMetaEnum>
#include <QTimer>
#include <QWebSocket>

using namespace lifeline;

namespace {

// docs/protocol.md: a client that has not sent hello within 5 s of the handshake is closed.
constexpr int HelloTimeoutMs = 5000;

// Qt takes close codes as QWebSocketProtocol::CloseCode, whose enumerators stop at 1015; the
// private range 4000-4999 of RFC 6455 travels through the same type.
QWebSocketProtocol::CloseCode toQt(protocol::CloseCode code)
{
    return static_cast<QWebSocketProtocol::CloseCode>(static_cast<quint16>(code));
}

// What a client sent ends up in log lines only through this: no control characters that could
// forge a line, and a bounded length.
QString printable(const QString &text)
{
    QString result = text.left(200);
    for (QChar &c : result) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            c = QLatin1Char('?');
    }
    return result;
}

} // namespace

ClientConnection::ClientConnection(QWebSocket *socket, const TokenStore &tokens, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_tokens(tokens)
    , m_helloTimer(new QTimer(this))
    , m_peer(peerForLog(socket->peerAddress(), socket->peerPort()))
{
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

    m_helloTimer->setSingleShot(true);
    m_helloTimer->setInterval(HelloTimeoutMs);
    connect(m_helloTimer, &QTimer::timeout, this, &ClientConnection::helloTimedOut);
    m_helloTimer->start();
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
               qUtf8Printable(printable(m_socket->closeReason())));
    } else {
        // Qt closes by itself on frames over the limit (1009), invalid UTF-8 (1007) and broken
        // framing (1002); this is the only place those show up.
        qCWarning(lcServer, "%s: connection closed with %d (%s)", qUtf8Printable(m_peer), code,
                  qUtf8Printable(printable(m_socket->closeReason())));
    }
    m_helloTimer->stop();
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
    m_throttled = features;
    if (m_state == State::Authenticated)
        m_socket->sendTextMessage(protocol::throttle(features));
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
    QString problem;
    const protocol::Frame frame = protocol::Frame::decode(message, &problem);
    if (!frame.isValid()) {
        refuseFrame(problem);
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
        m_socket->sendTextMessage(protocol::pong(frame.integer(QStringLiteral("id"))));
        return;
    }
    // welcome, pong, throttle and error are valid frames, but only from the server.
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
                  qUtf8Printable(m_peer), qUtf8Printable(printable(uid)));
        sendError(protocol::code::AuthFailed, QStringLiteral("the token was rejected"),
                  QStringLiteral("Log in again to get a valid token for this user."));
        setState(State::Closing);
        closeWith(protocol::CloseCode::AuthFailed, QStringLiteral("authentication failed"));
        return;
    }
    m_uid = uid;
    setState(State::Authenticated);
    qCInfo(lcServer, "%s: \"%s\" logged in", qUtf8Printable(m_peer),
           qUtf8Printable(printable(uid)));
    m_socket->sendTextMessage(protocol::welcome(m_uid, m_throttled));
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

void ClientConnection::refuseFrame(const QString &problem)
{
    const bool beforeHello = m_state == State::AwaitingHello;
    qCWarning(lcServer, "%s: refused a frame%s: %s", qUtf8Printable(m_peer),
              beforeHello ? " before hello; closing with 4000" : "",
              qUtf8Printable(printable(problem)));
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

void ClientConnection::sendError(const QString &code, const QString &message,
                                 const QString &details)
{
    m_socket->sendTextMessage(protocol::error(code, message, details));
}

void ClientConnection::closeWith(protocol::CloseCode code, const QString &reason)
{
    m_socket->close(toQt(code), reason);
}
