// The server's acknowledged-and-stored messages a second: many connections send at once, each
// with a window of unacknowledged messages, to lifeline-server with its store as it always is
// (SQLite, WAL journal, synchronous=FULL: an ack means the message is on disk). The default,
// one commit for the sends of each event-loop turn, against one commit per message
// (--commit-batching off) on a fresh server in the same round.
//
//   bench_store [--messages 20000] [--connections 50] [--window 16] [--processes 2]
//               [--rounds 3] [--json FILE]
//
// With --cluster, the same load on PostgreSQL (a throwaway cluster, fsync and synchronous_commit
// on): through three lifeline-server instances sharing one database, the senders spread over
// them, against one instance alone. Target: three at least 0.8 x one (docs/scaling.md).
//
// The senders run in worker processes (this program with --worker); the time runs from "go" to
// the last ack. The figure is the median over the rounds; the modes take turns going first.
// Exit code 1 if a target is missed, 2 if the benchmark could not run.
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "commitsummary.h"
#include "epolleventdispatcher.h"
#include "loadshare.h"
#include "median.h"
#include "parentchannel.h"
#include "postgrescluster.h"
#include "postgresinstances.h"
#include "processcpu.h"
#include "serverwaits.h"
#include "waitfor.h"
#include "workerpool.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cstdio>

using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::server;
using namespace lifeline::testkit;

namespace {

// Generous bounds for a loaded 2-core machine; what is measured is printed, not these.
constexpr int LoginTimeoutMs = 30000;
constexpr int LoadTimeoutMs = 60000;
constexpr int WorkerExitTimeoutMs = 10000;

// --worker: count senders s<first> ..., each sending `messages` to one of urls in turn; lines
// on stdout:
//   ready                every sender is logged in
//   done                 every message of every sender is acknowledged
//   failed UID WHY       a sender lost its connection or got something other than an ack
// "go" on stdin starts the sending; the worker exits when stdin closes.
class Worker : public LoadShare::Owner
{
public:
    Worker(const QList<QUrl> &urls, int first, int count, int messages, int window)
        : m_share(this, urls, QStringLiteral("s"), count)
        , m_count(count)
        , m_messages(messages)
    {
        QObject::connect(&m_parent, &ParentChannel::lineReceived, &m_parent,
                         [this, messages, window](const QByteArray &line) {
                             if (line != "go")
                                 return;
                             for (LoadClient &sender : m_share.clients())
                                 sender.sendMessages(messages, window);
                         });
        QObject::connect(&m_parent, &ParentChannel::closed, qApp, &QCoreApplication::quit);
        // All at once, logged in and not caught up: they only send.
        m_share.open(first, count, {QStringLiteral("bench"), std::nullopt, 0});
    }

private:
    void settled(int, int failed, const QString &) override
    {
        // Each failure was told as it came.
        if (failed == 0)
            ParentChannel::send("ready");
    }
    void frameReceived(LoadClient &, QByteArrayView, qint64) override { }
    void allAcknowledged(LoadClient &) override
    {
        if (++m_finished == m_count)
            ParentChannel::send("done");
    }
    void ended(LoadClient &sender, RawWebSocketPeer::End, int, const QString &why) override
    {
        // A server that closes once every message is in has failed nobody.
        if (sender.acks() < m_messages)
            ParentChannel::send("failed " + sender.uid().toUtf8() + ' ' + why.toUtf8());
    }

    ParentChannel m_parent;
    LoadShare m_share;
    int m_count;
    int m_messages;
    int m_finished = 0;
};

struct Settings
{
    int messages = 20000;
    int connections = 50;
    int window = 16;
    int processes = 2;
    int rounds = 3;
    // What every round sends: a whole number of messages per connection.
    int total() const { return messages / connections * connections; }
};

struct Result
{
    double seconds = 0;
    double messagesPerSecond = 0;
    qint64 commits = 0;
    double serverCpuSeconds = 0;
    double commitsPerSecond = 0;
    double messagesPerCommit = 0;
};

// One way of deploying the servers, and what its rounds measured.
struct Mode
{
    QString name; // in the errors: "--commit-batching off", "3 instances on PostgreSQL"
    const char *row; // in the table
    bool batched = true;
    PostgresCluster *postgres = nullptr; // null for one server on SQLite
    int instances = 1;
    QList<Result> results = {};

    double median(double Result::*field) const { return lifeline::bench::median(results, field); }
};

// Fresh servers as mode says, the load once: false with what went wrong in *error.
bool runOnce(const Mode &mode, const Settings &settings, const QString &dataDir, Result *result,
             QString *error)
{
    QStringList arguments {QStringLiteral("--rate"), QStringLiteral("0")};
    if (!mode.postgres)
        arguments << QStringLiteral("--commit-batching")
                  << (mode.batched ? QStringLiteral("on") : QStringLiteral("off"));
    const std::vector<std::unique_ptr<BundledServer>> servers
        = startDeployment(mode.postgres, mode.instances, dataDir, arguments, error);
    if (servers.empty())
        return false;
    // Each server says at exit how many messages its commits stored, and in how many commits.
    CommitSummary summary;
    QStringList urls;
    QList<qint64> pids;
    for (const auto &server : servers) {
        summary.listenTo(*server);
        urls.append(server->url().toString());
        pids.append(server->processId());
    }

    WorkerPool pool;
    int ready = 0;
    int done = 0;
    QStringList failures;
    QObject::connect(&pool, &WorkerPool::lineReceived, &pool, [&](int, const QByteArray &line) {
        if (line == "ready")
            ++ready;
        else if (line == "done")
            ++done;
        else if (line.startsWith("failed "))
            failures.append(QString::fromUtf8(line.mid(7)));
    });
    const int perConnection = settings.messages / settings.connections;
    const int workers = pool.startShares(
        0, settings.connections, settings.processes,
        BenchCommandLine::workerArguments(urls)
            + QStringList {QStringLiteral("--messages"), QString::number(perConnection),
                           QStringLiteral("--window"), QString::number(settings.window)},
        error);
    if (workers == 0)
        return false;
    // Until every worker said `counter` lines, or one failed.
    const auto waitForAll = [&](const int &counter, int timeoutMs, const QString &what) {
        if (!pool.waitUntil([&] { return counter == workers || !failures.isEmpty(); }, timeoutMs,
                            QStringLiteral("all %1 workers to have %2").arg(workers).arg(what),
                            error))
            return false;
        if (!failures.isEmpty())
            *error = failures.constFirst();
        return failures.isEmpty();
    };
    if (!waitForAll(ready, LoginTimeoutMs, QStringLiteral("their senders logged in")))
        return false;

    const double cpuBefore = processCpuSeconds(pids);
    QElapsedTimer clock;
    clock.start();
    pool.sendToAll("go");
    if (!waitForAll(done, LoadTimeoutMs, QStringLiteral("all their messages acknowledged")))
        return false;
    result->seconds = double(clock.nsecsElapsed()) / 1e9;
    const int total = settings.total();
    result->messagesPerSecond = total / result->seconds;
    result->serverCpuSeconds = processCpuSeconds(pids) - cpuBefore;
    if (!pool.finish(WorkerExitTimeoutMs))
        std::fprintf(stderr, "bench_store: a worker did not exit cleanly\n");
    for (const auto &server : servers)
        server->stop();
    for (const auto &server : servers) {
        if (!waitForStopped(*server))
            std::fprintf(stderr, "bench_store: lifeline-server did not stop\n");
    }
    result->commits = summary.commits;
    const qint64 committed = summary.messages;
    if (committed == total && !mode.batched && result->commits != total) {
        *error = QStringLiteral("lifeline-server took %1 commits for %2 messages with "
                                "--commit-batching off, not one each")
                     .arg(result->commits)
                     .arg(total);
        return false;
    }
    if (committed != total) {
        *error = summary.servers != int(servers.size())
            ? QStringLiteral("lifeline-server did not report its commits at exit")
            : QStringLiteral("lifeline-server committed %1 messages, %2 were sent")
                  .arg(committed)
                  .arg(total);
        return false;
    }
    result->commitsPerSecond = double(result->commits) / result->seconds;
    result->messagesPerCommit = double(total) / double(result->commits);
    return true;
}

// Every round runs both modes, each on fresh servers, taking turns going first so that neither
// always gets the cooler disk cache; false after saying what went wrong.
bool runRounds(Mode *first, Mode *second, const Settings &settings)
{
    QTemporaryDir dir;
    for (int round = 0; round < settings.rounds; ++round) {
        for (Mode *mode : round % 2 == 0 ? QList {first, second} : QList {second, first}) {
            Result result;
            QString error;
            const QString dataDir
                = dir.filePath(QStringLiteral("round%1-%2").arg(round).arg(mode == first));
            if (!runOnce(*mode, settings, dataDir, &result, &error)) {
                setupFailed(
                    QStringLiteral("%1, round %2: %3").arg(mode->name).arg(round + 1).arg(error));
                return false;
            }
            mode->results.append(result);
        }
        std::fprintf(stderr, "round %d of %d done\n", round + 1, settings.rounds);
    }
    return true;
}

// The table of both modes, in the order given; storage as in its title.
void printTable(const Settings &settings, const char *storage, const char *cpuColumn,
                const QList<const Mode *> &modes)
{
    std::printf("Acknowledged and stored messages: %d from %d connections, window %d each, "
                "%s (median of %d rounds)\n",
                settings.total(), settings.connections, settings.window, storage, settings.rounds);
    std::printf("%-38s %12s %12s %14s %12s\n", "", "messages/s", "commits/s", "msgs/commit",
                cpuColumn);
    for (const Mode *mode : modes)
        std::printf(
            "%-38s %12.0f %12.0f %14.1f %12.2f\n", mode->row,
            mode->median(&Result::messagesPerSecond), mode->median(&Result::commitsPerSecond),
            mode->median(&Result::messagesPerCommit), mode->median(&Result::serverCpuSeconds));
}

QJsonArray toJson(const Mode &mode)
{
    QJsonArray array;
    for (const Result &r : mode.results)
        array.append(QJsonObject {{QStringLiteral("seconds"), r.seconds},
                                  {QStringLiteral("messagesPerSecond"), r.messagesPerSecond},
                                  {QStringLiteral("commits"), r.commits},
                                  {QStringLiteral("serverCpuSeconds"), r.serverCpuSeconds}});
    return array;
}

QJsonObject settingsJson(const Settings &settings)
{
    return {{QStringLiteral("messages"), double(settings.total())},
            {QStringLiteral("connections"), settings.connections},
            {QStringLiteral("window"), settings.window},
            {QStringLiteral("processes"), settings.processes},
            {QStringLiteral("rounds"), settings.rounds},
            {QStringLiteral("textBytes"), LoadClient::chatLine().toUtf8().size()},
            {QStringLiteral("serverFlags"), QStringLiteral("--rate 0")}};
}

// --cluster: one instance on PostgreSQL, then three sharing its database (each round on new
// databases).
int runCluster(const Settings &settings, const QString &jsonPath)
{
    PostgresCluster postgres;
    if (!postgres.start())
        return setupFailed(QStringLiteral("PostgreSQL: %1").arg(postgres.errorString()));
    Mode one {QStringLiteral("1 instances on PostgreSQL"), "1 instance", true, &postgres};
    Mode three {QStringLiteral("3 instances on PostgreSQL"), "3 instances", true, &postgres, 3};
    if (!runRounds(&one, &three, settings))
        return SetupFailedExit;
    const double oneRate = one.median(&Result::messagesPerSecond);
    const double threeRate = three.median(&Result::messagesPerSecond);
    const double ratio = threeRate / oneRate;
    const bool met = ratio >= 0.8;
    printTable(settings, "PostgreSQL with fsync and synchronous_commit on", "servers CPU s",
               {&one, &three});
    std::printf("ratio 3 instances / 1: %.2f (target >= 0.8) %s\n", ratio, met ? "met" : "MISSED");

    BenchReport report(QStringLiteral("store-cluster"));
    report.addRow({QStringLiteral("acknowledged-and-stored messages/s through 3 instances on "
                                  "PostgreSQL, %1 connections")
                       .arg(settings.connections),
                   QStringLiteral("messages/s"), threeRate, oneRate,
                   QStringLiteral("1 instance on the same PostgreSQL"),
                   QStringLiteral(">= 0.8 x baseline"), met});
    report.setDetail(QStringLiteral("oneInstance"), toJson(one));
    report.setDetail(QStringLiteral("threeInstances"), toJson(three));
    report.setDetail(QStringLiteral("settings"), settingsJson(settings));
    return report.finish(jsonPath);
}

} // namespace

int main(int argc, char *argv[])
{
    // The workers' LoadClients run on the epoll loop, which must be in place before the
    // application object.
    if (BenchCommandLine::isWorker(argc, argv))
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    BenchCommandLine options(
        QStringLiteral("lifeline-server's acknowledged-and-stored messages a second, with and "
                       "without batched commits."));
    Settings settings;
    options.addNumber(QStringLiteral("messages"),
                      QStringLiteral("Messages in all, spread evenly over the connections"),
                      &settings.messages);
    options.addNumber(QStringLiteral("connections"), QStringLiteral("Connections sending at once"),
                      &settings.connections);
    options.addNumber(QStringLiteral("window"),
                      QStringLiteral("Unacknowledged messages each connection may have"),
                      &settings.window);
    options.addNumber(QStringLiteral("processes"),
                      QStringLiteral("Worker processes the connections are spread over"),
                      &settings.processes);
    options.addNumber(QStringLiteral("rounds"),
                      QStringLiteral("Rounds of both modes, each on a fresh server"),
                      &settings.rounds);
    options.addOption(
        {QStringLiteral("cluster"),
         QStringLiteral("Through three instances on PostgreSQL against one, instead.")});
    options.addWorkerOptions();
    if (!options.process(app))
        return SetupFailedExit;
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
    if (options.isWorker()) {
        Worker worker(options.workerUrls(), options.workerFirst(), options.workerCount(),
                      settings.messages, settings.window);
        return QCoreApplication::exec();
    }
    if (settings.messages < settings.connections)
        return setupFailed(QStringLiteral("--messages must be at least one per connection"));
    // The server's own info lines, and the commit count it gives at exit
    // (lifeline.server.stats); the test kit's stay quiet.
    qputenv("QT_LOGGING_RULES",
            "lifeline.*.info=false;lifeline.server.info=true;lifeline.server.stats.info=true");

    if (options.isSet(QStringLiteral("cluster")))
        return runCluster(settings, options.jsonPath());

    Mode batched {QStringLiteral("--commit-batching on"), "one commit per event-loop turn (on)"};
    Mode unbatched {QStringLiteral("--commit-batching off"), "one commit per message (off)", false};
    if (!runRounds(&batched, &unbatched, settings))
        return SetupFailedExit;
    // Every run committed every message, or it failed above.
    const double batchedRate = batched.median(&Result::messagesPerSecond);
    const double unbatchedRate = unbatched.median(&Result::messagesPerSecond);
    printTable(settings, "SQLite WAL synchronous=FULL", "server CPU s", {&unbatched, &batched});
    std::printf("%-38s %12.2f\n", "ratio batched / one per message", batchedRate / unbatchedRate);

    BenchReport report(QStringLiteral("store"));
    const QString unbatchedName = QStringLiteral("one commit per message (--commit-batching off)");
    report.addRow({QStringLiteral("acknowledged-and-stored messages/s, %1 connections, SQLite "
                                  "WAL synchronous=FULL, commits batched per event-loop turn")
                       .arg(settings.connections),
                   QStringLiteral("messages/s"), batchedRate, unbatchedRate, unbatchedName,
                   QString(), std::nullopt});
    report.addRow({QStringLiteral("messages per commit (one WAL fsync each)"),
                   QStringLiteral("messages"), batched.median(&Result::messagesPerCommit), 1.0,
                   unbatchedName, QString(), std::nullopt});
    report.setDetail(QStringLiteral("batched"), toJson(batched));
    report.setDetail(QStringLiteral("unbatched"), toJson(unbatched));
    report.setDetail(QStringLiteral("commitsPerSecondBatched"),
                     batched.median(&Result::commitsPerSecond));
    report.setDetail(QStringLiteral("commitsPerSecondUnbatched"),
                     unbatched.median(&Result::commitsPerSecond));
    report.setDetail(QStringLiteral("settings"), settingsJson(settings));
    return report.finish(options.jsonPath());
}
