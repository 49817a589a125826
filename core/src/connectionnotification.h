#pragma once

#include <lifeline/chaterror.h>
#include <lifeline/enums.h>

#include <QStringList>

namespace lifeline {

// What a transition tells the app, in the order it is told. Each kind is one public signal
// followed by the matching ConnectionListener call, or a callback of the app, or the internal
// link to the Messenger (ConnectionNotifier delivers them).
struct ConnectionNotification
{
    enum class Kind {
        StatusChanged, // status; cause for the log
        ReasonChanged, // reason, before the status change it explains
        Connecting,
        Connected,
        Disconnected,
        Reconnecting, // attempt, delayMs
        FeatureThrottled, // features
        Error, // error
        HeartbeatAcknowledged, // delayMs: the round trip
        AppStateChanged, // appState
        UserChanged, // the session was saved or removed
        LinkUp, // the Messenger's link is up (before the status says so)
        LinkDown, // and down again
        RequestsSucceeded, // the waiting callbacks of connectToServer() succeed
        RequestsFailed, // they fail with `error`
        PingsFailed, // the waiting ping() callbacks fail with `error`
        // The outcome of the call that caused the transition: success, or `error`. The only kind
        // still delivered after a newer change superseded the transition: every call is answered.
        Answer,
    };

    Kind kind;
    ConnectionStatus status = ConnectionStatus::Disconnected;
    DisconnectReason reason = DisconnectReason::NotStarted;
    AppState appState = AppState::Foreground;
    int attempt = 0;
    int delayMs = 0;
    QStringList features;
    ChatError error;
    QString cause;

    static ConnectionNotification of(Kind kind)
    {
        ConnectionNotification notification;
        notification.kind = kind;
        return notification;
    }

    // e.g. "reconnecting 1 100" or "error ERR_CONNECTION_LOST", for the transition table's test.
    QString describe() const;
};

} // namespace lifeline
