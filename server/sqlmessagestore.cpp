#include "sqlmessagestore.h"

#include "preparedstatements.h"
#include "storedmessagecolumns.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace lifeline::server {

namespace {

const QString SqliteDriver = QStringLiteral("QSQLITE");

// The layout of the messages table this code reads and writes; a file with a higher version
// was written by a newer server and is refused rather than misread.
constexpr int SchemaVersion = 1;

// SQLite's result code for a database another connection holds locked.
const QString SqliteBusy = QStringLiteral("5");

QAtomicInteger<int> connectionCounter;

QString describe(const QSqlError &error)
{
    QString text = error.text().trimmed();
    if (text.isEmpty())
        text = QStringLiteral("unknown database error");
    if (error.nativeErrorCode() == SqliteBusy)
        text += QStringLiteral(" (is another lifeline-server using this data directory?)");
    return text;
}

bool execute(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    *error = describe(query.lastError());
    return false;
}

bool execute(const QSqlDatabase &db, const QString &statement, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(statement))
        return true;
    *error = QStringLiteral("%1 (%2)").arg(describe(query.lastError()), statement);
    return false;
}

} // namespace

struct SqlMessageStore::Connection
{
    QString name;
    QSqlDatabase db;
    QSqlQuery findById;
    QSqlQuery insert;
    QSqlQuery readAfter;
    QSqlQuery removeUpTo;
    QSqlQuery bounds;
};

SqlMessageStore::SqlMessageStore() = default;

SqlMessageStore::~SqlMessageStore()
{
    close();
}

QString SqlMessageStore::fileName()
{
    return QStringLiteral("messages.db");
}

bool SqlMessageStore::open(const QString &path, QString *error)
{
    if (m_connection) {
        *error = QStringLiteral("the message store is open already");
        return false;
    }
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        *error = QStringLiteral("%1 exists but is not a file").arg(path);
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(SqliteDriver)) {
        *error = QStringLiteral("Qt's SQLite driver (QSQLITE) is not installed; on Debian "
                                "install libqt6sql6-sqlite");
        return false;
    }
    // SQLite would create the file with the process's umask (often 0644), and it gives the
    // -wal and -shm files the mode of the database file: made here first, all three are the
    // owner's alone, whatever the mode of the directory they are in.
    if (!info.exists()) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                       QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
            *error = QStringLiteral("%1: unable to open the database file: cannot create it (%2)")
                         .arg(path, file.errorString());
            return false;
        }
    }
    m_connection = std::make_unique<Connection>();
    m_connection->name
        = QStringLiteral("lifeline-messages-%1").arg(connectionCounter.fetchAndAddRelaxed(1));
    m_connection->db = QSqlDatabase::addDatabase(SqliteDriver, m_connection->name);
    m_connection->db.setDatabaseName(path);
    // The file is ours alone (see setUpSchema): a lock means another server holds it, and
    // waiting would not help.
    m_connection->db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    QString problem;
    qint64 oldest = 0;
    qint64 newest = 0;
    if (!m_connection->db.open()) {
        problem = describe(m_connection->db.lastError());
    } else if (setUpSchema(&problem) && prepareStatements(&problem)
               && readBounds(&oldest, &newest, &problem)) {
        m_oldest = oldest;
        m_newest = newest;
        return true;
    }
    *error = QStringLiteral("%1: %2").arg(path, problem);
    close();
    return false;
}

void SqlMessageStore::close()
{
    if (!m_connection)
        return;
    const QString name = m_connection->name;
    m_connection->db.close();
    // Every handle on the connection must be gone before Qt lets go of it.
    m_connection.reset();
    QSqlDatabase::removeDatabase(name);
    m_oldest = 0;
    m_newest = 0;
}

// SQLite's schema and pragmas; PostgreSQL has a store of its own (PostgresMessageStore).
bool SqlMessageStore::setUpSchema(QString *error)
{
    const QSqlDatabase &db = m_connection->db;
    if (db.driverName() != SqliteDriver) {
        *error = QStringLiteral("no schema for the %1 driver").arg(db.driverName());
        return false;
    }
    // EXCLUSIVE first: SQLite then keeps the WAL index in our memory instead of a shared -shm
    // file, and the first write takes a lock this connection never gives back.
    if (!execute(db, QStringLiteral("PRAGMA locking_mode = EXCLUSIVE"), error))
        return false;
    // Checked before anything is written, so that a file that is not ours stays untouched.
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        *error = describe(query.lastError());
        return false;
    }
    const int version = query.value(0).toInt();
    if (version > SchemaVersion) {
        *error = QStringLiteral("the file was written by a newer lifeline-server (schema "
                                "version %1; this one knows %2)")
                     .arg(version)
                     .arg(SchemaVersion);
        return false;
    }
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master "
                                   "WHERE type = 'table' AND name = 'messages'"))
        || !query.next()) {
        *error = describe(query.lastError());
        return false;
    }
    if (query.value(0).toInt() > 0
        && !execute(
            db, QStringLiteral("SELECT %1 FROM messages LIMIT 0").arg(storedmessagecolumns::list()),
            error))
        return false;
    // synchronous=FULL syncs the WAL at every commit; NORMAL could lose the last commits on a
    // power cut, which would break the promise of an ack.
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next()) {
        *error = describe(query.lastError());
        return false;
    }
    if (query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        *error = QStringLiteral("the file system does not support SQLite's WAL journal");
        return false;
    }
    query.finish();
    if (!execute(db, QStringLiteral("PRAGMA synchronous = FULL"), error))
        return false;
    // AUTOINCREMENT: SQLite never hands out a rowid again, even after the rows with the highest
    // ones were deleted. The unique index makes the id dedupe exact.
    const QString statements[] = {
        QStringLiteral("BEGIN EXCLUSIVE"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS messages ("
                       "seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                       "id TEXT NOT NULL, "
                       "room TEXT NOT NULL, "
                       "sender TEXT NOT NULL, "
                       "body TEXT NOT NULL, "
                       "sent_at INTEGER NOT NULL)"),
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS messages_id ON messages (id)"),
        QStringLiteral("PRAGMA user_version = %1").arg(SchemaVersion),
        QStringLiteral("COMMIT"),
    };
    for (const QString &statement : statements) {
        if (!execute(db, statement, error)) {
            QString ignored;
            execute(db, QStringLiteral("ROLLBACK"), &ignored);
            return false;
        }
    }
    return true;
}

bool SqlMessageStore::prepareStatements(QString *error)
{
    Connection &c = *m_connection;
    return server::prepareStatements(
        c.db,
        {
            {&c.findById, QStringLiteral("SELECT seq, sender FROM messages WHERE id = ?")},
            {&c.insert,
             QStringLiteral("INSERT INTO messages (id, room, sender, body, sent_at) "
                            "VALUES (?, ?, ?, ?, ?)")},
            {&c.readAfter,
             QStringLiteral("SELECT %1 FROM messages WHERE seq > ? ORDER BY seq LIMIT ?")
                 .arg(storedmessagecolumns::list())},
            {&c.removeUpTo, QStringLiteral("DELETE FROM messages WHERE seq <= ?")},
            {&c.bounds, QStringLiteral("SELECT MIN(seq), MAX(seq) FROM messages")},
        },
        describe, error);
}

bool SqlMessageStore::readBounds(qint64 *oldest, qint64 *newest, QString *error)
{
    QSqlQuery &bounds = m_connection->bounds;
    if (!execute(bounds, error))
        return false;
    if (!bounds.next()) {
        *error = describe(bounds.lastError());
        return false;
    }
    // MIN and MAX of an empty table are NULL, which reads as 0.
    *oldest = bounds.value(0).toLongLong();
    *newest = bounds.value(1).toLongLong();
    bounds.finish();
    return true;
}

bool SqlMessageStore::append(const QList<StoredMessage> &messages, QList<Appended> *results,
                             QString *error)
{
    results->clear();
    if (!m_connection) {
        *error = QStringLiteral("the message store is not open");
        return false;
    }
    Connection &c = *m_connection;
    if (!c.db.transaction()) {
        *error = describe(c.db.lastError());
        return false;
    }
    QList<Appended> appended;
    appended.reserve(messages.size());
    qint64 oldest = m_oldest;
    qint64 newest = m_newest;
    const auto fail = [&c, results, error](const QSqlQuery &query) {
        *error = describe(query.lastError());
        c.db.rollback();
        results->clear();
        return false;
    };
    for (const StoredMessage &message : messages) {
        c.findById.bindValue(0, message.id);
        if (!c.findById.exec())
            return fail(c.findById);
        if (c.findById.next()) {
            appended.append(
                {c.findById.value(0).toLongLong(), false, c.findById.value(1).toString()});
            c.findById.finish();
            continue;
        }
        c.findById.finish();
        c.insert.bindValue(0, message.id);
        c.insert.bindValue(1, message.room);
        c.insert.bindValue(2, message.sender);
        c.insert.bindValue(3, message.text);
        c.insert.bindValue(4, message.sentAt);
        if (!c.insert.exec())
            return fail(c.insert);
        const qint64 seq = c.insert.lastInsertId().toLongLong();
        appended.append({seq, true, message.sender});
        newest = seq;
        if (oldest == 0)
            oldest = seq;
    }
    if (m_retention > 0 && oldest > 0 && newest - m_retention >= oldest) {
        c.removeUpTo.bindValue(0, newest - m_retention);
        if (!c.removeUpTo.exec())
            return fail(c.removeUpTo);
        if (!readBounds(&oldest, &newest, error)) {
            c.db.rollback();
            return false;
        }
    }
    if (!c.db.commit()) {
        *error = describe(c.db.lastError());
        c.db.rollback();
        return false;
    }
    m_oldest = oldest;
    m_newest = newest;
    *results = std::move(appended);
    return true;
}

bool SqlMessageStore::readAfter(qint64 after, int limit, QList<StoredMessage> *messages,
                                QString *error)
{
    messages->clear();
    if (!m_connection) {
        *error = QStringLiteral("the message store is not open");
        return false;
    }
    QSqlQuery &query = m_connection->readAfter;
    query.bindValue(0, after);
    query.bindValue(1, limit);
    if (!execute(query, error))
        return false;
    while (query.next())
        messages->append(storedmessagecolumns::read(query));
    const QSqlError sqlError = query.lastError();
    query.finish();
    if (sqlError.isValid()) {
        *error = describe(sqlError);
        messages->clear();
        return false;
    }
    return true;
}

bool SqlMessageStore::seqOf(const QString &id, qint64 *seq, QString *error)
{
    *seq = 0;
    if (!m_connection) {
        *error = QStringLiteral("the message store is not open");
        return false;
    }
    QSqlQuery &query = m_connection->findById;
    query.bindValue(0, id);
    if (!execute(query, error))
        return false;
    if (query.next())
        *seq = query.value(0).toLongLong();
    query.finish();
    return true;
}

} // namespace lifeline::server
