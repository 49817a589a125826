#pragma once

#include "errors.h"
#include "result.h"

#include <lifeline/chaterror.h>
#include <lifeline/enums.h>

#include <QStringList>

namespace lifeline {

// Where the link is. Each phase shows as one ConnectionStatus (ConnectionState::status()).
enum class LinkPhase {
    Stopped, // Disconnected: nothing connects until an event allows it
    Opening, // Connecting: TCP, TLS and the WebSocket handshake
    Authenticating, // Connecting: `hello` went out, `welcome` is awaited
    Up, // Connected, or FeatureThrottled while `throttled` is not empty
    Waiting, // Reconnecting: the next attempt is planned
};

// Everything a ConnectionManager knows about its connection, as one value: the phase, the facts
// that hold whatever the phase is, and what only one phase has. Only transition()
// (connectionmachine.h) makes a new one; which timers run follows from it.
struct ConnectionState
{
    LinkPhase phase = LinkPhase::Stopped;

    // Facts independent of the phase.
    bool initialized = false;
    bool loggedIn = false;
    bool manualMode = false;
    AppState appState = AppState::Foreground;
    bool networkReachable = true;
    // Nothing reconnects by itself until login(), connectToServer() or logout(): set by
    // disconnectFromServer() and by a failure that retrying cannot fix (a refused token or
    // certificate, an unknown protocol version).
    bool held = false;
    // Why the connection stopped; kept while it runs again, as disconnectReason() reports it.
    DisconnectReason stopReason = DisconnectReason::NotStarted;

    // The reconnect attempt planned (Waiting) or under way; 0 for a first connect, and again
    // once a link has survived a heartbeat round trip (the attempt budget refills).
    int attempt = 0;
    // Waiting: the delay drawn for `attempt`.
    int retryDelayMs = 0;
    // Which of the settings' server URLs the link uses, or the next attempt will: chosen at
    // random by init(), kept while it works, and the next one after each failure.
    int endpoint = 0;
    // How many endpoints in a row refused the TLS handshake since a link last worked. Once every
    // one of them has, the certificate problem is as fatal as with a single server URL.
    int tlsRefusals = 0;
    // Up: a heartbeat round trip succeeded on this link.
    bool stable = false;
    // Up: a heartbeat ping is out and no frame has arrived since.
    bool awaitingPong = false;
    // Up: the features the server throttles.
    QStringList throttled;

    // What the app has heard last. A transition tells the difference from these, and the owner
    // keeps them true: when a newer change supersedes one whose notifications were still being
    // delivered, the rest of them is dropped, and the app must then hear the difference from
    // what it did hear.
    ConnectionStatus toldStatus = ConnectionStatus::Disconnected;
    DisconnectReason toldReason = DisconnectReason::NotStarted;

    ConnectionStatus status() const;
    bool isLinkUp() const { return phase == LinkPhase::Up; }
    bool isConnecting() const
    {
        return phase == LinkPhase::Opening || phase == LinkPhase::Authenticating;
    }
    // Whether a lost link is re-established.
    bool mayReconnect() const;
    // Whether the connection starts by itself (auto mode).
    bool mayAutoConnect() const { return mayReconnect() && !manualMode; }
    // Manual mode in background: the link closes when the grace period ends without a ping.
    bool graceRuns() const;
    // Waiting, and the network is there: the retry timer counts down.
    bool retryRuns() const { return phase == LinkPhase::Waiting && networkReachable; }

    // Whether a call of the app that needs a session can be made now, and if not, why.
    Result<> allows(errors::LoggedInAction action) const;

    // One line for logs and tests, e.g. "Waiting #2 in 400 ms [manual, offline]"; what the app
    // was told follows where it differs from the state, e.g. "(told Connected)".
    QString describe() const;

    friend bool operator==(const ConnectionState &a, const ConnectionState &b);
    friend bool operator!=(const ConnectionState &a, const ConnectionState &b) { return !(a == b); }
};

} // namespace lifeline
