// lifeline-server against two reference peers, pure broadcasters that store nothing (bench/peer:
// Node.js and ws; bench/peer-go: Go and gorilla/websocket), side by side in the same run, under
// the same load generator:
//
//   bench_fanout [--part latency|capacity|all|cluster|shutdown|sweep] [--no-pin] [--json FILE]
//
// Every server under test runs on one core and the generator on the others (as taskset would
// place them), so that no server takes the generator's CPU or the generator a server's; the Go
// peer, which uses every core it gets, is measured a second time sharing all of them with the
// generator. --no-pin shares every core for every server, as the runs before pinning did.
//
// Fan-out latency: 1,000 clients connected and synced, 10 of them send 20 messages a second
// each, evenly paced; latency is receipt time minus send time at every client but the sender
// (CLOCK_MONOTONIC in the text, one clock for every process). Target: lifeline-server's p99 at
// most 1.2 x the better peer's and under 50 ms. Every client must receive every measured
// message exactly once, or the run fails; a peer that does not is a result (it could not carry
// the load), not a failed run.
//
// The machine's floor, after lifeline-server's latency run: FanoutFloor sends the same message
// rate, pre-framed, to as many loopback connections with one send() per connection per batch of
// lifeline-server's messages per commit, and nothing else. Target: lifeline-server's CPU per
// delivered message at most 1.3 x the floor's.
//
// Cluster (--part cluster): the same latency load on lifeline-server alone on SQLite, alone on
// PostgreSQL, and as three instances on that PostgreSQL with the clients and the senders spread
// over them (docs/scaling.md), so every message crosses instances. PostgreSQL runs with fsync
// and synchronous_commit on, as durable as SQLite's synchronous=FULL. Target: the three
// instances' p99 at most the single SQLite instance's plus 5 ms, and under 50 ms.
//
// Capacity, the method of the websocket-shootout comparison: clients connect in steps of 1,000;
// at each step 4 broadcasts are kept in flight (each next one as soon as the previous reached
// every client) until 40 are done; a broadcast's round trip is from its send until the last
// client received it. The step passes while the p95 of those is under 500 ms; the capacity is
// the largest passing client count. Target: at least the better peer's.
//
// Load sweep (--part sweep): the latency load at rising rates, on the same clients, from light
// to past saturation; at each step p50, p99 and the server's CPU. A server's sustainable fan-out
// rate is the most deliveries a second (messages a second x recipients) with p99 under 50 ms and
// every message received once. Targets: lifeline-server's at least 1.5 x the better peer's, and
// its p99 at the highest load both peers sustain at most the better peer's there.
//
// Shutdown (--part shutdown): as many clients as the capacity cap connected and synced, then
// SIGTERM; the time until the process is gone, and the close code each client got. Target:
// lifeline-server under 2 s, every client closed with 1001.
//
// The clients are the test kit's LoadClients (raw sockets on the server's epoll event loop) in
// worker processes (this program again, with --worker), one per core the server under
// test leaves free, so that the generator is never the bottleneck: a worker process more than
// there are cores would take its share of CPU from a single-threaded server. Each worker measures
// how late its own timers fire and what it spends per received frame; the report shows those and
// who had the cores. Exit codes: 0 all targets met; 1 a target missed or lifeline-server lost
// messages (after writing everything); 2 a setup error (no lifeline-server, no node or ws, no Go
// peer, a worker that cannot start).
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "commitsummary.h"
#include "epolleventdispatcher.h"
#include "fanoutcpu.h"
#include "fanoutfloor.h"
#include "fanouthistogram.h"
#include "fanoutreceivecost.h"
#include "fanouttext.h"
#include "fanoutworker.h"
#include "filelimit.h"
#include "monotonicclock.h"
#include "postgrescluster.h"
#include "postgresinstances.h"
#include "processcpu.h"
#include "referencepeer.h"
#include "scopedcpuaffinity.h"
#include "serverwaits.h"
#include "waitfor.h"
#include "workerpool.h"

#include <protocol.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>

using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::server;
using namespace lifeline::testkit;

namespace {

constexpr int ExitMissed = 1;

// Bounds on waits; what was measured is printed, not these.
constexpr int ReportTimeoutMs = 15000;
constexpr int DrainTimeoutMs = 15000;
// A broadcast that has not reached everyone after this long fails its step for good.
constexpr qint64 SampleTimeoutUs = 10'000'000;
// Lets the joins' presence traffic settle before anything is measured.
constexpr int SettleMs = 1000;
// The latency senders start this long after the command goes out, so that every worker has it.
constexpr qint64 StartDelayUs = 300'000;
// SIGTERM until every client heard: BundledServer kills after 5 s, and the clients see that.
constexpr int ShutdownTimeoutMs = 15000;
// Rounds of the receive cost measurement: one frame to each of a worker's clients per round.
constexpr int ReceiveCostRounds = 200;

enum class Part { Latency, Capacity, Cluster, All, Shutdown, Sweep };

// One core for the server under test, the others for the generator, at most 4: one worker
// carries the 200,000 frames a second of the latency part on about half a core.
int defaultWorkers()
{
    return std::clamp(QThread::idealThreadCount() - 1, 1, 4);
}

struct Options
{
    Part part = Part::All;
    int clients = 1000;
    int senders = 10;
    int rate = 20;
    int seconds = 10;
    int warmupSeconds = 2;
    int workers = defaultWorkers();
    int connectBurst = 8;
    int connectTimeoutSeconds = 120;
    int step = 1000;
    int maxClients = 19000;
    int concurrency = 4;
    int samples = 40;
    int limitMs = 500;
    int stepConnectTimeoutSeconds = 30;
    int budgetSeconds = 150;
    // Messages a second from each sender at the steps of the sweep: 20,000 to 3.2 million
    // deliveries a second with 10 senders and 1,000 clients. lifeline-server's p99 passed 50 ms
    // between the last two on a 2-core AMD EPYC, with the generator's core all but full.
    QList<int> sweepRates {2, 5, 10, 20, 40, 80, 160, 240, 320};
    int sweepSeconds = 4;
    int sweepWarmupSeconds = 1;
    QString peerDir;
    QString goPeerProgram;
    bool pinned = true;
    QString jsonPath;
};

// "1-3" or "1": CPUs as taskset would name them.
QString cpuList(const QList<int> &cpus)
{
    if (cpus.size() == 1)
        return QString::number(cpus.constFirst());
    return QStringLiteral("%1-%2").arg(cpus.constFirst()).arg(cpus.constLast());
}

// The servers under test.
enum class Server { Lifeline, NodePeer, GoPeer };

// Which CPUs the server under test and the load generator (the workers and this coordinator)
// may run on; empty lists leave them on every CPU this process may use.
struct Placement
{
    QList<int> server;
    QList<int> generator;

    bool pinned() const { return !server.isEmpty(); }
    QString describe() const
    {
        return pinned() ? QStringLiteral("each server on CPU %1, the generator on CPU %2")
                              .arg(cpuList(server), cpuList(generator))
                        : QStringLiteral("every process on every core");
    }

    // The server on the first CPU this process may use, the generator on the others.
    static Placement split()
    {
        const QList<int> cpus = ScopedCpuAffinity::allowedCpus();
        return {cpus.mid(0, 1), cpus.mid(1)};
    }
};

// How lifeline-server runs: alone on SQLite in its data directory (the default), or as
// `instances` instances sharing a PostgreSQL database.
struct Deployment
{
    PostgresCluster *postgres = nullptr;
    int instances = 1;

    QString name() const
    {
        return postgres ? QStringLiteral("%1 x PostgreSQL").arg(instances)
                        : QStringLiteral("1 x SQLite");
    }
};

QString serverName(Server server)
{
    switch (server) {
    case Server::Lifeline:
        return QStringLiteral("lifeline-server");
    case Server::NodePeer:
        return QStringLiteral("Node.js ws peer");
    case Server::GoPeer:
        return QStringLiteral("Go peer");
    }
    return {};
}

// The server and where it ran, for the tables; the pinned runs are the comparison, so only the
// others say how they ran.
QString runLabel(Server server, const Placement &placement, const Options &options)
{
    return options.pinned && !placement.pinned()
        ? QStringLiteral("%1, unpinned").arg(serverName(server))
        : serverName(server);
}

// The JSON key of a run: latency<key>, capacity<key>.
QString runKey(Server server, const Placement &placement, const Options &options)
{
    static const char *const keys[] = {"Lifeline", "NodePeer", "GoPeer"};
    const QString key = QLatin1String(keys[int(server)]);
    return options.pinned && !placement.pinned() ? key + QLatin1String("Unpinned") : key;
}

QString number(qint64 value)
{
    return QLocale(QLocale::English).toString(value);
}

// The key=value fields of a worker's report or status line.
QHash<QByteArray, QByteArray> keyValues(const QList<QByteArray> &fields)
{
    QHash<QByteArray, QByteArray> values;
    for (const QByteArray &field : fields) {
        const qsizetype equals = field.indexOf('=');
        if (equals > 0)
            values.insert(field.left(equals), field.mid(equals + 1));
    }
    return values;
}

// What the workers' status or report lines add up to.
struct WorkerTotals
{
    qint64 lost = 0;
    qint64 duplicates = 0;
    qint64 stray = 0;
    qint64 errors = 0;
    qint64 maxSeq = 0;
    qint64 worstLagUs = 0;
    qint64 worstLagP99Us = 0;
    // Text frames the workers received and the CPU time they used since the phase began.
    qint64 frames = 0;
    qint64 cpuUs = 0;
    QString firstError;

    void add(const QHash<QByteArray, QByteArray> &values)
    {
        lost += values.value("lost").toLongLong();
        duplicates += values.value("duplicates").toLongLong();
        stray += values.value("stray").toLongLong();
        errors += values.value("errors").toLongLong();
        maxSeq = std::max(maxSeq, values.value("maxseq").toLongLong());
        worstLagUs = std::max(worstLagUs, values.value("lagmax").toLongLong());
        worstLagP99Us = std::max(worstLagP99Us, values.value("lagp99").toLongLong());
        frames += values.value("frames").toLongLong();
        cpuUs += values.value("cpuus").toLongLong();
        if (firstError.isEmpty() && values.contains("error"))
            firstError = QString::fromUtf8(QByteArray::fromPercentEncoding(values.value("error")));
    }

    // What the generator spent on each frame it received, everything it did included.
    double cpuUsPerFrame() const { return frames > 0 ? double(cpuUs) / double(frames) : 0.0; }

    // What went wrong in words; empty when nothing did.
    QString problems() const
    {
        QStringList problems;
        if (lost > 0)
            problems << QStringLiteral("%1 clients lost their connection").arg(lost);
        if (duplicates > 0)
            problems << QStringLiteral("%1 messages came twice or out of order").arg(duplicates);
        if (stray > 0)
            problems << QStringLiteral("%1 messages that were not sent in this phase").arg(stray);
        if (errors > 0)
            problems << QStringLiteral("%1 error, nack or retry frames (first: %2)")
                            .arg(errors)
                            .arg(firstError);
        return problems.join(QLatin1String("; "));
    }
};

// Which worker holds which clients.
struct Share
{
    int first = 0;
    int count = 0;
    int worker = 0;
};

int ownerOf(const QList<Share> &shares, int index)
{
    for (const Share &share : shares) {
        if (index >= share.first && index < share.first + share.count)
            return share.worker;
    }
    return -1;
}

// The lines of one worker phase (fanoutworker.h): waits on them with a bound, hands each to
// `handle` split into its words, and stops early on a worker that died. Returns false on timeout or
// a dead worker, with the reason in *error. Lines that come between phases answer nothing the
// coordinator waits for.
bool collect(WorkerPool &pool, int timeoutMs, const QString &waitingFor,
             const std::function<void(const QList<QByteArray> &)> &handle,
             const std::function<bool()> &done, QString *error)
{
    QObject context;
    QObject::connect(&pool, &WorkerPool::lineReceived, &context,
                     [&handle](int, const QByteArray &text) {
                         const QByteArray line = text.trimmed();
                         if (!line.isEmpty())
                             handle(line.split(' '));
                     });
    return pool.waitUntil(done, timeoutMs, waitingFor, error);
}

// collect() until every worker wrote a line of this kind, the answer to a command to all.
bool collectFromAll(WorkerPool &pool, const QByteArray &kind, int timeoutMs,
                    const QString &waitingFor, QString *error,
                    const std::function<void(const QList<QByteArray> &)> &handle = {})
{
    int answered = 0;
    return collect(
        pool, timeoutMs, waitingFor,
        [&](const QList<QByteArray> &line) {
            if (handle)
                handle(line);
            if (line.constFirst() == kind)
                ++answered;
        },
        [&] { return answered == pool.size(); }, error);
}

// The workers that hold the clients (fanoutworker.h), each started with `--worker`.
bool startWorkers(WorkerPool *pool, const Options &options, const QList<QUrl> &urls, QString *error)
{
    QStringList texts;
    for (const QUrl &url : urls)
        texts.append(url.toString());
    const QStringList arguments = BenchCommandLine::workerArguments(texts)
        << QStringLiteral("--connect-burst") << QString::number(options.connectBurst);
    for (int i = 0; i < options.workers; ++i) {
        if (!pool->start(arguments, error))
            return false;
    }
    return true;
}

struct ConnectOutcome
{
    double seconds = 0;
    QString error; // empty when every client connected and synced
};

// Opens clients first..first+count-1, spread evenly over the workers, each synced from since.
// A client that is lost after it synced shows in the workers' status and report.
ConnectOutcome connectClients(WorkerPool &pool, int first, int count, qint64 since, int timeoutMs,
                              QList<Share> *shares)
{
    ConnectOutcome outcome;
    QElapsedTimer clock;
    clock.start();
    for (int worker = 0; worker < pool.size(); ++worker) {
        const int from = first + int(qint64(count) * worker / pool.size());
        const int to = first + int(qint64(count) * (worker + 1) / pool.size());
        shares->append({from, to - from, worker});
        pool.send(worker,
                  "connect " + QByteArray::number(from) + ' ' + QByteArray::number(to - from) + ' '
                      + QByteArray::number(since));
    }
    int connected = 0;
    QString firstError;
    const bool done = collectFromAll(
        pool, "connected", timeoutMs, QStringLiteral("%1 clients to connect and sync").arg(count),
        &outcome.error, [&](const QList<QByteArray> &line) {
            if (line.constFirst() == "connected" && line.size() >= 3) {
                connected += line.at(1).toInt();
                if (firstError.isEmpty() && line.size() > 3)
                    firstError = QString::fromUtf8(line.mid(3).join(' '));
            }
        });
    outcome.seconds = double(clock.elapsed()) / 1000.0;
    if (done && connected != count)
        outcome.error = QStringLiteral("only %1 of %2 clients connected and synced (first "
                                       "error: %3)")
                            .arg(connected)
                            .arg(count)
                            .arg(firstError);
    return outcome;
}

// How lifeline-server runs for `clients`: no rate limit (the peer has none); every client comes
// from 127.0.0.1; the clients send no heartbeat, so the idle timeout must not close them during
// the run.
QStringList lifelineArguments(int clients)
{
    return connectionLimits(clients + 1000)
        + QStringList {QStringLiteral("--rate"), QStringLiteral("0"),
                       QStringLiteral("--idle-timeout"), QStringLiteral("3600000")};
}

// The servers under test, started fresh on the placement's server CPUs: lifeline-server as
// `deployment` says, on an empty data directory and set up for `clients`, or a peer. Empty with
// the reason in *error if one does not listen.
std::vector<std::unique_ptr<BundledServer>>
startServers(Server which, int clients, const QString &dataDir, const Options &options,
             const Deployment &deployment, const Placement &placement, QString *error)
{
    const ScopedCpuAffinity onServerCpus(placement.server);
    std::vector<std::unique_ptr<BundledServer>> servers;
    switch (which) {
    case Server::Lifeline:
        return startDeployment(deployment.postgres, deployment.instances, dataDir,
                               lifelineArguments(clients), error);
    case Server::NodePeer:
        if (auto peer = startNodePeer(options.peerDir, error))
            servers.push_back(std::move(peer));
        break;
    case Server::GoPeer:
        if (auto peer = startGoPeer(options.goPeerProgram, error))
            servers.push_back(std::move(peer));
        break;
    }
    return servers;
}

// CPU time of the measured window in seconds a second, or cores: who had the machine.
struct CoresUsed
{
    double server = 0;
    double generator = 0;
    double coordinator = 0;
    double machineIdle = 0;
    double machineSoftirq = 0;
    // Runnable but waiting for a core, summed over the server's and the workers' threads.
    double serverWaiting = 0;
    double generatorWaiting = 0;
};

// What a run of one server says, whatever it measures.
struct RunResult
{
    Server server = Server::Lifeline;
    // The server and how it runs, for the tables; and for the JSON.
    QString label;
    QString key;
    bool setupFailed = false;
    QString failure; // why the run did not complete; empty when it did
};

// Starts one run: the servers under test on the placement's server CPUs, and the workers, whose
// clients spread over the servers' URLs. The caller keeps the generator's CPUs for the whole run
// (ScopedCpuAffinity), so that the workers it starts here run there. False with the reason in
// result->failure when either does not start.
bool startRun(Server which, int clients, const QString &dataDir, const Options &options,
              const Deployment &deployment, const Placement &placement,
              std::vector<std::unique_ptr<BundledServer>> *servers, WorkerPool *pool,
              RunResult *result)
{
    result->server = which;
    result->key = runKey(which, placement, options);
    result->label = which == Server::Lifeline && deployment.postgres
        ? QStringLiteral("%1, %2").arg(serverName(which), deployment.name())
        : runLabel(which, placement, options);
    *servers
        = startServers(which, clients, dataDir, options, deployment, placement, &result->failure);
    QList<QUrl> urls;
    for (const auto &server : std::as_const(*servers))
        urls.append(server->url());
    result->setupFailed = servers->empty() || !startWorkers(pool, options, urls, &result->failure);
    return !result->setupFailed;
}

struct LatencyResult : RunResult
{
    double connectSeconds = 0;
    qint64 measuredSent = 0;
    qint64 expected = 0;
    qint64 received = 0;
    qint64 incompleteClients = 0;
    WorkerTotals totals;
    FanoutHistogram latency;
    // The receipts of `latency` on the sender's own instance and on the others: with several
    // instances, what crossing through PostgreSQL adds.
    FanoutHistogram latencyOwn;
    FanoutHistogram latencyAcross;
    CoresUsed cores;
    double windowSeconds = 0;
    // lifeline-server's messages per commit over the run, each commit's batch one send() per
    // client (from the servers' summaries at exit); 0 for a peer.
    double messagesPerCommit = 0;

    bool complete() const
    {
        return failure.isEmpty() && received == expected && incompleteClients == 0
            && totals.problems().isEmpty();
    }
    // The server's CPU time per message delivered to a client, in the measured window.
    double serverCpuUsPerDelivery() const
    {
        return received > 0 && windowSeconds > 0
            ? cores.server * windowSeconds * 1e6 / double(received)
            : 0.0;
    }
};

// A server under test with its clients connected and synced, for one latency measurement or a
// sweep of them on the same connections. The coordinator, and the workers it starts, stay on
// the generator's CPUs while the session lasts.
struct LatencySession
{
    explicit LatencySession(const Placement &placement)
        : onGeneratorCpus(placement.generator)
    { }

    const ScopedCpuAffinity onGeneratorCpus;
    std::vector<std::unique_ptr<BundledServer>> servers;
    WorkerPool pool;
    QList<qint64> serverPids;
};

// Starts the servers and the workers and connects options.clients clients. False with the
// reason in *result (setupFailed when nothing could start) when they are not all live.
bool openLatencySession(LatencySession *session, Server which, const Options &options,
                        const QString &dataDir, const Placement &placement,
                        const Deployment &deployment, LatencyResult *result)
{
    if (!startRun(which, options.clients, dataDir, options, deployment, placement,
                  &session->servers, &session->pool, result))
        return false;
    for (const auto &server : session->servers)
        session->serverPids.append(server->processId());
    QList<Share> shares;
    const ConnectOutcome connected = connectClients(session->pool, 0, options.clients, 0,
                                                    options.connectTimeoutSeconds * 1000, &shares);
    result->connectSeconds = connected.seconds;
    if (!connected.error.isEmpty()) {
        result->failure = connected.error;
        return false;
    }
    waitFor([] { return false; }, SettleMs);
    return true;
}

// One latency measurement on an open session: options.senders clients send `rate` messages a
// second each, for options.warmupSeconds and then options.seconds measured.
void measureLatency(LatencySession &session, const Options &options, int rate,
                    LatencyResult *resultOut)
{
    LatencyResult &result = *resultOut;
    WorkerPool &pool = session.pool;
    const QList<qint64> &pids = session.serverPids;
    const qint64 warmupUs = qint64(options.warmupSeconds) * 1'000'000;
    const qint64 measureUs = qint64(options.seconds) * 1'000'000;
    const qint64 startUs = monotonicNowUs() + StartDelayUs;
    pool.sendToAll("latency " + QByteArray::number(options.senders) + ' ' + QByteArray::number(rate)
                   + ' ' + QByteArray::number(startUs) + ' ' + QByteArray::number(warmupUs) + ' '
                   + QByteArray::number(measureUs) + ' ' + QByteArray::number(options.clients));

    // CPU time over the measured period only, read while the lines are collected.
    const QList<qint64> workerPids = pool.processIds();
    const qint64 coordinatorPid = QCoreApplication::applicationPid();
    // The seconds used so far.
    const auto cpuNow = [&] {
        const FanoutMachineCpu machine = fanoutMachineCpu();
        return CoresUsed {processCpuSeconds(pids),
                          processCpuSeconds(workerPids),
                          processCpuSeconds(coordinatorPid),
                          machine.idle,
                          machine.softirq,
                          processWaitingSeconds(pids),
                          processWaitingSeconds(workerPids)};
    };
    std::optional<CoresUsed> cpuAtStart;
    qint64 cpuStartUs = 0;
    int sendersDone = 0;
    const auto sampleCpu = [&] {
        const qint64 nowUs = monotonicNowUs();
        if (!cpuAtStart && nowUs >= startUs + warmupUs) {
            cpuAtStart = cpuNow();
            cpuStartUs = nowUs;
        }
        if (cpuAtStart && result.windowSeconds == 0 && nowUs >= startUs + warmupUs + measureUs) {
            const CoresUsed end = cpuNow();
            const CoresUsed &start = *cpuAtStart;
            const double window = double(nowUs - cpuStartUs) / 1e6;
            result.cores = {(end.server - start.server) / window,
                            (end.generator - start.generator) / window,
                            (end.coordinator - start.coordinator) / window,
                            (end.machineIdle - start.machineIdle) / window,
                            (end.machineSoftirq - start.machineSoftirq) / window,
                            (end.serverWaiting - start.serverWaiting) / window,
                            (end.generatorWaiting - start.generatorWaiting) / window};
            result.windowSeconds = window;
        }
    };
    const int sendTimeoutMs = int((StartDelayUs + warmupUs + measureUs) / 1000) + DrainTimeoutMs;
    if (!collect(
            pool, sendTimeoutMs, QStringLiteral("the senders to finish"),
            [&](const QList<QByteArray> &line) {
                if (line.constFirst() == "sender-done" && line.size() == 3)
                    result.measuredSent += line.at(2).toLongLong();
                else if (line.constFirst() == "senders-done")
                    ++sendersDone;
            },
            [&] {
                sampleCpu();
                return sendersDone == pool.size() && result.windowSeconds > 0;
            },
            &result.failure))
        return;

    result.expected = result.measuredSent * options.clients;
    pool.sendToAll("expect " + QByteArray::number(result.measuredSent));
    QString drainError;
    // Not fatal by itself: the report below says what is missing.
    collectFromAll(pool, "complete", DrainTimeoutMs,
                   QStringLiteral("every client to receive every message"), &drainError);

    pool.sendToAll("report");
    if (!collectFromAll(
            pool, "report", ReportTimeoutMs, QStringLiteral("the workers' reports"),
            &result.failure, [&](const QList<QByteArray> &line) {
                const QByteArray &kind = line.constFirst();
                if (kind == "hist" && line.size() >= 2) {
                    FanoutHistogram part;
                    if (!part.mergeLine(line.mid(2).join(' ')))
                        qFatal("bench_fanout: a worker sent a malformed histogram");
                    result.latency.merge(part);
                    (line.at(1) == "across" ? result.latencyAcross : result.latencyOwn).merge(part);
                } else if (kind == "report") {
                    const QHash<QByteArray, QByteArray> values = keyValues(line);
                    result.received += values.value("received").toLongLong();
                    result.incompleteClients += values.value("incomplete").toLongLong();
                    result.totals.add(values);
                }
            }))
        return;
    if (!result.complete() && result.failure.isEmpty() && !drainError.isEmpty())
        result.failure = drainError;
}

// Stops lifeline-server's instances and adds up what each said at exit of its commits
// (lifeline.server.stats, left on by main()): messages per commit, or 0 if none said.
double stopAndCountCommits(const std::vector<std::unique_ptr<BundledServer>> &servers)
{
    CommitSummary summary;
    for (const auto &server : servers) {
        summary.listenTo(*server);
        server->stop();
    }
    for (const auto &server : servers) {
        if (!waitForStopped(*server, ShutdownTimeoutMs))
            std::fprintf(stderr, "bench_fanout: lifeline-server did not stop\n");
    }
    return summary.messagesPerCommit();
}

LatencyResult runLatency(Server which, const Options &options, const QString &dataDir,
                         const Placement &placement, const Deployment &deployment = {})
{
    LatencyResult result;
    LatencySession session(placement);
    if (openLatencySession(&session, which, options, dataDir, placement, deployment, &result))
        measureLatency(session, options, options.rate, &result);
    if (which == Server::Lifeline)
        result.messagesPerCommit = stopAndCountCommits(session.servers);
    return result;
}

struct CapacityStep
{
    int clients = 0;
    double connectSeconds = 0;
    QList<qint64> roundTripsUs; // sorted
    double serverCpuSeconds = 0;
    double wallSeconds = 0;
    qint64 worstLagUs = 0;
    double generatorCpuUsPerFrame = 0;
    bool passed = false;
    // Ended once more broadcasts were over the limit than the p95 allows.
    bool stoppedEarly = false;
    QString failure;
    // Messages twice or where they do not belong, error frames or dropped clients: a server
    // that does this fails the run, not just the step.
    bool deliveryFailed = false;

    // Nearest rank; 0 without samples.
    double percentileMs(double fraction) const
    {
        if (roundTripsUs.isEmpty())
            return 0;
        const qsizetype rank = std::clamp<qsizetype>(
            qsizetype(std::ceil(fraction * double(roundTripsUs.size()))), 1, roundTripsUs.size());
        return double(roundTripsUs.at(rank - 1)) / 1000.0;
    }
};

struct CapacityResult : RunResult
{
    QList<CapacityStep> steps;
    int capacity = 0;
    // Why the search ended without a failing step: the cap or the time budget.
    QString lowerBoundReason;
};

CapacityStep runCapacityStep(WorkerPool &pool, BundledServer &server, int step,
                             const Options &options, QList<Share> *shares, int clientsBefore,
                             qint64 *maxSeq, std::mt19937 *random)
{
    CapacityStep result;
    result.clients = clientsBefore + options.step;
    const ConnectOutcome connected
        = connectClients(pool, clientsBefore, options.step, *maxSeq,
                         options.stepConnectTimeoutSeconds * 1000, shares);
    result.connectSeconds = connected.seconds;
    if (!connected.error.isEmpty()) {
        result.failure = QStringLiteral("connecting: %1").arg(connected.error);
        return result;
    }
    waitFor([] { return false; }, SettleMs);

    const QByteArray stepText = QByteArray::number(step);
    pool.sendToAll("begin-step " + stepText);
    // A worker that read a broadcast before this command would take it for a stray.
    if (!collectFromAll(pool, "began", ReportTimeoutMs,
                        QStringLiteral("the workers to begin the step"), &result.failure))
        return result;
    struct Sample
    {
        qint64 issuedUs = 0;
        qint64 sentUs = 0;
        int workersDone = 0;
        qint64 lastUs = 0;
        bool counted = false;
    };
    QList<Sample> samples(options.samples);
    int issued = 0;
    int finished = 0;
    // A client gone in the middle: its broadcasts can never complete, no need to wait.
    bool lost = false;
    const auto issue = [&] {
        const int index = int((*random)() % quint32(result.clients));
        samples[issued].issuedUs = monotonicNowUs();
        pool.send(ownerOf(*shares, index),
                  "bcast " + stepText + ' ' + QByteArray::number(issued) + ' '
                      + QByteArray::number(index));
        ++issued;
    };
    const auto finishIfDone = [&](int k) {
        Sample &sample = samples[k];
        if (sample.counted || sample.sentUs <= 0 || sample.workersDone < pool.size())
            return;
        sample.counted = true;
        result.roundTripsUs.append(sample.lastUs - sample.sentUs);
        ++finished;
        if (issued < options.samples)
            issue();
    };
    // More broadcasts over the limit than the p95 allows: the step has failed, whatever the
    // rest would take, so a slow server does not hold up the run.
    const qint64 limitUs = qint64(options.limitMs) * 1000;
    const int allowedOver = options.samples - int(std::ceil(0.95 * double(options.samples)));
    const auto overLimitAlready = [&](qint64 nowUs) {
        int over = 0;
        for (int k = 0; k < issued; ++k) {
            const Sample &sample = samples[k];
            if (sample.counted ? sample.lastUs - sample.sentUs >= limitUs
                               : sample.sentUs > 0 && nowUs - sample.sentUs >= limitUs)
                ++over;
        }
        return over > allowedOver;
    };
    const double cpuBefore = processCpuSeconds(server.processId());
    QElapsedTimer wall;
    wall.start();
    while (issued < std::min(options.concurrency, options.samples))
        issue();
    QString waitError;
    const bool done = collect(
        pool, int(SampleTimeoutUs / 1000) * options.samples,
        QStringLiteral("%1 broadcasts to reach every client").arg(options.samples),
        [&](const QList<QByteArray> &line) {
            const QByteArray &kind = line.constFirst();
            if (kind == "lost") {
                lost = true;
                return;
            }
            if ((kind != "sent" && kind != "got") || line.size() != 4 || line.at(1) != stepText)
                return;
            const int k = line.at(2).toInt();
            if (k < 0 || k >= issued)
                return;
            if (kind == "sent") {
                samples[k].sentUs = line.at(3).toLongLong();
                if (samples[k].sentUs < 0 && result.failure.isEmpty())
                    result.failure = QStringLiteral("broadcast %1: its sender is no longer "
                                                    "connected")
                                         .arg(k);
            } else {
                ++samples[k].workersDone;
                samples[k].lastUs = std::max(samples[k].lastUs, line.at(3).toLongLong());
            }
            finishIfDone(k);
        },
        [&] {
            const qint64 nowUs = monotonicNowUs();
            for (int k = 0; k < issued && result.failure.isEmpty(); ++k) {
                if (!samples[k].counted && nowUs - samples[k].issuedUs > SampleTimeoutUs)
                    result.failure = QStringLiteral("broadcast %1 did not reach every client "
                                                    "within %2 s (%3 of %4 workers had it "
                                                    "everywhere; %5)")
                                         .arg(k)
                                         .arg(SampleTimeoutUs / 1'000'000)
                                         .arg(samples[k].workersDone)
                                         .arg(pool.size())
                                         .arg(samples[k].sentUs > 0
                                                  ? QStringLiteral("it was sent")
                                                  : QStringLiteral("its sender never said it "
                                                                   "sent it"));
            }
            return finished == options.samples || !result.failure.isEmpty() || lost
                || overLimitAlready(nowUs);
        },
        &waitError);
    if (overLimitAlready(monotonicNowUs())) {
        // Those still under way took at least this long: lower bounds of their round trips.
        const qint64 nowUs = monotonicNowUs();
        for (int k = 0; k < issued; ++k) {
            if (!samples[k].counted && samples[k].sentUs > 0)
                result.roundTripsUs.append(nowUs - samples[k].sentUs);
        }
        result.stoppedEarly = true;
    }
    result.wallSeconds = double(wall.elapsed()) / 1000.0;
    result.serverCpuSeconds = processCpuSeconds(server.processId()) - cpuBefore;
    std::sort(result.roundTripsUs.begin(), result.roundTripsUs.end());
    if (!done && result.failure.isEmpty())
        result.failure = waitError;

    pool.sendToAll("status");
    WorkerTotals totals;
    QString statusError;
    if (!collectFromAll(pool, "status", ReportTimeoutMs, QStringLiteral("the workers' status"),
                        &statusError, [&totals](const QList<QByteArray> &line) {
                            if (line.constFirst() == "status")
                                totals.add(keyValues(line));
                        })) {
        if (result.failure.isEmpty())
            result.failure = statusError;
        return result;
    }
    *maxSeq = totals.maxSeq;
    result.worstLagUs = totals.worstLagUs;
    result.generatorCpuUsPerFrame = totals.cpuUsPerFrame();
    // The workers count losses since they started; a loss in an earlier step ended the search.
    result.deliveryFailed = !totals.problems().isEmpty();
    if (result.deliveryFailed)
        result.failure = totals.problems();
    result.passed = result.failure.isEmpty() && result.percentileMs(0.95) < options.limitMs;
    return result;
}

CapacityResult runCapacity(Server which, const Options &options, const QString &dataDir,
                           const Placement &placement)
{
    CapacityResult result;
    const ScopedCpuAffinity onGeneratorCpus(placement.generator);
    std::vector<std::unique_ptr<BundledServer>> servers;
    WorkerPool pool;
    if (!startRun(which, options.maxClients, dataDir, options, {}, placement, &servers, &pool,
                  &result))
        return result;
    QList<Share> shares;
    qint64 maxSeq = 0;
    // The same broadcasters for every server.
    std::mt19937 random(20240601);
    QElapsedTimer budget;
    budget.start();
    for (int step = 1;; ++step) {
        const int clients = step * options.step;
        if (clients > options.maxClients) {
            result.lowerBoundReason = QStringLiteral("the cap of %1 clients (--max-clients)")
                                          .arg(number(options.maxClients));
            break;
        }
        if (budget.elapsed() > qint64(options.budgetSeconds) * 1000) {
            result.lowerBoundReason = QStringLiteral("the time budget of %1 s (--capacity-budget)")
                                          .arg(options.budgetSeconds);
            break;
        }
        const CapacityStep measured = runCapacityStep(pool, *servers[0], step, options, &shares,
                                                      clients - options.step, &maxSeq, &random);
        result.steps.append(measured);
        std::printf(
            "  %s: %6s clients  connect %5.1f s  p50 %7.1f ms  p95 %7.1f ms  server "
            "CPU %3.0f %%  worst lag %5.1f ms  workers %5.2f us/frame  %s\n",
            qUtf8Printable(result.label), qUtf8Printable(number(clients)), measured.connectSeconds,
            measured.percentileMs(0.5), measured.percentileMs(0.95),
            measured.wallSeconds > 0 ? 100.0 * measured.serverCpuSeconds / measured.wallSeconds
                                     : 0.0,
            double(measured.worstLagUs) / 1000.0, measured.generatorCpuUsPerFrame,
            measured.passed
                ? "pass"
                : qUtf8Printable(measured.failure.isEmpty()
                                     ? QStringLiteral("FAIL: p95 over %1 ms%2")
                                           .arg(options.limitMs)
                                           .arg(measured.stoppedEarly
                                                    ? QStringLiteral(" (stopped after %1 "
                                                                     "broadcasts)")
                                                          .arg(measured.roundTripsUs.size())
                                                    : QString())
                                     : QStringLiteral("FAIL: ") + measured.failure));
        std::fflush(stdout);
        if (!measured.passed)
            break;
        result.capacity = clients;
    }
    return result;
}

// What one frame costs the generator, the direct scan against a full JSON parse.
QJsonObject measureParseCost()
{
    FanoutText text;
    text.sentUs = monotonicNowUs();
    // As it comes off the socket: UTF-8.
    const QByteArray frame
        = lifeline::protocol::message(QStringLiteral("l3-1234"), QStringLiteral("lobby"),
                                      QStringLiteral("u300"), text.toText(), 123456, 1700000000000)
              .toUtf8();
    constexpr int Rounds = 200000;
    qint64 sink = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < Rounds; ++i) {
        FanoutText found;
        FanoutText::find(frame, &found);
        sink += found.sentUs;
    }
    const double scanNs = double(clock.nsecsElapsed()) / Rounds;
    clock.restart();
    for (int i = 0; i < Rounds; ++i) {
        const QJsonDocument document = QJsonDocument::fromJson(frame);
        sink += document.object().value(QLatin1String("seq")).toInteger();
    }
    const double jsonNs = double(clock.nsecsElapsed()) / Rounds;
    // Used, so that neither loop is optimised away.
    Q_UNUSED(sink);
    return {{QStringLiteral("scanNsPerFrame"), scanNs},
            {QStringLiteral("qjsondocumentNsPerFrame"), jsonNs},
            {QStringLiteral("frameBytes"), frame.size()}};
}

// What `program --version` says: node's version, or the Go the Go peer was built with.
QString versionOf(const QString &program)
{
    QProcess process;
    process.start(program, {QStringLiteral("--version")});
    if (!process.waitForFinished(10000))
        return QStringLiteral("(unknown version)");
    return QString::fromUtf8(process.readAllStandardOutput().trimmed());
}

QJsonObject latencyJson(const LatencyResult &r)
{
    return {{QStringLiteral("p50Ms"), r.latency.percentileMs(0.5)},
            {QStringLiteral("ownInstanceP50Ms"), r.latencyOwn.percentileMs(0.5)},
            {QStringLiteral("ownInstanceP99Ms"), r.latencyOwn.percentileMs(0.99)},
            {QStringLiteral("ownInstanceReceipts"), r.latencyOwn.count()},
            {QStringLiteral("otherInstanceP50Ms"), r.latencyAcross.percentileMs(0.5)},
            {QStringLiteral("otherInstanceP99Ms"), r.latencyAcross.percentileMs(0.99)},
            {QStringLiteral("otherInstanceReceipts"), r.latencyAcross.count()},
            {QStringLiteral("p99Ms"), r.latency.percentileMs(0.99)},
            {QStringLiteral("maxMs"), double(r.latency.maxUs()) / 1000.0},
            {QStringLiteral("receipts"), r.latency.count()},
            {QStringLiteral("measuredSent"), r.measuredSent},
            {QStringLiteral("expectedReceived"), r.expected},
            {QStringLiteral("received"), r.received},
            {QStringLiteral("complete"), r.complete()},
            {QStringLiteral("failure"), r.failure.isEmpty() ? r.totals.problems() : r.failure},
            {QStringLiteral("connectSeconds"), r.connectSeconds},
            {QStringLiteral("serverCpuCores"), r.cores.server},
            {QStringLiteral("generatorCpuCores"), r.cores.generator},
            {QStringLiteral("coordinatorCpuCores"), r.cores.coordinator},
            {QStringLiteral("machineIdleCores"), r.cores.machineIdle},
            {QStringLiteral("machineSoftirqCores"), r.cores.machineSoftirq},
            {QStringLiteral("machineCores"), QThread::idealThreadCount()},
            {QStringLiteral("serverWaitingForCore"), r.cores.serverWaiting},
            {QStringLiteral("generatorWaitingForCore"), r.cores.generatorWaiting},
            {QStringLiteral("worstWorkerLagMs"), double(r.totals.worstLagUs) / 1000.0},
            {QStringLiteral("worstWorkerLagP99Ms"), double(r.totals.worstLagP99Us) / 1000.0},
            {QStringLiteral("generatorFrames"), r.totals.frames},
            {QStringLiteral("serverCpuUsPerDelivery"), r.serverCpuUsPerDelivery()},
            {QStringLiteral("messagesPerCommit"), r.messagesPerCommit},
            {QStringLiteral("generatorCpuUsPerFrame"), r.totals.cpuUsPerFrame()}};
}

QJsonObject capacityJson(const CapacityResult &r)
{
    QJsonArray steps;
    for (const CapacityStep &step : r.steps)
        steps.append(QJsonObject {
            {QStringLiteral("clients"), step.clients},
            {QStringLiteral("connectSeconds"), step.connectSeconds},
            {QStringLiteral("samples"), step.roundTripsUs.size()},
            {QStringLiteral("p50Ms"), step.percentileMs(0.5)},
            {QStringLiteral("p95Ms"), step.percentileMs(0.95)},
            {QStringLiteral("maxMs"), step.percentileMs(1.0)},
            {QStringLiteral("serverCpuCores"),
             step.wallSeconds > 0 ? step.serverCpuSeconds / step.wallSeconds : 0.0},
            {QStringLiteral("worstWorkerLagMs"), double(step.worstLagUs) / 1000.0},
            {QStringLiteral("generatorCpuUsPerFrame"), step.generatorCpuUsPerFrame},
            {QStringLiteral("passed"), step.passed},
            {QStringLiteral("stoppedEarly"), step.stoppedEarly},
            {QStringLiteral("deliveryFailed"), step.deliveryFailed},
            {QStringLiteral("failure"), step.failure},
        });
    return {{QStringLiteral("capacity"), r.capacity},
            {QStringLiteral("lowerBound"), !r.lowerBoundReason.isEmpty()},
            {QStringLiteral("stoppedBy"), r.lowerBoundReason},
            {QStringLiteral("steps"), steps}};
}

// The latency table, who had the machine's cores, and each result that lost or repeated a
// message. Returns whether lifeline-server delivered every message exactly once: a peer that
// did not is a result, not a failed run.
bool printLatencyResults(const QList<LatencyResult> &results)
{
    std::printf("%-34s %8s %8s %8s %23s %11s %12s %12s %12s\n", "server", "p50 ms", "p99 ms",
                "max ms", "received/expected", "server CPU", "workers CPU", "worst lag",
                "CPU/frame");
    for (const LatencyResult &r : results)
        std::printf("%-34s %8.2f %8.2f %8.2f %11s/%-11s %9.0f %% %10.0f %% %9.1f ms %9.2f us\n",
                    qUtf8Printable(r.label), r.latency.percentileMs(0.5),
                    r.latency.percentileMs(0.99), double(r.latency.maxUs()) / 1000.0,
                    qUtf8Printable(number(r.received)), qUtf8Printable(number(r.expected)),
                    100.0 * r.cores.server, 100.0 * r.cores.generator,
                    double(r.totals.worstLagUs) / 1000.0, r.totals.cpuUsPerFrame());
    // A side that is short of CPU shows here. Softirq is inside the processes' figures: it says
    // how much of them is loopback TCP. Waiting: seconds a second that runnable threads waited
    // for a core; near 0 while the machine has a core for everyone who wants one.
    std::printf("Cores used in the measured window, of %d on this machine:\n",
                QThread::idealThreadCount());
    for (const LatencyResult &r : results) {
        if (r.windowSeconds <= 0)
            continue;
        const CoresUsed &c = r.cores;
        const double others
            = QThread::idealThreadCount() - c.server - c.generator - c.coordinator - c.machineIdle;
        std::printf("  %-34s server %.2f  workers %.2f  coordinator %.2f  other processes %.2f  "
                    "idle %.2f  (softirq %.2f, counted in those); waiting for a core: server "
                    "%.2f, workers %.2f\n",
                    qUtf8Printable(r.label), c.server, c.generator, c.coordinator,
                    std::max(others, 0.0), c.machineIdle, c.machineSoftirq, c.serverWaiting,
                    c.generatorWaiting);
    }
    bool complete = true;
    for (const LatencyResult &r : results) {
        if (r.complete())
            continue;
        if (r.server == Server::Lifeline)
            complete = false;
        std::printf("%s DID NOT DELIVER EVERY MESSAGE EXACTLY ONCE: %s of %s expected "
                    "receipts (%s clients incomplete)%s%s\n",
                    qUtf8Printable(r.label), qUtf8Printable(number(r.received)),
                    qUtf8Printable(number(r.expected)), qUtf8Printable(number(r.incompleteClients)),
                    r.failure.isEmpty() ? "" : "; ", qUtf8Printable(r.failure));
        if (!r.totals.problems().isEmpty())
            std::printf("  %s\n", qUtf8Printable(r.totals.problems()));
    }
    return complete;
}

QString capacityText(const CapacityResult &r)
{
    return r.lowerBoundReason.isEmpty() ? number(r.capacity)
                                        : QStringLiteral(">= %1").arg(number(r.capacity));
}

} // namespace

// --part cluster: the latency load on one instance on SQLite (the baseline), one on
// PostgreSQL, and three on PostgreSQL. False on a setup error, said on stderr. Nothing is pinned:
// the deployments compare with each other, not with a peer, and three instances with their
// PostgreSQL on one core would measure that core.
bool runClusterPart(Options options, const QString &dataDir, BenchReport *report,
                    bool *completeness)
{
    options.pinned = false;
    std::printf("Fan-out across instances: %s clients, %d senders x %d messages/s, clients and "
                "senders spread over the instances; PostgreSQL with fsync and synchronous_commit "
                "on; every process may use every core\n",
                qUtf8Printable(number(options.clients)), options.senders, options.rate);
    std::fflush(stdout);
    PostgresCluster postgres;
    if (!postgres.start()) {
        setupFailed(QStringLiteral("PostgreSQL: %1").arg(postgres.errorString()));
        return false;
    }
    QList<LatencyResult> results;
    for (const Deployment &deployment :
         {Deployment(), Deployment {&postgres, 1}, Deployment {&postgres, 3}}) {
        results.append(runLatency(Server::Lifeline, options,
                                  QStringLiteral("%1-%2").arg(dataDir).arg(results.size()),
                                  Placement(), deployment));
        if (results.constLast().setupFailed) {
            setupFailed(results.constLast().failure);
            return false;
        }
    }
    if (!printLatencyResults(results))
        *completeness = false;
    for (const LatencyResult &r : std::as_const(results)) {
        if (r.latencyAcross.count() == 0)
            continue;
        std::printf("%s: receivers on the sender's instance p50 %.2f / p99 %.2f ms (%s), on "
                    "another instance p50 %.2f / p99 %.2f ms (%s)\n",
                    qUtf8Printable(r.label), r.latencyOwn.percentileMs(0.5),
                    r.latencyOwn.percentileMs(0.99), qUtf8Printable(number(r.latencyOwn.count())),
                    r.latencyAcross.percentileMs(0.5), r.latencyAcross.percentileMs(0.99),
                    qUtf8Printable(number(r.latencyAcross.count())));
    }
    const auto p50 = [](const LatencyResult &r) { return r.latency.percentileMs(0.5); };
    const auto p99 = [](const LatencyResult &r) { return r.latency.percentileMs(0.99); };
    const LatencyResult &sqlite = results.at(0);
    const LatencyResult &single = results.at(1);
    const LatencyResult &three = results.at(2);
    const bool met = three.complete() && sqlite.complete() && p99(three) <= p99(sqlite) + 5.0
        && p99(three) < 50.0;
    std::printf("p99 target (3 instances <= 1 on SQLite + 5 ms, and < 50 ms): %.2f ms vs %.2f ms: "
                "%s\n",
                p99(three), p99(sqlite), met ? "met" : "MISSED");
    // Three instances, PostgreSQL and the generator on one machine can want more cores than it
    // has at the moment a message fans out; the figure then holds the run queue's wait.
    if (three.cores.serverWaiting > 0.25)
        std::printf("The instances waited %.2f s a second for a core (1 on SQLite: %.2f): this "
                    "machine has fewer cores than the deployment has busy processes, so the "
                    "figure is largely the scheduler's (docs/scaling.md).\n",
                    three.cores.serverWaiting, sqlite.cores.serverWaiting);
    std::printf("\n");
    std::fflush(stdout);
    const QString measure
        = QStringLiteral("fan-out %1 across 3 instances on PostgreSQL, %2 clients");
    report->addRow({measure.arg(QStringLiteral("p50"), number(options.clients)),
                    QStringLiteral("ms"), p50(three), p50(sqlite),
                    QStringLiteral("1 instance on SQLite"), QString(), std::nullopt});
    report->addRow(
        {measure.arg(QStringLiteral("p99"), number(options.clients)), QStringLiteral("ms"),
         p99(three), p99(sqlite), QStringLiteral("1 instance on SQLite"),
         QStringLiteral("<= baseline + 5 ms and < 50 ms, every message received once"), met});
    report->addRow({QStringLiteral("fan-out p99, 1 instance on PostgreSQL, %1 clients")
                        .arg(number(options.clients)),
                    QStringLiteral("ms"), p99(single), p99(sqlite),
                    QStringLiteral("1 instance on SQLite"), QString(), std::nullopt});
    report->setDetail(QStringLiteral("clusterSqlite"), latencyJson(sqlite));
    report->setDetail(QStringLiteral("clusterPostgresOne"), latencyJson(single));
    report->setDetail(QStringLiteral("clusterPostgresThree"), latencyJson(three));
    return true;
}

// The latency result lifeline-server is judged against: of the two peers' that delivered every
// message, the one with the lower p99; when neither did, the one that delivered more.
const LatencyResult &betterPeer(const LatencyResult &a, const LatencyResult &b)
{
    if (a.complete() != b.complete())
        return a.complete() ? a : b;
    if (a.complete())
        return a.latency.percentileMs(0.99) <= b.latency.percentileMs(0.99) ? a : b;
    return a.received >= b.received ? a : b;
}

// A peer's name in a report row, with what it did not do.
QString baselineName(const LatencyResult &peer)
{
    return peer.complete() ? peer.label
                           : QStringLiteral("%1, did not deliver every message").arg(peer.label);
}

// What the kernel alone costs for lifeline-server's deliveries in its latency run: the same
// clients and message rate, sent in batches of its messages per commit. False on a setup error,
// said on stderr.
bool runKernelFloor(const Options &options, const Placement &pinned, const LatencyResult &lifeline,
                    BenchReport *report)
{
    if (lifeline.messagesPerCommit <= 0) {
        setupFailed(QStringLiteral("lifeline-server said nothing of its commits at exit "
                                   "(lifeline.server.stats); the kernel-only floor needs its "
                                   "messages per commit"));
        return false;
    }
    FanoutFloor::Settings settings;
    settings.clients = options.clients;
    settings.messagesPerSecond = options.senders * options.rate;
    settings.messagesPerBatch = lifeline.messagesPerCommit;
    settings.warmupSeconds = options.warmupSeconds;
    settings.seconds = options.seconds;
    settings.senderCpus = pinned.server;
    settings.readerCpus = pinned.generator;
    const FanoutFloor::Result floor = FanoutFloor::measure(settings);
    if (!floor.error.isEmpty()) {
        setupFailed(QStringLiteral("measuring the kernel-only floor: %1").arg(floor.error));
        return false;
    }
    const double lifelineUs = lifeline.serverCpuUsPerDelivery();
    const double floorUs = floor.cpuUsPerDelivery();
    const bool met = lifeline.complete() && floorUs > 0 && lifelineUs <= 1.3 * floorUs;
    std::printf("CPU per delivered message: lifeline-server %.3f us (%.2f messages per commit); "
                "kernel only, the same batches pre-framed, one send() per client each: %.3f us "
                "(%.2f x; %s partial sends); target <= 1.3 x: %s\n\n",
                lifelineUs, lifeline.messagesPerCommit, floorUs,
                floorUs > 0 ? lifelineUs / floorUs : 0.0,
                qUtf8Printable(number(floor.partialSends)), met ? "met" : "MISSED");
    std::fflush(stdout);
    report->addRow(
        {QStringLiteral("server CPU per delivered message, %1 clients, %2 senders x %3/s")
             .arg(number(options.clients))
             .arg(options.senders)
             .arg(options.rate),
         QStringLiteral("us"), lifelineUs, floorUs,
         QStringLiteral("kernel only: pre-framed, one send() per client per batch of "
                        "%1 messages")
             .arg(lifeline.messagesPerCommit, 0, 'f', 2),
         QStringLiteral("<= 1.3 x the kernel-only floor"), met});
    report->setDetail(QStringLiteral("kernelFloor"),
                      QJsonObject {{QStringLiteral("messagesPerBatch"), lifeline.messagesPerCommit},
                                   {QStringLiteral("deliveries"), floor.deliveries},
                                   {QStringLiteral("senderCpuSeconds"), floor.senderCpuSeconds},
                                   {QStringLiteral("windowSeconds"), floor.windowSeconds},
                                   {QStringLiteral("cpuUsPerDelivery"), floorUs},
                                   {QStringLiteral("partialSends"), floor.partialSends}});
    return true;
}

// The fan-out latency of every server at one load. False on a setup error, said on stderr.
bool runLatencyPart(const Options &options, const Placement &pinned, const QTemporaryDir &dir,
                    BenchReport *report, bool *completeness)
{
    std::printf("Fan-out latency: %s clients, %d senders x %d messages/s, %d s warm-up, %d s "
                "measured, %d worker processes\n",
                qUtf8Printable(number(options.clients)), options.senders, options.rate,
                options.warmupSeconds, options.seconds, options.workers);
    std::fflush(stdout);
    QList<std::pair<Server, Placement>> runs {
        {Server::Lifeline, pinned}, {Server::NodePeer, pinned}, {Server::GoPeer, pinned}};
    if (options.pinned)
        runs.append({Server::GoPeer, Placement()});
    QList<LatencyResult> results;
    for (const auto &[server, placement] : std::as_const(runs)) {
        results.append(
            runLatency(server, options, dir.filePath(QStringLiteral("latency")), placement));
        if (results.constLast().setupFailed) {
            setupFailed(results.constLast().failure);
            return false;
        }
    }
    if (!printLatencyResults(results))
        *completeness = false;
    const LatencyResult &lifeline = results.at(0);
    const LatencyResult &peer = betterPeer(results.at(1), results.at(2));
    const LatencyResult &otherPeer = &peer == &results.at(1) ? results.at(2) : results.at(1);
    const double lifelineP99 = lifeline.latency.percentileMs(0.99);
    const double peerP99 = peer.latency.percentileMs(0.99);
    // A peer that could not carry the load sets no bound but the 50 ms.
    const bool p99Met = lifeline.complete() && lifelineP99 < 50.0
        && (!peer.complete() || lifelineP99 <= 1.2 * peerP99);
    std::printf("p99 target (<= 1.2 x the better peer, the %s, and < 50 ms): %.2f ms vs %.2f ms "
                "(%.2f x): %s\n\n",
                qUtf8Printable(baselineName(peer)), lifelineP99, peerP99,
                peerP99 > 0 ? lifelineP99 / peerP99 : 0.0, p99Met ? "met" : "MISSED");
    std::fflush(stdout);
    const auto measure = [&](const char *percentile) {
        return QStringLiteral("fan-out latency %1, %2 clients, %3 senders x %4/s")
            .arg(QLatin1String(percentile), number(options.clients))
            .arg(options.senders)
            .arg(options.rate);
    };
    report->addRow({measure("p50"), QStringLiteral("ms"), lifeline.latency.percentileMs(0.5),
                    peer.latency.percentileMs(0.5), baselineName(peer), QString(), std::nullopt});
    report->addRow({measure("p99"), QStringLiteral("ms"), lifelineP99, peerP99, baselineName(peer),
                    QStringLiteral("<= 1.2 x the better peer and < 50 ms, every message received "
                                   "once"),
                    p99Met});
    report->addRow({measure("p99"), QStringLiteral("ms"), lifelineP99,
                    otherPeer.latency.percentileMs(0.99), baselineName(otherPeer), QString(),
                    std::nullopt});
    if (results.size() > 3) {
        const LatencyResult &unpinned = results.at(3);
        report->addRow({measure("p99"), QStringLiteral("ms"), lifelineP99,
                        unpinned.latency.percentileMs(0.99),
                        QStringLiteral("%1 on %2 cores")
                            .arg(baselineName(unpinned))
                            .arg(unpinned.cores.server, 0, 'f', 2),
                        QString(), std::nullopt});
    }
    for (const LatencyResult &r : std::as_const(results))
        report->setDetail(QStringLiteral("latency") + r.key, latencyJson(r));
    return runKernelFloor(options, pinned, lifeline, report);
}

// The capacity of every server, each on its own core. False on a setup error, said on stderr.
bool runCapacityPart(const Options &options, const Placement &pinned, const QTemporaryDir &dir,
                     BenchReport *report, bool *completeness)
{
    std::printf("Capacity (websocket-shootout method): steps of %s clients, %d broadcasts in "
                "flight, %d per step, a step passes while p95 of send -> last receipt < %d ms; "
                "cap %s clients, %d s per server\n",
                qUtf8Printable(number(options.step)), options.concurrency, options.samples,
                options.limitMs, qUtf8Printable(number(options.maxClients)), options.budgetSeconds);
    std::fflush(stdout);
    QList<CapacityResult> results;
    for (Server which : {Server::Lifeline, Server::NodePeer, Server::GoPeer}) {
        results.append(
            runCapacity(which, options, dir.filePath(QStringLiteral("capacity")), pinned));
        if (results.constLast().setupFailed) {
            setupFailed(results.constLast().failure);
            return false;
        }
    }
    for (const CapacityResult &r : std::as_const(results)) {
        if (r.steps.isEmpty() || !r.steps.constLast().deliveryFailed)
            continue;
        // Only lifeline-server's losses fail the run; a peer's end its search, as a slow step does.
        if (r.server == Server::Lifeline)
            *completeness = false;
        std::printf("%s DID NOT DELIVER EVERY MESSAGE EXACTLY ONCE at %s clients: %s\n",
                    qUtf8Printable(r.label), qUtf8Printable(number(r.steps.constLast().clients)),
                    qUtf8Printable(r.steps.constLast().failure));
    }
    const CapacityResult &lifeline = results.at(0);
    const CapacityResult &peer
        = results.at(1).capacity >= results.at(2).capacity ? results.at(1) : results.at(2);
    // The most clients a step can have under the cap. Where both reach it, the server whose
    // broadcasts came back sooner there wins.
    const int cap = options.maxClients / options.step * options.step;
    const auto p95AtCap = [&](const CapacityResult &r) {
        return r.capacity == cap ? r.steps.constLast().percentileMs(0.95) : 0.0;
    };
    const bool bothAtCap = lifeline.capacity == cap && peer.capacity == cap;
    const bool met = bothAtCap ? p95AtCap(lifeline) < p95AtCap(peer)
                               : lifeline.capacity >= std::min(1.5 * peer.capacity, double(cap));
    std::printf("capacity: ");
    for (const CapacityResult &r : std::as_const(results))
        std::printf("%s %s clients; ", qUtf8Printable(r.label), qUtf8Printable(capacityText(r)));
    std::printf("target >= 1.5 x the better peer (up to the cap; at the cap, the lower p95): "
                "%s\n",
                met ? "met" : "MISSED");
    if (bothAtCap)
        std::printf("p95 at the cap: %s %.1f ms, %s %.1f ms\n", qUtf8Printable(lifeline.label),
                    p95AtCap(lifeline), qUtf8Printable(peer.label), p95AtCap(peer));
    std::fflush(stdout);
    report->addRow({QStringLiteral("capacity: clients with p95 broadcast round trip < %1 ms")
                        .arg(options.limitMs),
                    QStringLiteral("clients"), double(lifeline.capacity), double(peer.capacity),
                    peer.label,
                    QStringLiteral(">= 1.5 x the better peer, up to the cap of %1; at the cap, the "
                                   "lower p95")
                        .arg(number(options.maxClients)),
                    met});
    for (const CapacityResult &r : std::as_const(results))
        report->setDetail(QStringLiteral("capacity") + r.key, capacityJson(r));
    return true;
}

struct ShutdownResult : RunResult
{
    int clients = 0;
    double connectSeconds = 0;
    // From SIGTERM until the process was gone.
    qint64 exitMs = 0;
    int exitCode = -1;
    // The clients' close codes, each as many times as it came.
    QMap<int, int> closeCodes;

    int goingAway() const
    {
        return closeCodes.value(int(lifeline::protocol::CloseCode::GoingAway));
    }
    bool complete() const { return failure.isEmpty() && goingAway() == clients && exitCode == 0; }
};

// `clients` clients connected and synced, then SIGTERM: how long the server takes to close them
// all and exit, and what each client heard.
ShutdownResult runShutdown(Server which, const Options &options, const QString &dataDir,
                           const Placement &placement)
{
    ShutdownResult result;
    result.clients = options.maxClients;
    const ScopedCpuAffinity onGeneratorCpus(placement.generator);
    std::vector<std::unique_ptr<BundledServer>> servers;
    WorkerPool pool;
    if (!startRun(which, result.clients, dataDir, options, {}, placement, &servers, &pool, &result))
        return result;
    // In the capacity part's steps: all at once would measure a login storm, not the shutdown.
    QList<Share> shares;
    for (int first = 0; first < result.clients; first += options.step) {
        const ConnectOutcome connected
            = connectClients(pool, first, std::min(options.step, result.clients - first), 0,
                             options.stepConnectTimeoutSeconds * 1000, &shares);
        result.connectSeconds += connected.seconds;
        if (!connected.error.isEmpty()) {
            result.failure = connected.error;
            return result;
        }
    }
    waitFor([] { return false; }, SettleMs);

    BundledServer &server = *servers[0];
    bool stopped = false;
    QElapsedTimer clock;
    QObject::connect(&server, &BundledServer::stopped, &server, [&](int exitCode) {
        result.exitMs = clock.elapsed();
        result.exitCode = exitCode;
        stopped = true;
    });
    int lost = 0;
    clock.start();
    server.stop();
    // BundledServer kills a server that has not exited 5 s after SIGTERM; the clients then see
    // their connections drop without a close frame.
    collect(
        pool, ShutdownTimeoutMs, QStringLiteral("the server to exit and every client to hear it"),
        [&](const QList<QByteArray> &line) {
            if (line.constFirst() == "lost" && line.size() == 3) {
                ++result.closeCodes[line.at(2).toInt()];
                ++lost;
            }
        },
        [&] { return stopped && lost == result.clients; }, &result.failure);
    return result;
}

// Shutting down with the clients of the capacity cap, each server on its own core. False on a
// setup error, said on stderr.
bool runShutdownPart(const Options &options, const Placement &pinned, const QTemporaryDir &dir,
                     BenchReport *report, bool *completeness)
{
    std::printf("Shutdown: %s clients connected and synced, then SIGTERM; each must get its "
                "close frame (1001)\n",
                qUtf8Printable(number(options.maxClients)));
    std::fflush(stdout);
    QList<ShutdownResult> results;
    for (Server which : {Server::Lifeline, Server::NodePeer, Server::GoPeer}) {
        results.append(
            runShutdown(which, options, dir.filePath(QStringLiteral("shutdown")), pinned));
        const ShutdownResult &r = results.constLast();
        if (r.setupFailed) {
            setupFailed(r.failure);
            return false;
        }
        QStringList codes;
        for (auto it = r.closeCodes.cbegin(); it != r.closeCodes.cend(); ++it)
            codes << QStringLiteral("%1 x %2").arg(number(it.value())).arg(it.key());
        std::printf("  %-24s connect %5.1f s  SIGTERM to exit %6lld ms (exit code %d)  close "
                    "codes: %s%s\n",
                    qUtf8Printable(r.label), r.connectSeconds, static_cast<long long>(r.exitMs),
                    r.exitCode, qUtf8Printable(codes.join(QLatin1String(", "))),
                    r.failure.isEmpty() ? "" : qUtf8Printable(QStringLiteral("; ") + r.failure));
        if (r.server == Server::Lifeline && !r.complete())
            *completeness = false;
    }
    const ShutdownResult &lifeline = results.at(0);
    // Of the peers that closed every client with 1001, the quicker.
    const auto better = [](const ShutdownResult &a, const ShutdownResult &b) -> const auto &
    {
        if (a.complete() != b.complete())
            return a.complete() ? a : b;
        return a.exitMs <= b.exitMs ? a : b;
    };
    const ShutdownResult &peer = better(results.at(1), results.at(2));
    const bool met = lifeline.complete() && lifeline.exitMs < 2000;
    std::printf("target (< 2 s, every client gets 1001): %s\n\n", met ? "met" : "MISSED");
    std::fflush(stdout);
    report->addRow(
        {QStringLiteral("shutdown with %1 connections: SIGTERM until the process is "
                        "gone, every client closed with 1001")
             .arg(number(options.maxClients)),
         QStringLiteral("ms"), double(lifeline.exitMs), double(peer.exitMs),
         peer.complete()
             ? peer.label
             : QStringLiteral("%1, did not close every client with 1001").arg(peer.label),
         QStringLiteral("< 2000 ms, every client closed with 1001"), met});
    for (const ShutdownResult &r : std::as_const(results)) {
        QJsonObject codes;
        for (auto it = r.closeCodes.cbegin(); it != r.closeCodes.cend(); ++it)
            codes.insert(QString::number(it.key()), it.value());
        report->setDetail(QStringLiteral("shutdown") + r.key,
                          QJsonObject {{QStringLiteral("clients"), r.clients},
                                       {QStringLiteral("connectSeconds"), r.connectSeconds},
                                       {QStringLiteral("exitMs"), r.exitMs},
                                       {QStringLiteral("exitCode"), r.exitCode},
                                       {QStringLiteral("closeCodes"), codes},
                                       {QStringLiteral("complete"), r.complete()},
                                       {QStringLiteral("failure"), r.failure}});
    }
    return true;
}

// --part sweep: each server's fan-out latency at rising offered loads, on the same clients.
struct SweepStep
{
    int ratePerSender = 0;
    double offeredDeliveries = 0; // a second: messages a second x recipients
    LatencyResult result;

    // Every message received once, with p99 under 50 ms.
    bool sustained() const { return result.complete() && result.latency.percentileMs(0.99) < 50.0; }
};

struct SweepResult : RunResult
{
    QList<SweepStep> steps;

    // The highest offered deliveries a second the server sustained; 0 if none.
    double sustainable() const
    {
        double best = 0;
        for (const SweepStep &step : steps) {
            if (step.sustained())
                best = std::max(best, step.offeredDeliveries);
        }
        return best;
    }
    const SweepStep *stepAt(int ratePerSender) const
    {
        for (const SweepStep &step : steps) {
            if (step.ratePerSender == ratePerSender)
                return &step;
        }
        return nullptr;
    }
};

// Each rate of options.sweepRates in turn, on one session, until the server loses a message
// (what is still on its way would count in the next step) or misses 50 ms twice in a row: by
// then the curve is past saturation.
SweepResult runSweep(Server which, const Options &options, const QString &dataDir,
                     const Placement &placement)
{
    SweepResult sweep;
    LatencySession session(placement);
    LatencyResult opened;
    const bool open = openLatencySession(&session, which, options, dataDir, placement, {}, &opened);
    static_cast<RunResult &>(sweep) = opened;
    if (!open)
        return sweep;
    Options stepOptions = options;
    stepOptions.warmupSeconds = options.sweepWarmupSeconds;
    stepOptions.seconds = options.sweepSeconds;
    int missedInARow = 0;
    for (const int rate : options.sweepRates) {
        SweepStep step;
        step.ratePerSender = rate;
        step.offeredDeliveries = double(options.senders) * rate * (options.clients - 1);
        static_cast<RunResult &>(step.result) = opened;
        measureLatency(session, stepOptions, rate, &step.result);
        const LatencyResult &r = step.result;
        std::printf(
            "  %-28s %9s deliveries/s  p50 %9.2f ms  p99 %9.2f ms  server CPU %4.0f %%  "
            "workers CPU %4.0f %%  %s\n",
            qUtf8Printable(sweep.label), qUtf8Printable(number(qint64(step.offeredDeliveries))),
            r.latency.percentileMs(0.5), r.latency.percentileMs(0.99), 100.0 * r.cores.server,
            100.0 * r.cores.generator,
            r.complete()
                ? (step.sustained() ? "sustained" : "over 50 ms")
                : qUtf8Printable(
                    QStringLiteral("%1 of %2 received%3")
                        .arg(number(r.received), number(r.expected),
                             r.failure.isEmpty() ? QString() : QStringLiteral("; ") + r.failure)));
        std::fflush(stdout);
        sweep.steps.append(step);
        if (!step.result.complete())
            break;
        missedInARow = step.sustained() ? 0 : missedInARow + 1;
        if (missedInARow == 2)
            break;
    }
    return sweep;
}

QJsonObject sweepJson(const SweepResult &sweep)
{
    QJsonArray steps;
    for (const SweepStep &step : sweep.steps) {
        QJsonObject json = latencyJson(step.result);
        json.insert(QStringLiteral("ratePerSender"), step.ratePerSender);
        json.insert(QStringLiteral("offeredDeliveriesPerSecond"), step.offeredDeliveries);
        json.insert(QStringLiteral("sustained"), step.sustained());
        steps.append(json);
    }
    return {{QStringLiteral("label"), sweep.label},
            {QStringLiteral("sustainableDeliveriesPerSecond"), sweep.sustainable()},
            {QStringLiteral("failure"), sweep.failure},
            {QStringLiteral("steps"), steps}};
}

// The sweep of every server. False on a setup error, said on stderr.
bool runSweepPart(const Options &options, const Placement &pinned, const QTemporaryDir &dir,
                  BenchReport *report, bool *completeness)
{
    QStringList rates;
    for (const int rate : options.sweepRates)
        rates << QString::number(rate);
    std::printf("Load sweep: %s clients, %d senders at %s messages/s each, %d s warm-up and %d s "
                "measured per step; sustained: every message received once and p99 < 50 ms\n",
                qUtf8Printable(number(options.clients)), options.senders,
                qUtf8Printable(rates.join(u',')), options.sweepWarmupSeconds, options.sweepSeconds);
    std::fflush(stdout);
    QList<std::pair<Server, Placement>> runs {
        {Server::Lifeline, pinned}, {Server::NodePeer, pinned}, {Server::GoPeer, pinned}};
    if (options.pinned)
        runs.append({Server::GoPeer, Placement()});
    QList<SweepResult> results;
    for (const auto &[server, placement] : std::as_const(runs)) {
        results.append(runSweep(server, options, dir.filePath(QStringLiteral("sweep")), placement));
        const SweepResult &r = results.constLast();
        if (r.setupFailed) {
            setupFailed(r.failure);
            return false;
        }
        if (r.server == Server::Lifeline
            && std::any_of(r.steps.cbegin(), r.steps.cend(),
                           [](const SweepStep &step) { return !step.result.complete(); }))
            *completeness = false;
    }
    const SweepResult &lifeline = results.at(0);
    const SweepResult &peer = results.at(1).sustainable() >= results.at(2).sustainable()
        ? results.at(1)
        : results.at(2);
    const bool rateMet
        = lifeline.sustainable() > 0 && lifeline.sustainable() >= 1.5 * peer.sustainable();
    std::printf("sustainable fan-out rate: ");
    for (const SweepResult &r : std::as_const(results))
        std::printf("%s %s; ", qUtf8Printable(r.label),
                    qUtf8Printable(number(qint64(r.sustainable()))));
    std::printf("target >= 1.5 x the better peer: %s\n", rateMet ? "met" : "MISSED");
    report->addRow({QStringLiteral("sustainable fan-out rate, %1 clients: p99 < 50 ms, every "
                                   "message received once")
                        .arg(number(options.clients)),
                    QStringLiteral("deliveries/s"), lifeline.sustainable(), peer.sustainable(),
                    peer.label, QStringLiteral(">= 1.5 x the better peer"), rateMet});
    // The highest load both pinned peers sustained: there, the lower of their p99s is the bound.
    const SweepStep *atLoad = nullptr;
    const SweepStep *peerAtLoad = nullptr;
    for (const int rate : options.sweepRates) {
        const SweepStep *node = results.at(1).stepAt(rate);
        const SweepStep *go = results.at(2).stepAt(rate);
        if (!node || !go || !node->sustained() || !go->sustained())
            continue;
        atLoad = lifeline.stepAt(rate);
        peerAtLoad
            = node->result.latency.percentileMs(0.99) <= go->result.latency.percentileMs(0.99)
            ? node
            : go;
    }
    if (peerAtLoad) {
        const SweepResult &owner = results.at(1).stepAt(peerAtLoad->ratePerSender) == peerAtLoad
            ? results.at(1)
            : results.at(2);
        const double lifelineP99 = atLoad ? atLoad->result.latency.percentileMs(0.99) : 0.0;
        const double peerP99 = peerAtLoad->result.latency.percentileMs(0.99);
        const bool p99Met = atLoad && atLoad->result.complete() && lifelineP99 <= peerP99;
        std::printf("p99 at %s deliveries/s, the highest load both peers sustain: %.2f ms vs "
                    "%.2f ms (%s): %s\n",
                    qUtf8Printable(number(qint64(peerAtLoad->offeredDeliveries))), lifelineP99,
                    peerP99, qUtf8Printable(owner.label), p99Met ? "met" : "MISSED");
        report->addRow({QStringLiteral("fan-out latency p99 at %1 deliveries/s, the highest "
                                       "load both peers sustain")
                            .arg(number(qint64(peerAtLoad->offeredDeliveries))),
                        QStringLiteral("ms"), lifelineP99, peerP99, owner.label,
                        QStringLiteral("<= the better peer"), p99Met});
    } else {
        // Not a target that can be judged here: say so rather than leave the row out silently.
        std::printf("p99 at a load both peers sustain: none of the steps; the lightest is "
                    "beyond one of them\n");
        report->addRow({QStringLiteral("fan-out latency p99 at a load both peers sustain"),
                        QStringLiteral("ms"), 0.0, std::nullopt,
                        QStringLiteral("no step both peers sustained"), QString(), std::nullopt});
    }
    std::printf("\n");
    std::fflush(stdout);
    for (const SweepResult &r : std::as_const(results))
        report->setDetail(QStringLiteral("sweep") + r.key, sweepJson(r));
    return true;
}

int main(int argc, char *argv[])
{
    // Every client is a descriptor in a worker and one in the server (which inherits our limit).
    raiseFileLimit("bench_fanout");
    // Qt's own event dispatcher rather than glib's in the coordinator: each turn of either
    // polls every notifier, and glib's costs more per turn. The receive cost baseline,
    // QWebSocket clients with one notifier each, runs as the workers once ran them. The workers
    // run their LoadClients on the epoll loop, which must be in place before the
    // application object.
    qputenv("QT_NO_GLIB", "1");
    if (BenchCommandLine::isWorker(argc, argv))
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    BenchCommandLine commandLine(
        QStringLiteral("lifeline-server against the Node.js ws peer (bench/peer): fan-out "
                       "latency and capacity, one server after the other in the same run."));
    commandLine.addOption({QStringLiteral("part"),
                           QStringLiteral("latency, capacity, all (the two), cluster, shutdown "
                                          "or sweep (default: all)."),
                           QStringLiteral("part"), QStringLiteral("all")});
    commandLine.addOption(nodePeerOption());
    commandLine.addOption(goPeerOption());
    commandLine.addOption({QStringLiteral("no-pin"),
                           QStringLiteral("Let every server and the generator use every core, "
                                          "instead of one core for the server under test and the "
                                          "others for the generator.")});
    commandLine.addWorkerOptions();
    Options options;
    commandLine.addNumber(QStringLiteral("clients"), QStringLiteral("Latency: clients"),
                          &options.clients, QStringLiteral("n"), 2);
    commandLine.addNumber(QStringLiteral("senders"), QStringLiteral("Latency: clients that send"),
                          &options.senders);
    commandLine.addNumber(QStringLiteral("rate"),
                          QStringLiteral("Latency: messages a second from each sender"),
                          &options.rate);
    commandLine.addNumber(QStringLiteral("seconds"), QStringLiteral("Latency: seconds measured"),
                          &options.seconds, QStringLiteral("s"));
    commandLine.addNumber(QStringLiteral("warmup"),
                          QStringLiteral("Latency: seconds of sending before the measured ones"),
                          &options.warmupSeconds, QStringLiteral("s"), 0);
    commandLine.addNumber(
        QStringLiteral("workers"),
        QStringLiteral("Worker processes holding the clients, the cores but one, 1 to 4"),
        &options.workers);
    commandLine.addNumber(QStringLiteral("connect-burst"),
                          QStringLiteral("Clients each worker has connecting at once"),
                          &options.connectBurst);
    commandLine.addNumber(QStringLiteral("connect-timeout"),
                          QStringLiteral("Latency: seconds the clients have to connect and sync"),
                          &options.connectTimeoutSeconds, QStringLiteral("s"));
    commandLine.addNumber(QStringLiteral("step"),
                          QStringLiteral("Capacity: clients added per step"), &options.step);
    commandLine.addNumber(
        QStringLiteral("max-clients"),
        QStringLiteral("Capacity: most clients tried; each costs a descriptor in a worker and one "
                       "in the server, and each process has the open-file limit"),
        &options.maxClients);
    commandLine.addNumber(QStringLiteral("concurrency"),
                          QStringLiteral("Capacity: broadcasts in flight at once"),
                          &options.concurrency);
    commandLine.addNumber(QStringLiteral("samples"),
                          QStringLiteral("Capacity: broadcasts measured per step, at most 64"),
                          &options.samples);
    commandLine.addNumber(
        QStringLiteral("limit-ms"),
        QStringLiteral("Capacity: a step passes while its p95 round trip is under this"),
        &options.limitMs, QStringLiteral("ms"));
    commandLine.addNumber(QStringLiteral("step-connect-timeout"),
                          QStringLiteral("Capacity: seconds a step's clients have to connect and "
                                         "sync, or the step fails"),
                          &options.stepConnectTimeoutSeconds, QStringLiteral("s"));
    commandLine.addNumber(QStringLiteral("capacity-budget"),
                          QStringLiteral("Capacity: seconds per server after which no further "
                                         "step starts; the capacity is then a lower bound"),
                          &options.budgetSeconds, QStringLiteral("s"));
    commandLine.addOption({QStringLiteral("sweep-rates"),
                           QStringLiteral("Sweep: messages a second from each sender at each step, "
                                          "rising (default: 2,5,10,20,40,80,160,240,320)"),
                           QStringLiteral("list")});
    commandLine.addNumber(QStringLiteral("sweep-seconds"),
                          QStringLiteral("Sweep: seconds measured at each step"),
                          &options.sweepSeconds, QStringLiteral("s"));
    commandLine.addNumber(QStringLiteral("sweep-warmup"),
                          QStringLiteral("Sweep: seconds of sending before each step's measured "
                                         "ones"),
                          &options.sweepWarmupSeconds, QStringLiteral("s"), 0);
    if (!commandLine.process(app))
        return SetupFailedExit;
    if (commandLine.isWorker()) {
        FanoutWorker worker(commandLine.workerUrls(), options.connectBurst);
        return QCoreApplication::exec();
    }

    // In the order of Part.
    const QString part = commandLine.value(QStringLiteral("part"));
    const qsizetype partIndex
        = QStringLiteral("latency capacity cluster all shutdown sweep").split(u' ').indexOf(part);
    if (partIndex < 0)
        return setupFailed(QStringLiteral("--part \"%1\" must be latency, capacity, all, cluster, "
                                          "shutdown or sweep")
                               .arg(part));
    options.part = Part(partIndex);
    if (commandLine.isSet(QStringLiteral("sweep-rates"))) {
        options.sweepRates.clear();
        for (const QString &field :
             commandLine.value(QStringLiteral("sweep-rates")).split(u',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int rate = field.trimmed().toInt(&ok);
            if (!ok || rate < 1
                || (!options.sweepRates.isEmpty() && rate <= options.sweepRates.constLast()))
                return setupFailed(QStringLiteral("--sweep-rates must be rising whole numbers of "
                                                  "messages a second, at least 1, such as "
                                                  "2,5,10"));
            options.sweepRates.append(rate);
        }
        if (options.sweepRates.isEmpty())
            return setupFailed(QStringLiteral("--sweep-rates needs at least one rate"));
    }
    if (options.samples > 64 || options.senders > options.clients || options.step < options.workers
        || options.clients < options.workers)
        return setupFailed(QStringLiteral("--samples is at most 64, --senders at most --clients, "
                                          "and --step and --clients at least --workers"));
    // Each client costs a descriptor in a worker and one in the server; the limit is per process.
    const qint64 needed = std::max(options.clients, options.maxClients) + 200;
    if (fileLimit() < needed)
        return setupFailed(QStringLiteral("the open file limit is %1, %2 are needed; raise it "
                                          "(ulimit -Hn) or lower --max-clients")
                               .arg(fileLimit())
                               .arg(needed));
    options.peerDir = commandLine.value(QStringLiteral("peer"));
    options.goPeerProgram = commandLine.value(QStringLiteral("go-peer"));
    options.pinned = !commandLine.isSet(QStringLiteral("no-pin"));
    options.jsonPath = commandLine.jsonPath();
    if (const QString problem = nodePeerProblem(options.peerDir); !problem.isEmpty())
        return setupFailed(problem);
    if (const QString problem = goPeerProblem(options.goPeerProgram);
        !problem.isEmpty() && options.part != Part::Cluster)
        return setupFailed(problem);
    if (options.pinned && ScopedCpuAffinity::allowedCpus().size() < 2)
        return setupFailed(QStringLiteral("a core for the server and one for the generator are "
                                          "needed, this process may use %1; run with --no-pin")
                               .arg(ScopedCpuAffinity::allowedCpus().size()));
    // The figures on stdout and the warnings; not a line per login from 10,000 clients.
    // lifeline-server's summary of its commits at exit is read for the kernel-only floor.
    QLoggingCategory::setFilterRules(
        QStringLiteral("lifeline.*.debug=false\nlifeline.*.info=false"));
    qputenv("QT_LOGGING_RULES",
            "lifeline.*.debug=false;lifeline.*.info=false;lifeline.server.stats.info=true");

    QTemporaryDir dir;
    BenchReport report(options.part == Part::Cluster        ? QStringLiteral("cluster")
                           : options.part == Part::Shutdown ? QStringLiteral("shutdown")
                           : options.part == Part::Sweep    ? QStringLiteral("sweep")
                                                            : QStringLiteral("fanout"));
    // Every server on its own core; then the Go peer, which uses every core it is given, once
    // more on all of them, generator included. The cluster part runs unpinned.
    const Placement pinned
        = options.pinned && options.part != Part::Cluster ? Placement::split() : Placement();
    QJsonObject settings {
        {QStringLiteral("clients"), options.clients},
        {QStringLiteral("senders"), options.senders},
        {QStringLiteral("ratePerSender"), options.rate},
        {QStringLiteral("warmupSeconds"), options.warmupSeconds},
        {QStringLiteral("measuredSeconds"), options.seconds},
        {QStringLiteral("workers"), options.workers},
        {QStringLiteral("capacityStep"), options.step},
        {QStringLiteral("capacityMaxClients"), options.maxClients},
        {QStringLiteral("capacityConcurrency"), options.concurrency},
        {QStringLiteral("capacitySamples"), options.samples},
        {QStringLiteral("capacityLimitMs"), options.limitMs},
        {QStringLiteral("lifelineRateLimit"),
         QStringLiteral("--rate 0: off, as the peer has none")},
        {QStringLiteral("peer"),
         QStringLiteral("Node.js %1 with ws, stores nothing; lifeline-server commits each batch "
                        "to SQLite with fsync before it acks and broadcasts")
             .arg(versionOf(QStringLiteral("node")))},
        {QStringLiteral("goPeer"),
         QStringLiteral("Go %1 with gorilla/websocket, stores nothing")
             .arg(options.part == Part::Cluster ? QStringLiteral("(not run)")
                                                : versionOf(options.goPeerProgram))},
        {QStringLiteral("placement"), pinned.describe()},
        {QStringLiteral("sweepRatesPerSender"),
         toJsonArray(QList<double>(options.sweepRates.cbegin(), options.sweepRates.cend()))},
        {QStringLiteral("sweepWarmupSeconds"), options.sweepWarmupSeconds},
        {QStringLiteral("sweepMeasuredSeconds"), options.sweepSeconds},
    };
    report.setDetail(QStringLiteral("settings"), settings);
    const QJsonObject parseCost = measureParseCost();
    report.setDetail(QStringLiteral("generatorParseCost"), parseCost);
    std::printf("Generator cost per received frame: %.0f ns scanning for the text, %.0f ns with "
                "QJsonDocument (%d-byte message frame)\n",
                parseCost.value(QStringLiteral("scanNsPerFrame")).toDouble(),
                parseCost.value(QStringLiteral("qjsondocumentNsPerFrame")).toDouble(),
                parseCost.value(QStringLiteral("frameBytes")).toInt());
    // As many clients as one worker holds in the latency part.
    FanoutReceiveCost receiveCost(options.clients / options.workers, ReceiveCostRounds);
    QString receiveCostError;
    const QJsonObject receive = receiveCost.measure(&receiveCostError);
    if (receive.isEmpty())
        return setupFailed(
            QStringLiteral("measuring what receiving a frame costs: %1").arg(receiveCostError));
    report.setDetail(QStringLiteral("generatorReceiveCost"), receive);
    std::printf("Generator CPU per received frame, each in its own segment, %d clients in one "
                "thread: %.2f us with RawWebSocketPeer, %.2f us with a QWebSocket per client\n",
                receive.value(QStringLiteral("clients")).toInt(),
                receive.value(QStringLiteral("leanNsPerFrame")).toDouble() / 1000.0,
                receive.value(QStringLiteral("qwebsocketNsPerFrame")).toDouble() / 1000.0);
    std::printf("lifeline-server runs with --rate 0: the peer has no rate limit.\n\n");
    std::fflush(stdout);

    bool completeness = true;
    if (options.part == Part::Cluster) {
        if (!runClusterPart(options, dir.filePath(QStringLiteral("cluster")), &report,
                            &completeness))
            return SetupFailedExit;
    } else {
        std::printf("Placement: %s%s\n\n", qUtf8Printable(pinned.describe()),
                    options.pinned ? "" : " (--no-pin)");
        if (options.part == Part::Shutdown) {
            if (!runShutdownPart(options, pinned, dir, &report, &completeness))
                return SetupFailedExit;
        } else if (options.part == Part::Sweep) {
            if (!runSweepPart(options, pinned, dir, &report, &completeness))
                return SetupFailedExit;
        } else {
            if (options.part != Part::Capacity
                && !runLatencyPart(options, pinned, dir, &report, &completeness))
                return SetupFailedExit;
            if (options.part != Part::Latency
                && !runCapacityPart(options, pinned, dir, &report, &completeness))
                return SetupFailedExit;
        }
    }

    const int exitCode = report.finish(options.jsonPath);
    return exitCode == 0 && !completeness ? ExitMissed : exitCode;
}
