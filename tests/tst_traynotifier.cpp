// TrayNotifier watching a real ConnectionManager lose and regain the real lifeline-server.
// Offscreen has no tray: the notices are checked through noticeShown().
#include "clientserverfixture.h"
#include "faultproxy.h"
#include "testsetup.h"
#include "traynotifier.h"

#include <lifeline/connectionmanager.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

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

    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<TrayNotifier> m_notifier;
};

void TestTrayNotifier::init()
{
    QVERIFY(m_fixture.start());
    m_notifier = std::make_unique<TrayNotifier>(m_fixture.manager());
    m_notifier->setDownNoticeDelay(NoticeDelayMs);
}

void TestTrayNotifier::cleanup()
{
    m_notifier.reset();
    m_fixture.stop();
}

bool TestTrayNotifier::initAndLogin(std::chrono::milliseconds reconnectDelay)
{
    AppSettingsBuilder builder = m_fixture.fastSettings();
    builder.setReconnectDelay(reconnectDelay, reconnectDelay).setMaxReconnectAttempts(0);
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);
    return m_fixture.initAndLogin(builder.build()) && connected.wait(Soon);
}

void TestTrayNotifier::longOutageNoticedThenBack()
{
    QVERIFY(initAndLogin(100ms));
    QSignalSpy notices(m_notifier.get(), &TrayNotifier::noticeShown);
    QElapsedTimer clock;
    clock.start();
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
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

    QVERIFY(m_fixture.proxy()->accept());
    QVERIFY(notices.wait(Soon));
    QCOMPARE(notices.size(), 2);
    QCOMPARE(notices.last().at(1).toString(), QStringLiteral("Connection is back"));
    QVERIFY(!m_notifier->isDownNoticeShown());
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected);
}

void TestTrayNotifier::shortOutageSaysNothing()
{
    QVERIFY(initAndLogin(20ms));
    QSignalSpy notices(m_notifier.get(), &TrayNotifier::noticeShown);
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);
    QElapsedTimer clock;
    clock.start();
    m_fixture.proxy()->resetAll();
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
    m_fixture.manager()->disconnectFromServer();
    QVERIFY(!notices.wait(2 * NoticeDelayMs));
}

QTEST_MAIN(TestTrayNotifier)
#include "tst_traynotifier.moc"
