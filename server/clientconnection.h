#pragma once

#include "frametransport.h"
#include "tokenbucket.h"
#include "tokenstore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>

#include <memory>

class QTcpSocket;
class QTimer;
class QWebSocket;
namespace lifeline::protocol {
class Frame;
enum class CloseCode : quint16;
} // namespace lifeline::protocol

namespace lifeline::server {

class EncodedTextFrames;
class MessageHub;
struct StoredMessage;

// One accepted WebSocket: waits for hello, checks it, then answers the frames of a session as
// docs/protocol.md says: sends go to the MessageHub, sync runs the catch-up from the store page
// by page and then joins the live traffic. Nothing the peer sends can do more than close this
// one connection.
//
// The QWebSocket reads and closes; what this connection sends goes through its FrameTransport:
// by default encoded once per broadcast and written to the socket underneath, straight to the
// kernel when nothing waits before it. Through QWebSocket each frame waited in Qt's buffer for
// the next turn of the event loop, and each recipient cost a UTF-8 conversion, framing, and a
// write notifier armed and disarmed (docs/benchmarks.md has the figures).
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

    // What one connection may do (docs/protocol.md, "Rate limit and throttling").
    struct Limits
    {
        int ratePerSecond = 20; // messages a second; 0 turns the limit off
        int burst = 50;
        // How long a connection must stay within its limit before the throttling it earned
        // is lifted.
        int throttleCooldownMs = 5000;
        // A longer text is refused with ERR_MESSAGE_TOO_LARGE; at most protocol::MaxTextBytes.
        int maxTextBytes = 16 * 1024;
        // A connection that sends nothing, not even a WebSocket ping, for this long is closed
        // with 4004: three of the client's default heartbeat intervals (10 s), so a live
        // client that missed two pings is not cut off.
        int idleTimeoutMs = 30000;
    };

    // Takes ownership of socket, which must have just been accepted. hub must outlive this.
    // transport is the TCP (or TLS) socket that socket was upgraded from; it goes with socket.
    // transportKind says how the text frames reach it.
    // peer names the client in logs ("address:port"; behind a load balancer, the client's).
    ClientConnection(QWebSocket *socket, QTcpSocket *transport, FrameTransport::Kind transportKind,
                     const QString &peer, const TokenStore &tokens, MessageHub *hub,
                     const Limits &limits, QObject *parent = nullptr);
    ~ClientConnection() override;

    State state() const { return m_state; }
    // "address:port" of the peer, for log lines; kept after the socket is gone.
    QString peer() const { return m_peer; }
    // Who logged in; empty before hello.
    QString uid() const { return m_uid; }
    // The features throttled for this connection now: the admin's and the ones its rate
    // earned.
    QStringList throttled() const { return m_throttled; }

    // The features the admin throttled; the connection hears the new full list at once if it
    // is authenticated, and in the welcome otherwise.
    void setThrottled(const QStringList &features);
    // A `presence` or `presenceDiff` frame, encoded once for every connection that gets it:
    // sent unless presence is throttled here. What a throttled connection misses it hears as a
    // full list once the throttle is lifted (presenceUnthrottled()).
    void sendPresence(const EncodedTextFrames &frame);
    // Who is typing in room, this connection's user left out.
    void sendTypists(const QString &room, const QStringList &users);
    // Closes with 1001: the server is going away.
    void closeGoingAway();
    // Drops the TCP connection without a close frame, like a crashed server would.
    void abort();
    // From ChatServer: bytes arrived on the TCP connection under the WebSocket. This is what
    // keeps a connection from counting as idle: QWebSocket answers pings without a signal.
    void noteTraffic();

    // From MessageHub: the message id from this connection is stored as seq.
    void acknowledge(const QString &id, qint64 seq);
    // From MessageHub: another user's stored message has the id this connection sent.
    void refuseTakenId(const QString &id);
    // From MessageHub: the store could not write id; the client sends it again later.
    void retryAfterStoreFailure(const QString &id, qint64 afterMs);
    // From MessageHub, before a commit's messages go out: a connection that has more than
    // 16 MiB unsent from earlier turns has stopped reading and is dropped rather than buffered
    // for without end. It reconnects and catches up from its last seq, so it loses nothing.
    void dropIfNotReading();
    // From MessageHub: the new messages of a commit, encoded once for every live connection.
    void deliver(const EncodedTextFrames &messages);

Q_SIGNALS:
    // The state changed.
    void stateChanged(ClientConnection::State state);
    // Presence is no longer throttled: the connection missed the changes meanwhile and needs
    // the full list of users online, which the owner sends with sendPresence(). Emitted right
    // after the `throttle` frame that lifts it, so that the list follows that frame.
    void presenceUnthrottled();
    // The user started or stopped typing in room (not while typing is throttled).
    void typingReceived(const QString &room, bool typing);
    // The socket is gone; the owner deletes this object.
    void disconnected();

private:
    enum class Sync {
        NotAsked,
        CatchingUp,
        Live, // subscribed to the hub
    };

    void setState(State state);
    void handleDisconnected();
    void handleText(const QString &message);
    void handleHello(const lifeline::protocol::Frame &frame);
    void handleSync(const lifeline::protocol::Frame &frame);
    void handleSend(const lifeline::protocol::Frame &frame);
    void handleTyping(const lifeline::protocol::Frame &frame);
    void handleBinary();
    void helloTimedOut();
    void checkIdle();
    void sendCatchUpPage();
    void scheduleCatchUpPage();
    void sendRetry(const QString &id);
    // Hands a send to the hub, remembering its place among this connection's sends.
    void submit(const StoredMessage &message, quint64 number);
    void earnThrottle();
    void liftEarnedThrottle();
    void updateThrottled();
    void refuseFrame(const QString &problem);
    void refuseArgument(const QString &what, const QString &problem, const QString &details);
    void sendText(const QString &frame);
    void sendError(const QString &code, const QString &message, const QString &details);
    void write(const EncodedTextFrames &frames);
    void closeWith(lifeline::protocol::CloseCode code, const QString &reason);

    QWebSocket *m_socket;
    std::unique_ptr<FrameTransport> m_transport;
    TokenStore m_tokens;
    MessageHub *m_hub;
    QTimer *m_helloTimer;
    // Fires after the idle timeout; checkIdle() then looks at when the last bytes came, which
    // is cheaper than restarting a timer for every read.
    QTimer *m_idleTimer;
    QElapsedTimer m_lastTraffic;
    int m_idleTimeoutMs;
    QString m_peer;
    QString m_uid;
    State m_state = State::AwaitingHello;
    bool m_closeHandshake = false;

    QStringList m_adminThrottled;
    QStringList m_throttled;
    bool m_rateThrottled = false;
    QTimer *m_cooldownTimer;
    QElapsedTimer m_clock;
    int m_maxTextBytes;
    TokenBucket m_bucket;
    // The id of the send that got retry, while the client has not sent it again: every other
    // new send gets retry too, so that the sender's order is kept.
    QString m_retryHead;
    // Sends numbered in the order they came, which is the client's order. A store failure can
    // hit a message that came before the one the rate limit holds; the client sends the earlier
    // one again first, so it must become the head, or each side waits for the other forever.
    quint64 m_sendsReceived = 0;
    quint64 m_retryHeadNumber = 0;
    // The number of each send handed to the hub and not answered yet.
    QHash<QString, quint64> m_submittedNumbers;

    Sync m_sync = Sync::NotAsked;
    qint64 m_cursor = 0; // the highest seq the catch-up has covered
    qint64 m_caughtUp = 0;
    QElapsedTimer m_catchUpTimer;
    bool m_pageScheduled = false;
};

} // namespace lifeline::server
