#include "postgrescluster.h"

#include <QDir>
#include <QProcess>
#include <QUrl>
#include <QVersionNumber>

#include <pwd.h>
#include <unistd.h>

namespace lifeline::testkit {

namespace {

// The role the tests connect as; initdb makes it the superuser.
const QString Role = QStringLiteral("lifeline");
const QString OwnerWhenRoot = QStringLiteral("postgres");

// The newest server Debian installed: /usr/lib/postgresql/VERSION/bin.
QString findBinDirectory()
{
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QVersionNumber newest;
    QString found;
    for (const QString &entry : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QVersionNumber version = QVersionNumber::fromString(entry);
        if (!QFile::exists(root.filePath(entry + QStringLiteral("/bin/initdb"))))
            continue;
        if (found.isEmpty() || version > newest) {
            newest = version;
            found = root.filePath(entry + QStringLiteral("/bin"));
        }
    }
    return found;
}

} // namespace

PostgresCluster::~PostgresCluster()
{
    if (m_running)
        stop();
}

QStringList PostgresCluster::commandLine(const QString &program, const QStringList &arguments) const
{
    const QString path = QDir(m_binDir).filePath(program);
    if (geteuid() == 0)
        return QStringList {QStringLiteral("runuser"), QStringLiteral("-u"), OwnerWhenRoot,
                            QStringLiteral("--"), path}
        + arguments;
    return QStringList {path} + arguments;
}

bool PostgresCluster::run(const QString &program, const QStringList &arguments, QString *output)
{
    QProcess process;
    const QStringList command = commandLine(program, arguments);
    process.setProgram(command.constFirst());
    process.setArguments(command.mid(1));
    process.setWorkingDirectory(m_dir.path());
    process.start();
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        m_error = QStringLiteral("%1 %2 failed: %3%4")
                      .arg(program, arguments.join(QLatin1Char(' ')), process.errorString(),
                           QString::fromLocal8Bit(process.readAllStandardError()));
        process.kill();
        process.waitForFinished();
        return false;
    }
    if (output)
        *output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    return true;
}

bool PostgresCluster::start()
{
    m_binDir = findBinDirectory();
    if (m_binDir.isEmpty()) {
        m_error = QStringLiteral("no PostgreSQL server under /usr/lib/postgresql; tools/dev "
                                 "installs the postgresql package");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = m_dir.errorString();
        return false;
    }
    if (geteuid() == 0) {
        const passwd *owner = getpwnam(qPrintable(OwnerWhenRoot));
        if (!owner || chown(qPrintable(m_dir.path()), owner->pw_uid, owner->pw_gid) != 0) {
            m_error = QStringLiteral("initdb refuses root, and the user \"%1\" that should own "
                                     "the cluster is missing")
                          .arg(OwnerWhenRoot);
            return false;
        }
    }
    // --no-sync only skips syncing initdb's own files; the server itself runs with fsync and
    // synchronous_commit on, as an operator's would.
    if (!run(QStringLiteral("initdb"),
             {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-U"), Role,
              QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"),
              QStringLiteral("UTF8"), QStringLiteral("--no-sync")}))
        return false;
    return resume();
}

bool PostgresCluster::resume()
{
    if (!run(QStringLiteral("pg_ctl"),
             {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-l"),
              m_dir.filePath(QStringLiteral("postgres.log")), QStringLiteral("-o"),
              QStringLiteral("-c listen_addresses='' -k %1").arg(socketDirectory()),
              QStringLiteral("-w"), QStringLiteral("start")}))
        return false;
    m_running = true;
    return true;
}

bool PostgresCluster::restart()
{
    return run(QStringLiteral("pg_ctl"), restartArguments());
}

QStringList PostgresCluster::restartArguments() const
{
    return {QStringLiteral("-D"),   dataDirectory(),      QStringLiteral("-m"),
            QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("restart")};
}

bool PostgresCluster::stop()
{
    m_running = false;
    return run(QStringLiteral("pg_ctl"),
               {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-m"),
                QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")});
}

QString PostgresCluster::createDatabase(const QString &name)
{
    if (!run(QStringLiteral("createdb"),
             {QStringLiteral("-h"), socketDirectory(), QStringLiteral("-U"), Role, name}))
        return QString();
    return url(name);
}

QString PostgresCluster::url(const QString &database) const
{
    return QStringLiteral("postgresql://%1@/%2?host=%3")
        .arg(Role, database, QString::fromLatin1(QUrl::toPercentEncoding(socketDirectory())));
}

bool PostgresCluster::sql(const QString &database, const QString &statement, QString *output)
{
    return run(QStringLiteral("psql"), sqlArguments(database, statement), output);
}

QStringList PostgresCluster::sqlArguments(const QString &database, const QString &statement) const
{
    return {QStringLiteral("-h"),
            socketDirectory(),
            QStringLiteral("-U"),
            Role,
            QStringLiteral("-d"),
            database,
            QStringLiteral("-X"),
            QStringLiteral("-A"),
            QStringLiteral("-t"),
            QStringLiteral("-v"),
            QStringLiteral("ON_ERROR_STOP=1"),
            QStringLiteral("-c"),
            statement};
}

} // namespace lifeline::testkit
