#pragma once

#include "storedmessage.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace lifeline::server {

struct AppendedNotice;
class ClientConnection;
class EncodedTextFrames;
class MessageStore;

// The path every message takes. Collects the sends that arrive in one event-loop turn, stores
// them in one transaction, and only then acknowledges each to its sender and sends each new one
// to every connection that is live (has finished its catch-up), encoded once for all of them.
class MessageHub : public QObject
{
    Q_OBJECT
public:
    // store must outlive the hub.
    explicit MessageHub(MessageStore *store, QObject *parent = nullptr);
    ~MessageHub() override;

    // For the catch-up reads of connections that sync.
    MessageStore *store() const { return m_store; }
    // The highest seq sent to the live connections. A catch-up reads up to here and no further:
    // what comes after it reaches the connection live, once subscribed, and only that way.
    qint64 publishedSeq() const { return m_published; }

    // Queues message, whose sender is set, for the commit at the end of this event-loop turn.
    // from hears ack, nack or retry back for it, if it is still there then.
    void submit(ClientConnection *from, const StoredMessage &message);
    // Whether a send of id is a duplicate: stored, or queued for the next commit.
    bool isKnown(const QString &id);
    // Commits what is queued now; shutting down must not leave sends unanswered.
    void flush();

    // On (the default), the sends of one event-loop turn share one transaction and so one disk
    // sync. Off, every message is a transaction of its own, acknowledged and delivered right
    // after its commit: only for measuring what batching saves (--commit-batching off).
    void setCommitBatching(bool on);

    // From now on client gets every new message. Done in the turn its catch-up read the last
    // stored message, so nothing falls between the catch-up and the live traffic.
    void subscribe(ClientConnection *client);
    void unsubscribe(ClientConnection *client);

private:
    struct Submission
    {
        QPointer<ClientConnection> from;
        StoredMessage message;
    };

    // Stores queue[from, from + count) in one transaction, then answers and delivers them. On a
    // store failure asks their senders to send them again and returns false.
    bool commit(const QList<Submission> &queue, qsizetype from, qsizetype count);
    void askToResend(const QList<Submission> &queue, qsizetype from, qsizetype count);
    // What another server sharing the store appended: sends the messages notice carries if they
    // continue m_published, reads from the store otherwise.
    void publishAppendedElsewhere(const AppendedNotice &notice);
    // Reads what the store holds after m_published and sends it to the live connections: what
    // other servers sharing the store committed, or what this one committed after them.
    void publishFromStore();
    void deliverToLive(const EncodedTextFrames &frames);
    static void encode(const StoredMessage &message, EncodedTextFrames *frames);

    MessageStore *m_store;
    QList<Submission> m_queue;
    // How many queued messages have each id.
    QHash<QString, int> m_queuedIds;
    QList<ClientConnection *> m_live;
    qint64 m_published = 0;
    bool m_flushScheduled = false;
    bool m_commitBatching = true;
    // For the summary at exit: how many messages each disk sync carried.
    qint64 m_storedCount = 0;
    qint64 m_commitCount = 0;
};

} // namespace lifeline::server
