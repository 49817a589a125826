// AppStateController driving a real ConnectionManager against the real lifeline-server: the
// application state it reports must open and close the real link.
#include "appstatecontroller.h"
#include "clientserverfixture.h"
#include "testsetup.h"

#include <lifeline/connectionmanager.h>

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
} // namespace

class TestAppStateController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void autoModeInactiveDisconnectsActiveReconnects_data();
    void autoModeInactiveDisconnectsActiveReconnects();
    void simulateBackgroundOverridesRealState();
    void manualModeCountsDownThenCloses();
    void keepAliveHoldsBackgroundLinkPastGrace();

private:
    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<AppStateController> m_controller;
};

void TestAppStateController::init()
{
    QVERIFY(m_fixture.start());
    m_controller = std::make_unique<AppStateController>(m_fixture.manager());
}

void TestAppStateController::cleanup()
{
    m_controller.reset();
    m_fixture.stop();
}

void TestAppStateController::autoModeInactiveDisconnectsActiveReconnects_data()
{
    QTest::addColumn<Qt::ApplicationState>("away");
    QTest::newRow("inactive") << Qt::ApplicationInactive;
    QTest::newRow("hidden") << Qt::ApplicationHidden;
    QTest::newRow("suspended") << Qt::ApplicationSuspended;
}

void TestAppStateController::autoModeInactiveDisconnectsActiveReconnects()
{
    QFETCH(Qt::ApplicationState, away);
    QCOMPARE(m_controller->statusText(), QStringLiteral("Foreground"));
    QVERIFY(m_fixture.initAndLogin(m_fixture.fastSettings().build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);

    QSignalSpy texts(m_controller.get(), &AppStateController::statusTextChanged);
    m_controller->applyApplicationState(away);
    QCOMPARE(m_fixture.manager()->appState(), AppState::Background);
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Disconnected);
    QCOMPARE(m_fixture.manager()->disconnectReason(), DisconnectReason::Background);
    QCOMPARE(m_controller->statusText(), QStringLiteral("Background"));
    QCOMPARE(texts.size(), 1);

    m_controller->applyApplicationState(Qt::ApplicationActive);
    QCOMPARE(m_fixture.manager()->appState(), AppState::Foreground);
    QCOMPARE(m_controller->statusText(), QStringLiteral("Foreground"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);
}

void TestAppStateController::simulateBackgroundOverridesRealState()
{
    QVERIFY(m_fixture.initAndLogin(m_fixture.fastSettings().build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);

    m_controller->setSimulateBackground(true);
    QVERIFY(m_controller->simulateBackground());
    QCOMPARE(m_fixture.manager()->appState(), AppState::Background);
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Disconnected);
    // The window becoming active does not end a simulated background.
    m_controller->applyApplicationState(Qt::ApplicationActive);
    QCOMPARE(m_fixture.manager()->appState(), AppState::Background);
    QCOMPARE(m_controller->statusText(), QStringLiteral("Background"));

    m_controller->setSimulateBackground(false);
    QCOMPARE(m_fixture.manager()->appState(), AppState::Foreground);
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);

    // Off again returns to the real state, which may be background as well.
    m_controller->setSimulateBackground(true);
    m_controller->applyApplicationState(Qt::ApplicationInactive);
    m_controller->setSimulateBackground(false);
    QCOMPARE(m_fixture.manager()->appState(), AppState::Background);
}

void TestAppStateController::manualModeCountsDownThenCloses()
{
    QVERIFY(m_fixture.initAndLogin(m_fixture.fastSettings()
                                       .setAutoEstablishSocketConnection(false)
                                       .setBackgroundGrace(2500ms)
                                       .build()));
    m_fixture.manager()->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);

    QSignalSpy texts(m_controller.get(), &AppStateController::statusTextChanged);
    QSignalSpy disconnected(m_fixture.manager(), &ConnectionManager::disconnected);
    m_controller->applyApplicationState(Qt::ApplicationHidden);
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected);
    QCOMPARE(m_controller->statusText(), QStringLiteral("Background: closing in 3 s"));
    QVERIFY(texts.wait(1500));
    QCOMPARE(m_controller->statusText(), QStringLiteral("Background: closing in 2 s"));
    QVERIFY(texts.wait(1500));
    QCOMPARE(m_controller->statusText(), QStringLiteral("Background: closing in 1 s"));
    QVERIFY(disconnected.wait(Soon));
    QCOMPARE(m_fixture.manager()->disconnectReason(), DisconnectReason::Background);
    QCOMPARE(m_controller->statusText(), QStringLiteral("Background"));
}

void TestAppStateController::keepAliveHoldsBackgroundLinkPastGrace()
{
    QVERIFY(m_fixture.initAndLogin(
        m_fixture.fastSettings().setAutoEstablishSocketConnection(false).build()));
    m_fixture.manager()->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);

    m_controller->setKeepAlive(true, 150); // well inside the 600 ms grace
    QSignalSpy pinged(m_controller.get(), &AppStateController::keepAlivePinged);
    QSignalSpy disconnected(m_fixture.manager(), &ConnectionManager::disconnected);
    m_controller->applyApplicationState(Qt::ApplicationInactive);
    // Bounded check that the link does not close: three grace periods pass.
    QVERIFY(!disconnected.wait(1800));
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected);
    QVERIFY2(pinged.size() >= 5, qPrintable(QStringLiteral("%1 pings").arg(pinged.size())));
    for (const QList<QVariant> &ping : std::as_const(pinged))
        QVERIFY2(ping.at(0).toBool(), qPrintable(ping.at(1).toString()));

    m_controller->setKeepAlive(false);
    QVERIFY(disconnected.wait(Soon));
    QCOMPARE(m_fixture.manager()->disconnectReason(), DisconnectReason::Background);
}

QTEST_MAIN(TestAppStateController)
#include "tst_appstatecontroller.moc"
