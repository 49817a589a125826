// Presence across instances: what each way of spreading it through PostgreSQL costs the message
// appends beside it, the figures behind the choice in docs/scaling.md. NOTIFY takes a lock that
// every notifying commit of the cluster shares, the message appends' included.
//
//   bench_presence [--seconds 15] [--rounds 3] [--appends 500] [--changes 500] [--users 1000]
//                  [--json FILE]
//
// A throwaway PostgreSQL (fsync and synchronous_commit on) gets lifeline-server's schema from a
// real instance, which then stops. Each measurement runs on a fresh copy of that database that
// holds the presence of three instances with --users users each. pgbench appends one message
// per statement through lifeline_append(), as an instance does, at --appends a second from four
// connections, while a second pgbench changes presence at --changes a second from three (one
// per instance):
//
//   alone      no presence traffic: the baseline
//   rows       what the instances do: each writes the changes of 100 ms as rows in one
//              transaction with one notice carrying them, ten times a second, and reads the
//              others' rows once a second (its check)
//   rows-read  what the previous release did: the same, but every other instance reads the
//              others' rows whenever a notice comes
//   notices    the alternative: one notice per change, carrying the change, nothing stored
//
// Three listening connections (this process) take every notice, as the instances' do. The
// configurations take turns going first in each round; the figures are medians over the
// rounds. Latency is pgbench's: from when a statement was due to its answer.
// Exit code 2 if the benchmark could not run. There is no target: the figures inform a choice.
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "median.h"
#include "postgrescluster.h"
#include "serverwaits.h"
#include "waitfor.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::testkit;

namespace {

constexpr int Instances = 3;
constexpr int AppendConnections = 4;
// What an instance does: ChatServer coalesces presence changes for 100 ms.
constexpr int FlushesPerSecondPerInstance = 10;
// Generous for a loaded 2-core machine; what is measured is printed, not these.
constexpr int StartTimeoutMs = 30000;
constexpr int SetupTimeoutMs = 60000;

enum class Mechanism { Alone, Rows, RowsRead, Notices };

QString nameOf(Mechanism mechanism)
{
    switch (mechanism) {
    case Mechanism::Alone:
        return QStringLiteral("alone");
    case Mechanism::Rows:
        return QStringLiteral("rows");
    case Mechanism::RowsRead:
        return QStringLiteral("rows-read");
    case Mechanism::Notices:
        return QStringLiteral("notices");
    }
    return {};
}

struct Settings
{
    int seconds = 15;
    int rounds = 3;
    int appendsPerSecond = 500;
    int changesPerSecond = 500;
    int users = 1000;
};

struct Latencies
{
    qint64 count = 0;
    double p50Ms = 0;
    double p99Ms = 0;
};

struct RunResult
{
    Latencies appends;
    Latencies presence;
    double appendsPerSecond = 0;
    double changesPerSecond = 0;
    // Presence rows the listening instances read, a second.
    double rowsReadPerSecond = 0;
};

// pgbench's --log lines: "client transaction time script epoch us [lag]", time and lag in µs.
// Latency from when the statement was due: its time plus its lag behind the schedule.
Latencies readLatencies(const QDir &dir, const QString &prefix)
{
    std::vector<qint64> us;
    for (const QString &name : dir.entryList({prefix + QStringLiteral(".*")}, QDir::Files)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        while (!file.atEnd()) {
            const QList<QByteArray> fields = file.readLine().trimmed().split(' ');
            if (fields.size() < 6)
                continue;
            us.push_back(fields.at(2).toLongLong()
                         + (fields.size() >= 7 ? fields.at(6).toLongLong() : 0));
        }
        file.remove();
    }
    Latencies result;
    result.count = qint64(us.size());
    if (us.empty())
        return result;
    std::sort(us.begin(), us.end());
    const auto at = [&us](double fraction) {
        const size_t rank = size_t(std::ceil(fraction * double(us.size())));
        return double(us.at(std::clamp<size_t>(rank, 1, us.size()) - 1)) / 1000.0;
    };
    result.p50Ms = at(0.5);
    result.p99Ms = at(0.99);
    return result;
}

class PresenceBench
{
public:
    PresenceBench(const Settings &settings)
        : m_settings(settings)
    { }
    ~PresenceBench() { closeListeners(); }

    bool setUp(QString *error);
    // One measurement on a fresh copy of the schema; false with the reason in *error.
    bool run(Mechanism mechanism, int round, RunResult *result, QString *error);

private:
    // The scripts pgbench runs, written once into the work directory.
    bool writeScripts(QString *error);
    // Users who leave and come back in one instance's flush of 100 ms: two changes each, so that
    // the table keeps its size; at least one.
    int leavesPerFlush() const
    {
        return std::max(
            1, m_settings.changesPerSecond / (Instances * FlushesPerSecondPerInstance) / 2);
    }
    QProcess *startPgbench(const QString &database, const QString &script, int connections,
                           double rate, const QString &logPrefix);
    bool openListeners(const QString &database, Mechanism mechanism, QString *error);
    void closeListeners();
    // Reads the other instances' rows on connection, as PostgresPresence::readOthers() does.
    void readOthers(const QString &connection, const QString &self);

    Settings m_settings;
    PostgresCluster m_postgres;
    QTemporaryDir m_work;
    QStringList m_listenerNames;
    QTimer m_checks;
    qint64 m_othersRead = 0;
};

bool PresenceBench::setUp(QString *error)
{
    if (!m_work.isValid()) {
        *error = m_work.errorString();
        return false;
    }
    // pgbench runs as the cluster's owner (not root): it reads the scripts and writes its logs
    // here.
    QFile::setPermissions(m_work.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                              | QFileDevice::ReadOther | QFileDevice::WriteOther
                              | QFileDevice::ExeOther);
    if (!m_postgres.start()) {
        *error = m_postgres.errorString();
        return false;
    }
    // The schema as the server creates it, lifeline_append() included.
    const QString url = m_postgres.createDatabase(QStringLiteral("schema"));
    if (url.isEmpty()) {
        *error = m_postgres.errorString();
        return false;
    }
    BundledServer server;
    server.setDataDirectory(m_work.filePath(QStringLiteral("server")));
    server.setExtraArguments({QStringLiteral("--database"), url, QStringLiteral("--instance"),
                              QStringLiteral("schema")});
    server.start();
    if (!waitForStarted(server, StartTimeoutMs)) {
        *error = QStringLiteral("lifeline-server did not set up the schema");
        return false;
    }
    server.stop();
    if (!waitForStopped(server, StartTimeoutMs)) {
        *error = QStringLiteral("lifeline-server did not stop");
        return false;
    }
    return writeScripts(error);
}

bool PresenceBench::writeScripts(QString *error)
{
    // One message per statement with a new id each, of a size people type.
    QString append
        = QStringLiteral("SELECT count(*) FROM lifeline_append(json_build_array(json_build_array("
                         "md5(random()::text || clock_timestamp()::text), 'bench', 'sender', "
                         "'a message of about the length people type in a chat', 0)), 7900);\n");
    // One instance's changes of 100 ms: users leave and come back, so that the table keeps its
    // size; statement by statement, as PostgresPresence writes them.
    QString rows;
    const int pairs = leavesPerFlush();
    for (int i = 0; i < pairs; ++i)
        rows += QStringLiteral("\\set u%1 random(1, %2)\n").arg(i).arg(m_settings.users);
    rows += QStringLiteral("BEGIN;\n");
    for (int i = 0; i < pairs; ++i)
        rows += QStringLiteral("DELETE FROM lifeline_presence WHERE instance = 'i' || :client_id "
                               "AND uid = 'u' || :u%1;\n")
                    .arg(i);
    for (int i = 0; i < pairs; ++i)
        rows += QStringLiteral("INSERT INTO lifeline_presence (instance, uid) VALUES ('i' || "
                               ":client_id, 'u' || :u%1) ON CONFLICT DO NOTHING;\n")
                    .arg(i);
    // The notice carries the change, as PostgresPresence writes it.
    QStringList uids;
    for (int i = 0; i < pairs; ++i)
        uids.append(QStringLiteral("'u' || :u%1").arg(i));
    rows += QStringLiteral("SELECT pg_notify('lifeline_presence', json_build_object('i', 'i' || "
                           ":client_id, 'n', 1, '+', json_build_array(%1), '-', "
                           "json_build_array(%1))::text);\n"
                           "COMMIT;\n")
                .arg(uids.join(QStringLiteral(", ")));
    // The alternative: the change itself in a notice, nothing stored.
    const QString notices
        = QStringLiteral("\\set u random(1, %1)\n"
                         "SELECT pg_notify('lifeline_presence', 'i' || :client_id || ' +u' || "
                         ":u);\n")
              .arg(m_settings.users);
    for (const auto &[name, text] : {std::pair {QStringLiteral("append.sql"), append},
                                     {QStringLiteral("rows.sql"), rows},
                                     {QStringLiteral("notices.sql"), notices}}) {
        QFile file(m_work.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0) {
            *error = QStringLiteral("%1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
    }
    return true;
}

QProcess *PresenceBench::startPgbench(const QString &database, const QString &script,
                                      int connections, double rate, const QString &logPrefix)
{
    const QStringList command = m_postgres.commandLine(
        QStringLiteral("pgbench"),
        {QStringLiteral("--no-vacuum"), QStringLiteral("--protocol=prepared"),
         QStringLiteral("--client=%1").arg(connections), QStringLiteral("--jobs=1"),
         QStringLiteral("--rate=%1").arg(rate), QStringLiteral("--time=%1").arg(m_settings.seconds),
         QStringLiteral("--log"), QStringLiteral("--log-prefix=%1").arg(logPrefix),
         QStringLiteral("--file=%1").arg(m_work.filePath(script)), m_postgres.url(database)});
    auto *process = new QProcess;
    process->setWorkingDirectory(m_work.path());
    process->setProgram(command.constFirst());
    process->setArguments(command.mid(1));
    process->start();
    return process;
}

bool PresenceBench::openListeners(const QString &database, Mechanism mechanism, QString *error)
{
    m_othersRead = 0;
    for (int i = 0; i < Instances; ++i) {
        const QString name = QStringLiteral("listener%1").arg(i);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        m_listenerNames.append(name);
        // QPSQL takes the parts, not the URL: the socket directory is the URL's host item.
        const QUrl url(m_postgres.url(database));
        db.setHostName(QUrlQuery(url).queryItemValue(QStringLiteral("host"), QUrl::FullyDecoded));
        db.setUserName(url.userName());
        db.setDatabaseName(database);
        if (!db.open()) {
            *error = QStringLiteral("listening connection: %1").arg(db.lastError().text());
            return false;
        }
        const QString self = QStringLiteral("i%1").arg(i);
        QSqlDriver *driver = db.driver();
        driver->subscribeToNotification(QStringLiteral("lifeline_appended"));
        driver->subscribeToNotification(QStringLiteral("lifeline_presence"));
        // With rows-read, a notice from another instance makes this one read the others' rows;
        // with rows and notices the payload is the change, applied in memory.
        QObject::connect(driver, &QSqlDriver::notification, driver,
                         [this, name, self, mechanism](const QString &channel,
                                                       QSqlDriver::NotificationSource,
                                                       const QVariant &payload) {
                             if (mechanism != Mechanism::RowsRead
                                 || channel != QLatin1String("lifeline_presence"))
                                 return;
                             const QJsonObject notice
                                 = QJsonDocument::fromJson(payload.toString().toUtf8()).object();
                             if (notice.value(QStringLiteral("i")).toString() != self)
                                 readOthers(name, self);
                         });
    }
    // With rows, every instance also reads the others' rows at its check, once a second.
    if (mechanism == Mechanism::Rows || mechanism == Mechanism::RowsRead) {
        m_checks.start(1000);
        QObject::connect(&m_checks, &QTimer::timeout, &m_checks, [this] {
            for (int i = 0; i < m_listenerNames.size(); ++i)
                readOthers(m_listenerNames.at(i), QStringLiteral("i%1").arg(i));
        });
    }
    return true;
}

void PresenceBench::readOthers(const QString &connection, const QString &self)
{
    // PostgresPresence::readOthers()'s statement.
    QSqlQuery query(QSqlDatabase::database(connection, false));
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT i.instance, p.uid FROM lifeline_instances i "
                                 "LEFT JOIN lifeline_presence p ON p.instance = i.instance "
                                 "WHERE i.instance <> ? AND i.seen_at >= now() - "
                                 "make_interval(secs => 5)"));
    query.addBindValue(self);
    if (query.exec()) {
        while (query.next())
            ++m_othersRead;
    }
}

void PresenceBench::closeListeners()
{
    m_checks.stop();
    m_checks.disconnect();
    for (const QString &name : std::as_const(m_listenerNames)) {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
    m_listenerNames.clear();
}

bool PresenceBench::run(Mechanism mechanism, int round, RunResult *result, QString *error)
{
    const QString database
        = QStringLiteral("r%1_%2").arg(round).arg(nameOf(mechanism).replace(u'-', u'_'));
    // The server that set up the schema has gone, but its backends may take a moment to.
    bool copied = false;
    for (int attempt = 0; attempt < 50 && !copied; ++attempt) {
        copied = m_postgres.sql(QStringLiteral("postgres"),
                                QStringLiteral("CREATE DATABASE %1 TEMPLATE schema").arg(database));
        if (!copied)
            waitFor([] { return false; }, 100);
    }
    // Three live instances with --users users each; seen far ahead, so that none goes stale.
    // Not messages: statistics taken of an empty table make the planner scan it whole for each
    // id lookup until autovacuum analyzes it again, up to a minute later.
    if (!copied
        || !m_postgres.sql(database,
                           QStringLiteral("INSERT INTO lifeline_instances (instance, seen_at) "
                                          "SELECT 'i' || i, now() + interval '1 day' "
                                          "FROM generate_series(0, %1) i; "
                                          "INSERT INTO lifeline_presence (instance, uid) "
                                          "SELECT 'i' || i, 'u' || u FROM generate_series(0, %1) "
                                          "i, generate_series(1, %2) u; "
                                          "ANALYZE lifeline_instances, lifeline_presence;")
                               .arg(Instances - 1)
                               .arg(m_settings.users))) {
        *error = m_postgres.errorString();
        return false;
    }
    if (!openListeners(database, mechanism, error)) {
        closeListeners();
        return false;
    }
    std::vector<std::unique_ptr<QProcess>> processes;
    processes.emplace_back(startPgbench(database, QStringLiteral("append.sql"), AppendConnections,
                                        m_settings.appendsPerSecond, QStringLiteral("log-append")));
    double presenceTransactionsPerSecond = 0;
    int changesPerTransaction = 0;
    if (mechanism == Mechanism::Rows || mechanism == Mechanism::RowsRead) {
        presenceTransactionsPerSecond = Instances * FlushesPerSecondPerInstance;
        changesPerTransaction = 2 * leavesPerFlush();
    } else if (mechanism == Mechanism::Notices) {
        presenceTransactionsPerSecond = m_settings.changesPerSecond;
        changesPerTransaction = 1;
    }
    if (changesPerTransaction > 0)
        processes.emplace_back(
            startPgbench(database,
                         mechanism == Mechanism::Notices ? QStringLiteral("notices.sql")
                                                         : QStringLiteral("rows.sql"),
                         Instances, presenceTransactionsPerSecond, QStringLiteral("log-presence")));
    const int timeoutMs = m_settings.seconds * 1000 + SetupTimeoutMs;
    waitFor(
        [&processes] {
            return std::all_of(processes.cbegin(), processes.cend(), [](const auto &process) {
                return process->state() == QProcess::NotRunning;
            });
        },
        timeoutMs);
    closeListeners();
    for (const auto &process : processes) {
        if (process->state() != QProcess::NotRunning || process->exitCode() != 0) {
            *error = QStringLiteral("pgbench failed: %1%2")
                         .arg(process->errorString(),
                              QString::fromLocal8Bit(process->readAllStandardError()));
            process->kill();
            process->waitForFinished();
            return false;
        }
    }
    const QDir dir(m_work.path());
    result->appends = readLatencies(dir, QStringLiteral("log-append"));
    result->presence = readLatencies(dir, QStringLiteral("log-presence"));
    result->appendsPerSecond = double(result->appends.count) / m_settings.seconds;
    result->changesPerSecond
        = double(result->presence.count * changesPerTransaction) / m_settings.seconds;
    result->rowsReadPerSecond = double(m_othersRead) / m_settings.seconds;
    m_postgres.sql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE %1").arg(database));
    return true;
}

QJsonObject toJson(const QList<RunResult> &runs)
{
    QJsonArray rounds;
    for (const RunResult &r : runs)
        rounds.append(QJsonObject {{QStringLiteral("appendP50Ms"), r.appends.p50Ms},
                                   {QStringLiteral("appendP99Ms"), r.appends.p99Ms},
                                   {QStringLiteral("appendsPerSecond"), r.appendsPerSecond},
                                   {QStringLiteral("presenceP99Ms"), r.presence.p99Ms},
                                   {QStringLiteral("changesPerSecond"), r.changesPerSecond},
                                   {QStringLiteral("rowsReadPerSecond"), r.rowsReadPerSecond}});
    return {{QStringLiteral("rounds"), rounds}};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.debug=false"));
    BenchCommandLine options(QStringLiteral(
        "What spreading presence through PostgreSQL costs the message appends beside it: "
        "rows with a notice carrying the change every 100 ms, the same with a read of the rows "
        "on every notice, or a notice per change, against none."));
    Settings settings;
    options.addNumber(QStringLiteral("seconds"), QStringLiteral("Seconds per measurement"),
                      &settings.seconds);
    options.addNumber(QStringLiteral("rounds"), QStringLiteral("Rounds"), &settings.rounds);
    options.addNumber(QStringLiteral("appends"), QStringLiteral("Messages appended a second"),
                      &settings.appendsPerSecond);
    options.addNumber(QStringLiteral("changes"),
                      QStringLiteral("Presence changes a second over the three instances"),
                      &settings.changesPerSecond);
    options.addNumber(QStringLiteral("users"), QStringLiteral("Users online per instance"),
                      &settings.users);
    if (!options.process(app))
        return SetupFailedExit;

    std::printf("Presence through PostgreSQL beside message appends: %d appends/s, %d presence "
                "changes/s over %d instances of %d users, %d s x %d rounds\n",
                settings.appendsPerSecond, settings.changesPerSecond, Instances, settings.users,
                settings.seconds, settings.rounds);
    std::fflush(stdout);
    PresenceBench bench(settings);
    QString error;
    if (!bench.setUp(&error))
        return setupFailed(error);
    const QList<Mechanism> mechanisms {Mechanism::Alone, Mechanism::Rows, Mechanism::RowsRead,
                                       Mechanism::Notices};
    QHash<int, QList<RunResult>> results;
    for (int round = 0; round < settings.rounds; ++round) {
        for (int turn = 0; turn < mechanisms.size(); ++turn) {
            const Mechanism mechanism = mechanisms.at((round + turn) % mechanisms.size());
            RunResult result;
            if (!bench.run(mechanism, round, &result, &error))
                return setupFailed(error);
            std::printf("  round %d %-12s appends p50 %6.2f p99 %7.2f ms, %6.0f/s; presence %6.0f "
                        "changes/s, p99 %7.2f ms; %8.0f rows read/s\n",
                        round + 1, qUtf8Printable(nameOf(mechanism)), result.appends.p50Ms,
                        result.appends.p99Ms, result.appendsPerSecond, result.changesPerSecond,
                        result.presence.p99Ms, result.rowsReadPerSecond);
            std::fflush(stdout);
            results[int(mechanism)].append(result);
        }
    }
    const auto medianOf = [&results](Mechanism mechanism, auto field) {
        return median(results.value(int(mechanism)), field);
    };
    const auto p50 = [](const RunResult &r) { return r.appends.p50Ms; };
    const auto p99 = [](const RunResult &r) { return r.appends.p99Ms; };
    const auto appendRate = [](const RunResult &r) { return r.appendsPerSecond; };
    const auto changeRate = [](const RunResult &r) { return r.changesPerSecond; };
    const auto presenceP99 = [](const RunResult &r) { return r.presence.p99Ms; };
    const auto rowsRead = [](const RunResult &r) { return r.rowsReadPerSecond; };
    std::printf("\n%-12s %14s %14s %12s %16s %16s %14s\n", "presence", "append p50 ms",
                "append p99 ms", "appends/s", "changes/s", "presence p99 ms", "rows read/s");
    for (Mechanism mechanism : mechanisms)
        std::printf("%-12s %14.2f %14.2f %12.0f %16.0f %16.2f %14.0f\n",
                    qUtf8Printable(nameOf(mechanism)), medianOf(mechanism, p50),
                    medianOf(mechanism, p99), medianOf(mechanism, appendRate),
                    medianOf(mechanism, changeRate), medianOf(mechanism, presenceP99),
                    medianOf(mechanism, rowsRead));

    BenchReport report(QStringLiteral("presence"));
    const double alone = medianOf(Mechanism::Alone, p99);
    const QString measure = QStringLiteral("message append p99 beside %1 presence changes/s %2");
    for (const auto &[mechanism, how] :
         {std::pair {Mechanism::Rows,
                     "as rows, a notice carrying the change per instance per 100 ms (what the "
                     "instances do)"},
          {Mechanism::RowsRead,
           "as rows, each notice making the others read them (the previous "
           "release)"},
          {Mechanism::Notices, "as a notice per change (not chosen)"}})
        report.addRow({measure.arg(settings.changesPerSecond).arg(QLatin1String(how)),
                       QStringLiteral("ms"), medianOf(mechanism, p99), alone,
                       QStringLiteral("appends alone"), QString(), std::nullopt});
    for (Mechanism mechanism : mechanisms)
        report.setDetail(nameOf(mechanism), toJson(results.value(int(mechanism))));
    report.setDetail(QStringLiteral("settings"),
                     QJsonObject {{QStringLiteral("seconds"), settings.seconds},
                                  {QStringLiteral("rounds"), settings.rounds},
                                  {QStringLiteral("appendsPerSecond"), settings.appendsPerSecond},
                                  {QStringLiteral("changesPerSecond"), settings.changesPerSecond},
                                  {QStringLiteral("usersPerInstance"), settings.users}});
    return report.finish(options.jsonPath());
}
