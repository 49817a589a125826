#pragma once

#include <lifeline/connectionmanager.h>

#include "backoffpolicy.h"
#include "protocol.h"
#include "sessionstore.h"

#include <QAbstractSocket>
#include <QHash>
#include <QSet>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>

#include <optional>

class QWebSocket;

namespace lifeline {

// Where the link is, below the user-visible status.
enum class LinkPhase { None, Opening, Authenticating, Up };

// A layer above the link (the Messenger) that takes the message-layer frames. Kept out of the
// public API on purpose: the frames are an implementation detail of the SDK.
class FrameHandler
{
public:
    virtual ~FrameHandler() = default;
    // Called for every frame of a message-layer type that arrives while the link is up.
    virtual void handleFrame(const protocol::Frame &frame) = 0;
};

class ConnectionManagerPrivate
{
public:
    explicit ConnectionManagerPrivate(ConnectionManager *manager);
    static ConnectionManagerPrivate *get(ConnectionManager *manager) { return manager->d.get(); }

    void addFrameHandler(FrameHandler *handler);
    void removeFrameHandler(FrameHandler *handler);
    // Writes a frame on the live link; false (and nothing written) unless the session is up.
    bool sendFrame(const QString &frame);
    static bool isMessageLayerType(const QString &type);

    struct ConnectRequest
    {
        ConnectionManager::Success onSuccess;
        ConnectionManager::Failure onError;
    };
    struct PendingPing
    {
        std::function<void()> onSuccess;
        ConnectionManager::Failure onError;
        QTimer *timer = nullptr;
    };

    // The one place that changes the status: guard, assign, log, emit.
    void setStatus(ConnectionStatus status, const QString &cause);
    void setStopped(DisconnectReason reason, const QString &cause);
    void setDisconnectReason(DisconnectReason reason);

    bool isLinkUp() const;
    bool isManualMode() const { return !settings.autoEstablishSocketConnection(); }
    bool mayReconnect() const;
    bool mayAutoConnect() const;

    void startAttempt(const QString &cause);
    void retireSocket();
    void onSocketConnected();
    void onSocketClosed();
    void onSocketError(QAbstractSocket::SocketError error);
    // What the TLS handshake of the current socket refused, for ERR_TLS; empty if it did not.
    QString tlsProblems() const;
    void onTextFrame(const QString &text);
    // A frame broke the protocol: ERR_PROTOCOL, and the link is dropped and reconnected.
    void protocolViolation(const QString &details);
    // A well-formed frame of an unknown type: ERR_PROTOCOL once per link, the link stays up.
    void reportIgnoredFrame(const QString &problem);
    void onWelcome(const protocol::Frame &frame);
    void onServerError(const protocol::Frame &frame);
    void onHeartbeatPong(quint64 roundTripMs);
    void applyThrottle(const QStringList &features);
    void sendHeartbeat();
    void markAlive();
    void handleLinkFailure(const ChatError &cause, bool fatal = false,
                           DisconnectReason fatalReason = DisconnectReason::AuthFailed);
    void closeDeliberately(DisconnectReason reason, const ChatError &cancelCause,
                           const QString &logCause);
    void failPendingPings(const ChatError &error);
    void resolveConnectRequests();
    void failConnectRequests(const ChatError &error);
    void startGracePeriodIfBackground();
    void setupReachability();

    void emitConnectionError(const ChatError &error);
    void emitFeatureThrottled(const QStringList &features);
    template<typename Call> void callListeners(Call call);

    ConnectionManager *q;

    bool initialized = false;
    QString appId;
    AppSettings settings;
    SessionStore sessionStore;
    // The certificates of settings.trustedCertificates(), read once by init().
    QList<QSslCertificate> trustedCertificates;
    std::optional<Session> session;
    BackoffPolicy backoff;

    ConnectionStatus status = ConnectionStatus::Disconnected;
    DisconnectReason disconnectReason = DisconnectReason::NotStarted;
    AppState appState = AppState::Foreground;
    bool userDisconnected = false;
    // Set by errors that retrying cannot fix (a rejected token, an unknown protocol version).
    bool retryBlocked = false;
    bool networkReachable = true;
    // The reconnect attempt planned or under way; 0 while the first connect is under way.
    int reconnectAttempt = 0;
    int plannedDelayMs = 0;
    bool linkStable = false;
    ChatError lastError;
    QStringList throttled;
    // Bumped by every status change, so an emit sequence can tell that a slot it called has
    // already moved the state on, and stop.
    quint64 statusSerial = 0;

    QWebSocket *socket = nullptr;
    // Every socket gets a generation; a slot that fires for an older one returns at once.
    quint64 generation = 0;
    LinkPhase phase = LinkPhase::None;
    QString lastSocketError;
    // The certificate errors of the current socket's TLS handshake, never ignored.
    QList<QSslError> sslErrors;
    bool tlsHandshakeFailed = false;
    QSet<QString> ignoredFrameProblems;

    QTimer reconnectTimer;
    QTimer connectTimer;
    QTimer heartbeatTimer;
    QTimer heartbeatDeadline;
    QTimer graceTimer;

    QList<ConnectRequest> connectRequests;
    QHash<qint64, PendingPing> pings;
    qint64 nextPingId = 1;

    QList<QPair<QString, ConnectionListener *>> listeners;
    QList<FrameHandler *> frameHandlers;
};

} // namespace lifeline
