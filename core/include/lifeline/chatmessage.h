#pragma once

#include <lifeline/enums.h>

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace lifeline {

/// One chat message, the user's own or someone else's.
struct ChatMessage
{
    /// Made by the sender's client (a UUID): the idempotency key the server stores once.
    QString id;
    QString room;
    QString sender;
    QString text;
    /// The server's order number; 0 until the server stored it.
    qint64 seq = 0;
    QDateTime sentAt;
    /// For the user's own messages; others' messages are always Delivered.
    DeliveryState state = DeliveryState::Queued;
};

} // namespace lifeline

Q_DECLARE_METATYPE(lifeline::ChatMessage)
