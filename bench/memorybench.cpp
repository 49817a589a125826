// What an idle connection costs the server in memory: lifeline-server's resident memory with N
// connections that logged in (distinct uids u0, u1, ...), caught up and then only send WebSocket
// pings, as idle apps do, against its memory with none; (RSS_N - RSS_0) / N. The same for the
// Node.js ws peer (bench/peer) as the baseline, when node and its `ws` are installed.
//
//   bench_memory [--connections 1000,5000] [--processes 4] [--ping-ms 2000] [--settle-ms 5000]
//                [--ramp-timeout-s 120] [--peer DIR] [--json FILE]
//
// One server run per kind of server: RSS with no client, then the connections are brought up to
// each count in turn and measured after they settled. lifeline-server runs twice: on SQLite,
// and on PostgreSQL (a throwaway cluster, as several instances use it; docs/scaling.md), whose
// figure is shown against the SQLite one. The clients run in worker processes (this
// program with --worker). Target: under 50 KiB a connection at every count. Exit code 1 if a
// target is missed, 2 if the benchmark could not run.
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "epolleventdispatcher.h"
#include "filelimit.h"
#include "loadshare.h"
#include "parentchannel.h"
#include "postgrescluster.h"
#include "postgresinstances.h"
#include "processcpu.h"
#include "referencepeer.h"
#include "serverwaits.h"
#include "waitfor.h"
#include "workerpool.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QUrl>

#include <cstdio>

using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::server;
using namespace lifeline::testkit;

namespace {

constexpr double TargetKiB = 50;
// Handshakes a worker has under way at once: enough to ramp up fast, few enough that none
// runs into the server's 5 s hello timeout on a busy machine.
constexpr int ConnectingPerWorker = 25;
// Generous bounds for a loaded 2-core machine; what is measured is printed, not these.
constexpr int AnswerTimeoutMs = 10000;
constexpr int WorkerExitTimeoutMs = 10000;
// How long an idle server is left alone before its RSS counts as the one with no client.
constexpr int IdleSettleMs = 1000;

struct Memory
{
    qint64 rssKiB = 0; // VmRSS: what `ps` and `top` show
    qint64 pssKiB = 0; // shared pages split among the processes that map them
    qint64 privateDirtyKiB = 0; // written by this process alone: heap, stacks
};

// The "Name:   123 kB" line of a /proc file, in KiB.
bool readField(const QByteArray &contents, const QByteArray &name, qint64 *kib)
{
    for (const QByteArray &line : contents.split('\n')) {
        if (!line.startsWith(name + ':'))
            continue;
        bool ok = false;
        *kib = line.mid(name.size() + 1).trimmed().split(' ').constFirst().toLongLong(&ok);
        return ok;
    }
    return false;
}

bool readMemory(qint64 pid, Memory *memory, QString *error)
{
    const auto read = [pid, error](const char *file, QByteArray *contents) {
        QFile proc(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(file)));
        if (!proc.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(proc.fileName(), proc.errorString());
            return false;
        }
        *contents = proc.readAll();
        return true;
    };
    QByteArray status;
    QByteArray rollup;
    if (!read("status", &status) || !read("smaps_rollup", &rollup))
        return false;
    if (!readField(status, "VmRSS", &memory->rssKiB) || !readField(rollup, "Pss", &memory->pssKiB)
        || !readField(rollup, "Private_Dirty", &memory->privateDirtyKiB)) {
        *error = QStringLiteral("no VmRSS, Pss or Private_Dirty in /proc/%1").arg(pid);
        return false;
    }
    return true;
}

// --worker: count clients u<first> ... Lines on stdout:
//   ready                 every client is logged in and caught up
//   lost UID WHY          a client lost its connection or was refused
//   pongs N               the answer to "pongs" on stdin: pongs received so far
// It exits when stdin closes.
class Worker : public LoadShare::Owner
{
public:
    Worker(const QUrl &url, int first, int count, int pingMs)
        : m_share(this, {url}, QStringLiteral("u"), ConnectingPerWorker)
    {
        QObject::connect(&m_parent, &ParentChannel::lineReceived, &m_parent,
                         [this](const QByteArray &line) {
                             if (line == "pongs")
                                 ParentChannel::send("pongs " + QByteArray::number(pongs()));
                         });
        QObject::connect(&m_parent, &ParentChannel::closed, qApp, &QCoreApplication::quit);
        // Each client logs in, catches up from seq 0 and from then on only pings, as an idle
        // app's heartbeat does, reading (but not decoding) what the server sends.
        m_share.open(first, count, {QStringLiteral("bench"), 0, pingMs});
    }

private:
    qint64 pongs()
    {
        qint64 pongs = 0;
        for (const LoadClient &client : m_share.clients())
            pongs += client.pongs();
        return pongs;
    }
    void settled(int, int failed, const QString &) override
    {
        // Each failure was told as it came.
        if (failed == 0)
            ParentChannel::send("ready");
    }
    void frameReceived(LoadClient &, QByteArrayView, qint64) override { }
    void allAcknowledged(LoadClient &) override { }
    void ended(LoadClient &client, RawWebSocketPeer::End, int, const QString &why) override
    {
        ParentChannel::send("lost " + client.uid().toUtf8() + ' ' + why.toUtf8());
    }

    ParentChannel m_parent;
    LoadShare m_share;
};

struct Step
{
    int connections = 0;
    Memory memory;
    double rampSeconds = 0;
    double rampServerCpuSeconds = 0;
    // What the heartbeats of idle connections cost: the server's CPU share while they settle.
    double settleServerCpuShare = 0;
    qint64 pongsWhileSettling = 0;
};

struct Run
{
    QString name;
    Memory idle;
    QList<Step> steps;

    // (RSS_N - RSS_0) / N in KiB, and the same by Pss and Private_Dirty.
    double perConnection(qint64 Memory::*field, const Step &step) const
    {
        return double(step.memory.*field - idle.*field) / step.connections;
    }
};

struct Settings
{
    QList<int> counts;
    int processes = 4;
    int pingMs = 2000;
    int settleMs = 5000;
    int rampTimeoutMs = 120000;
};

// Measures server (listening) idle and at every count, stops it.
bool measure(BundledServer &server, const Settings &settings, Run *run, QString *error)
{
    const qint64 pid = server.processId();
    waitFor([] { return false; }, IdleSettleMs);
    if (!readMemory(pid, &run->idle, error))
        return false;
    // The workers of this run, a few more at each count, and what they said.
    WorkerPool pool;
    int ready = 0;
    int answers = 0;
    qint64 pongs = 0;
    QStringList lost; // "UID WHY"
    QObject::connect(&pool, &WorkerPool::lineReceived, &pool, [&](int, const QByteArray &line) {
        if (line == "ready") {
            ++ready;
        } else if (line.startsWith("lost ")) {
            lost.append(QString::fromUtf8(line.mid(5)));
        } else if (line.startsWith("pongs ")) {
            pongs += line.mid(6).toLongLong();
            ++answers;
        }
    });
    // Pongs every worker received so far, or -1 if one did not answer in time.
    const auto pongsSoFar = [&]() -> qint64 {
        answers = 0;
        pongs = 0;
        pool.sendToAll("pongs");
        return waitFor([&] { return answers == pool.size(); }, AnswerTimeoutMs) ? pongs : -1;
    };
    const QStringList workerArguments = BenchCommandLine::workerArguments({server.url().toString()})
        + QStringList {QStringLiteral("--ping-ms"), QString::number(settings.pingMs)};
    int connected = 0;
    for (const int count : settings.counts) {
        std::fprintf(stderr, "%s: %d connections...\n", qUtf8Printable(run->name), count);
        // Every reason to give up names the server and the step.
        const auto fail = [&](const QString &why) {
            *error = QStringLiteral("%1, %2 connections: %3").arg(run->name).arg(count).arg(why);
            return false;
        };
        Step step;
        step.connections = count;
        QElapsedTimer ramp;
        ramp.start();
        const double cpuBefore = processCpuSeconds(pid);
        // New workers for the new connections, until every one of them is ready.
        const int workers
            = pool.startShares(connected, count, settings.processes, workerArguments, error);
        ready = 0;
        if (workers == 0
            || !pool.waitUntil([&] { return ready == workers || !lost.isEmpty(); },
                               settings.rampTimeoutMs,
                               QStringLiteral("the connections of %1 new worker processes to log "
                                              "in and catch up")
                                   .arg(workers),
                               error))
            return fail(*error);
        if (!lost.isEmpty())
            return fail(QStringLiteral("%1 connections were lost while connecting, the first: %2")
                            .arg(lost.size())
                            .arg(lost.constFirst()));
        connected = count;
        step.rampSeconds = double(ramp.elapsed()) / 1000.0;
        step.rampServerCpuSeconds = processCpuSeconds(pid) - cpuBefore;
        const qint64 pongsBefore = pongsSoFar();
        const double settleCpuBefore = processCpuSeconds(pid);
        // The pings flow while the server settles: the figure is an idle server's, not one
        // that is still sending presence to the newcomers.
        waitFor([] { return false; }, settings.settleMs);
        step.settleServerCpuShare
            = (processCpuSeconds(pid) - settleCpuBefore) / (settings.settleMs / 1000.0);
        const qint64 pongsAfter = pongsSoFar();
        if (pongsBefore < 0 || pongsAfter < 0)
            return fail(
                QStringLiteral("a worker did not answer within %1 s").arg(AnswerTimeoutMs / 1000));
        if (!lost.isEmpty())
            return fail(QStringLiteral("%1 lost while settling, the first: %2")
                            .arg(lost.size())
                            .arg(lost.constFirst()));
        step.pongsWhileSettling = pongsAfter - pongsBefore;
        // Each connection pings at least once while settling (the settle time is at least the
        // ping interval); far fewer pongs means the figure is not one of heartbeating connections.
        if (step.pongsWhileSettling < count / 2)
            return fail(QStringLiteral("only %1 pongs came back in %2 ms of pings every %3 ms")
                            .arg(step.pongsWhileSettling)
                            .arg(settings.settleMs)
                            .arg(settings.pingMs));
        if (!readMemory(pid, &step.memory, error))
            return false;
        run->steps.append(step);
    }
    if (!pool.finish(WorkerExitTimeoutMs))
        std::fprintf(stderr, "bench_memory: a worker of %s did not exit cleanly\n",
                     qUtf8Printable(run->name));
    server.stop();
    return true;
}

QJsonObject toJson(const Run &run)
{
    const auto memory = [](const Memory &m) {
        return QJsonObject {{QStringLiteral("rssKiB"), m.rssKiB},
                            {QStringLiteral("pssKiB"), m.pssKiB},
                            {QStringLiteral("privateDirtyKiB"), m.privateDirtyKiB}};
    };
    QJsonArray steps;
    for (const Step &step : run.steps) {
        steps.append(QJsonObject {
            {QStringLiteral("connections"), step.connections},
            {QStringLiteral("memory"), memory(step.memory)},
            {QStringLiteral("perConnectionRssKiB"), run.perConnection(&Memory::rssKiB, step)},
            {QStringLiteral("perConnectionPssKiB"), run.perConnection(&Memory::pssKiB, step)},
            {QStringLiteral("perConnectionPrivateDirtyKiB"),
             run.perConnection(&Memory::privateDirtyKiB, step)},
            {QStringLiteral("rampSeconds"), step.rampSeconds},
            {QStringLiteral("rampServerCpuSeconds"), step.rampServerCpuSeconds},
            {QStringLiteral("settleServerCpuShare"), step.settleServerCpuShare},
            {QStringLiteral("pongsWhileSettling"), step.pongsWhileSettling},
        });
    }
    return {{QStringLiteral("idle"), memory(run.idle)}, {QStringLiteral("steps"), steps}};
}

void printRun(const Run &run)
{
    std::printf("%s: %lld KiB RSS with no client\n", qUtf8Printable(run.name),
                static_cast<long long>(run.idle.rssKiB));
    std::printf("  %11s %10s %14s %14s %22s %7s %13s\n", "connections", "RSS KiB", "KiB/conn (RSS)",
                "KiB/conn (Pss)", "KiB/conn (Priv. dirty)", "ramp s", "ramp CPU s");
    for (const Step &step : run.steps)
        std::printf("  %11d %10lld %14.1f %14.1f %22.1f %7.1f %11.2f %11.1f\n", step.connections,
                    static_cast<long long>(step.memory.rssKiB),
                    run.perConnection(&Memory::rssKiB, step),
                    run.perConnection(&Memory::pssKiB, step),
                    run.perConnection(&Memory::privateDirtyKiB, step), step.rampSeconds,
                    step.rampServerCpuSeconds, step.settleServerCpuShare * 100);
}

} // namespace

int main(int argc, char *argv[])
{
    raiseFileLimit("bench_memory");
    // The workers' LoadClients run on the epoll loop, which must be in place before the
    // application object.
    if (BenchCommandLine::isWorker(argc, argv))
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    BenchCommandLine options(
        QStringLiteral("Server memory per idle connection, lifeline-server against the Node.js "
                       "ws peer."));
    options.addOption({QStringLiteral("connections"),
                       QStringLiteral("The connection counts measured, ascending (default: "
                                      "1000,5000)."),
                       QStringLiteral("n,n"), QStringLiteral("1000,5000")});
    Settings settings;
    int rampTimeoutSeconds = settings.rampTimeoutMs / 1000;
    options.addNumber(QStringLiteral("processes"),
                      QStringLiteral("Worker processes the clients are spread over at each step"),
                      &settings.processes);
    options.addNumber(QStringLiteral("ping-ms"),
                      QStringLiteral("Each client's heartbeat: a WebSocket ping this often"),
                      &settings.pingMs, QStringLiteral("ms"));
    options.addNumber(QStringLiteral("settle-ms"),
                      QStringLiteral("How long the connections idle before the server's memory is "
                                     "read"),
                      &settings.settleMs, QStringLiteral("ms"));
    options.addNumber(QStringLiteral("ramp-timeout-s"),
                      QStringLiteral("How long the connections of one step may take to log in and "
                                     "catch up before the benchmark gives up"),
                      &rampTimeoutSeconds, QStringLiteral("s"));
    // Measured as the baseline when node and its ws are installed.
    options.addOption(nodePeerOption());
    options.addWorkerOptions();
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
    if (!options.process(app))
        return SetupFailedExit;
    settings.rampTimeoutMs = rampTimeoutSeconds * 1000;
    if (options.isWorker()) {
        Worker worker(options.workerUrls().constFirst(), options.workerFirst(),
                      options.workerCount(), settings.pingMs);
        return QCoreApplication::exec();
    }
    bool ok = true;
    for (const QString &count :
         options.value(QStringLiteral("connections")).split(QLatin1Char(','))) {
        bool isNumber = false;
        settings.counts.append(count.toInt(&isNumber));
        ok = ok && isNumber && settings.counts.constLast() > 0
            && (settings.counts.size() == 1
                || settings.counts.constLast() > settings.counts.at(settings.counts.size() - 2));
    }
    if (!ok || settings.settleMs < settings.pingMs)
        return setupFailed(QStringLiteral("--connections takes ascending positive numbers "
                                          "(1000,5000), and --settle-ms must be at least "
                                          "--ping-ms"));
    // Every client has a socket and the server one for each, in processes that inherit the limit.
    const qint64 descriptorsNeeded = settings.counts.constLast() + 100;
    if (fileLimit() < descriptorsNeeded)
        return setupFailed(QStringLiteral("%1 connections need %2 open files, the limit is %3: "
                                          "raise it (ulimit -n %2) or measure fewer connections")
                               .arg(settings.counts.constLast())
                               .arg(descriptorsNeeded)
                               .arg(fileLimit()));
    // The thousands of logins and catch-ups would each be a line on our stderr.
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false");

    QTemporaryDir dir;
    const QStringList limits = connectionLimits(settings.counts.constLast() + 100);
    QString error;
    // One kind of server at a time, measured and printed; false with the reason in error.
    using Servers = std::vector<std::unique_ptr<BundledServer>>;
    const auto measureRun = [&](Run *run, const Servers &servers) {
        if (servers.empty() || !measure(*servers.front(), settings, run, &error))
            return false;
        printRun(*run);
        return true;
    };
    Run lifelineRun {QStringLiteral("lifeline-server"), {}, {}};
    if (!measureRun(
            &lifelineRun,
            startDeployment(nullptr, 1, dir.filePath(QStringLiteral("server")), limits, &error)))
        return setupFailed(error);

    Run postgresRun {QStringLiteral("lifeline-server on PostgreSQL"), {}, {}};
    {
        PostgresCluster postgres;
        if (!postgres.start())
            return setupFailed(QStringLiteral("PostgreSQL: %1").arg(postgres.errorString()));
        if (!measureRun(&postgresRun,
                        startDeployment(&postgres, 1,
                                        dir.filePath(QStringLiteral("server-postgres")), limits,
                                        &error)))
            return setupFailed(error);
    }

    const QString peerDir = QDir(options.value(QStringLiteral("peer"))).absolutePath();
    const QString whyNoPeer = nodePeerProblem(peerDir);
    Run peerRun {QStringLiteral("Node.js ws peer"), {}, {}};
    if (whyNoPeer.isEmpty()) {
        Servers peer;
        if (auto started = startNodePeer(peerDir, &error))
            peer.push_back(std::move(started));
        if (!measureRun(&peerRun, peer))
            return setupFailed(error);
    } else {
        std::printf("no baseline: %s\n", qUtf8Printable(whyNoPeer));
    }

    BenchReport report(QStringLiteral("memory"));
    // A row for each count, measured on run against the same count on baseline, if any.
    const auto addRows = [&report](const QString &measure, const Run &run, const Run *baseline,
                                   const QString &baselineName) {
        for (qsizetype i = 0; i < run.steps.size(); ++i) {
            const double kib = run.perConnection(&Memory::rssKiB, run.steps.at(i));
            report.addRow({measure.arg(run.steps.at(i).connections), QStringLiteral("KiB"), kib,
                           baseline ? std::optional(
                               baseline->perConnection(&Memory::rssKiB, baseline->steps.at(i)))
                                    : std::nullopt,
                           baseline ? baselineName : QString(), QStringLiteral("< 50 KiB"),
                           kib < TargetKiB});
        }
    };
    addRows(QStringLiteral("server memory per idle connection (RSS), %1 connections"), lifelineRun,
            whyNoPeer.isEmpty() ? &peerRun : nullptr, QStringLiteral("Node.js ws"));
    // The same on PostgreSQL: its backends (three for the instance, none per client) are
    // PostgreSQL's processes, not the instance's.
    addRows(QStringLiteral("server memory per idle connection (RSS) on PostgreSQL, %1 "
                           "connections"),
            postgresRun, &lifelineRun, QStringLiteral("lifeline-server on SQLite"));
    report.setDetail(QStringLiteral("lifeline"), toJson(lifelineRun));
    report.setDetail(QStringLiteral("lifelinePostgres"), toJson(postgresRun));
    if (whyNoPeer.isEmpty())
        report.setDetail(QStringLiteral("peer"), toJson(peerRun));
    else
        report.setDetail(QStringLiteral("noBaseline"), whyNoPeer);
    report.setDetail(QStringLiteral("settings"),
                     QJsonObject {{QStringLiteral("processes"), settings.processes},
                                  {QStringLiteral("pingMs"), settings.pingMs},
                                  {QStringLiteral("settleMs"), settings.settleMs},
                                  {QStringLiteral("uids"), QStringLiteral("distinct, u0 ...")}});
    std::printf("target: under %.0f KiB per connection at every count: %s\n", TargetKiB,
                report.allTargetsMet() ? "met" : "MISSED");
    return report.finish(options.jsonPath());
}
