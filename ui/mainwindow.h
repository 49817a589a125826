#pragma once

#include "appconfig.h"

#include <QMainWindow>

namespace lifeline::harness {
class BundledServer;
class FaultProxy;
} // namespace lifeline::harness
class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSettings;
namespace lifeline {
class ConnectionManager;
class Messenger;
} // namespace lifeline

namespace lifeline::ui {

class AppStateController;
class ChatPanel;
class EventLog;
class EventLogDock;
class ManualControls;
class PresencePanel;
class SettingsPanel;
class SimulateMenu;
class StatusIndicator;
class TimelineWidget;
class TrayNotifier;

// The Lifeline window. It only assembles the panels of the chat and connection areas around
// the core objects it is given and applies the user's settings to them; what the connection
// does is the ConnectionManager's business alone.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // server and proxy are null when the app connects to a server given with --server.
    // Nothing is owned but the window's own widgets.
    explicit MainWindow(lifeline::ConnectionManager *connection, lifeline::Messenger *messenger,
                        lifeline::harness::BundledServer *server,
                        lifeline::harness::FaultProxy *proxy, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Where the settings panel saves what the user applies; null saves nothing. Not owned.
    void setSettingsStore(QSettings *store);
    // Where the connection keeps its session and queue; used by every applyConfig().
    void setDataDirectory(const QString &directory);
    QString dataDirectory() const { return m_dataDirectory; }

    // Initialises the connection with config (again), logs in when the user or token changed
    // (or on the first call), installs the translation when the language changed (or on the
    // first call), and shows config everywhere. Does not save.
    void applyConfig(const AppConfig &config);
    AppConfig config() const { return m_config; }

    // The URL the connection uses for config: the fault proxy (or the bundled server) when
    // config names no server.
    QList<QUrl> connectionUrls(const AppConfig &config) const;

Q_SIGNALS:
    // applyConfig() finished; the connection has been initialised with config.
    void configApplied(const AppConfig &config);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildMenus();
    void retranslateUi();
    void onSettingsApplied(const AppConfig &config);
    void exportEventLog();
    void updateWindowTitle();
    void updateServerLabel();

    lifeline::ConnectionManager *m_connection;
    lifeline::Messenger *m_messenger;
    lifeline::harness::BundledServer *m_server;
    lifeline::harness::FaultProxy *m_proxy;
    QSettings *m_settingsStore = nullptr;
    QString m_dataDirectory;
    AppConfig m_config;
    bool m_configApplied = false;

    EventLog *m_eventLog;
    AppStateController *m_appState;
    TrayNotifier *m_tray;
    StatusIndicator *m_statusIndicator;
    ManualControls *m_manualControls;
    TimelineWidget *m_timeline;
    ChatPanel *m_chat;
    PresencePanel *m_presence;
    EventLogDock *m_eventLogDock;
    SettingsPanel *m_settingsPanel;
    QDockWidget *m_settingsDock;
    SimulateMenu *m_simulateMenu;
    QMenu *m_fileMenu = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QMenu *m_viewMenu = nullptr;
    QAction *m_simulateBackground = nullptr;
    QLabel *m_appStateLabel;
    QLabel *m_serverLabel;
};

} // namespace lifeline::ui
