// The real lifeline-server's message path (MessageHub) with its commits batched per event-loop
// turn (the default) and one per message (--commit-batching off): either way every send is stored
// once, acknowledged once, and delivered once in order; only the number of commits differs.

#include "bundledserver.h"
#include "protocolclient.h"
#include "serverwaits.h"
#include "testsetup.h"

#include <protocol.h>

#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using lifeline::harness::BundledServer;
using lifeline::testkit::ProtocolClient;
using lifeline::testkit::typeOf;

using namespace lifeline;

namespace {

constexpr int Timeout = ProtocolClient::TimeoutMs;

} // namespace

class tst_MessageHub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void badCommitBatchingExits2_data();
    void badCommitBatchingExits2();
    void everySendStoredAckedAndDeliveredOnce_data();
    void everySendStoredAckedAndDeliveredOnce();

private:
    QTemporaryDir m_dir;
    int m_serverCount = 0;
};

void tst_MessageHub::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
}

void tst_MessageHub::badCommitBatchingExits2_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("maybe") << QStringLiteral("maybe");
    QTest::newRow("empty") << QString();
    // Exactly as --help spells them: a typo must not silently pick one.
    QTest::newRow("ON") << QStringLiteral("ON");
    QTest::newRow("1") << QStringLiteral("1");
}

void tst_MessageHub::badCommitBatchingExits2()
{
    QFETCH(QString, value);
    QProcess process;
    process.setProgram(BundledServer::defaultProgram());
    process.setArguments({QStringLiteral("--data-dir"),
                          m_dir.filePath(QStringLiteral("bad%1").arg(++m_serverCount)),
                          QStringLiteral("--commit-batching"), value});
    process.start();
    QVERIFY(process.waitForFinished(Timeout));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    // It never listened, and says what is wrong with which option and where to look.
    QCOMPARE(process.readAllStandardOutput(), QByteArray());
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(errors.contains(QStringLiteral("--commit-batching \"%1\" is neither on nor off (see "
                                            "--help)")
                                 .arg(value)),
             qPrintable(errors));
}

void tst_MessageHub::everySendStoredAckedAndDeliveredOnce_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("batched");
    QTest::newRow("batched (default)") << QStringList() << true;
    QTest::newRow("--commit-batching on")
        << QStringList({QStringLiteral("--commit-batching"), QStringLiteral("on")}) << true;
    QTest::newRow("--commit-batching off")
        << QStringList({QStringLiteral("--commit-batching"), QStringLiteral("off")}) << false;
}

void tst_MessageHub::everySendStoredAckedAndDeliveredOnce()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, batched);
    BundledServer server;
    server.setDataDirectory(m_dir.filePath(QStringLiteral("server%1").arg(++m_serverCount)));
    server.setExtraArguments(arguments << QStringLiteral("--rate") << QStringLiteral("0"));
    QStringList serverLog;
    connect(&server, &BundledServer::standardErrorLine, this,
            [&serverLog](const QString &line) { serverLog.append(line); });
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));

    ProtocolClient alice(server.url());
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    ProtocolClient bob(server.url());
    QCOMPARE(typeOf(bob.login(QStringLiteral("bob"))), protocol::type::Welcome);
    QCOMPARE(bob.catchUp(0), 0);

    // Sent while the server is frozen, so that every frame waits in its socket and all arrive
    // in the same event-loop turn: what batching would put in one commit. Every tenth message
    // is sent twice, as a client does that resends after a reconnect.
    constexpr int Count = 200;
    QStringList ids;
    server.freeze();
    for (int i = 0; i < Count; ++i) {
        const QString id = QStringLiteral("m%1").arg(i);
        ids.append(id);
        alice.send(id, QStringLiteral("text %1").arg(i));
        if (i % 10 == 0)
            alice.send(id, QStringLiteral("text %1").arg(i));
    }
    constexpr int Sends = Count + Count / 10;
    QTRY_COMPARE_WITH_TIMEOUT(alice.socket.bytesToWrite(), 0, Timeout);
    server.thaw();

    // One ack per send, in the order sent; a resend gets the seq of the first.
    QHash<QString, qint64> seqs;
    qint64 lastSeq = 0;
    for (int i = 0; i < Sends; ++i) {
        const QJsonObject ack = alice.next();
        QCOMPARE(typeOf(ack), protocol::type::Ack);
        const QString id = ack.value(QStringLiteral("id")).toString();
        const qint64 seq = ack.value(QStringLiteral("seq")).toInteger();
        if (seqs.contains(id)) {
            QCOMPARE(seq, seqs.value(id));
            continue;
        }
        QCOMPARE(id, ids.at(seqs.size()));
        QVERIFY2(
            seq > lastSeq,
            qPrintable(QStringLiteral("%1 got seq %2 after %3").arg(id).arg(seq).arg(lastSeq)));
        seqs.insert(id, seq);
        lastSeq = seq;
    }
    QCOMPARE(seqs.size(), Count);
    QVERIFY2(!alice.hasUnread(), "more frames than sends came back");

    // A live reader gets each message once, in seq order, and so does one that catches up.
    const auto checkMessages = [&](const QList<QJsonObject> &messages) {
        QCOMPARE(messages.size(), Count);
        for (int i = 0; i < Count; ++i) {
            QCOMPARE(typeOf(messages.at(i)), protocol::type::Message);
            QCOMPARE(messages.at(i).value(QStringLiteral("id")).toString(), ids.at(i));
            QCOMPARE(messages.at(i).value(QStringLiteral("seq")).toInteger(),
                     seqs.value(ids.at(i)));
        }
    };
    QList<QJsonObject> live;
    for (int i = 0; i < Count; ++i)
        live.append(bob.next());
    checkMessages(live);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(bob.framesBeforePong().isEmpty(), "a message was delivered twice");
    ProtocolClient carol(server.url());
    QCOMPARE(typeOf(carol.login(QStringLiteral("carol"))), protocol::type::Welcome);
    QList<QJsonObject> caughtUp;
    QCOMPARE(carol.catchUp(0, &caughtUp), lastSeq);
    checkMessages(caughtUp);
    if (QTest::currentTestFailed())
        return;

    // At exit the server says how many commits its sends took: one each without batching;
    // with it, the sends that arrived in one turn shared a commit.
    server.stop();
    QVERIFY(lifeline::testkit::waitForStopped(server));
    const QRegularExpression summary(QStringLiteral("(\\d+) messages went through (\\d+) commits"));
    QRegularExpressionMatch match;
    for (const QString &line : std::as_const(serverLog)) {
        if (line.contains(summary, &match))
            break;
    }
    QVERIFY2(match.hasMatch(), qPrintable(serverLog.join(QLatin1Char('\n'))));
    QCOMPARE(match.captured(1).toInt(), Sends);
    const int commits = match.captured(2).toInt();
    if (batched)
        QVERIFY2(commits < Sends / 2, qPrintable(QStringLiteral("%1 commits").arg(commits)));
    else
        QCOMPARE(commits, Sends);
}

QTEST_GUILESS_MAIN(tst_MessageHub)
#include "tst_messagehub.moc"
