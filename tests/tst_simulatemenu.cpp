// SimulateMenu against the real lifeline-server (through BundledServer) and a FaultProxy, with a
// ConnectionManager on the proxy: each action produces the fault it names, as the manager sees
// it, and is enabled only when it can take effect.
#include "bundledserver.h"
#include "clientserverfixture.h"
#include "faultproxy.h"
#include "serverwaits.h"
#include "simulatemenu.h"

#include <lifeline/connectionmanager.h>

#include <QAction>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <signal.h>

using lifeline::harness::BundledServer;

using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {

// Short timings, as in tst_connectionmanager: a dead link is noticed within 600 ms.
constexpr int HeartbeatMs = 300;
constexpr int HeartbeatTimeoutMs = 300;
constexpr int ConnectTimeoutMs = 1000;
// Generous bound for anything that should happen within about a second.
constexpr int Soon = 5000;
// How long BundledServer gives a stopping server before it kills it.
constexpr int KillAfterMs = 5000;

} // namespace

class TestSimulateMenu : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void stopAndStartServer();
    void stopAndRestartKeepTheEventLoopTurning();
    void freezeAndThaw();
    void kick();
    void throttleAndLift();
    void cutAndRestoreNetwork();
    void withoutServerEverythingIsDisabled();
    void withoutProxyNetworkActionsAreDisabled();

private:
    bool connectManager();
    bool waitForStatus(ConnectionStatus status, int timeout = Soon);
    QStringList enabledActions() const;

    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<SimulateMenu> m_menu;
};

void TestSimulateMenu::initTestCase()
{
    qRegisterMetaType<ChatError>();
}

void TestSimulateMenu::init()
{
    QVERIFY(m_fixture.start());
    m_menu = std::make_unique<SimulateMenu>(m_fixture.server(), m_fixture.proxy());
}

void TestSimulateMenu::cleanup()
{
    m_menu.reset();
    m_fixture.stop();
}

bool TestSimulateMenu::connectManager()
{
    const AppSettings settings
        = AppSettingsBuilder()
              .setServerUrl(m_fixture.proxyUrl())
              .setDataDirectory(m_fixture.filePath(QStringLiteral("client")))
              .setHeartbeatInterval(std::chrono::milliseconds(HeartbeatMs))
              .setHeartbeatTimeout(std::chrono::milliseconds(HeartbeatTimeoutMs))
              .setConnectTimeout(std::chrono::milliseconds(ConnectTimeoutMs))
              .setReconnectDelay(100ms, 400ms)
              .setReconnectJitter(0.0)
              .setMaxReconnectAttempts(0) // the server may be down a while
              .build();
    bool ok = false;
    const auto fail = [](const ChatError &e) { qWarning() << "failed" << e; };
    m_fixture.manager()->init(
        QStringLiteral("lifeline-test"), settings, [&ok](const QString &) { ok = true; }, fail);
    if (!ok)
        return false;
    ok = false;
    m_fixture.manager()->login(
        QStringLiteral("alice"), QStringLiteral("dev-token"), [&ok](const QString &) { ok = true; },
        fail);
    return ok && waitForStatus(ConnectionStatus::Connected);
}

bool TestSimulateMenu::waitForStatus(ConnectionStatus status, int timeout)
{
    if (m_fixture.manager()->connectionStatus() == status)
        return true;
    QSignalSpy changes(m_fixture.manager(), &ConnectionManager::connectionStatusChanged);
    QDeadlineTimer deadline(timeout);
    while (m_fixture.manager()->connectionStatus() != status && !deadline.hasExpired())
        changes.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    if (m_fixture.manager()->connectionStatus() != status)
        qWarning() << "expected" << status << "got" << m_fixture.manager()->connectionStatus();
    return m_fixture.manager()->connectionStatus() == status;
}

QStringList TestSimulateMenu::enabledActions() const
{
    QStringList names;
    const QList<QAction *> actions = m_menu->simulationActions();
    for (QAction *action : actions) {
        if (action->isEnabled())
            names.append(action->text());
    }
    return names;
}

void TestSimulateMenu::stopAndStartServer()
{
    QVERIFY(connectManager());
    QVERIFY(m_menu->stopServerAction()->isEnabled());
    QVERIFY(!m_menu->startServerAction()->isEnabled());
    QSignalSpy simulated(m_menu.get(), &SimulateMenu::simulated);

    m_menu->stopServerAction()->trigger();
    QVERIFY(waitForStatus(ConnectionStatus::Reconnecting));
    QVERIFY(!m_fixture.server()->isRunning());
    QCOMPARE(simulated.size(), 1);
    QCOMPARE(enabledActions(),
             QStringList({QStringLiteral("Start server"), QStringLiteral("Cut network")}));

    m_menu->startServerAction()->trigger();
    QVERIFY(lifeline::testkit::waitForStarted(*m_fixture.server()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QVERIFY(m_menu->stopServerAction()->isEnabled());
    QVERIFY(!m_menu->startServerAction()->isEnabled());
}

void TestSimulateMenu::stopAndRestartKeepTheEventLoopTurning()
{
    QVERIFY(connectManager());
    // Stopped behind BundledServer's back, the server cannot act on SIGTERM until the kill
    // timer SIGKILLs it, as a server hung in its shutdown: a stop that waited for the child
    // would freeze the window all that time.
    QCOMPARE(::kill(static_cast<pid_t>(m_fixture.server()->processId()), SIGSTOP), 0);
    QElapsedTimer sinceTick;
    qint64 longestGapMs = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this,
            [&] { longestGapMs = std::max(longestGapMs, sinceTick.restart()); });
    QSignalSpy stopped(m_fixture.server(), &BundledServer::stopped);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("did not exit within")));
    sinceTick.start();
    ticker.start();

    m_menu->stopServerAction()->trigger();
    QVERIFY(m_menu->startServerAction()->isEnabled());
    m_menu->startServerAction()->trigger();
    QVERIFY(stopped.wait(3 * KillAfterMs));
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::CrashExit);
    QVERIFY(lifeline::testkit::waitForStarted(*m_fixture.server()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    ticker.stop();
    QVERIFY2(longestGapMs < KillAfterMs / 2,
             qPrintable(QStringLiteral("the event loop stood still for %1 ms").arg(longestGapMs)));
}

void TestSimulateMenu::freezeAndThaw()
{
    QVERIFY(connectManager());
    QSignalSpy errors(m_fixture.manager(), &ConnectionManager::connectionError);

    m_menu->freezeServerAction()->trigger();
    QVERIFY(m_fixture.server()->isFrozen());
    QVERIFY(errors.wait(Soon));
    QCOMPARE(errors.first().at(0).value<ChatError>().code, QStringLiteral("ERR_HEARTBEAT_TIMEOUT"));
    // A frozen server reads no commands; only thawing or stopping it makes sense.
    QCOMPARE(enabledActions(),
             QStringList({QStringLiteral("Stop server"), QStringLiteral("Thaw server"),
                          QStringLiteral("Cut network")}));

    m_menu->thawServerAction()->trigger();
    QVERIFY(!m_fixture.server()->isFrozen());
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QVERIFY(m_menu->freezeServerAction()->isEnabled());
    QVERIFY(!m_menu->thawServerAction()->isEnabled());
}

void TestSimulateMenu::kick()
{
    QVERIFY(connectManager());
    QSignalSpy reconnecting(m_fixture.manager(), &ConnectionManager::reconnecting);
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);

    m_menu->kickAction()->trigger();
    QVERIFY(reconnecting.wait(Soon));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, Soon);
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected);
}

void TestSimulateMenu::throttleAndLift()
{
    QVERIFY(connectManager());
    QVERIFY(m_menu->throttleAction()->isEnabled());
    QVERIFY(!m_menu->unthrottleAction()->isEnabled());

    m_menu->throttleAction()->trigger();
    QVERIFY(waitForStatus(ConnectionStatus::FeatureThrottled));
    QVERIFY(m_fixture.manager()->throttledFeatures().contains(QStringLiteral("typing")));
    QVERIFY(m_fixture.manager()->throttledFeatures().contains(QStringLiteral("presence")));
    QVERIFY(lifeline::testkit::waitForCommand(*m_fixture.server()));
    QVERIFY(!m_menu->throttleAction()->isEnabled());
    QVERIFY(m_menu->unthrottleAction()->isEnabled());

    m_menu->unthrottleAction()->trigger();
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QVERIFY(lifeline::testkit::waitForCommand(*m_fixture.server()));
    QVERIFY(m_menu->throttleAction()->isEnabled());
    QVERIFY(!m_menu->unthrottleAction()->isEnabled());
}

void TestSimulateMenu::cutAndRestoreNetwork()
{
    QVERIFY(connectManager());
    QSignalSpy errors(m_fixture.manager(), &ConnectionManager::connectionError);
    QSignalSpy simulated(m_menu.get(), &SimulateMenu::simulated);

    m_menu->cutNetworkAction()->trigger();
    QVERIFY(m_fixture.proxy()->isBlackHole());
    QCOMPARE(simulated.size(), 1);
    QVERIFY(!m_menu->cutNetworkAction()->isEnabled());
    QVERIFY(m_menu->restoreNetworkAction()->isEnabled());
    QVERIFY(errors.wait(Soon));
    QCOMPARE(errors.first().at(0).value<ChatError>().code, QStringLiteral("ERR_HEARTBEAT_TIMEOUT"));
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Reconnecting);

    m_menu->restoreNetworkAction()->trigger();
    QVERIFY(!m_fixture.proxy()->isBlackHole());
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QVERIFY(m_menu->cutNetworkAction()->isEnabled());
    QVERIFY(!m_menu->restoreNetworkAction()->isEnabled());
}

void TestSimulateMenu::withoutServerEverythingIsDisabled()
{
    SimulateMenu menu(nullptr, nullptr);
    QSignalSpy simulated(&menu, &SimulateMenu::simulated);
    const QList<QAction *> actions = menu.simulationActions();
    QCOMPARE(actions.size(), 9);
    for (QAction *action : actions) {
        QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
        QVERIFY2(action->toolTip().contains(QLatin1String("--server")),
                 qPrintable(action->toolTip()));
        action->trigger(); // a disabled action does nothing
    }
    QCOMPARE(simulated.size(), 0);
    QVERIFY(menu.toolTipsVisible());
}

void TestSimulateMenu::withoutProxyNetworkActionsAreDisabled()
{
    SimulateMenu menu(m_fixture.server(), nullptr);
    QVERIFY(menu.stopServerAction()->isEnabled());
    QVERIFY(!menu.cutNetworkAction()->isEnabled());
    QVERIFY(!menu.restoreNetworkAction()->isEnabled());
    QVERIFY(menu.cutNetworkAction()->toolTip().contains(QLatin1String("proxy")));
}

QTEST_MAIN(TestSimulateMenu)
#include "tst_simulatemenu.moc"
