#include <lifeline/appsettingsbuilder.h>

namespace lifeline {

AppSettingsBuilder &AppSettingsBuilder::setServerUrl(const QUrl &url)
{
    return setServerUrls({url});
}

AppSettingsBuilder &AppSettingsBuilder::setServerUrls(const QList<QUrl> &urls)
{
    m_settings.m_serverUrls = urls;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setRegion(const QString &region)
{
    m_settings.m_region = region;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setAutoEstablishSocketConnection(bool on)
{
    m_settings.m_autoEstablishSocketConnection = on;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setBackgroundGrace(std::chrono::milliseconds grace)
{
    m_settings.m_backgroundGrace = grace;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setHeartbeatInterval(std::chrono::milliseconds interval)
{
    m_settings.m_heartbeatInterval = interval;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setHeartbeatTimeout(std::chrono::milliseconds timeout)
{
    m_settings.m_heartbeatTimeout = timeout;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setConnectTimeout(std::chrono::milliseconds timeout)
{
    m_settings.m_connectTimeout = timeout;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setReconnectDelay(std::chrono::milliseconds initial,
                                                          std::chrono::milliseconds max)
{
    m_settings.m_reconnectInitialDelay = initial;
    m_settings.m_reconnectMaxDelay = max;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setReconnectJitter(double fraction)
{
    m_settings.m_reconnectJitter = fraction;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setMaxReconnectAttempts(int attempts)
{
    m_settings.m_maxReconnectAttempts = attempts;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setMaxPendingMessages(int messages)
{
    m_settings.m_maxPendingMessages = messages;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setDataDirectory(const QString &path)
{
    m_settings.m_dataDirectory = path;
    return *this;
}

AppSettingsBuilder &AppSettingsBuilder::setTrustedCertificates(const QString &pemFile)
{
    m_settings.m_trustedCertificates = pemFile;
    return *this;
}

AppSettings AppSettingsBuilder::build() const
{
    return m_settings;
}

} // namespace lifeline
