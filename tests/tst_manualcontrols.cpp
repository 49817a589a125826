// ManualControls clicking through a real ConnectionManager in manual mode against the real
// lifeline-server.
#include "clientserverfixture.h"
#include "manualcontrols.h"
#include "testsetup.h"

#include <lifeline/connectionmanager.h>

#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
} // namespace

class TestManualControls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void connectPingDisconnect();
    void pingWhileOfflineShowsCode();

private:
    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<ManualControls> m_controls;
};

void TestManualControls::init()
{
    QVERIFY(m_fixture.start());
    AppSettingsBuilder builder;
    builder.setServerUrl(m_fixture.proxyUrl())
        .setDataDirectory(m_fixture.filePath(QStringLiteral("client")))
        .setAutoEstablishSocketConnection(false)
        .setConnectTimeout(1000ms)
        .setReconnectDelay(100ms, 800ms);
    bool ok = false;
    m_fixture.manager()->init(QStringLiteral("lifeline-test"), builder.build(),
                              [&ok](const QString &) { ok = true; });
    QVERIFY(ok);
    m_fixture.manager()->login(QStringLiteral("alice"), QStringLiteral("secret-token"));
    m_controls = std::make_unique<ManualControls>(m_fixture.manager());
}

void TestManualControls::cleanup()
{
    m_controls.reset();
    m_fixture.stop();
}

void TestManualControls::connectPingDisconnect()
{
    QSignalSpy results(m_controls.get(), &ManualControls::resultReported);
    QTest::mouseClick(m_controls->connectButton(), Qt::LeftButton);
    QVERIFY(results.wait(Soon));
    QCOMPARE(results.last(),
             (QList<QVariant> {QStringLiteral("connect"), true,
                               QStringLiteral("Web socket connection successful")}));
    QCOMPARE(m_controls->resultText(), QStringLiteral("Web socket connection successful"));
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected);

    QTest::mouseClick(m_controls->pingButton(), Qt::LeftButton);
    QVERIFY(results.wait(Soon));
    QCOMPARE(results.last().at(0).toString(), QStringLiteral("ping"));
    QVERIFY(results.last().at(1).toBool());
    const QString pingText = results.last().at(2).toString();
    QVERIFY2(
        QRegularExpression(QStringLiteral("^Ping answered in \\d+ ms$")).match(pingText).hasMatch(),
        qPrintable(pingText));

    QTest::mouseClick(m_controls->disconnectButton(), Qt::LeftButton);
    QCOMPARE(results.last().at(0).toString(), QStringLiteral("disconnect"));
    QVERIFY(results.last().at(1).toBool());
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestManualControls::pingWhileOfflineShowsCode()
{
    QSignalSpy results(m_controls.get(), &ManualControls::resultReported);
    ChatError expected;
    m_fixture.manager()->ping({}, [&expected](const ChatError &e) { expected = e; });
    QVERIFY(!expected.isNull());

    QTest::mouseClick(m_controls->pingButton(), Qt::LeftButton);
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.last(),
             (QList<QVariant> {QStringLiteral("ping"), false,
                               expected.code + QStringLiteral(": ") + expected.message}));
    const auto *label = m_controls->findChild<QLabel *>();
    QVERIFY(label);
    QCOMPARE(label->toolTip(), expected.details);
}

QTEST_MAIN(TestManualControls)
#include "tst_manualcontrols.moc"
