#include "clientstore.h"

#include "errors.h"
#include "loggingcategories_p.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <algorithm>

namespace lifeline {

namespace {

const char *const schema[] = {
    "CREATE TABLE IF NOT EXISTS outbox ("
    " position INTEGER PRIMARY KEY AUTOINCREMENT,"
    " id TEXT NOT NULL UNIQUE,"
    " room TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " sent_at INTEGER NOT NULL,"
    " failed INTEGER NOT NULL DEFAULT 0,"
    " failure_code TEXT,"
    " failure_message TEXT)",
    "CREATE TABLE IF NOT EXISTS messages ("
    " seq INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE,"
    " room TEXT NOT NULL,"
    " sender TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " sent_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room, seq)",
    "CREATE TABLE IF NOT EXISTS cursor (name TEXT PRIMARY KEY, seq INTEGER NOT NULL)",
    // A message the server stored is no longer waiting, however it became known: by its
    // acknowledgement or by its echo in a catch-up. One statement per acknowledgement, not two.
    "CREATE TRIGGER IF NOT EXISTS stored_leaves_outbox AFTER INSERT ON messages"
    " BEGIN DELETE FROM outbox WHERE id = NEW.id; END",
};

// Opening fails for a reason the user can fix outside the app.
ChatError cannotOpen(const QString &problem)
{
    return errors::storage(problem
                           + QStringLiteral("; check that the data directory is writable, then "
                                            "log in again."));
}

} // namespace

// How many acknowledged messages one INSERT writes; 6 bound values a row stays under the 999
// that older SQLite builds allow in one statement.
constexpr int DeliveredBlock = 64;

struct ClientStore::Statements
{
    explicit Statements(const QSqlDatabase &db)
        : insertDeliveredBlock(db)
        , insertOutbox(db)
        , failOutbox(db)
        , insertMessage(db)
        , saveCursor(db)
    {
        QString block = QStringLiteral(
            "INSERT OR IGNORE INTO messages (seq, id, room, sender, text, sent_at) VALUES ");
        for (int row = 0; row < DeliveredBlock; ++row)
            block += row == 0 ? QStringLiteral("(?, ?, ?, ?, ?, ?)")
                              : QStringLiteral(", (?, ?, ?, ?, ?, ?)");
        insertDeliveredBlock.prepare(block);
        insertOutbox.prepare(
            QStringLiteral("INSERT INTO outbox (id, room, text, sent_at) VALUES (?, ?, ?, ?)"));
        failOutbox.prepare(QStringLiteral(
            "UPDATE outbox SET failed = 1, failure_code = ?, failure_message = ? WHERE id = ?"));
        insertMessage.prepare(
            QStringLiteral("INSERT OR IGNORE INTO messages (seq, id, room, sender, text, sent_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)"));
        saveCursor.prepare(
            QStringLiteral("INSERT OR REPLACE INTO cursor (name, seq) VALUES ('catch-up', ?)"));
    }

    QSqlQuery insertDeliveredBlock;
    QSqlQuery insertOutbox;
    QSqlQuery failOutbox;
    QSqlQuery insertMessage;
    QSqlQuery saveCursor;
};

ClientStore::ClientStore()
    : m_connectionName(QStringLiteral("lifeline-client-") + QUuid::createUuid().toString())
{ }

ClientStore::~ClientStore()
{
    close();
}

Result<> ClientStore::open(const QString &path)
{
    close();
    // The database holds the user's messages: created owner-only before SQLite touches it
    // (SQLite gives its -wal and -shm files the same permissions).
    if (!QFile::exists(path)) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                       QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return cannotOpen(QStringLiteral("cannot create %1: %2").arg(path, file.errorString()));
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(path);
        if (!db.open()) {
            const QString error = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
            return cannotOpen(QStringLiteral("cannot open %1: %2").arg(path, error));
        }
        QSqlQuery query(db);
        // WAL: readers never block the writer. NORMAL for the batches (acknowledgements,
        // received messages, the cursor): a commit survives a crash of this process at once
        // and a power cut from the next checkpoint on, and what a power cut takes is asked
        // for or sent again. enqueue() switches to FULL for its own commit.
        for (const char *statement : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
            if (!query.exec(QString::fromLatin1(statement))) {
                m_lastError = query.lastError().text();
                db.close();
                return cannotOpen(QStringLiteral("cannot set up %1: %2").arg(path, m_lastError));
            }
        }
        for (const char *statement : schema) {
            if (!query.exec(QString::fromLatin1(statement))) {
                m_lastError = query.lastError().text();
                db.close();
                return cannotOpen(QStringLiteral("%1 is not a Lifeline database, or is damaged: %2")
                                      .arg(path, m_lastError));
            }
        }
        m_cursor = 0;
        m_cursorDirty = false;
        if (query.exec(QStringLiteral("SELECT seq FROM cursor WHERE name = 'catch-up'"))
            && query.next())
            m_cursor = query.value(0).toLongLong();
        m_statements = std::make_unique<Statements>(db);
    }
    return {};
}

void ClientStore::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    if (m_inTransaction) {
        // What a failed commit held is asked for, or sent, again on the next connection.
        if (const Result<> committed = commit(); !committed)
            qCWarning(lcOutbox, "%s", qUtf8Printable(committed.error().details));
    }
    m_statements.reset();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool ClientStore::isOpen() const
{
    return m_statements != nullptr;
}

bool ClientStore::exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    m_lastError = query.lastError().text();
    qCWarning(lcOutbox, "database error: %s", qUtf8Printable(m_lastError));
    return false;
}

void ClientStore::beginBatch()
{
    if (m_inTransaction)
        return;
    m_inTransaction = QSqlDatabase::database(m_connectionName, false).transaction();
}

Result<> ClientStore::commit()
{
    if (!m_inTransaction)
        return {};
    if (!m_delivered.isEmpty())
        writeDelivered();
    if (m_cursorDirty) {
        QSqlQuery &query = m_statements->saveCursor;
        query.bindValue(0, m_cursor);
        exec(query);
        m_cursorDirty = false;
    }
    m_inTransaction = false;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.commit()) {
        m_lastError = db.lastError().text();
        db.rollback();
        return errors::storage(
            QStringLiteral("cannot commit to the message store: %1").arg(m_lastError));
    }
    return {};
}

Result<> ClientStore::enqueue(const OutgoingMessage &message)
{
    const auto refuse = [](const QString &problem) {
        return errors::storage(problem
                               + QStringLiteral("; nothing was queued. Free some disk space and "
                                                "send again."));
    };
    if (!isOpen())
        return refuse(QStringLiteral("the message store is not open"));
    beginBatch();
    QSqlQuery &query = m_statements->insertOutbox;
    query.bindValue(0, message.id);
    query.bindValue(1, message.room);
    query.bindValue(2, message.text);
    query.bindValue(3, message.sentAtMs);
    if (!exec(query)) {
        const QString error = m_lastError;
        // The batch it joined goes too; what it held is asked for or sent again later.
        QSqlDatabase::database(m_connectionName, false).rollback();
        m_inTransaction = false;
        return refuse(error);
    }
    // The user's message is the one thing that cannot be fetched again: on disk, synced, before
    // sendMessage() returns, also against a power cut.
    QSqlQuery pragma(QSqlDatabase::database(m_connectionName, false));
    pragma.exec(QStringLiteral("PRAGMA synchronous=FULL"));
    const Result<> committed = commit();
    pragma.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    if (!committed)
        return refuse(committed.error().details);
    return {};
}

QList<OutgoingMessage> ClientStore::outbox() const
{
    QList<OutgoingMessage> messages;
    if (!isOpen())
        return messages;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.exec(QStringLiteral("SELECT id, room, text, sent_at, failed, failure_code, "
                              "failure_message FROM outbox ORDER BY position"));
    while (query.next()) {
        messages.append({query.value(0).toString(), query.value(1).toString(),
                         query.value(2).toString(), query.value(3).toLongLong(),
                         query.value(4).toBool(), query.value(5).toString(),
                         query.value(6).toString()});
    }
    return messages;
}

QList<ChatMessage> ClientStore::history(const QString &room) const
{
    QList<ChatMessage> messages;
    if (!isOpen())
        return messages;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT seq, id, sender, text, sent_at FROM messages "
                                 "WHERE room = ? ORDER BY seq"));
    query.bindValue(0, room);
    query.exec();
    while (query.next()) {
        ChatMessage message;
        message.seq = query.value(0).toLongLong();
        message.id = query.value(1).toString();
        message.room = room;
        message.sender = query.value(2).toString();
        message.text = query.value(3).toString();
        message.sentAt = QDateTime::fromMSecsSinceEpoch(query.value(4).toLongLong());
        message.state = DeliveryState::Delivered;
        messages.append(message);
    }
    // Acknowledged in the open batch: part of the history already.
    bool merged = false;
    for (const Delivered &row : m_delivered) {
        if (row.message.room == room) {
            messages.append(toChatMessage(row));
            merged = true;
        }
    }
    if (merged)
        std::sort(messages.begin(), messages.end(),
                  [](const ChatMessage &a, const ChatMessage &b) { return a.seq < b.seq; });
    return messages;
}

void ClientStore::markDelivered(const OutgoingMessage &message, const QString &sender, qint64 seq)
{
    beginBatch();
    m_delivered.append({message, sender, seq});
    m_deliveredIds.insert(message.id);
}

void ClientStore::writeDelivered()
{
    qsizetype next = 0;
    QSqlQuery &block = m_statements->insertDeliveredBlock;
    for (; next + DeliveredBlock <= m_delivered.size(); next += DeliveredBlock) {
        for (int row = 0; row < DeliveredBlock; ++row) {
            const Delivered &d = m_delivered.at(next + row);
            const int base = row * 6;
            block.bindValue(base, d.seq);
            block.bindValue(base + 1, d.message.id);
            block.bindValue(base + 2, d.message.room);
            block.bindValue(base + 3, d.sender);
            block.bindValue(base + 4, d.message.text);
            block.bindValue(base + 5, d.message.sentAtMs);
        }
        exec(block);
    }
    QSqlQuery &single = m_statements->insertMessage;
    for (; next < m_delivered.size(); ++next) {
        const Delivered &d = m_delivered.at(next);
        single.bindValue(0, d.seq);
        single.bindValue(1, d.message.id);
        single.bindValue(2, d.message.room);
        single.bindValue(3, d.sender);
        single.bindValue(4, d.message.text);
        single.bindValue(5, d.message.sentAtMs);
        exec(single);
    }
    m_delivered.clear();
    m_deliveredIds.clear();
}

ChatMessage ClientStore::toChatMessage(const Delivered &row) const
{
    ChatMessage message;
    message.seq = row.seq;
    message.id = row.message.id;
    message.room = row.message.room;
    message.sender = row.sender;
    message.text = row.message.text;
    message.sentAt = QDateTime::fromMSecsSinceEpoch(row.message.sentAtMs);
    message.state = DeliveryState::Delivered;
    return message;
}

void ClientStore::markFailed(const QString &id, const QString &code, const QString &message)
{
    beginBatch();
    QSqlQuery &query = m_statements->failOutbox;
    query.bindValue(0, code);
    query.bindValue(1, message);
    query.bindValue(2, id);
    exec(query);
}

Result<> ClientStore::requeue(const QString &id)
{
    beginBatch();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE outbox SET failed = 0, failure_code = NULL, "
                                 "failure_message = NULL WHERE id = ?"));
    query.bindValue(0, id);
    if (!exec(query))
        return errors::storage(QStringLiteral("cannot queue %1 again: %2").arg(id, m_lastError));
    return commit();
}

bool ClientStore::storeReceived(const ChatMessage &message)
{
    if (m_deliveredIds.contains(message.id))
        return false; // acknowledged in this batch: known, and written at commit
    beginBatch();
    QSqlQuery &query = m_statements->insertMessage;
    query.bindValue(0, message.seq);
    query.bindValue(1, message.id);
    query.bindValue(2, message.room);
    query.bindValue(3, message.sender);
    query.bindValue(4, message.text);
    query.bindValue(5, message.sentAt.toMSecsSinceEpoch());
    return exec(query) && query.numRowsAffected() > 0;
}

void ClientStore::advanceCursor(qint64 seq)
{
    if (seq <= m_cursor)
        return;
    beginBatch();
    m_cursor = seq;
    m_cursorDirty = true; // written once, in commit(), with the messages it covers
}

} // namespace lifeline
