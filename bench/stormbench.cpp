// Reconnect storm: many clients connected to one lifeline-server, which is then SIGKILLed and
// restarted on the same port. How hard do the clients hit it when they come back?
//
//   bench_storm [--clients N] [--processes P]
//
// The clients are real ConnectionManagers with the default settings but for the jitter, spread
// over P worker processes (this program started again with --worker). They reach the server
// through a counting front (FaultProxy, in this process), which timestamps every connection
// attempt, the failed ones included. One run measures jitter 0 and then the default jitter (the
// first retry after the lost link drawn from [0, nominal], docs/reliability.md).
// Targets, with the default jitter: the most attempts in any 100 ms window at most a quarter of
// those with jitter 0; every client back within the maximum reconnect delay plus 2 s; no
// connection refused by the server for lack of resources. Exit code 1 if one is missed.
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "faultproxy.h"
#include "filelimit.h"
#include "parentchannel.h"
#include "serverwaits.h"
#include "waitfor.h"
#include "workerpool.h"

#include <lifeline/connectionmanager.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMap>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace lifeline;
using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::testkit;

namespace {

constexpr qint64 WindowMs = 100;
// Generous bounds for a loaded 2-core machine; what is measured is printed, not these.
constexpr int ConnectAllTimeoutMs = 180000;
constexpr int ExtraWaitAfterTargetMs = 30000;
// Attempts that come after the last client is back (there should be none) still count.
constexpr int TailMs = 2000;

// The most timestamps (sorted, ms) inside any window of WindowMs.
int busiestWindow(const QList<qint64> &sorted)
{
    int most = 0;
    qsizetype first = 0;
    for (qsizetype last = 0; last < sorted.size(); ++last) {
        while (sorted.at(last) - sorted.at(first) >= WindowMs)
            ++first;
        most = std::max(most, int(last - first + 1));
    }
    return most;
}

// --worker: `count` clients, numbered from `first`. Lines on stdout:
//   up INDEX EPOCH_MS       the client is Connected (again)
//   error INDEX CODE        connectionError()
//   down INDEX REASON       the client stopped trying (Disconnected)
// It exits when stdin closes.
int runWorker(const QUrl &url, int first, int count, double jitter, const QString &dataDir)
{
    // Their parent, so that they are gone before the application.
    QObject clients;
    for (int i = first; i < first + count; ++i) {
        auto *client = new ConnectionManager(&clients);
        const QByteArray index = QByteArray::number(i);
        QObject::connect(client, &ConnectionManager::connected, client, [index] {
            ParentChannel::send("up " + index + ' '
                                + QByteArray::number(QDateTime::currentMSecsSinceEpoch()));
        });
        QObject::connect(client, &ConnectionManager::connectionError, client,
                         [index](const ChatError &error) {
                             ParentChannel::send("error " + index + ' ' + error.code.toUtf8());
                         });
        QObject::connect(client, &ConnectionManager::connectionStatusChanged, client,
                         [index, client](ConnectionStatus status) {
                             if (status == ConnectionStatus::Disconnected)
                                 ParentChannel::send(
                                     "down " + index + ' '
                                     + QByteArray::number(int(client->disconnectReason())));
                         });
        client->init(QStringLiteral("bench-storm"),
                     AppSettingsBuilder()
                         .setServerUrl(url)
                         .setDataDirectory(dataDir + QStringLiteral("/client-%1").arg(i))
                         .setReconnectJitter(jitter)
                         .build());
        client->login(QStringLiteral("storm-%1").arg(i), QStringLiteral("token"));
    }
    ParentChannel parent;
    QObject::connect(&parent, &ParentChannel::closed, qApp, &QCoreApplication::quit);
    return QCoreApplication::exec();
}

struct PhaseResult
{
    double jitter = 0;
    // All of them, or the storm was not started: the first connect already failed.
    int connectedBeforeKill = 0;
    int attempts = 0;
    int busiest = 0;
    qint64 allBackMs = -1; // from the kill; -1 if some never came back
    int notBack = 0;
    int refused = 0;
    QMap<QString, int> errors;
};

class Storm
{
public:
    Storm(BundledServer &server, FaultProxy &front, int clients, int processes,
          bool throttlePresence, const QString &dataDir)
        : m_server(server)
        , m_front(front)
        , m_clients(clients)
        , m_processes(processes)
        , m_throttlePresence(throttlePresence)
        , m_dataDir(dataDir)
    {
        QObject::connect(&m_front, &FaultProxy::connectionAccepted, &m_front,
                         [this] { m_attempts.append(m_clock.elapsed()); });
        QObject::connect(&m_server, &BundledServer::standardErrorLine, &m_server,
                         [this](const QString &line) {
                             // The server's words for a refusal: a full table or limit (4005),
                             // or accept() failing for lack of file descriptors.
                             if (line.contains(QLatin1String("4005"))
                                 || line.contains(QLatin1String("cannot accept")))
                                 ++m_refused;
                         });
        m_clock.start();
    }

    // Starts (or restarts) the server; true once it listens and took the admin commands.
    void startServer()
    {
        m_server.start();
        if (!waitForStarted(m_server))
            qFatal("lifeline-server did not start");
        if (!m_throttlePresence)
            return;
        m_server.sendCommand(QStringLiteral("throttle presence"));
        if (!waitForCommand(m_server))
            qFatal("lifeline-server did not take \"throttle presence\"");
    }

    PhaseResult run(double jitter, int waitMs)
    {
        PhaseResult result;
        result.jitter = jitter;
        m_lastUp.fill(0, m_clients);
        m_errors.clear();
        const QString phaseDir = m_dataDir + QStringLiteral("/jitter-%1").arg(jitter);
        // Its destructor ends the workers, and their clients, when the phase is over.
        WorkerPool workers;
        QObject::connect(&workers, &WorkerPool::lineReceived, &workers,
                         [this](int, const QByteArray &line) { readWorkerLine(line); });
        QString error;
        if (!workers.startShares(
                0, m_clients, m_processes,
                BenchCommandLine::workerArguments({m_front.url().toString()}, phaseDir)
                    + QStringList {QStringLiteral("--worker-jitter"), QString::number(jitter)},
                &error))
            qFatal("%s", qUtf8Printable(error));
        const auto allUpSince = [this](qint64 since) {
            return std::all_of(m_lastUp.cbegin(), m_lastUp.cend(),
                               [since](qint64 up) { return up > since; });
        };
        if (!waitFor([&] { return allUpSince(0); }, ConnectAllTimeoutMs)) {
            result.connectedBeforeKill = int(std::count_if(m_lastUp.cbegin(), m_lastUp.cend(),
                                                           [](qint64 up) { return up > 0; }));
            result.errors = m_errors;
            return result;
        }
        result.connectedBeforeKill = m_clients;
        // Let the joins' presence traffic end before the kill.
        waitFor([] { return false; }, 3000);

        m_attempts.clear();
        m_errors.clear();
        m_refused = 0;
        const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
        const qint64 killedAtClock = m_clock.elapsed();
        m_server.kill();
        startServer();
        waitFor([&] { return allUpSince(killedAt); }, waitMs);
        if (allUpSince(killedAt))
            result.allBackMs = *std::max_element(m_lastUp.cbegin(), m_lastUp.cend()) - killedAt;
        result.notBack = int(std::count_if(m_lastUp.cbegin(), m_lastUp.cend(),
                                           [killedAt](qint64 up) { return up <= killedAt; }));
        waitFor([] { return false; }, TailMs);

        QList<qint64> attempts;
        for (qint64 at : std::as_const(m_attempts)) {
            if (at >= killedAtClock)
                attempts.append(at);
        }
        std::sort(attempts.begin(), attempts.end());
        result.attempts = int(attempts.size());
        result.busiest = busiestWindow(attempts);
        result.refused = m_refused;
        result.errors = m_errors;
        return result;
    }

private:
    void readWorkerLine(const QByteArray &line)
    {
        const QList<QByteArray> fields = line.trimmed().split(' ');
        if (fields.size() != 3)
            return;
        const int index = fields.at(1).toInt();
        if (index < 0 || index >= m_clients)
            return;
        if (fields.at(0) == "up")
            m_lastUp[index] = fields.at(2).toLongLong();
        else if (fields.at(0) == "error")
            ++m_errors[QString::fromUtf8(fields.at(2))];
        else if (fields.at(0) == "down")
            ++m_errors[QStringLiteral("gave up (reason %1)").arg(QString::fromUtf8(fields.at(2)))];
    }

    BundledServer &m_server;
    FaultProxy &m_front;
    int m_clients;
    int m_processes;
    bool m_throttlePresence;
    QString m_dataDir;
    QElapsedTimer m_clock;
    QList<qint64> m_attempts;
    QList<qint64> m_lastUp;
    QMap<QString, int> m_errors;
    int m_refused = 0;
};

// "CODE xN, ..." for the table.
QString errorList(const QMap<QString, int> &errors)
{
    QStringList list;
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        list << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
    return list.join(QLatin1String(", "));
}

} // namespace

int main(int argc, char *argv[])
{
    // Each client has one socket, the front two, the server one: 500 clients need about 2,000.
    raiseFileLimit("bench_storm");
    QCoreApplication app(argc, argv);
    BenchCommandLine options(QString(), false);
    int clients = 500;
    int processes = 4;
    options.addNumber(QStringLiteral("clients"), QStringLiteral("Clients in all"), &clients);
    options.addNumber(QStringLiteral("processes"),
                      QStringLiteral("Worker processes the clients are spread over"), &processes);
    options.addOption({QStringLiteral("throttle-presence"),
                       QStringLiteral("Throttle presence on the server (admin command) so that no "
                                      "presence frames flow: the storm of connection attempts "
                                      "alone, without the broadcast of every join to every "
                                      "client.")});
    options.addOption({QStringLiteral("jitter"),
                       QStringLiteral("The jitter compared with 0 (default: the SDK's default)."),
                       QStringLiteral("fraction")});
    options.addOption({QStringLiteral("worker-jitter"), QString(), QStringLiteral("j")}, true);
    options.addWorkerOptions();
    if (!options.process(app))
        return SetupFailedExit;

    // Only the figures on stdout; the SDK's and the server's info lines stay quiet.
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*=false"));
    if (options.isWorker())
        return runWorker(
            options.workerUrls().constFirst(), options.workerFirst(), options.workerCount(),
            options.value(QStringLiteral("worker-jitter")).toDouble(), options.workerDataDir());
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false");

    const AppSettings defaults = AppSettingsBuilder().build();
    double compared = defaults.reconnectJitter();
    if (options.isSet(QStringLiteral("jitter"))) {
        bool ok = false;
        compared = options.value(QStringLiteral("jitter")).toDouble(&ok);
        if (!ok || compared < 0.0 || compared > 1.0)
            return setupFailed(QStringLiteral("--jitter must be a fraction from 0 to 1"));
    }
    const qint64 maxDelayMs = defaults.reconnectMaxDelay().count();
    const qint64 backTargetMs = maxDelayMs + 2000;

    QTemporaryDir dir;
    BundledServer server;
    server.setDataDirectory(dir.filePath(QStringLiteral("server")));
    // 500 clients through one front come from one address; the limit must not be what stops
    // them.
    server.setExtraArguments(
        {QStringLiteral("--max-connections-per-ip"), QString::number(std::max(1000, clients * 2))});
    FaultProxy front;
    Storm storm(server, front, clients, processes,
                options.isSet(QStringLiteral("throttle-presence")),
                dir.filePath(QStringLiteral("clients")));
    storm.startServer();
    if (!front.start(server.url()))
        qFatal("the counting front cannot listen");
    const int waitMs = int(backTargetMs) + ExtraWaitAfterTargetMs;
    const PhaseResult none = storm.run(0.0, waitMs);
    const PhaseResult jittered = storm.run(compared, waitMs);
    for (const PhaseResult &r : {none, jittered}) {
        if (r.connectedBeforeKill == clients)
            continue;
        std::printf("jitter %.2f: only %d of %d clients were connected %d s after they started, "
                    "so the server was not killed (client errors: %s)\n",
                    r.jitter, r.connectedBeforeKill, clients, ConnectAllTimeoutMs / 1000,
                    qUtf8Printable(errorList(r.errors)));
    }
    if (none.connectedBeforeKill != clients || jittered.connectedBeforeKill != clients)
        return 1;

    std::printf("Reconnect storm: %d clients in %d processes, lifeline-server SIGKILLed and "
                "restarted on the same port\n",
                clients, processes);
    std::printf("%-8s %9s %16s %15s %9s %8s  %s\n", "jitter", "attempts", "max per 100 ms",
                "all back after", "not back", "refused", "client errors");
    for (const PhaseResult &r : {none, jittered}) {
        std::printf("%-8.2f %9d %16d %13.2f s %9d %8d  %s\n", r.jitter, r.attempts, r.busiest,
                    double(r.allBackMs) / 1000.0, r.notBack, r.refused,
                    qUtf8Printable(errorList(r.errors)));
    }
    const double ratio = none.busiest > 0 ? double(jittered.busiest) / double(none.busiest) : 1.0;
    const bool spreadOk = ratio <= 0.25;
    const bool backOk = jittered.allBackMs >= 0 && jittered.allBackMs <= backTargetMs;
    const bool refusedOk = jittered.refused == 0;
    std::printf("busiest 100 ms, jitter %.2f / jitter 0: %.3f (target <= 0.25) %s\n", compared,
                ratio, spreadOk ? "ok" : "MISSED");
    std::printf("all back within the maximum delay %lld ms + 2 s: %s\n",
                static_cast<long long>(maxDelayMs), backOk ? "ok" : "MISSED");
    std::printf("refused for lack of resources: %d %s\n", jittered.refused,
                refusedOk ? "ok" : "MISSED");
    return spreadOk && backOk && refusedOk ? 0 : 1;
}
