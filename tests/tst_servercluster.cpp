// Several lifeline-server instances on one real PostgreSQL, started by the test in a temporary
// directory: every message stored once, one order for everybody, delivered once to every live
// client of every instance; a lost LISTEN connection or a PostgreSQL outage delays messages but
// never loses, repeats or reorders them.

#include "appendednotice.h"
#include "bundledserver.h"
#include "chatclient.h"
#include "databaseurl.h"
#include "postgrescluster.h"
#include "postgreslistener.h"
#include "postgresmessagestore.h"
#include "postgrespresence.h"
#include "protocolclient.h"
#include "serverwaits.h"
#include "testsetup.h"

#include <protocol.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <memory>
#include <vector>

using lifeline::harness::BundledServer;
using lifeline::testkit::ChatClient;
using lifeline::testkit::PostgresCluster;
using lifeline::testkit::ProtocolClient;
using lifeline::testkit::typeOf;

using namespace lifeline;
using namespace lifeline::server;

namespace {

constexpr int Timeout = ProtocolClient::TimeoutMs;

// The store's check for a silent LISTEN connection runs every second; a message held up by a
// lost notice arrives within that, a busy machine's turn or two later.
constexpr int AfterHealthCheckMs = 5000;

} // namespace

class tst_ServerCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void badDatabaseExits2_data();
    void badDatabaseExits2();
    void newerSchemaIsRefused();
    void messageThroughOneReachesEveryInstanceOnce();
    void noticesAreTrustedOnlyAsWritten();
    void carriedMessagesArriveAsSent();
    void concurrentAppendsLeaveNoGapOrDuplicate();
    void appendsUseTheIndexWhateverTheStatistics();
    void killedListenConnectionDelaysNothingForLong();
    void databaseOutageGetsRetryAndLosesNothing();
    void storeFailureBeforeTheRateHoldMovesTheHold();
    void healthCheckSaysWhetherTheDatabaseIsThere();
    void sighupReloadsTheSharedTokensFile();
    void importKeepsEveryCursorValid();
    void presenceAndTypingSpanTheInstances();
    void presenceNoticesCarryTheirChange();
    void killedInstanceTakesItsUsersOffline();
    void clientsFailOverWithNothingLostOrRepeated();
    void behindHaproxyClientsSpreadAndComeBack();
    void rollingRestartUnderTrafficLosesNothing();
    void lostDatabaseConnectionsAndRestartUnderTraffic_data();
    void lostDatabaseConnectionsAndRestartUnderTraffic();
    void retentionIsTheDatabasesAndTheLastInstanceSetsIt();

private:
    // Starts count instances (A, B, C, ...) on the current test's database, all at once.
    bool startInstances(int count, const QStringList &extra = {});
    // A client logged in on instance index and live (caught up from 0).
    std::unique_ptr<ProtocolClient> liveClient(int index, const QString &uid);
    // Reads count messages from client; their ids and seqs in the order they came.
    static bool readMessages(ProtocolClient &client, int count, QStringList *ids,
                             QList<qint64> *seqs);
    // Reads frames from client until one of type has field equal to value; false if none
    // came within timeoutMs. Frames of other types are passed over.
    static bool waitForFrame(ProtocolClient &client, const QString &type,
                             const std::function<bool(const QJsonObject &)> &matches,
                             int timeoutMs);
    using Users = std::vector<std::unique_ptr<ChatClient>>;
    // count users (SDK clients) with urls, each connected.
    Users connectedUsers(const QList<QUrl> &urls, int count, const QString &name);
    // The users send perUser messages each while fault() is done halfway; then checks that
    // every message was stored once and every user got every other user's once, in seq order,
    // each sender's in the order sent.
    void trafficThrough(const Users &users, const std::function<void()> &fault, int perUser = 20);
    // Four users with every instance's URL, through trafficThrough().
    void trafficThroughInstances(const std::function<void()> &fault);
    // A load balancer's health check: the status line and the body, as HTTP/1.1 GET gets them.
    static QByteArray healthCheck(const QUrl &url);
    // Sends id as the SDK does: again after each retry, once its afterMs have passed, until
    // the server answers otherwise or timeoutMs run out. Returns the last answer to id (ack,
    // nack, or retry), or an empty object if none came.
    static QJsonObject sendUntilAnswered(ProtocolClient &client, const QString &id,
                                         const QString &text, int timeoutMs);

    PostgresCluster m_postgres;
    QTemporaryDir m_dataDirs;
    QString m_database;
    QString m_url;
    std::vector<std::unique_ptr<BundledServer>> m_instances;
    QStringList m_log;
    int m_databaseCount = 0;
};

void tst_ServerCluster::initTestCase()
{
    QVERIFY2(m_dataDirs.isValid(), qPrintable(m_dataDirs.errorString()));
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
}

void tst_ServerCluster::init()
{
    // A database of its own for each test: none sees another's messages or schema.
    m_database = QStringLiteral("chat%1").arg(++m_databaseCount);
    m_url = m_postgres.createDatabase(m_database);
    QVERIFY2(!m_url.isEmpty(), qPrintable(m_postgres.errorString()));
    m_log.clear();
}

void tst_ServerCluster::cleanup()
{
    m_instances.clear();
    if (QTest::currentTestFailed())
        qWarning("the instances said:\n%s", qPrintable(m_log.join(QLatin1Char('\n'))));
}

bool tst_ServerCluster::startInstances(int count, const QStringList &extra)
{
    for (int i = 0; i < count; ++i) {
        const QString name = QString(QChar(u'A' + i));
        auto server = std::make_unique<BundledServer>();
        server->setDataDirectory(m_dataDirs.filePath(m_database + name));
        server->setExtraArguments(QStringList {QStringLiteral("--database"), m_url,
                                               QStringLiteral("--instance"), name,
                                               QStringLiteral("--rate"), QStringLiteral("0")}
                                  + extra);
        connect(server.get(), &BundledServer::standardErrorLine, this,
                [this](const QString &line) { m_log.append(line); });
        server->start();
        m_instances.push_back(std::move(server));
    }
    for (const auto &server : m_instances) {
        if (!lifeline::testkit::waitForStarted(*server))
            return false;
    }
    return true;
}

std::unique_ptr<ProtocolClient> tst_ServerCluster::liveClient(int index, const QString &uid)
{
    auto client = std::make_unique<ProtocolClient>(m_instances.at(index)->url());
    if (typeOf(client->login(uid)) != protocol::type::Welcome || client->catchUp(0) < 0)
        return nullptr;
    return client;
}

bool tst_ServerCluster::readMessages(ProtocolClient &client, int count, QStringList *ids,
                                     QList<qint64> *seqs)
{
    for (int i = 0; i < count; ++i) {
        const QJsonObject frame = client.next(Timeout);
        if (typeOf(frame) != protocol::type::Message) {
            qWarning(
                "message %d of %d: got %s", i + 1, count,
                qPrintable(typeOf(frame).isEmpty() ? QStringLiteral("nothing") : typeOf(frame)));
            return false;
        }
        ids->append(frame.value(QStringLiteral("id")).toString());
        seqs->append(frame.value(QStringLiteral("seq")).toInteger());
    }
    return true;
}

bool tst_ServerCluster::waitForFrame(ProtocolClient &client, const QString &type,
                                     const std::function<bool(const QJsonObject &)> &matches,
                                     int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const QJsonObject frame = client.next(int(timeoutMs - timer.elapsed()));
        if (typeOf(frame) == type && matches(frame))
            return true;
    }
    return false;
}

QJsonObject tst_ServerCluster::sendUntilAnswered(ProtocolClient &client, const QString &id,
                                                 const QString &text, int timeoutMs)
{
    const QStringList answers {protocol::type::Ack, protocol::type::Nack, protocol::type::Retry};
    QElapsedTimer timer;
    timer.start();
    QJsonObject answer;
    while (timer.elapsed() < timeoutMs) {
        client.send(id, text);
        // One answer comes to each send; the sender's own message and anything else pass by.
        answer = QJsonObject();
        while (answer.isEmpty() && timer.elapsed() < timeoutMs) {
            const QJsonObject frame = client.next(int(timeoutMs - timer.elapsed()));
            if (answers.contains(typeOf(frame))
                && frame.value(QStringLiteral("id")).toString() == id)
                answer = frame;
        }
        if (typeOf(answer) != protocol::type::Retry)
            return answer;
        QTest::qWait(int(answer.value(QStringLiteral("afterMs")).toInteger()));
    }
    return answer;
}

QByteArray tst_ServerCluster::healthCheck(const QUrl &url)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(Timeout))
        return "not connected";
    socket.write("GET /healthz HTTP/1.1\r\nHost: lifeline\r\n\r\n");
    QByteArray response;
    while (socket.waitForReadyRead(Timeout))
        response += socket.readAll();
    response += socket.readAll();
    const qsizetype endOfLine = response.indexOf("\r\n");
    const qsizetype endOfHeaders = response.indexOf("\r\n\r\n");
    if (endOfLine < 0 || endOfHeaders < 0)
        return "no HTTP response: " + response;
    return response.left(endOfLine) + " / " + response.mid(endOfHeaders + 4);
}

void tst_ServerCluster::badDatabaseExits2_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("says");
    QTest::newRow("not postgresql") << QStringLiteral("mysql://db.example/chat")
                                    << QStringLiteral("the scheme must be postgresql://");
    // QUrl's own error text would quote the whole URL, password and all.
    QTest::newRow("not a URL, with a password")
        << QStringLiteral("postgresql://lifeline:s3cret@[::1/chat")
        << QStringLiteral("this is not a valid URL");
    QTest::newRow("no database") << QStringLiteral("postgresql://db.example")
                                 << QStringLiteral("the URL names no database");
    QTest::newRow("bad port") << QStringLiteral("postgresql://db.example/chat?port=99999")
                              << QStringLiteral("port \"99999\" is not a number");
    QTest::newRow("quote in a parameter")
        << QStringLiteral("postgresql://db.example/chat?sslmode=a'b")
        << QStringLiteral("may not contain");
    // Nothing listens in an empty socket directory: refused at once, with what to check.
    QTest::newRow("unreachable, with a password")
        << QStringLiteral("postgresql://lifeline:s3cret@/chat?host=%1")
               .arg(m_dataDirs.filePath(QStringLiteral("nowhere")))
        << QStringLiteral("check that PostgreSQL runs there");
    QTest::newRow("no such database") << m_postgres.url(QStringLiteral("missing"))
                                      << QStringLiteral("database \"missing\" does not exist");
}

void tst_ServerCluster::badDatabaseExits2()
{
    QFETCH(QString, url);
    QFETCH(QString, says);
    QProcess process;
    process.setProgram(BundledServer::defaultProgram());
    process.setArguments({QStringLiteral("--data-dir"), m_dataDirs.filePath(m_database),
                          QStringLiteral("--database"), url});
    process.start();
    QVERIFY(process.waitForFinished(testkit::Soon));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    QCOMPARE(process.readAllStandardOutput(), QByteArray());
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(says), qPrintable(errors));
    // The password never reaches a log line.
    QVERIFY2(!errors.contains(QStringLiteral("s3cret")), qPrintable(errors));
}

void tst_ServerCluster::newerSchemaIsRefused()
{
    QVERIFY(startInstances(1));
    m_instances.clear();
    QVERIFY2(m_postgres.sql(m_database, QStringLiteral("UPDATE lifeline_schema SET version = 99")),
             qPrintable(m_postgres.errorString()));
    QProcess process;
    process.setProgram(BundledServer::defaultProgram());
    process.setArguments({QStringLiteral("--data-dir"), m_dataDirs.filePath(m_database),
                          QStringLiteral("--database"), m_url});
    process.start();
    QVERIFY(process.waitForFinished(testkit::Soon));
    QCOMPARE(process.exitCode(), 2);
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(QStringLiteral("set up by a newer lifeline-server (schema version "
                                            "99; this one knows up to 1): upgrade this instance")),
             qPrintable(errors));
}

void tst_ServerCluster::messageThroughOneReachesEveryInstanceOnce()
{
    // Started together on an empty database: they set up the schema once between them.
    QVERIFY(startInstances(3));
    auto alice = liveClient(0, QStringLiteral("alice"));
    auto bob = liveClient(1, QStringLiteral("bob"));
    auto carol = liveClient(2, QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);

    alice->send(QStringLiteral("m1"), QStringLiteral("hello, everyone"));
    const QJsonObject ack = alice->next();
    QCOMPARE(typeOf(ack), protocol::type::Ack);
    const qint64 seq = ack.value(QStringLiteral("seq")).toInteger();
    QVERIFY(seq > 0);
    // The sender's own copy too, and each on its own instance.
    for (ProtocolClient *client : {alice.get(), bob.get(), carol.get()}) {
        const QJsonObject message = client->next(AfterHealthCheckMs);
        QCOMPARE(typeOf(message), protocol::type::Message);
        QCOMPARE(message.value(QStringLiteral("id")).toString(), QStringLiteral("m1"));
        QCOMPARE(message.value(QStringLiteral("seq")).toInteger(), seq);
        QCOMPARE(message.value(QStringLiteral("sender")).toString(), QStringLiteral("alice"));
    }

    // Alice's second device on C sends the same id again (a resend after a failover): the
    // stored seq comes back, and nobody gets the message a second time.
    ProtocolClient aliceOnC(m_instances.at(2)->url());
    QCOMPARE(typeOf(aliceOnC.login(QStringLiteral("alice"))), protocol::type::Welcome);
    aliceOnC.send(QStringLiteral("m1"), QStringLiteral("hello, everyone"));
    const QJsonObject again = aliceOnC.next();
    QCOMPARE(typeOf(again), protocol::type::Ack);
    QCOMPARE(again.value(QStringLiteral("seq")).toInteger(), seq);
    // Past the next health check, whose read would publish anything new.
    QTest::qWait(1500);
    for (ProtocolClient *client : {alice.get(), bob.get(), carol.get()})
        QCOMPARE(client->framesBeforePong(), QList<QJsonObject>());
    QString stored;
    QVERIFY(m_postgres.sql(m_database, QStringLiteral("SELECT COUNT(*) FROM messages"), &stored));
    QCOMPARE(stored, QStringLiteral("1"));
}

void tst_ServerCluster::noticesAreTrustedOnlyAsWritten()
{
    // As lifeline_append() writes them (carriedMessagesArriveAsSent checks the real ones).
    const AppendedNotice notice = AppendedNotice::fromText(QStringLiteral(
        "8 [[7, \"a\", \"general\", \"alice\", \"say \\\"hi\\\"\\n grüße 👋\", 1700000000123], "
        "[8, \"b\", \"general\", \"bob\", \"\", 1700000000456]]"));
    QCOMPARE(notice.lastSeq, 8);
    QCOMPARE(notice.messages.size(), 2);
    QCOMPARE(notice.messages.at(0).seq, 7);
    QCOMPARE(notice.messages.at(0).id, QStringLiteral("a"));
    QCOMPARE(notice.messages.at(0).room, QStringLiteral("general"));
    QCOMPARE(notice.messages.at(0).sender, QStringLiteral("alice"));
    QCOMPARE(notice.messages.at(0).text, QStringLiteral("say \"hi\"\n grüße 👋"));
    QCOMPARE(notice.messages.at(0).sentAt, 1700000000123);
    QCOMPARE(notice.messages.at(1).text, QString());
    // The counter alone (a commit too big to carry, or an older release's notice).
    QCOMPARE(AppendedNotice::fromText(QStringLiteral("8")).lastSeq, 8);
    QVERIFY(AppendedNotice::fromText(QStringLiteral("8")).messages.isEmpty());
    // What this code did not write is not trusted: messages that are not consecutive or do not
    // end at the counter are dropped, and a notice that is not one says nothing.
    QVERIFY(AppendedNotice::fromText(QStringLiteral("9 [[7,\"a\",\"r\",\"u\",\"t\",1],"
                                                    "[9,\"b\",\"r\",\"u\",\"t\",1]]"))
                .messages.isEmpty());
    QVERIFY(AppendedNotice::fromText(QStringLiteral("9 [[8,\"a\",\"r\",\"u\",\"t\",1]]"))
                .messages.isEmpty());
    QVERIFY(AppendedNotice::fromText(QStringLiteral("9 [[9,\"a\"]]")).messages.isEmpty());
    QVERIFY(AppendedNotice::fromText(QStringLiteral("9 not json")).messages.isEmpty());
    QCOMPARE(AppendedNotice::fromText(QStringLiteral("new rows")).lastSeq, 0);
    QCOMPARE(AppendedNotice::fromText(QString()).lastSeq, 0);
}

void tst_ServerCluster::carriedMessagesArriveAsSent()
{
    QVERIFY(startInstances(2));
    auto alice = liveClient(0, QStringLiteral("alice"));
    auto bob = liveClient(1, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    // What the instances hear, heard the same way.
    PostgresListener listener;
    QString error;
    QVERIFY2(listener.start(DatabaseUrl::parse(m_url, &error), QStringLiteral("test"),
                            {PostgresMessageStore::AppendedChannel}, &error),
             qPrintable(error));
    QList<AppendedNotice> notices;
    connect(&listener, &PostgresListener::notified, this,
            [&notices](const QString &, const QString &payload) {
                notices.append(AppendedNotice::fromText(payload));
            });
    // The first fits in a notice and reaches B without a read; the second (10,000 bytes) does
    // not, and B reads it back from the database. Both must reach Bob as Alice sent them.
    const QStringList texts
        = {QStringLiteral("\"quoted\"\n\\ grüße 👋"), QString(10000, QLatin1Char('x'))};
    QList<qint64> seqs;
    for (int i = 0; i < texts.size(); ++i) {
        const QString id = QStringLiteral("n%1").arg(i);
        alice->send(id, texts.at(i));
        QJsonObject ack;
        QVERIFY(waitForFrame(
            *alice, protocol::type::Ack,
            [&](const QJsonObject &frame) {
                ack = frame;
                return frame.value(QStringLiteral("id")).toString() == id;
            },
            AfterHealthCheckMs));
        seqs.append(ack.value(QStringLiteral("seq")).toInteger());
    }
    for (int i = 0; i < texts.size(); ++i) {
        const QJsonObject message = bob->next(AfterHealthCheckMs);
        QCOMPARE(typeOf(message), protocol::type::Message);
        QCOMPARE(message.value(QStringLiteral("id")).toString(), QStringLiteral("n%1").arg(i));
        QCOMPARE(message.value(QStringLiteral("seq")).toInteger(), seqs.at(i));
        QCOMPARE(message.value(QStringLiteral("text")).toString(), texts.at(i));
        QCOMPARE(message.value(QStringLiteral("sender")).toString(), QStringLiteral("alice"));
    }
    // The first commit's notice carried its message as stored; the second's only the counter.
    QTRY_COMPARE_WITH_TIMEOUT(notices.size(), 2, Timeout);
    QCOMPARE(notices.at(0).lastSeq, seqs.at(0));
    QCOMPARE(notices.at(0).messages.size(), 1);
    QCOMPARE(notices.at(0).messages.at(0).id, QStringLiteral("n0"));
    QCOMPARE(notices.at(0).messages.at(0).text, texts.at(0));
    QCOMPARE(notices.at(0).messages.at(0).sender, QStringLiteral("alice"));
    QCOMPARE(notices.at(1).lastSeq, seqs.at(1));
    QVERIFY(notices.at(1).messages.isEmpty());
}

void tst_ServerCluster::concurrentAppendsLeaveNoGapOrDuplicate()
{
    QVERIFY(startInstances(3));
    std::vector<std::unique_ptr<ProtocolClient>> senders;
    std::vector<std::unique_ptr<ProtocolClient>> readers;
    for (int i = 0; i < 3; ++i) {
        // The senders do not sync, so that only their acks come back to them.
        senders.push_back(std::make_unique<ProtocolClient>(m_instances.at(i)->url()));
        QCOMPARE(typeOf(senders.back()->login(QStringLiteral("sender%1").arg(i))),
                 protocol::type::Welcome);
        readers.push_back(liveClient(i, QStringLiteral("reader%1").arg(i)));
        QVERIFY(readers.back());
    }
    // The three instances append at the same time, in batches of whatever each turn brings.
    constexpr int PerSender = 1000;
    for (int n = 0; n < PerSender; ++n) {
        for (int i = 0; i < 3; ++i)
            senders.at(i)->send(QStringLiteral("s%1-%2").arg(i).arg(n),
                                QStringLiteral("text %1").arg(n));
        if (n % 50 == 0)
            QCoreApplication::processEvents();
    }
    QSet<qint64> acked;
    for (int i = 0; i < 3; ++i) {
        qint64 last = 0;
        for (int n = 0; n < PerSender; ++n) {
            const QJsonObject ack = senders.at(i)->next();
            QCOMPARE(typeOf(ack), protocol::type::Ack);
            QCOMPARE(ack.value(QStringLiteral("id")).toString(),
                     QStringLiteral("s%1-%2").arg(i).arg(n));
            const qint64 seq = ack.value(QStringLiteral("seq")).toInteger();
            QVERIFY(seq > last);
            last = seq;
            acked.insert(seq);
        }
    }
    // No seq twice, and none missing: 1 to 3,000 on an empty database.
    QCOMPARE(acked.size(), 3 * PerSender);
    for (qint64 seq = 1; seq <= 3 * PerSender; ++seq)
        QVERIFY2(acked.contains(seq), qPrintable(QStringLiteral("seq %1 is missing").arg(seq)));

    // Every reader, on every instance, gets all of them once and in seq order.
    QStringList firstOrder;
    for (const auto &client : readers) {
        QStringList ids;
        QList<qint64> seqs;
        QVERIFY(readMessages(*client, 3 * PerSender, &ids, &seqs));
        for (qsizetype k = 0; k < seqs.size(); ++k)
            QCOMPARE(seqs.at(k), k + 1);
        if (firstOrder.isEmpty())
            firstOrder = ids;
        QCOMPARE(ids, firstOrder);
        QCOMPARE(client->framesBeforePong(), QList<QJsonObject>());
    }
}

void tst_ServerCluster::appendsUseTheIndexWhateverTheStatistics()
{
    QVERIFY(startInstances(1));
    // Statistics taken while messages was empty, as autovacuum takes them in a new database's
    // first minute, make a scan of the whole table look cheapest. Appends must still find ids
    // through the index: pg_stat_xact_user_tables counts this transaction's scans.
    QString output;
    QVERIFY2(m_postgres.sql(
                 m_database,
                 QStringLiteral(
                     "BEGIN; ANALYZE messages; "
                     "CREATE TEMP TABLE before ON COMMIT DROP AS SELECT seq_scan, idx_scan "
                     "FROM pg_stat_xact_user_tables WHERE relname = 'messages'; "
                     "SELECT count(*) FROM generate_series(1, 300) g, lifeline_append("
                     "json_build_array(json_build_array('scan-' || g, 'r', 's', 'b', 0)), 7900); "
                     "SELECT 'scans ' || (s.seq_scan - b.seq_scan) || ' ' || (s.idx_scan - "
                     "b.idx_scan) FROM pg_stat_xact_user_tables s, before b "
                     "WHERE s.relname = 'messages'; COMMIT;"),
                 &output),
             qPrintable(m_postgres.errorString()));
    const QStringList lines = output.split(QLatin1Char('\n'));
    const auto scans = std::find_if(lines.cbegin(), lines.cend(), [](const QString &line) {
        return line.startsWith(QLatin1String("scans "));
    });
    QVERIFY2(scans != lines.cend(), qPrintable(output));
    const QStringList counts = scans->split(QLatin1Char(' '));
    // No whole-table scan, and at least one index lookup per message.
    QCOMPARE(counts.at(1), QStringLiteral("0"));
    QVERIFY2(counts.at(2).toInt() >= 300, qPrintable(*scans));
    QString stored;
    QVERIFY(m_postgres.sql(m_database, QStringLiteral("SELECT COUNT(*) FROM messages"), &stored));
    QCOMPARE(stored, QStringLiteral("300"));
}

void tst_ServerCluster::killedListenConnectionDelaysNothingForLong()
{
    QVERIFY(startInstances(2));
    auto alice = liveClient(0, QStringLiteral("alice"));
    auto bob = liveClient(1, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    // B no longer hears A's notices until it notices and listens again.
    QString killed;
    QVERIFY2(m_postgres.sql(m_database,
                            QStringLiteral("SELECT COUNT(pg_terminate_backend(pid)) FROM "
                                           "pg_stat_activity WHERE application_name = "
                                           "'lifeline:B:listen'"),
                            &killed),
             qPrintable(m_postgres.errorString()));
    QCOMPARE(killed, QStringLiteral("1"));
    for (int n = 0; n < 20; ++n)
        alice->send(QStringLiteral("m%1").arg(n), QStringLiteral("text %1").arg(n));
    QStringList ids;
    QList<qint64> seqs;
    QVERIFY(readMessages(*bob, 20, &ids, &seqs));
    for (int n = 0; n < 20; ++n)
        QCOMPARE(ids.at(n), QStringLiteral("m%1").arg(n));
    QVERIFY(std::is_sorted(seqs.cbegin(), seqs.cend()));
    QCOMPARE(bob->framesBeforePong(), QList<QJsonObject>());
    // And B listens again: it announced so, and the next message comes without a wait for the
    // health check.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_log.contains(QStringLiteral("[B] lifeline.server: listening for the other instances "
                                      "again")),
        AfterHealthCheckMs);
    QString listening;
    QVERIFY(m_postgres.sql(m_database,
                           QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE "
                                          "application_name = 'lifeline:B:listen'"),
                           &listening));
    QCOMPARE(listening, QStringLiteral("1"));
}

void tst_ServerCluster::databaseOutageGetsRetryAndLosesNothing()
{
    // Bob sends nothing while PostgreSQL restarts and recovers, which on a loaded machine took
    // longer than the default idle timeout (30 s): the server rightly dropped him as silent. An
    // app's heartbeat would have kept him; this client has none, so the timeout is set out of
    // the way of what is checked here.
    QVERIFY(startInstances(2, {QStringLiteral("--idle-timeout"), QStringLiteral("600000")}));
    auto alice = liveClient(0, QStringLiteral("alice"));
    auto bob = liveClient(1, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->send(QStringLiteral("before"), QStringLiteral("before the outage"));
    QCOMPARE(typeOf(alice->next()), protocol::type::Ack);

    QVERIFY2(m_postgres.stop(), qPrintable(m_postgres.errorString()));
    // Nothing is acknowledged that is not committed: the send is to be made again.
    alice->send(QStringLiteral("during"), QStringLiteral("during the outage"));
    QJsonObject answer = alice->next();
    while (typeOf(answer) == protocol::type::Message)
        answer = alice->next();
    QCOMPARE(typeOf(answer), protocol::type::Retry);
    QCOMPARE(answer.value(QStringLiteral("id")).toString(), QStringLiteral("during"));
    // Both clients stay connected through it.
    QCOMPARE(alice->socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(bob->socket.state(), QAbstractSocket::ConnectedState);

    QVERIFY2(m_postgres.resume(), qPrintable(m_postgres.errorString()));
    // The instance finds the database again by itself; the client sends again, as told.
    const QJsonObject acknowledged = sendUntilAnswered(
        *alice, QStringLiteral("during"), QStringLiteral("during the outage"), testkit::Soon);
    QCOMPARE(typeOf(acknowledged), protocol::type::Ack);

    // Bob, on the other instance, got each message once and in order.
    QStringList ids;
    QList<qint64> seqs;
    QVERIFY(readMessages(*bob, 2, &ids, &seqs));
    QCOMPARE(ids, QStringList({QStringLiteral("before"), QStringLiteral("during")}));
    QVERIFY(seqs.at(0) < seqs.at(1));
    QTest::qWait(1500);
    QCOMPARE(bob->framesBeforePong(), QList<QJsonObject>());
}

void tst_ServerCluster::storeFailureBeforeTheRateHoldMovesTheHold()
{
    // A token every 100 ms, one at a time.
    QVERIFY(startInstances(1,
                           {QStringLiteral("--rate"), QStringLiteral("10"),
                            QStringLiteral("--burst"), QStringLiteral("1"),
                            QStringLiteral("--idle-timeout"), QStringLiteral("600000")}));
    auto alice = liveClient(0, QStringLiteral("alice"));
    QVERIFY(alice);
    alice->ignored.append(protocol::type::Throttle);
    QVERIFY2(m_postgres.stop(), qPrintable(m_postgres.errorString()));
    // a takes the token and cannot be stored; b, right behind it, is over the rate and held.
    alice->send(QStringLiteral("a"), QStringLiteral("first"));
    alice->send(QStringLiteral("b"), QStringLiteral("second"));
    QStringList answers;
    for (int i = 0; i < 2; ++i) {
        const QJsonObject answer = alice->next();
        answers << typeOf(answer) + u' ' + answer.value(QStringLiteral("id")).toString();
    }
    answers.sort();
    QCOMPARE(answers, QStringList({QStringLiteral("retry a"), QStringLiteral("retry b")}));
    QVERIFY2(m_postgres.resume(), qPrintable(m_postgres.errorString()));
    // The client sends a again first, as it came first. Held behind b, which the client sends
    // only after a, it would get retry for ever.
    QCOMPARE(typeOf(sendUntilAnswered(*alice, QStringLiteral("a"), QStringLiteral("first"),
                                      testkit::Soon)),
             protocol::type::Ack);
    QCOMPARE(typeOf(sendUntilAnswered(*alice, QStringLiteral("b"), QStringLiteral("second"),
                                      testkit::Soon)),
             protocol::type::Ack);
}

void tst_ServerCluster::healthCheckSaysWhetherTheDatabaseIsThere()
{
    // Alice only waits through the outage; see databaseOutageGetsRetryAndLosesNothing().
    QVERIFY(startInstances(1, {QStringLiteral("--idle-timeout"), QStringLiteral("600000")}));
    const QUrl url = m_instances.at(0)->url();
    QCOMPARE(healthCheck(url), QByteArray("HTTP/1.1 200 OK / ok\n"));
    // The same port still serves WebSocket clients.
    auto alice = liveClient(0, QStringLiteral("alice"));
    QVERIFY(alice);

    QVERIFY2(m_postgres.stop(), qPrintable(m_postgres.errorString()));
    // The store notices at its next check (every second) and the balancer is told.
    QTRY_COMPARE_WITH_TIMEOUT(healthCheck(url),
                              QByteArray("HTTP/1.1 503 Service Unavailable / the message store "
                                         "is unreachable\n"),
                              AfterHealthCheckMs);
    QVERIFY2(m_postgres.resume(), qPrintable(m_postgres.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(healthCheck(url), QByteArray("HTTP/1.1 200 OK / ok\n"),
                              AfterHealthCheckMs);
    // Health checks are not connections gone wrong: none of them is logged as such.
    for (const QString &line : std::as_const(m_log))
        QVERIFY2(!line.contains(QStringLiteral("before completing the WebSocket handshake")),
                 qPrintable(line));
}

void tst_ServerCluster::sighupReloadsTheSharedTokensFile()
{
    const QString tokensPath = m_dataDirs.filePath(m_database + QStringLiteral("-tokens"));
    const auto writeTokens = [&tokensPath](const QByteArray &content) {
        QFile file(tokensPath);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) > 0;
    };
    QVERIFY(writeTokens("alice alice-token\n"));
    QVERIFY(startInstances(2, {QStringLiteral("--tokens"), tokensPath}));
    std::vector<std::unique_ptr<ProtocolClient>> alices;
    for (int i = 0; i < 2; ++i) {
        alices.push_back(std::make_unique<ProtocolClient>(m_instances.at(i)->url()));
        QCOMPARE(
            typeOf(alices.back()->login(QStringLiteral("alice"), QStringLiteral("alice-token"))),
            protocol::type::Welcome);
        ProtocolClient bob(m_instances.at(i)->url());
        bob.login(QStringLiteral("bob"), QStringLiteral("bob-token"));
        QVERIFY(bob.waitDisconnected());
        QCOMPARE(bob.closeCode(), int(protocol::CloseCode::AuthFailed));
    }

    // The operator adds bob once, in the shared file, and signals each instance.
    QVERIFY(writeTokens("alice alice-token\nbob bob-token\n"));
    for (const auto &server : m_instances)
        QCOMPARE(::kill(pid_t(server->processId()), SIGHUP), 0);
    for (const QString &name : {QStringLiteral("A"), QStringLiteral("B")})
        QTRY_VERIFY_WITH_TIMEOUT(
            m_log.contains(QStringLiteral("[%1] lifeline.server: SIGHUP: reloaded the tokens "
                                          "file, 2 users")
                               .arg(name)),
            Timeout);
    for (int i = 0; i < 2; ++i) {
        ProtocolClient bob(m_instances.at(i)->url());
        QCOMPARE(typeOf(bob.login(QStringLiteral("bob"), QStringLiteral("bob-token"))),
                 protocol::type::Welcome);
        // Alice's connection from before is still there and works.
        QCOMPARE(alices.at(i)->socket.state(), QAbstractSocket::ConnectedState);
        QVERIFY(alices.at(i)->pingPong(i + 1));
    }

    // One controller may drive every instance: the answers say which one acted.
    QSignalSpy done(m_instances.at(1).get(), &BundledServer::commandDone);
    m_instances.at(1)->sendCommand(QStringLiteral("unthrottle"));
    QVERIFY(done.wait(Timeout));
    QCOMPARE(done.first().first().toString(), QStringLiteral("unthrottle on B"));

    // A broken file is refused and the tokens from before stay.
    QVERIFY(writeTokens("only-a-uid\n"));
    QCOMPARE(::kill(pid_t(m_instances.at(0)->processId()), SIGHUP), 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(m_log.cbegin(), m_log.cend(),
                    [](const QString &line) {
                        return line.startsWith(QStringLiteral(
                            "[A] lifeline.server: SIGHUP: keeping the tokens loaded before: "));
                    }),
        Timeout);
    ProtocolClient bobAgain(m_instances.at(0)->url());
    QCOMPARE(typeOf(bobAgain.login(QStringLiteral("bob"), QStringLiteral("bob-token"))),
             protocol::type::Welcome);
}

void tst_ServerCluster::importKeepsEveryCursorValid()
{
    // A single server on SQLite, as today: 30 messages, of which retention keeps 25, and a
    // reader who has seen up to the 20th.
    const QString singleDir = m_dataDirs.filePath(m_database + QStringLiteral("-single"));
    qint64 readerCursor = 0;
    QList<qint64> singleSeqs;
    {
        auto single = testkit::startServer(singleDir,
                                           {QStringLiteral("--retain"), QStringLiteral("25"),
                                            QStringLiteral("--rate"), QStringLiteral("0")});
        QVERIFY(single);
        ProtocolClient alice(single->url());
        QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
        for (int n = 0; n < 30; ++n) {
            alice.send(QStringLiteral("m%1").arg(n), QStringLiteral("text %1").arg(n));
            const QJsonObject ack = alice.next();
            QCOMPARE(typeOf(ack), protocol::type::Ack);
            singleSeqs.append(ack.value(QStringLiteral("seq")).toInteger());
        }
        readerCursor = singleSeqs.at(19);
        single->stop();
        QVERIFY(lifeline::testkit::waitForStopped(*single));
    }

    const auto import = [this, &singleDir](QByteArray *out, QByteArray *err) {
        QProcess process;
        process.setProgram(BundledServer::defaultProgram());
        process.setArguments({QStringLiteral("--data-dir"), m_dataDirs.filePath(m_database),
                              QStringLiteral("--database"), m_url,
                              QStringLiteral("--import-sqlite"), singleDir});
        process.start();
        if (!process.waitForFinished(testkit::Soon))
            return -1;
        *out = process.readAllStandardOutput();
        *err = process.readAllStandardError();
        return process.exitCode();
    };
    QByteArray out;
    QByteArray err;
    QCOMPARE(import(&out, &err), 0);
    QCOMPARE(out,
             QByteArray("imported 25 messages, seq %1 to %2\n")
                 .replace("%1", QByteArray::number(singleSeqs.at(5)))
                 .replace("%2", QByteArray::number(singleSeqs.last())));
    // A second import would mix two histories: refused, nothing changed.
    QCOMPARE(import(&out, &err), 2);
    QVERIFY2(err.contains("the database has stored messages already"), err.constData());

    QVERIFY(startInstances(2));
    // The reader comes back on the cluster and gets exactly what it had not seen.
    ProtocolClient reader(m_instances.at(1)->url());
    QCOMPARE(typeOf(reader.login(QStringLiteral("reader"))), protocol::type::Welcome);
    QList<QJsonObject> caughtUp;
    QCOMPARE(reader.catchUp(readerCursor, &caughtUp), singleSeqs.last());
    QCOMPARE(caughtUp.size(), 10);
    for (int k = 0; k < 10; ++k) {
        QCOMPARE(caughtUp.at(k).value(QStringLiteral("id")).toString(),
                 QStringLiteral("m%1").arg(20 + k));
        QCOMPARE(caughtUp.at(k).value(QStringLiteral("seq")).toInteger(), singleSeqs.at(20 + k));
    }
    // A resend of an imported message keeps its seq; a new one continues after the last.
    ProtocolClient alice(m_instances.at(0)->url());
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    alice.send(QStringLiteral("m29"), QStringLiteral("text 29"));
    QJsonObject ack = alice.next();
    QCOMPARE(ack.value(QStringLiteral("seq")).toInteger(), singleSeqs.last());
    alice.send(QStringLiteral("new"), QStringLiteral("after the move"));
    ack = alice.next();
    QCOMPARE(ack.value(QStringLiteral("seq")).toInteger(), singleSeqs.last() + 1);
}

namespace {

QStringList listOf(const QJsonObject &frame, const QString &field)
{
    QStringList list;
    for (const QJsonValue &value : frame.value(field).toArray())
        list.append(value.toString());
    return list;
}

} // namespace

void tst_ServerCluster::presenceAndTypingSpanTheInstances()
{
    QVERIFY(startInstances(2));
    ProtocolClient alice(m_instances.at(0)->url());
    alice.ignored.clear();
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    QVERIFY(waitForFrame(
        alice, protocol::type::Presence,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("users")) == QStringList {QStringLiteral("alice")};
        },
        Timeout));

    // Bob comes online on B: alice, on A, hears of it.
    auto bob = std::make_unique<ProtocolClient>(m_instances.at(1)->url());
    bob->ignored.clear();
    QCOMPARE(typeOf(bob->login(QStringLiteral("bob"))), protocol::type::Welcome);
    QVERIFY(waitForFrame(
        alice, protocol::type::PresenceDiff,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("online")) == QStringList {QStringLiteral("bob")};
        },
        AfterHealthCheckMs));
    // And bob's full list, from B, has alice from A.
    QVERIFY(waitForFrame(
        *bob, protocol::type::Presence,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("users")).contains(QStringLiteral("alice"));
        },
        AfterHealthCheckMs));

    // Bob types on B; alice sees it on A, and sees it end.
    bob->socket.sendTextMessage(protocol::typing(QStringLiteral("general"), true));
    QVERIFY(waitForFrame(
        alice, protocol::type::Typists,
        [](const QJsonObject &frame) {
            return frame.value(QStringLiteral("room")).toString() == QStringLiteral("general")
                && listOf(frame, QStringLiteral("users")) == QStringList {QStringLiteral("bob")};
        },
        AfterHealthCheckMs));
    bob->socket.sendTextMessage(protocol::typing(QStringLiteral("general"), false));
    QVERIFY(waitForFrame(
        alice, protocol::type::Typists,
        [](const QJsonObject &frame) { return listOf(frame, QStringLiteral("users")).isEmpty(); },
        AfterHealthCheckMs));

    // Bob leaves: offline for alice.
    bob.reset();
    QVERIFY(waitForFrame(
        alice, protocol::type::PresenceDiff,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("offline")) == QStringList {QStringLiteral("bob")};
        },
        AfterHealthCheckMs));
}

void tst_ServerCluster::presenceNoticesCarryTheirChange()
{
    QVERIFY(startInstances(2));
    PostgresListener listener;
    QString error;
    QVERIFY2(listener.start(DatabaseUrl::parse(m_url, &error), QStringLiteral("test"),
                            {PostgresPresence::PresenceChannel}, &error),
             qPrintable(error));
    QList<QJsonObject> notices;
    connect(&listener, &PostgresListener::notified, this,
            [&notices](const QString &, const QString &payload) {
                notices.append(QJsonDocument::fromJson(payload.toUtf8()).object());
            });
    ProtocolClient bob(m_instances.at(1)->url());
    bob.ignored.clear();
    QCOMPARE(typeOf(bob.login(QStringLiteral("bob"))), protocol::type::Welcome);
    QVERIFY(waitForFrame(
        bob, protocol::type::Presence,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("users")) == QStringList {QStringLiteral("bob")};
        },
        Timeout));

    // Alice comes online on A: A's notice says so, numbered, and bob on B hears of her.
    auto alice = liveClient(0, QStringLiteral("alice"));
    QVERIFY(alice);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(notices.cbegin(), notices.cend(),
                    [](const QJsonObject &notice) {
                        return listOf(notice, QStringLiteral("+"))
                            == QStringList {QStringLiteral("alice")}
                        && notice.value(QStringLiteral("n")).toInteger() >= 1
                            && !notice.value(QStringLiteral("i")).toString().isEmpty();
                    }),
        AfterHealthCheckMs);
    QVERIFY(waitForFrame(
        bob, protocol::type::PresenceDiff,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("online")) == QStringList {QStringLiteral("alice")};
        },
        AfterHealthCheckMs));

    // Two instances B has not read. Eve's notice is not her instance's first change: B reads
    // the rows instead, and eve, who has none, never shows. Mallory's is her instance's first:
    // B applies it as it comes, so she shows although no row stands behind her; only the notice
    // can have shown her. B's check reads the rows every second and takes her away again; when
    // that read falls within the 100 ms in which B gathers changes, bob hears of neither, so
    // another pair of instances tries again.
    const auto online = [](const QJsonObject &frame) {
        if (typeOf(frame) == protocol::type::PresenceDiff)
            return listOf(frame, QStringLiteral("online"));
        if (typeOf(frame) == protocol::type::Presence)
            return listOf(frame, QStringLiteral("users"));
        return QStringList();
    };
    bool malloryShown = false;
    for (int attempt = 0; attempt < 5 && !malloryShown; ++attempt) {
        QVERIFY2(
            m_postgres.sql(
                m_database,
                QStringLiteral(
                    R"(SELECT pg_notify('lifeline_presence', '{"i":"ghost/eve%1","n":2,"+":["eve"],"-":[]}'); )"
                    R"(SELECT pg_notify('lifeline_presence', '{"i":"ghost/mallory%1","n":1,"+":["mallory"],"-":[]}'))")
                    .arg(attempt)),
            qPrintable(m_postgres.errorString()));
        // Long enough for a check to have read the rows after the notices.
        constexpr int AttemptMs = 2 * PostgresListener::CheckIntervalMs;
        QElapsedTimer timer;
        timer.start();
        while (!malloryShown && timer.elapsed() < AttemptMs) {
            const QStringList users = online(bob.next(int(AttemptMs - timer.elapsed())));
            QVERIFY2(!users.contains(QStringLiteral("eve")), qPrintable(users.join(u' ')));
            malloryShown = users.contains(QStringLiteral("mallory"));
        }
    }
    QVERIFY(malloryShown);
    QVERIFY(waitForFrame(
        bob, protocol::type::PresenceDiff,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("offline")).contains(QStringLiteral("mallory"));
        },
        AfterHealthCheckMs));
}

void tst_ServerCluster::killedInstanceTakesItsUsersOffline()
{
    QVERIFY(startInstances(2));
    ProtocolClient alice(m_instances.at(0)->url());
    alice.ignored.clear();
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    // Alice's own presence first: a notice applied as it comes can reach A within the same
    // 100 ms as her login, and would then arrive in one list with her.
    QVERIFY(waitForFrame(
        alice, protocol::type::Presence,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("users")) == QStringList {QStringLiteral("alice")};
        },
        Timeout));
    ProtocolClient bob(m_instances.at(1)->url());
    QCOMPARE(typeOf(bob.login(QStringLiteral("bob"))), protocol::type::Welcome);
    QVERIFY(waitForFrame(
        alice, protocol::type::PresenceDiff,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("online")) == QStringList {QStringLiteral("bob")};
        },
        AfterHealthCheckMs));

    // B dies without a word: its rows stay until another instance finds it silent.
    QElapsedTimer sinceKill;
    m_instances.at(1)->kill();
    sinceKill.start();
    QVERIFY(waitForFrame(
        alice, protocol::type::PresenceDiff,
        [](const QJsonObject &frame) {
            return listOf(frame, QStringLiteral("offline")) == QStringList {QStringLiteral("bob")};
        },
        PostgresPresence::OfflineWithinMs + AfterHealthCheckMs));
    // The stated bound, with a turn of the busy machine's event loop to spare.
    QVERIFY2(
        sinceKill.elapsed() <= PostgresPresence::OfflineWithinMs + 1000,
        qPrintable(
            QStringLiteral("bob went offline %1 ms after B was killed").arg(sinceKill.elapsed())));
}

void tst_ServerCluster::clientsFailOverWithNothingLostOrRepeated()
{
    QVERIFY(startInstances(3));
    QList<QUrl> urls;
    for (const auto &server : m_instances)
        urls.append(server->url());
    // Each user knows all three instances and starts at one of them by chance.
    const Users users = connectedUsers(urls, 6, QStringLiteral("user"));
    // The instance with the most of them dies in the middle of the traffic.
    const auto usersOn = [&users](const QUrl &url) {
        return std::count_if(users.cbegin(), users.cend(), [&url](const auto &user) {
            return user->connection.connectedServerUrl() == url;
        });
    };
    qsizetype busiest = 0;
    for (qsizetype i = 1; i < urls.size(); ++i) {
        if (usersOn(urls.at(i)) > usersOn(urls.at(busiest)))
            busiest = i;
    }
    trafficThrough(
        users, [this, busiest] { m_instances.at(busiest)->kill(); }, 30);
    // And nobody is on the dead instance.
    QCOMPARE(usersOn(urls.at(busiest)), 0);
}

void tst_ServerCluster::behindHaproxyClientsSpreadAndComeBack()
{
    QVERIFY(startInstances(3, {QStringLiteral("--proxy-protocol")}));
    // The configuration docs/scaling.md shows and tools/dev cluster runs.
    QFile templateFile(QStringLiteral(LIFELINE_SOURCE_DIR "/tools/cluster/haproxy.cfg.in"));
    QVERIFY2(templateFile.open(QIODevice::ReadOnly), qPrintable(templateFile.errorString()));
    quint16 frontendPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        frontendPort = probe.serverPort();
    }
    QByteArray servers;
    for (int i = 0; i < 3; ++i)
        servers += QStringLiteral("    server %1 127.0.0.1:%2 check\n")
                       .arg(QChar(u'a' + i))
                       .arg(m_instances.at(i)->port())
                       .toUtf8();
    QByteArray config = templateFile.readAll();
    config.replace("@FRONTEND@", "127.0.0.1:" + QByteArray::number(frontendPort));
    config.replace("@SERVERS@\n", servers);
    QFile configFile(m_dataDirs.filePath(m_database + QStringLiteral("-haproxy.cfg")));
    QVERIFY(configFile.open(QIODevice::WriteOnly) && configFile.write(config) == config.size());
    configFile.close();
    QProcess haproxy;
    haproxy.setProcessChannelMode(QProcess::MergedChannels);
    haproxy.start(QStringLiteral("haproxy"),
                  {QStringLiteral("-f"), configFile.fileName(), QStringLiteral("-db")});
    QVERIFY2(haproxy.waitForStarted(), qPrintable(haproxy.errorString()));
    const auto stopHaproxy = qScopeGuard([&haproxy] {
        haproxy.kill();
        haproxy.waitForFinished();
    });
    const QUrl balancer(QStringLiteral("ws://127.0.0.1:%1").arg(frontendPort));
    // Up once its health checks pass (two, a second apart).
    QTRY_COMPARE_WITH_TIMEOUT(healthCheck(balancer), QByteArray("HTTP/1.1 200 OK / ok\n"),
                              testkit::Soon);
    QTest::qWait(2500);

    // Clients on the one URL spread over the instances, and each instance names them by their
    // own address, not the balancer's.
    std::vector<std::unique_ptr<ProtocolClient>> clients;
    for (int i = 0; i < 9; ++i) {
        clients.push_back(std::make_unique<ProtocolClient>(balancer));
        QCOMPARE(typeOf(clients.back()->login(QStringLiteral("user%1").arg(i))),
                 protocol::type::Welcome);
    }
    for (const QString &name : {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")})
        QVERIFY2(
            !m_log.filter(QRegularExpression(QStringLiteral("^\\[%1\\] .* logged in$").arg(name)))
                 .isEmpty(),
            qPrintable(QStringLiteral("no client reached instance %1").arg(name)));
    for (const auto &client : clients) {
        const QString own = QStringLiteral("127.0.0.1:%1").arg(client->socket.localPort());
        QVERIFY2(!m_log.filter(own + QStringLiteral(": \"")).isEmpty(),
                 qPrintable(own + QStringLiteral(" is not named in any log")));
    }
    clients.clear();

    // SDK clients on the balancer; one instance dies: the health check takes it out, and its
    // clients come back through the balancer with nothing lost.
    trafficThrough(connectedUsers({balancer}, 4, QStringLiteral("sdk")),
                   [this] { m_instances.at(0)->kill(); });
    if (QTest::currentTestFailed())
        qWarning("HAProxy said:\n%s", haproxy.readAll().constData());
}

tst_ServerCluster::Users tst_ServerCluster::connectedUsers(const QList<QUrl> &urls, int count,
                                                           const QString &name)
{
    Users users;
    for (int u = 0; u < count; ++u)
        users.push_back(std::make_unique<ChatClient>(
            QStringLiteral("%1%2").arg(name).arg(u), urls,
            m_dataDirs.filePath(QStringLiteral("%1-%2%3").arg(m_database, name).arg(u))));
    for (const auto &user : users) {
        if (!user->waitConnected())
            return {};
    }
    return users;
}

void tst_ServerCluster::trafficThrough(const Users &users, const std::function<void()> &fault,
                                       int perUser)
{
    QVERIFY(!users.empty());
    const int userCount = int(users.size());
    for (int n = 0; n < perUser; ++n) {
        for (const auto &user : users)
            user->messenger.sendMessage(QStringLiteral("general"),
                                        QStringLiteral("%1 #%2").arg(user->uid).arg(n));
        if (n == perUser / 2)
            fault();
        QTest::qWait(20);
    }
    for (const auto &user : users)
        QVERIFY(user->waitAllDelivered(3 * testkit::Soon));
    QString stored;
    QVERIFY(m_postgres.sql(m_database, QStringLiteral("SELECT COUNT(*) FROM messages"), &stored));
    QCOMPARE(stored.toInt(), userCount * perUser);
    // A user's own messages are its deliveries, not messages received.
    for (const auto &user : users) {
        QTRY_COMPARE_WITH_TIMEOUT(user->received.size(), (userCount - 1) * perUser, testkit::Soon);
        QSet<QString> ids;
        QHash<QString, int> nextOf;
        qint64 last = 0;
        for (const ChatMessage &message : std::as_const(user->received)) {
            QVERIFY2(!ids.contains(message.id),
                     qPrintable(message.text + QStringLiteral(" came twice")));
            ids.insert(message.id);
            QVERIFY2(message.seq > last,
                     qPrintable(message.text + QStringLiteral(" out of order")));
            last = message.seq;
            QVERIFY(message.sender != user->uid);
            QCOMPARE(message.text,
                     QStringLiteral("%1 #%2").arg(message.sender).arg(nextOf[message.sender]++));
        }
    }
}

void tst_ServerCluster::trafficThroughInstances(const std::function<void()> &fault)
{
    QList<QUrl> urls;
    for (const auto &server : m_instances)
        urls.append(server->url());
    trafficThrough(connectedUsers(urls, 4, QStringLiteral("user")), fault);
}

void tst_ServerCluster::rollingRestartUnderTrafficLosesNothing()
{
    // docs/scaling.md's upgrade: one instance at a time is stopped (its clients are told 1001
    // and move on) and started again (here the same build stands in for the new release).
    QVERIFY(startInstances(3));
    trafficThroughInstances([this] {
        for (const auto &server : m_instances) {
            server->stop();
            server->start();
            QVERIFY(lifeline::testkit::waitForStarted(*server));
        }
    });
}

void tst_ServerCluster::lostDatabaseConnectionsAndRestartUnderTraffic_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("every connection of instance A killed") << QStringLiteral("kill A");
    QTest::newRow("PostgreSQL restarted") << QStringLiteral("restart");
}

void tst_ServerCluster::lostDatabaseConnectionsAndRestartUnderTraffic()
{
    QFETCH(QString, fault);
    QVERIFY(startInstances(3));
    trafficThroughInstances([this, &fault] {
        if (fault == QLatin1String("restart")) {
            QVERIFY2(m_postgres.restart(), qPrintable(m_postgres.errorString()));
            return;
        }
        QString killed;
        QVERIFY2(m_postgres.sql(m_database,
                                QStringLiteral("SELECT COUNT(pg_terminate_backend(pid)) FROM "
                                               "pg_stat_activity WHERE application_name LIKE "
                                               "'lifeline:A%'"),
                                &killed),
                 qPrintable(m_postgres.errorString()));
        // The store's, the listener's and the presence's.
        QCOMPARE(killed, QStringLiteral("3"));
    });
}

void tst_ServerCluster::retentionIsTheDatabasesAndTheLastInstanceSetsIt()
{
    QVERIFY(startInstances(1, {QStringLiteral("--retain"), QStringLiteral("5")}));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_log.contains(QStringLiteral("[A] lifeline.server: the database kept the newest 100000 "
                                      "messages; from now on 5 (this instance's --retain)")),
        Timeout);
    // A second instance started with another value sets it for all, and says so.
    auto b = std::make_unique<BundledServer>();
    b->setDataDirectory(m_dataDirs.filePath(m_database + QStringLiteral("B")));
    b->setExtraArguments({QStringLiteral("--database"), m_url, QStringLiteral("--instance"),
                          QStringLiteral("B"), QStringLiteral("--rate"), QStringLiteral("0"),
                          QStringLiteral("--retain"), QStringLiteral("3")});
    connect(b.get(), &BundledServer::standardErrorLine, this,
            [this](const QString &line) { m_log.append(line); });
    b->start();
    QVERIFY(lifeline::testkit::waitForStarted(*b));
    ProtocolClient alice(b->url());
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    for (int n = 0; n < 10; ++n) {
        alice.send(QStringLiteral("m%1").arg(n), QStringLiteral("text"));
        QCOMPARE(typeOf(alice.next()), protocol::type::Ack);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        m_log.contains(QStringLiteral("[B] lifeline.server: the database kept the newest 5 "
                                      "messages; from now on 3 (this instance's --retain)")),
        Timeout);
    // Appends through A keep to the database's value, not A's own 5.
    ProtocolClient bob(m_instances.at(0)->url());
    QCOMPARE(typeOf(bob.login(QStringLiteral("bob"))), protocol::type::Welcome);
    bob.send(QStringLiteral("from-a"), QStringLiteral("text"));
    QCOMPARE(typeOf(bob.next()), protocol::type::Ack);
    QString kept;
    QVERIFY(m_postgres.sql(m_database, QStringLiteral("SELECT COUNT(*) FROM messages"), &kept));
    QCOMPARE(kept, QStringLiteral("3"));
    m_instances.push_back(std::move(b));
}

QTEST_GUILESS_MAIN(tst_ServerCluster)
#include "tst_servercluster.moc"
