#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace lifeline::testkit {

// A throwaway PostgreSQL for tests, benchmarks and the chaos soak: its own cluster in a temporary
// directory, reachable only through a Unix socket in that directory, removed again by the
// destructor. initdb refuses to run as root, so under root the cluster belongs to the "postgres"
// user that Debian's postgresql package creates.
class PostgresCluster
{
public:
    PostgresCluster() = default;
    ~PostgresCluster();

    PostgresCluster(const PostgresCluster &) = delete;
    PostgresCluster &operator=(const PostgresCluster &) = delete;

    // initdb and start; false with the reason in errorString() otherwise.
    bool start();
    // Stops (fast: sessions are ended) and starts again on the same data.
    bool restart();
    // Stops at once, as a crash would; resume() starts again on the same data.
    bool stop();
    bool resume();
    QString errorString() const { return m_error; }

    // Creates an empty database and returns the URL lifeline-server takes for it.
    QString createDatabase(const QString &name);
    QString url(const QString &database) const;

    // Runs one SQL statement with psql; its output (unaligned, tuples only) goes to *output.
    // False, with the reason in errorString(), on failure.
    bool sql(const QString &database, const QString &statement, QString *output = nullptr);

    // For a caller that runs the program itself, without waiting: the command line that runs a
    // PostgreSQL program as the cluster's owner, program first.
    QStringList commandLine(const QString &program, const QStringList &arguments) const;
    // psql's arguments to run statement in database, and pg_ctl's to restart the cluster.
    QStringList sqlArguments(const QString &database, const QString &statement) const;
    QStringList restartArguments() const;

private:
    // Runs a PostgreSQL program as the cluster's owner, its output to *output.
    bool run(const QString &program, const QStringList &arguments, QString *output = nullptr);
    QString socketDirectory() const { return m_dir.path(); }
    QString dataDirectory() const { return m_dir.filePath(QStringLiteral("data")); }

    QTemporaryDir m_dir;
    QString m_binDir;
    QString m_error;
    bool m_running = false;
};

} // namespace lifeline::testkit
