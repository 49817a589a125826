#pragma once

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <initializer_list>

class QSqlError;
class QSqlQuery;

namespace lifeline::server {

// One statement a store prepares once and runs many times.
struct PreparedStatement
{
    QSqlQuery *query;
    QString statement;
};

// Prepares each statement on db into its query, forward-only. On the first failure says which
// statement and why in *error (describe words the database's error) and returns false.
bool prepareStatements(const QSqlDatabase &db, std::initializer_list<PreparedStatement> statements,
                       const std::function<QString(const QSqlError &)> &describe, QString *error);

} // namespace lifeline::server
