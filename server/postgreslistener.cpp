#include "postgreslistener.h"

#include "loggingcategories_p.h"
#include "postgresconnection.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>

namespace lifeline::server {

PostgresListener::PostgresListener(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(CheckIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &PostgresListener::check);
}

PostgresListener::~PostgresListener() = default;

bool PostgresListener::start(const DatabaseUrl &url, const QString &instance,
                             const QStringList &channels, QString *error)
{
    m_url = url;
    m_applicationName = PostgresConnection::applicationName(instance, QStringLiteral("listen"));
    m_channels = channels;
    if (!listen(error))
        return false;
    m_timer.start();
    return true;
}

bool PostgresListener::listen(QString *error)
{
    // The old connection goes first: its socket notifier must not outlive it.
    m_connection.reset();
    std::unique_ptr<PostgresConnection> connection
        = PostgresConnection::open(m_url, m_applicationName, error);
    if (!connection)
        return false;
    QSqlDriver *driver = connection->db().driver();
    for (const QString &channel : std::as_const(m_channels)) {
        if (!driver->subscribeToNotification(channel)) {
            *error = QStringLiteral("cannot listen for %1: %2")
                         .arg(channel, PostgresConnection::describe(driver->lastError()));
            return false;
        }
    }
    connect(driver, &QSqlDriver::notification, this,
            [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                Q_EMIT notified(name, payload.toString());
            });
    m_connection = std::move(connection);
    return true;
}

void PostgresListener::check()
{
    // A killed backend or a restarted PostgreSQL leaves the driver closed, or fails the next
    // statement; a silent network fails it after connect_timeout at worst.
    QString error;
    if (!m_connection || !m_connection->isOpen()
        || !m_connection->execute(QStringLiteral("SELECT 1"), &error)) {
        if (m_connection)
            qCWarning(lcServer,
                      "lost the connection that listens for the other instances; "
                      "reconnecting");
        if (listen(&error)) {
            qCInfo(lcServer, "listening for the other instances again");
            Q_EMIT resumed();
        }
    }
    Q_EMIT checked();
}

} // namespace lifeline::server
