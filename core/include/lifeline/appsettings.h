#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace lifeline {

class AppSettingsBuilder;

/// How a ConnectionManager connects and retries. A value type made by AppSettingsBuilder;
/// ConnectionManager::init() refuses settings for which validationErrors() is not empty.
class AppSettings
{
public:
    AppSettings();

    /// The first of serverUrls(); empty if there is none.
    QUrl serverUrl() const { return m_serverUrls.value(0); }
    /// The endpoints the connection may use: instances of one service, tried in turn.
    QList<QUrl> serverUrls() const { return m_serverUrls; }
    QString region() const { return m_region; }
    bool autoEstablishSocketConnection() const { return m_autoEstablishSocketConnection; }
    std::chrono::milliseconds backgroundGrace() const { return m_backgroundGrace; }
    std::chrono::milliseconds heartbeatInterval() const { return m_heartbeatInterval; }
    std::chrono::milliseconds heartbeatTimeout() const { return m_heartbeatTimeout; }
    std::chrono::milliseconds connectTimeout() const { return m_connectTimeout; }
    std::chrono::milliseconds reconnectInitialDelay() const { return m_reconnectInitialDelay; }
    std::chrono::milliseconds reconnectMaxDelay() const { return m_reconnectMaxDelay; }
    double reconnectJitter() const { return m_reconnectJitter; }
    int maxReconnectAttempts() const { return m_maxReconnectAttempts; }
    /// How many messages may wait to be delivered before sendMessage() refuses more.
    int maxPendingMessages() const { return m_maxPendingMessages; }
    /// Where the session is kept; QStandardPaths::AppDataLocation when none was set.
    QString dataDirectory() const;
    /// A PEM file of certificates trusted for wss:// besides the system's; empty for none.
    QString trustedCertificates() const { return m_trustedCertificates; }

    /// One line per invalid field, each naming the field, the rule and the value given.
    QStringList validationErrors() const;

private:
    friend class AppSettingsBuilder;

    QList<QUrl> m_serverUrls;
    QString m_region;
    bool m_autoEstablishSocketConnection;
    std::chrono::milliseconds m_backgroundGrace;
    std::chrono::milliseconds m_heartbeatInterval;
    std::chrono::milliseconds m_heartbeatTimeout;
    std::chrono::milliseconds m_connectTimeout;
    std::chrono::milliseconds m_reconnectInitialDelay;
    std::chrono::milliseconds m_reconnectMaxDelay;
    double m_reconnectJitter;
    int m_maxReconnectAttempts;
    int m_maxPendingMessages;
    QString m_dataDirectory;
    QString m_trustedCertificates;
};

} // namespace lifeline
