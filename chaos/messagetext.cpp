#include "messagetext.h"

namespace lifeline::chaos {

namespace {
const QLatin1Char Separator('#');
}

QString messageText(const QString &sender, qint64 index)
{
    return sender + Separator + QString::number(index);
}

bool parseMessageText(const QString &text, QString *sender, qint64 *index)
{
    const qsizetype at = text.lastIndexOf(Separator);
    if (at <= 0)
        return false;
    bool ok = false;
    *index = text.mid(at + 1).toLongLong(&ok);
    if (!ok || *index < 1)
        return false;
    *sender = text.left(at);
    return true;
}

} // namespace lifeline::chaos
