// Messenger against the real lifeline-server: durable outbox, acknowledgements, exactly-once
// delivery, catch-up, typing and presence, under resets, black holes, refused connections, a
// server SIGKILL, and a client SIGKILL (this test runs itself as the child that gets killed).
#include "bundledserver.h"
#include "chatclient.h"
#include "clientserverfixture.h"
#include "faultproxy.h"
#include "serverwaits.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/messenger.h>

#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <csignal>
#include <cstdio>

using lifeline::harness::BundledServer;
using lifeline::testkit::ChatClient;

using namespace std::chrono_literals;
using namespace lifeline;

namespace {

using testkit::waitFor;

constexpr int Soon = 10000;
constexpr int Quiet = 600;
const QString Room = QStringLiteral("lobby");

QStringList numbered(const QString &prefix, int count)
{
    QStringList texts;
    for (int i = 0; i < count; ++i)
        texts.append(QStringLiteral("%1 %2").arg(prefix).arg(i, 4, 10, QLatin1Char('0')));
    return texts;
}

// The child half of crashSafetyUnderSigkill(): sends `count` messages, telling the parent the id
// of each as soon as sendMessage() returned it, then waits until nothing is pending.
int runChildSender(const QStringList &arguments)
{
    const QUrl url(arguments.at(2));
    const QString dir = arguments.at(3);
    const int count = arguments.at(4).toInt();
    ConnectionManager connection;
    Messenger messenger(&connection);
    connection.init(QStringLiteral("lifeline-test"), ChatClient::settings(url, dir));
    connection.login(QStringLiteral("crasher"), QStringLiteral("token"));
    for (int i = 0; i < count; ++i) {
        const QString id = messenger.sendMessage(
            Room, QStringLiteral("crash %1").arg(i, 4, 10, QLatin1Char('0')));
        if (id.isEmpty())
            return 3;
        std::printf("queued %s\n", qPrintable(id));
        std::fflush(stdout);
        if (i % 10 == 0)
            QCoreApplication::processEvents(); // lets some go out and be acknowledged meanwhile
    }
    QElapsedTimer clock;
    clock.start();
    while (messenger.pendingCount() > 0 && clock.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    std::printf("delivered-all %d\n", messenger.pendingCount());
    std::fflush(stdout);
    return messenger.pendingCount() == 0 ? 0 : 4;
}

} // namespace

class TestMessenger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void sendNeedsInitAndLogin();
    void refusedInputIsNotQueued_data();
    void refusedInputIsNotQueued();
    void largestTextIsDelivered();
    void fullQueueRefusesAndSaysSo();
    void messageIsOnDiskBeforeSendReturns();
    void ownMessageGoesQueuedSentDelivered();
    void sendAvailabilityFollowsStatus();
    void othersReceiveInOrderExactlyOnce();
    void queuedOfflineGoesOutOnConnect();
    void resetsDuringSendingLoseAndDuplicateNothing();
    void blackHoleAndRefusalLoseNothing();
    void catchUpAfterBackground();
    void catchUpAcrossRestartReceivesEachOnce();
    void serverKilledAndRestartedLosesNothing();
    void crashSafetyUnderSigkill();
    void gapTooLargeIsReported();
    void refusedByServerFailsWithoutBlocking();
    void rateLimitDefersAndKeepsOrder();
    void typingReachesOthersAndStops();
    void typingIsVolatileAndRespectsThrottle();
    void typingStartGoesOutAtMostEveryThreeSeconds();
    void presenceListsOnlineUsers();
    void presenceFollowsChangesAndReconnects();
    void messengerOnALiveLinkWaitsForTheNextList();

private:
    QUrl serverUrl() const { return m_fixture.serverUrl(); }
    QString dir(const QString &name) const { return m_fixture.filePath(name); }
    // Every message of the room as the server has it, read by a fresh client from seq 0.
    QList<ChatMessage> storedOnServer(int expected);

    testkit::ClientServerFixture m_fixture;
};

void TestMessenger::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
    // The server says at debug level what it ignores; a test reads those lines.
    qputenv("QT_LOGGING_RULES", "lifeline.*.debug=true");
}

void TestMessenger::init()
{
    QVERIFY(m_fixture.start(testkit::ClientServerFixture::Layer::Proxy));
}

void TestMessenger::cleanup()
{
    m_fixture.stop();
}

QList<ChatMessage> TestMessenger::storedOnServer(int expected)
{
    ChatClient checker(QStringLiteral("checker-%1").arg(QDateTime::currentMSecsSinceEpoch()),
                       serverUrl(),
                       dir(QStringLiteral("checker-") + QUuid::createUuid().toString()));
    QSignalSpy caughtUp(&checker.messenger, &Messenger::caughtUp);
    if (!caughtUp.wait(Soon))
        qWarning() << "the checker never caught up";
    waitFor([&] { return checker.received.size() >= expected; }, Soon, "the stored messages");
    return checker.received;
}

void TestMessenger::sendNeedsInitAndLogin()
{
    ConnectionManager connection;
    Messenger messenger(&connection);
    ChatError error;
    QVERIFY(
        messenger.sendMessage(Room, QStringLiteral("hi"), [&](const ChatError &e) { error = e; })
            .isEmpty());
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_INITIALIZED"));

    connection.init(QStringLiteral("app"),
                    ChatClient::settings(serverUrl(), dir(QStringLiteral("a"))));
    QVERIFY(
        messenger.sendMessage(Room, QStringLiteral("hi"), [&](const ChatError &e) { error = e; })
            .isEmpty());
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_LOGGED_IN"));
    QCOMPARE(messenger.sendAvailability(), SendAvailability::Unavailable);
}

void TestMessenger::refusedInputIsNotQueued_data()
{
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    QTest::newRow("empty text") << Room << QString() << QStringLiteral("ERR_INVALID_ARGUMENT");
    QTest::newRow("blank text") << Room << QStringLiteral(" \n\t ")
                                << QStringLiteral("ERR_INVALID_ARGUMENT");
    QTest::newRow("empty room") << QString() << QStringLiteral("hi")
                                << QStringLiteral("ERR_INVALID_ARGUMENT");
    QTest::newRow("room of 65 characters") << QString(65, QLatin1Char('r')) << QStringLiteral("hi")
                                           << QStringLiteral("ERR_INVALID_ARGUMENT");
    // 5462 euro signs are 16,386 bytes of UTF-8: two over the limit, in fewer characters.
    QTest::newRow("16 KiB + 2 bytes of UTF-8")
        << Room << QString(5462, QChar(0x20AC)) << QStringLiteral("ERR_MESSAGE_TOO_LARGE");
    // Within 16 KiB, but each is a 6-byte escape in JSON: the frame would be over the server's
    // 64 KiB, the server would drop the link on every attempt, and the message would block the
    // outbox for good.
    QTest::newRow("16 KiB of control characters")
        << Room << QString(16 * 1024, QChar(1)) << QStringLiteral("ERR_MESSAGE_TOO_LARGE");
}

void TestMessenger::refusedInputIsNotQueued()
{
    QFETCH(QString, room);
    QFETCH(QString, text);
    QFETCH(QString, code);
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")), false);
    ChatError error;
    QVERIFY(
        alice.messenger.sendMessage(room, text, [&](const ChatError &e) { error = e; }).isEmpty());
    QCOMPARE(error.code, code);
    QVERIFY(!error.message.isEmpty());
    QVERIFY(!error.details.isEmpty());
    QCOMPARE(alice.messenger.pendingCount(), 0);
    QVERIFY(alice.messenger.messages(room).isEmpty());
}

void TestMessenger::largestTextIsDelivered()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    const QString largest = QString(5461, QChar(0x20AC)) + QStringLiteral("a"); // 16,384 bytes
    QCOMPARE(largest.toUtf8().size(), 16 * 1024);
    QVERIFY(!alice.messenger.sendMessage(Room, largest).isEmpty());
    QVERIFY(alice.waitAllDelivered());
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 1, Soon);
    QCOMPARE(bob.received.first().text, largest);
}

void TestMessenger::fullQueueRefusesAndSaysSo()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")), false, 3);
    QSignalSpy availability(&alice.messenger, &Messenger::sendAvailabilityChanged);
    for (int i = 0; i < 3; ++i)
        QVERIFY(!alice.messenger.sendMessage(Room, QStringLiteral("m%1").arg(i)).isEmpty());
    QCOMPARE(alice.messenger.pendingCount(), 3);
    ChatError error;
    QVERIFY(alice.messenger
                .sendMessage(Room, QStringLiteral("one too many"),
                             [&](const ChatError &e) { error = e; })
                .isEmpty());
    QCOMPARE(error.code, QStringLiteral("ERR_QUEUE_FULL"));
    QCOMPARE(alice.messenger.pendingCount(), 3);
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::Unavailable);

    // Once they go out, there is room again.
    alice.connection.connectToServer();
    QVERIFY(alice.waitAllDelivered());
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::SendNow);
    QVERIFY(!alice.messenger.sendMessage(Room, QStringLiteral("now it fits")).isEmpty());
}

void TestMessenger::messageIsOnDiskBeforeSendReturns()
{
    const QString aliceDir = dir(QStringLiteral("alice"));
    ChatClient alice(QStringLiteral("alice"), serverUrl(), aliceDir, false);
    const QString id = alice.messenger.sendMessage(Room, QStringLiteral("on disk"));
    QVERIFY(!id.isEmpty());

    // Another connection to the same file sees the committed row at once.
    const QStringList files = QDir(aliceDir).entryList({QStringLiteral("messages-*.db")});
    QCOMPARE(files.size(), 1);
    const QString path = QDir(aliceDir).filePath(files.first());
    QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::ReadOther
        | QFileDevice::WriteGroup | QFileDevice::WriteOther;
    QCOMPARE(QFile::permissions(path) & others, QFileDevice::Permissions());
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode")) && query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(query.exec(QStringLiteral("SELECT id, text FROM outbox")) && query.next());
        QCOMPARE(query.value(0).toString(), id);
        QCOMPARE(query.value(1).toString(), QStringLiteral("on disk"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
}

void TestMessenger::ownMessageGoesQueuedSentDelivered()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    QStringList states;
    connect(&alice.messenger, &Messenger::messageQueued, this,
            [&](const ChatMessage &m) { states.append(QStringLiteral("queued ") + m.text); });
    connect(&alice.messenger, &Messenger::deliveryStateChanged, this,
            [&](const QString &, DeliveryState s) {
                states.append(
                    QString::fromLatin1(QMetaEnum::fromType<DeliveryState>().valueToKey(int(s))));
            });
    connect(&alice.messenger, &Messenger::messageDelivered, this, [&](const ChatMessage &m) {
        states.append(QStringLiteral("stored as %1: %2").arg(m.seq).arg(m.text));
    });
    QSignalSpy pending(&alice.messenger, &Messenger::pendingCountChanged);
    const QString id = alice.messenger.sendMessage(Room, QStringLiteral("hello"));
    QVERIFY(alice.waitAllDelivered());
    const QList<ChatMessage> stored = alice.messenger.messages(Room);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(states,
             (QStringList {QStringLiteral("queued hello"), QStringLiteral("Sent"),
                           QStringLiteral("Delivered"),
                           QStringLiteral("stored as %1: hello").arg(stored.first().seq)}));
    QCOMPARE(pending.first().at(0).toInt(), 1);
    QCOMPARE(pending.last().at(0).toInt(), 0);
    const QList<ChatMessage> history = alice.messenger.messages(Room);
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().id, id);
    QCOMPARE(history.first().state, DeliveryState::Delivered);
    QVERIFY(history.first().seq > 0);
    QCOMPARE(history.first().sender, QStringLiteral("alice"));
    QVERIFY(alice.received.isEmpty()); // own messages are not "received"
}

void TestMessenger::sendAvailabilityFollowsStatus()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.proxy()->url(),
                     dir(QStringLiteral("alice")), false);
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::Unavailable); // Disconnected
    m_fixture.proxy()->setBlackHole(true);
    alice.connection.connectToServer();
    QCOMPARE(alice.connection.connectionStatus(), ConnectionStatus::Connecting);
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::QueueOnly);
    m_fixture.proxy()->setBlackHole(false);
    QVERIFY(alice.waitConnected());
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::SendNow);
    QSignalSpy reconnecting(&alice.connection, &ConnectionManager::reconnecting);
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QVERIFY(reconnecting.wait(Soon));
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::QueueOnly);
    QVERIFY(m_fixture.proxy()->accept());
    QVERIFY(alice.waitConnected());
    alice.connection.logout();
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::Unavailable);
}

void TestMessenger::othersReceiveInOrderExactlyOnce()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    ChatClient carol(QStringLiteral("carol"), serverUrl(), dir(QStringLiteral("carol")));
    // Watching from the start: the catch-up may be over by the time all three are connected.
    QSignalSpy bobCaughtUp(&bob.messenger, &Messenger::caughtUp);
    QSignalSpy carolCaughtUp(&carol.messenger, &Messenger::caughtUp);
    QVERIFY(alice.waitConnected() && bob.waitConnected() && carol.waitConnected());
    QVERIFY(bobCaughtUp.size() > 0 || bobCaughtUp.wait(Soon));
    QVERIFY(carolCaughtUp.size() > 0 || carolCaughtUp.wait(Soon));

    const QStringList fromAlice = numbered(QStringLiteral("alice"), 100);
    const QStringList fromBob = numbered(QStringLiteral("bob"), 100);
    for (int i = 0; i < 100; ++i) {
        alice.messenger.sendMessage(Room, fromAlice.at(i));
        bob.messenger.sendMessage(Room, fromBob.at(i));
    }
    QVERIFY(alice.waitAllDelivered() && bob.waitAllDelivered());
    QTRY_COMPARE_WITH_TIMEOUT(carol.received.size(), 200, Soon);
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 100, Soon);
    QTRY_COMPARE_WITH_TIMEOUT(alice.received.size(), 100, Soon);
    QCOMPARE(bob.receivedTexts(), fromAlice);
    QCOMPARE(alice.receivedTexts(), fromBob);
    QStringList carolFromAlice;
    qint64 lastSeq = 0;
    for (const ChatMessage &m : std::as_const(carol.received)) {
        QVERIFY(m.seq > lastSeq); // server order, no repeats
        lastSeq = m.seq;
        if (m.sender == QLatin1String("alice"))
            carolFromAlice.append(m.text);
    }
    QCOMPARE(carolFromAlice, fromAlice);
    QVERIFY(!QSignalSpy(&carol.messenger, &Messenger::messageReceived).wait(Quiet));
}

void TestMessenger::queuedOfflineGoesOutOnConnect()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")), false);
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    const QStringList texts = numbered(QStringLiteral("offline"), 20);
    for (const QString &text : texts)
        QVERIFY(!alice.messenger.sendMessage(Room, text).isEmpty());
    QCOMPARE(alice.messenger.pendingCount(), 20);
    QCOMPARE(alice.messenger.messages(Room).size(), 20);
    QCOMPARE(alice.messenger.messages(Room).first().state, DeliveryState::Queued);
    alice.connection.connectToServer();
    QVERIFY(alice.waitAllDelivered());
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 20, Soon);
    QCOMPARE(bob.receivedTexts(), texts);
}

void TestMessenger::resetsDuringSendingLoseAndDuplicateNothing()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.proxy()->url(),
                     dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    const QStringList texts = numbered(QStringLiteral("reset"), 300);
    int resets = 0;
    for (int i = 0; i < texts.size(); ++i) {
        alice.messenger.sendMessage(Room, texts.at(i));
        if (i % 60 == 30) {
            QCoreApplication::processEvents(); // some go out, some are acknowledged
            m_fixture.proxy()->resetAll();
            ++resets;
        }
    }
    QVERIFY(alice.waitAllDelivered(30000));
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 300, Soon);
    QCOMPARE(bob.receivedTexts(), texts);
    QCOMPARE(resets, 5);
    const QList<ChatMessage> stored = storedOnServer(300);
    QCOMPARE(stored.size(), 300);
}

void TestMessenger::blackHoleAndRefusalLoseNothing()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.proxy()->url(),
                     dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    const QStringList texts = numbered(QStringLiteral("hole"), 60);
    for (int i = 0; i < 20; ++i)
        alice.messenger.sendMessage(Room, texts.at(i));
    m_fixture.proxy()->setBlackHole(true); // half-open: the heartbeat has to find out
    for (int i = 20; i < 40; ++i)
        alice.messenger.sendMessage(Room, texts.at(i));
    QSignalSpy errors(&alice.connection, &ConnectionManager::connectionError);
    QVERIFY(errors.wait(Soon));
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    m_fixture.proxy()->setBlackHole(false);
    for (int i = 40; i < 60; ++i)
        alice.messenger.sendMessage(Room, texts.at(i));
    QVERIFY(QSignalSpy(&alice.connection, &ConnectionManager::reconnecting).wait(Soon));
    QVERIFY(m_fixture.proxy()->accept());
    QVERIFY(alice.waitAllDelivered());
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 60, Soon);
    QCOMPARE(bob.receivedTexts(), texts);
}

void TestMessenger::catchUpAfterBackground()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    bob.connection.setAppState(AppState::Background); // auto mode: the link closes at once
    const QStringList texts = numbered(QStringLiteral("missed"), 30);
    for (const QString &text : texts)
        alice.messenger.sendMessage(Room, text);
    QVERIFY(alice.waitAllDelivered());
    QVERIFY(bob.received.isEmpty());
    QSignalSpy caughtUp(&bob.messenger, &Messenger::caughtUp);
    bob.connection.setAppState(AppState::Foreground);
    QVERIFY(caughtUp.wait(Soon));
    QCOMPARE(bob.receivedTexts(), texts);
    // And live traffic follows the catch-up.
    alice.messenger.sendMessage(Room, QStringLiteral("live"));
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 31, Soon);
    QCOMPARE(bob.received.last().text, QStringLiteral("live"));
}

void TestMessenger::catchUpAcrossRestartReceivesEachOnce()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    const QStringList first = numbered(QStringLiteral("first"), 10);
    const QStringList second = numbered(QStringLiteral("second"), 10);
    qint64 cursor = 0;
    {
        ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
        QVERIFY(alice.waitConnected() && bob.waitConnected());
        for (const QString &text : first)
            alice.messenger.sendMessage(Room, text);
        QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 10, Soon);
        QTRY_VERIFY_WITH_TIMEOUT(bob.messenger.lastSeenSeq() >= bob.received.last().seq, Soon);
        cursor = bob.messenger.lastSeenSeq();
    } // bob's app quits
    for (const QString &text : second)
        alice.messenger.sendMessage(Room, text);
    QVERIFY(alice.waitAllDelivered());

    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob"))); // restarted
    QCOMPARE(bob.messenger.lastSeenSeq(), cursor);
    QSignalSpy caughtUp(&bob.messenger, &Messenger::caughtUp);
    QVERIFY(caughtUp.wait(Soon));
    QCOMPARE(bob.receivedTexts(), second);
    QCOMPARE(bob.messenger.messages(Room).size(), 20); // the history survived too
}

void TestMessenger::serverKilledAndRestartedLosesNothing()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    const QStringList texts = numbered(QStringLiteral("kill"), 100);
    for (int i = 0; i < 50; ++i)
        alice.messenger.sendMessage(Room, texts.at(i));
    QCoreApplication::processEvents();
    m_fixture.server()->kill(); // SIGKILL, mid-stream
    for (int i = 50; i < 100; ++i)
        alice.messenger.sendMessage(Room, texts.at(i));
    m_fixture.server()->start(); // same port, same data directory
    QVERIFY(lifeline::testkit::waitForStarted(*m_fixture.server()));
    QVERIFY(alice.waitAllDelivered(30000));
    const QList<ChatMessage> stored = storedOnServer(100);
    QStringList storedTexts;
    qint64 lastSeq = 0;
    for (const ChatMessage &m : stored) {
        QVERIFY(m.seq > lastSeq);
        lastSeq = m.seq;
        storedTexts.append(m.text);
    }
    QCOMPARE(storedTexts, texts);
}

void TestMessenger::crashSafetyUnderSigkill()
{
    const QString crasherDir = dir(QStringLiteral("crasher"));
    const QStringList childArguments {QStringLiteral("--child-sender"),
                                      m_fixture.server()->url().toString(), crasherDir};
    QStringList promised; // ids sendMessage() returned before the kill
    {
        QProcess child;
        child.setProgram(QCoreApplication::applicationFilePath());
        child.setArguments(childArguments + QStringList {QStringLiteral("400")});
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start();
        QVERIFY(child.waitForStarted());
        QElapsedTimer clock;
        clock.start();
        while (promised.size() < 150 && clock.elapsed() < Soon) {
            if (!child.waitForReadyRead(1000))
                continue;
            while (child.canReadLine()) {
                const QByteArray line = child.readLine().trimmed();
                if (line.startsWith("queued "))
                    promised.append(QString::fromLatin1(line.mid(7)));
            }
        }
        QVERIFY2(promised.size() >= 150, qPrintable(QString::number(promised.size())));
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        while (child.canReadLine()) {
            const QByteArray line = child.readLine().trimmed();
            if (line.startsWith("queued "))
                promised.append(QString::fromLatin1(line.mid(7)));
        }
    }
    {
        // The app starts again on the same data directory and sends nothing new.
        QProcess child;
        child.setProgram(QCoreApplication::applicationFilePath());
        child.setArguments(childArguments + QStringList {QStringLiteral("0")});
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start();
        QVERIFY(child.waitForFinished(40000));
        QCOMPARE(child.exitCode(), 0);
    }
    const QList<ChatMessage> stored = storedOnServer(promised.size());
    QSet<QString> storedIds;
    int lastIndex = -1;
    for (const ChatMessage &m : stored) {
        QVERIFY2(!storedIds.contains(m.id), "a message was stored twice");
        storedIds.insert(m.id);
        const int index = m.text.mid(6).toInt();
        QVERIFY2(index > lastIndex, "the sender's order was not kept");
        lastIndex = index;
    }
    for (const QString &id : std::as_const(promised))
        QVERIFY2(storedIds.contains(id), qPrintable(QStringLiteral("lost: ") + id));
    qInfo() << promised.size() << "messages promised before SIGKILL," << stored.size() << "stored";
}

void TestMessenger::gapTooLargeIsReported()
{
    QVERIFY(m_fixture.startServer({QStringLiteral("--retain"), QStringLiteral("5")}));
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    alice.messenger.sendMessage(Room, QStringLiteral("seen"));
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 1, Soon);
    bob.connection.disconnectFromServer();
    const QStringList texts = numbered(QStringLiteral("while away"), 20);
    for (const QString &text : texts)
        alice.messenger.sendMessage(Room, text);
    QVERIFY(alice.waitAllDelivered());
    QSignalSpy gap(&bob.messenger, &Messenger::catchUpGap);
    QSignalSpy caughtUp(&bob.messenger, &Messenger::caughtUp);
    bob.connection.connectToServer();
    QVERIFY(caughtUp.wait(Soon));
    QCOMPARE(gap.size(), 1);
    const qint64 from = gap.first().at(0).toLongLong();
    const qint64 to = gap.first().at(1).toLongLong();
    QCOMPARE(from, bob.received.first().seq + 1);
    QCOMPARE(to - from + 1, 15); // 20 missed, the newest 5 kept
    QCOMPARE(bob.receivedTexts().mid(1), texts.mid(15));
}

void TestMessenger::refusedByServerFailsWithoutBlocking()
{
    // A server configured stricter than the client: it refuses long texts for good.
    QVERIFY(m_fixture.startServer({QStringLiteral("--max-text-bytes"), QStringLiteral("100")}));
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    alice.messenger.sendMessage(Room, QStringLiteral("before"));
    const QString refused = alice.messenger.sendMessage(Room, QString(200, QLatin1Char('x')));
    alice.messenger.sendMessage(Room, QStringLiteral("after"));
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 2, Soon);
    QCOMPARE(bob.receivedTexts(),
             (QStringList {QStringLiteral("before"), QStringLiteral("after")}));
    QCOMPARE(alice.messenger.pendingCount(), 0);
    const QList<ChatMessage> mine = alice.messenger.messages(Room);
    QCOMPARE(mine.last().id, refused);
    QCOMPARE(mine.last().state, DeliveryState::Failed);
    QCOMPARE(alice.messenger.failure(refused).code, QStringLiteral("ERR_MESSAGE_TOO_LARGE"));
    QVERIFY(alice.messenger.retryMessage(refused)); // and it can be tried again
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.failure(refused).code,
                              QStringLiteral("ERR_MESSAGE_TOO_LARGE"), Soon);
}

void TestMessenger::rateLimitDefersAndKeepsOrder()
{
    QVERIFY(m_fixture.startServer({QStringLiteral("--rate"), QStringLiteral("10"),
                                   QStringLiteral("--burst"), QStringLiteral("5")}));
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    QSignalSpy throttled(&alice.connection, &ConnectionManager::featureThrottled);
    const QStringList texts = numbered(QStringLiteral("fast"), 25);
    for (const QString &text : texts)
        alice.messenger.sendMessage(Room, text);
    QVERIFY(throttled.wait(Soon));
    QVERIFY(throttled.first().at(0).toStringList().contains(QStringLiteral("typing")));
    QVERIFY(alice.waitAllDelivered(Soon));
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.size(), 25, Soon);
    QCOMPARE(bob.receivedTexts(), texts);
    // Throttling lifts once the sender stays within its limit.
    QTRY_COMPARE_WITH_TIMEOUT(alice.connection.connectionStatus(), ConnectionStatus::Connected,
                              10000);
}

void TestMessenger::typingReachesOthersAndStops()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    QSignalSpy typing(&bob.messenger, &Messenger::typingChanged);
    alice.messenger.setTyping(Room, true);
    QVERIFY(typing.wait(Soon));
    QCOMPARE(typing.last().at(0).toString(), Room);
    QCOMPARE(typing.last().at(1).toStringList(), QStringList {QStringLiteral("alice")});
    QCOMPARE(bob.messenger.typingUsers(Room), QStringList {QStringLiteral("alice")});
    alice.messenger.setTyping(Room, false);
    QVERIFY(typing.wait(Soon));
    QCOMPARE(typing.last().at(1).toStringList(), QStringList());

    // Typing that just stops is reported as stopped after 5 s.
    QElapsedTimer clock;
    clock.start();
    alice.messenger.setTyping(Room, true);
    QVERIFY(typing.wait(Soon));
    QVERIFY(typing.wait(8000));
    QCOMPARE(typing.last().at(1).toStringList(), QStringList());
    QVERIFY2(clock.elapsed() >= 4900, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(alice.messenger.typingUsers(Room).isEmpty()); // never oneself
}

void TestMessenger::typingIsVolatileAndRespectsThrottle()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")), false);
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(bob.waitConnected());
    QSignalSpy typing(&bob.messenger, &Messenger::typingChanged);
    alice.messenger.setTyping(Room, true); // offline: dropped, not queued
    alice.connection.connectToServer();
    QVERIFY(alice.waitConnected());
    QVERIFY(!typing.wait(Quiet));

    m_fixture.server()->sendCommand(QStringLiteral("throttle typing"));
    QVERIFY(testkit::waitForCommand(*m_fixture.server(), Soon));
    QTRY_COMPARE_WITH_TIMEOUT(alice.connection.connectionStatus(),
                              ConnectionStatus::FeatureThrottled, Soon);
    QSignalSpy serverLog(m_fixture.server(), &BundledServer::standardErrorLine);
    alice.messenger.setTyping(Room, true);
    alice.messenger.setTyping(Room, false);
    // A ping answered means every frame alice wrote before it has been read by the server.
    bool answered = false;
    alice.connection.ping([&answered] { answered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(answered, Soon);
    for (const QList<QVariant> &line : std::as_const(serverLog))
        QVERIFY2(!line.at(0).toString().contains(QLatin1String("typing frame ignored")),
                 "the client sent typing while the server throttled it");
    QVERIFY(typing.isEmpty());
}

void TestMessenger::typingStartGoesOutAtMostEveryThreeSeconds()
{
    // The server forgets a typer after 1 s without a start. A client that sent a start on every
    // keystroke would never be forgotten; one that sends a start at most every 3 s is forgotten
    // after 1 s and shows up again when its next start goes out.
    QVERIFY(m_fixture.startServer({QStringLiteral("--typing-timeout"), QStringLiteral("1000")}));
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    QElapsedTimer clock;
    QList<QPair<qint64, QStringList>> seen;
    connect(&bob.messenger, &Messenger::typingChanged, this,
            [&](const QString &, const QStringList &users) {
                seen.append({clock.elapsed(), users});
            });
    QTimer keystrokes;
    keystrokes.setInterval(200);
    connect(&keystrokes, &QTimer::timeout, this, [&] { alice.messenger.setTyping(Room, true); });
    clock.start();
    alice.messenger.setTyping(Room, true);
    keystrokes.start();
    QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= 3, 6000);
    keystrokes.stop();
    const QStringList alone {QStringLiteral("alice")};
    QCOMPARE(seen.at(0).second, alone);
    QCOMPARE(seen.at(1).second, QStringList());
    QCOMPARE(seen.at(2).second, alone);
    const qint64 gap = seen.at(2).first - seen.at(0).first;
    QVERIFY2(gap >= 2900 && gap < 4500,
             qPrintable(QStringLiteral("second start %1 ms after the first").arg(gap)));
}

void TestMessenger::presenceListsOnlineUsers()
{
    ChatClient alice(QStringLiteral("alice"), serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), QStringList {QStringLiteral("alice")},
                              Soon);
    {
        ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
        QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(),
                                  (QStringList {QStringLiteral("alice"), QStringLiteral("bob")}),
                                  Soon);
        QTRY_COMPARE_WITH_TIMEOUT(bob.messenger.onlineUsers(),
                                  (QStringList {QStringLiteral("alice"), QStringLiteral("bob")}),
                                  Soon);
    }
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), QStringList {QStringLiteral("alice")},
                              Soon);
    alice.connection.disconnectFromServer();
    QVERIFY(alice.messenger.onlineUsers().isEmpty()); // unknown while offline
}

// The server sends the full list once per link and then only what changed; the app sees the whole
// sorted list every time, right through joins, leaves and a reconnect.
void TestMessenger::presenceFollowsChangesAndReconnects()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.proxy()->url(),
                     dir(QStringLiteral("alice")));
    QSignalSpy errors(&alice.connection, &ConnectionManager::connectionError);
    QList<QStringList> seen;
    connect(&alice.messenger, &Messenger::presenceChanged, this,
            [&seen](const QStringList &users) { seen.append(users); });
    const auto users = [](std::initializer_list<const char *> names) {
        QStringList list;
        for (const char *name : names)
            list.append(QString::fromLatin1(name));
        return list;
    };
    QVERIFY(alice.waitConnected());
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), users({"alice"}), Soon);

    auto bob = std::make_unique<ChatClient>(QStringLiteral("bob"), serverUrl(),
                                            dir(QStringLiteral("bob")));
    auto carol = std::make_unique<ChatClient>(QStringLiteral("carol"), serverUrl(),
                                              dir(QStringLiteral("carol")));
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), users({"alice", "bob", "carol"}),
                              Soon);
    carol.reset();
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), users({"alice", "bob"}), Soon);

    // Alice's link breaks; while she is away bob leaves and dave comes. The next link starts
    // from a full list of its own, and changes apply to that one.
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), QStringList(), Soon);
    bob.reset();
    ChatClient dave(QStringLiteral("dave"), serverUrl(), dir(QStringLiteral("dave")));
    QTRY_COMPARE_WITH_TIMEOUT(dave.messenger.onlineUsers(), users({"dave"}), Soon);
    QVERIFY(m_fixture.proxy()->accept());
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), users({"alice", "dave"}), Soon);
    ChatClient erin(QStringLiteral("erin"), serverUrl(), dir(QStringLiteral("erin")));
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.onlineUsers(), users({"alice", "dave", "erin"}),
                              Soon);

    // Every list the app was given is whole: sorted, each user once.
    QVERIFY(seen.size() >= 6);
    for (const QStringList &list : std::as_const(seen)) {
        QStringList sorted = list;
        sorted.sort();
        sorted.removeDuplicates();
        QCOMPARE(list, sorted);
    }
    // A change the client could not apply would drop the link and bring a full list again,
    // which could hide it: there must have been none.
    for (const QList<QVariant> &error : std::as_const(errors)) {
        const ChatError e = error.at(0).value<ChatError>();
        QVERIFY2(e.code != QLatin1String("ERR_PROTOCOL"), qPrintable(e.details));
    }
}

// A Messenger created on a link that is up already may have missed that link's full list. The
// server did nothing wrong: the Messenger ignores changes it cannot apply (no error, no
// reconnect) and knows who is online from the next link on.
void TestMessenger::messengerOnALiveLinkWaitsForTheNextList()
{
    ChatClient bob(QStringLiteral("bob"), serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(bob.waitConnected());
    QTRY_COMPARE_WITH_TIMEOUT(bob.messenger.onlineUsers(), QStringList {QStringLiteral("bob")},
                              Soon);
    ConnectionManager connection;
    QSignalSpy errors(&connection, &ConnectionManager::connectionError);
    // A heartbeat missed on a busy machine would bring a new link, and its list, too early.
    QVERIFY(testkit::initAndLogin(
        connection,
        testkit::fastSettings(m_fixture.proxy()->url(), dir(QStringLiteral("alice")))
            .setHeartbeatTimeout(5s)
            .build()));
    const auto pingAnswered = [&connection] {
        bool answered = false;
        connection.ping([&answered] { answered = true; });
        return waitFor([&answered] { return answered; }, Soon, "a pong");
    };
    // Alice's full list went out with the change that bob sees, so it is before the pong.
    QTRY_COMPARE_WITH_TIMEOUT(bob.messenger.onlineUsers(),
                              (QStringList {QStringLiteral("alice"), QStringLiteral("bob")}), Soon);
    QVERIFY(pingAnswered());

    Messenger messenger(&connection);
    ChatClient carol(QStringLiteral("carol"), serverUrl(), dir(QStringLiteral("carol")));
    const QStringList everyone
        = {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")};
    QTRY_COMPARE_WITH_TIMEOUT(bob.messenger.onlineUsers(), everyone, Soon);
    QVERIFY(pingAnswered()); // the change that carol came reached alice's Messenger
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).value<ChatError>().details));
    QCOMPARE(connection.connectionStatus(), ConnectionStatus::Connected);
    QCOMPARE(messenger.onlineUsers(), QStringList());

    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(messenger.onlineUsers(), everyone, Soon);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() == 5 && arguments.at(1) == QLatin1String("--child-sender")) {
        QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
        return runChildSender(arguments);
    }
    TestMessenger test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_messenger.moc"
