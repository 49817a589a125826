#include <lifeline/messenger.h>

#include "clientstore.h"
#include "errors.h"
#include "loggingcategories_p.h"
#include "protocol.h"
#include "sessionlink.h"

#include <QDir>
#include <QElapsedTimer>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <iterator>

namespace lifeline {

namespace {

// How many sent-but-unacknowledged messages may be on the wire. Each acknowledgement widens
// the window by one (so it doubles every round trip, up to the cap), and the window is refilled
// once per event-loop turn: a backlog reaches the server in a few large batches, which it stores
// with a few commits. After a `retry` from a rate-limited server the window starts again at
// one, so the client settles at the rate the server allows.
constexpr int InitialWindow = 1024;
constexpr int MaxWindow = 8192;
constexpr int TypingRepeatMs = 3000;
constexpr int TypingIdleMs = 5000;

const QString TypingFeature = QStringLiteral("typing");
// How much of a user id from the server an error message quotes.
constexpr int MaxQuotedUid = 64;

bool isUp(ConnectionStatus status)
{
    return status == ConnectionStatus::Connected || status == ConnectionStatus::FeatureThrottled;
}

} // namespace

class MessengerPrivate : public FrameHandler
{
public:
    MessengerPrivate(Messenger *messenger, ConnectionManager *manager);

    struct Pending
    {
        OutgoingMessage message;
        DeliveryState state = DeliveryState::Queued;
    };
    struct TypingState
    {
        QElapsedTimer lastStart;
        bool active = false;
        QTimer *idle = nullptr;
    };

    void handleFrame(const protocol::Frame &frame) override;

    void openStoreFor(const QString &user);
    void onStatusChanged(ConnectionStatus status);
    void onLinkUp();
    void onLinkDown();
    void pump();
    void onAck(const QString &id, qint64 seq);
    void onNack(const QString &id, const QString &code, const QString &message);
    void onRetry(const QString &id, qint64 afterMs);
    void onMessage(const protocol::Frame &frame);
    // Counts the answer (ack, nack or retry) to a send on this link; false for an answer to
    // nothing this client sent, after the link was reset for it.
    bool takeAnswer(const QString &type, const QString &id);
    void protocolViolation(const QString &details);
    void onTypists(const QString &room, QStringList users);
    void onPresence(QStringList users);
    void onPresenceDiff(QStringList cameOnline, QStringList wentOffline);
    void deliver(qsizetype index, qint64 seq);
    qsizetype indexOf(const QString &id) const;
    int pendingCount() const { return int(outbox.size()) - failedCount; }
    int maxPending() const;
    ChatMessage toChatMessage(const Pending &pending) const;

    // Signals about stored state go out only after the batch that stored it is committed: a
    // message reported as received must still be there after a crash.
    void afterCommit(std::function<void()> notify);
    void scheduleFlush();
    void flush();
    void notifyCounts();

    Messenger *q;
    QPointer<ConnectionManager> connection;
    ClientStore store;
    QString storeError;
    QString uid;

    QList<Pending> outbox;
    // The ids in `outbox`, so that the echo of an own message that is delivered already (the
    // common case) is recognised without a scan.
    QSet<QString> outboxIds;
    // Own messages delivered on this link whose echo in the message stream is still to come:
    // their rows are stored already, so the echo only moves the cursor.
    QSet<QString> awaitingEcho;
    int failedCount = 0;
    // Every entry before this index is Sent or Failed, so pump() starts here instead of
    // walking the whole window on every acknowledgement.
    qsizetype sendCursor = 0;
    bool linkUp = false;
    // How many answers each id sent on this link still has coming: one per send, also when a
    // message goes out again after a `retry` or an echo delivered it first.
    QHash<QString, int> unanswered;
    // The highest seq the server has told on this link; a `message` must come above it.
    qint64 linkSeq = 0;
    int inFlight = 0;
    int window = InitialWindow;
    QTimer retryTimer;

    bool flushScheduled = false;
    QList<std::function<void()>> committedNotifications;
    // The most frequent notification, kept apart so that it costs no allocation per message.
    QList<ChatMessage> deliveredNotifications;
    int reportedPending = 0;
    SendAvailability reportedAvailability = SendAvailability::Unavailable;

    QHash<QString, QStringList> typists;
    // What `online` is worth on this link: a `presenceDiff` changes the full `presence` the
    // server sent before it on the same link.
    enum class PresenceBase {
        Awaited, // this Messenger saw the link come up: the full list comes before any change
        Missed, // it joined a link that was up already: the full list may have gone by unseen
        Held, // `online` is the server's list, and changes apply to it
    };
    PresenceBase presenceBase = PresenceBase::Awaited;
    QStringList online;
    QHash<QString, TypingState> typing;
};

MessengerPrivate::MessengerPrivate(Messenger *messenger, ConnectionManager *manager)
    : q(messenger)
    , connection(manager)
{
    retryTimer.setSingleShot(true);
    retryTimer.setTimerType(Qt::PreciseTimer); // never earlier than the server asked
    QObject::connect(&retryTimer, &QTimer::timeout, q, [this] { pump(); });
}

qsizetype MessengerPrivate::indexOf(const QString &id) const
{
    if (!outboxIds.contains(id))
        return -1;
    // Acknowledgements come in sending order, so the match is almost always near the front.
    for (qsizetype i = 0; i < outbox.size(); ++i) {
        if (outbox.at(i).message.id == id)
            return i;
    }
    return -1;
}

int MessengerPrivate::maxPending() const
{
    return connection ? connection->settings().maxPendingMessages() : 0;
}

ChatMessage MessengerPrivate::toChatMessage(const Pending &pending) const
{
    ChatMessage message;
    message.id = pending.message.id;
    message.room = pending.message.room;
    message.sender = uid;
    message.text = pending.message.text;
    message.sentAt = QDateTime::fromMSecsSinceEpoch(pending.message.sentAtMs);
    message.state = pending.state;
    return message;
}

void MessengerPrivate::openStoreFor(const QString &user)
{
    if (user == uid && store.isOpen())
        return;
    flush();
    store.close();
    storeError.clear();
    outbox.clear();
    outboxIds.clear();
    sendCursor = 0;
    failedCount = 0;
    inFlight = 0;
    uid = user;
    if (!uid.isEmpty() && connection && connection->isInitialized()) {
        // One database per user: a queued message never leaves under another user's name.
        const QString file
            = QStringLiteral("messages-%1.db").arg(QString::fromLatin1(uid.toUtf8().toHex()));
        const QString path = QDir(connection->settings().dataDirectory()).filePath(file);
        storeError = store.open(path);
        if (!storeError.isEmpty()) {
            qCWarning(lcOutbox).noquote() << "cannot open the message store:" << storeError;
        } else {
            const QList<OutgoingMessage> saved = store.outbox();
            for (const OutgoingMessage &message : saved) {
                outbox.append(
                    {message, message.failed ? DeliveryState::Failed : DeliveryState::Queued});
                outboxIds.insert(message.id);
                if (message.failed)
                    ++failedCount;
            }
            qCInfo(lcOutbox) << "message store open;" << pendingCount() << "pending," << failedCount
                             << "failed, catch-up cursor at" << store.cursor();
        }
    }
    notifyCounts();
    if (connection && isUp(connection->connectionStatus())) {
        presenceBase = PresenceBase::Missed;
        onLinkUp();
    }
}

void MessengerPrivate::onStatusChanged(ConnectionStatus status)
{
    if (isUp(status) && !linkUp)
        onLinkUp();
    else if (!isUp(status) && linkUp)
        onLinkDown();
    notifyCounts();
}

void MessengerPrivate::onLinkUp()
{
    if (!store.isOpen())
        return;
    linkUp = true;
    inFlight = 0;
    window = InitialWindow;
    retryTimer.stop();
    unanswered.clear();
    linkSeq = store.cursor();
    SessionLink::of(connection)->send(protocol::sync(linkSeq));
    pump();
}

void MessengerPrivate::onLinkDown()
{
    linkUp = false;
    awaitingEcho.clear(); // an echo that comes in a later catch-up is recognised by the store
    unanswered.clear();
    inFlight = 0;
    retryTimer.stop();
    // Written to a link that is gone: waiting again, and sent again on the next link.
    sendCursor = 0;
    QStringList requeued;
    for (Pending &pending : outbox) {
        if (pending.state == DeliveryState::Sent) {
            pending.state = DeliveryState::Queued;
            requeued.append(pending.message.id);
        }
    }
    for (TypingState &state : typing) {
        state.active = false;
        if (state.idle)
            state.idle->stop();
    }
    const QStringList typingRooms = typists.keys();
    typists.clear();
    const bool hadPresence = !online.isEmpty();
    online.clear();
    presenceBase = PresenceBase::Awaited;

    QPointer<Messenger> guard(q);
    for (const QString &id : std::as_const(requeued)) {
        Q_EMIT q->deliveryStateChanged(id, DeliveryState::Queued);
        if (!guard)
            return;
    }
    for (const QString &room : typingRooms) {
        Q_EMIT q->typingChanged(room, {});
        if (!guard)
            return;
    }
    if (hadPresence)
        Q_EMIT q->presenceChanged({});
}

void MessengerPrivate::pump()
{
    if (!linkUp || retryTimer.isActive() || !connection)
        return;
    SessionLink *link = SessionLink::of(connection);
    QStringList sent;
    for (; sendCursor < outbox.size() && inFlight < window; ++sendCursor) {
        Pending &pending = outbox[sendCursor];
        if (pending.state != DeliveryState::Queued)
            continue;
        const OutgoingMessage &m = pending.message;
        if (!link->send(protocol::send(m.id, m.room, m.text, m.sentAtMs)))
            break;
        pending.state = DeliveryState::Sent;
        ++inFlight;
        ++unanswered[m.id];
        sent.append(m.id);
    }
    // Told after the loop: a slot may send a message, which changes the outbox.
    QPointer<Messenger> guard(q);
    for (const QString &id : std::as_const(sent)) {
        Q_EMIT q->deliveryStateChanged(id, DeliveryState::Sent);
        if (!guard)
            return;
    }
}

void MessengerPrivate::handleFrame(const protocol::Frame &frame)
{
    if (!store.isOpen())
        return;
    const QString type = frame.type();
    const QString id = frame.text(QStringLiteral("id"));
    if (type == protocol::type::Ack) {
        if (takeAnswer(type, id))
            onAck(id, frame.integer(QStringLiteral("seq")));
    } else if (type == protocol::type::Nack) {
        if (takeAnswer(type, id))
            onNack(id, frame.text(QStringLiteral("code")), frame.text(QStringLiteral("message")));
    } else if (type == protocol::type::Retry) {
        if (takeAnswer(type, id))
            onRetry(id, frame.integer(QStringLiteral("afterMs")));
    } else if (type == protocol::type::Message) {
        onMessage(frame);
    } else if (type == protocol::type::Gap) {
        const qint64 from = frame.integer(QStringLiteral("from"));
        const qint64 to = frame.integer(QStringLiteral("to"));
        qCWarning(lcOutbox) << "the server no longer keeps messages" << from << "to" << to;
        linkSeq = std::max(linkSeq, to);
        store.advanceCursor(to);
        afterCommit([this, from, to] { Q_EMIT q->catchUpGap(from, to); });
    } else if (type == protocol::type::Synced) {
        // Live messages follow above this seq. It is below the cursor when the server lost
        // its history (a reset data directory); its new messages are then above it, not above
        // the cursor, and must not count as going backwards.
        linkSeq = frame.integer(QStringLiteral("seq"));
        store.advanceCursor(linkSeq);
        afterCommit([this] { Q_EMIT q->caughtUp(); });
    } else if (type == protocol::type::Typists) {
        onTypists(frame.text(QStringLiteral("room")), frame.stringList(QStringLiteral("users")));
    } else if (type == protocol::type::Presence) {
        onPresence(frame.stringList(QStringLiteral("users")));
    } else if (type == protocol::type::PresenceDiff) {
        onPresenceDiff(frame.stringList(QStringLiteral("online")),
                       frame.stringList(QStringLiteral("offline")));
    }
}

void MessengerPrivate::deliver(qsizetype index, qint64 seq)
{
    const Pending pending = outbox.takeAt(index);
    if (index < sendCursor)
        --sendCursor;
    outboxIds.remove(pending.message.id);
    awaitingEcho.insert(pending.message.id);
    if (pending.state == DeliveryState::Sent)
        --inFlight;
    store.markDelivered(pending.message, uid, seq);
    ChatMessage delivered = toChatMessage(pending);
    delivered.seq = seq;
    delivered.state = DeliveryState::Delivered;
    deliveredNotifications.append(delivered);
    scheduleFlush();
}

void MessengerPrivate::onAck(const QString &id, qint64 seq)
{
    const qsizetype index = indexOf(id);
    if (index < 0 || outbox.at(index).state == DeliveryState::Failed)
        return; // a repeated acknowledgement of a message delivered already
    deliver(index, seq);
    window = std::min(MaxWindow, window + 1);
    // The window is refilled once per event-loop turn, in flush(): the server stores what
    // arrives in one turn with one commit, so a few large batches beat many small ones.
}

void MessengerPrivate::onNack(const QString &id, const QString &code, const QString &message)
{
    const qsizetype index = indexOf(id);
    if (index < 0 || outbox.at(index).state == DeliveryState::Failed)
        return;
    Pending &pending = outbox[index];
    if (pending.state == DeliveryState::Sent)
        --inFlight;
    pending.state = DeliveryState::Failed;
    pending.message.failed = true;
    pending.message.failureCode = code;
    pending.message.failureMessage = message;
    ++failedCount;
    qCWarning(lcOutbox) << "the server refused a message for good:" << code;
    store.markFailed(id, code, message);
    afterCommit([this, id] { Q_EMIT q->deliveryStateChanged(id, DeliveryState::Failed); });
    pump();
}

void MessengerPrivate::onRetry(const QString &id, qint64 afterMs)
{
    const qsizetype index = indexOf(id);
    if (index < 0 || outbox.at(index).state != DeliveryState::Sent)
        return; // later sends answered while this client had already stopped
    // The server stored none of these: they wait, in order, and go out again after the pause.
    QStringList requeued;
    for (qsizetype i = index; i < outbox.size(); ++i) {
        Pending &pending = outbox[i];
        if (pending.state != DeliveryState::Sent)
            continue;
        pending.state = DeliveryState::Queued;
        --inFlight;
        requeued.append(pending.message.id);
    }
    sendCursor = std::min(sendCursor, index);
    window = 1;
    retryTimer.start(int(std::clamp<qint64>(afterMs, 1, 60000)));
    qCInfo(lcOutbox) << "server asks to slow down;" << requeued.size() << "messages wait" << afterMs
                     << "ms";
    QPointer<Messenger> guard(q);
    for (const QString &requeuedId : std::as_const(requeued)) {
        Q_EMIT q->deliveryStateChanged(requeuedId, DeliveryState::Queued);
        if (!guard)
            return;
    }
}

bool MessengerPrivate::takeAnswer(const QString &type, const QString &id)
{
    const auto it = unanswered.find(id);
    if (it == unanswered.end()) {
        protocolViolation(QStringLiteral("The server sent \"%1\" for message \"%2\", which this "
                                         "client did not send on this link.")
                              .arg(type, id.left(protocol::MaxIdLength)));
        return false;
    }
    if (--it.value() == 0)
        unanswered.erase(it);
    return true;
}

void MessengerPrivate::protocolViolation(const QString &details)
{
    // The connection manager drops the link; the outbox goes out again on the next one.
    SessionLink::of(connection)->reportViolation(details);
}

void MessengerPrivate::onMessage(const protocol::Frame &frame)
{
    const qint64 seq = frame.integer(QStringLiteral("seq"));
    if (seq <= linkSeq) {
        // The stream has no holes only if seq rises: a message below one already seen would
        // fall behind the cursor and be skipped silently.
        protocolViolation(QStringLiteral("The server sent message seq %1 after seq %2; seq must "
                                         "increase.")
                              .arg(seq)
                              .arg(linkSeq));
        return;
    }
    linkSeq = seq;
    if (seq <= store.cursor())
        return; // the server lost its history (see `synced`) and reuses seqs this client saw
    const QString id = frame.text(QStringLiteral("id"));
    if (awaitingEcho.remove(id)) {
        store.advanceCursor(seq);
        return;
    }
    const qsizetype own = indexOf(id);
    if (own >= 0 && outbox.at(own).state != DeliveryState::Failed) {
        // The echo of an own message whose acknowledgement was lost: delivered all the same.
        deliver(own, seq);
        store.advanceCursor(seq);
        return;
    }
    ChatMessage message;
    message.id = id;
    message.room = frame.text(QStringLiteral("room"));
    message.sender = frame.text(QStringLiteral("sender"));
    message.text = frame.text(QStringLiteral("text"));
    message.seq = seq;
    message.sentAt = QDateTime::fromMSecsSinceEpoch(frame.integer(QStringLiteral("sentAt")));
    message.state = DeliveryState::Delivered;
    const bool isNew = store.storeReceived(message);
    store.advanceCursor(seq);
    if (isNew)
        afterCommit([this, message] { Q_EMIT q->messageReceived(message); });
}

void MessengerPrivate::onTypists(const QString &room, QStringList users)
{
    users.removeAll(uid);
    users.sort();
    if (typists.value(room) == users)
        return;
    if (users.isEmpty())
        typists.remove(room);
    else
        typists.insert(room, users);
    Q_EMIT q->typingChanged(room, users);
}

void MessengerPrivate::onPresence(QStringList users)
{
    presenceBase = PresenceBase::Held;
    users.sort();
    users.removeDuplicates();
    if (users == online)
        return;
    online = users;
    Q_EMIT q->presenceChanged(online);
}

void MessengerPrivate::onPresenceDiff(QStringList cameOnline, QStringList wentOffline)
{
    switch (presenceBase) {
    case PresenceBase::Awaited:
        protocolViolation(QStringLiteral("The server sent a change of the users online "
                                         "(\"presenceDiff\") before their list (\"presence\") "
                                         "on this link."));
        return;
    case PresenceBase::Missed:
        // Not the server's fault; the list this change needs comes again on the next link.
        qCDebug(lcOutbox) << "presence change ignored: the list went by before this Messenger "
                             "listened";
        return;
    case PresenceBase::Held:
        break;
    }
    // A change that does not fit the list means the two ends no longer agree on who is
    // online: applied anyway, the app would show a wrong list for as long as the link lasts.
    const auto isOnline = [this](const QString &user) {
        return std::binary_search(online.cbegin(), online.cend(), user);
    };
    const auto onlineAlready = std::find_if(cameOnline.cbegin(), cameOnline.cend(), isOnline);
    if (onlineAlready != cameOnline.cend()) {
        protocolViolation(QStringLiteral("The server said that \"%1\" came online, who was "
                                         "online already.")
                              .arg(onlineAlready->left(MaxQuotedUid)));
        return;
    }
    const auto notOnline = std::find_if_not(wentOffline.cbegin(), wentOffline.cend(), isOnline);
    if (notOnline != wentOffline.cend()) {
        protocolViolation(QStringLiteral("The server said that \"%1\" went offline, who was "
                                         "not online.")
                              .arg(notOnline->left(MaxQuotedUid)));
        return;
    }
    cameOnline.sort();
    wentOffline.sort();
    QStringList stayed;
    std::set_difference(online.cbegin(), online.cend(), wentOffline.cbegin(), wentOffline.cend(),
                        std::back_inserter(stayed));
    QStringList users;
    users.reserve(stayed.size() + cameOnline.size());
    std::set_union(stayed.cbegin(), stayed.cend(), cameOnline.cbegin(), cameOnline.cend(),
                   std::back_inserter(users));
    users.erase(std::unique(users.begin(), users.end()), users.end());
    if (users == online)
        return;
    online = users;
    Q_EMIT q->presenceChanged(online);
}

void MessengerPrivate::afterCommit(std::function<void()> notify)
{
    committedNotifications.append(std::move(notify));
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
    const QString error = store.commit();
    if (!error.isEmpty()) {
        // What was not committed is asked for again, or sent again, on the next connection.
        qCWarning(lcOutbox).noquote() << "cannot commit to the message store:" << error;
    }
    pump();
    const QList<ChatMessage> delivered = std::exchange(deliveredNotifications, {});
    const auto notifications = std::exchange(committedNotifications, {});
    QPointer<Messenger> guard(q);
    for (const ChatMessage &message : delivered) {
        Q_EMIT q->deliveryStateChanged(message.id, DeliveryState::Delivered);
        if (!guard)
            return;
        Q_EMIT q->messageDelivered(message);
        if (!guard)
            return;
    }
    for (const auto &notify : notifications) {
        notify();
        if (!guard)
            return;
    }
    notifyCounts();
}

void MessengerPrivate::notifyCounts()
{
    const int pending = pendingCount();
    const SendAvailability availability = q->sendAvailability();
    QPointer<Messenger> guard(q);
    if (pending != reportedPending) {
        reportedPending = pending;
        Q_EMIT q->pendingCountChanged(pending);
    }
    if (guard && availability != reportedAvailability) {
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
    SessionLink::of(connection)->addFrameHandler(d.get());
    connect(connection, &ConnectionManager::connectionStatusChanged, this,
            [this](ConnectionStatus status) { d->onStatusChanged(status); });
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
    d->store.commit();
    if (d->connection)
        SessionLink::of(d->connection)->removeFrameHandler(d.get());
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
        return refuse(errors::storage(d->storeError
                                      + QStringLiteral("; check that the data directory is "
                                                       "writable, then log in again.")));
    if (room.trimmed().isEmpty())
        return refuse(
            errors::invalidArgument(QStringLiteral("room: is empty; name the room to send to.")));
    if (room.size() > protocol::MaxRoomLength)
        return refuse(errors::invalidArgument(
            QStringLiteral("room: has %1 characters; at most %2 are allowed.")
                .arg(room.size())
                .arg(protocol::MaxRoomLength)));
    if (text.trimmed().isEmpty())
        return refuse(
            errors::invalidArgument(QStringLiteral("text: is empty; there is nothing to send.")));
    const int bytes = int(text.toUtf8().size());
    if (bytes > protocol::MaxTextBytes)
        return refuse(errors::messageTooLarge(bytes, protocol::MaxTextBytes));
    MessengerPrivate::Pending pending;
    pending.message.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    pending.message.room = room;
    pending.message.text = text;
    pending.message.sentAtMs = QDateTime::currentMSecsSinceEpoch();
    // Control characters travel as 6-byte escapes: a text within its limit can still make a
    // frame the server refuses by closing the link, on every attempt, holding up the messages
    // behind it for good.
    const qsizetype frameBytes
        = protocol::send(pending.message.id, room, text, pending.message.sentAtMs).toUtf8().size();
    if (quint64(frameBytes) > protocol::MaxServerIncomingBytes)
        return refuse(
            errors::messageFrameTooLarge(int(frameBytes), int(protocol::MaxServerIncomingBytes)));
    if (d->pendingCount() >= d->maxPending())
        return refuse(errors::queueFull(d->maxPending()));

    const QString error = d->store.enqueue(pending.message);
    if (!error.isEmpty())
        return refuse(errors::storage(error
                                      + QStringLiteral("; nothing was queued. Free some "
                                                       "disk space and send again.")));
    d->outbox.append(pending);
    d->outboxIds.insert(pending.message.id);
    const QString id = pending.message.id;
    QPointer<Messenger> guard(this);
    Q_EMIT messageQueued(d->toChatMessage(pending));
    if (!guard)
        return id;
    d->notifyCounts();
    d->pump();
    return id;
}

bool Messenger::retryMessage(const QString &id)
{
    const qsizetype index = d->indexOf(id);
    if (index < 0 || d->outbox.at(index).state != DeliveryState::Failed)
        return false;
    const QString error = d->store.requeue(id);
    if (!error.isEmpty()) {
        qCWarning(lcOutbox).noquote() << "cannot queue a failed message again:" << error;
        return false;
    }
    MessengerPrivate::Pending &pending = d->outbox[index];
    pending.state = DeliveryState::Queued;
    pending.message.failed = false;
    pending.message.failureCode.clear();
    pending.message.failureMessage.clear();
    --d->failedCount;
    d->sendCursor = std::min(d->sendCursor, index);
    QPointer<Messenger> guard(this);
    Q_EMIT deliveryStateChanged(id, DeliveryState::Queued);
    if (!guard)
        return true;
    d->notifyCounts();
    d->pump();
    return true;
}

ChatError Messenger::failure(const QString &id) const
{
    const qsizetype index = d->indexOf(id);
    if (index < 0 || d->outbox.at(index).state != DeliveryState::Failed)
        return {};
    const OutgoingMessage &message = d->outbox.at(index).message;
    return errors::refusedByServer(message.failureCode, message.failureMessage);
}

int Messenger::pendingCount() const
{
    return d->pendingCount();
}

SendAvailability Messenger::sendAvailability() const
{
    if (!d->connection || d->uid.isEmpty() || !d->store.isOpen()
        || d->pendingCount() >= d->maxPending())
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
    QList<ChatMessage> list = d->store.history(room);
    for (const MessengerPrivate::Pending &pending : std::as_const(d->outbox)) {
        if (pending.message.room == room)
            list.append(d->toChatMessage(pending));
    }
    return list;
}

qint64 Messenger::lastSeenSeq() const
{
    return d->store.cursor();
}

void Messenger::setTyping(const QString &room, bool typing)
{
    if (!d->linkUp || room.isEmpty())
        return; // volatile: nothing is kept for later
    MessengerPrivate::TypingState &state = d->typing[room];
    SessionLink *link = SessionLink::of(d->connection);
    const bool throttled = d->connection->throttledFeatures().contains(TypingFeature);
    if (!typing) {
        if (state.idle)
            state.idle->stop();
        if (state.active && !throttled)
            link->send(protocol::typing(room, false));
        state.active = false;
        return;
    }
    if (!state.idle) {
        state.idle = new QTimer(this);
        state.idle->setSingleShot(true);
        // A coarse timer may fire 5 % early; "after 5 s of no typing" means 5 s.
        state.idle->setTimerType(Qt::PreciseTimer);
        state.idle->setInterval(TypingIdleMs);
        connect(state.idle, &QTimer::timeout, this, [this, room] { setTyping(room, false); });
    }
    state.idle->start();
    if (throttled)
        return; // the server asked for none
    if (!state.active || state.lastStart.elapsed() >= TypingRepeatMs) {
        link->send(protocol::typing(room, true));
        state.active = true;
        state.lastStart.start();
    }
}

QStringList Messenger::typingUsers(const QString &room) const
{
    return d->typists.value(room);
}

QStringList Messenger::onlineUsers() const
{
    return d->online;
}

} // namespace lifeline
