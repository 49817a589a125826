#include "postgresconnection.h"

#include "databaseurl.h"

#include <QAtomicInteger>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace lifeline::server {

namespace {

const QString PostgresDriver = QStringLiteral("QPSQL");

QAtomicInteger<int> connectionCounter;

} // namespace

PostgresConnection::~PostgresConnection()
{
    // Qt lets go of a connection only once no handle refers to it.
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

std::unique_ptr<PostgresConnection>
PostgresConnection::open(const DatabaseUrl &url, const QString &applicationName, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(PostgresDriver)) {
        *error = QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed; on Debian "
                                "install libqt6sql6-psql");
        return nullptr;
    }
    std::unique_ptr<PostgresConnection> c(new PostgresConnection);
    c->m_name = QStringLiteral("lifeline-postgres-%1").arg(connectionCounter.fetchAndAddRelaxed(1));
    c->m_db = QSqlDatabase::addDatabase(PostgresDriver, c->m_name);
    url.applyTo(c->m_db);
    // Later in libpq's options than the URL's own, so this name wins.
    c->m_db.setConnectOptions(c->m_db.connectOptions() + QStringLiteral(";application_name=")
                              + applicationName);
    if (!c->m_db.open()) {
        *error = QStringLiteral("cannot connect to %1: %2")
                     .arg(url.toDisplayString(), describe(c->m_db.lastError()));
        return nullptr;
    }
    // The appends lock one counter row for all instances: one that stalls holding it (frozen,
    // cut off) must not stall the others for as long as TCP takes to notice, and the lock
    // argument needs each statement to see what committed before it (READ COMMITTED, whatever
    // the database's default is). An instance that waits longer answers `retry`.
    const QString session[] = {
        QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED"),
        QStringLiteral("SET lock_timeout = '5s'"),
        QStringLiteral("SET statement_timeout = '10s'"),
        QStringLiteral("SET idle_in_transaction_session_timeout = '10s'"),
    };
    for (const QString &statement : session) {
        if (!c->execute(statement, error))
            return nullptr;
    }
    return c;
}

QString PostgresConnection::applicationName(const QString &instance, const QString &role)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_.:-]"));
    QString name = QStringLiteral("lifeline:") + instance;
    if (!role.isEmpty())
        name += QLatin1Char(':') + role;
    return name.replace(unsafe, QStringLiteral("_"));
}

bool PostgresConnection::execute(const QString &statement, QString *error)
{
    QSqlQuery query(m_db);
    if (query.exec(statement))
        return true;
    *error = QStringLiteral("%1 (%2)").arg(describe(query.lastError()), statement);
    return false;
}

QString PostgresConnection::describe(const QSqlError &error)
{
    const QString text = error.text().trimmed();
    return text.isEmpty() ? QStringLiteral("unknown database error") : text;
}

} // namespace lifeline::server
