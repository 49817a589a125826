#include "soakchecker.h"

#include "messagetext.h"

#include <QMap>
#include <QSet>

#include <algorithm>

namespace lifeline::chaos {

namespace {

// Enough to find the cause in the journals; a broken run can have thousands.
constexpr int MaxProblems = 20;

struct StoredInfo
{
    QString sender;
    qint64 index = 0;
    qint64 seq = 0;
};

} // namespace

SoakChecker::Result SoakChecker::check(const QHash<QString, ClientJournal::Contents> &journals,
                                       const QList<Stored> &stored)
{
    Result result;
    result.checked = stored.size();
    const auto add = [&result](qint64 *counter, const QString &problem) {
        ++*counter;
        if (result.problems.size() < MaxProblems)
            result.problems.append(problem);
    };

    // The server: each id and each (sender, running number) once, in each sender's order.
    QHash<QString, StoredInfo> byId;
    QHash<QString, QMap<qint64, QString>> indexToId; // sender -> running number -> id
    QHash<QString, qint64> lastIndexOnServer;
    for (const Stored &message : stored) {
        QString sender;
        qint64 index = 0;
        if (!parseMessageText(message.text, &sender, &index) || sender != message.sender
            || !journals.contains(sender)) {
            add(&result.unexpected,
                QStringLiteral("the server stored %1 (seq %2, from %3), which no soak "
                               "client sent")
                    .arg(message.id)
                    .arg(message.seq)
                    .arg(message.sender));
            continue;
        }
        if (byId.contains(message.id)) {
            add(&result.duplicated,
                QStringLiteral("the server stored %1 twice (seq %2 and %3)")
                    .arg(message.id)
                    .arg(byId.value(message.id).seq)
                    .arg(message.seq));
            continue;
        }
        byId.insert(message.id, {sender, index, message.seq});
        QMap<qint64, QString> &ids = indexToId[sender];
        if (ids.contains(index)) {
            add(&result.duplicated,
                QStringLiteral("the server stored %1's message %2 twice, as %3 and %4")
                    .arg(sender)
                    .arg(index)
                    .arg(ids.value(index), message.id));
            continue;
        }
        ids.insert(index, message.id);
        qint64 &last = lastIndexOnServer[sender];
        if (index < last)
            add(&result.reordered,
                QStringLiteral("the server stored %1's message %2 (seq %3) after its "
                               "message %4")
                    .arg(sender)
                    .arg(index)
                    .arg(message.seq)
                    .arg(last));
        last = std::max(last, index);
    }

    // Each sender: every id sendMessage() returned is stored, and no running number is missing.
    for (auto it = journals.cbegin(); it != journals.cend(); ++it) {
        const QString &sender = it.key();
        const QMap<qint64, QString> ids = indexToId.value(sender);
        QSet<qint64> journalled;
        QSet<QString> sentIds;
        qint64 highest = ids.isEmpty() ? 0 : ids.lastKey();
        for (const ClientJournal::Sent &sent : it->sent) {
            journalled.insert(sent.index);
            sentIds.insert(sent.id);
            highest = std::max(highest, sent.index);
            if (!byId.contains(sent.id))
                add(&result.lost,
                    QStringLiteral("%1's message %2 (id %3, queued by sendMessage()) "
                                   "was never stored")
                        .arg(sender)
                        .arg(sent.index)
                        .arg(sent.id));
        }
        for (qint64 index = 1; index <= highest; ++index) {
            if (!ids.contains(index) && !journalled.contains(index))
                add(&result.lost,
                    QStringLiteral("%1's message %2 is neither stored nor journalled")
                        .arg(sender)
                        .arg(index));
        }
        for (auto id = ids.cbegin(); id != ids.cend(); ++id) {
            if (!sentIds.contains(id.value()))
                add(&result.unexpected,
                    QStringLiteral("the server stored %1 as %2's message %3, an id "
                                   "sendMessage() never returned to %2")
                        .arg(id.value(), sender)
                        .arg(id.key()));
        }
    }

    // Each receiver: every other sender's stored message once, in that sender's order.
    for (auto it = journals.cbegin(); it != journals.cend(); ++it) {
        const QString &receiver = it.key();
        QHash<QString, int> timesReceived;
        QHash<QString, qint64> lastIndexFrom;
        for (const ClientJournal::Received &received : it->received) {
            const auto found = byId.constFind(received.id);
            if (found == byId.cend()) {
                add(&result.unexpected,
                    QStringLiteral("%1 received %2, which the server did not store")
                        .arg(receiver, received.id));
                continue;
            }
            if (found->sender == receiver) {
                add(&result.duplicated,
                    QStringLiteral("%1 received its own message %2 (id %3) as "
                                   "someone else's")
                        .arg(receiver)
                        .arg(found->index)
                        .arg(received.id));
                continue;
            }
            if (++timesReceived[received.id] > 1) {
                add(&result.duplicated,
                    QStringLiteral("%1 received %2's message %3 (id %4) again")
                        .arg(receiver, found->sender)
                        .arg(found->index)
                        .arg(received.id));
                continue;
            }
            qint64 &last = lastIndexFrom[found->sender];
            if (found->index < last)
                add(&result.reordered,
                    QStringLiteral("%1 received %2's message %3 after its message %4")
                        .arg(receiver, found->sender)
                        .arg(found->index)
                        .arg(last));
            last = std::max(last, found->index);
        }
        for (auto message = byId.cbegin(); message != byId.cend(); ++message) {
            if (message->sender != receiver && !timesReceived.contains(message.key()))
                add(&result.lost,
                    QStringLiteral("%1 never received %2's message %3 (id %4, seq %5)")
                        .arg(receiver, message->sender)
                        .arg(message->index)
                        .arg(message.key())
                        .arg(message->seq));
        }
    }
    return result;
}

} // namespace lifeline::chaos
