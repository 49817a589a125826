#include <lifeline/messenger.h>

#include "clientstore.h"
#include "errors.h"
#include "inboundsync.h"
#include "loggingcategories_p.h"
#include "messagelink.h"
#include "outbox.h"
#include "presencelist.h"
#include "protocol.h"
#include "sessionlink.h"
#include "typingstatus.h"

#include <QDir>
#include <QPointer>
#include <QTimer>
#include <QUuid>

namespace lifeline {

namespace {

// A message the user typed, checked against what the protocol allows; nothing is queued when
// it fails.
Result<OutgoingMessage> checkedMessage(const QString &room, const QString &text)
{
    if (room.trimmed().isEmpty())
        return errors::invalidArgument(QStringLiteral("room: is empty; name the room to send to."));
    if (room.size() > protocol::MaxRoomLength)
        return errors::invalidArgument(
            QStringLiteral("room: has %1 characters; at most %2 are allowed.")
                .arg(room.size())
                .arg(protocol::MaxRoomLength));
    if (text.trimmed().isEmpty())
        return errors::invalidArgument(QStringLiteral("text: is empty; there is nothing to send."));
    const int bytes = int(text.toUtf8().size());
    if (bytes > protocol::MaxTextBytes)
        return errors::messageTooLarge(bytes, protocol::MaxTextBytes);
    OutgoingMessage message;
    message.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    message.room = room;
    message.text = text;
    message.sentAtMs = QDateTime::currentMSecsSinceEpoch();
    // Control characters travel as 6-byte escapes: a text within its limit can still make a
    // frame the server refuses by closing the link, on every attempt, holding up the messages
    // behind it for good.
    const qsizetype frameBytes
        = protocol::send(message.id, room, text, message.sentAtMs).toUtf8().size();
    if (quint64(frameBytes) > protocol::MaxServerIncomingBytes)
        return errors::messageFrameTooLarge(int(frameBytes), int(protocol::MaxServerIncomingBytes));
    return message;
}

} // namespace

// Puts the parts together: the store of the logged-in user, the outbox, inbound sync, presence
// and typing, each fed by the frames of its types. It owns no state of a part; its own is what
// it tells the app and when: what the store committed is told only after the commit.
class MessengerPrivate : public FrameHandler, public MessageLink
{
public:
    MessengerPrivate(Messenger *messenger, ConnectionManager *manager);

    // The parts write through the connection's link while it exists.
    bool isUp() const override { return link && link->isUp(); }
    bool send(const QString &frame) override { return link && link->send(frame); }
    void reportViolation(const QString &details) override
    {
        // The connection manager drops the link; the outbox goes out again on the next one.
        if (link)
            link->reportViolation(details);
    }
    QStringList throttledFeatures() const override
    {
        return link ? link->throttledFeatures() : QStringList();
    }

    void handleFrame(const protocol::Frame &frame) override;
    void openStoreFor(const QString &user);
    void onLinkUp(quint64 generation);
    void onLinkDown();
    void pump();
    int maxPending() const;

    // Signals about stored state go out only after the batch that stored it is committed: a
    // message reported as received must still be there after a crash.
    void afterCommit(std::function<void()> notify);
    void notifyDelivered(const ChatMessage &message);
    void scheduleFlush();
    void flush();
    void notifyCounts();

    Messenger *q;
    QPointer<ConnectionManager> connection;
    QPointer<SessionLink> link;
    ClientStore store;
    // Why the store of the logged-in user could not be opened; null when it is open or none is.
    ChatError storeError;
    QString uid;
    Outbox outbox;
    InboundSync inbound;
    PresenceList presence;
    TypingStatus typing;

    // The link this Messenger serves; 0 while it is down.
    quint64 linkGeneration = 0;
    bool flushScheduled = false;
    QList<std::function<void()>> committedNotifications;
    // The most frequent notification, kept apart so that it costs no allocation per message.
    QList<ChatMessage> deliveredNotifications;
    int reportedPending = 0;
    SendAvailability reportedAvailability = SendAvailability::Unavailable;
};

MessengerPrivate::MessengerPrivate(Messenger *messenger, ConnectionManager *manager)
    : q(messenger)
    , connection(manager)
    , link(manager ? SessionLink::of(manager) : nullptr)
    , outbox(store, *this)
    , inbound(store, *this,
              [this](const QString &id, qint64 seq) {
                  const std::optional<ChatMessage> own = outbox.claimEcho(id, seq);
                  if (own)
                      notifyDelivered(*own);
                  return own.has_value();
              })
    , presence(*this)
    , typing(*this)
{
    QObject::connect(&outbox, &Outbox::resumed, q, [this] { pump(); });
}

int MessengerPrivate::maxPending() const
{
    return connection ? connection->settings().maxPendingMessages() : 0;
}

void MessengerPrivate::openStoreFor(const QString &user)
{
    if (user == uid && store.isOpen())
        return;
    flush();
    store.close();
    storeError = {};
    outbox.clear();
    uid = user;
    typing.setUser(user);
    if (!uid.isEmpty() && connection && connection->isInitialized()) {
        // One database per user: a queued message never leaves under another user's name.
        const QString file
            = QStringLiteral("messages-%1.db").arg(QString::fromLatin1(uid.toUtf8().toHex()));
        const QString path = QDir(connection->settings().dataDirectory()).filePath(file);
        const Result<> opened = store.open(path);
        if (!opened) {
            storeError = opened.error();
            qCWarning(lcOutbox, "cannot open the message store: %s",
                      qUtf8Printable(storeError.details));
        } else {
            outbox.load(uid);
            qCInfo(lcOutbox, "message store open; %d pending, %d failed, catch-up cursor at %lld",
                   outbox.pendingCount(), outbox.failedCount(),
                   static_cast<long long>(store.cursor()));
        }
    }
    notifyCounts();
    if (link && link->isUp()) {
        presence.joinLiveLink();
        onLinkUp(link->generation());
    }
}

void MessengerPrivate::onLinkUp(quint64 generation)
{
    if (generation == linkGeneration || !store.isOpen())
        return;
    if (linkGeneration != 0)
        onLinkDown(); // the notice of the old link's end was superseded on the way
    linkGeneration = generation;
    outbox.linkUp();
    inbound.linkUp();
    typing.linkUp();
    pump();
}

void MessengerPrivate::onLinkDown()
{
    if (linkGeneration == 0)
        return;
    linkGeneration = 0;
    inbound.linkDown();
    const QStringList requeued = outbox.linkDown();
    const QStringList typingRooms = typing.linkDown();
    const bool hadPresence = presence.linkDown();

    QPointer<Messenger> alive(q);
    for (const QString &id : requeued) {
        Q_EMIT q->deliveryStateChanged(id, DeliveryState::Queued);
        if (!alive)
            return;
    }
    for (const QString &room : typingRooms) {
        Q_EMIT q->typingChanged(room, {});
        if (!alive)
            return;
    }
    if (hadPresence)
        Q_EMIT q->presenceChanged({});
}

void MessengerPrivate::pump()
{
    const QStringList sent = outbox.pump();
    // Told after the outbox is done: a slot may send a message, which changes the outbox.
    QPointer<Messenger> alive(q);
    for (const QString &id : sent) {
        Q_EMIT q->deliveryStateChanged(id, DeliveryState::Sent);
        if (!alive)
            return;
    }
}

void MessengerPrivate::handleFrame(const protocol::Frame &frame)
{
    if (!store.isOpen())
        return;
    const QString type = frame.type();
    if (type == protocol::type::Ack) {
        if (const std::optional<ChatMessage> delivered = outbox.acknowledge(frame)) {
            inbound.expectEcho(delivered->id);
            notifyDelivered(*delivered);
        }
    } else if (type == protocol::type::Nack) {
        if (const std::optional<QString> failed = outbox.refuse(frame)) {
            afterCommit([this, id = *failed] {
                Q_EMIT q->deliveryStateChanged(id, DeliveryState::Failed);
            });
            pump();
        }
    } else if (type == protocol::type::Retry) {
        const QStringList requeued = outbox.defer(frame);
        QPointer<Messenger> alive(q);
        for (const QString &id : requeued) {
            Q_EMIT q->deliveryStateChanged(id, DeliveryState::Queued);
            if (!alive)
                return;
        }
    } else if (type == protocol::type::Message) {
        if (const std::optional<ChatMessage> received = inbound.receive(frame))
            afterCommit([this, message = *received] { Q_EMIT q->messageReceived(message); });
    } else if (type == protocol::type::Gap) {
        const auto [from, to] = inbound.skipGap(frame);
        afterCommit([this, from = from, to = to] { Q_EMIT q->catchUpGap(from, to); });
    } else if (type == protocol::type::Synced) {
        inbound.catchUp(frame);
        afterCommit([this] { Q_EMIT q->caughtUp(); });
    } else if (type == protocol::type::Typists) {
        if (typing.apply(frame)) {
            const QString room = frame.text(QStringLiteral("room"));
            Q_EMIT q->typingChanged(room, typing.typists(room));
        }
    } else if (type == protocol::type::Presence) {
        if (presence.apply(frame))
            Q_EMIT q->presenceChanged(presence.online());
    } else if (type == protocol::type::PresenceDiff) {
        if (presence.applyDiff(frame))
            Q_EMIT q->presenceChanged(presence.online());
    }
}

void MessengerPrivate::afterCommit(std::function<void()> notify)
{
    committedNotifications.append(std::move(notify));
    scheduleFlush();
}

void MessengerPrivate::notifyDelivered(const ChatMessage &message)
{
    deliveredNotifications.append(message);
    scheduleFlush();
}

void MessengerPrivate::scheduleFlush()
{
    if (flushScheduled)
        return;
    flushScheduled = true;
    QTimer::singleShot(0, q, [this] { flush(); });
}

void MessengerPrivate::flush()
{
    flushScheduled = false;
    const Result<> committed = store.commit();
    if (!committed) {
        // What was not committed is asked for again, or sent again, on the next connection.
        qCWarning(lcOutbox, "%s", qUtf8Printable(committed.error().details));
    }
    pump();
    const QList<ChatMessage> delivered = std::exchange(deliveredNotifications, {});
    const auto notifications = std::exchange(committedNotifications, {});
    QPointer<Messenger> alive(q);
    for (const ChatMessage &message : delivered) {
        Q_EMIT q->deliveryStateChanged(message.id, DeliveryState::Delivered);
        if (!alive)
            return;
        Q_EMIT q->messageDelivered(message);
        if (!alive)
            return;
    }
    for (const auto &notify : notifications) {
        notify();
        if (!alive)
            return;
    }
    notifyCounts();
}

void MessengerPrivate::notifyCounts()
{
    const int pending = outbox.pendingCount();
    const SendAvailability availability = q->sendAvailability();
    QPointer<Messenger> alive(q);
    if (pending != reportedPending) {
        reportedPending = pending;
        Q_EMIT q->pendingCountChanged(pending);
    }
    if (alive && availability != reportedAvailability) {
        reportedAvailability = availability;
        Q_EMIT q->sendAvailabilityChanged(availability);
    }
}

Messenger::Messenger(ConnectionManager *connection, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<MessengerPrivate>(this, connection))
{
    qRegisterMetaType<lifeline::ChatMessage>();
    if (!connection)
        return;
    d->link->addFrameHandler(d.get());
    connect(d->link, &SessionLink::up, this,
            [this](quint64 generation) { d->onLinkUp(generation); });
    connect(d->link, &SessionLink::down, this, [this] { d->onLinkDown(); });
    connect(connection, &ConnectionManager::connectionStatusChanged, this,
            [this] { d->notifyCounts(); });
    connect(connection, &ConnectionManager::loggedInUserChanged, this,
            [this](const QString &uid) { d->openStoreFor(uid); });
    connect(connection, &QObject::destroyed, this, [this] {
        d->onLinkDown();
        d->notifyCounts();
    });
    d->openStoreFor(connection->loggedInUser());
}

Messenger::~Messenger()
{
    d->flushScheduled = false;
    if (const Result<> committed = d->store.commit(); !committed)
        qCWarning(lcOutbox, "%s", qUtf8Printable(committed.error().details));
    if (d->link)
        d->link->removeFrameHandler(d.get());
}

QString Messenger::sendMessage(const QString &room, const QString &text,
                               ConnectionManager::Failure onError)
{
    const auto refuse = [&onError](const ChatError &error) {
        if (onError)
            onError(error);
        return QString();
    };
    if (!d->connection || !d->connection->isInitialized())
        return refuse(errors::notInitialized());
    if (d->uid.isEmpty())
        return refuse(errors::notLoggedIn(errors::LoggedInAction::Send));
    if (!d->store.isOpen())
        return refuse(d->storeError.isNull()
                          ? errors::storage(QStringLiteral("the message store is not open; log in "
                                                           "again."))
                          : d->storeError);
    const Result<OutgoingMessage> message = checkedMessage(room, text);
    if (!message)
        return refuse(message.error());
    if (d->outbox.pendingCount() >= d->maxPending())
        return refuse(errors::queueFull(d->maxPending()));
    const Result<ChatMessage> queued = d->outbox.enqueue(message.value());
    if (!queued)
        return refuse(queued.error());
    const QString id = queued.value().id;
    QPointer<Messenger> alive(this);
    Q_EMIT messageQueued(queued.value());
    if (!alive)
        return id;
    d->notifyCounts();
    d->pump();
    return id;
}

bool Messenger::retryMessage(const QString &id)
{
    if (!d->outbox.requeue(id))
        return false;
    QPointer<Messenger> alive(this);
    Q_EMIT deliveryStateChanged(id, DeliveryState::Queued);
    if (!alive)
        return true;
    d->notifyCounts();
    d->pump();
    return true;
}

ChatError Messenger::failure(const QString &id) const
{
    return d->outbox.failure(id);
}

int Messenger::pendingCount() const
{
    return d->outbox.pendingCount();
}

SendAvailability Messenger::sendAvailability() const
{
    if (!d->connection || d->uid.isEmpty() || !d->store.isOpen()
        || d->outbox.pendingCount() >= d->maxPending())
        return SendAvailability::Unavailable;
    switch (d->connection->connectionStatus()) {
    case ConnectionStatus::Connected:
    case ConnectionStatus::FeatureThrottled:
        return SendAvailability::SendNow;
    case ConnectionStatus::Connecting:
    case ConnectionStatus::Reconnecting:
        return SendAvailability::QueueOnly;
    case ConnectionStatus::Disconnected:
        return SendAvailability::Unavailable;
    }
    return SendAvailability::Unavailable;
}

QList<ChatMessage> Messenger::messages(const QString &room) const
{
    return d->store.history(room) + d->outbox.messages(room);
}

qint64 Messenger::lastSeenSeq() const
{
    return d->store.cursor();
}

void Messenger::setTyping(const QString &room, bool typing)
{
    d->typing.setTyping(room, typing);
}

QStringList Messenger::typingUsers(const QString &room) const
{
    return d->typing.typists(room);
}

QStringList Messenger::onlineUsers() const
{
    return d->presence.online();
}

} // namespace lifeline
