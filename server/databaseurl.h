#pragma once

#include <QString>
#include <QStringList>

class QSqlDatabase;

namespace lifeline::server {

// Where a PostgreSQL database is, from the libpq-style URI that --database takes:
//   postgresql://[user[:password]@][host][:port]/dbname[?key=value&...]
// "?host=/dir" names a Unix socket directory. Every other query parameter (sslmode,
// sslrootcert, connect_timeout, application_name, ...) goes to libpq unchanged, so that what
// an operator knows from psql works here. A password left out of the URL comes from libpq's
// usual places (PGPASSWORD, ~/.pgpass), so it need not appear in the process list.
class DatabaseUrl
{
public:
    // Parses text; on failure returns an invalid DatabaseUrl and says why in *error.
    static DatabaseUrl parse(const QString &text, QString *error);

    bool isValid() const { return !m_databaseName.isEmpty(); }

    QString host() const { return m_host; }
    int port() const { return m_port; } // -1: libpq's default
    QString userName() const { return m_userName; }
    QString databaseName() const { return m_databaseName; }
    // "key=value" for libpq, in the order the URL gave them.
    QStringList connectOptions() const { return m_connectOptions; }

    // Sets up db (of the QPSQL driver) to connect here.
    void applyTo(QSqlDatabase &db) const;
    // The URL as an operator may read it in a log: never with the password.
    QString toDisplayString() const;

private:
    QString m_host;
    int m_port = -1;
    QString m_userName;
    QString m_password;
    QString m_databaseName;
    QStringList m_connectOptions;
};

} // namespace lifeline::server
