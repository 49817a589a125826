#pragma once

#include <QString>

namespace lifeline {

// The timers of a connection; which of them run follows from its state.
enum class ConnectionTimer {
    Retry, // Waiting: the planned reconnect attempt
    Connect, // Opening, Authenticating: the connect timeout
    Heartbeat, // Up: repeating, a WebSocket ping each interval
    HeartbeatDeadline, // Up: the pong (or any frame) is due
    Grace, // manual mode in background: the link closes unless the app pings
};

// What the owner of the state does to the outside world after a transition, before anyone is
// notified: the socket and the timers.
struct ConnectionEffect
{
    enum class Kind {
        OpenSocket, // a new socket, with a new generation, opens to the server
        CloseSocket, // the socket says goodbye (code 1000) if it is open, or is aborted
        SendHello,
        SendHeartbeat, // a WebSocket ping
        StartTimer, // (re)starts `timer` with `ms`
        StopTimer,
        HoldConnectRequest, // the callbacks of connectToServer() wait for the outcome
    };

    Kind kind;
    ConnectionTimer timer = ConnectionTimer::Retry;
    int ms = 0;

    static ConnectionEffect of(Kind kind) { return {kind, ConnectionTimer::Retry, 0}; }
    static ConnectionEffect start(ConnectionTimer timer, int ms)
    {
        return {Kind::StartTimer, timer, ms};
    }
    static ConnectionEffect stop(ConnectionTimer timer) { return {Kind::StopTimer, timer, 0}; }

    // e.g. "start retry 400 ms", for logs and the transition table's test.
    QString describe() const;

    friend bool operator==(const ConnectionEffect &a, const ConnectionEffect &b)
    {
        return a.kind == b.kind && a.timer == b.timer && a.ms == b.ms;
    }
};

} // namespace lifeline
