// TrayNotifier watching a real ConnectionManager lose and regain the real lifeline-server.
// Offscreen has no tray: the notices are checked through noticeShown().
#include "bundledserver.h"
#include "faultproxy.h"
#include "testsupport.h"
#include "traynotifier.h"

#include <lifeline/connectionmanager.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using lifeline::harness::BundledServer;
using lifeline::harness::FaultProxy;

using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
constexpr int NoticeDelayMs = 300;
} // namespace

class TestTrayNotifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void longOutageNoticedThenBack();
    void shortOutageSaysNothing();
    void userDisconnectSaysNothing();

private:
    bool initAndLogin(std::chrono::milliseconds reconnectDelay);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundledServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<ConnectionManager> m_manager;
    std::unique_ptr<TrayNotifier> m_notifier;
};

void TestTrayNotifier::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = testkit::startServer(m_dir->filePath(QStringLiteral("server")));
    QVERIFY(m_server);
    m_proxy = std::make_unique<FaultProxy>();
    QVERIFY(m_proxy->start(m_server->url()));
    m_manager = std::make_unique<ConnectionManager>();
    m_notifier = std::make_unique<TrayNotifier>(m_manager.get());
    m_notifier->setDownNoticeDelay(NoticeDelayMs);
}

void TestTrayNotifier::cleanup()
{
    m_notifier.reset();
    m_manager.reset();
    m_proxy.reset();
    m_server.reset();
    m_dir.reset();
}

bool TestTrayNotifier::initAndLogin(std::chrono::milliseconds reconnectDelay)
{
    AppSettingsBuilder builder
        = testkit::fastSettings(m_proxy->url(), m_dir->filePath(QStringLiteral("client")));
    builder.setReconnectDelay(reconnectDelay, reconnectDelay).setMaxReconnectAttempts(0);
    QSignalSpy connected(m_manager.get(), &ConnectionManager::connected);
    return testkit::initAndLogin(*m_manager, builder.build()) && connected.wait(Soon);
}

void TestTrayNotifier::longOutageNoticedThenBack()
{
    QVERIFY(initAndLogin(100ms));
    QSignalSpy notices(m_notifier.get(), &TrayNotifier::noticeShown);
    QElapsedTimer clock;
    clock.start();
    m_proxy->refuse();
    m_proxy->resetAll();
    QVERIFY(notices.wait(Soon));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= NoticeDelayMs - 20,
             qPrintable(QStringLiteral("noticed after %1 ms; the delay is %2 ms")
                            .arg(elapsed)
                            .arg(NoticeDelayMs)));
    QCOMPARE(notices.size(), 1);
    QCOMPARE(notices.first().at(0).toString(), QStringLiteral("Lifeline"));
    QCOMPARE(notices.first().at(1).toString(),
             QStringLiteral("Connection lost — Lifeline keeps trying"));
    QVERIFY(m_notifier->isDownNoticeShown());

    QVERIFY(m_proxy->accept());
    QVERIFY(notices.wait(Soon));
    QCOMPARE(notices.size(), 2);
    QCOMPARE(notices.last().at(1).toString(), QStringLiteral("Connection is back"));
    QVERIFY(!m_notifier->isDownNoticeShown());
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connected);
}

void TestTrayNotifier::shortOutageSaysNothing()
{
    QVERIFY(initAndLogin(20ms));
    QSignalSpy notices(m_notifier.get(), &TrayNotifier::noticeShown);
    QSignalSpy connected(m_manager.get(), &ConnectionManager::connected);
    QElapsedTimer clock;
    clock.start();
    m_proxy->resetAll();
    QVERIFY(connected.wait(Soon));
    const qint64 outage = clock.elapsed();
    if (outage >= NoticeDelayMs - 50)
        QSKIP(qPrintable(QStringLiteral("the reconnect took %1 ms; too slow a machine to stay "
                                        "under the %2 ms notice delay")
                             .arg(outage)
                             .arg(NoticeDelayMs)));
    // Bounded check that no notice follows once the delay has passed.
    QVERIFY(!notices.wait(2 * NoticeDelayMs));
    QVERIFY(!m_notifier->isDownNoticeShown());
}

void TestTrayNotifier::userDisconnectSaysNothing()
{
    QVERIFY(initAndLogin(100ms));
    QSignalSpy notices(m_notifier.get(), &TrayNotifier::noticeShown);
    // Lifeline does not keep trying after the user's own disconnect: saying so would be false.
    m_manager->disconnectFromServer();
    QVERIFY(!notices.wait(2 * NoticeDelayMs));
}

QTEST_MAIN(TestTrayNotifier)
#include "tst_traynotifier.moc"
