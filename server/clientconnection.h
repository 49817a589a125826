#pragma once

#include "tokenstore.h"

#include <QObject>
#include <QStringList>

class QTimer;
class QWebSocket;

namespace lifeline::protocol {
class Frame;
enum class CloseCode : quint16;
} // namespace lifeline::protocol

// One accepted WebSocket: waits for hello, checks it, then answers the frames of a session as
// docs/protocol.md says. Nothing the peer sends can do more than close this one connection.
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    enum class State {
        AwaitingHello,
        Authenticated,
        Closing, // we closed or aborted; the socket has not said disconnected yet
    };
    Q_ENUM(State)

    // Takes ownership of socket, which must have just been accepted.
    ClientConnection(QWebSocket *socket, const TokenStore &tokens, QObject *parent = nullptr);
    ~ClientConnection() override;

    State state() const { return m_state; }
    // "address:port" of the peer, for log lines; kept after the socket is gone.
    QString peer() const { return m_peer; }

    // The features throttled right now; sent at once if the client is authenticated, and in
    // the welcome otherwise.
    void setThrottled(const QStringList &features);
    // Closes with 1001: the server is going away.
    void closeGoingAway();
    // Drops the TCP connection without a close frame, like a crashed server would.
    void abort();

Q_SIGNALS:
    // The state changed.
    void stateChanged(ClientConnection::State state);
    // The socket is gone; the owner deletes this object.
    void disconnected();

private:
    void setState(State state);
    void handleDisconnected();
    void handleText(const QString &message);
    void handleHello(const lifeline::protocol::Frame &frame);
    void handleBinary();
    void helloTimedOut();
    void refuseFrame(const QString &problem);
    void sendError(const QString &code, const QString &message, const QString &details);
    void closeWith(lifeline::protocol::CloseCode code, const QString &reason);

    QWebSocket *m_socket;
    TokenStore m_tokens;
    QTimer *m_helloTimer;
    QString m_peer;
    QString m_uid;
    QStringList m_throttled;
    State m_state = State::AwaitingHello;
    bool m_closeHandshake = false;
};
