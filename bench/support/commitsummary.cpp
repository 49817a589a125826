#include "commitsummary.h"

#include "bundledserver.h"

#include <QRegularExpression>

namespace lifeline::bench {

CommitSummary::~CommitSummary()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        QObject::disconnect(connection);
}

void CommitSummary::listenTo(harness::BundledServer &server)
{
    m_connections << QObject::connect(
        &server, &harness::BundledServer::standardErrorLine, &server, [this](const QString &line) {
            static const QRegularExpression summary(
                QStringLiteral("(\\d+) messages went through (\\d+) commits"));
            const QRegularExpressionMatch match = summary.match(line);
            if (!match.hasMatch())
                return;
            messages += match.captured(1).toLongLong();
            commits += match.captured(2).toLongLong();
            ++servers;
        });
}

} // namespace lifeline::bench
