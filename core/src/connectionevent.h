#pragma once

#include <lifeline/chaterror.h>
#include <lifeline/enums.h>

#include <QStringList>

#include <optional>

namespace lifeline {

// Why a link ended: the error to report and, for a failure that retrying cannot fix, the reason
// the connection stops with instead of reconnecting.
struct LinkFailure
{
    ChatError cause;
    std::optional<DisconnectReason> fatalReason;
};

// Something that happened to a connection: a call of the app, a fact that changed, a timer that
// ran out, or what the socket or the server did. transition() turns it into a new state.
struct ConnectionEvent
{
    enum class Type {
        // Calls of the app (after ConnectionManager checked their arguments)
        Initialized, // init(): manualMode, loggedIn, userChanged, endpoint
        LoggedIn, // login(): sameSession
        LoggedOut, // logout(): error says why the saved session could not be deleted, if so
        ConnectRequested, // connectToServer()
        DisconnectRequested, // disconnectFromServer()
        Pinged, // ping() went out on the link
        AppStateChanged, // setAppState(): appState
        ReachabilityChanged, // setNetworkReachable() or QNetworkInformation: reachable
        // Timers
        RetryDue,
        ConnectTimedOut,
        HeartbeatDue,
        HeartbeatMissed,
        GraceEnded,
        // The socket and the server
        SocketOpened,
        Welcomed, // features: throttled from the start
        ThrottleChanged, // features
        FrameArrived, // any frame: the link is alive
        PongArrived, // the heartbeat's pong: roundTripMs
        LinkFailed, // failure, draw
        Reported, // error: something the app should know about; the link stays as it is
        // Follow-ups: a transition that told one status change and has a second one to make
        // asks for it as the next event, so that each is told in a state it describes.
        AutoConnectDue, // cause: in auto mode, connect unless something holds the connection
    };

    Type type;
    bool manualMode = false;
    bool loggedIn = false;
    bool userChanged = false;
    bool sameSession = false;
    AppState appState = AppState::Foreground;
    bool reachable = true;
    QStringList features;
    // Initialized: the server URL to start with, drawn at random by the caller so that the
    // clients of a service spread over its instances.
    int endpoint = 0;
    int roundTripMs = 0;
    LinkFailure failure;
    // Reported, LoggedOut: the error to tell.
    ChatError error;
    // AutoConnectDue: why, for the log.
    QString cause;
    // LinkFailed: a uniform draw from [0, 1) for the jitter of a planned retry, made by the
    // caller so that transition() stays a pure function.
    double draw = 0.0;

    static ConnectionEvent of(Type type)
    {
        ConnectionEvent event;
        event.type = type;
        return event;
    }
};

} // namespace lifeline
