#include "appconfig.h"

#include <lifeline/appsettingsbuilder.h>

#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

#include <chrono>

namespace lifeline::ui {

namespace {

constexpr auto ServerUrlKey = "server/url";
constexpr auto UserKey = "session/user";
constexpr auto TokenKey = "session/token";
constexpr auto ModeKey = "connection/mode";
constexpr auto BackgroundGraceKey = "connection/backgroundGraceS";
constexpr auto KeepAliveKey = "connection/keepAliveInBackground";
constexpr auto KeepAlivePingKey = "connection/keepAlivePingS";
constexpr auto HeartbeatIntervalKey = "connection/heartbeatIntervalS";
constexpr auto HeartbeatTimeoutKey = "connection/heartbeatTimeoutS";
constexpr auto ReconnectInitialKey = "connection/reconnectInitialS";
constexpr auto ReconnectMaxKey = "connection/reconnectMaxS";
constexpr auto MaxAttemptsKey = "connection/maxAttempts";
constexpr auto JitterKey = "connection/jitter";
constexpr auto LanguageKey = "ui/language";

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

// A stored value that is not a number must not turn into 0 and then fail validation with a
// message about a field the user never touched; it keeps the default instead.
int readInt(QSettings &settings, const char *name, int fallback)
{
    bool ok = false;
    const int value = settings.value(key(name), fallback).toInt(&ok);
    return ok ? value : fallback;
}

double readDouble(QSettings &settings, const char *name, double fallback)
{
    bool ok = false;
    const double value = settings.value(key(name), fallback).toDouble(&ok);
    return ok ? value : fallback;
}

} // namespace

QString AppConfig::appId()
{
    return QStringLiteral("lifeline");
}

QString AppConfig::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Auto:
        return QStringLiteral("auto");
    case Mode::Manual:
        return QStringLiteral("manual");
    }
    return QStringLiteral("auto");
}

std::optional<AppConfig::Mode> AppConfig::modeFromName(const QString &name)
{
    if (name == QLatin1String("auto"))
        return Mode::Auto;
    if (name == QLatin1String("manual"))
        return Mode::Manual;
    return std::nullopt;
}

QStringList AppConfig::validationErrors() const
{
    QStringList errors;
    const auto add = [&errors](const char *field, const QString &problem) {
        errors.append(QLatin1String(field) + QLatin1String(": ") + problem);
    };

    for (const QUrl &url : serverUrls()) {
        const QString scheme = url.scheme();
        if (!url.isValid() || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
            || url.host().isEmpty()) {
            add("serverUrl",
                tr("must be ws:// or wss:// URLs with a host, separated by commas, e.g. "
                   "ws://127.0.0.1:8080, or empty for the bundled server"));
            break;
        }
    }
    if (m_user.trimmed().isEmpty())
        add("user", tr("must not be empty"));
    else if (m_user.trimmed() != m_user)
        add("user", tr("must not start or end with a space"));
    if (m_token.isEmpty())
        add("token", tr("must not be empty (any token works with the bundled server)"));
    if (m_backgroundGraceS < 0)
        add("backgroundGraceS", tr("must be 0 or more seconds (got %1)").arg(m_backgroundGraceS));
    if (m_keepAlivePingS < 1)
        add("keepAlivePingS", tr("must be at least 1 second (got %1)").arg(m_keepAlivePingS));
    else if (m_keepAliveInBackground && m_backgroundGraceS >= 0
             && m_keepAlivePingS >= m_backgroundGraceS)
        // A ping that comes after the grace period ran out finds the link already closed.
        add("keepAlivePingS",
            tr("must be shorter than the background grace period (%1 s), or the link closes "
               "before the first ping")
                .arg(m_backgroundGraceS));
    if (m_heartbeatIntervalS < 1)
        add("heartbeatIntervalS",
            tr("must be at least 1 second (got %1)").arg(m_heartbeatIntervalS));
    if (m_heartbeatTimeoutS < 1)
        add("heartbeatTimeoutS", tr("must be at least 1 second (got %1)").arg(m_heartbeatTimeoutS));
    if (m_reconnectInitialS < 1)
        add("reconnectInitialS", tr("must be at least 1 second (got %1)").arg(m_reconnectInitialS));
    if (m_reconnectMaxS < m_reconnectInitialS)
        add("reconnectMaxS",
            tr("must not be less than the first delay (%1 s)").arg(m_reconnectInitialS));
    if (m_maxAttempts < 0)
        add("maxAttempts", tr("must be 0 (never give up) or more (got %1)").arg(m_maxAttempts));
    if (!(m_jitter >= 0.0 && m_jitter <= 1.0))
        add("jitter", tr("must be between 0 and 1 (got %1)").arg(m_jitter));
    static const QRegularExpression languagePattern(QStringLiteral("^[a-z]{2,3}([_-][A-Z]{2})?$"));
    if (!m_language.isEmpty() && !languagePattern.match(m_language).hasMatch())
        add("language",
            tr("must be a language code such as de or en_GB, or empty for the system's"));
    return errors;
}

AppConfig AppConfig::load(QSettings &settings)
{
    AppConfig config;
    config.m_serverUrl = settings.value(key(ServerUrlKey)).toString();
    config.m_user = settings.value(key(UserKey)).toString();
    config.m_token = settings.value(key(TokenKey)).toString();
    config.m_mode = modeFromName(settings.value(key(ModeKey)).toString()).value_or(Mode::Auto);
    config.m_backgroundGraceS = readInt(settings, BackgroundGraceKey, config.m_backgroundGraceS);
    config.m_keepAliveInBackground
        = settings.value(key(KeepAliveKey), config.m_keepAliveInBackground).toBool();
    config.m_keepAlivePingS = readInt(settings, KeepAlivePingKey, config.m_keepAlivePingS);
    config.m_heartbeatIntervalS
        = readInt(settings, HeartbeatIntervalKey, config.m_heartbeatIntervalS);
    config.m_heartbeatTimeoutS = readInt(settings, HeartbeatTimeoutKey, config.m_heartbeatTimeoutS);
    config.m_reconnectInitialS = readInt(settings, ReconnectInitialKey, config.m_reconnectInitialS);
    config.m_reconnectMaxS = readInt(settings, ReconnectMaxKey, config.m_reconnectMaxS);
    config.m_maxAttempts = readInt(settings, MaxAttemptsKey, config.m_maxAttempts);
    config.m_jitter = readDouble(settings, JitterKey, config.m_jitter);
    config.m_language = settings.value(key(LanguageKey)).toString();
    return config;
}

void AppConfig::save(QSettings &settings) const
{
    settings.setValue(key(ServerUrlKey), m_serverUrl);
    settings.setValue(key(UserKey), m_user);
    settings.setValue(key(TokenKey), m_token);
    settings.setValue(key(ModeKey), modeName(m_mode));
    settings.setValue(key(BackgroundGraceKey), m_backgroundGraceS);
    settings.setValue(key(KeepAliveKey), m_keepAliveInBackground);
    settings.setValue(key(KeepAlivePingKey), m_keepAlivePingS);
    settings.setValue(key(HeartbeatIntervalKey), m_heartbeatIntervalS);
    settings.setValue(key(HeartbeatTimeoutKey), m_heartbeatTimeoutS);
    settings.setValue(key(ReconnectInitialKey), m_reconnectInitialS);
    settings.setValue(key(ReconnectMaxKey), m_reconnectMaxS);
    settings.setValue(key(MaxAttemptsKey), m_maxAttempts);
    settings.setValue(key(JitterKey), m_jitter);
    settings.setValue(key(LanguageKey), m_language);
}

QList<QUrl> AppConfig::serverUrls() const
{
    QList<QUrl> urls;
    if (m_serverUrl.trimmed().isEmpty())
        return urls;
    for (const QString &part : m_serverUrl.split(QLatin1Char(',')))
        urls.append(QUrl(part.trimmed(), QUrl::StrictMode));
    return urls;
}

lifeline::AppSettings AppConfig::toAppSettings(const QList<QUrl> &serverUrls,
                                               const QString &dataDir) const
{
    using std::chrono::seconds;
    return lifeline::AppSettingsBuilder()
        .setServerUrls(serverUrls)
        .setAutoEstablishSocketConnection(m_mode == Mode::Auto)
        .setBackgroundGrace(seconds(m_backgroundGraceS))
        .setHeartbeatInterval(seconds(m_heartbeatIntervalS))
        .setHeartbeatTimeout(seconds(m_heartbeatTimeoutS))
        .setReconnectDelay(seconds(m_reconnectInitialS), seconds(m_reconnectMaxS))
        .setReconnectJitter(m_jitter)
        .setMaxReconnectAttempts(m_maxAttempts)
        .setDataDirectory(dataDir)
        .build();
}

bool operator==(const AppConfig &a, const AppConfig &b)
{
    return a.m_serverUrl == b.m_serverUrl && a.m_user == b.m_user && a.m_token == b.m_token
        && a.m_mode == b.m_mode && a.m_backgroundGraceS == b.m_backgroundGraceS
        && a.m_keepAliveInBackground == b.m_keepAliveInBackground
        && a.m_keepAlivePingS == b.m_keepAlivePingS
        && a.m_heartbeatIntervalS == b.m_heartbeatIntervalS
        && a.m_heartbeatTimeoutS == b.m_heartbeatTimeoutS
        && a.m_reconnectInitialS == b.m_reconnectInitialS && a.m_reconnectMaxS == b.m_reconnectMaxS
        && a.m_maxAttempts == b.m_maxAttempts && a.m_jitter == b.m_jitter
        && a.m_language == b.m_language;
}

} // namespace lifeline::ui
