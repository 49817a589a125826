#include "preparedstatements.h"

#include <QSqlError>
#include <QSqlQuery>

namespace lifeline::server {

bool prepareStatements(const QSqlDatabase &db, std::initializer_list<PreparedStatement> statements,
                       const std::function<QString(const QSqlError &)> &describe, QString *error)
{
    for (const PreparedStatement &entry : statements) {
        *entry.query = QSqlQuery(db);
        entry.query->setForwardOnly(true);
        if (!entry.query->prepare(entry.statement)) {
            *error = QStringLiteral("%1 (%2)").arg(describe(entry.query->lastError()),
                                                   entry.statement);
            return false;
        }
    }
    return true;
}

} // namespace lifeline::server
