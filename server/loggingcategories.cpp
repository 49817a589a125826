#include "loggingcategories_p.h"

#include <QHostAddress>

namespace lifeline::server {

// Debug output is off unless asked for with QT_LOGGING_RULES="lifeline.server.debug=true".
Q_LOGGING_CATEGORY(lcServer, "lifeline.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerStats, "lifeline.server.stats", QtInfoMsg)

QString peerForLog(const QHostAddress &address, quint16 port)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QStringLiteral("%1:%2").arg(QHostAddress(v4).toString()).arg(port);
    return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
}

QString printableForLog(const QString &text)
{
    QString result = text.left(200);
    for (QChar &c : result) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            c = QLatin1Char('?');
    }
    return result;
}

} // namespace lifeline::server
