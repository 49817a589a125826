// MainWindow built with the real objects: the real server through BundledServer, the fault
// proxy, a ConnectionManager and a Messenger. It shows where others join, and applying
// settings reaches the connection and the panels, the language included.
#include "appstatecontroller.h"
#include "bundledserver.h"
#include "chatpanel.h"
#include "clientserverfixture.h"
#include "composerwidget.h"
#include "eventlog.h"
#include "eventlogdock.h"
#include "faultproxy.h"
#include "mainwindow.h"
#include "manualcontrols.h"
#include "messagelistmodel.h"
#include "settingspanel.h"
#include "simulatemenu.h"
#include "statusindicator.h"
#include "translations.h"
#include "windowpart.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using lifeline::testkit::windowPart;

using namespace lifeline;
using namespace lifeline::ui;

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
    void languageAppliesWithoutRestart();
    void anyLanguageChangeRetranslates();
    void composerHasTheFocusOnStart();

private:
    AppConfig startConfig() const;
    bool waitForStatus(ConnectionStatus status);
    void applyLanguage(const QString &code);
    int lastRowOf(const QString &kind) const;

    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<Messenger> m_messenger;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

AppConfig TestMainWindow::startConfig() const
{
    AppConfig config;
    config.setUser(QStringLiteral("alice"));
    config.setToken(QStringLiteral("dev-token"));
    // The window installs the configured language; the system's would make the texts below
    // depend on the machine the tests run on.
    config.setLanguage(QStringLiteral("en"));
    return config;
}

void TestMainWindow::init()
{
    QVERIFY(m_fixture.start());
    m_messenger = std::make_unique<Messenger>(m_fixture.manager());
    m_settings = std::make_unique<QSettings>(m_fixture.filePath(QStringLiteral("lifeline.ini")),
                                             QSettings::IniFormat);
    m_window = std::make_unique<MainWindow>(m_fixture.manager(), m_messenger.get(),
                                            m_fixture.server(), m_fixture.proxy());
    m_window->setSettingsStore(m_settings.get());
    m_window->setDataDirectory(m_fixture.filePath(QStringLiteral("client")));
    m_window->applyConfig(startConfig());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_messenger.reset();
    m_settings.reset();
    m_fixture.stop();
    Translations::remove(QCoreApplication::instance());
}

bool TestMainWindow::waitForStatus(ConnectionStatus status)
{
    QSignalSpy changes(m_fixture.manager(), &ConnectionManager::connectionStatusChanged);
    QDeadlineTimer deadline(Soon);
    while (m_fixture.manager()->connectionStatus() != status && !deadline.hasExpired())
        changes.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    return m_fixture.manager()->connectionStatus() == status;
}

void TestMainWindow::buildsAndConnectsThroughTheProxy()
{
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Lifeline — alice"));
    QVERIFY(!m_window->windowIcon().isNull());
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QCOMPARE(m_fixture.manager()->loggedInUser(), QStringLiteral("alice"));
    // Through the proxy, so that Simulate → Cut network reaches this link.
    QCOMPARE(m_fixture.manager()->settings().serverUrl(), m_fixture.proxyUrl());
    QCOMPARE(m_fixture.proxy()->acceptedConnections(), 1);
    QVERIFY(windowPart<SimulateMenu>(*m_window, "simulateMenu")->cutNetworkAction()->isEnabled());
    QVERIFY(!windowPart<QLabel>(*m_window, "appStateLabel")->text().isEmpty());
}

void TestMainWindow::showsWhereOthersJoin()
{
    const QString url = m_fixture.serverUrl().toString();
    const QString text = windowPart<QLabel>(*m_window, "serverLabel")->text();
    QVERIFY2(text.startsWith(QStringLiteral("Bundled server at ") + url), qPrintable(text));
    QVERIFY2(
        text.contains(QStringLiteral("lifeline --server ") + url + QLatin1String(" --user bob")),
        qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("--data-dir ")), qPrintable(text));
    // Others join the server itself, not this app's proxy.
    QVERIFY(!text.contains(m_fixture.proxyUrl().toString()));
}

void TestMainWindow::manualControlsFollowTheAppliedMode()
{
    QVERIFY(!windowPart<ManualControls>(*m_window, "manualControls")->isVisible());
    SettingsPanel *panel = windowPart<SettingsPanel>(*m_window, "settingsPanel");
    QSignalSpy applied(m_window.get(), &MainWindow::configApplied);

    panel->modeCombo()->setCurrentIndex(
        panel->modeCombo()->findData(QVariant::fromValue(AppConfig::Mode::Manual)));
    QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 1);
    QVERIFY(windowPart<ManualControls>(*m_window, "manualControls")->isVisible());
    QCOMPARE(m_fixture.manager()->settings().autoEstablishSocketConnection(), false);
    QCOMPARE(m_settings->value(QStringLiteral("connection/mode")).toString(),
             QStringLiteral("manual"));
    // init() again closed the link; manual mode leaves connecting to the user.
    QCOMPARE(m_fixture.manager()->connectionStatus(), ConnectionStatus::Disconnected);

    panel->modeCombo()->setCurrentIndex(
        panel->modeCombo()->findData(QVariant::fromValue(AppConfig::Mode::Auto)));
    QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 2);
    QVERIFY(!windowPart<ManualControls>(*m_window, "manualControls")->isVisible());
    QCOMPARE(m_fixture.manager()->settings().autoEstablishSocketConnection(), true);
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

void TestMainWindow::simulateBackgroundReachesTheController()
{
    QAction *background = windowPart<QAction>(*m_window, "simulateBackgroundAction");
    QVERIFY(background->isCheckable());
    background->trigger();
    QVERIFY(windowPart<AppStateController>(*m_window, "appStateController")->simulateBackground());
    QCOMPARE(m_fixture.manager()->appState(), AppState::Background);
    background->trigger();
    QVERIFY(!windowPart<AppStateController>(*m_window, "appStateController")->simulateBackground());
    QCOMPARE(m_fixture.manager()->appState(), AppState::Foreground);
}

void TestMainWindow::externalServerDisablesSimulate()
{
    m_window.reset();
    m_window
        = std::make_unique<MainWindow>(m_fixture.manager(), m_messenger.get(), nullptr, nullptr);
    m_window->setDataDirectory(m_fixture.filePath(QStringLiteral("client")));
    AppConfig config = startConfig();
    config.setServerUrl(m_fixture.serverUrl().toString());
    m_window->applyConfig(config);
    QCOMPARE(windowPart<QLabel>(*m_window, "serverLabel")->text(),
             QStringLiteral("Server: ") + m_fixture.serverUrl().toString());
    const QList<QAction *> actions
        = windowPart<SimulateMenu>(*m_window, "simulateMenu")->simulationActions();
    for (QAction *action : actions)
        QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
}

// As a user: View → Settings, choose the language, Apply.
void TestMainWindow::applyLanguage(const QString &code)
{
    QSignalSpy applied(m_window.get(), &MainWindow::configApplied);
    if (windowPart<QDockWidget>(*m_window, "settingsDock")->isHidden())
        windowPart<QDockWidget>(*m_window, "settingsDock")->toggleViewAction()->trigger();
    QVERIFY(windowPart<QDockWidget>(*m_window, "settingsDock")->isVisible());
    SettingsPanel *panel = windowPart<SettingsPanel>(*m_window, "settingsPanel");
    const int index = panel->languageCombo()->findData(code);
    QVERIFY(index >= 0);
    panel->languageCombo()->setCurrentIndex(index);
    QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(m_window->config().language(), code);
}

int TestMainWindow::lastRowOf(const QString &kind) const
{
    const EventLog *log = windowPart<EventLog>(*m_window, "eventLog");
    for (int row = log->rowCount() - 1; row >= 0; --row) {
        if (log->entry(row).kind == kind)
            return row;
    }
    return -1;
}

void TestMainWindow::languageAppliesWithoutRestart()
{
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    StatusIndicator *indicator = windowPart<StatusIndicator>(*m_window, "statusIndicator");
    QTRY_COMPARE_WITH_TIMEOUT(indicator->text(), QStringLiteral("Connected"), Soon);
    QCOMPARE(windowPart<QLabel>(*m_window, "appStateLabel")->text(), QStringLiteral("Foreground"));

    // A row recorded before the switch: it holds the status, not English words.
    EventLog *log = windowPart<EventLog>(*m_window, "eventLog");
    const int statusRow = lastRowOf(EventLog::StatusKind);
    QVERIFY(statusRow >= 0);
    QCOMPARE(log->entry(statusRow).status, ConnectionStatus::Connected);
    const QModelIndex statusText = log->index(statusRow, int(EventLog::Column::Text));
    const QModelIndex statusKind = log->index(statusRow, int(EventLog::Column::Kind));
    QCOMPARE(statusText.data().toString(), QStringLiteral("Connected"));
    QCOMPARE(statusKind.data().toString(), QStringLiteral("status"));
    QSignalSpy headerChanged(log, &QAbstractItemModel::headerDataChanged);
    QSignalSpy rowsChanged(log, &QAbstractItemModel::dataChanged);

    applyLanguage(QStringLiteral("de"));
    // The texts change on the LanguageChange events the new translation posts, no restart.
    QTRY_COMPARE_WITH_TIMEOUT(windowPart<QMenu>(*m_window, "fileMenu")->title(),
                              QStringLiteral("&Datei"), Soon);
    QCOMPARE(windowPart<SimulateMenu>(*m_window, "simulateMenu")->title(),
             QStringLiteral("&Simulieren"));
    QCOMPARE(windowPart<QAction>(*m_window, "simulateBackgroundAction")->text(),
             QStringLiteral("&Hintergrund simulieren"));
    QCOMPARE(windowPart<QDockWidget>(*m_window, "settingsDock")->windowTitle(),
             QStringLiteral("Einstellungen"));
    QCOMPARE(windowPart<QDockWidget>(*m_window, "settingsDock")->toggleViewAction()->text(),
             QStringLiteral("&Einstellungen"));
    QCOMPARE(windowPart<EventLogDock>(*m_window, "eventLogDock")->windowTitle(),
             QStringLiteral("Ereignisprotokoll"));
    QCOMPARE(windowPart<EventLogDock>(*m_window, "eventLogDock")->toggleViewAction()->text(),
             QStringLiteral("E&reignisprotokoll"));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Lifeline – alice"));
    QCOMPARE(windowPart<SettingsPanel>(*m_window, "settingsPanel")->applyButton()->text(),
             QStringLiteral("Übernehmen"));
    // The status bar: the app state and where others join.
    QTRY_COMPARE_WITH_TIMEOUT(windowPart<QLabel>(*m_window, "appStateLabel")->text(),
                              QStringLiteral("Vordergrund"), Soon);
    QVERIFY2(windowPart<QLabel>(*m_window, "serverLabel")
                 ->text()
                 .startsWith(QStringLiteral("Mitgelieferter Server unter ")
                             + m_fixture.serverUrl().toString()),
             qPrintable(windowPart<QLabel>(*m_window, "serverLabel")->text()));
    QTRY_COMPARE_WITH_TIMEOUT(indicator->text(), QStringLiteral("Verbunden"), Soon);

    // The old row reads German now, and the view was told so; the export keeps its English.
    QCOMPARE(statusText.data().toString(), QStringLiteral("Verbunden"));
    QCOMPARE(statusKind.data().toString(), QStringLiteral("Status"));
    QCOMPARE(log->headerData(int(EventLog::Column::Kind), Qt::Horizontal).toString(),
             QStringLiteral("Art"));
    QVERIFY(!headerChanged.isEmpty());
    const bool statusRowRefreshed
        = std::any_of(rowsChanged.cbegin(), rowsChanged.cend(), [&](const QList<QVariant> &args) {
              const auto first = args.at(0).value<QModelIndex>();
              const auto last = args.at(1).value<QModelIndex>();
              return first.row() <= statusRow && statusRow <= last.row()
                  && first.column() <= statusText.column() && statusText.column() <= last.column();
          });
    QVERIFY(statusRowRefreshed);
    QCOMPARE(log->entry(statusRow).text, QStringLiteral("Connected"));
    // Recorded while English was installed, shown in German all the same.
    const int appliedRow = lastRowOf(EventLog::SettingsKind);
    QVERIFY(appliedRow >= 0);
    QCOMPARE(log->index(appliedRow, int(EventLog::Column::Text)).data().toString(),
             QStringLiteral("Einstellungen übernommen"));
    QCOMPARE(log->entry(appliedRow).text, QStringLiteral("Settings applied"));

    applyLanguage(QStringLiteral("en"));
    QTRY_COMPARE_WITH_TIMEOUT(windowPart<QMenu>(*m_window, "fileMenu")->title(),
                              QStringLiteral("&File"), Soon);
    QCOMPARE(windowPart<SimulateMenu>(*m_window, "simulateMenu")->title(),
             QStringLiteral("&Simulate"));
    QCOMPARE(windowPart<QDockWidget>(*m_window, "settingsDock")->windowTitle(),
             QStringLiteral("Settings"));
    QCOMPARE(windowPart<QDockWidget>(*m_window, "settingsDock")->toggleViewAction()->text(),
             QStringLiteral("&Settings"));
    QCOMPARE(windowPart<EventLogDock>(*m_window, "eventLogDock")->toggleViewAction()->text(),
             QStringLiteral("&Event log"));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Lifeline — alice"));
    QTRY_COMPARE_WITH_TIMEOUT(windowPart<QLabel>(*m_window, "appStateLabel")->text(),
                              QStringLiteral("Foreground"), Soon);
    QVERIFY2(windowPart<QLabel>(*m_window, "serverLabel")
                 ->text()
                 .startsWith(QStringLiteral("Bundled server at ")),
             qPrintable(windowPart<QLabel>(*m_window, "serverLabel")->text()));
    QTRY_COMPARE_WITH_TIMEOUT(indicator->text(), QStringLiteral("Connected"), Soon);
    QCOMPARE(statusText.data().toString(), QStringLiteral("Connected"));
    QCOMPARE(log->index(appliedRow, int(EventLog::Column::Text)).data().toString(),
             QStringLiteral("Settings applied"));
}

void TestMainWindow::anyLanguageChangeRetranslates()
{
    QVERIFY(waitForStatus(ConnectionStatus::Connected));
    QTRY_COMPARE_WITH_TIMEOUT(windowPart<StatusIndicator>(*m_window, "statusIndicator")->text(),
                              QStringLiteral("Connected"), Soon);
    auto *composer = m_window->findChild<ComposerWidget *>();
    QVERIFY(composer);
    auto *chat = m_window->findChild<ChatPanel *>();
    QVERIFY(chat);
    auto *nobodyOnline = m_window->findChild<QLabel *>(QStringLiteral("presencePlaceholder"));
    QVERIFY(nobodyOnline);
    // A message whose tooltip says where it is; delivered, so nothing but the language changes
    // that row any more.
    MessageListModel *messages = chat->model();
    const QString id = m_messenger->sendMessage(messages->room(), QStringLiteral("hello"));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(messages->rowOf(id) >= 0, Soon);
    const auto delivered = [messages, id] {
        return messages->index(messages->rowOf(id))
                   .data(int(MessageListModel::Role::DeliveryState))
                   .value<DeliveryState>()
            == DeliveryState::Delivered;
    };
    QTRY_VERIFY_WITH_TIMEOUT(delivered(), Soon);
    QCOMPARE(messages->index(messages->rowOf(id)).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Delivered"));
    QSignalSpy messagesChanged(messages, &QAbstractItemModel::dataChanged);
    QSignalSpy statusChanges(m_fixture.manager(), &ConnectionManager::connectionStatusChanged);

    // No Apply, so no init() again and no status change that would refresh texts anyway: only
    // the LanguageChange handling can turn these German.
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::German)));
    QTRY_COMPARE_WITH_TIMEOUT(windowPart<QLabel>(*m_window, "appStateLabel")->text(),
                              QStringLiteral("Vordergrund"), Soon);
    QTRY_COMPARE_WITH_TIMEOUT(windowPart<StatusIndicator>(*m_window, "statusIndicator")->text(),
                              QStringLiteral("Verbunden"), Soon);
    QCOMPARE(windowPart<ManualControls>(*m_window, "manualControls")->disconnectButton()->text(),
             QStringLiteral("Trennen"));
    QCOMPARE(composer->sendButton()->text(), QStringLiteral("Senden"));
    QCOMPARE(composer->editor()->placeholderText(), QStringLiteral("Nachricht schreiben…"));
    QCOMPARE(chat->queueBadge()->text(), QStringLiteral("0 Nachrichten warten auf den Versand"));
    QCOMPARE(nobodyOnline->text(), QStringLiteral("Niemand – offline"));
    QCOMPARE(windowPart<QMenu>(*m_window, "fileMenu")->title(), QStringLiteral("&Datei"));
    QCOMPARE(messages->index(messages->rowOf(id)).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Zugestellt"));
    const int row = messages->rowOf(id);
    const bool toolTipRefreshed = std::any_of(
        messagesChanged.cbegin(), messagesChanged.cend(), [row](const QList<QVariant> &args) {
            return args.at(0).value<QModelIndex>().row() <= row
                && row <= args.at(1).value<QModelIndex>().row()
                && args.at(2).value<QList<int>>().contains(Qt::ToolTipRole);
        });
    QVERIFY(toolTipRefreshed);
    QCOMPARE(statusChanges.size(), 0);
}

void TestMainWindow::composerHasTheFocusOnStart()
{
    // Open the app and type: the first key goes into the message, nowhere else.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QPlainTextEdit *editor = m_window->findChild<ChatPanel *>()->composer()->editor();
    QWidget *focus = QApplication::focusWidget();
    QVERIFY2(focus == editor,
             qPrintable(QStringLiteral("the focus is in %1")
                            .arg(focus ? QString::fromLatin1(focus->metaObject()->className())
                                       : QStringLiteral("no widget"))));
    QTest::keyClicks(focus, QStringLiteral("hi"));
    QCOMPARE(editor->toPlainText(), QStringLiteral("hi"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
