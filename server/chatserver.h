#pragma once

#include "clientconnection.h"
#include "tokenstore.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

class MessageHub;
class MessageStore;
class QHostAddress;
class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocketServer;
class TypingTracker;

// The Lifeline chat server: accepts WebSocket clients, hands each to a ClientConnection, and
// holds what all clients share: the message path (MessageHub), who is online and who is
// typing, and the list of features the admin throttled.
//
// It accepts TCP connections itself and passes them to QWebSocketServer for the handshake,
// instead of letting QWebSocketServer listen: that way it sees every connection that never
// completes the handshake and can log it with the peer's address before dropping it.
class ChatServer : public QObject
{
    Q_OBJECT
public:
    // store must outlive the server.
    explicit ChatServer(MessageStore *store, QObject *parent = nullptr);
    ~ChatServer() override;

    // Who may log in; dev mode unless set. Applies to clients that connect afterwards.
    void setTokenStore(const TokenStore &tokens);
    // What each connection may do; applies to clients that connect afterwards.
    void setConnectionLimits(const ClientConnection::Limits &limits);
    // After this long without a typing frame a typer counts as stopped.
    void setTypingTimeout(int ms);

    // Starts listening; port 0 picks a free port. On failure says why in *error.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    // ws://HOST:PORT with the real port, once listening.
    QUrl url() const;

    QStringList throttled() const { return m_throttled; }
    // The users with an authenticated connection, sorted, each once.
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
    void acceptTcpConnections();
    void acceptWebSockets();
    void removeClient(ClientConnection *client);
    void handleClientState(ClientConnection *client, ClientConnection::State state);
    bool updatePresence();
    void sendTypists(const QString &room, const QStringList &previous, const QStringList &current);
    void finishShutDown();

    enum class Phase { Serving, ShuttingDown, Down };

    QTcpServer *m_tcpServer;
    QWebSocketServer *m_webSocketServer;
    TokenStore m_tokens;
    ClientConnection::Limits m_limits;
    MessageHub *m_hub;
    TypingTracker *m_typing;
    // TCP connections still in the WebSocket handshake, by peer: the timeout timer of each,
    // a child of its socket.
    QHash<QString, QTimer *> m_handshakes;
    QList<ClientConnection *> m_clients;
    QStringList m_throttled;
    QStringList m_presence;
    QTimer *m_shutDownTimer = nullptr;
    Phase m_phase = Phase::Serving;
    // While kickAll() drops everyone, presence waits for the end instead of changing n times.
    bool m_kicking = false;
};
