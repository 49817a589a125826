#pragma once

#include "result.h"

#include <lifeline/chatmessage.h>

#include <QSet>
#include <QString>

#include <memory>

class QSqlDatabase;
class QSqlQuery;

namespace lifeline {

// One of the user's own messages that the server has not acknowledged yet.
struct OutgoingMessage
{
    QString id;
    QString room;
    QString text;
    qint64 sentAtMs = 0;
    bool failed = false;
    QString failureCode;
    QString failureMessage;
};

// The client's SQLite database (one per user, in the data directory): the outbox, every message
// seen in server order, and the catch-up cursor.
//
// enqueue() commits before it returns: a message the user typed is on disk before the call
// that took it returns. Everything else (acknowledgements, received messages, the cursor) joins
// one transaction that commit() ends, so a burst of frames costs one commit, not one each.
// Nothing is lost by that: what was not committed is asked for again, or sent again, on the
// next connection, and the server's idempotency keys make the repeat harmless.
class ClientStore
{
public:
    ClientStore();
    ~ClientStore();
    ClientStore(const ClientStore &) = delete;
    ClientStore &operator=(const ClientStore &) = delete;

    // Opens (creating, readable by its owner only) the database at path. Fails with
    // ERR_STORAGE, saying what to do.
    Result<> open(const QString &path);
    void close();
    bool isOpen() const;

    // Durable before it returns; fails with ERR_STORAGE, and then nothing was queued.
    Result<> enqueue(const OutgoingMessage &message);
    // Undelivered messages, queued and failed, in the order they were sent.
    QList<OutgoingMessage> outbox() const;
    qint64 cursor() const { return m_cursor; }
    // Messages the server stored (own and others'), of one room, in server order.
    QList<ChatMessage> history(const QString &room) const;

    // Batched until commit(); history() includes them before that all the same.
    void markDelivered(const OutgoingMessage &message, const QString &sender, qint64 seq);
    void markFailed(const QString &id, const QString &code, const QString &message);
    // A failed message goes back in the queue; committed at once.
    Result<> requeue(const QString &id);
    // False when the message was already known (the echo of an own message, or a repeat).
    bool storeReceived(const ChatMessage &message);
    void advanceCursor(qint64 seq);
    // Ends the open batch. What fails is asked for, or sent, again on the next connection.
    Result<> commit();
    bool hasUncommitted() const { return m_inTransaction; }

private:
    bool exec(QSqlQuery &query);
    void beginBatch();

    QString m_connectionName;
    qint64 m_cursor = 0;
    bool m_cursorDirty = false;
    struct Delivered
    {
        OutgoingMessage message;
        QString sender;
        qint64 seq;
    };
    // Acknowledged messages, written in commit() in blocks of rows: Qt's cost per statement is
    // what limits throughput, not SQLite's.
    QList<Delivered> m_delivered;
    QSet<QString> m_deliveredIds;
    void writeDelivered();
    ChatMessage toChatMessage(const Delivered &row) const;
    bool m_inTransaction = false;
    QString m_lastError;
    struct Statements;
    std::unique_ptr<Statements> m_statements;
};

} // namespace lifeline
