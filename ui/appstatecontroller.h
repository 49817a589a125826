#pragma once

#include <QObject>
#include <QString>

class QTimer;
namespace lifeline {
class ConnectionManager;
}

namespace lifeline::ui {

// Tells the ConnectionManager whether the window is in front of the user, and keeps a
// background link alive with pings when asked to (what CometChat's background service does).
// It only reports the application state; what that means for the link is the manager's call.
class AppStateController : public QObject
{
    Q_OBJECT
    // "Foreground", "Background" or "Background: closing in N s".
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)
    // Background regardless of the window, for the Simulate menu.
    Q_PROPERTY(bool simulateBackground READ simulateBackground WRITE setSimulateBackground NOTIFY
                   simulateBackgroundChanged)
public:
    explicit AppStateController(lifeline::ConnectionManager *connection, QObject *parent = nullptr);
    ~AppStateController() override;

    QString statusText() const { return m_statusText; }

    bool simulateBackground() const { return m_simulateBackground; }
    void setSimulateBackground(bool on);

    // While in background with the link up, ping every intervalMs so the manual-mode grace
    // period never runs out.
    void setKeepAlive(bool on, int intervalMs = 25000);
    bool isKeepAlive() const { return m_keepAlive; }
    int keepAliveInterval() const { return m_keepAliveIntervalMs; }

    // What QGuiApplication::applicationStateChanged calls; tests call it without a window system.
    void applyApplicationState(Qt::ApplicationState state);

    // Says statusText() again in the language installed now. A QObject gets no LanguageChange
    // of its own: the window that shows the text calls this from its changeEvent().
    void retranslate();

Q_SIGNALS:
    // statusText() changed.
    void statusTextChanged(const QString &text);
    // simulateBackground() changed.
    void simulateBackgroundChanged(bool on);
    // A keep-alive ping finished; text is "Ping answered in N ms" or "CODE: message".
    void keepAlivePinged(bool ok, const QString &text);

private:
    void pushState();
    void updateStatusText();
    void updateKeepAlive();
    void sendKeepAlive();

    lifeline::ConnectionManager *m_connection;
    QTimer *m_countdownTimer;
    QTimer *m_keepAliveTimer;
    Qt::ApplicationState m_applicationState = Qt::ApplicationActive;
    bool m_simulateBackground = false;
    bool m_keepAlive = false;
    int m_keepAliveIntervalMs = 25000;
    QString m_statusText;
};

} // namespace lifeline::ui
