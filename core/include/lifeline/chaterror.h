#pragma once

#include <QMetaType>
#include <QString>

class QDebug;

namespace lifeline {

/// An error reported by the SDK: a stable code (ERR_...), one sentence saying what happened,
/// and details saying what to do about it.
struct ChatError
{
    QString code;
    QString message;
    QString details;

    bool isNull() const { return code.isEmpty(); }
    friend bool operator==(const ChatError &a, const ChatError &b)
    {
        return a.code == b.code && a.message == b.message && a.details == b.details;
    }
    friend bool operator!=(const ChatError &a, const ChatError &b) { return !(a == b); }
};

QDebug operator<<(QDebug debug, const ChatError &error);

} // namespace lifeline

Q_DECLARE_METATYPE(lifeline::ChatError)
