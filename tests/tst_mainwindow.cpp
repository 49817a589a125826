// MainWindow built with the real objects: the real server through BundledServer, the fault
// proxy, a ConnectionManager and a Messenger. It shows where others join, and applying
// settings reaches the connection and the panels.
#include "appstatecontroller.h"
#include "bundledserver.h"
#include "faultproxy.h"
#include "mainwindow.h"
#include "manualcontrols.h"
#include "settingspanel.h"
#include "simulatemenu.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeline;

namespace {

constexpr int Soon = 5000;

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void buildsAndConnectsThroughTheProxy();
    void showsWhereOthersJoin();
    void manualControlsFollowTheAppliedMode();
    void simulateBackgroundReachesTheController();
    void externalServerDisablesSimulate();

private:
    AppConfig startConfig() const;
    bool waitForStatus(ConnectionStatus status);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundledServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<ConnectionManager> m_manager;
    std::unique_ptr<Messenger> m_messenger;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

AppConfig TestMainWindow::startConfig() const
{
    AppConfig config;
    config.setUser(QStringLiteral("alice"));
    config.setToken(QStringLiteral("dev-token"));
    return config;
}

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<BundledServer>();
    m_server->setDataDirectory(m_dir->filePath(QStringLiteral("server")));
    m_server->start();
    QVERIFY(m_server->waitForStarted());
    m_proxy = std::make_unique<FaultProxy>();
    QVERIFY(m_proxy->start(m_server->url()));
    m_manager = std::make_unique<ConnectionManager>();
    m_messenger = std::make_unique<Messenger>(m_manager.get());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("lifeline.ini")),
                                             QSettings::IniFormat);
    m_window = std::make_unique<MainWindow>(m_manager.get(), m_messenger.get(), m_server.get(),
                                            m_proxy.get());
    m_window->setSettingsStore(m_settings.get());
    m_window->setDataDirectory(m_dir->filePath(QStringLiteral("client")));
    m_window->applyConfig(startConfig());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_messenger.reset();
    m_manager.reset();
    m_settings.reset();
    m_proxy.reset();
    m_server.reset();
    m_dir.reset();
}

bool TestMainWindow::waitForStatus(ConnectionStatus status)
{
    QSignalSpy changes(m_manager.get(), &ConnectionManager::connectionStatusChanged);
    QDeadlineTimer deadline(Soon);
    while (m_manager->connectionStatus() != status && !deadline.hasExpired())
        changes.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    return m_manager->connectionStatus() == status;
}

void TestMainWindow::buildsAndConnectsThroughTheProxy()
{
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Lifeline — alice"));
    QVERIFY(!m_window->windowIcon().isNull());
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QCOMPARE(m_manager->loggedInUser(), QStringLiteral("alice"));
    // Through the proxy, so that Simulate → Cut network reaches this link.
    QCOMPARE(m_manager->settings().serverUrl(), m_proxy->url());
    QCOMPARE(m_proxy->acceptedConnections(), 1);
    QVERIFY(m_window->simulateMenu()->cutNetworkAction()->isEnabled());
    QVERIFY(!m_window->appStateLabel()->text().isEmpty());
}

void TestMainWindow::showsWhereOthersJoin()
{
    const QString url = m_server->url().toString();
    const QString text = m_window->serverLabel()->text();
    QVERIFY2(text.startsWith(QStringLiteral("Bundled server at ") + url), qPrintable(text));
    QVERIFY2(
        text.contains(QStringLiteral("lifeline --server ") + url + QLatin1String(" --user bob")),
        qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("--data-dir ")), qPrintable(text));
    // Others join the server itself, not this app's proxy.
    QVERIFY(!text.contains(m_proxy->url().toString()));
}

void TestMainWindow::manualControlsFollowTheAppliedMode()
{
    QVERIFY(!m_window->manualControls()->isVisible());
    SettingsPanel *panel = m_window->settingsPanel();
    QSignalSpy applied(m_window.get(), &MainWindow::configApplied);

    panel->modeCombo()->setCurrentIndex(
        panel->modeCombo()->findData(QVariant::fromValue(AppConfig::Mode::Manual)));
    QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 1);
    QVERIFY(m_window->manualControls()->isVisible());
    QCOMPARE(m_manager->settings().autoEstablishSocketConnection(), false);
    QCOMPARE(m_settings->value(QStringLiteral("connection/mode")).toString(),
             QStringLiteral("manual"));
    // init() again closed the link; manual mode leaves connecting to the user.
    QCOMPARE(m_manager->connectionStatus(), ConnectionStatus::Disconnected);

    panel->modeCombo()->setCurrentIndex(
        panel->modeCombo()->findData(QVariant::fromValue(AppConfig::Mode::Auto)));
    QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 2);
    QVERIFY(!m_window->manualControls()->isVisible());
    QCOMPARE(m_manager->settings().autoEstablishSocketConnection(), true);
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestMainWindow::simulateBackgroundReachesTheController()
{
    QAction *background = m_window->simulateBackgroundAction();
    QVERIFY(background->isCheckable());
    background->trigger();
    QVERIFY(m_window->appStateController()->simulateBackground());
    QCOMPARE(m_manager->appState(), AppState::Background);
    background->trigger();
    QVERIFY(!m_window->appStateController()->simulateBackground());
    QCOMPARE(m_manager->appState(), AppState::Foreground);
}

void TestMainWindow::externalServerDisablesSimulate()
{
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_manager.get(), m_messenger.get(), nullptr, nullptr);
    m_window->setDataDirectory(m_dir->filePath(QStringLiteral("client")));
    AppConfig config = startConfig();
    config.setServerUrl(m_server->url().toString());
    m_window->applyConfig(config);
    QCOMPARE(m_window->serverLabel()->text(),
             QStringLiteral("Server: ") + m_server->url().toString());
    const QList<QAction *> actions = m_window->simulateMenu()->simulationActions();
    for (QAction *action : actions)
        QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
