#include <lifeline/appsettings.h>

#include "trustedcertificates.h"

#include <QSslSocket>
#include <QStandardPaths>

#include <cmath>

using namespace std::chrono_literals;

namespace lifeline {

AppSettings::AppSettings()
    : m_region(QStringLiteral("local"))
    , m_autoEstablishSocketConnection(true)
    , m_backgroundGrace(30s)
    , m_heartbeatInterval(10s)
    , m_heartbeatTimeout(5s)
    , m_connectTimeout(10s)
    , m_reconnectInitialDelay(1s)
    , m_reconnectMaxDelay(30s)
    , m_reconnectJitter(0.5)
    , m_maxReconnectAttempts(5)
    , m_maxPendingMessages(10000)
{ }

QString AppSettings::dataDirectory() const
{
    if (!m_dataDirectory.isEmpty())
        return m_dataDirectory;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QStringList AppSettings::validationErrors() const
{
    QStringList errors;
    const auto requirePositive = [&errors](const char *field, std::chrono::milliseconds value) {
        if (value.count() <= 0)
            errors.append(QStringLiteral("%1: must be more than 0 ms (got %2 ms)")
                              .arg(QLatin1String(field))
                              .arg(value.count()));
    };

    if (m_serverUrls.isEmpty())
        errors.append(QStringLiteral("serverUrl: is required (ws://host:port or wss://host:port)"));
    for (qsizetype i = 0; i < m_serverUrls.size(); ++i) {
        const QUrl &url = m_serverUrls.at(i);
        const QString field = m_serverUrls.size() == 1 ? QStringLiteral("serverUrl")
                                                       : QStringLiteral("serverUrls[%1]").arg(i);
        const QString scheme = url.scheme();
        if (url.isEmpty())
            errors.append(
                QStringLiteral("%1: is required (ws://host:port or wss://host:port)").arg(field));
        else if (!url.isValid() || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
                 || url.host().isEmpty())
            errors.append(
                QStringLiteral("%1: must be a ws:// or wss:// URL with a host (got \"%2\")")
                    .arg(field, url.toDisplayString()));
        else if (scheme == QLatin1String("wss") && !QSslSocket::supportsSsl())
            errors.append(QStringLiteral("%1: wss:// needs TLS, but Qt found no TLS backend "
                                         "(built against %2); install OpenSSL 3")
                              .arg(field, QSslSocket::sslLibraryBuildVersionString()));
    }
    if (m_region.trimmed().isEmpty())
        errors.append(QStringLiteral("region: must not be empty (default \"local\")"));
    if (m_backgroundGrace.count() < 0)
        errors.append(QStringLiteral("backgroundGrace: must not be negative (got %1 ms)")
                          .arg(m_backgroundGrace.count()));
    requirePositive("heartbeatInterval", m_heartbeatInterval);
    requirePositive("heartbeatTimeout", m_heartbeatTimeout);
    requirePositive("connectTimeout", m_connectTimeout);
    requirePositive("reconnectInitialDelay", m_reconnectInitialDelay);
    if (m_reconnectMaxDelay < m_reconnectInitialDelay)
        errors.append(QStringLiteral("reconnectMaxDelay: must not be less than the initial delay "
                                     "(got %1 ms < %2 ms)")
                          .arg(m_reconnectMaxDelay.count())
                          .arg(m_reconnectInitialDelay.count()));
    if (!(m_reconnectJitter >= 0.0 && m_reconnectJitter <= 1.0))
        errors.append(QStringLiteral("reconnectJitter: must be between 0 and 1 (got %1)")
                          .arg(m_reconnectJitter));
    if (m_maxReconnectAttempts < 0)
        errors.append(QStringLiteral("maxReconnectAttempts: must be 0 (never give up) or more "
                                     "(got %1)")
                          .arg(m_maxReconnectAttempts));
    if (m_maxPendingMessages < 1)
        errors.append(QStringLiteral("maxPendingMessages: must be 1 or more (got %1)")
                          .arg(m_maxPendingMessages));
    if (!m_trustedCertificates.isEmpty()) {
        const auto certificates = readTrustedCertificates(m_trustedCertificates);
        if (!certificates)
            errors.append(certificates.error().details);
    }
    if (dataDirectory().isEmpty())
        errors.append(QStringLiteral("dataDirectory: no directory was set and the system has no "
                                     "application data location; set one"));
    return errors;
}

} // namespace lifeline
