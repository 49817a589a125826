#pragma once

#include <lifeline/chatmessage.h>
#include <lifeline/connectionmanager.h>

#include <QObject>
#include <QStringList>

#include <memory>

namespace lifeline {

class MessengerPrivate;

/// Sends and receives chat messages over a ConnectionManager's link, and never loses one.
///
/// A message the user sends is on disk (SQLite, in the data directory) before sendMessage()
/// returns, goes out in order whenever a link is up, and is sent again after any reconnect or
/// restart until the server acknowledges it; the server stores each id once. Messages of
/// others arrive in server order, each once, also across reconnects, background periods and
/// restarts: the client keeps a cursor and the server sends what it missed before live traffic.
/// Use one Messenger per ConnectionManager: it checks every acknowledgement against what it
/// sent on the link, and takes one for another Messenger's message as a protocol error.
class Messenger : public QObject
{
    Q_OBJECT
    /// Own messages not yet delivered (Queued + Sent).
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    /// What a Send button should offer right now.
    Q_PROPERTY(lifeline::SendAvailability sendAvailability READ sendAvailability NOTIFY
                   sendAvailabilityChanged)
    /// The users online right now, sorted.
    Q_PROPERTY(QStringList onlineUsers READ onlineUsers NOTIFY presenceChanged)

public:
    explicit Messenger(ConnectionManager *connection, QObject *parent = nullptr);
    ~Messenger() override;

    /// Queues a message durably and returns its id; empty when refused (onError says why:
    /// ERR_NOT_LOGGED_IN, ERR_INVALID_ARGUMENT, ERR_MESSAGE_TOO_LARGE, ERR_QUEUE_FULL,
    /// ERR_STORAGE). Nothing refused is queued, and nothing queued is ever dropped.
    QString sendMessage(const QString &room, const QString &text,
                        ConnectionManager::Failure onError = {});
    /// Puts a Failed message back in the queue; false if there is no such failed message.
    bool retryMessage(const QString &id);
    /// Why a Failed message failed; a null error for any other.
    ChatError failure(const QString &id) const;

    int pendingCount() const;
    SendAvailability sendAvailability() const;
    /// Own and received messages of a room, in server order, own undelivered ones last.
    QList<ChatMessage> messages(const QString &room) const;
    /// The highest server seq this client has seen.
    qint64 lastSeenSeq() const;

    /// Tells others in the room that the user is typing; volatile (never queued). A start goes
    /// out at most every 3 s, and a stop follows by itself after 5 s without typing.
    void setTyping(const QString &room, bool typing);
    /// Who is typing in a room right now (never the user).
    QStringList typingUsers(const QString &room) const;
    QStringList onlineUsers() const;

Q_SIGNALS:
    /// A message of someone else (another user, or this user on another device), once each.
    void messageReceived(const lifeline::ChatMessage &message);
    /// One of the user's own messages was queued by sendMessage().
    void messageQueued(const lifeline::ChatMessage &message);
    /// An own message moved on: Queued, Sent, Delivered, or Failed.
    void deliveryStateChanged(const QString &id, lifeline::DeliveryState state);
    /// An own message the server stored, with the seq it gave it (its place in the room's
    /// order); follows deliveryStateChanged(id, Delivered).
    void messageDelivered(const lifeline::ChatMessage &message);
    void pendingCountChanged(int count);
    void sendAvailabilityChanged(lifeline::SendAvailability availability);
    /// Who is typing in `room` changed.
    void typingChanged(const QString &room, const QStringList &users);
    /// Who is online changed.
    void presenceChanged(const QStringList &onlineUsers);
    /// The server no longer keeps the messages firstMissing..lastMissing this client missed
    /// while away; they cannot be shown. Nothing is skipped silently.
    void catchUpGap(qint64 firstMissing, qint64 lastMissing);
    /// Everything missed while away has arrived; live traffic follows.
    void caughtUp();

private:
    friend class MessengerPrivate;
    std::unique_ptr<MessengerPrivate> d;
};

} // namespace lifeline
