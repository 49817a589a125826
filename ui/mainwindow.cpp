#include "mainwindow.h"

#include "appstatecontroller.h"
#include "bundledserver.h"
#include "chatpanel.h"
#include "eventlog.h"
#include "eventlogdock.h"
#include "faultproxy.h"
#include "loggingcategories_p.h"
#include "manualcontrols.h"
#include "presencepanel.h"
#include "settingspanel.h"
#include "simulatemenu.h"
#include "statusindicator.h"
#include "timelinewidget.h"
#include "traynotifier.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace {

const QString Room = QStringLiteral("lobby");
const QString SettingsKind = QStringLiteral("settings");

} // namespace

MainWindow::MainWindow(lifeline::ConnectionManager *connection, lifeline::Messenger *messenger,
                       BundledServer *server, FaultProxy *proxy, QWidget *parent)
    : QMainWindow(parent)
    , m_connection(connection)
    , m_messenger(messenger)
    , m_server(server)
    , m_proxy(proxy)
    , m_eventLog(new EventLog(connection, this))
    , m_appState(new AppStateController(connection, this))
    , m_tray(new TrayNotifier(connection, this))
    , m_statusIndicator(new StatusIndicator(connection, this))
    , m_manualControls(new ManualControls(connection, this))
    , m_timeline(new TimelineWidget(connection, this))
    , m_chat(new ChatPanel(messenger, connection, Room, this))
    , m_presence(new PresencePanel(messenger, this))
    , m_eventLogDock(new EventLogDock(m_eventLog, this))
    , m_settingsPanel(new SettingsPanel(this))
    , m_settingsDock(new QDockWidget(tr("Settings"), this))
    , m_simulateMenu(new SimulateMenu(server, proxy, this))
    , m_appStateLabel(new QLabel(this))
    , m_serverLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/lifeline.svg")));
    setWindowTitle(tr("Lifeline"));

    auto *topBar = new QHBoxLayout;
    topBar->addWidget(m_statusIndicator);
    topBar->addStretch();
    topBar->addWidget(m_manualControls);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_chat);
    splitter->addWidget(m_presence);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addLayout(topBar);
    layout->addWidget(m_timeline);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_eventLogDock->setObjectName(QStringLiteral("eventLogDock"));
    addDockWidget(Qt::BottomDockWidgetArea, m_eventLogDock);

    // The form is taller than a small screen; it scrolls rather than squeezing the chat.
    auto *scroll = new QScrollArea(m_settingsDock);
    scroll->setWidget(m_settingsPanel);
    scroll->setWidgetResizable(true);
    m_settingsDock->setObjectName(QStringLiteral("settingsDock"));
    m_settingsDock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, m_settingsDock);
    m_settingsDock->hide();

    m_serverLabel->setObjectName(QStringLiteral("serverLabel"));
    // Others copy the join command from here.
    m_serverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_appStateLabel->setText(m_appState->statusText());
    statusBar()->addWidget(m_appStateLabel, 1);
    statusBar()->addPermanentWidget(m_serverLabel);

    buildMenus();

    connect(m_appState, &AppStateController::statusTextChanged, m_appStateLabel, &QLabel::setText);
    connect(
        m_appState, &AppStateController::keepAlivePinged, this,
        [this](bool, const QString &text) { m_eventLog->record(QStringLiteral("ping"), text); });
    connect(m_manualControls, &ManualControls::resultReported, this,
            [this](const QString &action, bool, const QString &text) {
                m_eventLog->record(QStringLiteral("manual"), action + QLatin1String(": ") + text);
            });
    connect(m_simulateMenu, &SimulateMenu::simulated, this,
            [this](const QString &what) { m_eventLog->record(QStringLiteral("simulate"), what); });
    connect(m_settingsPanel, &SettingsPanel::applied, this, &MainWindow::onSettingsApplied);
    if (m_server)
        connect(m_server, &BundledServer::started, this, &MainWindow::updateServerLabel);

    m_manualControls->setVisible(m_config.mode() == AppConfig::Mode::Manual);
    updateServerLabel();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *exportLog = file->addAction(tr("&Export event log…"));
    connect(exportLog, &QAction::triggered, this, &MainWindow::exportEventLog);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    menuBar()->addMenu(m_simulateMenu);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_simulateBackground = view->addAction(tr("Simulate &background"));
    m_simulateBackground->setCheckable(true);
    m_simulateBackground->setToolTip(
        tr("Behave as if the window were in the background, as a phone app would be."));
    connect(m_simulateBackground, &QAction::toggled, m_appState,
            &AppStateController::setSimulateBackground);
    connect(m_appState, &AppStateController::simulateBackgroundChanged, m_simulateBackground,
            &QAction::setChecked);
    view->addSeparator();
    QAction *settings = m_settingsDock->toggleViewAction();
    settings->setText(tr("&Settings"));
    view->addAction(settings);
    QAction *log = m_eventLogDock->toggleViewAction();
    log->setText(tr("&Event log"));
    view->addAction(log);
}

void MainWindow::setSettingsStore(QSettings *store)
{
    m_settingsStore = store;
}

void MainWindow::setDataDirectory(const QString &directory)
{
    m_dataDirectory = directory;
    updateServerLabel();
}

QUrl MainWindow::connectionUrl(const AppConfig &config) const
{
    if (!config.serverUrl().isEmpty())
        return QUrl(config.serverUrl());
    // Through the proxy, so that Simulate → Cut network reaches this app's link.
    if (m_proxy)
        return m_proxy->url();
    if (m_server)
        return m_server->url();
    // Started with --server: no bundled server runs that an empty URL could mean.
    return m_connection->settings().serverUrl();
}

void MainWindow::applyConfig(const AppConfig &config)
{
    const bool sessionChanged = !m_configApplied || config.user() != m_config.user()
        || config.token() != m_config.token();
    m_config = config;
    m_settingsPanel->setConfig(config);

    const auto report = [this](const lifeline::ChatError &error) {
        const QString text
            = error.code + QLatin1String(": ") + error.message + QLatin1Char(' ') + error.details;
        m_eventLog->record(SettingsKind, text);
        statusBar()->showMessage(text, 10000);
    };
    m_connection->init(AppConfig::appId(),
                       config.toAppSettings(connectionUrl(config), m_dataDirectory), {}, report);
    if (sessionChanged)
        m_connection->login(config.user(), config.token(), {}, report);
    m_configApplied = true;
    qCInfo(lcUi).noquote() << "settings applied:" << AppConfig::modeName(config.mode())
                           << "mode, server" << connectionUrl(config).toDisplayString()
                           << (sessionChanged ? "with a new session" : "same session");

    m_manualControls->setVisible(config.mode() == AppConfig::Mode::Manual);
    m_appState->setKeepAlive(config.keepAliveInBackground(), config.keepAlivePingS() * 1000);
    setWindowTitle(tr("Lifeline — %1").arg(config.user()));
    updateServerLabel();
    Q_EMIT configApplied(config);
}

void MainWindow::onSettingsApplied(const AppConfig &config)
{
    if (m_settingsStore) {
        config.save(*m_settingsStore);
        m_settingsStore->sync();
        // The settings hold the token: readable by the user only, like the session file.
        QFile::setPermissions(m_settingsStore->fileName(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        if (m_settingsStore->status() != QSettings::NoError)
            m_eventLog->record(
                SettingsKind,
                tr("Could not save the settings to %1").arg(m_settingsStore->fileName()));
    }
    m_eventLog->record(SettingsKind, tr("Settings applied"));
    applyConfig(config);
}

void MainWindow::exportEventLog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export event log"),
        QDir::home().filePath(QStringLiteral("lifeline-events.jsonl")),
        tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (m_eventLog->exportJsonLines(path, &error))
        statusBar()->showMessage(tr("Event log exported to %1").arg(path), 5000);
    else
        statusBar()->showMessage(tr("Export failed: %1").arg(error), 10000);
}

void MainWindow::updateServerLabel()
{
    if (m_server && m_config.serverUrl().isEmpty()) {
        const QString url = m_server->url().toString();
        if (url.isEmpty()) {
            m_serverLabel->setText(tr("Bundled server starting…"));
            return;
        }
        // Others join the server itself, not this app's fault proxy, and need a data
        // directory of their own: two clients must not share one session.
        const QString otherDir = QDir::temp().filePath(QStringLiteral("lifeline-bob"));
        m_serverLabel->setText(tr("Bundled server at %1 — others join with: lifeline --server %1 "
                                  "--user bob --data-dir %2")
                                   .arg(url, QDir::toNativeSeparators(otherDir)));
        return;
    }
    const QUrl url
        = m_configApplied ? connectionUrl(m_config) : m_connection->settings().serverUrl();
    m_serverLabel->setText(tr("Server: %1").arg(url.toDisplayString()));
}
