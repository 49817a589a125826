// ManualControls clicking through a real ConnectionManager in manual mode against the real
// lifeline-server.
#include "bundledserver.h"
#include "faultproxy.h"
#include "manualcontrols.h"
#include "testsupport.h"

#include <lifeline/connectionmanager.h>

#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
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
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundledServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<ConnectionManager> m_manager;
    std::unique_ptr<ManualControls> m_controls;
};

void TestManualControls::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = testkit::startServer(m_dir->filePath(QStringLiteral("server")));
    QVERIFY(m_server);
    m_proxy = std::make_unique<FaultProxy>();
    QVERIFY(m_proxy->start(m_server->url()));
    m_manager = std::make_unique<ConnectionManager>();
    AppSettingsBuilder builder;
    builder.setServerUrl(m_proxy->url())
        .setDataDirectory(m_dir->filePath(QStringLiteral("client")))
        .setAutoEstablishSocketConnection(false)
        .setConnectTimeout(1000ms)
        .setReconnectDelay(100ms, 800ms);
    bool ok = false;
    m_manager->init(QStringLiteral("lifeline-test"), builder.build(),
                    [&ok](const QString &) { ok = true; });
    QVERIFY(ok);
    m_manager->login(QStringLiteral("alice"), QStringLiteral("secret-token"));
    m_controls = std::make_unique<ManualControls>(m_manager.get());
}

void TestManualControls::cleanup()
{
    m_controls.reset();
    m_manager.reset();
    m_proxy.reset();
    m_server.reset();
    m_dir.reset();
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
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Connected);

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
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);
}

void TestManualControls::pingWhileOfflineShowsCode()
{
    QSignalSpy results(m_controls.get(), &ManualControls::resultReported);
    ChatError expected;
    m_manager->ping({}, [&expected](const ChatError &e) { expected = e; });
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
