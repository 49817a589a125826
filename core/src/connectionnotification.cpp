#include "connectionnotification.h"

#include <QMetaEnum>

namespace lifeline {

namespace {

template<typename Enum> QString keyOf(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

} // namespace

QString ConnectionNotification::describe() const
{
    switch (kind) {
    case Kind::StatusChanged:
        return QStringLiteral("status ") + keyOf(status);
    case Kind::ReasonChanged:
        return QStringLiteral("reason ") + keyOf(reason);
    case Kind::Connecting:
        return QStringLiteral("connecting");
    case Kind::Connected:
        return QStringLiteral("connected");
    case Kind::Disconnected:
        return QStringLiteral("disconnected");
    case Kind::Reconnecting:
        return QStringLiteral("reconnecting %1 %2").arg(attempt).arg(delayMs);
    case Kind::FeatureThrottled:
        return QStringLiteral("throttled ") + features.join(QLatin1Char(','));
    case Kind::Error:
        return QStringLiteral("error ") + error.code;
    case Kind::HeartbeatAcknowledged:
        return QStringLiteral("heartbeat");
    case Kind::AppStateChanged:
        return QStringLiteral("app state ") + keyOf(appState);
    case Kind::UserChanged:
        return QStringLiteral("user");
    case Kind::LinkUp:
        return QStringLiteral("link up");
    case Kind::LinkDown:
        return QStringLiteral("link down");
    case Kind::RequestsSucceeded:
        return QStringLiteral("requests ok");
    case Kind::RequestsFailed:
        return QStringLiteral("requests ") + error.code;
    case Kind::PingsFailed:
        return QStringLiteral("pings ") + error.code;
    case Kind::Answer:
        return error.isNull() ? QStringLiteral("answer ok")
                              : QStringLiteral("answer ") + error.code;
    }
    return QStringLiteral("?");
}

} // namespace lifeline
