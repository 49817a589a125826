#include <lifeline/chaterror.h>

#include <QDebug>

namespace lifeline {

QDebug operator<<(QDebug debug, const ChatError &error)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "ChatError(" << error.code << ", " << error.message << ", " << error.details
                    << ')';
    return debug;
}

} // namespace lifeline
