#pragma once

#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace lifeline::server {

class DatabaseUrl;

// One connection to PostgreSQL through QtSql's QPSQL driver, named in pg_stat_activity as
// applicationName so that an operator sees which instance holds it. Queries on db() must be
// gone before the connection is; declare them after it.
class PostgresConnection
{
public:
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection &) = delete;
    PostgresConnection &operator=(const PostgresConnection &) = delete;

    // Connects; null with the reason in *error (never with the password) otherwise.
    static std::unique_ptr<PostgresConnection> open(const DatabaseUrl &url,
                                                    const QString &applicationName, QString *error);
    // "lifeline:INSTANCE" with what libpq cannot take unquoted replaced.
    static QString applicationName(const QString &instance, const QString &role = QString());

    QSqlDatabase &db() { return m_db; }
    // False once PostgreSQL ended the session or the link broke.
    bool isOpen() const { return m_db.isOpen(); }
    bool execute(const QString &statement, QString *error);

    static QString describe(const class QSqlError &error);

private:
    PostgresConnection() = default;

    QString m_name;
    QSqlDatabase m_db;
};

} // namespace lifeline::server
