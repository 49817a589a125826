#pragma once

#include <QString>

namespace lifeline::chaos {

// The text of every soak message names its sender and the sender's running number, so that the
// checker can tell from what the server stored alone which message it is and where it belongs
// in its sender's order, even for a message whose journal line a SIGKILL cut off.
QString messageText(const QString &sender, qint64 index);
// False if `text` is not a soak message.
bool parseMessageText(const QString &text, QString *sender, qint64 *index);

} // namespace lifeline::chaos
