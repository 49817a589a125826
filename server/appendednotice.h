#pragma once

#include "storedmessage.h"

#include <QList>
#include <QString>

namespace lifeline::server {

// What a shared store tells the other servers after an append: the counter after the commit
// and, when they fit in the notice, the messages the commit stored. A server whose cursor they
// continue sends them on without reading the store; seq is gap-free in commit order, so it can
// tell. Otherwise it reads from its cursor as before.
//
// The text form is the counter, then a space and a JSON array of the messages when they are
// carried: "17" or "17 [[16, \"id\", \"room\", \"uid\", \"text\", 1700000000000], ...]". The
// database writes it (lifeline_append() in PostgresMessageStore); servers read it here. A notice
// of the number alone is what every release has sent, so servers of mixed releases understand
// each other.
struct AppendedNotice
{
    // The store's newest seq after the commit; 0 when unknown (a periodic check, a link that
    // came back): then the receiver reads from its cursor.
    qint64 lastSeq = 0;
    // Every message the commit stored, in seq order, ending at lastSeq; empty when they were
    // too big to carry or the commit stored none.
    QList<StoredMessage> messages;

    // The notice that text describes; one with lastSeq 0 if text is not one.
    static AppendedNotice fromText(const QString &text);
};

} // namespace lifeline::server
