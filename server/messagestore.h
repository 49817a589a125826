#pragma once

#include "appendednotice.h"
#include "storedmessage.h"

#include <QList>
#include <QString>

#include <functional>

namespace lifeline::server {

// Where the server keeps messages, durably. ChatServer, MessageHub and ClientConnection know
// only this interface, so that another database (several servers sharing PostgreSQL) can take
// SqlMessageStore's place.
//
// The store assigns seq: it increases strictly and is never reused, also across restarts and
// after retention has removed older messages. It need not be contiguous.
//
// A store may be shared by several servers (PostgreSQL). Its seq is then gap-free in commit
// order: once a reader sees seq n, every seq below n that will ever be stored is visible too,
// so a reader's cursor never passes a hole that fills in later.
class MessageStore
{
public:
    // What append() did with one message.
    struct Appended
    {
        // The message's seq: new, or the one the stored message with its id got earlier.
        qint64 seq = 0;
        // False if a message with this id was stored already; nothing was written for it.
        bool isNew = false;
        // The sender of the stored message; differs from the given one if another user's
        // message has this id.
        QString sender;
    };

    virtual ~MessageStore() = default;

    // Stores, in one transaction and in the order given, every message whose id is not stored
    // yet (an id given twice is stored once); seq fields are ignored. Once this returns true the
    // new messages are on disk, so the server may acknowledge them. All or nothing: on failure
    // nothing is stored, *results is left empty and *error says why. Also removes what the
    // retention no longer keeps, in the same transaction.
    virtual bool append(const QList<StoredMessage> &messages, QList<Appended> *results,
                        QString *error)
        = 0;

    // Up to limit messages with a seq above after, in seq order.
    virtual bool readAfter(qint64 after, int limit, QList<StoredMessage> *messages, QString *error)
        = 0;

    // Sets *seq to the seq of the stored message id, or to 0 if there is none.
    virtual bool seqOf(const QString &id, qint64 *seq, QString *error) = 0;

    // The lowest and the highest seq stored; 0 while the store is empty.
    virtual qint64 oldestSeq() const = 0;
    virtual qint64 newestSeq() const = 0;

    // Keeps the newest count messages (by seq) from the next append() on; 0 keeps everything.
    virtual void setRetention(qint64 count) = 0;

    // Whether the store can be used right now: what a load balancer's health check is told. A
    // store on a local file is as reachable as the process; a database server may be down.
    virtual bool isReachable() const { return true; }

    // A shared store calls handler whenever another server may have appended: on a notice from
    // the database (with what it says), after its link to the database came back, and
    // periodically in case a notice was missed (with a notice that says nothing). A store with
    // one writer never does.
    virtual void setAppendedElsewhereHandler(std::function<void(const AppendedNotice &)> handler)
    {
        Q_UNUSED(handler);
    }
};

} // namespace lifeline::server
