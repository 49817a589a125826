#pragma once

#include "rawwebsocketpeer.h"

#include <QString>

#include <memory>
#include <optional>

class QTimer;

namespace lifeline::testkit {

// One client of a load generator, the one loop the benchmarks share: a RawWebSocketPeer (so
// this thread's event dispatcher must be the EpollEventDispatcher) that says hello as its uid,
// syncs if asked, and is then Live: its frames go to the owner as they came, undecoded, for
// thousands of clients would otherwise spend the generator's cores on presence lists. It can
// ping as an app's heartbeat does and send messages with a window of unacknowledged ones; only
// then does it decode what it receives (small frames only: acks are). It tells its end once.
class LoadClient : private RawWebSocketPeer::Listener
{
public:
    // What a client does once connected: the same for every client of a load.
    struct Session
    {
        QString appId;
        // Catch up from this seq after the welcome, Live once synced; without it, Live at once.
        std::optional<qint64> syncSince;
        // Once Live, a WebSocket ping this often, as the SDK's heartbeat; 0: never.
        int pingMs = 0;
    };

    enum class State {
        Connecting,
        AwaitingWelcome,
        AwaitingSynced,
        Live,
        Failed, // ended before it was Live
        Lost, // ended after
    };

    // Called from the event loop only, never from inside a call to the client; an owner may call
    // the client back, but must not delete it from inside one of these.
    class Owner
    {
    public:
        virtual ~Owner() = default;
        // Welcomed and, if asked, synced.
        virtual void live(LoadClient &client) = 0;
        // A frame while Live: its UTF-8, valid during the call only, and when it was read
        // (monotonicNowUs()).
        virtual void frameReceived(LoadClient &client, QByteArrayView frame, qint64 receivedUs) = 0;
        // Every message of sendMessages() is acknowledged.
        virtual void allAcknowledged(LoadClient &client) = 0;
        // Once: the connection ended (state() says whether it had been Live). ProtocolError
        // also when the server refused the session, sent a frame the codec refuses, or answered
        // one of sendMessages() with a nack, retry or error; the client then ends without a close
        // frame (1006).
        virtual void ended(LoadClient &client, RawWebSocketPeer::End end, int closeCode,
                           const QString &why)
            = 0;
    };

    // id: the owner's number for this client, which id() gives back.
    LoadClient(Owner *owner, int id, const QString &uid, const Session &session);
    ~LoadClient() override;
    Q_DISABLE_COPY_MOVE(LoadClient)

    int id() const { return m_peer.id(); }
    QString uid() const { return m_uid; }
    State state() const { return m_state; }
    // Acks to sendMessages() and pongs received so far.
    qint64 acks() const { return m_acks; }
    qint64 pongs() const { return m_pongs; }

    // Connects; live() or ended() follows. Once only.
    void open(const RawWebSocketPeer::Endpoint &endpoint);
    // One message, out now with the time now (epoch ms) as its sentAt; only while Live.
    void sendMessage(const QString &id, const QString &room, const QString &text);
    // count messages "UID-0", "UID-1", ..., each chatLine() to room "load", with up to window
    // of them unacknowledged, the next going out as an ack comes back (those one read opens
    // the window for, in one write after this turn); allAcknowledged() when all are. What many
    // busy apps look like to the server's message path. Once, while Live.
    void sendMessages(int count, int window);
    // The text of every message of sendMessages(): a short chat line.
    static QString chatLine();
    // The largest frame a load client decodes. Welcome, synced, acks and errors are small; a
    // larger frame is a presence list or a catch-up, and parsing a list of 9,000 names for each
    // of 9,000 clients would make the generator the bottleneck.
    static constexpr qsizetype LargestParsedFrame = 4096;

private:
    // RawWebSocketPeer::Listener
    void opened(RawWebSocketPeer &peer) override;
    void textReceived(RawWebSocketPeer &peer, QByteArrayView payload, qint64 receivedUs) override;
    void pongReceived(RawWebSocketPeer &peer) override;
    void closed(RawWebSocketPeer &peer, RawWebSocketPeer::End end, int closeCode,
                const QString &why) override;

    void handleSessionFrame(QByteArrayView payload);
    void handleAnswer(QByteArrayView payload);
    void becomeLive();
    // A send frame with the time now (epoch ms) as its sentAt.
    static QByteArray messageFrame(const QString &id, const QString &room, const QString &text);
    void sendNext();
    void fail(const QString &why);
    void finish(RawWebSocketPeer::End end, int closeCode, const QString &why);

    Owner *m_owner;
    QString m_uid;
    Session m_session;
    State m_state = State::Connecting;
    RawWebSocketPeer m_peer;
    std::unique_ptr<QTimer> m_pingTimer;
    qint64 m_acks = 0;
    qint64 m_pongs = 0;
    // sendMessages(): how many, how many may be unacknowledged, how many went out.
    int m_toSend = 0;
    int m_window = 0;
    int m_sent = 0;
};

} // namespace lifeline::testkit
