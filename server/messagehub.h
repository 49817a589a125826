#pragma once

#include "storedmessage.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

class ClientConnection;
class MessageStore;

// The path every message takes. Collects the sends that arrive in one event-loop turn, stores
// them in one transaction, and only then acknowledges each to its sender and sends each new one
// to every connection that is live (has finished its catch-up), serialised once for all of them.
class MessageHub : public QObject
{
    Q_OBJECT
public:
    // store must outlive the hub.
    explicit MessageHub(MessageStore *store, QObject *parent = nullptr);
    ~MessageHub() override;

    // For the catch-up reads of connections that sync.
    MessageStore *store() const { return m_store; }

    // Queues message, whose sender is set, for the commit at the end of this event-loop turn.
    // from hears ack, nack or retry back for it, if it is still there then.
    void submit(ClientConnection *from, const StoredMessage &message);
    // Whether a send of id is a duplicate: stored, or queued for the next commit.
    bool isKnown(const QString &id);
    // Commits what is queued now; shutting down must not leave sends unanswered.
    void flush();

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

    MessageStore *m_store;
    QList<Submission> m_queue;
    // How many queued messages have each id.
    QHash<QString, int> m_queuedIds;
    QList<ClientConnection *> m_live;
    bool m_flushScheduled = false;
};
