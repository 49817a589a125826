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
#include "benchoptions.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "median.h"
#include "parentchannel.h"
#include "postgrescluster.h"
#include "postgresinstances.h"
#include "processcpu.h"
#include "serverwaits.h"
#include "waitfor.h"
#include "windowedsender.h"
#include "workerpool.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>
#include <cstdio>

using lifeline::harness::BundledServer;
using lifeline::testkit::PostgresCluster;

using lifeline::bench::BenchReport;
using lifeline::bench::median;
using lifeline::bench::ParentChannel;
using lifeline::bench::readWholeNumber;
using lifeline::bench::WindowedSender;
using lifeline::bench::WorkerPool;
using lifeline::testkit::waitFor;

namespace {

// Generous bounds for a loaded 2-core machine; what is measured is printed, not these.
constexpr int StartTimeoutMs = 10000;
constexpr int LoginTimeoutMs = 30000;
constexpr int LoadTimeoutMs = 60000;
constexpr int WorkerExitTimeoutMs = 10000;

// --worker: count senders s<first> ..., each sending `messages` to one of urls in turn; lines
// on stdout:
//   ready                every sender is logged in
//   done                 every message of every sender is acknowledged
//   failed UID WHY       a sender lost its connection or got something other than an ack
// "go" on stdin starts the sending; the worker exits when stdin closes.
int runWorker(const QList<QUrl> &urls, int first, int count, int messages, int window)
{
    ParentChannel parent;
    QList<WindowedSender *> senders;
    int welcomed = 0;
    int finished = 0;
    for (int i = first; i < first + count; ++i) {
        auto *sender = new WindowedSender(urls.at(i % urls.size()), QStringLiteral("s%1").arg(i),
                                          messages, window, qApp);
        QObject::connect(sender, &WindowedSender::welcomed, sender, [&welcomed, count] {
            if (++welcomed == count)
                ParentChannel::send("ready");
        });
        QObject::connect(sender, &WindowedSender::finished, sender, [&finished, count] {
            if (++finished == count)
                ParentChannel::send("done");
        });
        QObject::connect(sender, &WindowedSender::failed, sender, [sender](const QString &why) {
            ParentChannel::send("failed " + sender->uid().toUtf8() + ' ' + why.toUtf8());
        });
        senders.append(sender);
    }
    QObject::connect(&parent, &ParentChannel::lineReceived, &parent,
                     [&senders](const QByteArray &line) {
                         if (line != "go")
                             return;
                         for (WindowedSender *sender : std::as_const(senders))
                             sender->start();
                     });
    QObject::connect(&parent, &ParentChannel::closed, qApp, &QCoreApplication::quit);
    const int result = QCoreApplication::exec();
    qDeleteAll(senders);
    return result;
}

struct Settings
{
    int messages = 20000;
    int connections = 50;
    int window = 16;
    int processes = 2;
    int rounds = 3;
};

struct Result
{
    double seconds = 0;
    double messagesPerSecond = 0;
    qint64 commits = 0;
    double serverCpuSeconds = 0;
};

// Where the load goes: one server on SQLite, or instances on a new database of postgres.
struct Deployment
{
    bool batched = true;
    PostgresCluster *postgres = nullptr;
    int instances = 1;
};

// Fresh servers as deployment says, the load once: false with what went wrong in *error.
bool runOnce(const Deployment &deployment, const Settings &settings, const QString &dataDir,
             Result *result, QString *error)
{
    const bool batched = deployment.batched;
    std::vector<std::unique_ptr<BundledServer>> servers;
    if (deployment.postgres) {
        servers = lifeline::bench::startOnPostgres(
            deployment.postgres, deployment.instances, dataDir,
            {QStringLiteral("--rate"), QStringLiteral("0")}, error);
        if (servers.empty())
            return false;
    } else {
        servers.push_back(std::make_unique<BundledServer>());
        BundledServer &server = *servers.back();
        server.setDataDirectory(dataDir);
        server.setExtraArguments({QStringLiteral("--rate"), QStringLiteral("0"),
                                  QStringLiteral("--commit-batching"),
                                  batched ? QStringLiteral("on") : QStringLiteral("off")});
        server.start();
        if (!lifeline::testkit::waitForStarted(server, StartTimeoutMs)) {
            *error = QStringLiteral("lifeline-server did not start listening within %1 s")
                         .arg(StartTimeoutMs / 1000);
            return false;
        }
    }
    // Each server says at exit how many messages its commits stored, and in how many commits.
    const QRegularExpression summary(QStringLiteral("(\\d+) messages went through (\\d+) commits"));
    qint64 committed = 0;
    int summaries = 0;
    QStringList urls;
    QList<qint64> pids;
    for (const auto &server : servers) {
        QObject::connect(server.get(), &BundledServer::standardErrorLine, server.get(),
                         [&](const QString &line) {
                             const QRegularExpressionMatch match = summary.match(line);
                             if (!match.hasMatch())
                                 return;
                             committed += match.captured(1).toLongLong();
                             result->commits += match.captured(2).toLongLong();
                             ++summaries;
                         });
        urls.append(server->url().toString());
        pids.append(server->processId());
    }
    const auto serversCpu = [&pids] {
        double seconds = 0;
        for (qint64 pid : std::as_const(pids))
            seconds += lifeline::bench::processCpuSeconds(pid);
        return seconds;
    };

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
    const int perWorker = (settings.connections + settings.processes - 1) / settings.processes;
    const int perConnection = settings.messages / settings.connections;
    int workers = 0;
    for (int first = 0; first < settings.connections; first += perWorker, ++workers) {
        if (!pool.start({QStringLiteral("--worker"), QStringLiteral("--url"),
                         urls.join(QLatin1Char(',')), QStringLiteral("--first"),
                         QString::number(first), QStringLiteral("--count"),
                         QString::number(std::min(perWorker, settings.connections - first)),
                         QStringLiteral("--messages"), QString::number(perConnection),
                         QStringLiteral("--window"), QString::number(settings.window)},
                        error))
            return false;
    }
    const auto stopped = [&] { return !failures.isEmpty() || !pool.failure().isEmpty(); };
    if (!waitFor([&] { return ready == workers || stopped(); }, LoginTimeoutMs) || stopped()) {
        *error = !failures.isEmpty() ? failures.constFirst()
            : !pool.failure().isEmpty()
            ? pool.failure()
            : QStringLiteral("%1 of %2 workers had their senders logged in after %3 s")
                  .arg(ready)
                  .arg(workers)
                  .arg(LoginTimeoutMs / 1000);
        return false;
    }

    const double cpuBefore = serversCpu();
    QElapsedTimer clock;
    clock.start();
    pool.sendToAll("go");
    if (!waitFor([&] { return done == workers || stopped(); }, LoadTimeoutMs) || stopped()) {
        *error = !failures.isEmpty() ? failures.constFirst()
            : !pool.failure().isEmpty()
            ? pool.failure()
            : QStringLiteral("%1 of %2 workers had all their messages acknowledged after %3 s")
                  .arg(done)
                  .arg(workers)
                  .arg(LoadTimeoutMs / 1000);
        return false;
    }
    result->seconds = double(clock.nsecsElapsed()) / 1e9;
    const int total = perConnection * settings.connections;
    result->messagesPerSecond = total / result->seconds;
    result->serverCpuSeconds = serversCpu() - cpuBefore;
    if (!pool.finish(WorkerExitTimeoutMs))
        std::fprintf(stderr, "bench_store: a worker did not exit cleanly\n");
    for (const auto &server : servers)
        server->stop();
    for (const auto &server : servers) {
        if (!lifeline::testkit::waitForStopped(*server))
            std::fprintf(stderr, "bench_store: lifeline-server did not stop\n");
    }
    if (committed == total && !batched && result->commits != total) {
        *error = QStringLiteral("lifeline-server took %1 commits for %2 messages with "
                                "--commit-batching off, not one each")
                     .arg(result->commits)
                     .arg(total);
        return false;
    }
    if (committed != total) {
        *error = summaries != int(servers.size())
            ? QStringLiteral("lifeline-server did not report its commits at exit")
            : QStringLiteral("lifeline-server committed %1 messages, %2 were sent")
                  .arg(committed)
                  .arg(total);
        return false;
    }
    return true;
}

// The median of one figure over the rounds.
double medianOf(const QList<Result> &results, double Result::*field)
{
    QList<double> values;
    for (const Result &r : results)
        values.append(r.*field);
    return median(values);
}

QJsonArray toJson(const QList<Result> &results)
{
    QJsonArray array;
    for (const Result &r : results)
        array.append(QJsonObject {{QStringLiteral("seconds"), r.seconds},
                                  {QStringLiteral("messagesPerSecond"), r.messagesPerSecond},
                                  {QStringLiteral("commits"), r.commits},
                                  {QStringLiteral("serverCpuSeconds"), r.serverCpuSeconds}});
    return array;
}

QJsonObject settingsJson(const Settings &settings, double total)
{
    return {{QStringLiteral("messages"), total},
            {QStringLiteral("connections"), settings.connections},
            {QStringLiteral("window"), settings.window},
            {QStringLiteral("processes"), settings.processes},
            {QStringLiteral("rounds"), settings.rounds},
            {QStringLiteral("textBytes"), WindowedSender::text().toUtf8().size()},
            {QStringLiteral("serverFlags"), QStringLiteral("--rate 0")}};
}

// --cluster: one instance on PostgreSQL, then three sharing its database (each round on new
// databases, taking turns going first).
int runCluster(const Settings &settings, const QString &jsonPath)
{
    PostgresCluster postgres;
    if (!postgres.start()) {
        std::fprintf(stderr, "bench_store: PostgreSQL: %s\n",
                     qUtf8Printable(postgres.errorString()));
        return 2;
    }
    QTemporaryDir dir;
    QList<Result> one;
    QList<Result> three;
    for (int round = 0; round < settings.rounds; ++round) {
        for (const int instances : {round % 2 == 0 ? 1 : 3, round % 2 == 0 ? 3 : 1}) {
            Result result;
            QString error;
            const QString dataDir
                = dir.filePath(QStringLiteral("round%1-%2").arg(round).arg(instances));
            if (!runOnce({true, &postgres, instances}, settings, dataDir, &result, &error)) {
                std::fprintf(stderr, "bench_store: %d instances on PostgreSQL, round %d: %s\n",
                             instances, round + 1, qUtf8Printable(error));
                return 2;
            }
            (instances == 1 ? one : three).append(result);
        }
        std::fprintf(stderr, "round %d of %d done\n", round + 1, settings.rounds);
    }
    const double total = double(settings.messages / settings.connections * settings.connections);
    const double oneRate = medianOf(one, &Result::messagesPerSecond);
    const double threeRate = medianOf(three, &Result::messagesPerSecond);
    const double ratio = threeRate / oneRate;
    const bool met = ratio >= 0.8;
    std::printf("Acknowledged and stored messages: %.0f from %d connections, window %d each, "
                "PostgreSQL with fsync and synchronous_commit on (median of %d rounds)\n",
                total, settings.connections, settings.window, settings.rounds);
    std::printf("%-38s %12s %12s %14s %12s\n", "", "messages/s", "commits/s", "msgs/commit",
                "servers CPU s");
    for (const auto &[name, results] : {std::pair {"1 instance", &one}, {"3 instances", &three}}) {
        QList<double> perCommit;
        QList<double> commitsPerSecond;
        for (const Result &r : std::as_const(*results)) {
            perCommit.append(total / double(r.commits));
            commitsPerSecond.append(double(r.commits) / r.seconds);
        }
        std::printf("%-38s %12.0f %12.0f %14.1f %12.2f\n", name,
                    medianOf(*results, &Result::messagesPerSecond), median(commitsPerSecond),
                    median(perCommit), medianOf(*results, &Result::serverCpuSeconds));
    }
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
    report.setDetail(QStringLiteral("settings"), settingsJson(settings, total));
    QString error;
    if (!jsonPath.isEmpty() && !report.write(jsonPath, &error)) {
        std::fprintf(stderr, "bench_store: %s\n", qUtf8Printable(error));
        return 2;
    }
    return met ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("lifeline-server's acknowledged-and-stored messages a second, with and "
                       "without batched commits."));
    parser.addHelpOption();
    const auto option = [](const char *name, const char *description, int value) {
        return QCommandLineOption(
            QLatin1String(name),
            QStringLiteral("%1 (default: %2).").arg(QLatin1String(description)).arg(value),
            QStringLiteral("n"), QString::number(value));
    };
    const Settings defaults;
    const QCommandLineOption messagesOption = option(
        "messages", "Messages in all, spread evenly over the connections", defaults.messages);
    const QCommandLineOption connectionsOption
        = option("connections", "Connections sending at once", defaults.connections);
    const QCommandLineOption windowOption
        = option("window", "Unacknowledged messages each connection may have", defaults.window);
    const QCommandLineOption processesOption = option(
        "processes", "Worker processes the connections are spread over", defaults.processes);
    const QCommandLineOption roundsOption
        = option("rounds", "Rounds of both modes, each on a fresh server", defaults.rounds);
    const QCommandLineOption clusterOption(
        QStringLiteral("cluster"),
        QStringLiteral("Through three instances on PostgreSQL against one, instead."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Write the figures to this JSON file."),
                                        QStringLiteral("file"));
    // Internal: how the benchmark starts its worker processes.
    QCommandLineOption workerOption(QStringLiteral("worker"));
    QCommandLineOption urlOption(QStringLiteral("url"), QString(), QStringLiteral("url"));
    QCommandLineOption firstOption(QStringLiteral("first"), QString(), QStringLiteral("n"));
    QCommandLineOption countOption(QStringLiteral("count"), QString(), QStringLiteral("n"));
    for (QCommandLineOption *internal : {&workerOption, &urlOption, &firstOption, &countOption})
        internal->setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({messagesOption, connectionsOption, windowOption, processesOption,
                       roundsOption, clusterOption, jsonOption, workerOption, urlOption,
                       firstOption, countOption});
    parser.process(app);

    Settings settings;
    if (!readWholeNumber(parser, messagesOption, 1, &settings.messages)
        || !readWholeNumber(parser, connectionsOption, 1, &settings.connections)
        || !readWholeNumber(parser, windowOption, 1, &settings.window)
        || !readWholeNumber(parser, processesOption, 1, &settings.processes)
        || !readWholeNumber(parser, roundsOption, 1, &settings.rounds))
        return 2;
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
    if (parser.isSet(workerOption)) {
        QList<QUrl> urls;
        for (const QString &url : parser.value(urlOption).split(QLatin1Char(',')))
            urls.append(QUrl(url));
        return runWorker(urls, parser.value(firstOption).toInt(), parser.value(countOption).toInt(),
                         settings.messages, settings.window);
    }
    if (settings.messages < settings.connections) {
        std::fprintf(stderr, "bench_store: --messages must be at least one per connection\n");
        return 2;
    }
    // The server's info lines stay quiet but for the commit count it gives at exit.
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false;lifeline.server.info=true");

    if (parser.isSet(clusterOption))
        return runCluster(settings, parser.value(jsonOption));

    QTemporaryDir dir;
    QList<Result> batched;
    QList<Result> unbatched;
    for (int round = 0; round < settings.rounds; ++round) {
        // The modes take turns going first, so that neither always gets the cooler disk cache.
        for (const bool batching : {round % 2 == 0, round % 2 != 0}) {
            Result result;
            QString error;
            const QString dataDir
                = dir.filePath(QStringLiteral("round%1-%2").arg(round).arg(batching));
            if (!runOnce({batching}, settings, dataDir, &result, &error)) {
                std::fprintf(stderr, "bench_store: --commit-batching %s, round %d: %s\n",
                             batching ? "on" : "off", round + 1, qUtf8Printable(error));
                return 2;
            }
            (batching ? batched : unbatched).append(result);
        }
        std::fprintf(stderr, "round %d of %d done\n", round + 1, settings.rounds);
    }

    // Every run committed every message, or it failed above.
    const double total = double(settings.messages / settings.connections * settings.connections);
    QList<double> batchedPerCommit;
    QList<double> batchedCommitsPerSecond;
    QList<double> unbatchedCommitsPerSecond;
    for (const Result &r : std::as_const(batched)) {
        batchedPerCommit.append(total / double(r.commits));
        batchedCommitsPerSecond.append(double(r.commits) / r.seconds);
    }
    for (const Result &r : std::as_const(unbatched))
        unbatchedCommitsPerSecond.append(double(r.commits) / r.seconds);
    const double batchedRate = medianOf(batched, &Result::messagesPerSecond);
    const double unbatchedRate = medianOf(unbatched, &Result::messagesPerSecond);

    std::printf("Acknowledged and stored messages: %.0f from %d connections, window %d each, "
                "SQLite WAL synchronous=FULL (median of %d rounds)\n",
                total, settings.connections, settings.window, settings.rounds);
    std::printf("%-38s %12s %12s %14s %12s\n", "", "messages/s", "commits/s", "msgs/commit",
                "server CPU s");
    std::printf("%-38s %12.0f %12.0f %14.1f %12.2f\n", "one commit per message (off)",
                unbatchedRate, median(unbatchedCommitsPerSecond), 1.0,
                medianOf(unbatched, &Result::serverCpuSeconds));
    std::printf("%-38s %12.0f %12.0f %14.1f %12.2f\n", "one commit per event-loop turn (on)",
                batchedRate, median(batchedCommitsPerSecond), median(batchedPerCommit),
                medianOf(batched, &Result::serverCpuSeconds));
    std::printf("%-38s %12.2f\n", "ratio batched / one per message", batchedRate / unbatchedRate);

    BenchReport report(QStringLiteral("store"));
    const QString unbatchedName = QStringLiteral("one commit per message (--commit-batching off)");
    report.addRow({QStringLiteral("acknowledged-and-stored messages/s, %1 connections, SQLite "
                                  "WAL synchronous=FULL, commits batched per event-loop turn")
                       .arg(settings.connections),
                   QStringLiteral("messages/s"), batchedRate, unbatchedRate, unbatchedName,
                   QString(), std::nullopt});
    report.addRow({QStringLiteral("messages per commit (one WAL fsync each)"),
                   QStringLiteral("messages"), median(batchedPerCommit), 1.0, unbatchedName,
                   QString(), std::nullopt});
    report.setDetail(QStringLiteral("batched"), toJson(batched));
    report.setDetail(QStringLiteral("unbatched"), toJson(unbatched));
    report.setDetail(QStringLiteral("commitsPerSecondBatched"), median(batchedCommitsPerSecond));
    report.setDetail(QStringLiteral("commitsPerSecondUnbatched"),
                     median(unbatchedCommitsPerSecond));
    report.setDetail(QStringLiteral("settings"), settingsJson(settings, total));
    const QString jsonPath = parser.value(jsonOption);
    QString error;
    if (!jsonPath.isEmpty() && !report.write(jsonPath, &error)) {
        std::fprintf(stderr, "bench_store: %s\n", qUtf8Printable(error));
        return 2;
    }
    return 0;
}
