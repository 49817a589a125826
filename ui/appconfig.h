#pragma once

#include <lifeline/appsettings.h>

#include <QCoreApplication>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;
class QUrl;

namespace lifeline::ui {

// What the user can set for the app, as stored in QSettings and shown in the settings panel.
// Times are whole seconds because that is what a person types; toAppSettings() turns them into
// the SDK's settings.
class AppConfig
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(AppConfig)

public:
    // Auto: connected in foreground, dropped in background. Manual: the user connects.
    enum class Mode { Auto, Manual };
    Q_ENUM(Mode)

    AppConfig() = default;

    // The app id the connection manager and the saved session belong to.
    static QString appId();
    // "auto" or "manual", as on the command line and in QSettings.
    static QString modeName(Mode mode);
    // Empty for anything but "auto" or "manual".
    static std::optional<Mode> modeFromName(const QString &name);

    // Empty means: start the bundled server. Several URLs, separated by commas, are the
    // instances of one service (serverUrls()).
    QString serverUrl() const { return m_serverUrl; }
    void setServerUrl(const QString &url) { m_serverUrl = url; }
    // The URLs of serverUrl(), each trimmed; empty for the bundled server.
    QList<QUrl> serverUrls() const;
    QString user() const { return m_user; }
    void setUser(const QString &user) { m_user = user; }
    QString token() const { return m_token; }
    void setToken(const QString &token) { m_token = token; }
    Mode mode() const { return m_mode; }
    void setMode(Mode mode) { m_mode = mode; }
    int backgroundGraceS() const { return m_backgroundGraceS; }
    void setBackgroundGraceS(int seconds) { m_backgroundGraceS = seconds; }
    bool keepAliveInBackground() const { return m_keepAliveInBackground; }
    void setKeepAliveInBackground(bool on) { m_keepAliveInBackground = on; }
    int keepAlivePingS() const { return m_keepAlivePingS; }
    void setKeepAlivePingS(int seconds) { m_keepAlivePingS = seconds; }
    int heartbeatIntervalS() const { return m_heartbeatIntervalS; }
    void setHeartbeatIntervalS(int seconds) { m_heartbeatIntervalS = seconds; }
    int heartbeatTimeoutS() const { return m_heartbeatTimeoutS; }
    void setHeartbeatTimeoutS(int seconds) { m_heartbeatTimeoutS = seconds; }
    int reconnectInitialS() const { return m_reconnectInitialS; }
    void setReconnectInitialS(int seconds) { m_reconnectInitialS = seconds; }
    int reconnectMaxS() const { return m_reconnectMaxS; }
    void setReconnectMaxS(int seconds) { m_reconnectMaxS = seconds; }
    // 0 = never give up.
    int maxAttempts() const { return m_maxAttempts; }
    void setMaxAttempts(int attempts) { m_maxAttempts = attempts; }
    double jitter() const { return m_jitter; }
    void setJitter(double fraction) { m_jitter = fraction; }
    // Empty means: the system's language.
    QString language() const { return m_language; }
    void setLanguage(const QString &code) { m_language = code; }

    // One line per invalid field, "field: problem", the field named as its getter is.
    QStringList validationErrors() const;

    // Missing or unreadable keys keep their defaults.
    static AppConfig load(QSettings &settings);
    void save(QSettings &settings) const;

    // serverUrls are where the app really connects (the fault proxy in front of the bundled
    // server, or serverUrls()); the caller decides because only it knows what runs.
    lifeline::AppSettings toAppSettings(const QList<QUrl> &serverUrls,
                                        const QString &dataDir) const;

    friend bool operator==(const AppConfig &a, const AppConfig &b);
    friend bool operator!=(const AppConfig &a, const AppConfig &b) { return !(a == b); }

private:
    QString m_serverUrl;
    QString m_user;
    QString m_token;
    Mode m_mode = Mode::Auto;
    int m_backgroundGraceS = 30;
    bool m_keepAliveInBackground = false;
    int m_keepAlivePingS = 25;
    int m_heartbeatIntervalS = 10;
    int m_heartbeatTimeoutS = 5;
    int m_reconnectInitialS = 1;
    int m_reconnectMaxS = 30;
    int m_maxAttempts = 5;
    double m_jitter = 0.5;
    QString m_language;
};

} // namespace lifeline::ui

Q_DECLARE_METATYPE(lifeline::ui::AppConfig)
