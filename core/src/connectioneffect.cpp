#include "connectioneffect.h"

namespace lifeline {

namespace {

QString timerName(ConnectionTimer timer)
{
    switch (timer) {
    case ConnectionTimer::Retry:
        return QStringLiteral("retry");
    case ConnectionTimer::Connect:
        return QStringLiteral("connect");
    case ConnectionTimer::Heartbeat:
        return QStringLiteral("heartbeat");
    case ConnectionTimer::HeartbeatDeadline:
        return QStringLiteral("deadline");
    case ConnectionTimer::Grace:
        return QStringLiteral("grace");
    }
    return QStringLiteral("?");
}

} // namespace

QString ConnectionEffect::describe() const
{
    switch (kind) {
    case Kind::OpenSocket:
        return QStringLiteral("open");
    case Kind::CloseSocket:
        return QStringLiteral("close");
    case Kind::SendHello:
        return QStringLiteral("hello");
    case Kind::SendHeartbeat:
        return QStringLiteral("ping");
    case Kind::StartTimer:
        return QStringLiteral("start %1 %2").arg(timerName(timer)).arg(ms);
    case Kind::StopTimer:
        return QStringLiteral("stop %1").arg(timerName(timer));
    case Kind::HoldConnectRequest:
        return QStringLiteral("hold request");
    }
    return QStringLiteral("?");
}

} // namespace lifeline
