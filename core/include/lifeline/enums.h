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
};
Q_ENUM_NS(DisconnectReason)

} // namespace lifeline
