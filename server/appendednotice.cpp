#include "appendednotice.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace lifeline::server {

namespace {

// The fields of a carried message, in this order.
enum Field { Seq, Id, Room, Sender, Text, SentAt, FieldCount };

} // namespace

AppendedNotice AppendedNotice::fromText(const QString &text)
{
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    bool ok = false;
    AppendedNotice notice;
    notice.lastSeq = QStringView(text).left(space).toLongLong(&ok);
    if (!ok || notice.lastSeq < 0)
        return {};
    if (space < 0)
        return notice;
    const QJsonDocument document = QJsonDocument::fromJson(text.mid(space + 1).toUtf8());
    const QJsonArray rows = document.array();
    qint64 expected = 0;
    for (const QJsonValue &value : rows) {
        const QJsonArray row = value.toArray();
        StoredMessage message;
        message.seq = row.at(Seq).toInteger();
        message.id = row.at(Id).toString();
        message.room = row.at(Room).toString();
        message.sender = row.at(Sender).toString();
        message.text = row.at(Text).toString();
        message.sentAt = row.at(SentAt).toInteger();
        // A commit's messages are consecutive and end at the counter; anything else is not a
        // notice this code wrote, and the receiver reads the store instead of trusting it.
        if (row.size() != FieldCount || message.seq <= 0 || message.id.isEmpty()
            || (expected != 0 && message.seq != expected)) {
            notice.messages.clear();
            return notice;
        }
        expected = message.seq + 1;
        notice.messages.append(message);
    }
    if (!notice.messages.isEmpty() && notice.messages.constLast().seq != notice.lastSeq)
        notice.messages.clear();
    return notice;
}

} // namespace lifeline::server
