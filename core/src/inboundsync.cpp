#include "inboundsync.h"

#include "clientstore.h"
#include "loggingcategories_p.h"
#include "messagelink.h"
#include "protocol.h"

#include <algorithm>

namespace lifeline {

InboundSync::InboundSync(ClientStore &store, MessageLink &link, ClaimOwn claimOwn)
    : m_store(store)
    , m_link(link)
    , m_claimOwn(std::move(claimOwn))
{ }

void InboundSync::linkUp()
{
    m_linkSeq = m_store.cursor();
    m_link.send(protocol::sync(m_linkSeq));
}

void InboundSync::linkDown()
{
    m_awaitingEcho.clear(); // an echo that comes in a later catch-up is recognised by the store
}

void InboundSync::expectEcho(const QString &id)
{
    m_awaitingEcho.insert(id);
}

std::optional<ChatMessage> InboundSync::receive(const protocol::Frame &frame)
{
    const qint64 seq = frame.integer(QStringLiteral("seq"));
    if (seq <= m_linkSeq) {
        // The stream has no holes only if seq rises: a message below one already seen would
        // fall behind the cursor and be skipped silently.
        m_link.reportViolation(QStringLiteral("The server sent message seq %1 after seq %2; seq "
                                              "must increase.")
                                   .arg(seq)
                                   .arg(m_linkSeq));
        return std::nullopt;
    }
    m_linkSeq = seq;
    if (seq <= m_store.cursor())
        return std::nullopt; // the server lost its history (see `synced`) and reuses seqs
    const QString id = frame.text(QStringLiteral("id"));
    if (m_awaitingEcho.remove(id) || m_claimOwn(id, seq)) {
        m_store.advanceCursor(seq);
        return std::nullopt;
    }
    ChatMessage message;
    message.id = id;
    message.room = frame.text(QStringLiteral("room"));
    message.sender = frame.text(QStringLiteral("sender"));
    message.text = frame.text(QStringLiteral("text"));
    message.seq = seq;
    message.sentAt = QDateTime::fromMSecsSinceEpoch(frame.integer(QStringLiteral("sentAt")));
    message.state = DeliveryState::Delivered;
    const bool isNew = m_store.storeReceived(message);
    m_store.advanceCursor(seq);
    if (!isNew)
        return std::nullopt;
    return message;
}

std::pair<qint64, qint64> InboundSync::skipGap(const protocol::Frame &gap)
{
    const qint64 from = gap.integer(QStringLiteral("from"));
    const qint64 to = gap.integer(QStringLiteral("to"));
    qCWarning(lcOutbox, "the server no longer keeps messages %lld to %lld",
              static_cast<long long>(from), static_cast<long long>(to));
    m_linkSeq = std::max(m_linkSeq, to);
    m_store.advanceCursor(to);
    return {from, to};
}

void InboundSync::catchUp(const protocol::Frame &synced)
{
    // Live messages follow above this seq. It is below the cursor when the server lost its
    // history (a reset data directory); its new messages are then above it, not above the
    // cursor, and must not count as going backwards.
    m_linkSeq = synced.integer(QStringLiteral("seq"));
    m_store.advanceCursor(m_linkSeq);
}

} // namespace lifeline
