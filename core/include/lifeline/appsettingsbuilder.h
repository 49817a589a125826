#pragma once

#include <lifeline/appsettings.h>

namespace lifeline {

/// Builds AppSettings; every setter returns the builder so calls chain. Values are checked by
/// ConnectionManager::init(), which names each bad field (see AppSettings::validationErrors()).
class AppSettingsBuilder
{
public:
    /// ws:// or wss://, required: a list of one (setServerUrls()).
    AppSettingsBuilder &setServerUrl(const QUrl &url);
    /// The instances of one service, each ws:// or wss://; at least one. The connection starts
    /// at one chosen at random (so that clients spread over the instances), stays with the one
    /// that works, and after a failed attempt or a lost link tries the next in the list, under
    /// the same backoff and attempt budget. A refused token or an unsupported protocol version
    /// stops it as with one URL; a TLS failure moves on to the next endpoint when there is one,
    /// and stops it with DisconnectReason::TlsFailed once every endpoint has failed so in turn.
    AppSettingsBuilder &setServerUrls(const QList<QUrl> &urls);
    /// A label for logs and the UI; default "local".
    AppSettingsBuilder &setRegion(const QString &region);
    /// true (default): auto mode, connected in foreground, dropped in background.
    /// false: manual mode, the app calls connectToServer()/disconnectFromServer().
    AppSettingsBuilder &setAutoEstablishSocketConnection(bool on);
    /// Manual mode: how long the link stays up in background without a ping(); default 30 s.
    AppSettingsBuilder &setBackgroundGrace(std::chrono::milliseconds grace);
    /// How often a WebSocket ping goes out while connected; default 10 s.
    AppSettingsBuilder &setHeartbeatInterval(std::chrono::milliseconds interval);
    /// How long after a ping silence means a dead link; default 5 s.
    AppSettingsBuilder &setHeartbeatTimeout(std::chrono::milliseconds timeout);
    /// How long a connection attempt may take, handshake and session included; default 10 s.
    AppSettingsBuilder &setConnectTimeout(std::chrono::milliseconds timeout);
    /// Backoff: attempt n waits min(max, initial x 2^(n-1)); defaults 1 s and 30 s.
    AppSettingsBuilder &setReconnectDelay(std::chrono::milliseconds initial,
                                          std::chrono::milliseconds max);
    /// 0..1, default 0.5: each delay is drawn from [nominal x (1 - jitter), nominal], except the
    /// first attempt after losing a link that was connected, which draws from [0, nominal] so
    /// that the clients of a server that went down do not all return at once. 0: every delay is
    /// exactly nominal.
    AppSettingsBuilder &setReconnectJitter(double fraction);
    /// Failed reconnect attempts before giving up; default 5; 0 = never give up.
    AppSettingsBuilder &setMaxReconnectAttempts(int attempts);
    /// How many messages may wait to be delivered; default 10,000. More are refused with
    /// ERR_QUEUE_FULL, never dropped.
    AppSettingsBuilder &setMaxPendingMessages(int messages);
    /// Where the session is kept; default under QStandardPaths::AppDataLocation.
    AppSettingsBuilder &setDataDirectory(const QString &path);
    /// wss:// only: a file of one or more PEM certificates trusted in addition to the system's
    /// CAs: a private CA, or the server's own self-signed certificate (a certificate a CA
    /// issued is trusted through that CA, so give the CA). Default none. The server's
    /// certificate is always verified; a failure is ERR_TLS and is not retried.
    AppSettingsBuilder &setTrustedCertificates(const QString &pemFile);

    AppSettings build() const;

private:
    AppSettings m_settings;
};

} // namespace lifeline
