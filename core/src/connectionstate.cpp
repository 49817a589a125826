#include "connectionstate.h"

#include <QMetaEnum>

namespace lifeline {

namespace {

const char *phaseName(LinkPhase phase)
{
    switch (phase) {
    case LinkPhase::Stopped:
        return "Stopped";
    case LinkPhase::Opening:
        return "Opening";
    case LinkPhase::Authenticating:
        return "Authenticating";
    case LinkPhase::Up:
        return "Up";
    case LinkPhase::Waiting:
        return "Waiting";
    }
    return "?";
}

} // namespace

ConnectionStatus ConnectionState::status() const
{
    switch (phase) {
    case LinkPhase::Stopped:
        return ConnectionStatus::Disconnected;
    case LinkPhase::Opening:
    case LinkPhase::Authenticating:
        return ConnectionStatus::Connecting;
    case LinkPhase::Up:
        return throttled.isEmpty() ? ConnectionStatus::Connected
                                   : ConnectionStatus::FeatureThrottled;
    case LinkPhase::Waiting:
        return ConnectionStatus::Reconnecting;
    }
    return ConnectionStatus::Disconnected;
}

bool ConnectionState::mayReconnect() const
{
    return initialized && loggedIn && !held && appState == AppState::Foreground;
}

Result<> ConnectionState::allows(errors::LoggedInAction action) const
{
    if (!initialized)
        return errors::notInitialized();
    if (!loggedIn)
        return errors::notLoggedIn(action);
    return {};
}

bool ConnectionState::graceRuns() const
{
    return manualMode && appState == AppState::Background && phase != LinkPhase::Stopped;
}

QString ConnectionState::describe() const
{
    QString text = QString::fromLatin1(phaseName(phase));
    switch (phase) {
    case LinkPhase::Stopped:
        text += QLatin1Char(' ')
            + QString::fromLatin1(
                    QMetaEnum::fromType<DisconnectReason>().valueToKey(int(stopReason)));
        break;
    case LinkPhase::Opening:
    case LinkPhase::Authenticating:
        if (attempt > 0)
            text += QStringLiteral(" #%1").arg(attempt);
        break;
    case LinkPhase::Up:
        if (attempt > 0)
            text += QStringLiteral(" #%1").arg(attempt);
        if (stable)
            text += QStringLiteral(" stable");
        if (awaitingPong)
            text += QStringLiteral(" awaiting-pong");
        if (!throttled.isEmpty())
            text += QStringLiteral(" throttled=") + throttled.join(QLatin1Char(','));
        break;
    case LinkPhase::Waiting:
        text += QStringLiteral(" #%1 in %2 ms").arg(attempt).arg(retryDelayMs);
        break;
    }
    // Shown only when it can differ: with one server URL it is always 0.
    if (endpoint > 0)
        text += QStringLiteral(" @%1").arg(endpoint);
    QStringList facts;
    if (!initialized)
        facts.append(QStringLiteral("uninitialised"));
    if (!loggedIn)
        facts.append(QStringLiteral("no session"));
    if (manualMode)
        facts.append(QStringLiteral("manual"));
    if (appState == AppState::Background)
        facts.append(QStringLiteral("background"));
    if (!networkReachable)
        facts.append(QStringLiteral("offline"));
    if (held)
        facts.append(QStringLiteral("held"));
    if (!facts.isEmpty())
        text += QStringLiteral(" [") + facts.join(QStringLiteral(", ")) + QLatin1Char(']');
    if (toldStatus != status())
        text += QStringLiteral(" (told %1)")
                    .arg(QString::fromLatin1(
                        QMetaEnum::fromType<ConnectionStatus>().valueToKey(int(toldStatus))));
    if (toldReason != stopReason)
        text += QStringLiteral(" (told %1)")
                    .arg(QString::fromLatin1(
                        QMetaEnum::fromType<DisconnectReason>().valueToKey(int(toldReason))));
    return text;
}

bool operator==(const ConnectionState &a, const ConnectionState &b)
{
    return a.phase == b.phase && a.initialized == b.initialized && a.loggedIn == b.loggedIn
        && a.manualMode == b.manualMode && a.appState == b.appState
        && a.networkReachable == b.networkReachable && a.held == b.held
        && a.stopReason == b.stopReason && a.attempt == b.attempt
        && a.retryDelayMs == b.retryDelayMs && a.endpoint == b.endpoint
        && a.tlsRefusals == b.tlsRefusals && a.stable == b.stable
        && a.awaitingPong == b.awaitingPong && a.throttled == b.throttled
        && a.toldStatus == b.toldStatus && a.toldReason == b.toldReason;
}

} // namespace lifeline
