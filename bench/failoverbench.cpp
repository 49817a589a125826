// Failover: three lifeline-server instances on one PostgreSQL, and the one that holds every
// client is killed. How long until all of them are connected to the others, caught up, and have
// every message, nothing twice?
//
//   bench_failover [--clients 1000] [--processes 4] [--json FILE]
//
// The clients are real ConnectionManagers with a Messenger each, the SDK's default settings and
// the three instances' URLs, spread over worker processes (this program with --worker). They
// all start on instance A: B and C are stopped until every client is connected to A and caught
// up (a client that starts at B or C moves on to the next URL, as it would after a failure),
// and has been for a heartbeat (which refills its retry budget). Then B and C start, a sender on B
// sends 10 messages that A's clients get live, A is SIGKILLed, and the sender sends 10 more while
// the clients are away. A client is back when it is connected to B or C, has caught up there, and
// has all 20 messages once. Target: all back within the first reconnect delay plus 2 s (the first
// retry after a lost link is drawn from [0, that delay]; docs/reliability.md). Exit code 1 if it is
// missed or a message is lost or comes twice, 2 if the benchmark could not run.
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "epolleventdispatcher.h"
#include "filelimit.h"
#include "loadclient.h"
#include "median.h"
#include "parentchannel.h"
#include "postgrescluster.h"
#include "postgresinstances.h"
#include "serverwaits.h"
#include "waitfor.h"
#include "workerpool.h"

#include <lifeline/appsettingsbuilder.h>
#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

using namespace lifeline;
using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::server;
using namespace lifeline::testkit;

namespace {

// Messages sent before the kill (received live on A) and after it (caught up on B or C).
constexpr int MessagesBefore = 10;
constexpr int MessagesAfter = 10;
// Generous bounds for a loaded 2-core machine; what is measured is printed, not these.
constexpr int ConnectAllTimeoutMs = 180000;
constexpr int SendTimeoutMs = 30000;
constexpr int ExtraWaitAfterTargetMs = 30000;
constexpr int WorkerExitTimeoutMs = 30000;

// --worker: count clients numbered from first, each with urls. Lines on stdout:
//   up INDEX MS PORT     connected (again), to the instance on PORT
//   caught INDEX MS      caught up after connecting
//   got INDEX MS COUNT   a message arrived; COUNT different ones so far
//   dup INDEX ID         a message arrived a second time
// It exits when stdin closes.
int runWorker(const QList<QUrl> &urls, int first, int count, const QString &dataDir)
{
    ParentChannel parent;
    QObject::connect(&parent, &ParentChannel::closed, qApp, &QCoreApplication::quit);
    const auto now = [] { return QByteArray::number(QDateTime::currentMSecsSinceEpoch()); };
    // Their parent, so that they are gone before the application.
    QObject clients;
    for (int i = first; i < first + count; ++i) {
        auto *client = new ConnectionManager(&clients);
        auto *messenger = new Messenger(client, client);
        const QByteArray index = QByteArray::number(i);
        QObject::connect(client, &ConnectionManager::connectedServerUrlChanged, client,
                         [index, now](const QUrl &url) {
                             if (!url.isEmpty())
                                 ParentChannel::send("up " + index + ' ' + now() + ' '
                                                     + QByteArray::number(url.port()));
                         });
        QObject::connect(messenger, &Messenger::caughtUp, messenger,
                         [index, now] { ParentChannel::send("caught " + index + ' ' + now()); });
        const auto seen = std::make_shared<QSet<QString>>();
        QObject::connect(messenger, &Messenger::messageReceived, messenger,
                         [index, now, seen](const ChatMessage &message) {
                             if (seen->contains(message.id)) {
                                 ParentChannel::send("dup " + index + ' ' + message.id.toUtf8());
                                 return;
                             }
                             seen->insert(message.id);
                             ParentChannel::send("got " + index + ' ' + now() + ' '
                                                 + QByteArray::number(seen->size()));
                         });
        client->init(QStringLiteral("bench-failover"),
                     AppSettingsBuilder()
                         .setServerUrls(urls)
                         .setDataDirectory(dataDir + QStringLiteral("/client-%1").arg(i))
                         .build());
        client->login(QStringLiteral("f%1").arg(i), QStringLiteral("token"));
    }
    return QCoreApplication::exec();
}

// What the workers said of each client.
struct ClientState
{
    qint64 upAt = 0;
    int port = 0;
    qint64 caughtAt = 0;
    int received = 0;
    qint64 lastReceivedAt = 0;
};

class Clients
{
public:
    explicit Clients(int count)
        : m_states(count)
    { }

    void read(const QByteArray &line)
    {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() < 3)
            return;
        const int index = fields.at(1).toInt();
        if (index < 0 || index >= m_states.size())
            return;
        ClientState &state = m_states[index];
        const qint64 at = fields.at(2).toLongLong();
        if (fields.at(0) == "up" && fields.size() == 4) {
            state.upAt = at;
            state.port = fields.at(3).toInt();
        } else if (fields.at(0) == "caught") {
            state.caughtAt = at;
        } else if (fields.at(0) == "got" && fields.size() == 4) {
            state.received = fields.at(3).toInt();
            state.lastReceivedAt = at;
        } else if (fields.at(0) == "dup") {
            ++m_duplicates;
        }
    }

    // How many clients meet condition.
    int count(const std::function<bool(const ClientState &)> &condition) const
    {
        return int(std::count_if(m_states.cbegin(), m_states.cend(), condition));
    }
    const QList<ClientState> &states() const { return m_states; }
    int duplicates() const { return m_duplicates; }

private:
    QList<ClientState> m_states;
    int m_duplicates = 0;
};

// One sender of the coordinator's: what its LoadClient told.
class Sender : public LoadClient::Owner
{
public:
    bool isLive = false;
    bool finished = false;
    QString failure;

private:
    void live(LoadClient &) override { isLive = true; }
    void frameReceived(LoadClient &, QByteArrayView, qint64) override { }
    void allAcknowledged(LoadClient &) override { finished = true; }
    void ended(LoadClient &, RawWebSocketPeer::End, int, const QString &why) override
    {
        if (!finished)
            failure = why;
    }
};

// Sends count messages through url as uid and waits for their acks; false if that fails.
bool sendThrough(const QUrl &url, const QString &uid, int count)
{
    RawWebSocketPeer::Endpoint endpoint;
    QString why;
    Sender sender;
    LoadClient client(&sender, 0, uid, {QStringLiteral("bench"), std::nullopt, 0});
    if (RawWebSocketPeer::resolve(url, &endpoint, &why)) {
        client.open(endpoint);
        if (waitFor([&] { return sender.isLive || !sender.failure.isEmpty(); }, SendTimeoutMs)
            && sender.failure.isEmpty()) {
            client.sendMessages(count, count);
            if (waitFor([&] { return sender.finished || !sender.failure.isEmpty(); }, SendTimeoutMs)
                && sender.failure.isEmpty())
                return true;
        }
        why = sender.failure.isEmpty() ? QStringLiteral("no answer in time") : sender.failure;
    }
    std::fprintf(stderr, "bench_failover: the sender on %s: %s\n", qUtf8Printable(url.toString()),
                 qUtf8Printable(why));
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    // Each client has a socket here and one in an instance (which inherit our limit).
    raiseFileLimit("bench_failover");
    // The coordinator's senders are LoadClients on the epoll loop, which must be in place before
    // the application object; the workers' clients are the SDK's, on Qt's own.
    if (!BenchCommandLine::isWorker(argc, argv))
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    BenchCommandLine options(
        QStringLiteral("Clients failing over from a killed lifeline-server instance to the "
                       "others on the same PostgreSQL."));
    int clients = 1000;
    int processes = 4;
    options.addNumber(QStringLiteral("clients"), QStringLiteral("Clients in all"), &clients);
    options.addNumber(QStringLiteral("processes"),
                      QStringLiteral("Worker processes the clients are spread over"), &processes);
    options.addWorkerOptions();
    if (!options.process(app))
        return SetupFailedExit;
    // Only the figures on stdout; the SDK's and the servers' info lines stay quiet.
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*=false"));
    if (options.isWorker())
        return runWorker(options.workerUrls(), options.workerFirst(), options.workerCount(),
                         options.workerDataDir());
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false");

    const AppSettings defaults = AppSettingsBuilder().build();
    const qint64 firstDelayMs = defaults.reconnectInitialDelay().count();
    const qint64 targetMs = firstDelayMs + 2000;

    PostgresCluster postgres;
    if (!postgres.start())
        return setupFailed(QStringLiteral("PostgreSQL: %1").arg(postgres.errorString()));
    QTemporaryDir dir;
    // Every client comes from 127.0.0.1, all of them to each instance in turn.
    QString error;
    const std::vector<std::unique_ptr<BundledServer>> instances
        = startOnPostgres(&postgres, 3, dir.filePath(QStringLiteral("servers")),
                          connectionLimits(clients + 500), &error);
    if (instances.empty())
        return setupFailed(error);
    BundledServer &a = *instances.at(0);
    QStringList urls;
    for (const auto &instance : instances)
        urls.append(instance->url().toString());
    // B and C keep their ports for later; until then every client ends up on A.
    for (int i = 1; i < 3; ++i) {
        instances.at(i)->stop();
        if (!waitForStopped(*instances.at(i)))
            return setupFailed(QStringLiteral("instance %1 did not stop").arg(i));
    }

    Clients states(clients);
    WorkerPool pool;
    QObject::connect(&pool, &WorkerPool::lineReceived, &pool,
                     [&states](int, const QByteArray &line) { states.read(line); });
    if (!pool.startShares(
            0, clients, processes,
            BenchCommandLine::workerArguments(urls, dir.filePath(QStringLiteral("clients"))),
            &error))
        return setupFailed(error);
    const int portA = a.url().port();
    const auto onA = [portA](const ClientState &s) {
        return s.upAt > 0 && s.port == portA && s.caughtAt >= s.upAt;
    };
    if (!pool.waitUntil([&] { return states.count(onA) == clients; }, ConnectAllTimeoutMs,
                        QStringLiteral("every client to be connected to A and caught up"), &error))
        return setupFailed(
            QStringLiteral("%1 (%2 of %3 were)").arg(error).arg(states.count(onA)).arg(clients));
    // As after any while of use: every client's link survived a heartbeat, which refills its
    // retry budget, so that its first retry after the kill is the first of a new series.
    qint64 lastUp = 0;
    for (const ClientState &s : states.states())
        lastUp = std::max(lastUp, s.upAt);
    const qint64 settledAt = lastUp + defaults.heartbeatInterval().count() + 2000;
    waitFor([&] { return QDateTime::currentMSecsSinceEpoch() >= settledAt; },
            int(settledAt - QDateTime::currentMSecsSinceEpoch()) + 1000);
    for (int i = 1; i < 3; ++i) {
        instances.at(i)->start();
        if (!waitForStarted(*instances.at(i)))
            return setupFailed(QStringLiteral("instance %1 did not start again").arg(i));
    }
    // Live through A, from B: the clients are in step before the kill.
    const QUrl urlB = instances.at(1)->url();
    if (!sendThrough(urlB, QStringLiteral("before"), MessagesBefore))
        return setupFailed(
            QStringLiteral("the messages before the kill were not all acknowledged"));
    if (!waitFor(
            [&] {
                return states.count([](const ClientState &s) {
                    return s.received >= MessagesBefore;
                }) == clients;
            },
            SendTimeoutMs))
        return setupFailed(QStringLiteral("not every client on A got the messages sent through B"));

    const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
    a.kill();
    if (!sendThrough(urlB, QStringLiteral("after"), MessagesAfter))
        return setupFailed(QStringLiteral("the messages after the kill were not all acknowledged"));
    const int total = MessagesBefore + MessagesAfter;
    const auto back = [portA, killedAt, total](const ClientState &s) {
        return s.upAt >= killedAt && s.port != portA && s.caughtAt >= s.upAt && s.received >= total;
    };
    waitFor([&] { return states.count(back) == clients; }, int(targetMs) + ExtraWaitAfterTargetMs);
    const int backCount = states.count(back);
    QList<double> connected;
    QList<double> complete;
    for (const ClientState &s : states.states()) {
        connected.append(double(s.upAt - killedAt));
        complete.append(double(std::max({s.upAt, s.caughtAt, s.lastReceivedAt}) - killedAt));
    }
    const int overCount
        = states.count([total](const ClientState &s) { return s.received > total; });
    if (!pool.finish(WorkerExitTimeoutMs))
        std::fprintf(stderr, "bench_failover: a worker did not exit cleanly\n");

    const double allBackMs = percentile(complete, 1.0);
    const bool intact = backCount == clients && states.duplicates() == 0 && overCount == 0;
    const bool met = intact && allBackMs <= double(targetMs);
    std::printf("Failover: %d clients (SDK defaults, %d processes) on instance A of three on "
                "PostgreSQL; A SIGKILLed; %d messages before the kill, %d after\n",
                clients, processes, MessagesBefore, MessagesAfter);
    std::printf("%-34s %10s %10s %10s\n", "after the kill", "p50", "p99", "last");
    std::printf("%-34s %8.0f ms %7.0f ms %7.0f ms\n", "connected to B or C",
                percentile(connected, 0.5), percentile(connected, 0.99),
                percentile(connected, 1.0));
    std::printf("%-34s %8.0f ms %7.0f ms %7.0f ms\n", "caught up with all 20 messages",
                percentile(complete, 0.5), percentile(complete, 0.99), allBackMs);
    std::printf("not back: %d; messages twice: %d; clients with more than were sent: %d\n",
                clients - backCount, states.duplicates(), overCount);
    std::printf("all back within the first reconnect delay %lld ms + 2 s: %s\n",
                static_cast<long long>(firstDelayMs), met ? "met" : "MISSED");

    BenchReport report(QStringLiteral("failover"));
    report.addRow({QStringLiteral("failover of %1 clients from a killed instance: all connected "
                                  "elsewhere, caught up, nothing lost")
                       .arg(clients),
                   QStringLiteral("ms"), allBackMs, double(firstDelayMs),
                   QStringLiteral("the first reconnect delay"),
                   QStringLiteral("<= baseline + 2 s, every message once"), met});
    report.setDetail(QStringLiteral("connectedP50Ms"), percentile(connected, 0.5));
    report.setDetail(QStringLiteral("connectedLastMs"), percentile(connected, 1.0));
    report.setDetail(QStringLiteral("completeP50Ms"), percentile(complete, 0.5));
    report.setDetail(QStringLiteral("completeP99Ms"), percentile(complete, 0.99));
    report.setDetail(QStringLiteral("notBack"), clients - backCount);
    report.setDetail(QStringLiteral("duplicates"), states.duplicates());
    return report.finish(options.jsonPath());
}
