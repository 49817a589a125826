#include "outbox.h"

#include "errors.h"
#include "loggingcategories_p.h"
#include "messagelink.h"
#include "protocol.h"

#include <algorithm>

namespace lifeline {

namespace {

// How many sent-but-unacknowledged messages may be on the wire. Each acknowledgement widens
// the window by one (so it doubles every round trip, up to the cap), and the window is refilled
// once per event-loop turn: a backlog reaches the server in a few large batches, which it stores
// with a few commits. After a `retry` from a rate-limited server the window starts again at
// one, so the client settles at the rate the server allows.
constexpr int InitialWindow = 1024;
constexpr int MaxWindow = 8192;

} // namespace

Outbox::Outbox(ClientStore &store, MessageLink &link, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_link(link)
    , m_window(InitialWindow)
{
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer); // never earlier than the server asked
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::resumed);
}

void Outbox::load(const QString &sender)
{
    clear();
    m_sender = sender;
    const QList<OutgoingMessage> saved = m_store.outbox();
    for (const OutgoingMessage &message : saved) {
        m_messages.append(
            {message, message.failed ? DeliveryState::Failed : DeliveryState::Queued});
        m_ids.insert(message.id);
        if (message.failed)
            ++m_failed;
    }
}

void Outbox::clear()
{
    m_messages.clear();
    m_ids.clear();
    m_sendCursor = 0;
    m_failed = 0;
    m_inFlight = 0;
}

qsizetype Outbox::indexOf(const QString &id) const
{
    if (!m_ids.contains(id))
        return -1;
    // Acknowledgements come in sending order, so the match is almost always near the front.
    for (qsizetype i = 0; i < m_messages.size(); ++i) {
        if (m_messages.at(i).message.id == id)
            return i;
    }
    return -1;
}

ChatMessage Outbox::toChatMessage(const Pending &pending) const
{
    ChatMessage message;
    message.id = pending.message.id;
    message.room = pending.message.room;
    message.sender = m_sender;
    message.text = pending.message.text;
    message.sentAt = QDateTime::fromMSecsSinceEpoch(pending.message.sentAtMs);
    message.state = pending.state;
    return message;
}

Result<ChatMessage> Outbox::enqueue(const OutgoingMessage &message)
{
    const Result<> stored = m_store.enqueue(message);
    if (!stored)
        return stored.error();
    m_messages.append({message, DeliveryState::Queued});
    m_ids.insert(message.id);
    return toChatMessage(m_messages.last());
}

bool Outbox::requeue(const QString &id)
{
    const qsizetype index = indexOf(id);
    if (index < 0 || m_messages.at(index).state != DeliveryState::Failed)
        return false;
    const Result<> requeued = m_store.requeue(id);
    if (!requeued) {
        qCWarning(lcOutbox, "cannot queue a failed message again: %s",
                  qUtf8Printable(requeued.error().details));
        return false;
    }
    Pending &pending = m_messages[index];
    pending.state = DeliveryState::Queued;
    pending.message.failed = false;
    pending.message.failureCode.clear();
    pending.message.failureMessage.clear();
    --m_failed;
    m_sendCursor = std::min(m_sendCursor, index);
    return true;
}

ChatError Outbox::failure(const QString &id) const
{
    const qsizetype index = indexOf(id);
    if (index < 0 || m_messages.at(index).state != DeliveryState::Failed)
        return {};
    const OutgoingMessage &message = m_messages.at(index).message;
    return errors::refusedByServer(message.failureCode, message.failureMessage);
}

QList<ChatMessage> Outbox::messages(const QString &room) const
{
    QList<ChatMessage> list;
    for (const Pending &pending : m_messages) {
        if (pending.message.room == room)
            list.append(toChatMessage(pending));
    }
    return list;
}

void Outbox::linkUp()
{
    m_up = true;
    m_inFlight = 0;
    m_window = InitialWindow;
    m_retryTimer.stop();
    m_unanswered.clear();
}

QStringList Outbox::linkDown()
{
    m_up = false;
    m_unanswered.clear();
    m_inFlight = 0;
    m_retryTimer.stop();
    m_sendCursor = 0;
    QStringList requeued;
    for (Pending &pending : m_messages) {
        if (pending.state == DeliveryState::Sent) {
            pending.state = DeliveryState::Queued;
            requeued.append(pending.message.id);
        }
    }
    return requeued;
}

QStringList Outbox::pump()
{
    QStringList sent;
    if (!m_up || m_retryTimer.isActive())
        return sent;
    for (; m_sendCursor < m_messages.size() && m_inFlight < m_window; ++m_sendCursor) {
        Pending &pending = m_messages[m_sendCursor];
        if (pending.state != DeliveryState::Queued)
            continue;
        const OutgoingMessage &m = pending.message;
        if (!m_link.send(protocol::send(m.id, m.room, m.text, m.sentAtMs)))
            break;
        pending.state = DeliveryState::Sent;
        ++m_inFlight;
        ++m_unanswered[m.id];
        sent.append(m.id);
    }
    return sent;
}

bool Outbox::takeAnswer(const QString &type, const QString &id)
{
    const auto it = m_unanswered.find(id);
    if (it == m_unanswered.end()) {
        m_link.reportViolation(QStringLiteral("The server sent \"%1\" for message \"%2\", which "
                                              "this client did not send on this link.")
                                   .arg(type, id.left(protocol::MaxIdLength)));
        return false;
    }
    if (--it.value() == 0)
        m_unanswered.erase(it);
    return true;
}

ChatMessage Outbox::deliver(qsizetype index, qint64 seq)
{
    const Pending pending = m_messages.takeAt(index);
    if (index < m_sendCursor)
        --m_sendCursor;
    m_ids.remove(pending.message.id);
    if (pending.state == DeliveryState::Sent)
        --m_inFlight;
    m_store.markDelivered(pending.message, m_sender, seq);
    ChatMessage delivered = toChatMessage(pending);
    delivered.seq = seq;
    delivered.state = DeliveryState::Delivered;
    return delivered;
}

std::optional<ChatMessage> Outbox::acknowledge(const protocol::Frame &ack)
{
    const QString id = ack.text(QStringLiteral("id"));
    if (!takeAnswer(ack.type(), id))
        return std::nullopt;
    const qsizetype index = indexOf(id);
    if (index < 0 || m_messages.at(index).state == DeliveryState::Failed)
        return std::nullopt; // a repeated acknowledgement of a message delivered already
    const ChatMessage delivered = deliver(index, ack.integer(QStringLiteral("seq")));
    // The window is refilled by the next pump(), once per event-loop turn: the server stores
    // what arrives in one turn with one commit, so a few large batches beat many small ones.
    m_window = std::min(MaxWindow, m_window + 1);
    return delivered;
}

std::optional<QString> Outbox::refuse(const protocol::Frame &nack)
{
    const QString id = nack.text(QStringLiteral("id"));
    if (!takeAnswer(nack.type(), id))
        return std::nullopt;
    const qsizetype index = indexOf(id);
    if (index < 0 || m_messages.at(index).state == DeliveryState::Failed)
        return std::nullopt;
    Pending &pending = m_messages[index];
    if (pending.state == DeliveryState::Sent)
        --m_inFlight;
    pending.state = DeliveryState::Failed;
    pending.message.failed = true;
    pending.message.failureCode = nack.text(QStringLiteral("code"));
    pending.message.failureMessage = nack.text(QStringLiteral("message"));
    ++m_failed;
    qCWarning(lcOutbox, "the server refused a message for good: %s",
              qUtf8Printable(pending.message.failureCode));
    m_store.markFailed(id, pending.message.failureCode, pending.message.failureMessage);
    return id;
}

QStringList Outbox::defer(const protocol::Frame &retry)
{
    QStringList requeued;
    const QString id = retry.text(QStringLiteral("id"));
    if (!takeAnswer(retry.type(), id))
        return requeued;
    const qsizetype index = indexOf(id);
    if (index < 0 || m_messages.at(index).state != DeliveryState::Sent)
        return requeued; // later sends answered while this client had already stopped
    // The server stored none of these: they wait, in order, and go out again after the pause.
    for (qsizetype i = index; i < m_messages.size(); ++i) {
        Pending &pending = m_messages[i];
        if (pending.state != DeliveryState::Sent)
            continue;
        pending.state = DeliveryState::Queued;
        --m_inFlight;
        requeued.append(pending.message.id);
    }
    m_sendCursor = std::min(m_sendCursor, index);
    m_window = 1;
    const qint64 afterMs = retry.integer(QStringLiteral("afterMs"));
    m_retryTimer.start(int(std::clamp<qint64>(afterMs, 1, 60000)));
    qCInfo(lcOutbox, "server asks to slow down; %lld messages wait %lld ms",
           static_cast<long long>(requeued.size()), static_cast<long long>(afterMs));
    return requeued;
}

std::optional<ChatMessage> Outbox::claimEcho(const QString &id, qint64 seq)
{
    const qsizetype index = indexOf(id);
    if (index < 0 || m_messages.at(index).state == DeliveryState::Failed)
        return std::nullopt;
    return deliver(index, seq);
}

} // namespace lifeline
