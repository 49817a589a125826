#pragma once

#include "storedmessage.h"

class QSqlQuery;

namespace lifeline::server {

// The messages table as both SQL stores read it: the same columns, in this order.
namespace storedmessagecolumns {

// "seq, id, room, sender, body, sent_at", for a SELECT.
QString list();
// The message in the current row of a query that selected list().
StoredMessage read(const QSqlQuery &query);

} // namespace storedmessagecolumns

} // namespace lifeline::server
