#include "chatserver.h"

#include "clientconnection.h"
#include "encodedtextframes.h"
#include "loggingcategories_p.h"
#include "messagehub.h"
#include "messagestore.h"
#include "proxyprotocolheader.h"
#include "sharedpresence.h"
#include "sortedunique.h"
#include "tlsserver.h"
#include "typingtracker.h"
#include "websocketclosecode_p.h"

#include <protocol.h>

#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

#include <algorithm>
#include <iterator>
#include <utility>

namespace lifeline::server {

using namespace lifeline;

namespace {

// How long quit waits for clients to finish the close handshake before exiting anyway.
constexpr int ShutDownGraceMs = 2000;
// How long a connection refused with 4005 has to answer the close frame before it is dropped.
constexpr int RefusalCloseMs = 2000;
// Presence is merged over this long: sent on every join, N users coming online at once (a
// reconnect storm) would cost N frames to each of N connections.
constexpr int PresenceCoalesceMs = 100;

} // namespace

ChatServer::ChatServer(MessageStore *store, QObject *parent)
    : ChatServer(store, QSslConfiguration(), parent)
{ }

ChatServer::ChatServer(MessageStore *store, const QSslConfiguration &tls, QObject *parent)
    : QObject(parent)
    , m_tcpServer(tls.isNull() ? new QTcpServer(this) : new TlsServer(tls, this))
    , m_webSocketServer(new QWebSocketServer(
          QStringLiteral("lifeline-server"),
          tls.isNull() ? QWebSocketServer::NonSecureMode : QWebSocketServer::SecureMode, this))
    , m_tls(!tls.isNull())
    , m_hub(new MessageHub(store, this))
    , m_typing(new TypingTracker(this))
    , m_handshakeTimeoutMs(DefaultHandshakeTimeoutMs)
    , m_connections(DefaultMaxConnections, DefaultMaxConnectionsPerAddress)
    , m_presenceTimer(new QTimer(this))
{
    m_presenceTimer->setSingleShot(true);
    m_presenceTimer->setInterval(PresenceCoalesceMs);
    connect(m_presenceTimer, &QTimer::timeout, this, &ChatServer::flushPresence);
    connect(m_typing, &TypingTracker::typistsChanged, this, &ChatServer::handleLocalTypists);
    // Qt's own handshake timer only runs for connections QWebSocketServer accepts itself; ours
    // come through handleConnection(), so the timeout is set on each socket below. Setting it
    // here too keeps the limit in place should Qt ever apply it to those as well.
    m_webSocketServer->setHandshakeTimeout(m_handshakeTimeoutMs);
    connect(m_tcpServer, &QTcpServer::newConnection, this, &ChatServer::acceptTcpConnections);
    connect(m_tcpServer, &QTcpServer::acceptError, this, [this] {
        // Typically the process ran out of file descriptors.
        qCWarning(lcServer, "cannot accept a connection: %s",
                  qUtf8Printable(m_tcpServer->errorString()));
    });
    connect(m_webSocketServer, &QWebSocketServer::originAuthenticationRequired, this,
            &ChatServer::authenticateOrigin);
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

void ChatServer::setProxyProtocol(bool on)
{
    m_proxyProtocol = on;
}

void ChatServer::setSharedPresence(SharedPresence *presence)
{
    m_shared = presence;
    connect(presence, &SharedPresence::otherUsersChanged, this, &ChatServer::schedulePresence);
    connect(presence, &SharedPresence::otherTypistsChanged, this, &ChatServer::handleOtherTypists);
}

void ChatServer::setCommitBatching(bool on)
{
    m_hub->setCommitBatching(on);
}

void ChatServer::setFrameTransport(FrameTransport::Kind kind)
{
    m_frameTransport = kind;
}

void ChatServer::setConnectionLimits(const ClientConnection::Limits &limits)
{
    m_limits = limits;
}

void ChatServer::setTypingTimeout(int ms)
{
    m_typing->setTimeout(ms);
}

void ChatServer::setHandshakeTimeout(int ms)
{
    m_handshakeTimeoutMs = ms;
    m_webSocketServer->setHandshakeTimeout(ms);
}

void ChatServer::setAllowedOrigins(const QStringList &origins)
{
    m_allowedOrigins = origins;
}

void ChatServer::setMaxConnections(int total, int perAddress)
{
    m_connections = ConnectionCounter(total, perAddress);
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
    url.setScheme(m_tls ? QStringLiteral("wss") : QStringLiteral("ws"));
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
    // Lifting presence sends the full list as last announced: bring in a merged change first,
    // so that it is the latest list rather than an older one followed by a change.
    if (m_presenceTimer->isActive())
        flushPresence();
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
    flushPresence();
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
    const QList<Handshake> handshakes = m_handshakes.values();
    m_handshakes.clear();
    for (const Handshake &handshake : handshakes)
        handshake.socket->abort();
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
        // Frames are small and wanted now. Qt already sends what one turn of the event loop
        // wrote as one segment, so Nagle's algorithm would only add the peer's delayed-ACK
        // wait (40 ms) to a sender's ack followed by its own copy.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const TcpPeer key {socket->peerAddress(), socket->peerPort()};
        watchHandshake(socket, key);
        if (m_proxyProtocol)
            readProxyHeader(socket, key);
        else
            admit(socket, key, socket->peerAddress(), socket->peerPort());
    }
}

void ChatServer::readProxyHeader(QTcpSocket *socket, const TcpPeer &key)
{
    // Until its header names the client, a connection counts against the total alone (the
    // balancer's address is everyone's); with the limit reached there is no room to wait.
    if (!m_connections.addUnattributed()) {
        endHandshake(key,
                     QStringLiteral("%1 connections are open, the limit (--max-connections); "
                                    "dropping the connection before its PROXY header")
                         .arg(m_connections.maxTotal()));
        socket->abort();
        return;
    }
    auto *unattributed = new QObject(socket);
    connect(unattributed, &QObject::destroyed, this,
            [this] { m_connections.removeUnattributed(); });
    // Goes with the socket, and with it the connection below.
    auto *reader = new QObject(socket);
    const auto read = [this, socket, key, reader, unattributed] {
        const ProxyProtocolHeader header
            = ProxyProtocolHeader::parse(socket->peek(ProxyProtocolHeader::MaxLength));
        switch (header.status) {
        case ProxyProtocolHeader::Status::Incomplete:
            return;
        case ProxyProtocolHeader::Status::Invalid:
            endHandshake(key, QStringLiteral("%1; dropping the connection").arg(header.error));
            socket->abort();
            return;
        case ProxyProtocolHeader::Status::Complete:
            break;
        }
        reader->deleteLater();
        disconnect(socket, &QIODevice::readyRead, reader, nullptr);
        // admit() counts it again, now with the client's address.
        delete unattributed;
        socket->read(header.length);
        if (header.sourceAddress.isNull())
            admit(socket, key, socket->peerAddress(), socket->peerPort());
        else
            admit(socket, key, header.sourceAddress, header.sourcePort);
    };
    connect(socket, &QIODevice::readyRead, reader, read);
}

void ChatServer::admit(QTcpSocket *socket, const TcpPeer &key, const QHostAddress &address,
                       quint16 port)
{
    Handshake &handshake = m_handshakes[key];
    handshake.peer = peerForLog(address, port);
    handshake.verdict = m_connections.add(address);
    // Counted for as long as the socket exists: through the handshake, inside the QWebSocket,
    // and while a refused one says goodbye. A child tells when it goes, since QWebSocket cuts
    // every connection to the socket's own signals when it closes.
    auto *lifetime = new QObject(socket);
    connect(lifetime, &QObject::destroyed, this,
            [this, address] { m_connections.remove(address); });
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        // QSslSocket emits readyRead only for decrypted data, so QWebSocketServer can take
        // the socket now and reads the HTTP request once the TLS handshake is done.
        connect(tls, &QAbstractSocket::errorOccurred, this,
                [this, tls, key](QAbstractSocket::SocketError error) {
                    if (error == QAbstractSocket::RemoteHostClosedError
                        || !m_handshakes.contains(key) || tls->isEncrypted())
                        return;
                    endHandshake(key,
                                 QStringLiteral("TLS handshake failed (%1); dropping the "
                                                "connection")
                                     .arg(tls->errorString()));
                    tls->abort();
                });
        tls->startServerEncryption();
    }
    routeFirstRequest(socket, key);
}

void ChatServer::watchHandshake(QTcpSocket *socket, const TcpPeer &key)
{
    // Owned by the socket, so that it goes with it.
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    m_handshakes.insert(
        key,
        {socket, timer, ConnectionCounter::Verdict::Admitted, peerForLog(key.address, key.port)});
    const int timeoutMs = m_handshakeTimeoutMs;
    connect(timer, &QTimer::timeout, this, [this, socket, timer, key, timeoutMs] {
        if (m_handshakes.value(key).timer != timer)
            return;
        endHandshake(
            key,
            QStringLiteral("no %1handshake within %2 ms; dropping the connection")
                .arg(m_tls ? QStringLiteral("TLS and WebSocket ") : QStringLiteral("WebSocket "))
                .arg(timeoutMs));
        socket->abort();
    });
    // A socket that closes during the handshake either gave up or sent something that is not
    // a WebSocket handshake (or a refused one), which Qt answered and closed. Qt 6.4 deletes
    // none of the sockets it was handed, so it goes here.
    connect(socket, &QTcpSocket::disconnected, this, [this, socket, timer, key] {
        socket->deleteLater();
        if (m_handshakes.value(key).timer != timer)
            return;
        timer->stop();
        endHandshake(key,
                     QStringLiteral("connection closed before completing the WebSocket "
                                    "handshake"));
    });
    timer->start(timeoutMs);
}

void ChatServer::routeFirstRequest(QTcpSocket *socket, const TcpPeer &key)
{
    static const QByteArray HealthRequest = QByteArrayLiteral("GET /healthz ");
    // Goes with the socket, and with it the connection below. (For wss://, readyRead comes
    // with the first decrypted bytes.)
    auto *router = new QObject(socket);
    const auto route = [this, socket, key, router] {
        const QByteArray start = socket->peek(HealthRequest.size());
        if (start.size() < HealthRequest.size() && HealthRequest.startsWith(start))
            return;
        router->deleteLater();
        disconnect(socket, &QIODevice::readyRead, router, nullptr);
        if (start == HealthRequest)
            answerHealthCheck(socket, key);
        else
            m_webSocketServer->handleConnection(socket);
    };
    connect(socket, &QIODevice::readyRead, router, route);
    // What came with a PROXY header is read already and will not be announced again.
    if (socket->bytesAvailable() > 0)
        route();
}

void ChatServer::answerHealthCheck(QTcpSocket *socket, const TcpPeer &key)
{
    // Quietly: a balancer asks every few seconds, and a log line each time would drown the
    // rest. The instance logs when the database goes and comes back.
    m_handshakes.remove(key);
    const bool healthy = m_phase == Phase::Serving && m_hub->store()->isReachable();
    const QByteArray body = healthy ? QByteArrayLiteral("ok\n")
                                    : QByteArrayLiteral("the message store is unreachable\n");
    socket->write((healthy ? QByteArrayLiteral("HTTP/1.1 200 OK\r\n")
                           : QByteArrayLiteral("HTTP/1.1 503 Service Unavailable\r\n"))
                  + QByteArrayLiteral("Content-Type: text/plain\r\nContent-Length: ")
                  + QByteArray::number(body.size())
                  + QByteArrayLiteral("\r\nConnection: close\r\n\r\n") + body);
    socket->disconnectFromHost();
}

void ChatServer::endHandshake(const TcpPeer &key, const QString &why)
{
    const Handshake handshake = m_handshakes.take(key);
    const QString peer
        = handshake.peer.isEmpty() ? peerForLog(key.address, key.port) : handshake.peer;
    qCWarning(lcServer, "%s: %s", qUtf8Printable(peer), qUtf8Printable(why));
}

void ChatServer::authenticateOrigin(QWebSocketCorsAuthenticator *authenticator)
{
    // Browsers always send Origin and a page cannot forge it; native clients send none. An
    // Origin that is not listed is a page from elsewhere using the user's browser to reach us.
    const QString origin = authenticator->origin();
    const bool allowed = origin.isEmpty() || m_allowedOrigins.contains(origin);
    authenticator->setAllowed(allowed);
    if (!allowed) {
        // Qt does not say which socket this is; the line with the peer follows as it closes.
        qCWarning(lcServer,
                  "refused a WebSocket handshake from Origin \"%s\" with 403: not in "
                  "--allow-origin",
                  qUtf8Printable(printableForLog(origin)));
    }
}

void ChatServer::acceptWebSockets()
{
    while (m_webSocketServer->hasPendingConnections()) {
        QWebSocket *socket = m_webSocketServer->nextPendingConnection();
        if (!socket)
            continue;
        // The handshake is done and the TCP socket lives on inside the QWebSocket: the
        // handshake watch on it must end. (Found by the TCP peer; the log names the client,
        // which differs behind a load balancer with the PROXY protocol.)
        const TcpPeer key {socket->peerAddress(), socket->peerPort()};
        const Handshake handshake = m_handshakes.take(key);
        const QString &peer = handshake.peer;
        if (!handshake.socket) {
            // Every socket is watched from its accept to here; one without a watch was given up
            // on (its handshake timed out) and is on its way out.
            qCWarning(lcServer,
                      "%s: completed a WebSocket handshake already given up on; "
                      "dropping the connection",
                      qUtf8Printable(peerForLog(key.address, key.port)));
            socket->setParent(this);
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->abort();
            continue;
        }
        disconnect(handshake.socket, &QTcpSocket::disconnected, this, nullptr);
        // QWebSocketServer would delete the TCP socket when it disconnects, in a slot that finds
        // the socket with QObject::sender(): a walk over every socket still connected to the
        // server, so closing them all took time quadratic in their number (8 s for 19,000). The
        // socket goes with its QWebSocket instead (below).
        disconnect(handshake.socket, &QTcpSocket::disconnected, m_webSocketServer, nullptr);
        delete handshake.timer;
        // The QWebSocket uses the TCP socket but does not delete it in Qt 6.4: they go together.
        handshake.socket->setParent(socket);
        if (handshake.verdict != ConnectionCounter::Verdict::Admitted) {
            refuseOverLimit(socket, peer, handshake.verdict);
            continue;
        }
        auto *client = new ClientConnection(socket, handshake.socket, m_frameTransport, peer,
                                            m_tokens, m_hub, m_limits, this);
        m_clients.append(client);
        // Any byte counts as a sign of life, WebSocket pings included, which QWebSocket
        // answers without telling anyone.
        connect(handshake.socket, &QIODevice::readyRead, client, &ClientConnection::noteTraffic);
        connect(client, &ClientConnection::disconnected, this,
                [this, client] { removeClient(client); });
        connect(
            client, &ClientConnection::stateChanged, this,
            [this, client](ClientConnection::State state) { handleClientState(client, state); });
        connect(client, &ClientConnection::presenceUnthrottled, this,
                [this, client] { sendPresenceList(client); });
        connect(client, &ClientConnection::typingReceived, this,
                [this, client](const QString &room, bool typing) {
                    m_typing->setTyping(client, client->uid(), room, typing);
                });
        client->setThrottled(m_throttled);
        if (m_phase != Phase::Serving)
            client->closeGoingAway();
    }
}

void ChatServer::refuseOverLimit(QWebSocket *socket, const QString &peer,
                                 ConnectionCounter::Verdict verdict)
{
    QString reason;
    switch (verdict) {
    case ConnectionCounter::Verdict::Admitted:
        return;
    case ConnectionCounter::Verdict::OverAddressLimit:
        reason = QStringLiteral("too many connections from your address (at most %1)")
                     .arg(m_connections.maxPerAddress());
        break;
    case ConnectionCounter::Verdict::OverTotalLimit:
        reason = QStringLiteral("the server has too many connections (at most %1)")
                     .arg(m_connections.maxTotal());
        break;
    }
    qCWarning(lcServer, "%s: %s; closing with 4005", qUtf8Printable(peer), qUtf8Printable(reason));
    socket->setParent(this);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    // A peer that never answers the close frame must not keep its socket.
    QTimer::singleShot(RefusalCloseMs, socket, [socket] { socket->abort(); });
    socket->close(toQt(protocol::CloseCode::TryAgainLater), reason);
}

void ChatServer::removeClient(ClientConnection *client)
{
    if (!m_clients.removeOne(client))
        return;
    m_awaitingPresence.remove(client);
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
        m_awaitingPresence.insert(client);
        schedulePresence();
        return;
    case ClientConnection::State::Closing:
        m_hub->unsubscribe(client);
        m_typing->remove(client);
        schedulePresence();
        return;
    }
}

void ChatServer::schedulePresence()
{
    if (!m_presenceTimer->isActive())
        m_presenceTimer->start();
}

void ChatServer::flushPresence()
{
    m_presenceTimer->stop();
    const QSet<ClientConnection *> newcomers = std::exchange(m_awaitingPresence, {});
    QStringList users;
    for (const ClientConnection *client : std::as_const(m_clients)) {
        if (client->state() == ClientConnection::State::Authenticated)
            users.append(client->uid());
    }
    users = sortedUnique(users);
    // The other instances hear who leaves this one, also while it shuts down.
    if (m_shared) {
        m_shared->publishUsers(users);
        users = sortedUnique(users + m_shared->otherUsers());
    }
    // Shutting down, nobody here needs to hear who leaves.
    if (m_phase != Phase::Serving || m_kicking)
        return;
    // The change is worked out once, against the list everyone holds, and encoded once: O(N)
    // names per change, where a full list to each connection would cost O(N²).
    QStringList online;
    QStringList offline;
    std::set_difference(users.cbegin(), users.cend(), m_presence.cbegin(), m_presence.cend(),
                        std::back_inserter(online));
    std::set_difference(m_presence.cbegin(), m_presence.cend(), users.cbegin(), users.cend(),
                        std::back_inserter(offline));
    m_presence = users;
    if (!newcomers.isEmpty()) {
        const EncodedTextFrames list(protocol::presence(m_presence));
        for (ClientConnection *client : newcomers)
            client->sendPresence(list);
    }
    if (online.isEmpty() && offline.isEmpty())
        return; // a user already online is news only to the new connection
    qCDebug(lcServer, "%lld users online: %lld came, %lld went",
            static_cast<long long>(users.size()), static_cast<long long>(online.size()),
            static_cast<long long>(offline.size()));
    const EncodedTextFrames change(protocol::presenceDiff(online, offline));
    for (ClientConnection *client : std::as_const(m_clients)) {
        if (!newcomers.contains(client))
            client->sendPresence(change);
    }
}

void ChatServer::sendPresenceList(ClientConnection *client)
{
    // Holds the list after this, so it takes the next change like everyone else.
    m_awaitingPresence.remove(client);
    client->sendPresence(EncodedTextFrames(protocol::presence(m_presence)));
}

void ChatServer::handleLocalTypists(const QString &room, const QStringList &previous,
                                    const QStringList &current)
{
    if (!m_shared) {
        sendTypists(room, previous, current);
        return;
    }
    m_shared->publishTypists(room, current);
    const QStringList others = m_shared->otherTypists(room);
    sendTypists(room, sortedUnique(previous + others), sortedUnique(current + others));
}

void ChatServer::handleOtherTypists(const QString &room, const QStringList &previous)
{
    const QStringList local = m_typing->typists(room);
    sendTypists(room, sortedUnique(local + previous),
                sortedUnique(local + m_shared->otherTypists(room)));
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

} // namespace lifeline::server
