// ConnectionManager called back from inside itself: each public call made from inside each of
// its signals and each ConnectionListener method, and the manager deleted from inside each,
// against the real lifeline-server through a fault proxy. Nothing may crash (the sanitizer build
// runs this too), the call's change must apply at once, and no signal or listener call may
// describe a state that is no longer current.
#include "bundledserver.h"
#include "faultproxy.h"
#include "serverwaits.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>

#include <QElapsedTimer>
#include <QMetaEnum>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using lifeline::harness::BundledServer;
using lifeline::harness::FaultProxy;

using namespace std::chrono_literals;
using namespace lifeline;

namespace {

enum class Hook {
    StatusChanged,
    Connecting,
    Connected,
    Disconnected,
    Reconnecting,
    FeatureThrottled,
    ConnectionError,
    DisconnectReasonChanged,
    HeartbeatAcknowledged,
    AppStateChanged,
    LoggedInUserChanged,
    OnConnecting,
    OnConnected,
    OnDisconnected,
    OnReconnecting,
    OnFeatureThrottled,
    OnConnectionError,
};

enum class Call {
    Init,
    Login,
    LoginAsAnotherUser,
    Logout,
    ConnectToServer,
    DisconnectFromServer,
    Ping,
    Background,
    Foreground,
    Offline,
    RemoveListener,
    Delete,
};

const std::pair<Hook, const char *> hooks[] = {
    {Hook::StatusChanged, "connectionStatusChanged"},
    {Hook::Connecting, "connecting"},
    {Hook::Connected, "connected"},
    {Hook::Disconnected, "disconnected"},
    {Hook::Reconnecting, "reconnecting"},
    {Hook::FeatureThrottled, "featureThrottled"},
    {Hook::ConnectionError, "connectionError"},
    {Hook::DisconnectReasonChanged, "disconnectReasonChanged"},
    {Hook::HeartbeatAcknowledged, "heartbeatAcknowledged"},
    {Hook::AppStateChanged, "appStateChanged"},
    {Hook::LoggedInUserChanged, "loggedInUserChanged"},
    {Hook::OnConnecting, "onConnecting"},
    {Hook::OnConnected, "onConnected"},
    {Hook::OnDisconnected, "onDisconnected"},
    {Hook::OnReconnecting, "onReconnecting"},
    {Hook::OnFeatureThrottled, "onFeatureThrottled"},
    {Hook::OnConnectionError, "onConnectionError"},
};

const std::pair<Call, const char *> calls[] = {
    {Call::Init, "init"},
    {Call::Login, "login"},
    {Call::LoginAsAnotherUser, "login as another user"},
    {Call::Logout, "logout"},
    {Call::ConnectToServer, "connectToServer"},
    {Call::DisconnectFromServer, "disconnectFromServer"},
    {Call::Ping, "ping"},
    {Call::Background, "setAppState(Background)"},
    {Call::Foreground, "setAppState(Foreground)"},
    {Call::Offline, "setNetworkReachable(false)"},
    {Call::RemoveListener, "removeConnectionListener"},
    {Call::Delete, "delete"},
};

} // namespace

Q_DECLARE_METATYPE(Hook)
Q_DECLARE_METATYPE(Call)

namespace {

template<typename Enum> QString keyOf(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

// Checks, as each signal and listener call arrives, that it describes the manager as it is at
// that moment: a notification of a change a slot has superseded would not.
class Witness : public QObject, public ConnectionListener
{
public:
    explicit Witness(ConnectionManager *manager)
        : m_manager(manager)
    {
        connect(manager, &ConnectionManager::connectionStatusChanged, this,
                [this](ConnectionStatus status) {
                    // Connected comes before FeatureThrottled when the server throttles from the
                    // start; the state is FeatureThrottled already.
                    const ConnectionStatus now = m_manager->connectionStatus();
                    expect(now == status
                               || (status == ConnectionStatus::Connected
                                   && now == ConnectionStatus::FeatureThrottled),
                           QStringLiteral("connectionStatusChanged(%1)").arg(keyOf(status)));
                    lastStatus = status;
                });
        connect(manager, &ConnectionManager::connecting, this, [this] { onConnecting(); });
        connect(manager, &ConnectionManager::connected, this, [this] { onConnected(); });
        connect(manager, &ConnectionManager::disconnected, this, [this] { onDisconnected(); });
        connect(manager, &ConnectionManager::reconnecting, this,
                [this](int attempt, int delayMs) { onReconnecting(attempt, delayMs); });
        connect(manager, &ConnectionManager::featureThrottled, this,
                [this](const QStringList &features) { onFeatureThrottled(features); });
        connect(manager, &ConnectionManager::connectionError, this,
                [this](const ChatError &error) { onConnectionError(error); });
        connect(manager, &ConnectionManager::disconnectReasonChanged, this,
                [this](DisconnectReason reason) {
                    expect(m_manager->disconnectReason() == reason,
                           QStringLiteral("disconnectReasonChanged(%1)").arg(keyOf(reason)));
                });
        connect(manager, &ConnectionManager::heartbeatAcknowledged, this,
                [this] { expect(isUp(), QStringLiteral("heartbeatAcknowledged")); });
        connect(manager, &ConnectionManager::appStateChanged, this, [this](AppState state) {
            expect(m_manager->appState() == state,
                   QStringLiteral("appStateChanged(%1)").arg(keyOf(state)));
        });
        connect(manager, &ConnectionManager::loggedInUserChanged, this, [this](const QString &uid) {
            expect(m_manager->loggedInUser() == uid,
                   QStringLiteral("loggedInUserChanged(%1)").arg(uid));
        });
    }

    void onConnecting() override
    {
        expect(status() == ConnectionStatus::Connecting, QStringLiteral("connecting"));
    }
    void onConnected() override { expect(isUp(), QStringLiteral("connected")); }
    void onDisconnected() override
    {
        expect(status() == ConnectionStatus::Disconnected
                   || status() == ConnectionStatus::Reconnecting,
               QStringLiteral("disconnected"));
    }
    void onReconnecting(int attempt, int delayMs) override
    {
        expect(status() == ConnectionStatus::Reconnecting
                   && m_manager->reconnectAttempt() == attempt,
               QStringLiteral("reconnecting(%1, %2)").arg(attempt).arg(delayMs));
    }
    void onFeatureThrottled(const QStringList &features) override
    {
        expect(isUp() && m_manager->throttledFeatures() == features,
               QStringLiteral("featureThrottled(%1)").arg(features.join(QLatin1Char(','))));
    }
    void onConnectionError(const ChatError &error) override
    {
        expect(m_manager->lastError() == error,
               QStringLiteral("connectionError(%1)").arg(error.code));
    }

    QStringList stale;
    // What the app believes the status is: Disconnected before it heard anything.
    ConnectionStatus lastStatus = ConnectionStatus::Disconnected;

private:
    ConnectionStatus status() const { return m_manager->connectionStatus(); }
    bool isUp() const
    {
        return status() == ConnectionStatus::Connected
            || status() == ConnectionStatus::FeatureThrottled;
    }
    void expect(bool holds, const QString &what)
    {
        if (!holds)
            stale.append(QStringLiteral("%1 while the manager is %2")
                             .arg(what, keyOf(m_manager->connectionStatus())));
    }

    ConnectionManager *m_manager;
};

// The listener that makes the call, from the listener method of the hook.
class ReactingListener : public ConnectionListener
{
public:
    std::function<void(Hook)> react;

    void onConnecting() override { react(Hook::OnConnecting); }
    void onConnected() override { react(Hook::OnConnected); }
    void onDisconnected() override { react(Hook::OnDisconnected); }
    void onReconnecting(int, int) override { react(Hook::OnReconnecting); }
    void onFeatureThrottled(const QStringList &) override { react(Hook::OnFeatureThrottled); }
    void onConnectionError(const ChatError &) override { react(Hook::OnConnectionError); }
};

} // namespace

class TestConnectionReentrancy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void callFromInside_data();
    void callFromInside();

private:
    AppSettings settings() const;
    // Runs the manager through every hook: connect, heartbeat, throttling, a lost link and the
    // reconnect, background and foreground, disconnect. Each step waits only while the manager
    // is still there and still heading where the step expects.
    void driveThroughEveryHook();
    // Waits until the manager is gone or rests: up, stopped, or waiting offline.
    bool settle();
    // Makes `call`, then checks that its change applied at once.
    void make(Call call);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundledServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<ConnectionManager> m_manager;
    std::unique_ptr<Witness> m_witness;
    ReactingListener m_reactor;
    QStringList m_immediate;
};

void TestConnectionReentrancy::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = testkit::startServer(m_dir->filePath(QStringLiteral("server")));
    QVERIFY(m_server);
}

void TestConnectionReentrancy::cleanupTestCase()
{
    m_server.reset();
    m_dir.reset();
}

void TestConnectionReentrancy::init()
{
    m_proxy = std::make_unique<FaultProxy>();
    QVERIFY(m_proxy->start(m_server->url()));
    m_manager = std::make_unique<ConnectionManager>();
    m_witness = std::make_unique<Witness>(m_manager.get());
    m_immediate.clear();
}

void TestConnectionReentrancy::cleanup()
{
    m_reactor.react = [](Hook) {};
    m_manager.reset();
    m_witness.reset();
    m_proxy.reset();
    m_server->sendCommand(QStringLiteral("unthrottle"));
    QVERIFY(testkit::waitForCommand(*m_server, testkit::Soon));
}

AppSettings TestConnectionReentrancy::settings() const
{
    // A directory of its own for each row: its session is the row's alone.
    const QByteArray row = QByteArray(QTest::currentDataTag()).toHex();
    const QString dataDir = m_dir->filePath(QStringLiteral("client-") + QString::fromLatin1(row));
    return testkit::fastSettings(m_proxy->url(), dataDir)
        .setHeartbeatInterval(100ms)
        .setHeartbeatTimeout(1s)
        .build();
}

void TestConnectionReentrancy::callFromInside_data()
{
    QTest::addColumn<Hook>("hook");
    QTest::addColumn<Call>("call");
    for (const auto &[hook, hookName] : hooks) {
        for (const auto &[call, callName] : calls)
            QTest::addRow("%s from %s", callName, hookName) << hook << call;
    }
}

void TestConnectionReentrancy::callFromInside()
{
    QFETCH(Hook, hook);
    QFETCH(Call, call);
    // The witness hears each signal before the call is made from it, and each listener method:
    // it is connected, and added as a listener, before the reacting slot and listener.
    m_manager->addConnectionListener(QStringLiteral("a-witness"), m_witness.get());
    bool reacted = false;
    m_reactor.react = [&](Hook fired) {
        if (fired != hook || reacted)
            return;
        reacted = true;
        make(call);
    };
    m_manager->addConnectionListener(QStringLiteral("b-reactor"), &m_reactor);
    ConnectionManager *manager = m_manager.get();
    const auto onSignal = [this](Hook fired) { return [this, fired] { m_reactor.react(fired); }; };
    connect(manager, &ConnectionManager::connectionStatusChanged, this,
            onSignal(Hook::StatusChanged));
    connect(manager, &ConnectionManager::connecting, this, onSignal(Hook::Connecting));
    connect(manager, &ConnectionManager::connected, this, onSignal(Hook::Connected));
    connect(manager, &ConnectionManager::disconnected, this, onSignal(Hook::Disconnected));
    connect(manager, &ConnectionManager::reconnecting, this, onSignal(Hook::Reconnecting));
    connect(manager, &ConnectionManager::featureThrottled, this, onSignal(Hook::FeatureThrottled));
    connect(manager, &ConnectionManager::connectionError, this, onSignal(Hook::ConnectionError));
    connect(manager, &ConnectionManager::disconnectReasonChanged, this,
            onSignal(Hook::DisconnectReasonChanged));
    connect(manager, &ConnectionManager::heartbeatAcknowledged, this,
            onSignal(Hook::HeartbeatAcknowledged));
    connect(manager, &ConnectionManager::appStateChanged, this, onSignal(Hook::AppStateChanged));
    connect(manager, &ConnectionManager::loggedInUserChanged, this,
            onSignal(Hook::LoggedInUserChanged));

    driveThroughEveryHook();

    QVERIFY2(reacted, "the hook never fired");
    QVERIFY2(m_immediate.isEmpty(), qPrintable(m_immediate.join(QLatin1Char('\n'))));
    QVERIFY2(m_witness->stale.isEmpty(), qPrintable(m_witness->stale.join(QLatin1Char('\n'))));
    if (call == Call::Delete) {
        QVERIFY(!m_manager);
        return;
    }
    QVERIFY(settle());
    // The app was told the state it is in.
    QCOMPARE(m_witness->lastStatus, m_manager->connectionStatus());
    QVERIFY2(m_witness->stale.isEmpty(), qPrintable(m_witness->stale.join(QLatin1Char('\n'))));
}

void TestConnectionReentrancy::make(Call call)
{
    ConnectionManager *manager = m_manager.get();
    const auto expect = [this, manager](bool holds, const char *what) {
        if (!holds)
            m_immediate.append(
                QStringLiteral("right after the call: %1, but the manager is %2 (%3)")
                    .arg(QLatin1String(what), keyOf(manager->connectionStatus()),
                         keyOf(manager->disconnectReason())));
    };
    switch (call) {
    case Call::Init:
        manager->init(QStringLiteral("lifeline-test"), settings());
        expect(manager->connectionStatus() == ConnectionStatus::Connecting
                   || manager->appState() == AppState::Background,
               "init() with the saved session connects in auto mode, in foreground");
        break;
    case Call::Login:
        manager->login(QStringLiteral("alice"), QStringLiteral("secret-token"));
        expect(manager->connectionStatus() != ConnectionStatus::Disconnected
                   || manager->appState() == AppState::Background,
               "login() connects in auto mode in foreground");
        break;
    case Call::LoginAsAnotherUser:
        manager->login(QStringLiteral("bob"), QStringLiteral("secret-token"));
        expect(manager->loggedInUser() == QLatin1String("bob"), "login() as bob");
        break;
    case Call::Logout:
        manager->logout();
        expect(manager->connectionStatus() == ConnectionStatus::Disconnected
                   && manager->disconnectReason() == DisconnectReason::LoggedOut
                   && manager->loggedInUser().isEmpty(),
               "logout() stops at once");
        break;
    case Call::ConnectToServer:
        manager->connectToServer();
        expect((manager->connectionStatus() != ConnectionStatus::Disconnected
                && manager->connectionStatus() != ConnectionStatus::Reconnecting)
                   || manager->appState() == AppState::Background,
               "connectToServer() connects now, unless in background");
        break;
    case Call::DisconnectFromServer:
        manager->disconnectFromServer();
        expect(manager->connectionStatus() == ConnectionStatus::Disconnected
                   && manager->disconnectReason() == DisconnectReason::UserDisconnected,
               "disconnectFromServer() stops at once");
        break;
    case Call::Ping:
        manager->ping();
        break;
    case Call::Background:
        manager->setAppState(AppState::Background);
        expect(manager->connectionStatus() == ConnectionStatus::Disconnected,
               "background in auto mode stops at once");
        break;
    case Call::Foreground:
        manager->setAppState(AppState::Foreground);
        expect(manager->appState() == AppState::Foreground, "foreground");
        break;
    case Call::Offline:
        manager->setNetworkReachable(false);
        expect(!manager->isNetworkReachable(), "offline");
        break;
    case Call::RemoveListener:
        manager->removeConnectionListener(QStringLiteral("b-reactor"));
        break;
    case Call::Delete:
        m_manager.reset();
        break;
    }
}

bool TestConnectionReentrancy::settle()
{
    return testkit::waitFor(
        [this] {
            if (!m_manager)
                return true;
            switch (m_manager->connectionStatus()) {
            case ConnectionStatus::Connected:
            case ConnectionStatus::FeatureThrottled:
            case ConnectionStatus::Disconnected:
                return true;
            case ConnectionStatus::Reconnecting:
                return !m_manager->isNetworkReachable();
            case ConnectionStatus::Connecting:
                return false;
            }
            return false;
        },
        testkit::Soon, "the manager to rest");
}

void TestConnectionReentrancy::driveThroughEveryHook()
{
    const auto up = [this] {
        return m_manager
            && (m_manager->connectionStatus() == ConnectionStatus::Connected
                || m_manager->connectionStatus() == ConnectionStatus::FeatureThrottled);
    };
    const auto serverCommand = [this](const QString &command) {
        m_server->sendCommand(command);
        return testkit::waitForCommand(*m_server, testkit::Soon);
    };
    // Counted here, not with a QSignalSpy: the manager may be deleted on the way.
    int heartbeats = 0;
    int throttlings = 0;
    int losses = 0;
    connect(m_manager.get(), &ConnectionManager::heartbeatAcknowledged, this,
            [&heartbeats] { ++heartbeats; });
    connect(m_manager.get(), &ConnectionManager::featureThrottled, this,
            [&throttlings] { ++throttlings; });
    connect(m_manager.get(), &ConnectionManager::disconnected, this, [&losses] { ++losses; });

    QVERIFY(testkit::initAndLogin(*m_manager, settings()));
    QVERIFY(settle());
    if (up())
        QVERIFY(testkit::waitFor([&] { return !up() || heartbeats > 0; }, testkit::Soon,
                                 "a heartbeat"));
    if (up()) {
        QVERIFY(serverCommand(QStringLiteral("throttle typing")));
        QVERIFY(testkit::waitFor([&] { return !up() || throttlings > 0; }, testkit::Soon,
                                 "throttling"));
        QVERIFY(serverCommand(QStringLiteral("unthrottle")));
        QVERIFY(settle());
    }
    if (up()) {
        const int before = losses;
        m_proxy->resetAll();
        QVERIFY(testkit::waitFor([&] { return !m_manager || losses > before; }, testkit::Soon,
                                 "the lost link"));
        QVERIFY(settle());
    }
    if (m_manager) {
        m_manager->setAppState(AppState::Background);
        QVERIFY(settle());
    }
    if (m_manager) {
        m_manager->setAppState(AppState::Foreground);
        QVERIFY(settle());
    }
    if (m_manager && m_manager->isInitialized() && !m_manager->loggedInUser().isEmpty())
        m_manager->disconnectFromServer();
}

QTEST_GUILESS_MAIN(TestConnectionReentrancy)
#include "tst_connectionreentrancy.moc"
