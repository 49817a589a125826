#pragma once

#include <QLoggingCategory>

class QHostAddress;

namespace lifeline::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)
// What the server did in all, said once at exit; benchmarks turn it on with the rest off.
Q_DECLARE_LOGGING_CATEGORY(lcServerStats)

// "address:port" as log lines name a peer; an IPv4 peer of a dual-stack socket shows as a.b.c.d.
QString peerForLog(const QHostAddress &address, quint16 port);
// What a client sent ends up in log lines only through this: no control characters that could
// forge a line, and a bounded length.
QString printableForLog(const QString &text);

} // namespace lifeline::server
