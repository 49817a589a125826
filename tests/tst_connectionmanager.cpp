// ConnectionManager against the real lifeline-server over loopback, with faults from a TCP
// proxy (refuse, reset, black hole) and from signals to the server process (SIGSTOP, kick).
#include "bundledserver.h"
#include "clientserverfixture.h"
#include "faultproxy.h"
#include "serverwaits.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>

#include <QElapsedTimer>
#include <QFile>
#include <QMetaEnum>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

using lifeline::harness::BundledServer;

using namespace std::chrono_literals;
using namespace lifeline;

namespace {

template<typename Enum> QString keyOf(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

// Writes every signal of a manager down as one line, in order, so a test can compare the
// whole sequence a user would have seen.
class SignalRecorder : public QObject
{
public:
    explicit SignalRecorder(ConnectionManager *manager)
    {
        connect(
            manager, &ConnectionManager::connectionStatusChanged, this,
            [this](ConnectionStatus s) { events.append(QStringLiteral("status:") + keyOf(s)); });
        connect(manager, &ConnectionManager::connecting, this,
                [this] { events.append(QStringLiteral("connecting")); });
        connect(manager, &ConnectionManager::connected, this,
                [this] { events.append(QStringLiteral("connected")); });
        connect(manager, &ConnectionManager::disconnected, this,
                [this] { events.append(QStringLiteral("disconnected")); });
        connect(manager, &ConnectionManager::reconnecting, this, [this](int attempt, int delay) {
            events.append(QStringLiteral("reconnecting:%1:%2").arg(attempt).arg(delay));
        });
        connect(manager, &ConnectionManager::featureThrottled, this, [this](const QStringList &f) {
            events.append(QStringLiteral("throttled:") + f.join(QLatin1Char(',')));
        });
        connect(manager, &ConnectionManager::connectionError, this,
                [this](const ChatError &e) { events.append(QStringLiteral("error:") + e.code); });
    }

    // The same events without the status changes: what a ConnectionListener sees.
    QStringList withoutStatus() const
    {
        QStringList list;
        for (const QString &event : events) {
            if (!event.startsWith(QLatin1String("status:")))
                list.append(event);
        }
        return list;
    }

    QStringList events;
};

class RecordingListener : public ConnectionListener
{
public:
    void onConnecting() override { record(QStringLiteral("connecting")); }
    void onConnected() override { record(QStringLiteral("connected")); }
    void onDisconnected() override { record(QStringLiteral("disconnected")); }
    void onReconnecting(int attempt, int delayMs) override
    {
        record(QStringLiteral("reconnecting:%1:%2").arg(attempt).arg(delayMs));
    }
    void onFeatureThrottled(const QStringList &features) override
    {
        record(QStringLiteral("throttled:") + features.join(QLatin1Char(',')));
    }
    void onConnectionError(const ChatError &error) override
    {
        record(QStringLiteral("error:") + error.code);
    }

    std::function<void(const QString &)> onEvent;
    QStringList events;

private:
    void record(const QString &event)
    {
        events.append(event);
        if (onEvent)
            onEvent(event);
    }
};

// Catches the log lines of one test, so a test can check what was (and was not) logged.
class LogCapture
{
public:
    LogCapture()
    {
        s_lines = &m_lines;
        m_previous = qInstallMessageHandler(&LogCapture::handler);
        s_previous = m_previous;
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        s_lines = nullptr;
    }
    const QStringList &lines() const { return m_lines; }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (s_lines)
            s_lines->append(QString::fromLatin1(context.category) + QLatin1Char(' ') + message);
        if (s_previous)
            s_previous(type, context, message);
    }

    QStringList m_lines;
    QtMessageHandler m_previous = nullptr;
    static inline QStringList *s_lines = nullptr;
    static inline QtMessageHandler s_previous = nullptr;
};

constexpr int HeartbeatMs = 300;
constexpr int HeartbeatTimeoutMs = 300;
constexpr int ConnectTimeoutMs = 1000;
constexpr int GraceMs = 600;
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
// How long a test watches for something that must not happen.
constexpr int Quiet = 600;

} // namespace

class TestConnectionManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void callsBeforeInitFail_data();
    void callsBeforeInitFail();
    void initRejectsEmptyAppId();
    void initRestoresSavedSessionAndConnects();
    void initRestoresSessionButWaitsInManualMode();
    void loginRejectsEmptyArguments_data();
    void loginRejectsEmptyArguments();
    void loginSavesSessionReadableByOwnerOnly();
    void loginSucceedsThenConnectsInAutoMode();
    void loginDoesNotConnectInManualMode();
    void logoutClosesAndForgetsSession();
    void connectWithoutSessionFails();
    void connectWhenConnectedSucceedsAtOnce();
    void connectDuringBackoffStartsNow();
    void connectReportsTheFailedAttempt();
    void disconnectStaysDisconnected();
    void disconnectAndLogoutWithoutSessionFail();
    void pingWhenNotConnectedFails();
    void pingIsAnswered();
    void pingTimesOutOnFrozenServer();
    void autoModeBackgroundDisconnectsAndForegroundReconnects();
    void autoModeBackgroundCancelsPlannedRetry();
    void autoModeForegroundRefillsAttemptBudget();
    void autoModeConnectInBackgroundIsRefused();
    void manualModeClosesAfterGrace();
    void manualModePingRestartsGrace();
    void manualModeForegroundStopsGraceAndDoesNotConnect();
    void manualModeLossInBackgroundIsNotReestablished();
    void unexpectedLossReconnectsInOrder();
    void backoffDelaysDoubleUpToCapThenGiveUp();
    void jitteredDelayIsReportedAndUsed();
    void attemptBudgetRefillsAfterHeartbeatRoundTrip();
    void heartbeatDetectsFrozenServer();
    void heartbeatDetectsBlackHole();
    void shortBlackHoleDelaysWithoutDropping();
    void connectTimeoutAbortsSilentHandshake();
    void rejectedTokenStopsRetries();
    void featureThrottlingKeepsLinkUsable();
    void throttledAtConnectReportsBoth();
    void staleSocketEventsChangeNothing();
    void listenerWithSameIdReplacesEarlier();
    void listenerRemovedInCallbackIsNotCalled();
    void listenersFollowSignalOrder();
    void managerDoesNotOwnListeners();
    void offlinePausesRetriesWithoutUsingAttempts();
    void statusChangesAreLoggedWithCause();
    void garbageFromServerIsProtocolError_data();
    void garbageFromServerIsProtocolError();
    void chatErrorCrossesQueuedConnections();

private:
    AppSettingsBuilder fastSettings() const;
    bool initManager(const AppSettings &settings);
    bool initAndLogin(const AppSettings &settings);
    bool waitForStatus(ConnectionStatus status, int timeout = Soon);
    // Waits until a server stderr line caught by `spy` contains `text`.
    static bool serverLogSays(QSignalSpy &spy, const QString &text);
    // Resets the link at the proxy and waits until the manager has connected again.
    bool reconnectAfterReset();
    bool serverCommand(const QString &command);
    QString clientDir() const { return m_fixture.filePath(QStringLiteral("client")); }

    testkit::ClientServerFixture m_fixture;
    // The suite's own: its tests replace the manager, as an app that restarts does.
    std::unique_ptr<ConnectionManager> m_manager;
};

void TestConnectionManager::initTestCase()
{
    // The server logs each client's close code at debug level; the tests read those lines.
    qputenv("QT_LOGGING_RULES", "lifeline.*.debug=true");
}

void TestConnectionManager::init()
{
    QVERIFY(m_fixture.start(testkit::ClientServerFixture::Layer::Proxy));
    m_manager = std::make_unique<ConnectionManager>();
}

void TestConnectionManager::cleanup()
{
    m_manager.reset();
    m_fixture.stop();
}

bool TestConnectionManager::serverCommand(const QString &command)
{
    m_fixture.server()->sendCommand(command);
    return testkit::waitForCommand(*m_fixture.server(), Soon);
}

AppSettingsBuilder TestConnectionManager::fastSettings() const
{
    return testkit::fastSettings(m_fixture.proxyUrl(), clientDir());
}

bool TestConnectionManager::initManager(const AppSettings &settings)
{
    bool ok = false;
    m_manager->init(
        QStringLiteral("lifeline-test"), settings, [&ok](const QString &) { ok = true; },
        [](const ChatError &e) { qWarning() << "init failed" << e; });
    return ok;
}

bool TestConnectionManager::initAndLogin(const AppSettings &settings)
{
    if (!initManager(settings))
        return false;
    bool ok = false;
    m_manager->login(
        QStringLiteral("alice"), QStringLiteral("secret-token"),
        [&ok](const QString &) { ok = true; },
        [](const ChatError &e) { qWarning() << "login failed" << e; });
    return ok;
}

bool TestConnectionManager::waitForStatus(ConnectionStatus status, int timeout)
{
    if (!testkit::waitFor([&] { return m_manager->connectionStatus() == status; }, timeout))
        qWarning().noquote() << "waited" << timeout << "ms for" << keyOf(status) << "but it is"
                             << keyOf(m_manager->connectionStatus());
    return m_manager->connectionStatus() == status;
}

bool TestConnectionManager::serverLogSays(QSignalSpy &spy, const QString &text)
{
    QElapsedTimer clock;
    clock.start();
    int seen = 0;
    while (clock.elapsed() < Soon) {
        for (; seen < spy.size(); ++seen) {
            if (spy.at(seen).at(0).toString().contains(text))
                return true;
        }
        spy.wait(100);
    }
    qWarning().noquote() << "the server never logged" << text;
    return false;
}

bool TestConnectionManager::reconnectAfterReset()
{
    QSignalSpy connected(m_manager.get(), &ConnectionManager::connected);
    m_fixture.proxy()->resetAll();
    return connected.wait(Soon);
}

void TestConnectionManager::callsBeforeInitFail_data()
{
    QTest::addColumn<QString>("call");
    for (const char *call : {"login", "logout", "connectToServer", "disconnectFromServer", "ping"})
        QTest::newRow(call) << QString::fromLatin1(call);
}

void TestConnectionManager::callsBeforeInitFail()
{
    QFETCH(QString, call);
    ChatError error;
    const auto onError = [&error](const ChatError &e) { error = e; };
    if (call == QLatin1String("login"))
        m_manager->login(QStringLiteral("alice"), QStringLiteral("t"), {}, onError);
    else if (call == QLatin1String("logout"))
        m_manager->logout({}, onError);
    else if (call == QLatin1String("connectToServer"))
        m_manager->connectToServer({}, onError);
    else if (call == QLatin1String("disconnectFromServer"))
        m_manager->disconnectFromServer({}, onError);
    else
        m_manager->ping({}, onError);
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_INITIALIZED"));
    QVERIFY(!error.message.isEmpty());
    QVERIFY(error.details.contains(QLatin1String("init()")));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestConnectionManager::initRejectsEmptyAppId()
{
    ChatError error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("init failed")));
    m_manager->init(QString(), fastSettings().build(), {},
                    [&error](const ChatError &e) { error = e; });
    QCOMPARE(error.code, QStringLiteral("ERR_CHAT_API_FAILURE"));
    QVERIFY2(error.details.startsWith(QLatin1String("appId:")), qPrintable(error.details));
    QVERIFY(!m_manager->isInitialized());
}

void TestConnectionManager::initRestoresSavedSessionAndConnects()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));

    // The app restarts: a new manager on the same data directory, and no login call.
    m_manager = std::make_unique<ConnectionManager>();
    QSignalSpy connected(m_manager.get(), &ConnectionManager::connected);
    QVERIFY(initManager(fastSettings().build()));
    QCOMPARE(m_manager->loggedInUser(), QStringLiteral("alice"));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connecting);
    QVERIFY(connected.wait(Soon));
}

void TestConnectionManager::initRestoresSessionButWaitsInManualMode()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    m_manager = std::make_unique<ConnectionManager>();
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(initManager(fastSettings().setAutoEstablishSocketConnection(false).build()));
    QCOMPARE(m_manager->loggedInUser(), QStringLiteral("alice"));
    QVERIFY(!connecting.wait(Quiet));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestConnectionManager::loginRejectsEmptyArguments_data()
{
    QTest::addColumn<QString>("uid");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("field");
    QTest::newRow("empty uid") << QString() << QStringLiteral("t") << QStringLiteral("uid");
    QTest::newRow("blank uid") << QStringLiteral("  ") << QStringLiteral("t")
                               << QStringLiteral("uid");
    QTest::newRow("empty token") << QStringLiteral("alice") << QString()
                                 << QStringLiteral("authToken");
}

void TestConnectionManager::loginRejectsEmptyArguments()
{
    QFETCH(QString, uid);
    QFETCH(QString, token);
    QFETCH(QString, field);
    QVERIFY(initManager(fastSettings().build()));
    ChatError error;
    bool succeeded = false;
    m_manager->login(
        uid, token, [&succeeded](const QString &) { succeeded = true; },
        [&error](const ChatError &e) { error = e; });
    QVERIFY(!succeeded);
    QCOMPARE(error.code, QStringLiteral("ERR_INVALID_ARGUMENT"));
    QVERIFY2(error.details.startsWith(field + QLatin1Char(':')), qPrintable(error.details));
    QVERIFY(m_manager->loggedInUser().isEmpty());
    QVERIFY(!QFile::exists(clientDir() + QStringLiteral("/session.json")));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestConnectionManager::loginSavesSessionReadableByOwnerOnly()
{
    LogCapture logs;
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    const QString path = clientDir() + QStringLiteral("/session.json");
    QVERIFY(QFile::exists(path));
    const QFileDevice::Permissions permissions = QFile::permissions(path);
    QCOMPARE(permissions & (QFileDevice::ReadOwner | QFileDevice::WriteOwner),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;
    QCOMPARE(permissions & others, QFileDevice::Permissions());

    QVERIFY(waitForStatus(ConnectionStatus::Disconnected));
    m_manager->connectToServer();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    for (const QString &line : logs.lines())
        QVERIFY2(!line.contains(QLatin1String("secret-token")), qPrintable(line));
}

void TestConnectionManager::loginSucceedsThenConnectsInAutoMode()
{
    QVERIFY(initManager(fastSettings().build()));
    QStringList order;
    connect(m_manager.get(), &ConnectionManager::connecting, this,
            [&order] { order.append(QStringLiteral("connecting")); });
    m_manager->login(QStringLiteral("alice"), QStringLiteral("t"),
                     [&order](const QString &) { order.append(QStringLiteral("login ok")); });
    QCOMPARE(order, (QStringList {QStringLiteral("login ok"), QStringLiteral("connecting")}));
    QCOMPARE(m_manager->loggedInUser(), QStringLiteral("alice"));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestConnectionManager::loginDoesNotConnectInManualMode()
{
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    QVERIFY(!connecting.wait(Quiet));
    QCOMPARE(m_fixture.proxy()->acceptedConnections(), 0);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestConnectionManager::logoutClosesAndForgetsSession()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy disconnected(m_manager.get(), &ConnectionManager::disconnected);
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QSignalSpy serverLog(m_fixture.server(), &BundledServer::standardErrorLine);
    QString message;
    m_manager->logout([&message](const QString &m) { message = m; });
    QVERIFY(!message.isEmpty());
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
    QCOMPARE(m_manager->disconnectReason(), DisconnectReason::LoggedOut);
    QCOMPARE(disconnected.size(), 1);
    QVERIFY(m_manager->loggedInUser().isEmpty());
    QVERIFY(!QFile::exists(clientDir() + QStringLiteral("/session.json")));
    // The server sees a clean goodbye, not a dropped link.
    QVERIFY(serverLogSays(serverLog, QStringLiteral("close code 1000")));

    ChatError error;
    m_manager->logout({}, [&error](const ChatError &e) { error = e; });
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_LOGGED_IN"));
    // For good: neither a foreground switch nor the network coming back reconnects.
    m_manager->setAppState(AppState::Background);
    m_manager->setAppState(AppState::Foreground);
    m_manager->setNetworkReachable(false);
    m_manager->setNetworkReachable(true);
    QVERIFY(!connecting.wait(Quiet));
}

void TestConnectionManager::connectWithoutSessionFails()
{
    QVERIFY(initManager(fastSettings().setAutoEstablishSocketConnection(false).build()));
    QSignalSpy status(m_manager.get(), &ConnectionManager::connectionStatusChanged);
    ChatError error;
    m_manager->connectToServer({}, [&error](const ChatError &e) { error = e; });
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_LOGGED_IN"));
    QCOMPARE(error.message, QStringLiteral("No active user session."));
    QCOMPARE(error.details,
             QStringLiteral("Please log in before establishing a WebSocket connection."));
    QCOMPARE(status.size(), 0);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestConnectionManager::connectWhenConnectedSucceedsAtOnce()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QString message;
    m_manager->connectToServer([&message](const QString &m) { message = m; });
    QVERIFY(!message.isEmpty()); // synchronously, no new attempt
    QCOMPARE(m_fixture.proxy()->acceptedConnections(), 1);
}

void TestConnectionManager::connectDuringBackoffStartsNow()
{
    QVERIFY(initAndLogin(fastSettings().setReconnectDelay(10s, 20s).build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QSignalSpy reconnecting(m_manager.get(), &ConnectionManager::reconnecting);
    QVERIFY(reconnecting.wait(Soon));
    QCOMPARE(reconnecting.first().at(1).toInt(), 10000);

    QVERIFY(m_fixture.proxy()->accept());
    QElapsedTimer clock;
    clock.start();
    bool succeeded = false;
    m_manager->connectToServer([&succeeded](const QString &) { succeeded = true; });
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connecting);
    QTRY_VERIFY_WITH_TIMEOUT(succeeded, Soon);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connected);
    QVERIFY2(clock.elapsed() < 5000,
             qPrintable(QStringLiteral("connected after %1 ms; the backoff wait was 10 s")
                            .arg(clock.elapsed())));
}

void TestConnectionManager::connectReportsTheFailedAttempt()
{
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    m_fixture.proxy()->refuse();
    ChatError error;
    m_manager->connectToServer({}, [&error](const ChatError &e) { error = e; });
    QTRY_COMPARE_WITH_TIMEOUT(error.code, QStringLiteral("ERR_CONNECTION_FAILED"), Soon);
    QVERIFY2(error.details.contains(m_fixture.proxyUrl().toString()), qPrintable(error.details));
    // Retrying goes on by the policy.
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Reconnecting);
    QVERIFY(m_fixture.proxy()->accept());
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestConnectionManager::disconnectStaysDisconnected()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy serverLog(m_fixture.server(), &BundledServer::standardErrorLine);
    QString message;
    m_manager->disconnectFromServer([&message](const QString &m) { message = m; });
    QCOMPARE(message, QStringLiteral("Web socket disconnection successful"));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
    QCOMPARE(m_manager->disconnectReason(), DisconnectReason::UserDisconnected);
    QVERIFY(serverLogSays(serverLog, QStringLiteral("close code 1000")));

    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    m_manager->setAppState(AppState::Background);
    m_manager->setAppState(AppState::Foreground);
    m_manager->setNetworkReachable(false);
    m_manager->setNetworkReachable(true);
    QVERIFY(!connecting.wait(Quiet));
    QCOMPARE(m_fixture.proxy()->acceptedConnections(), 1);

    m_manager->connectToServer();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestConnectionManager::disconnectAndLogoutWithoutSessionFail()
{
    QVERIFY(initManager(fastSettings().build()));
    ChatError disconnectError;
    ChatError pingError;
    m_manager->disconnectFromServer({}, [&](const ChatError &e) { disconnectError = e; });
    m_manager->ping({}, [&](const ChatError &e) { pingError = e; });
    QCOMPARE(disconnectError.code, QStringLiteral("ERR_NOT_LOGGED_IN"));
    QCOMPARE(pingError.code, QStringLiteral("ERR_NOT_LOGGED_IN"));
    QCOMPARE(pingError.details,
             QStringLiteral("Please log in before sending a ping to the server."));
}

void TestConnectionManager::pingWhenNotConnectedFails()
{
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    ChatError error;
    m_manager->ping({}, [&error](const ChatError &e) { error = e; });
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_CONNECTED"));
}

void TestConnectionManager::pingIsAnswered()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    bool answered = false;
    ChatError error;
    m_manager->ping([&answered] { answered = true; }, [&error](const ChatError &e) { error = e; });
    QTRY_VERIFY_WITH_TIMEOUT(answered || !error.isNull(), Soon);
    QVERIFY2(answered, qPrintable(error.code));
}

void TestConnectionManager::pingTimesOutOnFrozenServer()
{
    // A long heartbeat, so that the ping's own deadline is what fires.
    QVERIFY(initAndLogin(fastSettings().setHeartbeatInterval(10s).build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_fixture.server()->freeze();
    QElapsedTimer clock;
    clock.start();
    ChatError error;
    m_manager->ping({}, [&error](const ChatError &e) { error = e; });
    QTRY_VERIFY_WITH_TIMEOUT(!error.isNull(), Soon);
    QCOMPARE(error.code, QStringLiteral("ERR_PING_TIMEOUT"));
    QVERIFY2(clock.elapsed() >= HeartbeatTimeoutMs - 20,
             qPrintable(QStringLiteral("timed out after %1 ms").arg(clock.elapsed())));
    m_fixture.server()->thaw();
}

void TestConnectionManager::autoModeBackgroundDisconnectsAndForegroundReconnects()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy disconnected(m_manager.get(), &ConnectionManager::disconnected);
    m_manager->setAppState(AppState::Background);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
    QCOMPARE(m_manager->disconnectReason(), DisconnectReason::Background);
    QCOMPARE(disconnected.size(), 1);

    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    m_manager->setNetworkReachable(false);
    m_manager->setNetworkReachable(true);
    QVERIFY(!connecting.wait(Quiet));

    m_manager->setAppState(AppState::Foreground);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connecting);
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestConnectionManager::autoModeBackgroundCancelsPlannedRetry()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_fixture.proxy()->resetAll();
    QVERIFY(waitForStatus(ConnectionStatus::Reconnecting));
    m_manager->setAppState(AppState::Background);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(!connecting.wait(Quiet));
    QCOMPARE(m_manager->reconnectRemainingMs(), -1);
}

void TestConnectionManager::autoModeForegroundRefillsAttemptBudget()
{
    QVERIFY(initAndLogin(fastSettings().setMaxReconnectAttempts(1).build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QSignalSpy errors(m_manager.get(), &ConnectionManager::connectionError);
    QTRY_VERIFY_WITH_TIMEOUT(m_manager->lastError().code == QLatin1String("ERR_RECONNECT_FAILED"),
                             Soon);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);

    QSignalSpy reconnecting(m_manager.get(), &ConnectionManager::reconnecting);
    m_manager->setAppState(AppState::Background);
    m_manager->setAppState(AppState::Foreground);
    QVERIFY(reconnecting.wait(Soon));
    QCOMPARE(reconnecting.first().at(0).toInt(), 1); // a fresh budget, not a give-up
}

void TestConnectionManager::autoModeConnectInBackgroundIsRefused()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_manager->disconnectFromServer();
    m_manager->setAppState(AppState::Background);
    ChatError error;
    m_manager->connectToServer({}, [&error](const ChatError &e) { error = e; });
    QCOMPARE(error.code, QStringLiteral("ERR_IN_BACKGROUND"));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
    // The explicit disconnect is forgotten: the foreground brings the link back.
    m_manager->setAppState(AppState::Foreground);
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestConnectionManager::manualModeClosesAfterGrace()
{
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    m_manager->connectToServer();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy disconnected(m_manager.get(), &ConnectionManager::disconnected);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(m_manager->backgroundGraceRemainingMs(), -1);
    m_manager->setAppState(AppState::Background);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connected);
    QVERIFY(m_manager->backgroundGraceRemainingMs() > GraceMs - 100);
    QVERIFY(m_manager->backgroundGraceRemainingMs() <= GraceMs);
    QVERIFY(disconnected.wait(Soon));
    QCOMPARE(m_manager->backgroundGraceRemainingMs(), -1);
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= GraceMs - 20 && elapsed < GraceMs + 1000,
             qPrintable(QStringLiteral("closed %1 ms after the switch; grace is %2 ms")
                            .arg(elapsed)
                            .arg(GraceMs)));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
    QCOMPARE(m_manager->disconnectReason(), DisconnectReason::Background);
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(!connecting.wait(Quiet));
}

void TestConnectionManager::manualModePingRestartsGrace()
{
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    m_manager->connectToServer();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy disconnected(m_manager.get(), &ConnectionManager::disconnected);
    QElapsedTimer clock;
    clock.start();
    m_manager->setAppState(AppState::Background);
    qint64 pingAt = -1;
    QTimer::singleShot(GraceMs / 2, this, [&] {
        pingAt = clock.elapsed();
        m_manager->ping();
    });
    QVERIFY(disconnected.wait(Soon));
    const qint64 sincePing = clock.elapsed() - pingAt;
    QVERIFY(pingAt > 0);
    QVERIFY2(sincePing >= GraceMs - 20,
             qPrintable(QStringLiteral("closed %1 ms after the ping; grace is %2 ms")
                            .arg(sincePing)
                            .arg(GraceMs)));
}

void TestConnectionManager::manualModeForegroundStopsGraceAndDoesNotConnect()
{
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    m_manager->connectToServer();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy disconnected(m_manager.get(), &ConnectionManager::disconnected);
    m_manager->setAppState(AppState::Background);
    m_manager->setAppState(AppState::Foreground);
    QVERIFY(!disconnected.wait(GraceMs + Quiet));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connected);

    // Closed by the grace period, back in foreground: nothing connects by itself.
    m_manager->setAppState(AppState::Background);
    QVERIFY(disconnected.wait(Soon));
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    m_manager->setAppState(AppState::Foreground);
    QVERIFY(!connecting.wait(Quiet));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestConnectionManager::manualModeLossInBackgroundIsNotReestablished()
{
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    m_manager->connectToServer();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_manager->setAppState(AppState::Background);
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(serverCommand(QStringLiteral("kick")));
    QVERIFY(waitForStatus(ConnectionStatus::Disconnected));
    QCOMPARE(m_manager->disconnectReason(), DisconnectReason::Background);
    QCOMPARE(m_manager->lastError().code, QStringLiteral("ERR_CONNECTION_LOST"));
    QVERIFY(!connecting.wait(Quiet));
}

void TestConnectionManager::unexpectedLossReconnectsInOrder()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    SignalRecorder recorder(m_manager.get());
    RecordingListener listener;
    m_manager->addConnectionListener(QStringLiteral("test"), &listener);

    QElapsedTimer clock;
    qint64 retryPlannedAt = -1;
    qint64 retryStartedAt = -1;
    connect(m_manager.get(), &ConnectionManager::reconnecting, this,
            [&] { retryPlannedAt = clock.elapsed(); });
    connect(m_manager.get(), &ConnectionManager::connecting, this,
            [&] { retryStartedAt = clock.elapsed(); });
    clock.start();
    QVERIFY(serverCommand(QStringLiteral("kick")));
    QSignalSpy connected(m_manager.get(), &ConnectionManager::connected);
    QVERIFY(connected.wait(Soon));

    const QStringList expected {
        QStringLiteral("disconnected"),        QStringLiteral("error:ERR_CONNECTION_LOST"),
        QStringLiteral("status:Reconnecting"), QStringLiteral("reconnecting:1:100"),
        QStringLiteral("status:Connecting"),   QStringLiteral("connecting"),
        QStringLiteral("status:Connected"),    QStringLiteral("connected"),
    };
    QCOMPARE(recorder.events, expected);
    QCOMPARE(listener.events, recorder.withoutStatus());
    const qint64 waited = retryStartedAt - retryPlannedAt;
    QVERIFY2(
        waited >= 95 && waited < 1000,
        qPrintable(
            QStringLiteral("retry started %1 ms after it was planned for 100 ms").arg(waited)));
}

void TestConnectionManager::backoffDelaysDoubleUpToCapThenGiveUp()
{
    QVERIFY(initAndLogin(
        fastSettings().setReconnectDelay(100ms, 400ms).setMaxReconnectAttempts(4).build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QElapsedTimer clock;
    clock.start();
    QList<qint64> plannedAt;
    QList<qint64> startedAt;
    QList<int> delays;
    connect(m_manager.get(), &ConnectionManager::reconnecting, this, [&](int, int delay) {
        plannedAt.append(clock.elapsed());
        delays.append(delay);
    });
    connect(m_manager.get(), &ConnectionManager::connecting, this,
            [&] { startedAt.append(clock.elapsed()); });
    SignalRecorder recorder(m_manager.get());

    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QVERIFY(waitForStatus(ConnectionStatus::Disconnected, 10000));

    QCOMPARE(delays, (QList<int> {100, 200, 400, 400}));
    QCOMPARE(startedAt.size(), 4);
    for (int i = 0; i < 4; ++i) {
        const qint64 waited = startedAt.at(i) - plannedAt.at(i);
        QVERIFY2(waited >= delays.at(i) - 5 && waited < delays.at(i) + 1000,
                 qPrintable(QStringLiteral("attempt %1 started %2 ms after planning a %3 ms wait")
                                .arg(i + 1)
                                .arg(waited)
                                .arg(delays.at(i))));
    }
    QCOMPARE(m_manager->lastError().code, QStringLiteral("ERR_RECONNECT_FAILED"));
    QCOMPARE(m_manager->lastError().message, QStringLiteral("Connection failed after 4 attempts."));
    QCOMPARE(m_manager->disconnectReason(), DisconnectReason::ReconnectFailed);
    QCOMPARE(recorder.events.mid(recorder.events.size() - 4),
             (QStringList {QStringLiteral("error:ERR_CONNECTION_FAILED"),
                           QStringLiteral("error:ERR_RECONNECT_FAILED"),
                           QStringLiteral("status:Disconnected"), QStringLiteral("disconnected")}));
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(!connecting.wait(Quiet));
}

void TestConnectionManager::jitteredDelayIsReportedAndUsed()
{
    QVERIFY(initAndLogin(
        fastSettings().setReconnectDelay(400ms, 800ms).setReconnectJitter(0.5).build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QElapsedTimer clock;
    qint64 plannedAt = -1;
    qint64 startedAt = -1;
    int delay = -1;
    connect(m_manager.get(), &ConnectionManager::reconnecting, this, [&](int, int d) {
        plannedAt = clock.elapsed();
        delay = d;
    });
    connect(m_manager.get(), &ConnectionManager::connecting, this,
            [&] { startedAt = clock.elapsed(); });
    clock.start();
    QVERIFY(reconnectAfterReset());
    // The first attempt after losing a link that was up draws from the whole [0, nominal].
    QVERIFY2(delay >= 0 && delay <= 400, qPrintable(QString::number(delay)));
    QVERIFY2(startedAt - plannedAt >= delay - 5 && startedAt - plannedAt < delay + 1000,
             qPrintable(QStringLiteral("waited %1 ms for a reported %2 ms")
                            .arg(startedAt - plannedAt)
                            .arg(delay)));

    // Dropped again: the first attempt is again drawn from [0, nominal], whatever its number
    // (2 when no heartbeat made the link stable in between, else 1); the next one, after a
    // refused connection, from [nominal x (1 - jitter), nominal].
    const auto nominal = [](int attempt) { return attempt == 1 ? 400 : 800; };
    QList<QPair<int, int>> planned;
    connect(m_manager.get(), &ConnectionManager::reconnecting, this, [&](int attempt, int d) {
        planned.append({attempt, d});
    });
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(planned.size(), 2, Soon);
    const auto [first, firstDelay] = planned.at(0);
    const auto [next, nextDelay] = planned.at(1);
    QVERIFY2(first == 1 || first == 2, qPrintable(QString::number(first)));
    QVERIFY2(firstDelay >= 0 && firstDelay <= nominal(first),
             qPrintable(QStringLiteral("attempt %1 in %2 ms").arg(first).arg(firstDelay)));
    QCOMPARE(next, first + 1);
    QVERIFY2(nextDelay >= nominal(next) / 2 && nextDelay <= nominal(next),
             qPrintable(QStringLiteral("attempt %1 in %2 ms").arg(next).arg(nextDelay)));
    QVERIFY(m_fixture.proxy()->accept());
    QVERIFY(waitForStatus(ConnectionStatus::Connected, 10000));
}

void TestConnectionManager::attemptBudgetRefillsAfterHeartbeatRoundTrip()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy heartbeat(m_manager.get(), &ConnectionManager::heartbeatAcknowledged);
    QSignalSpy reconnecting(m_manager.get(), &ConnectionManager::reconnecting);

    // A link that drops before one heartbeat round trip does not refill the budget...
    connect(
        m_manager.get(), &ConnectionManager::connected, this,
        [this] { m_fixture.proxy()->resetAll(); }, Qt::SingleShotConnection);
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(reconnecting.size(), 2, Soon);
    QCOMPARE(reconnecting.at(0).at(0).toInt(), 1);
    QCOMPARE(reconnecting.at(1).at(0).toInt(), 2);

    // ...one that stays up through a round trip does.
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    heartbeat.clear();
    QVERIFY(heartbeat.wait(Soon));
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(reconnecting.size(), 3, Soon);
    QCOMPARE(reconnecting.at(2).at(0).toInt(), 1);
}

void TestConnectionManager::heartbeatDetectsFrozenServer()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy heartbeat(m_manager.get(), &ConnectionManager::heartbeatAcknowledged);
    QVERIFY(heartbeat.wait(Soon));

    QSignalSpy errors(m_manager.get(), &ConnectionManager::connectionError);
    QElapsedTimer clock;
    clock.start();
    m_fixture.server()->freeze();
    QVERIFY(errors.wait(Soon));
    const qint64 noticed = clock.elapsed();
    QCOMPARE(errors.first().at(0).value<ChatError>().code, QStringLiteral("ERR_HEARTBEAT_TIMEOUT"));
    QVERIFY2(noticed >= HeartbeatTimeoutMs - 20
                 && noticed <= HeartbeatMs + HeartbeatTimeoutMs + 250,
             qPrintable(QStringLiteral("a frozen server was noticed after %1 ms; interval + "
                                       "timeout is %2 ms")
                            .arg(noticed)
                            .arg(HeartbeatMs + HeartbeatTimeoutMs)));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Reconnecting);

    m_fixture.server()->thaw();
    QVERIFY(waitForStatus(ConnectionStatus::Connected, 10000));
}

void TestConnectionManager::heartbeatDetectsBlackHole()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy errors(m_manager.get(), &ConnectionManager::connectionError);
    m_fixture.proxy()->setBlackHole(true);
    QVERIFY(errors.wait(Soon));
    QCOMPARE(errors.first().at(0).value<ChatError>().code, QStringLiteral("ERR_HEARTBEAT_TIMEOUT"));
    m_fixture.proxy()->setBlackHole(false);
    QVERIFY(waitForStatus(ConnectionStatus::Connected, 10000));
}

void TestConnectionManager::shortBlackHoleDelaysWithoutDropping()
{
    // A tunnel shorter than the heartbeat's patience: TCP holds what was sent and delivers it
    // when the path is back, so the link survives and the ping is answered late, not lost.
    QVERIFY(initAndLogin(fastSettings().setHeartbeatInterval(10s).setHeartbeatTimeout(5s).build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QSignalSpy statusChanges(m_manager.get(), &ConnectionManager::connectionStatusChanged);
    m_fixture.proxy()->setBlackHole(true);
    bool answered = false;
    ChatError error;
    m_manager->ping([&answered] { answered = true; }, [&error](const ChatError &e) { error = e; });
    QTest::qWait(300);
    QVERIFY(!answered);
    m_fixture.proxy()->setBlackHole(false);
    QTRY_VERIFY_WITH_TIMEOUT(answered || !error.isNull(), Soon);
    QVERIFY2(answered, qPrintable(error.code));
    QCOMPARE(statusChanges.count(), 0);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connected);
}

void TestConnectionManager::connectTimeoutAbortsSilentHandshake()
{
    m_fixture.proxy()->setBlackHole(true);
    QSignalSpy errors(m_manager.get(), &ConnectionManager::connectionError);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(errors.wait(Soon));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(errors.first().at(0).value<ChatError>().code, QStringLiteral("ERR_CONNECT_TIMEOUT"));
    QVERIFY2(elapsed >= ConnectTimeoutMs - 20 && elapsed < ConnectTimeoutMs + 1000,
             qPrintable(QStringLiteral("timed out after %1 ms; the limit is %2 ms")
                            .arg(elapsed)
                            .arg(ConnectTimeoutMs)));
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Reconnecting);
    m_fixture.proxy()->setBlackHole(false);
    QVERIFY(waitForStatus(ConnectionStatus::Connected, 10000));
}

void TestConnectionManager::rejectedTokenStopsRetries()
{
    const QString tokens = m_fixture.filePath(QStringLiteral("tokens"));
    QFile file(tokens);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("alice right-token\n");
    file.close();
    QVERIFY(m_fixture.startServer({QStringLiteral("--tokens"), tokens}));
    QVERIFY(m_fixture.startProxy());

    QVERIFY(initAndLogin(fastSettings().build())); // logs in with a wrong token
    QTRY_COMPARE_WITH_TIMEOUT(m_manager->lastError().code, QStringLiteral("ERR_AUTH_FAILED"), Soon);
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
    QCOMPARE(m_manager->disconnectReason(), DisconnectReason::AuthFailed);
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(!connecting.wait(Quiet));
    QCOMPARE(m_fixture.proxy()->acceptedConnections(), 1);

    bool succeeded = false;
    m_manager->login(QStringLiteral("alice"), QStringLiteral("right-token"));
    m_manager->connectToServer([&succeeded](const QString &) { succeeded = true; });
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QTRY_VERIFY(succeeded);
}

void TestConnectionManager::featureThrottlingKeepsLinkUsable()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    SignalRecorder recorder(m_manager.get());
    QVERIFY(serverCommand(QStringLiteral("throttle typing presence")));
    QVERIFY(waitForStatus(ConnectionStatus::FeatureThrottled));
    QCOMPARE(m_manager->throttledFeatures(),
             (QStringList {QStringLiteral("typing"), QStringLiteral("presence")}));

    bool answered = false;
    m_manager->ping([&answered] { answered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(answered, Soon);

    QVERIFY(serverCommand(QStringLiteral("unthrottle")));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QVERIFY(m_manager->throttledFeatures().isEmpty());
    QCOMPARE(recorder.events,
             (QStringList {QStringLiteral("status:FeatureThrottled"),
                           QStringLiteral("throttled:typing,presence"),
                           QStringLiteral("status:Connected"), QStringLiteral("throttled:")}));
}

void TestConnectionManager::throttledAtConnectReportsBoth()
{
    QVERIFY(serverCommand(QStringLiteral("throttle typing")));
    SignalRecorder recorder(m_manager.get());
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::FeatureThrottled));
    QCOMPARE(recorder.events,
             (QStringList {QStringLiteral("status:Connecting"), QStringLiteral("connecting"),
                           QStringLiteral("status:Connected"), QStringLiteral("connected"),
                           QStringLiteral("status:FeatureThrottled"),
                           QStringLiteral("throttled:typing")}));
}

void TestConnectionManager::staleSocketEventsChangeNothing()
{
    QVERIFY(initAndLogin(fastSettings().setHeartbeatInterval(10s).build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    // The old link hangs in a black hole, so its close completes only when it is aborted,
    // long after the new link is up.
    m_fixture.proxy()->setBlackHole(true);
    m_manager->disconnectFromServer();
    m_fixture.proxy()->setBlackHole(false);
    m_manager->connectToServer();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    SignalRecorder recorder(m_manager.get());
    QVERIFY(!QSignalSpy(m_manager.get(), &ConnectionManager::connectionStatusChanged).wait(1500));
    QCOMPARE(recorder.events, QStringList());
    bool answered = false;
    m_manager->ping([&answered] { answered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(answered, Soon);
}

void TestConnectionManager::listenerWithSameIdReplacesEarlier()
{
    RecordingListener first;
    RecordingListener second;
    m_manager->addConnectionListener(QStringLiteral("ui"), &first);
    m_manager->addConnectionListener(QStringLiteral("ui"), &second);
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QCOMPARE(first.events, QStringList());
    QCOMPARE(second.events,
             (QStringList {QStringLiteral("connecting"), QStringLiteral("connected")}));
}

void TestConnectionManager::listenerRemovedInCallbackIsNotCalled()
{
    RecordingListener remover;
    RecordingListener removed;
    m_manager->addConnectionListener(QStringLiteral("remover"), &remover);
    m_manager->addConnectionListener(QStringLiteral("removed"), &removed);
    remover.onEvent = [this](const QString &) {
        m_manager->removeConnectionListener(QStringLiteral("removed"));
    };
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QCOMPARE(removed.events, QStringList());
    QCOMPARE(remover.events,
             (QStringList {QStringLiteral("connecting"), QStringLiteral("connected")}));

    // Removing itself from inside its own callback stops its calls just as well.
    remover.onEvent = [this](const QString &) {
        m_manager->removeConnectionListener(QStringLiteral("remover"));
    };
    QVERIFY(reconnectAfterReset());
    QCOMPARE(remover.events.size(), 3); // connecting, connected, then the first of the loss
}

void TestConnectionManager::listenersFollowSignalOrder()
{
    SignalRecorder recorder(m_manager.get());
    RecordingListener listener;
    m_manager->addConnectionListener(QStringLiteral("a"), &listener);
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QVERIFY(serverCommand(QStringLiteral("throttle presence")));
    QVERIFY(waitForStatus(ConnectionStatus::FeatureThrottled));
    QVERIFY(reconnectAfterReset());
    QVERIFY(waitForStatus(ConnectionStatus::FeatureThrottled));
    m_manager->disconnectFromServer();
    QCOMPARE(listener.events, recorder.withoutStatus());
    QVERIFY(listener.events.size() >= 10);
}

void TestConnectionManager::managerDoesNotOwnListeners()
{
    auto listener = std::make_unique<RecordingListener>();
    m_manager->addConnectionListener(QStringLiteral("a"), listener.get());
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_manager.reset();
    // Still alive and usable after the manager is gone (a sanitizer build catches a double free).
    listener->onConnected();
    QCOMPARE(listener->events.last(), QStringLiteral("connected"));
    m_manager = std::make_unique<ConnectionManager>();
}

void TestConnectionManager::offlinePausesRetriesWithoutUsingAttempts()
{
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QVERIFY(waitForStatus(ConnectionStatus::Reconnecting));
    m_manager->setNetworkReachable(false);
    QSignalSpy connecting(m_manager.get(), &ConnectionManager::connecting);
    QVERIFY(!connecting.wait(Quiet)); // the 100 ms retry does not happen while offline
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Reconnecting);
    QCOMPARE(m_manager->reconnectAttempt(), 1);

    QSignalSpy reconnecting(m_manager.get(), &ConnectionManager::reconnecting);
    m_manager->setNetworkReachable(true);
    QCOMPARE(connecting.size(), 1); // at once
    QVERIFY(reconnecting.wait(Soon)); // refused again: attempt 1 was used only now
    QCOMPARE(reconnecting.first().at(0).toInt(), 2);
    QVERIFY(m_fixture.proxy()->accept());
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestConnectionManager::statusChangesAreLoggedWithCause()
{
    LogCapture logs;
    QVERIFY(initAndLogin(fastSettings().build()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QVERIFY(reconnectAfterReset());
    QStringList statusLines;
    for (const QString &line : logs.lines()) {
        if (line.startsWith(QLatin1String("lifeline.connection status")))
            statusLines.append(line);
    }
    const QStringList expected {
        QStringLiteral("Disconnected -> Connecting cause: login"),
        QStringLiteral("Connecting -> Connected cause: session accepted"),
        QStringLiteral("Connected -> Reconnecting cause: ERR_CONNECTION_LOST"),
        QStringLiteral("Reconnecting -> Connecting cause: reconnect attempt 1"),
        QStringLiteral("Connecting -> Connected cause: session accepted")};
    QCOMPARE(statusLines.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QVERIFY2(statusLines.at(i).contains(expected.at(i)), qPrintable(statusLines.at(i)));
}

void TestConnectionManager::garbageFromServerIsProtocolError_data()
{
    QTest::addColumn<QString>("reply");
    QTest::newRow("not JSON") << QStringLiteral("{oops");
    QTest::newRow("unknown type") << QStringLiteral(R"({"type":"surprise"})");
    QTest::newRow("welcome with wrong field types")
        << QStringLiteral(R"({"type":"welcome","version":"1","uid":5,"throttled":"x"})");
    QTest::newRow("pong before welcome") << QStringLiteral(R"({"type":"pong","id":1})");
}

void TestConnectionManager::garbageFromServerIsProtocolError()
{
    // A peer that is not a Lifeline server: it answers hello with the row's reply.
    QFETCH(QString, reply);
    QWebSocketServer hostile(QStringLiteral("hostile"), QWebSocketServer::NonSecureMode);
    QVERIFY(hostile.listen(QHostAddress::LocalHost, 0));
    QList<QWebSocket *> peers;
    connect(&hostile, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *peer = hostile.nextPendingConnection();
        peers.append(peer);
        connect(peer, &QWebSocket::textMessageReceived, peer,
                [peer, reply] { peer->sendTextMessage(reply); });
    });
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(hostile.serverPort());
    QVERIFY(initAndLogin(fastSettings().setServerUrl(url).build()));
    QSignalSpy reconnecting(m_manager.get(), &ConnectionManager::reconnecting);
    QVERIFY(reconnecting.wait(Soon));
    QCOMPARE(m_manager->lastError().code, QStringLiteral("ERR_PROTOCOL"));
    QVERIFY(!m_manager->lastError().details.isEmpty());
    m_manager.reset();
    qDeleteAll(peers);
    m_manager = std::make_unique<ConnectionManager>();
}

void TestConnectionManager::chatErrorCrossesQueuedConnections()
{
    QVERIFY(initAndLogin(fastSettings().setAutoEstablishSocketConnection(false).build()));
    ChatError received;
    connect(
        m_manager.get(), &ConnectionManager::connectionError, this,
        [&received](const ChatError &e) { received = e; }, Qt::QueuedConnection);
    m_fixture.proxy()->refuse();
    m_manager->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(received.code, QStringLiteral("ERR_CONNECTION_FAILED"), Soon);
    QVERIFY(!received.details.isEmpty());
}

QTEST_GUILESS_MAIN(TestConnectionManager)
#include "tst_connectionmanager.moc"
