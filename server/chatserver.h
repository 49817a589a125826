#pragma once

#include "clientconnection.h"
#include "connectioncounter.h"
#include "tcppeer.h"
#include "tokenstore.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>

class QHostAddress;
class QSslConfiguration;
class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketCorsAuthenticator;
class QWebSocketServer;

namespace lifeline::server {

class MessageHub;
class MessageStore;
class SharedPresence;
class TypingTracker;

// The Lifeline chat server: accepts WebSocket clients, hands each to a ClientConnection, and
// holds what all clients share: the message path (MessageHub), who is online and who is
// typing, and the list of features the admin throttled.
//
// It accepts TCP connections itself and passes them to QWebSocketServer for the handshake,
// instead of letting QWebSocketServer listen: that way it sees every connection that never
// completes the handshake and can log it with the peer's address before dropping it. With TLS
// (wss://) the same holds: it gets the connection before the TLS handshake, and one timer
// covers both handshakes.
class ChatServer : public QObject
{
    Q_OBJECT
public:
    // docs/protocol.md, "Limits on connections": the defaults of the setters below.
    static constexpr int DefaultHandshakeTimeoutMs = 5000;
    static constexpr int DefaultMaxConnections = 10000;
    static constexpr int DefaultMaxConnectionsPerAddress = 1000;

    // store must outlive the server. A non-null tls (local certificate and private key) makes
    // it serve wss:// instead of ws://.
    explicit ChatServer(MessageStore *store, QObject *parent = nullptr);
    ChatServer(MessageStore *store, const QSslConfiguration &tls, QObject *parent = nullptr);
    ~ChatServer() override;

    // Who may log in; dev mode unless set. Applies to clients that connect afterwards.
    void setTokenStore(const TokenStore &tokens);
    // What each connection may do; applies to clients that connect afterwards.
    void setConnectionLimits(const ClientConnection::Limits &limits);
    // After this long without a typing frame a typer counts as stopped.
    void setTypingTimeout(int ms);
    // A connection that has not completed the TLS (if any) and WebSocket handshakes this long
    // after it was accepted is dropped. Applies to connections accepted afterwards.
    void setHandshakeTimeout(int ms);
    // The Origin header values a handshake may carry (exact match, e.g.
    // "https://chat.example"). A handshake without an Origin (a native client) is always
    // accepted; one with an Origin not listed gets 403, since a browser page from any site can
    // open a WebSocket to us with the user's network position (cross-site WebSocket hijacking).
    void setAllowedOrigins(const QStringList &origins);
    // Connections beyond these (open TCP connections, handshakes included) are closed with
    // 4005 right after their handshake. Call before listen(): it starts the counts afresh.
    void setMaxConnections(int total, int perAddress);
    // On: every connection starts with a PROXY protocol header (v1 or v2) from a load balancer,
    // and limits and logs use the client's address from it; a connection without one is
    // dropped. Applies to connections accepted afterwards.
    void setProxyProtocol(bool on);
    // The users and typists of the other instances of a cluster, merged into what clients are
    // told; this instance's own go to it. Must outlive the server. Call before listen().
    void setSharedPresence(SharedPresence *presence);
    // Off: one transaction (and disk sync) per message instead of one per event-loop turn;
    // only to measure what batching saves (MessageHub::setCommitBatching).
    void setCommitBatching(bool on);
    // How the connections accepted from now on write their text frames (--transport).
    void setFrameTransport(FrameTransport::Kind kind);

    // Starts listening; port 0 picks a free port. On failure says why in *error.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    // ws://HOST:PORT (wss:// with TLS) with the real port, once listening.
    QUrl url() const;

    QStringList throttled() const { return m_throttled; }
    // The users with an authenticated connection as last announced (up to 100 ms behind),
    // sorted, each once.
    QStringList presence() const { return m_presence; }
    // WebSocket clients connected right now, whether or not they have sent hello.
    qsizetype clientCount() const { return m_clients.size(); }

public Q_SLOTS:
    // Sets the full list of throttled features and tells every authenticated client.
    void setThrottled(const QStringList &features);
    // Drops every client connection without a close frame.
    void kickAll();
    // Stops listening, closes every client with 1001, and emits shutDownFinished() once they
    // are gone (or after a short grace period for clients that do not answer).
    void shutDown();

Q_SIGNALS:
    // The throttled features changed.
    void throttledChanged(const QStringList &features);
    // shutDown() is complete; the process may exit.
    void shutDownFinished();

private:
    // A TCP connection between accept and the end of its WebSocket handshake.
    // Keyed by the TCP connection's peer, which finds it again when QWebSocketServer hands
    // over the WebSocket.
    struct Handshake
    {
        QTcpSocket *socket = nullptr;
        QTimer *timer = nullptr; // a child of socket
        ConnectionCounter::Verdict verdict = ConnectionCounter::Verdict::Admitted;
        // The client as logs name it: the TCP peer, or the one a PROXY header names.
        QString peer;
    };

    void acceptTcpConnections();
    void watchHandshake(QTcpSocket *socket, const TcpPeer &key);
    // With the PROXY protocol: reads the header, then admits the client it names.
    void readProxyHeader(QTcpSocket *socket, const TcpPeer &key);
    // Counts the client at address against the limits and starts its handshakes.
    void admit(QTcpSocket *socket, const TcpPeer &key, const QHostAddress &address, quint16 port);
    void endHandshake(const TcpPeer &key, const QString &why);
    // Hands socket to QWebSocketServer, unless its first request is a load balancer's
    // "GET /healthz", which is answered here.
    void routeFirstRequest(QTcpSocket *socket, const TcpPeer &key);
    void answerHealthCheck(QTcpSocket *socket, const TcpPeer &key);
    void authenticateOrigin(QWebSocketCorsAuthenticator *authenticator);
    void acceptWebSockets();
    void refuseOverLimit(QWebSocket *socket, const QString &peer,
                         ConnectionCounter::Verdict verdict);
    void removeClient(ClientConnection *client);
    void handleClientState(ClientConnection *client, ClientConnection::State state);
    // Presence goes out once per PresenceCoalesceMs at most: the change since the list last
    // announced to everyone, and the full list to the connections new since then.
    void schedulePresence();
    void flushPresence();
    // The full list as last announced, to a connection that missed the changes since.
    void sendPresenceList(ClientConnection *client);
    void sendTypists(const QString &room, const QStringList &previous, const QStringList &current);
    // This instance's typists in room changed from previous to current.
    void handleLocalTypists(const QString &room, const QStringList &previous,
                            const QStringList &current);
    // The other instances' typists in room changed from previous.
    void handleOtherTypists(const QString &room, const QStringList &previous);
    void finishShutDown();

    enum class Phase { Serving, ShuttingDown, Down };

    QTcpServer *m_tcpServer;
    QWebSocketServer *m_webSocketServer;
    const bool m_tls;
    TokenStore m_tokens;
    ClientConnection::Limits m_limits;
    MessageHub *m_hub;
    TypingTracker *m_typing;
    SharedPresence *m_shared = nullptr;
    bool m_proxyProtocol = false;
    FrameTransport::Kind m_frameTransport = FrameTransport::Kind::Qt; // main() asks FastPaths
    int m_handshakeTimeoutMs;
    QStringList m_allowedOrigins;
    ConnectionCounter m_connections;
    // TCP connections still in the handshakes, by peer.
    QHash<TcpPeer, Handshake> m_handshakes;
    QList<ClientConnection *> m_clients;
    QStringList m_throttled;
    // The users online as last announced. Every authenticated connection whose presence is not
    // throttled and that is not in m_awaitingPresence holds this list, so that one change
    // against it, encoded once, is right for all of them.
    QStringList m_presence;
    QTimer *m_presenceTimer;
    // Connections authenticated since the last flush: they get the full list instead of the
    // change, even if it is unchanged (a second connection of a user already online).
    QSet<ClientConnection *> m_awaitingPresence;
    QTimer *m_shutDownTimer = nullptr;
    Phase m_phase = Phase::Serving;
    // While kickAll() drops everyone, presence waits for the end instead of changing n times.
    bool m_kicking = false;
};

} // namespace lifeline::server
