#pragma once

#include <lifeline/appsettings.h>
#include <lifeline/appsettingsbuilder.h>
#include <lifeline/chaterror.h>
#include <lifeline/connectionlistener.h>
#include <lifeline/enums.h>

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace lifeline {

class ConnectionManagerPrivate;

/// Keeps one WebSocket link to a Lifeline server and tells the app its state at every moment.
///
/// Auto mode connects in foreground and drops the link in background; manual mode leaves
/// connecting to the app and closes the link after a grace period in background unless the app
/// pings. Lost links are re-established with exponential backoff and jitter; a heartbeat catches
/// links that died without a close. Every state has its own signal and listener callback.
class ConnectionManager : public QObject
{
    Q_OBJECT
    /// The state of the link as the user should see it.
    Q_PROPERTY(lifeline::ConnectionStatus connectionStatus READ connectionStatus NOTIFY
                   connectionStatusChanged)
    /// Foreground or background, as last set with setAppState().
    Q_PROPERTY(lifeline::AppState appState READ appState NOTIFY appStateChanged)
    /// Why the status is Disconnected; meaningful while it is.
    Q_PROPERTY(lifeline::DisconnectReason disconnectReason READ disconnectReason NOTIFY
                   disconnectReasonChanged)
    /// The reconnect attempt planned or under way (1-based); 0 when none is.
    Q_PROPERTY(int reconnectAttempt READ reconnectAttempt NOTIFY reconnecting)
    /// The last error reported through connectionError().
    Q_PROPERTY(lifeline::ChatError lastError READ lastError NOTIFY connectionError)
    /// The features the server has throttled for this connection.
    Q_PROPERTY(QStringList throttledFeatures READ throttledFeatures NOTIFY featureThrottled)
    /// The user of the current session; empty without one.
    Q_PROPERTY(QString loggedInUser READ loggedInUser NOTIFY loggedInUserChanged)
    /// Which of the settings' server URLs the link is up with; empty while it is not.
    Q_PROPERTY(QUrl connectedServerUrl READ connectedServerUrl NOTIFY connectedServerUrlChanged)

public:
    using Success = std::function<void(const QString &message)>;
    using Failure = std::function<void(const lifeline::ChatError &error)>;

    explicit ConnectionManager(QObject *parent = nullptr);
    ~ConnectionManager() override;

    /// Applies settings, restores a saved session, and in auto mode connects at once.
    void init(const QString &appId, const AppSettings &settings, Success onSuccess = {},
              Failure onError = {});
    bool isInitialized() const;
    AppSettings settings() const;

    /// Saves the session; in auto mode in foreground, connects. The server checks the token.
    void login(const QString &uid, const QString &authToken, Success onSuccess = {},
               Failure onError = {});
    /// Closes the link for good and deletes the saved session.
    void logout(Success onSuccess = {}, Failure onError = {});
    /// Empty without a session.
    QString loggedInUser() const;

    /// Connects now with a fresh attempt budget; onSuccess once the server accepted the session.
    void connectToServer(Success onSuccess = {}, Failure onError = {});
    /// Closes the link (code 1000); nothing reconnects until connectToServer() or login().
    void disconnectFromServer(Success onSuccess = {}, Failure onError = {});
    /// Application-level ping; also restarts the manual-mode background grace period.
    void ping(std::function<void()> onSuccess = {}, Failure onError = {});

    ConnectionStatus connectionStatus() const;
    DisconnectReason disconnectReason() const;
    int reconnectAttempt() const;
    /// Milliseconds until the planned reconnect attempt starts; -1 when none is planned.
    qint64 reconnectRemainingMs() const;
    /// Manual mode in background: milliseconds until the link is closed unless the app pings;
    /// -1 when no grace period runs.
    qint64 backgroundGraceRemainingMs() const;
    ChatError lastError() const;
    QStringList throttledFeatures() const;
    /// The server URL the link is up with (Connected or FeatureThrottled): one of
    /// AppSettings::serverUrls(). Empty while the link is not up.
    QUrl connectedServerUrl() const;

    void setAppState(AppState state);
    /// Foreground at start.
    AppState appState() const;

    /// Feeds reachability from the app's own source where QNetworkInformation has no backend.
    /// Offline pauses reconnecting without using up attempts; online retries at once.
    void setNetworkReachable(bool reachable);
    bool isNetworkReachable() const;

    /// The same id replaces the earlier listener. The manager does not own listeners.
    void addConnectionListener(const QString &id, ConnectionListener *listener);
    /// Takes effect at once, also from inside a listener callback.
    void removeConnectionListener(const QString &id);

Q_SIGNALS:
    /// Every change of connectionStatus().
    void connectionStatusChanged(lifeline::ConnectionStatus status);
    /// An attempt to connect has started.
    void connecting();
    /// The server accepted the session; the link is up.
    void connected();
    /// The link is down: it dropped, or the status became Disconnected.
    void disconnected();
    /// Reconnect attempt `attempt` starts in `delayMs` milliseconds.
    void reconnecting(int attempt, int delayMs);
    /// The server throttled these features; an empty list means throttling was lifted.
    void featureThrottled(const QStringList &features);
    /// Something went wrong with the link; see ChatError::code.
    void connectionError(const lifeline::ChatError &error);
    /// Why the status is Disconnected changed; emitted before the status change it explains.
    void disconnectReasonChanged(lifeline::DisconnectReason reason);
    /// A heartbeat ping was answered after roundTripMs milliseconds.
    void heartbeatAcknowledged(int roundTripMs);
    /// The app state changed.
    void appStateChanged(lifeline::AppState state);
    /// A session was saved or removed.
    void loggedInUserChanged(const QString &uid);
    /// connectedServerUrl() changed: right after the status change that changed it.
    void connectedServerUrlChanged(const QUrl &url);

private:
    friend class ConnectionManagerPrivate;
    std::unique_ptr<ConnectionManagerPrivate> d;
};

} // namespace lifeline
