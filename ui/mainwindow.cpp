#include "mainwindow.h"

#include "appstatecontroller.h"
#include "bundledserver.h"
#include "chatpanel.h"
#include "composerwidget.h"
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
#include "translations.h"
#include "traynotifier.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace lifeline::ui {

using lifeline::harness::BundledServer;
using lifeline::harness::FaultProxy;

namespace {

const QString Room = QStringLiteral("lobby");

QString displayList(const QList<QUrl> &urls)
{
    QStringList names;
    for (const QUrl &url : urls)
        names.append(url.toDisplayString());
    return names.join(QStringLiteral(", "));
}

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
    , m_settingsDock(new QDockWidget(this))
    , m_simulateMenu(new SimulateMenu(server, proxy, this))
    , m_appStateLabel(new QLabel(this))
    , m_serverLabel(new QLabel(this))
{
    // Every part is named: tools that walk the widget tree (tests, accessibility, screenshots)
    // find it by that name.
    setObjectName(QStringLiteral("mainWindow"));
    m_eventLog->setObjectName(QStringLiteral("eventLog"));
    m_appState->setObjectName(QStringLiteral("appStateController"));
    m_statusIndicator->setObjectName(QStringLiteral("statusIndicator"));
    m_manualControls->setObjectName(QStringLiteral("manualControls"));
    m_appStateLabel->setObjectName(QStringLiteral("appStateLabel"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/lifeline.svg")));

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
    connect(m_appState, &AppStateController::keepAlivePinged, this,
            [this](bool, const QString &text) { m_eventLog->record(EventLog::PingKind, text); });
    connect(m_manualControls, &ManualControls::resultReported, this,
            [this](const QString &action, bool, const QString &text) {
                m_eventLog->record(EventLog::ManualKind, action + QLatin1String(": ") + text);
            });
    connect(m_simulateMenu, &SimulateMenu::simulated, this,
            [this](const QString &what) { m_eventLog->record(EventLog::SimulateKind, what); });
    connect(m_settingsPanel, &SettingsPanel::applied, this, &MainWindow::onSettingsApplied);
    if (m_server)
        connect(m_server, &BundledServer::started, this, &MainWindow::updateServerLabel);

    m_manualControls->setVisible(m_config.mode() == AppConfig::Mode::Manual);
    // A chat window opens to be written in: the first key goes into the message.
    m_chat->composer()->editor()->setFocus();
    retranslateUi();
}

MainWindow::~MainWindow() = default;

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // QObjects have no changeEvent(); the window says their texts again for them.
        m_appState->retranslate();
        m_eventLog->retranslate();
        m_tray->retranslate();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_exportAction = m_fileMenu->addAction(QString());
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportEventLog);
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString());
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    menuBar()->addMenu(m_simulateMenu);

    m_viewMenu = menuBar()->addMenu(QString());
    m_simulateBackground = m_viewMenu->addAction(QString());
    m_simulateBackground->setObjectName(QStringLiteral("simulateBackgroundAction"));
    m_simulateBackground->setCheckable(true);
    connect(m_simulateBackground, &QAction::toggled, m_appState,
            &AppStateController::setSimulateBackground);
    connect(m_appState, &AppStateController::simulateBackgroundChanged, m_simulateBackground,
            &QAction::setChecked);
    m_viewMenu->addSeparator();
    // Named where each dock's title is set (here, and in EventLogDock): a new title renames them.
    m_viewMenu->addAction(m_settingsDock->toggleViewAction());
    m_viewMenu->addAction(m_eventLogDock->toggleViewAction());
}

void MainWindow::retranslateUi()
{
    updateWindowTitle();
    m_fileMenu->setTitle(tr("&File"));
    m_exportAction->setText(tr("&Export event log…"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_simulateBackground->setText(tr("Simulate &background"));
    m_simulateBackground->setToolTip(
        tr("Behave as if the window were in the background, as a phone app would be."));
    m_settingsDock->setWindowTitle(tr("Settings"));
    // After the title, which renames the action and drops its mnemonic.
    m_settingsDock->toggleViewAction()->setText(tr("&Settings"));
    updateServerLabel();
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

QList<QUrl> MainWindow::connectionUrls(const AppConfig &config) const
{
    if (!config.serverUrls().isEmpty())
        return config.serverUrls();
    // Through the proxy, so that Simulate → Cut network reaches this app's link.
    if (m_proxy)
        return {m_proxy->url()};
    if (m_server)
        return {m_server->url()};
    // Started with --server: no bundled server runs that an empty URL could mean.
    return m_connection->settings().serverUrls();
}

void MainWindow::applyConfig(const AppConfig &config)
{
    const bool sessionChanged = !m_configApplied || config.user() != m_config.user()
        || config.token() != m_config.token();
    const bool languageChanged = !m_configApplied || config.language() != m_config.language();
    m_config = config;
    m_settingsPanel->setConfig(config);
    // First, so that the errors below are said in the new language. Every widget sets its
    // texts again on the LanguageChange this posts; main() may have installed it already.
    if (languageChanged)
        Translations::install(QCoreApplication::instance(),
                              Translations::localeFor(config.language()));

    const auto report = [this](const lifeline::ChatError &error) {
        const QString text
            = error.code + QLatin1String(": ") + error.message + QLatin1Char(' ') + error.details;
        m_eventLog->record(EventLog::SettingsKind, text);
        statusBar()->showMessage(text, 10000);
    };
    m_connection->init(AppConfig::appId(),
                       config.toAppSettings(connectionUrls(config), m_dataDirectory), {}, report);
    if (sessionChanged)
        m_connection->login(config.user(), config.token(), {}, report);
    m_configApplied = true;
    qCInfo(lcUi, "settings applied: %s mode, server %s %s",
           qUtf8Printable(AppConfig::modeName(config.mode())),
           qUtf8Printable(displayList(connectionUrls(config))),
           sessionChanged ? "with a new session" : "same session");

    m_manualControls->setVisible(config.mode() == AppConfig::Mode::Manual);
    m_appState->setKeepAlive(config.keepAliveInBackground(), config.keepAlivePingS() * 1000);
    updateWindowTitle();
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
                EventLog::SettingsKind,
                EventLog::TranslatableText {staticMetaObject.className(),
                                            QT_TR_NOOP("Could not save the settings to %1"),
                                            {m_settingsStore->fileName()}});
    }
    m_eventLog->record(EventLog::SettingsKind,
                       EventLog::TranslatableText {
                           staticMetaObject.className(), QT_TR_NOOP("Settings applied"), {}});
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

void MainWindow::updateWindowTitle()
{
    if (m_configApplied)
        setWindowTitle(tr("Lifeline — %1").arg(m_config.user()));
    else
        setWindowTitle(tr("Lifeline"));
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
    const QList<QUrl> urls
        = m_configApplied ? connectionUrls(m_config) : m_connection->settings().serverUrls();
    m_serverLabel->setText(urls.size() > 1 ? tr("Servers: %1").arg(displayList(urls))
                                           : tr("Server: %1").arg(displayList(urls)));
}

} // namespace lifeline::ui
