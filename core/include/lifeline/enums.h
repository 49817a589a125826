#pragma once

#include <QObject>

namespace lifeline {
Q_NAMESPACE

/// The state of the link to the server, as the user should see it.
enum class ConnectionStatus { Disconnected, Connecting, Connected, Reconnecting, FeatureThrottled };
Q_ENUM_NS(ConnectionStatus)

/// Whether the app is in front of the user; drives auto mode and the manual-mode grace period.
enum class AppState { Foreground, Background };
Q_ENUM_NS(AppState)

/// Why the status is Disconnected, so a UI can say it in words ("You disconnected", ...).
enum class DisconnectReason {
    NotStarted, ///< nothing has connected yet (no session, manual mode, or just initialised)
    UserDisconnected, ///< disconnectFromServer() was called
    LoggedOut, ///< logout() was called
    Background, ///< auto mode went to background, or the manual-mode grace period ran out
    ReconnectFailed, ///< every reconnect attempt failed
    AuthFailed, ///< the server rejected the token
    ProtocolMismatch, ///< the server speaks a protocol version this client does not
    TlsFailed, ///< the server's certificate was refused, or TLS failed; see lastError()
};
Q_ENUM_NS(DisconnectReason)

/// Where one of the user's own messages is on its way to the server.
enum class DeliveryState {
    Queued, ///< on disk, waiting for a live link
    Sent, ///< written to a live link, not yet acknowledged
    Delivered, ///< the server stored it durably
    Failed, ///< the server refused it for good; see Messenger::failure()
};
Q_ENUM_NS(DeliveryState)

/// What a Send button should offer right now.
enum class SendAvailability {
    SendNow, ///< connected: a message goes out at once
    QueueOnly, ///< (re)connecting: a message waits on disk and goes out on reconnect
    Unavailable, ///< disconnected, logged out, or the queue is full
};
Q_ENUM_NS(SendAvailability)

} // namespace lifeline
