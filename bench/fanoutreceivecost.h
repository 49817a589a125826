#pragma once

#include "rawwebsocketpeer.h"

#include <QJsonObject>

#include <atomic>
#include <functional>

class QEventLoop;

namespace lifeline::bench {

// What receiving one frame costs a bench_fanout worker: RawWebSocketPeer on the epoll event
// loop, as the workers run it, against a QWebSocket per client on Qt's own loop, as they ran
// before, measured alike in the same run. `clients` connections in a receiving thread of their
// own (with the one loop or the other) each receive `rounds` frames from a sender thread on
// 127.0.0.1; a round is one frame to every client, each written in its own TCP segment, as the
// Node.js peer broadcasts one message (ws turns Nagle off). The next round goes out once the
// receiving thread has every frame of the last, so no frames pile up in a socket to be read in
// one go. The figure is the CPU time of the receiving thread per frame
// (CLOCK_THREAD_CPUTIME_ID: the sender thread is not counted), the event loop's turns
// included; parsing the text is not in it (see measureParseCost in fanoutbench.cpp).
class FanoutReceiveCost : private testkit::RawWebSocketPeer::Listener
{
public:
    FanoutReceiveCost(int clients, int rounds);
    ~FanoutReceiveCost() override;

    // {leanNsPerFrame, qwebsocketNsPerFrame, clients, frames, frameBytes}; an empty object
    // with the reason in *error if a measurement could not be completed.
    QJsonObject measure(QString *error);

private:
    // The two receivers, each on a receiving thread of its own; each returns that thread's
    // CPU time per frame in ns, or a negative number with the reason in *error.
    double measureLean(QString *error);
    double measureQWebSocket(QString *error);
    // What both do around their own clients, on the receiving thread: starts the sender
    // thread, has openClients(port) open the clients (they must live until run() returns),
    // sends the rounds once every client is open and times them.
    double run(const std::function<void(quint16 port)> &openClients, QString *error);

    // RawWebSocketPeer::Listener
    void opened(testkit::RawWebSocketPeer &connection) override;
    void textReceived(testkit::RawWebSocketPeer &connection, QByteArrayView payload,
                      qint64 receivedUs) override;
    void pongReceived(testkit::RawWebSocketPeer &connection) override;
    void closed(testkit::RawWebSocketPeer &connection, testkit::RawWebSocketPeer::End end,
                int closeCode, const QString &why) override;

    // Runs the event loop until done() or timeoutMs passed; returns done().
    bool waitFor(const std::function<bool()> &done, int timeoutMs);
    // Ends waitFor() early once its condition holds.
    void checkDone();

    int m_clients;
    int m_rounds;
    // A server's `message` frame as the servers send it (unmasked, text), header included.
    QByteArray m_frame;
    int m_opened = 0;
    QString m_failure;
    // Counted here, read by the sender thread to pace its rounds.
    std::atomic<qint64> m_received {0};
    // Set by this thread: the clients are ready, send; all is over, close.
    std::atomic<bool> m_go {false};
    std::atomic<bool> m_stop {false};
    QEventLoop *m_loop = nullptr;
    std::function<bool()> m_done;
};

} // namespace lifeline::bench
