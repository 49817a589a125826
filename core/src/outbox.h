#pragma once

#include "clientstore.h"
#include "result.h"

#include <lifeline/chatmessage.h>

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <optional>

namespace lifeline {

class MessageLink;
namespace protocol {
class Frame;
}

// The user's own messages until the server has stored them: on disk from the moment they are
// queued (ClientStore), written to the link in sending order within a window of unacknowledged
// messages, written again on every new link until acknowledged, and held back for as long as a
// rate-limited server asks. Every answer of the server is checked against what this link
// carried.
class Outbox : public QObject
{
    Q_OBJECT

public:
    Outbox(ClientStore &store, MessageLink &link, QObject *parent = nullptr);

    // Takes over what the (newly opened) store holds, queued and failed, as messages of
    // `sender`.
    void load(const QString &sender);
    void clear();

    // On disk before it returns, then waiting for the link; the message as the app sees it.
    Result<ChatMessage> enqueue(const OutgoingMessage &message);
    // Puts a failed message back in the queue; false if there is no such failed message.
    bool requeue(const QString &id);
    // Why a failed message failed; null for any other.
    ChatError failure(const QString &id) const;
    // Queued and sent, not failed.
    int pendingCount() const { return int(m_messages.size()) - m_failed; }
    int failedCount() const { return m_failed; }
    // The own messages of `room` that are not delivered, in sending order.
    QList<ChatMessage> messages(const QString &room) const;

    void linkUp();
    // What was written to the lost link waits again, to go out on the next one; their ids.
    QStringList linkDown();
    // Writes queued messages on the link as far as the window allows; the ids now Sent.
    QStringList pump();

    // `ack`: the message the server stored, to tell once its row is committed. Nothing for a
    // repeated acknowledgement; an acknowledgement of something this link did not carry is a
    // protocol violation.
    std::optional<ChatMessage> acknowledge(const protocol::Frame &ack);
    // `nack`: the id of the message that failed for good.
    std::optional<QString> refuse(const protocol::Frame &nack);
    // `retry`: the server stored none from this message on; the ids that wait again, in order.
    QStringList defer(const protocol::Frame &retry);
    // The echo of an own message whose acknowledgement was lost: delivered all the same.
    std::optional<ChatMessage> claimEcho(const QString &id, qint64 seq);

Q_SIGNALS:
    // The pause a `retry` asked for is over: pump() again.
    void resumed();

private:
    struct Pending
    {
        OutgoingMessage message;
        DeliveryState state = DeliveryState::Queued;
    };

    qsizetype indexOf(const QString &id) const;
    ChatMessage toChatMessage(const Pending &pending) const;
    ChatMessage deliver(qsizetype index, qint64 seq);
    // Counts the answer (ack, nack or retry) to a send on this link; false for an answer to
    // nothing this client sent, after the link was reported for it.
    bool takeAnswer(const QString &type, const QString &id);

    ClientStore &m_store;
    MessageLink &m_link;
    QString m_sender;
    QList<Pending> m_messages;
    // The ids in m_messages, so that the echo of an own message that is delivered already (the
    // common case) is recognised without a scan.
    QSet<QString> m_ids;
    int m_failed = 0;
    // Every entry before this index is Sent or Failed, so pump() starts here instead of walking
    // the whole window on every acknowledgement.
    qsizetype m_sendCursor = 0;
    bool m_up = false;
    // How many answers each id sent on this link still has coming: one per send, also when a
    // message goes out again after a `retry` or an echo delivered it first.
    QHash<QString, int> m_unanswered;
    int m_inFlight = 0;
    int m_window;
    QTimer m_retryTimer;
};

} // namespace lifeline
