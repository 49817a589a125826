#pragma once

#include <QString>

namespace lifeline::server {

// One chat message as the server keeps it. The sender is the uid of the connection it came
// from, never a field the client chose.
struct StoredMessage
{
    QString id; // the sender's idempotency key, unique among all stored messages
    QString room;
    QString sender;
    QString text;
    qint64 sentAt = 0; // milliseconds since the epoch, as the sender's client said
    qint64 seq = 0; // assigned by the store; 0 until stored
};

} // namespace lifeline::server
