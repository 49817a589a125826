#pragma once

#include "backoffpolicy.h"
#include "connectioneffect.h"
#include "connectionevent.h"
#include "connectionnotification.h"
#include "connectionstate.h"

#include <QList>

#include <optional>

namespace lifeline {

// The settings a transition reads: how long to wait for what, and when to retry.
struct ConnectionRules
{
    BackoffPolicy backoff;
    int connectTimeoutMs = 10000;
    int heartbeatIntervalMs = 10000;
    int heartbeatTimeoutMs = 5000;
    int backgroundGraceMs = 30000;
    // The server URLs of the settings, as the log names them ("session accepted by ws://...");
    // a failure moves on to the next of them.
    QStringList serverNames;
};

// One step of the connection: the state after the event, what to do to the socket and the
// timers, and what to tell whom, in order. The status changes among the notifications carry
// their cause, for the log.
struct ConnectionTransition
{
    ConnectionState state;
    QList<ConnectionEffect> effects;
    QList<ConnectionNotification> notifications;
    // The event that comes next, once these notifications are delivered, unless a newer change
    // superseded this one meanwhile.
    std::optional<ConnectionEvent> followUp;
};

// The connection's logic, all of it: a pure function from (state, event) to the next step. No
// QObject, no timer, no socket; the owner applies the new state first, then carries out the
// effects, then notifies. An event that does not apply to the state changes nothing.
// docs/architecture.md draws it, and tst_connectionmachine checks every pair.
ConnectionTransition transition(const ConnectionState &state, const ConnectionEvent &event,
                                const ConnectionRules &rules);

} // namespace lifeline
