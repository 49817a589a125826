// StatusIndicator bound to a real ConnectionManager talking to the real lifeline-server through
// a fault proxy: every state it shows is one the manager really reached.
#include "bundledserver.h"
#include "clientserverfixture.h"
#include "faultproxy.h"
#include "serverwaits.h"
#include "statusindicator.h"
#include "svgicon.h"
#include "testcerts.h"
#include "testsetup.h"

#include <lifeline/connectionmanager.h>

#include <QAbstractButton>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTest>

using lifeline::testkit::TestCerts;
using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
using Level = StatusIndicator::Level;
} // namespace

class TestStatusIndicator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void notStartedOfferConnect();
    void connectedShowsGreenWithoutButton();
    void connectedNamesTheServerAmongSeveral();
    void connectingThroughBlackHole();
    void reconnectingCountsDownAndRetryNowStartsAttempt();
    void reconnectingWithoutLimitShowsAttemptOnly();
    void offlineAfterAttemptsRunOut();
    void userDisconnectShowsAtOnce();
    void backgroundReason();
    void loggedOutConnectErrorShowsCode();
    void tokenRejected();
    void refusedCertificateSaysSo();
    void throttledFeatures();
    void blipIsNeverShown();
    void longOutageShowsAfterBlipDelay();
    void shapesAreSvgIcons_data();
    void shapesAreSvgIcons();

private:
    // The colour in the middle of the shape the widget shows.
    QColor shownShapeColor() const;
    bool initAndLogin(const AppSettings &settings, bool login = true);
    bool serverCommand(const QString &command);
    void makeIndicator(int blipDelay = 0);

    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<StatusIndicator> m_indicator;
};

void TestStatusIndicator::init()
{
    QVERIFY(m_fixture.start());
}

void TestStatusIndicator::cleanup()
{
    m_indicator.reset();
    m_fixture.stop();
}

bool TestStatusIndicator::serverCommand(const QString &command)
{
    m_fixture.server()->sendCommand(command);
    return testkit::waitForCommand(*m_fixture.server(), Soon);
}

bool TestStatusIndicator::initAndLogin(const AppSettings &settings, bool login)
{
    if (login)
        return m_fixture.initAndLogin(settings);
    bool ok = false;
    m_fixture.manager()->init(QStringLiteral("lifeline-test"), settings,
                              [&ok](const QString &) { ok = true; });
    return ok;
}

QColor TestStatusIndicator::shownShapeColor() const
{
    const auto *label = m_indicator->findChild<QLabel *>(QStringLiteral("statusShape"));
    if (!label || label->pixmap().isNull())
        return {};
    const QImage image = label->pixmap().toImage();
    return image.pixelColor(image.width() / 2, image.height() * 2 / 3);
}

void TestStatusIndicator::makeIndicator(int blipDelay)
{
    m_indicator = std::make_unique<StatusIndicator>(m_fixture.manager());
    m_indicator->setBlipDelay(blipDelay);
}

void TestStatusIndicator::notStartedOfferConnect()
{
    QVERIFY(initAndLogin(m_fixture.fastSettings().setAutoEstablishSocketConnection(false).build()));
    makeIndicator();
    QCOMPARE(m_indicator->level(), Level::Red);
    QCOMPARE(m_indicator->text(), QStringLiteral("Offline"));
    QCOMPARE(m_indicator->detail(), QStringLiteral("Not connected"));
    QVERIFY(m_indicator->isButtonVisible());
    QCOMPARE(m_indicator->buttonText(), QStringLiteral("Connect"));
    QCOMPARE(shownShapeColor(), StatusIndicator::colorFor(Level::Red));

    QTest::mouseClick(m_indicator->button(), Qt::LeftButton);
    QCOMPARE(m_indicator->level(), Level::Yellow); // from offline, no blip delay applies
    QCOMPARE(shownShapeColor(), StatusIndicator::colorFor(Level::Yellow));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
}

void TestStatusIndicator::connectedNamesTheServerAmongSeveral()
{
    makeIndicator(1000);
    // The same server twice, once through the proxy: two endpoints, and the proxy's can fail.
    QVERIFY(initAndLogin(m_fixture.fastSettings()
                             .setServerUrls({m_fixture.proxyUrl(), m_fixture.serverUrl()})
                             .build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    QCOMPARE(m_indicator->text(), QStringLiteral("Connected"));
    QCOMPARE(m_indicator->detail(),
             QStringLiteral("Server: %1")
                 .arg(m_fixture.manager()->connectedServerUrl().toDisplayString()));
    // The proxy's link fails: the app is on the other endpoint, and says so.
    if (m_fixture.manager()->connectedServerUrl() == m_fixture.proxyUrl()) {
        m_fixture.proxy()->resetAll();
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectedServerUrl(), m_fixture.serverUrl(),
                                  Soon);
    }
    QTRY_COMPARE_WITH_TIMEOUT(
        m_indicator->detail(),
        QStringLiteral("Server: %1").arg(m_fixture.serverUrl().toDisplayString()), Soon);
}

void TestStatusIndicator::connectedShowsGreenWithoutButton()
{
    makeIndicator(1000);
    QVERIFY(initAndLogin(m_fixture.fastSettings().build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    QCOMPARE(m_indicator->text(), QStringLiteral("Connected"));
    QCOMPARE(shownShapeColor(), StatusIndicator::colorFor(Level::Green));
    QVERIFY(m_indicator->detail().isEmpty());
    QVERIFY(!m_indicator->isButtonVisible());
}

void TestStatusIndicator::connectingThroughBlackHole()
{
    m_fixture.proxy()->setBlackHole(true);
    makeIndicator(1000);
    QVERIFY(initAndLogin(m_fixture.fastSettings().setConnectTimeout(10s).build()));
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connecting);
    QCOMPARE(m_indicator->level(), Level::Yellow);
    QCOMPARE(m_indicator->text(), QStringLiteral("Connecting…"));
    QVERIFY(!m_indicator->isButtonVisible());
}

void TestStatusIndicator::reconnectingCountsDownAndRetryNowStartsAttempt()
{
    makeIndicator();
    QVERIFY(initAndLogin(m_fixture.fastSettings().setReconnectDelay(3s, 3s).build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(),
                              ConnectionStatus::Reconnecting, Soon);
    QCOMPARE(m_indicator->level(), Level::Yellow);
    QCOMPARE(m_indicator->text(), QStringLiteral("Reconnecting in 3 s (attempt 1 of 3)"));
    QCOMPARE(m_indicator->buttonText(), QStringLiteral("Retry now"));
    QVERIFY(m_indicator->isButtonVisible());

    QSignalSpy changed(m_indicator.get(), &StatusIndicator::displayChanged);
    QVERIFY(changed.wait(1500));
    QCOMPARE(m_indicator->text(), QStringLiteral("Reconnecting in 2 s (attempt 1 of 3)"));
    QVERIFY(changed.wait(1500));
    QCOMPARE(m_indicator->text(), QStringLiteral("Reconnecting in 1 s (attempt 1 of 3)"));

    // Well before the planned attempt: the click starts one now.
    QVERIFY(m_fixture.manager()->reconnectRemainingMs() > 200);
    QSignalSpy connecting(m_fixture.manager(), &ConnectionManager::connecting);
    QTest::mouseClick(m_indicator->button(), Qt::LeftButton);
    QCOMPARE(connecting.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
}

void TestStatusIndicator::reconnectingWithoutLimitShowsAttemptOnly()
{
    makeIndicator();
    QVERIFY(initAndLogin(
        m_fixture.fastSettings().setReconnectDelay(3s, 3s).setMaxReconnectAttempts(0).build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(),
                              ConnectionStatus::Reconnecting, Soon);
    QCOMPARE(m_indicator->text(), QStringLiteral("Reconnecting in 3 s (attempt 1)"));
}

void TestStatusIndicator::offlineAfterAttemptsRunOut()
{
    makeIndicator();
    QVERIFY(initAndLogin(m_fixture.fastSettings().setMaxReconnectAttempts(2).build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->disconnectReason(),
                              DisconnectReason::ReconnectFailed, Soon);
    QCOMPARE(m_indicator->level(), Level::Red);
    QCOMPARE(m_indicator->text(), QStringLiteral("Offline"));
    QCOMPARE(m_indicator->detail(), QStringLiteral("Connection failed after 2 attempts"));
    QCOMPARE(m_indicator->buttonText(), QStringLiteral("Connect"));

    QVERIFY(m_fixture.proxy()->accept());
    QTest::mouseClick(m_indicator->button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
}

void TestStatusIndicator::userDisconnectShowsAtOnce()
{
    makeIndicator(1000);
    QVERIFY(initAndLogin(m_fixture.fastSettings().build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    // The user asked for it: no blip delay hides it.
    m_fixture.manager()->disconnectFromServer();
    QCOMPARE(m_indicator->level(), Level::Red);
    QCOMPARE(m_indicator->text(), QStringLiteral("Offline"));
    QCOMPARE(m_indicator->detail(), QStringLiteral("You disconnected"));
    QCOMPARE(m_indicator->buttonText(), QStringLiteral("Connect"));
}

void TestStatusIndicator::backgroundReason()
{
    makeIndicator();
    QVERIFY(initAndLogin(m_fixture.fastSettings().build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    m_fixture.manager()->setAppState(AppState::Background);
    QCOMPARE(m_indicator->level(), Level::Red);
    QCOMPARE(m_indicator->detail(), QStringLiteral("Disconnected in background"));
}

void TestStatusIndicator::loggedOutConnectErrorShowsCode()
{
    makeIndicator();
    QVERIFY(initAndLogin(m_fixture.fastSettings().build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);
    m_fixture.manager()->logout();
    QCOMPARE(m_indicator->level(), Level::Red);
    QCOMPARE(m_indicator->detail(), QStringLiteral("Logged out"));

    QTest::mouseClick(m_indicator->button(), Qt::LeftButton);
    const ChatError expected = [this] {
        ChatError error;
        m_fixture.manager()->connectToServer({}, [&error](const ChatError &e) { error = e; });
        return error;
    }();
    QVERIFY(!expected.isNull());
    QCOMPARE(m_indicator->detail(), expected.code + QStringLiteral(": ") + expected.message);
    QCOMPARE(m_indicator->level(), Level::Red);
}

void TestStatusIndicator::tokenRejected()
{
    const QString tokens = m_fixture.filePath(QStringLiteral("tokens"));
    QFile file(tokens);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("alice right-token\n");
    file.close();
    QVERIFY(m_fixture.startServer({QStringLiteral("--tokens"), tokens}));
    QVERIFY(m_fixture.startProxy());

    makeIndicator();
    QVERIFY(initAndLogin(m_fixture.fastSettings().build())); // a wrong token
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->disconnectReason(), DisconnectReason::AuthFailed,
                              Soon);
    QCOMPARE(m_indicator->level(), Level::Red);
    QCOMPARE(m_indicator->text(), QStringLiteral("Offline"));
    QCOMPARE(m_indicator->detail(), QStringLiteral("Token rejected"));
}

// A certificate the app does not trust: red at once, the words name the certificate, and the
// only way on is the user's own Connect (a refused certificate is never retried by itself).
void TestStatusIndicator::refusedCertificateSaysSo()
{
    QString error;
    const auto certs = TestCerts::make(m_fixture.path(), &error);
    QVERIFY2(certs, qPrintable(error));
    QVERIFY(m_fixture.startServer({QStringLiteral("--tls-cert"), certs->selfSignedCert,
                                   QStringLiteral("--tls-key"), certs->selfSignedKey}));
    QCOMPARE(m_fixture.serverUrl().scheme(), QStringLiteral("wss"));

    makeIndicator(1000);
    QVERIFY(initAndLogin(
        testkit::fastSettings(m_fixture.serverUrl(), m_fixture.filePath(QStringLiteral("client")))
            .build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->disconnectReason(), DisconnectReason::TlsFailed,
                              Soon);
    QCOMPARE(m_indicator->level(), Level::Red);
    QCOMPARE(shownShapeColor(), StatusIndicator::colorFor(Level::Red));
    QCOMPARE(m_indicator->text(), QStringLiteral("Offline"));
    QCOMPARE(m_indicator->detail(),
             QStringLiteral("Secure connection failed: the server's certificate was refused"));
    QVERIFY(m_indicator->isButtonVisible());
    QCOMPARE(m_indicator->buttonText(), QStringLiteral("Connect"));
}

void TestStatusIndicator::throttledFeatures()
{
    makeIndicator();
    QVERIFY(initAndLogin(m_fixture.fastSettings().build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);

    QVERIFY(serverCommand(QStringLiteral("throttle typing presence")));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->text(),
                              QStringLiteral("Connected, typing paused by the server"), Soon);
    QCOMPARE(m_indicator->level(), Level::Green);
    QVERIFY(!m_indicator->isButtonVisible());

    QVERIFY(serverCommand(QStringLiteral("throttle presence")));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->text(),
                              QStringLiteral("Connected, presence paused by the server"), Soon);

    QVERIFY(serverCommand(QStringLiteral("unthrottle")));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->text(), QStringLiteral("Connected"), Soon);
}

void TestStatusIndicator::blipIsNeverShown()
{
    makeIndicator(1000);
    QVERIFY(initAndLogin(m_fixture.fastSettings().setReconnectDelay(50ms, 50ms).build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);

    QList<Level> shown;
    connect(m_indicator.get(), &StatusIndicator::displayChanged, this,
            [this, &shown] { shown.append(m_indicator->level()); });
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);
    QElapsedTimer clock;
    clock.start();
    m_fixture.proxy()->resetAll();
    QVERIFY(connected.wait(Soon));
    const qint64 outage = clock.elapsed();
    if (outage >= 900)
        QSKIP(qPrintable(QStringLiteral("the reconnect took %1 ms; too slow a machine to tell a "
                                        "blip from an outage")
                             .arg(outage)));
    // Bounded check that nothing shows up after the blip delay either.
    QSignalSpy changed(m_indicator.get(), &StatusIndicator::displayChanged);
    QVERIFY(!changed.wait(1200));
    QVERIFY2(!shown.contains(Level::Yellow) && !shown.contains(Level::Red),
             qPrintable(QStringLiteral("%1 level changes shown during a %2 ms blip")
                            .arg(shown.size())
                            .arg(outage)));
    QCOMPARE(m_indicator->level(), Level::Green);
    QCOMPARE(m_indicator->text(), QStringLiteral("Connected"));
}

void TestStatusIndicator::longOutageShowsAfterBlipDelay()
{
    makeIndicator(1000);
    QVERIFY(initAndLogin(m_fixture.fastSettings().setReconnectDelay(5s, 5s).build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_indicator->level(), Level::Green, Soon);

    QSignalSpy changed(m_indicator.get(), &StatusIndicator::displayChanged);
    QElapsedTimer clock;
    clock.start();
    m_fixture.proxy()->resetAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(),
                              ConnectionStatus::Reconnecting, Soon);
    QCOMPARE(m_indicator->level(), Level::Green); // still hidden
    QVERIFY(changed.wait(Soon));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(m_indicator->level(), Level::Yellow);
    QVERIFY2(elapsed >= 950 && elapsed < 3000,
             qPrintable(QStringLiteral("the outage showed after %1 ms; the blip delay is 1000 ms")
                            .arg(elapsed)));
    QVERIFY(m_indicator->text().startsWith(QLatin1String("Reconnecting in ")));
}

void TestStatusIndicator::shapesAreSvgIcons_data()
{
    QTest::addColumn<Level>("level");
    QTest::addColumn<QString>("icon");
    QTest::addColumn<bool>("cornerFilled"); // at (0.2, 0.2) of the square
    QTest::addColumn<bool>("lowerLeftFilled"); // at (0.2, 0.82)
    QTest::newRow("green circle") << Level::Green << "status-connected" << false << false;
    QTest::newRow("yellow triangle") << Level::Yellow << "status-connecting" << false << true;
    QTest::newRow("red square") << Level::Red << "status-offline" << true << true;
}

// The shapes come from resources/icons, in the colour the timeline uses for the same level, and
// each has an outline of its own so that colour is never the only difference.
void TestStatusIndicator::shapesAreSvgIcons()
{
    QFETCH(Level, level);
    QFETCH(QString, icon);
    QFETCH(bool, cornerFilled);
    QFETCH(bool, lowerLeftFilled);

    QCOMPARE(StatusIndicator::iconFor(level), icon);
    QVERIFY(QSvgRenderer(SvgIcon::path(icon)).isValid());

    constexpr int Size = 64;
    QImage image(Size, Size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    StatusIndicator::paintShape(&painter, QRectF(0, 0, Size, Size), level);
    painter.end();
    QCOMPARE(image.pixelColor(Size / 2, Size * 2 / 3), StatusIndicator::colorFor(level));
    QCOMPARE(image.pixelColor(Size / 5, Size / 5).alpha() == 255, cornerFilled);
    QCOMPARE(image.pixelColor(Size / 5, Size * 82 / 100).alpha() == 255, lowerLeftFilled);
}

QTEST_MAIN(TestStatusIndicator)
#include "tst_statusindicator.moc"
