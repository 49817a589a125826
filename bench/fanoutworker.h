#pragma once

#include "fanouthistogram.h"
#include "loadshare.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QUrl>

#include <deque>
#include <vector>

class QTimer;

namespace lifeline::testkit {
class ParentChannel;
}

namespace lifeline::bench {

struct FanoutText;

// One worker process of bench_fanout (`bench_fanout --worker`): holds a share of the clients as
// the test kit's LoadClients on its epoll event loop and does what the coordinator says on stdin,
// one command a line; answers and events go to stdout, one a line. Commands and answers
// (fanoutbench.cpp sends them):
//
//   connect FIRST COUNT SINCE   open clients uFIRST.. (hello, then sync SINCE), at most
//                                --connect-burst under way at once
//                                -> connected OK FAILED [first error]
//   latency SENDERS RATE START_US WARMUP_US MEASURE_US TOTAL
//                                clients SLOT*TOTAL/SENDERS that are ours send RATE a second
//                                from START_US until START_US+WARMUP_US+MEASURE_US
//                                -> sender-done SLOT MEASURED, then senders-done
//                               Again on the same clients (a load sweep) once every message of
//                               the previous one has come: one still on its way would count.
//   expect M                    -> complete, once every client has M measured messages
//   report                      -> hist own LINE and hist across LINE (the receivers on the
//                                  sender's instance, on another), then report key=value...
//   begin-step STEP             forget the previous capacity step -> began STEP
//   bcast STEP K INDEX          client INDEX (ours) broadcasts sample K
//                                -> sent STEP K SENT_US
//                               every worker -> got STEP K LAST_US once all its clients have it
//   status                      -> status key=value...
//   (any time)                  -> lost INDEX CLOSE_CODE: a client that was live went away
//
// The report and status lines carry frames= and cpuus=: the text frames this process received
// and the CPU time it used (/proc/self/stat) since the latency or begin-step command, the
// generator's cost per delivered frame. It exits when stdin closes. The process's event
// dispatcher must be an EpollEventDispatcher (main() installs it before the application object).
class FanoutWorker : public QObject, private testkit::LoadShare::Owner
{
    Q_OBJECT
public:
    // Client INDEX connects to urls[INDEX % urls.size()]: with several instances of one
    // service, the clients and the senders among them spread over all of them.
    FanoutWorker(const QList<QUrl> &urls, int connectBurst, QObject *parent = nullptr);
    ~FanoutWorker() override;

private:
    // What is measured of each client, numbered as the share's clients are.
    struct Client
    {
        int id = 0; // the share's
        int index = 0;
        // Latency: the highest message number seen from each sender slot.
        std::vector<int> lastFromSlot;
        qint64 measuredReceived = 0;
        // Capacity: the samples of this step received, one bit each.
        quint64 samplesReceived = 0;
    };

    // LoadShare::Owner
    void settled(int live, int failed, const QString &firstError) override;
    void frameReceived(testkit::LoadClient &connection, QByteArrayView frame,
                       qint64 receivedUs) override;
    void allAcknowledged(testkit::LoadClient &connection) override;
    void ended(testkit::LoadClient &connection, testkit::RawWebSocketPeer::End end, int closeCode,
               const QString &why) override;

    void readCommand(const QByteArray &text);
    void handleCommand(const QList<QByteArray> &fields);

    void startConnecting(int first, int count, qint64 since);
    void handleOtherLiveFrame(QByteArrayView frame);
    bool isLive(const Client &client);
    void receiveLatency(Client *client, const FanoutText &text, qint64 nowUs);
    void receiveSample(Client *client, const FanoutText &text, qint64 nowUs);
    void sendText(Client *client, const QString &id, const QString &text);

    void startLatency(const QList<QByteArray> &fields);
    void scheduleLatencySend(int slot);
    void expectMeasured(qint64 count);
    void checkComplete();
    void report();
    void beginStep(int step);
    void broadcastSample(int step, int sample, int index);
    void sayStatus();

    void lingerBeforeSleeping();
    void armLagTimer();
    void resetCounters();
    QByteArray counterFields() const;

    testkit::ParentChannel *m_parent;
    testkit::LoadShare m_share;
    // Deque: clients keep their address as more are added; senders hold pointers to them. A
    // connection's id is its client's place in here.
    std::deque<Client> m_clients;
    QHash<int, Client *> m_byIndex;

    // Latency.
    struct Sender
    {
        int slot = 0;
        Client *client = nullptr;
        QTimer *timer = nullptr;
        qint64 next = 0; // the number of the next message
        qint64 measured = 0;
    };
    QList<Sender> m_senders;
    // Latency commands so far, in the message ids.
    int m_latencyRound = 0;
    int m_slots = 0;
    int m_totalClients = 0;
    qint64 m_periodUs = 0;
    qint64 m_startUs = 0;
    qint64 m_measureFromUs = 0;
    qint64 m_endUs = 0;
    int m_sendersRunning = 0;
    qint64 m_expected = -1;
    int m_completeClients = 0;
    bool m_completeSaid = false;
    // Receipts on the sender's own instance, and on another one (only with several).
    FanoutHistogram m_latencyOwn;
    FanoutHistogram m_latencyAcross;
    qint64 m_received = 0;

    // Capacity.
    int m_step = -1;
    struct Sample
    {
        int received = 0;
        qint64 lastUs = 0;
    };
    QHash<int, Sample> m_samples;

    // Counted in every phase; the coordinator fails a phase for any of them.
    qint64 m_duplicates = 0;
    qint64 m_stray = 0;
    qint64 m_errorFrames = 0;
    QString m_firstErrorFrame;
    qint64 m_lost = 0;
    qint64 m_maxSeq = 0;

    // How late this process's timers fire: the proof that the generator keeps up.
    QTimer *m_lagTimer;
    qint64 m_lagDueUs = 0;
    std::vector<qint64> m_lagUs;
    // What this process costs per delivered frame: text frames and CPU since the phase began.
    qint64 m_frames = 0;
    qint64 m_framesAtStart = 0;
    double m_cpuAtStart = 0;
    // Frames counted when the event loop last went to sleep.
    qint64 m_framesAtSleep = 0;
};

} // namespace lifeline::bench
