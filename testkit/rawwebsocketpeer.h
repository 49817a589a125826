#pragma once

#include "epolleventdispatcher.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <sys/socket.h>

class QUrl;

namespace lifeline::testkit {

// The client half of RFC 6455 over a non-blocking TCP socket, watched straight by this thread's
// EpollEventDispatcher (which must be installed: QCoreApplication::setEventDispatcher() or
// QThread::setEventDispatcher()), with what a load generator needs and nothing more: the
// fan-out benchmark runs thousands in a process. A QWebSocket per client costs about twice as
// much CPU per received frame (with 1,000 clients in a process, 4.8 to 5.9 us against 2.0 to
// 2.7 us; bench_fanout measures both in every run), the difference being mostly Qt's poll()
// over every socket's notifier on every turn. What is left is the kernel's: the recv() and the
// ACK it sends, a segment per frame from a server with Nagle off. For frames no client may send
// and blocking steps in a test, RawWebSocket is the other raw peer.
//
// It does the upgrade handshake (a random Sec-WebSocket-Key; checks for 101 and the
// Sec-WebSocket-Accept that key calls for), sends text frames masked with a random key, answers
// a ping with a pong, sends pings and tells of pongs, and hands each text frame to its listener
// straight from the buffer it was read into (one per thread, shared by its peers: a peer copies
// only the start of a frame that has not fully arrived). Frames the servers under test never send
// (fragments, binary frames, reserved bits or opcodes, masked frames, over MaxFrameBytes) end the
// connection with an error that says which.
class RawWebSocketPeer final : private lifeline::server::EpollEventDispatcher::Watcher
{
public:
    // Where to connect: resolved once, shared by every peer that connects there.
    struct Endpoint
    {
        sockaddr_storage address {};
        socklen_t length = 0;
        QByteArray host; // the Host header
        QByteArray target; // the request target: path and query
        QString name; // "127.0.0.1:1234", for messages
    };

    // How a connection ended.
    enum class End {
        ServerClosed, // with a close frame: closeCode is the server's
        ConnectionLost, // without one (RFC 6455 7.1.5: code 1006), or it never connected
        ProtocolError, // the server answered or sent what RFC 6455 or this client refuses
    };

    // Called only from the event loop, never from inside open(), sendText(), queueText() or
    // abort(), so a listener may call those from its callbacks. It must not delete a peer from
    // inside one of them, nor run an event loop there: another peer's read would overwrite the
    // payload.
    class Listener
    {
    public:
        virtual ~Listener() = default;
        // The handshake completed: text can be sent.
        virtual void opened(RawWebSocketPeer &peer) = 0;
        // One text frame: its UTF-8 payload, valid during the call only, and when the recv()
        // that completed it returned (monotonicNowUs()), before any of our work on it.
        virtual void textReceived(RawWebSocketPeer &peer, QByteArrayView payload, qint64 receivedUs)
            = 0;
        // A pong came, the answer to sendPing() or one the server sent unasked.
        virtual void pongReceived(RawWebSocketPeer &peer) = 0;
        // The connection is over, and why in words. closeCode: the server's code
        // (ServerClosed), 1006 (ConnectionLost), or the one we closed with (ProtocolError).
        virtual void closed(RawWebSocketPeer &peer, End end, int closeCode, const QString &why) = 0;
    };

    enum class State { Idle, Connecting, Handshaking, Open, Closed };

    // What a client of the app accepts: a presence list of thousands of users passes 64 KiB.
    static const quint64 MaxFrameBytes;

    // id: the owner's number for this peer, which id() gives back. Ends the program if this
    // thread's event dispatcher is not an EpollEventDispatcher.
    RawWebSocketPeer(Listener *listener, int id);
    // An open connection says "going away" (1001) first, as a client that quits does.
    ~RawWebSocketPeer();
    Q_DISABLE_COPY_MOVE(RawWebSocketPeer)

    // The endpoint of a ws:// URL; false with the reason in *error.
    static bool resolve(const QUrl &url, Endpoint *endpoint, QString *error);
    // The Sec-WebSocket-Accept a server must answer the Sec-WebSocket-Key `key` with:
    // base64(SHA-1(key + the RFC 6455 GUID)).
    static QByteArray acceptFor(QByteArrayView key);
    // The upgrade request of RFC 6455 section 4.1 for target on host, with key and any
    // extraHeaders ("Name: value\r\n" lines). RawWebSocket sends it too.
    static QByteArray upgradeRequest(QByteArrayView target, QByteArrayView host, QByteArrayView key,
                                     QByteArrayView extraHeaders = {});
    // Appends a client's frame to *out: the header, then payload masked with mask. Without
    // fin, the first fragment of a message. RawWebSocket frames with it too.
    static void appendFrame(QByteArray *out, quint8 opcode, QByteArrayView payload,
                            const char mask[4], bool fin = true);

    int id() const { return m_id; }
    State state() const { return m_state; }

    // Connects and sends the upgrade request; opened() or closed() follows. Once only.
    void open(const Endpoint &endpoint);
    // Sends one masked text frame, now if the socket takes it. Only while Open; after the end,
    // which the listener hears or has heard of, it is dropped.
    void sendText(QByteArrayView utf8);
    // Queues one masked text frame to leave with whatever else is queued when epoll next finds
    // the socket writable, after this turn of the event loop, as a QWebSocket's buffered socket
    // does: the window a batch of acks opens reaches the server in one write, not a segment per
    // frame. Only while Open, dropped after the end as sendText() is.
    void queueText(QByteArrayView utf8);
    // Sends a ping with no payload, as an app's heartbeat does; pongReceived() answers it. Only
    // while Open, dropped after the end as sendText() is.
    void sendPing();
    // Ends the connection at once, without a close frame and without a call to the listener.
    void abort();

private:
    // EpollEventDispatcher::Watcher: epoll reported `epollEvents` for our socket.
    void ready(quint32 epollEvents) override;
    // The failures of this thread's peers met inside a call of theirs, told to their listeners
    // a turn of the event loop later.
    static void reportFailures();
    void readAvailable();
    void take(const char *data, qsizetype size, qint64 nowUs);
    // Opens the connection once the whole answer to the upgrade request is in m_partial.
    void readHandshake();
    QString checkHandshake(QByteArrayView answer) const;
    qsizetype consumeFrames(const char *data, qsizetype size, qint64 nowUs);
    void refuseFrame(int closeCode, const QString &why);
    void queueFrame(quint8 opcode, QByteArrayView payload);
    // sendText(), queueText() and sendPing() while Open; false, and nothing queued, after the end.
    bool queueFrameIfOpen(quint8 opcode, QByteArrayView payload);
    // Writes what is queued, inside a call of the owner's: a failure reaches the listener a turn
    // later.
    void flushNow();
    bool flush(QString *problem);
    void finish(End end, int closeCode, const QString &why);
    void failLater(const QString &why);
    void closeSocket();

    lifeline::server::EpollEventDispatcher *m_dispatcher;
    Listener *m_listener;
    int m_id;
    int m_fd = -1;
    State m_state = State::Idle;
    bool m_wantWrite = false;
    QByteArray m_key;
    QString m_peerName;
    // The start of a frame (or of the handshake answer) that has not fully arrived yet.
    QByteArray m_partial;
    // What the socket did not take yet.
    QByteArray m_out;
    // A failure inside a call of ours, for reportFailures().
    QString m_failure;
};

} // namespace lifeline::testkit
