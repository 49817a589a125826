#pragma once

#include "tokenstore.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

class ClientConnection;
class QHostAddress;
class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocketServer;

// The Lifeline chat server: accepts WebSocket clients, hands each to a ClientConnection, and
// holds what all clients share, the list of throttled features.
//
// It accepts TCP connections itself and passes them to QWebSocketServer for the handshake,
// instead of letting QWebSocketServer listen: that way it sees every connection that never
// completes the handshake and can log it with the peer's address before dropping it.
class ChatServer : public QObject
{
    Q_OBJECT
public:
    explicit ChatServer(QObject *parent = nullptr);
    ~ChatServer() override;

    // Who may log in; dev mode unless set. Applies to clients that connect afterwards.
    void setTokenStore(const TokenStore &tokens);

    // Starts listening; port 0 picks a free port. On failure says why in *error.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    // ws://HOST:PORT with the real port, once listening.
    QUrl url() const;

    QStringList throttled() const { return m_throttled; }
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
    void finishShutDown();

    enum class Phase { Serving, ShuttingDown, Down };

    QTcpServer *m_tcpServer;
    QWebSocketServer *m_webSocketServer;
    TokenStore m_tokens;
    // TCP connections still in the WebSocket handshake, by peer: the timeout timer of each,
    // a child of its socket.
    QHash<QString, QTimer *> m_handshakes;
    QList<ClientConnection *> m_clients;
    QStringList m_throttled;
    QTimer *m_shutDownTimer = nullptr;
    Phase m_phase = Phase::Serving;
};
