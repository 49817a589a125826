#include "storedmessagecolumns.h"

#include <QSqlQuery>
#include <QVariant>

namespace lifeline::server {

namespace storedmessagecolumns {

QString list()
{
    return QStringLiteral("seq, id, room, sender, body, sent_at");
}

StoredMessage read(const QSqlQuery &query)
{
    StoredMessage message;
    message.seq = query.value(0).toLongLong();
    message.id = query.value(1).toString();
    message.room = query.value(2).toString();
    message.sender = query.value(3).toString();
    message.text = query.value(4).toString();
    message.sentAt = query.value(5).toLongLong();
    return message;
}

} // namespace storedmessagecolumns

} // namespace lifeline::server
