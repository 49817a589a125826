#include "soakrunner.h"

#include "bundledserver.h"
#include "clientjournal.h"
#include "clientprocess.h"
#include "faultproxy.h"
#include "postgrescluster.h"
#include "postgresinstances.h"
#include "protocolclient.h"
#include "serverwaits.h"
#include "soakchecker.h"
#include "waitfor.h"

#include <protocol.h>

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QMetaEnum>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace lifeline::harness;
using namespace lifeline::testkit;

namespace lifeline::chaos {

namespace {

// Every bound below is generous for a loaded 2-core machine; none is a performance figure.
constexpr int StartTimeoutMs = 30000;
// After the faults stop: the longest backlog drains at the server's rate limit (20/s).
constexpr int DrainTimeoutMs = 120000;
constexpr int CatchUpTimeoutMs = 60000;
constexpr int QuitTimeoutMs = 10000;
constexpr int ReportIntervalMs = 250;

// The range for the time between two faults.
constexpr int MinFaultGapMs = 50;
constexpr int MaxFaultGapMs = 2000;
// Long enough to outlast the clients' heartbeat (1 s + 1 s) some of the time.
constexpr int MinHoldMs = 50;
constexpr int MaxHoldMs = 3000;

constexpr int ClusterInstances = 3;
// An instance may still be opening its store for this long after PostgreSQL came back.
constexpr int PostgresSettleMs = 5000;
constexpr int RestartAfterExitMs = 300;

QString serverTarget(int i)
{
    return QStringLiteral("server-%1").arg(i + 1);
}

// The instance's --instance name (startOnPostgres()'s), and so its connections' names in
// pg_stat_activity.
QString instanceName(int i)
{
    return QString(QChar(u'a' + i));
}

QString proxyTarget(int i)
{
    return QStringLiteral("proxy-%1").arg(i + 1);
}

QString clientTarget(int i)
{
    return QStringLiteral("client-%1").arg(i + 1);
}

// A client's network refuses new connections, and the ones it has die with it.
void refuseAll(const QList<FaultProxy *> &proxies)
{
    for (FaultProxy *proxy : proxies) {
        proxy->refuse();
        proxy->resetAll();
    }
}

// What the report calls a fault, as faults.log does: ProxyBlackHole is "proxy-black-hole".
QString faultName(SoakRunner::Fault fault)
{
    const QString key
        = QString::fromLatin1(QMetaEnum::fromType<SoakRunner::Fault>().valueToKey(int(fault)));
    QString name;
    for (const QChar c : key) {
        if (c.isUpper() && !name.isEmpty())
            name += QLatin1Char('-');
        name += c.toLower();
    }
    return name;
}

void print(const QString &line)
{
    std::printf("%s\n", qUtf8Printable(line));
    std::fflush(stdout);
}

// What the server stored, in seq order, read by a user of its own that catches up from seq 0
// through the protocol. Not through the SDK: it recognises repeated ids and would hide a
// duplicate the checker has to see. Empty with the reason in *error if it failed, and on a
// `gap` (the server lost messages).
QList<SoakChecker::Stored> readStore(const QUrl &url, QString *error)
{
    ProtocolClient reader(url);
    QList<QJsonObject> frames;
    if (typeOf(reader.login(QStringLiteral("chaos-verifier"), QStringLiteral("chaos-token")))
            != protocol::type::Welcome
        || reader.catchUp(0, &frames) < 0) {
        *error = QStringLiteral("no welcome and complete catch-up");
        return {};
    }
    QList<SoakChecker::Stored> stored;
    for (const QJsonObject &frame : std::as_const(frames)) {
        if (typeOf(frame) == protocol::type::Gap) {
            *error = QStringLiteral("the server no longer has messages %1 to %2")
                         .arg(frame.value(QStringLiteral("from")).toInteger())
                         .arg(frame.value(QStringLiteral("to")).toInteger());
            return {};
        }
        stored.append({frame.value(QStringLiteral("id")).toString(),
                       frame.value(QStringLiteral("sender")).toString(),
                       frame.value(QStringLiteral("text")).toString(),
                       frame.value(QStringLiteral("seq")).toInteger()});
    }
    return stored;
}

} // namespace

SoakRunner::SoakRunner(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_random(options.seed)
    , m_faultTimer(new QTimer(this))
{
    m_faultTimer->setSingleShot(true);
    connect(m_faultTimer, &QTimer::timeout, this, &SoakRunner::injectFault);
}

SoakRunner::~SoakRunner()
{
    // The clients first: they must not see the server go and start reconnecting. Then the
    // servers, before their database.
    qDeleteAll(m_clients);
    qDeleteAll(m_servers);
}

int SoakRunner::run()
{
    m_clock.start();
    print(QStringLiteral("lifeline-chaos: seed %1, %2 s of faults, %3 clients, %4, work "
                         "directory %5")
              .arg(m_options.seed)
              .arg(m_options.durationSeconds)
              .arg(m_options.clients)
              .arg(m_options.cluster
                       ? QStringLiteral("%1 instances on PostgreSQL").arg(ClusterInstances)
                       : QStringLiteral("one server on SQLite"))
              .arg(m_options.workDirectory));
    if (!setUp())
        return finish(false);

    scheduleNextFault();
    QEventLoop loop;
    QTimer::singleShot(m_options.durationSeconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    m_faultTimer->stop();
    return finish(settle());
}

bool SoakRunner::setUp()
{
    const QDir work(m_options.workDirectory);
    if (!work.mkpath(QStringLiteral("."))) {
        fail(QStringLiteral("cannot create the work directory %1").arg(work.path()));
        return false;
    }
    m_faultLog.setFileName(work.filePath(QStringLiteral("faults.log")));
    if (!m_faultLog.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
        fail(QStringLiteral("cannot write %1: %2")
                 .arg(m_faultLog.fileName(), m_faultLog.errorString()));
        return false;
    }

    if (!startServers(work.path()))
        return false;

    const QString clientProgram
        = QCoreApplication::applicationDirPath() + QStringLiteral("/lifeline-chaos-client");
    for (int i = 0; i < m_options.clients; ++i) {
        QList<FaultProxy *> proxies;
        QStringList urls;
        for (BundledServer *server : std::as_const(m_servers)) {
            auto *proxy = new FaultProxy(this);
            if (!proxy->start(server->url())) {
                fail(QStringLiteral("a fault proxy for %1 cannot listen").arg(clientTarget(i)));
                return false;
            }
            proxies.append(proxy);
            urls.append(proxy->url().toString());
        }
        m_proxies.append(proxies);
        const QString uid = clientTarget(i);
        auto *client = new ClientProcess(
            uid, clientProgram,
            {QStringLiteral("--url"), urls.join(QLatin1Char(',')), QStringLiteral("--uid"), uid,
             QStringLiteral("--data-dir"), work.filePath(uid), QStringLiteral("--journal"),
             journalPath(uid), QStringLiteral("--interval-ms"),
             QString::number(m_options.sendIntervalMs)},
            work.filePath(uid + QStringLiteral(".log")), this);
        connect(client, &ClientProcess::exitedUnexpectedly, this,
                [this, client](const QString &how) {
                    fail(QStringLiteral("%1 %2 (its log: %3.log)")
                             .arg(client->name(), how, client->name()));
                    client->start();
                });
        // A client that comes back after the faults stopped must not send again.
        connect(client, &ClientProcess::ready, this, [this, client] {
            if (m_settling)
                client->stopSending();
        });
        m_clients.append(client);
        client->start();
    }
    return waitUntil(
        [this] {
            return std::all_of(m_clients.cbegin(), m_clients.cend(),
                               [](const ClientProcess *c) { return c->isReady(); });
        },
        StartTimeoutMs, QStringLiteral("every client to start"));
}

bool SoakRunner::startServers(const QString &workDirectory)
{
    if (m_options.cluster) {
        m_postgres = std::make_unique<PostgresCluster>();
        if (!m_postgres->start()) {
            fail(QStringLiteral("PostgreSQL did not start: %1").arg(m_postgres->errorString()));
            return false;
        }
    }
    // The rate limit stays at its default: backlogs after an outage meet `retry`, whose order
    // rule is part of what the soak checks. Retention is out of the way so that nothing is
    // missing for a reason other than a fault.
    QString error;
    std::vector<std::unique_ptr<BundledServer>> servers
        = startDeployment(m_postgres.get(), m_options.cluster ? ClusterInstances : 1,
                          QDir(workDirectory).filePath(QStringLiteral("servers")),
                          {QStringLiteral("--retain"), QStringLiteral("1000000000")}, &error);
    if (servers.empty()) {
        fail(error);
        return false;
    }
    for (auto &started : servers) {
        BundledServer *server = started.release();
        m_servers.append(server);
        connect(server, &BundledServer::errorOccurred, this,
                [this, server](const QString &message) {
                    // An instance that starts while PostgreSQL restarts cannot open the store
                    // and exits with 2, as documented; a supervisor starts it again.
                    if (m_options.cluster
                        && message.contains(QStringLiteral("exited with code 2 before it listened"))
                        && (m_postgresRestarting
                            || (m_sincePostgresRestart.isValid()
                                && m_sincePostgresRestart.elapsed() < PostgresSettleMs))) {
                        note(QStringLiteral("  an instance started during postgres-restart exited "
                                            "with 2; starting it again"));
                        QTimer::singleShot(RestartAfterExitMs, server, [server] {
                            if (!server->isRunning())
                                server->start();
                        });
                        return;
                    }
                    // Only an exit nobody asked for comes here: a crash is a finding.
                    fail(QStringLiteral("lifeline-server: %1").arg(message));
                    if (!server->isRunning())
                        server->start();
                });
    }
    return true;
}

void SoakRunner::runPostgres(const QString &program, const QStringList &arguments,
                             std::function<void(bool)> done)
{
    // Not PostgresCluster's waiting calls: the fault proxies live in this process, and a runner
    // that waits would freeze every client's network with it.
    auto *process = new QProcess(this);
    const QStringList command = m_postgres->commandLine(program, arguments);
    connect(process, &QProcess::finished, this,
            [process, done](int exitCode, QProcess::ExitStatus status) {
                done(status == QProcess::NormalExit && exitCode == 0);
                process->deleteLater();
            });
    // finished() never comes for a program that did not start.
    connect(process, &QProcess::errorOccurred, this, [process, done](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        done(false);
        process->deleteLater();
    });
    process->start(command.constFirst(), command.mid(1));
}

void SoakRunner::scheduleNextFault()
{
    m_faultTimer->start(draw(MinFaultGapMs, MaxFaultGapMs));
}

QMap<SoakRunner::Fault, QList<int>> SoakRunner::availableFaults() const
{
    QSet<QString> busy;
    for (const Episode &episode : m_episodes) {
        for (const QString &target : episode.targets)
            busy.insert(target);
    }
    QMap<Fault, QList<int>> faults;
    for (int k = 0; k < m_servers.size(); ++k) {
        const BundledServer *server = m_servers.at(k);
        if (busy.contains(serverTarget(k)) || !server->isRunning() || server->isFrozen())
            continue;
        faults[Fault::ServerKill] << k;
        faults[Fault::ServerFreeze] << k;
        if (m_options.cluster)
            faults[Fault::ListenKill] << k;
    }
    if (m_options.cluster && !m_postgresRestarting)
        faults[Fault::PostgresRestart] << 0;
    for (int i = 0; i < m_options.clients; ++i) {
        if (busy.contains(proxyTarget(i)))
            continue;
        for (Fault fault : {Fault::ProxyReset, Fault::ProxyBlackHole, Fault::ProxyRefuse})
            faults[fault] << i;
        if (!busy.contains(clientTarget(i)) && m_clients.at(i)->isReady())
            faults[Fault::ClientKill] << i;
    }
    return faults;
}

void SoakRunner::injectFault()
{
    const QMap<Fault, QList<int>> available = availableFaults();
    if (available.isEmpty()) {
        scheduleNextFault();
        return;
    }
    // Every kind equally likely, whatever number of targets it has free right now.
    const auto kind = std::next(available.cbegin(), draw(0, int(available.size()) - 1));
    const Fault fault = kind.key();
    const int i = kind->at(draw(0, int(kind->size()) - 1));
    ++m_injected[fault];

    switch (fault) {
    case Fault::ServerKill: {
        const int down = draw(0, MaxHoldMs / 2);
        note(QStringLiteral("server-kill: %1 SIGKILLed, restart after %2 ms")
                 .arg(serverTarget(i))
                 .arg(down));
        m_servers.at(i)->kill();
        hold({serverTarget(i)}, down, [this, i] { m_servers.at(i)->start(); });
        break;
    }
    case Fault::ServerFreeze: {
        const int frozen = draw(MinHoldMs, MaxHoldMs);
        note(QStringLiteral("server-freeze: %1 SIGSTOPped for %2 ms")
                 .arg(serverTarget(i))
                 .arg(frozen));
        m_servers.at(i)->freeze();
        hold({serverTarget(i)}, frozen, [this, i] { m_servers.at(i)->thaw(); });
        break;
    }
    case Fault::ListenKill:
        note(QStringLiteral("listen-kill: %1's LISTEN connection terminated").arg(serverTarget(i)));
        runPostgres(QStringLiteral("psql"),
                    m_postgres->sqlArguments(
                        QStringLiteral("postgres"),
                        QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                       "WHERE application_name = 'lifeline:%1:listen'")
                            .arg(instanceName(i))),
                    [](bool) {});
        break;
    case Fault::PostgresRestart:
        note(QStringLiteral("postgres-restart: pg_ctl restart -m fast"));
        m_postgresRestarting = true;
        runPostgres(QStringLiteral("pg_ctl"), m_postgres->restartArguments(), [this](bool ok) {
            m_postgresRestarting = false;
            m_sincePostgresRestart.start();
            if (!ok)
                fail(QStringLiteral("PostgreSQL did not restart"));
        });
        break;
    case Fault::ProxyReset:
        note(QStringLiteral("proxy-reset: %1's links reset").arg(clientTarget(i)));
        for (FaultProxy *proxy : m_proxies.at(i))
            proxy->resetAll();
        break;
    case Fault::ProxyBlackHole: {
        const int hole = draw(MinHoldMs, MaxHoldMs);
        note(QStringLiteral("proxy-black-hole: %1's link swallows everything for %2 ms, then "
                            "resets")
                 .arg(clientTarget(i))
                 .arg(hole));
        for (FaultProxy *proxy : m_proxies.at(i))
            proxy->setBlackHole(true);
        // When a hole ends FaultProxy delivers what waited, as TCP does after a short outage;
        // here the links die instead, as they do when a hole outlasts TCP's retransmissions.
        hold({proxyTarget(i)}, hole, [this, i] {
            for (FaultProxy *proxy : m_proxies.at(i)) {
                proxy->setBlackHole(false);
                proxy->resetAll();
            }
        });
        break;
    }
    case Fault::ProxyRefuse: {
        // Refusing alone would change nothing until the link drops: it drops with it.
        const int refused = draw(MinHoldMs, MaxHoldMs);
        note(QStringLiteral("proxy-refuse: %1's links reset, connections refused for %2 ms")
                 .arg(clientTarget(i))
                 .arg(refused));
        refuseAll(m_proxies.at(i));
        hold({proxyTarget(i)}, refused, [this, i] { acceptAgain(i); });
        break;
    }
    case Fault::ClientKill: {
        // Offline first, half of the time and always until a kill found messages queued: the
        // messages sent meanwhile wait in the outbox, and must be delivered after the restart.
        const bool offline = draw(0, 1) == 1 || m_killsWithQueue == 0;
        const int down = draw(0, MaxHoldMs / 2);
        if (!offline) {
            note(QStringLiteral("client-kill: %1 SIGKILLed, restart after %2 ms")
                     .arg(clientTarget(i))
                     .arg(down));
            killClient(i);
            hold({clientTarget(i)}, down, [this, i] { m_clients.at(i)->start(); });
            break;
        }
        const int cut = draw(300, 1500);
        note(QStringLiteral("client-kill: %1 offline for %2 ms, then SIGKILLed, restart after "
                            "%3 ms more, back online")
                 .arg(clientTarget(i))
                 .arg(cut)
                 .arg(down));
        refuseAll(m_proxies.at(i));
        hold({clientTarget(i), proxyTarget(i)}, cut, [this, i, down] {
            killClient(i);
            hold({clientTarget(i), proxyTarget(i)}, down, [this, i] {
                m_clients.at(i)->start();
                acceptAgain(i);
            });
        });
        break;
    }
    }
    scheduleNextFault();
}

void SoakRunner::acceptAgain(int client)
{
    for (FaultProxy *proxy : m_proxies.at(client)) {
        if (!proxy->accept())
            fail(QStringLiteral("a fault proxy for %1 cannot listen again")
                     .arg(clientTarget(client)));
    }
}

void SoakRunner::hold(const QStringList &targets, int durationMs, std::function<void()> end)
{
    const int id = ++m_episodeCount;
    m_episodes.append({id, targets, std::move(end)});
    QTimer::singleShot(durationMs, this, [this, id] { endEpisode(id); });
}

void SoakRunner::endEpisode(int id)
{
    // Not found when settle() ended the episode before its time.
    for (qsizetype i = 0; i < m_episodes.size(); ++i) {
        if (m_episodes.at(i).id == id) {
            m_episodes.takeAt(i).end();
            return;
        }
    }
}

void SoakRunner::killClient(int client)
{
    ClientProcess *process = m_clients.at(client);
    process->kill();
    // What it had queued: every id sendMessage() returned that was not reported Delivered.
    ClientJournal::Contents journal;
    QString error;
    if (!ClientJournal::read(journalPath(process->name()), &journal, &error)) {
        fail(error);
        return;
    }
    int queued = 0;
    for (const ClientJournal::Sent &sent : std::as_const(journal.sent)) {
        if (!journal.delivered.contains(sent.id)) {
            m_queuedAtKill.insert(sent.id);
            ++queued;
        }
    }
    if (queued > 0)
        ++m_killsWithQueue;
    note(QStringLiteral("  %1 killed with %2 messages queued").arg(process->name()).arg(queued));
}

bool SoakRunner::settle()
{
    note(QStringLiteral("faults stop"));
    m_settling = true;
    while (!m_episodes.isEmpty())
        endEpisode(m_episodes.constFirst().id);
    QElapsedTimer settling;
    settling.start();
    if (!waitUntil(
            [this] {
                return !m_postgresRestarting
                    && std::all_of(m_servers.cbegin(), m_servers.cend(),
                                   [](const BundledServer *s) { return s->isRunning(); })
                    && std::all_of(m_clients.cbegin(), m_clients.cend(),
                                   [](const ClientProcess *c) { return c->isReady(); });
            },
            StartTimeoutMs, QStringLiteral("the servers and every client to run again")))
        return false;
    for (ClientProcess *client : std::as_const(m_clients))
        client->stopSending();

    QTimer reports;
    connect(&reports, &QTimer::timeout, this, [this] {
        for (ClientProcess *client : std::as_const(m_clients))
            client->requestReport();
    });
    reports.start(ReportIntervalMs);
    const auto allReport = [this](qint64 seen) {
        return std::all_of(m_clients.cbegin(), m_clients.cend(), [seen](const ClientProcess *c) {
            const auto report = c->reportSinceStop();
            return report && report->status == QLatin1String("Connected") && report->pending == 0
                && report->seen >= seen;
        });
    };
    if (!waitUntil([&allReport] { return allReport(0); }, DrainTimeoutMs,
                   QStringLiteral("every client to be Connected with nothing pending")))
        return false;

    QString error;
    // Any instance: they share one store.
    const QList<SoakChecker::Stored> stored = readStore(m_servers.constFirst()->url(), &error);
    if (!error.isEmpty()) {
        fail(QStringLiteral("cannot read what the server stored: %1").arg(error));
        return false;
    }
    const qint64 newest = stored.isEmpty() ? 0 : stored.constLast().seq;
    if (!waitUntil([&allReport, newest] { return allReport(newest); }, CatchUpTimeoutMs,
                   QStringLiteral("every client to have seen seq %1").arg(newest)))
        return false;
    print(QStringLiteral("every client back at Connected with nothing pending, %1 ms after the "
                         "faults stopped")
              .arg(settling.elapsed()));
    reports.stop();

    QHash<QString, ClientJournal::Contents> journals;
    for (ClientProcess *client : std::as_const(m_clients)) {
        if (!client->quit(QuitTimeoutMs))
            fail(QStringLiteral("%1 did not quit within %2 ms")
                     .arg(client->name())
                     .arg(QuitTimeoutMs));
        ClientJournal::Contents &journal = journals[client->name()];
        if (!ClientJournal::read(journalPath(client->name()), &journal, &error)) {
            fail(error);
            return false;
        }
    }

    const SoakChecker::Result result = SoakChecker::check(journals, stored);
    QSet<QString> storedIds;
    for (const SoakChecker::Stored &message : stored)
        storedIds.insert(message.id);
    const qsizetype queuedDelivered = QSet<QString>(m_queuedAtKill).intersect(storedIds).size();

    QStringList counts;
    int total = 0;
    const QMetaEnum faults = QMetaEnum::fromType<Fault>();
    for (int k = 0; k < faults.keyCount(); ++k) {
        const auto fault = Fault(faults.value(k));
        if (!m_options.cluster && (fault == Fault::ListenKill || fault == Fault::PostgresRestart))
            continue;
        counts << QStringLiteral("%1 %2").arg(faultName(fault)).arg(m_injected.value(fault));
        total += m_injected.value(fault);
    }
    int recovered = 0;
    for (const ClientJournal::Contents &journal : std::as_const(journals))
        recovered += journal.recovered;
    print(QStringLiteral("faults injected: %1 (%2)")
              .arg(total)
              .arg(counts.join(QLatin1String(", "))));
    print(QStringLiteral("client kills: %1, %2 with messages queued; %3 messages queued at a "
                         "kill, %4 of them stored after the restart")
              .arg(m_injected.value(Fault::ClientKill))
              .arg(m_killsWithQueue)
              .arg(m_queuedAtKill.size())
              .arg(queuedDelivered));
    print(QStringLiteral("messages checked: %1 (stored once on the server, received once by each "
                         "of the %2 other clients, each sender's order kept; %3 journal lines "
                         "recovered from a client's store after a kill)")
              .arg(result.checked)
              .arg(m_options.clients - 1)
              .arg(recovered));
    print(QStringLiteral("lost=%1 duplicated=%2 reordered=%3")
              .arg(result.lost)
              .arg(result.duplicated)
              .arg(result.reordered));
    if (result.unexpected > 0)
        fail(QStringLiteral("%1 messages stored or received that no client sent")
                 .arg(result.unexpected));
    for (const QString &problem : result.problems)
        print(QStringLiteral("  %1").arg(problem));
    if (m_injected.value(Fault::ClientKill) > 0 && m_killsWithQueue == 0)
        fail(QStringLiteral("no client was killed with messages queued, so their delivery after "
                            "a restart was not shown"));
    return result.passed() && result.checked > 0;
}

bool SoakRunner::waitUntil(const std::function<bool()> &condition, int timeoutMs,
                           const QString &what)
{
    if (waitFor(condition, timeoutMs))
        return true;
    QStringList states;
    for (const ClientProcess *client : std::as_const(m_clients)) {
        const auto report = client->reportSinceStop();
        states << (report ? QStringLiteral("%1 %2, %3 pending, seen seq %4")
                                .arg(client->name(), report->status)
                                .arg(report->pending)
                                .arg(report->seen)
                          : QStringLiteral("%1 %2").arg(client->name(),
                                                        client->isReady()
                                                            ? QStringLiteral("running")
                                                            : QStringLiteral("not running")));
    }
    QStringList servers;
    for (const BundledServer *server : std::as_const(m_servers))
        servers << (server->isRunning() ? QStringLiteral("running")
                                        : QStringLiteral("not running"));
    fail(QStringLiteral("waited %1 ms for %2; servers %3; %4")
             .arg(timeoutMs)
             .arg(what, servers.join(QLatin1String(", ")), states.join(QLatin1String("; "))));
    return false;
}

QString SoakRunner::journalPath(const QString &client) const
{
    return QDir(m_options.workDirectory).filePath(client + QStringLiteral(".journal"));
}

int SoakRunner::draw(int lowest, int highest)
{
    return int(m_random.bounded(lowest, highest + 1));
}

void SoakRunner::note(const QString &line)
{
    const QString stamped
        = QStringLiteral("%1 s  %2").arg(double(m_clock.elapsed()) / 1000.0, 8, 'f', 3).arg(line);
    m_faultLog.write(stamped.toUtf8() + '\n');
    m_faultLog.flush();
    if (m_options.verbose)
        print(stamped);
}

void SoakRunner::fail(const QString &problem)
{
    m_failures.append(problem);
    note(QStringLiteral("FAILURE: %1").arg(problem));
    std::fprintf(stderr, "lifeline-chaos: %s\n", qUtf8Printable(problem));
    std::fflush(stderr);
}

int SoakRunner::finish(bool checked)
{
    if (checked && m_failures.isEmpty()) {
        print(QStringLiteral("PASS (seed %1)").arg(m_options.seed));
        return 0;
    }
    print(QStringLiteral("FAIL (seed %1): replay with --seed %1; faults and logs in %2")
              .arg(m_options.seed)
              .arg(m_options.workDirectory));
    return 1;
}

} // namespace lifeline::chaos
