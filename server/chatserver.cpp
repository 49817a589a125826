#include "chatserver.h"

#include "clientconnection.h"
#include "loggingcategories_p.h"
#include "messagehub.h"
#include "typingtracker.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>

namespace {

// docs/protocol.md: a WebSocket handshake that does not complete within 5 s is dropped.
constexpr int HandshakeTimeoutMs = 5000;
// How long quit waits for clients to finish the close handshake before exiting anyway.
constexpr int ShutDownGraceMs = 2000;

} // namespace

ChatServer::ChatServer(MessageStore *store, QObject *parent)
    : QObject(parent)
    , m_tcpServer(new QTcpServer(this))
    , m_webSocketServer(new QWebSocketServer(QStringLiteral("lifeline-server"),
                                             QWebSocketServer::NonSecureMode, this))
    , m_hub(new MessageHub(store, this))
    , m_typing(new TypingTracker(this))
{
    connect(m_typing, &TypingTracker::typistsChanged, this, &ChatServer::sendTypists);
    // Qt's own handshake timer only runs for connections QWebSocketServer accepts itself; ours
    // come through handleConnection(), so the timeout is set on each socket below. Setting it
    // here too keeps the limit in place should Qt ever apply it to those as well.
    m_webSocketServer->setHandshakeTimeout(HandshakeTimeoutMs);
    connect(m_tcpServer, &QTcpServer::newConnection, this, &ChatServer::acceptTcpConnections);
    connect(m_tcpServer, &QTcpServer::acceptError, this, [this] {
        // Typically the process ran out of file descriptors.
        qCWarning(lcServer, "cannot accept a connection: %s",
                  qUtf8Printable(m_tcpServer->errorString()));
    });
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this,
            &ChatServer::acceptWebSockets);
    connect(m_webSocketServer, &QWebSocketServer::serverError, this,
            [this](QWebSocketProtocol::CloseCode code) {
                // Qt reports only the first of a run of identical failures here; the log line
                // with the peer comes when the socket closes.
                qCDebug(lcServer, "WebSocket handshake refused (%d): %s", int(code),
                        qUtf8Printable(m_webSocketServer->errorString()));
            });
}

ChatServer::~ChatServer()
{
    // The connections must not outlive the list that tracks them.
    const QList<ClientConnection *> clients = m_clients;
    m_clients.clear();
    qDeleteAll(clients);
}

void ChatServer::setTokenStore(const TokenStore &tokens)
{
    m_tokens = tokens;
}

void ChatServer::setConnectionLimits(const ClientConnection::Limits &limits)
{
    m_limits = limits;
}

void ChatServer::setTypingTimeout(int ms)
{
    m_typing->setTimeout(ms);
}

bool ChatServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_tcpServer->listen(address, port)) {
        *error = m_tcpServer->errorString();
        return false;
    }
    qCInfo(lcServer, "listening on %s", qUtf8Printable(url().toString()));
    return true;
}

QUrl ChatServer::url() const
{
    if (!m_tcpServer->isListening())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(m_tcpServer->serverAddress().toString());
    url.setPort(m_tcpServer->serverPort());
    return url;
}

void ChatServer::setThrottled(const QStringList &features)
{
    if (m_throttled == features)
        return;
    m_throttled = features;
    qCInfo(lcServer, "throttled features: %s",
           features.isEmpty() ? "none" : qUtf8Printable(features.join(QLatin1Char(' '))));
    for (ClientConnection *client : std::as_const(m_clients))
        client->setThrottled(m_throttled);
    Q_EMIT throttledChanged(m_throttled);
}

void ChatServer::kickAll()
{
    qCInfo(lcServer, "kick: dropping every connection (%lld open)",
           static_cast<long long>(m_clients.size()));
    // abort() reports the disconnect at once, which removes the client from m_clients.
    const QList<ClientConnection *> clients = m_clients;
    m_kicking = true;
    for (ClientConnection *client : clients)
        client->abort();
    m_kicking = false;
    updatePresence();
}

void ChatServer::shutDown()
{
    if (m_phase != Phase::Serving)
        return;
    // What arrived in this turn is stored and answered before the clients are closed.
    m_hub->flush();
    m_phase = Phase::ShuttingDown;
    m_tcpServer->close();
    qCInfo(lcServer, "shutting down; closing every connection (%lld open)",
           static_cast<long long>(m_clients.size()));
    const QList<QTimer *> handshakes = m_handshakes.values();
    m_handshakes.clear();
    for (QTimer *timer : handshakes)
        static_cast<QTcpSocket *>(timer->parent())->abort();
    const QList<ClientConnection *> clients = m_clients;
    for (ClientConnection *client : clients)
        client->closeGoingAway();
    if (m_clients.isEmpty()) {
        // Queued, so that the caller can finish what it is doing before the process ends.
        QTimer::singleShot(0, this, &ChatServer::finishShutDown);
        return;
    }
    m_shutDownTimer = new QTimer(this);
    m_shutDownTimer->setSingleShot(true);
    connect(m_shutDownTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcServer, "%lld connections did not finish closing in time",
                  static_cast<long long>(m_clients.size()));
        finishShutDown();
    });
    m_shutDownTimer->start(ShutDownGraceMs);
}

void ChatServer::finishShutDown()
{
    if (m_phase != Phase::ShuttingDown)
        return;
    m_phase = Phase::Down;
    if (m_shutDownTimer)
        m_shutDownTimer->stop();
    Q_EMIT shutDownFinished();
}

void ChatServer::acceptTcpConnections()
{
    while (m_tcpServer->hasPendingConnections()) {
        QTcpSocket *socket = m_tcpServer->nextPendingConnection();
        if (!socket)
            continue;
        const QString peer = peerForLog(socket->peerAddress(), socket->peerPort());
        // Owned by the socket, so it goes when QWebSocketServer deletes a failed one.
        auto *timer = new QTimer(socket);
        timer->setSingleShot(true);
        m_handshakes.insert(peer, timer);
        connect(timer, &QTimer::timeout, this, [this, socket, timer, peer] {
            if (m_handshakes.value(peer) != timer)
                return;
            m_handshakes.remove(peer);
            qCWarning(lcServer,
                      "%s: no WebSocket handshake within %d ms; dropping the "
                      "connection",
                      qUtf8Printable(peer), HandshakeTimeoutMs);
            socket->abort();
        });
        // A socket that closes during the handshake either gave up or sent something that is
        // not a WebSocket handshake, which Qt refused.
        connect(socket, &QTcpSocket::disconnected, this, [this, timer, peer] {
            if (m_handshakes.value(peer) != timer)
                return;
            m_handshakes.remove(peer);
            timer->stop();
            qCWarning(lcServer,
                      "%s: connection closed before completing the WebSocket "
                      "handshake",
                      qUtf8Printable(peer));
        });
        timer->start(HandshakeTimeoutMs);
        m_webSocketServer->handleConnection(socket);
    }
}

void ChatServer::acceptWebSockets()
{
    while (m_webSocketServer->hasPendingConnections()) {
        QWebSocket *socket = m_webSocketServer->nextPendingConnection();
        if (!socket)
            continue;
        // The handshake is done and the TCP socket lives on inside the QWebSocket: the
        // handshake watch on it must end.
        const QString peer = peerForLog(socket->peerAddress(), socket->peerPort());
        if (QTimer *timer = m_handshakes.take(peer)) {
            disconnect(timer->parent(), nullptr, this, nullptr);
            delete timer;
        }
        auto *client = new ClientConnection(socket, m_tokens, m_hub, m_limits, this);
        m_clients.append(client);
        connect(client, &ClientConnection::disconnected, this,
                [this, client] { removeClient(client); });
        connect(
            client, &ClientConnection::stateChanged, this,
            [this, client](ClientConnection::State state) { handleClientState(client, state); });
        connect(client, &ClientConnection::typingReceived, this,
                [this, client](const QString &room, bool typing) {
                    m_typing->setTyping(client, client->uid(), room, typing);
                });
        client->setThrottled(m_throttled);
        if (m_phase != Phase::Serving)
            client->closeGoingAway();
    }
}

void ChatServer::removeClient(ClientConnection *client)
{
    if (!m_clients.removeOne(client))
        return;
    m_hub->unsubscribe(client);
    m_typing->remove(client);
    client->deleteLater();
    if (m_phase == Phase::ShuttingDown && m_clients.isEmpty())
        finishShutDown();
}

void ChatServer::handleClientState(ClientConnection *client, ClientConnection::State state)
{
    switch (state) {
    case ClientConnection::State::AwaitingHello:
        return;
    case ClientConnection::State::Authenticated:
        // Everyone hears of a new user; a user already online is news only to this connection.
        if (!updatePresence())
            client->setPresence(m_presence);
        return;
    case ClientConnection::State::Closing:
        m_hub->unsubscribe(client);
        m_typing->remove(client);
        updatePresence();
        return;
    }
}

bool ChatServer::updatePresence()
{
    // Shutting down, nobody needs to hear who leaves.
    if (m_phase != Phase::Serving || m_kicking)
        return false;
    QStringList users;
    for (const ClientConnection *client : std::as_const(m_clients)) {
        if (client->state() == ClientConnection::State::Authenticated)
            users.append(client->uid());
    }
    users.sort();
    users.erase(std::unique(users.begin(), users.end()), users.end());
    if (users == m_presence)
        return false;
    m_presence = users;
    qCDebug(lcServer, "%lld users online", static_cast<long long>(users.size()));
    for (ClientConnection *client : std::as_const(m_clients))
        client->setPresence(users);
    return true;
}

void ChatServer::sendTypists(const QString &room, const QStringList &previous,
                             const QStringList &current)
{
    // Each connection sees the list without its own user, and hears only when that changes.
    for (ClientConnection *client : std::as_const(m_clients)) {
        if (client->state() != ClientConnection::State::Authenticated)
            continue;
        QStringList before = previous;
        before.removeOne(client->uid());
        QStringList after = current;
        after.removeOne(client->uid());
        if (before != after)
            client->sendTypists(room, after);
    }
}
