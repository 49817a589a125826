#include "messagehub.h"

#include "clientconnection.h"
#include "encodedtextframes.h"
#include "loggingcategories_p.h"
#include "messagestore.h"

#include <protocol.h>

#include <QElapsedTimer>
#include <QTimer>

namespace lifeline::server {

using namespace lifeline;

namespace {

// When the store cannot write (disk full, I/O error), senders try again after this long.
constexpr qint64 StoreRetryMs = 1000;

// Messages read at once when publishing what other servers stored.
constexpr int PublishPageSize = 500;

} // namespace

MessageHub::MessageHub(MessageStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_published(store->newestSeq())
{
    m_store->setAppendedElsewhereHandler(
        [this](const AppendedNotice &notice) { publishAppendedElsewhere(notice); });
}

MessageHub::~MessageHub()
{
    m_store->setAppendedElsewhereHandler({});
    // How many messages a disk sync carried: what batching is worth under this server's load.
    if (m_commitCount > 0)
        qCInfo(lcServerStats,
               "%lld messages went through %lld commits since the start (%.1f a commit)",
               static_cast<long long>(m_storedCount), static_cast<long long>(m_commitCount),
               double(m_storedCount) / double(m_commitCount));
}

void MessageHub::setCommitBatching(bool on)
{
    m_commitBatching = on;
}

void MessageHub::submit(ClientConnection *from, const StoredMessage &message)
{
    m_queue.append({from, message});
    ++m_queuedIds[message.id];
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // Queued behind the socket reads of this turn, so that a burst shares one commit.
    QTimer::singleShot(0, this, &MessageHub::flush);
}

bool MessageHub::isKnown(const QString &id)
{
    if (m_queuedIds.contains(id))
        return true;
    qint64 seq = 0;
    QString error;
    if (!m_store->seqOf(id, &seq, &error)) {
        qCWarning(lcServer, "cannot look up a message id: %s", qUtf8Printable(error));
        return false;
    }
    return seq > 0;
}

void MessageHub::flush()
{
    m_flushScheduled = false;
    if (m_queue.isEmpty())
        return;
    const QList<Submission> queue = std::exchange(m_queue, {});
    m_queuedIds.clear();
    if (m_commitBatching) {
        commit(queue, 0, queue.size());
        return;
    }
    for (qsizetype i = 0; i < queue.size(); ++i) {
        if (!commit(queue, i, 1)) {
            // Their senders' order must hold: what came after a message that must be sent again
            // is sent again after it.
            askToResend(queue, i + 1, queue.size() - i - 1);
            return;
        }
    }
}

void MessageHub::askToResend(const QList<Submission> &queue, qsizetype from, qsizetype count)
{
    for (qsizetype i = from; i < from + count; ++i) {
        const Submission &submission = queue.at(i);
        if (submission.from)
            submission.from->retryAfterStoreFailure(submission.message.id, StoreRetryMs);
    }
}

bool MessageHub::commit(const QList<Submission> &queue, qsizetype from, qsizetype count)
{
    QList<StoredMessage> messages;
    messages.reserve(count);
    for (qsizetype i = from; i < from + count; ++i)
        messages.append(queue.at(i).message);

    QElapsedTimer timer;
    timer.start();
    QList<MessageStore::Appended> results;
    QString error;
    if (!m_store->append(messages, &results, &error)) {
        qCWarning(lcServer,
                  "cannot store %lld messages, asking their senders to send them "
                  "again: %s",
                  static_cast<long long>(count), qUtf8Printable(error));
        askToResend(queue, from, count);
        return false;
    }
    ++m_commitCount;
    m_storedCount += count;
    qCDebug(lcServer, "stored a batch of %lld messages in %lld ms", static_cast<long long>(count),
            static_cast<long long>(timer.elapsed()));

    // Only now, with the batch on disk, may anyone hear of it. What this commit sends a
    // client does not count against how far behind it is; what earlier commits left unsent does.
    const QList<ClientConnection *> live = m_live;
    for (ClientConnection *client : live)
        client->dropIfNotReading();
    EncodedTextFrames newMessages;
    qint64 firstNewSeq = 0;
    qint64 lastNewSeq = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const Submission &submission = queue.at(from + i);
        const StoredMessage &message = submission.message;
        const MessageStore::Appended &result = results.at(i);
        if (!result.isNew && result.sender != message.sender) {
            if (submission.from)
                submission.from->refuseTakenId(message.id);
            continue;
        }
        if (submission.from)
            submission.from->acknowledge(message.id, result.seq);
        if (!result.isNew)
            continue;
        newMessages.append(protocol::message(message.id, message.room, message.sender, message.text,
                                             result.seq, message.sentAt));
        if (firstNewSeq == 0)
            firstNewSeq = result.seq;
        lastNewSeq = result.seq;
    }
    if (newMessages.isEmpty())
        return true;
    // The store's seq is gap-free in commit order: if the batch starts right after what was
    // published, no other server committed in between and the batch goes out as encoded.
    // Otherwise what others stored comes first, read from the store with this batch after it.
    if (firstNewSeq != m_published + 1) {
        publishFromStore();
        return true;
    }
    // The whole batch in one write per connection: the kernel's cost is per write far more than
    // per byte, so a server that falls behind and commits bigger batches catches up instead of
    // falling further behind. The acks went first, so each still comes before its copy.
    m_published = lastNewSeq;
    for (ClientConnection *client : live)
        client->deliver(newMessages);
    return true;
}

void MessageHub::publishAppendedElsewhere(const AppendedNotice &notice)
{
    // This server's own commits come back as notices too, after it published them.
    if (notice.lastSeq > 0 && notice.lastSeq <= m_published)
        return;
    // A commit's messages are consecutive and end at the counter: if the first comes no later
    // than the cursor's next, the cursor misses nothing they do not hold.
    if (notice.messages.isEmpty() || notice.messages.constFirst().seq > m_published + 1) {
        publishFromStore();
        return;
    }
    EncodedTextFrames frames;
    for (const StoredMessage &message : notice.messages) {
        if (message.seq > m_published)
            encode(message, &frames);
    }
    m_published = notice.lastSeq;
    deliverToLive(frames);
}

void MessageHub::publishFromStore()
{
    for (;;) {
        QList<StoredMessage> page;
        QString error;
        if (!m_store->readAfter(m_published, PublishPageSize, &page, &error)) {
            // The next commit, notice or health check reads from the same place again.
            qCWarning(lcServer, "cannot read new messages from the store: %s",
                      qUtf8Printable(error));
            return;
        }
        if (page.isEmpty())
            return;
        EncodedTextFrames frames;
        // Behind by more than the retention keeps (its link to the database was down while the
        // others wrote on): the live clients are told what they cannot have, never skip it.
        if (page.constFirst().seq > m_published + 1)
            frames.append(protocol::gap(m_published + 1, page.constFirst().seq - 1));
        for (const StoredMessage &message : std::as_const(page))
            encode(message, &frames);
        m_published = page.constLast().seq;
        deliverToLive(frames);
        if (page.size() < PublishPageSize)
            return;
    }
}

void MessageHub::deliverToLive(const EncodedTextFrames &frames)
{
    const QList<ClientConnection *> live = m_live;
    for (ClientConnection *client : live)
        client->dropIfNotReading();
    for (ClientConnection *client : live)
        client->deliver(frames);
}

void MessageHub::encode(const StoredMessage &message, EncodedTextFrames *frames)
{
    frames->append(protocol::message(message.id, message.room, message.sender, message.text,
                                     message.seq, message.sentAt));
}

void MessageHub::subscribe(ClientConnection *client)
{
    if (!m_live.contains(client))
        m_live.append(client);
}

void MessageHub::unsubscribe(ClientConnection *client)
{
    m_live.removeOne(client);
}

} // namespace lifeline::server
