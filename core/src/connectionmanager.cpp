#include <lifeline/connectionmanager.h>

#include "connectionmanager_p.h"
#include "errors.h"
#include "loggingcategories_p.h"
#include "trustedcertificates.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QMetaEnum>
#include <QNetworkInformation>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslConfiguration>
#include <QWebSocket>

namespace lifeline {

namespace {

int toMs(std::chrono::milliseconds duration)
{
    return int(duration.count());
}

template<typename Enum> const char *keyOf(Enum value)
{
    return QMetaEnum::fromType<Enum>().valueToKey(int(value));
}

// How long a deliberate close may take before the socket is simply aborted.
constexpr int CloseHandshakeMs = 1000;

// The close codes that say a frame broke the protocol (docs/protocol.md, "Close codes").
bool isProtocolCloseCode(int code)
{
    switch (code) {
    case QWebSocketProtocol::CloseCodeProtocolError:
    case QWebSocketProtocol::CloseCodeDatatypeNotSupported:
    case QWebSocketProtocol::CloseCodeWrongDatatype:
    case QWebSocketProtocol::CloseCodeTooMuchData:
    case int(protocol::CloseCode::ProtocolViolation):
        return true;
    default:
        return false;
    }
}

} // namespace

ConnectionManagerPrivate::ConnectionManagerPrivate(ConnectionManager *manager)
    : q(manager)
{
    reconnectTimer.setSingleShot(true);
    connectTimer.setSingleShot(true);
    heartbeatDeadline.setSingleShot(true);
    graceTimer.setSingleShot(true);
    // Timing is the product here: a coarse timer would blur the heartbeat and backoff delays.
    for (QTimer *timer :
         {&reconnectTimer, &connectTimer, &heartbeatTimer, &heartbeatDeadline, &graceTimer})
        timer->setTimerType(Qt::PreciseTimer);

    QObject::connect(&reconnectTimer, &QTimer::timeout, q, [this] {
        if (!networkReachable)
            return; // paused; setNetworkReachable(true) starts the attempt
        startAttempt(QStringLiteral("reconnect attempt %1").arg(reconnectAttempt));
    });
    QObject::connect(&connectTimer, &QTimer::timeout, q, [this] {
        handleLinkFailure(errors::connectTimeout(toMs(settings.connectTimeout())));
    });
    QObject::connect(&heartbeatTimer, &QTimer::timeout, q, [this] { sendHeartbeat(); });
    QObject::connect(&heartbeatDeadline, &QTimer::timeout, q, [this] {
        // abort(), never close(): a half-open link would never complete a close handshake.
        handleLinkFailure(errors::heartbeatTimeout(toMs(settings.heartbeatTimeout())));
    });
    QObject::connect(&graceTimer, &QTimer::timeout, q, [this] {
        if (appState != AppState::Background || status == ConnectionStatus::Disconnected)
            return;
        closeDeliberately(DisconnectReason::Background,
                          errors::cancelled(QStringLiteral("The background grace period ended.")),
                          QStringLiteral("background grace period of %1 ms ended without a ping")
                              .arg(toMs(settings.backgroundGrace())));
    });
}

template<typename Call> void ConnectionManagerPrivate::callListeners(Call call)
{
    // Look each id up again before calling: a callback may remove or replace any listener,
    // and a removed one must not be called, not even later in this same round.
    QStringList ids;
    ids.reserve(listeners.size());
    for (const auto &entry : std::as_const(listeners))
        ids.append(entry.first);
    QPointer<ConnectionManager> guard(q);
    for (const QString &id : std::as_const(ids)) {
        if (!guard)
            return;
        for (const auto &entry : std::as_const(listeners)) {
            if (entry.first == id) {
                ConnectionListener *listener = entry.second;
                call(listener);
                break;
            }
        }
    }
}

void ConnectionManagerPrivate::setStatus(ConnectionStatus newStatus, const QString &cause)
{
    if (status == newStatus)
        return;
    const ConnectionStatus old = status;
    status = newStatus;
    ++statusSerial;
    qCInfo(lcConnection).noquote()
        << "status" << keyOf(old) << "->" << keyOf(newStatus) << "cause:" << cause;

    QPointer<ConnectionManager> guard(q);
    const quint64 serial = statusSerial;
    Q_EMIT q->connectionStatusChanged(newStatus);
    if (!guard || serial != statusSerial)
        return;
    switch (newStatus) {
    case ConnectionStatus::Connecting:
        Q_EMIT q->connecting();
        callListeners([](ConnectionListener *l) { l->onConnecting(); });
        break;
    case ConnectionStatus::Connected:
        // Lifting throttling returns to Connected on the same link: not a new connection.
        if (old == ConnectionStatus::FeatureThrottled)
            break;
        Q_EMIT q->connected();
        callListeners([](ConnectionListener *l) { l->onConnected(); });
        break;
    case ConnectionStatus::Disconnected:
        Q_EMIT q->disconnected();
        callListeners([](ConnectionListener *l) { l->onDisconnected(); });
        break;
    case ConnectionStatus::Reconnecting: {
        const int attempt = reconnectAttempt;
        const int delay = plannedDelayMs;
        Q_EMIT q->reconnecting(attempt, delay);
        callListeners([=](ConnectionListener *l) { l->onReconnecting(attempt, delay); });
        break;
    }
    case ConnectionStatus::FeatureThrottled:
        break; // emitFeatureThrottled() carries the list
    }
}

void ConnectionManagerPrivate::setDisconnectReason(DisconnectReason reason)
{
    if (disconnectReason == reason)
        return;
    disconnectReason = reason;
    Q_EMIT q->disconnectReasonChanged(reason);
}

void ConnectionManagerPrivate::setStopped(DisconnectReason reason, const QString &cause)
{
    // The reason is set first, so that whoever reacts to the status sees why.
    setDisconnectReason(reason);
    reconnectTimer.stop();
    graceTimer.stop();
    reconnectAttempt = 0;
    setStatus(ConnectionStatus::Disconnected, cause);
}

void ConnectionManagerPrivate::emitConnectionError(const ChatError &error)
{
    lastError = error;
    qCInfo(lcConnection).noquote() << "error" << error.code << error.message << error.details;
    Q_EMIT q->connectionError(error);
    callListeners([&error](ConnectionListener *l) { l->onConnectionError(error); });
}

void ConnectionManagerPrivate::emitFeatureThrottled(const QStringList &features)
{
    Q_EMIT q->featureThrottled(features);
    callListeners([&features](ConnectionListener *l) { l->onFeatureThrottled(features); });
}

bool ConnectionManagerPrivate::isLinkUp() const
{
    return status == ConnectionStatus::Connected || status == ConnectionStatus::FeatureThrottled;
}

bool ConnectionManagerPrivate::mayReconnect() const
{
    return initialized && session && !userDisconnected && !retryBlocked
        && appState == AppState::Foreground;
}

bool ConnectionManagerPrivate::mayAutoConnect() const
{
    return mayReconnect() && !isManualMode();
}

void ConnectionManagerPrivate::startAttempt(const QString &cause)
{
    retireSocket();
    reconnectTimer.stop();
    lastSocketError.clear();
    sslErrors.clear();
    tlsHandshakeFailed = false;

    socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, q);
    socket->setMaxAllowedIncomingFrameSize(protocol::MaxClientIncomingBytes);
    socket->setMaxAllowedIncomingMessageSize(protocol::MaxClientIncomingBytes);
    if (!trustedCertificates.isEmpty()) {
        // In addition to the system's CAs, not instead: the same app may reach a public server.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + trustedCertificates);
        socket->setSslConfiguration(tls);
    }
    const quint64 gen = ++generation;
    phase = LinkPhase::Opening;

    QObject::connect(socket, &QWebSocket::connected, q, [this, gen] {
        if (gen == generation)
            onSocketConnected();
    });
    QObject::connect(socket, &QWebSocket::disconnected, q, [this, gen] {
        if (gen == generation)
            onSocketClosed();
    });
    QObject::connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), q,
                     [this, gen](QAbstractSocket::SocketError error) {
                         if (gen == generation)
                             onSocketError(error);
                     });
    // Never ignored: without ignoreSslErrors() Qt aborts the handshake, and onSocketClosed()
    // reports these as ERR_TLS.
    QObject::connect(socket, &QWebSocket::sslErrors, q,
                     [this, gen](const QList<QSslError> &errors) {
                         if (gen == generation)
                             sslErrors += errors;
                     });
    QObject::connect(socket, &QWebSocket::textMessageReceived, q, [this, gen](const QString &text) {
        if (gen == generation)
            onTextFrame(text);
    });
    QObject::connect(socket, &QWebSocket::binaryMessageReceived, q, [this, gen] {
        if (gen == generation)
            protocolViolation(
                QStringLiteral("The server sent a binary frame; Lifeline speaks JSON text "
                               "frames only. Check that the URL points to a Lifeline server."));
    });
    QObject::connect(socket, &QWebSocket::pong, q, [this, gen](quint64 elapsed) {
        if (gen == generation)
            onHeartbeatPong(elapsed);
    });

    connectTimer.start(settings.connectTimeout());
    QPointer<ConnectionManager> guard(q);
    setStatus(ConnectionStatus::Connecting, cause);
    // A slot on connecting() may already have disconnected or started another attempt.
    if (!guard || gen != generation)
        return;
    socket->open(QNetworkRequest(settings.serverUrl()));
}

void ConnectionManagerPrivate::retireSocket()
{
    connectTimer.stop();
    heartbeatTimer.stop();
    heartbeatDeadline.stop();
    phase = LinkPhase::None;
    throttled.clear();
    ignoredFrameProblems.clear();
    if (!socket)
        return;
    QWebSocket *old = socket;
    socket = nullptr;
    ++generation;
    QObject::disconnect(old, nullptr, q, nullptr);
    if (old->state() == QAbstractSocket::ConnectedState) {
        // Say goodbye properly (close code 1000), but never wait on a peer that does not answer.
        QObject::connect(old, &QWebSocket::disconnected, old, &QObject::deleteLater);
        QTimer::singleShot(CloseHandshakeMs, old, [old] {
            old->abort();
            old->deleteLater();
        });
        old->close(QWebSocketProtocol::CloseCodeNormal);
    } else {
        old->abort();
        old->deleteLater();
    }
}

void ConnectionManagerPrivate::onSocketConnected()
{
    phase = LinkPhase::Authenticating;
    socket->sendTextMessage(protocol::hello(appId, session->uid, session->token));
}

void ConnectionManagerPrivate::onSocketClosed()
{
    if (!sslErrors.isEmpty() || tlsHandshakeFailed) {
        // Retrying cannot make a certificate valid, and a retry loop would hide an attack.
        handleLinkFailure(errors::tls(tlsProblems()), true, DisconnectReason::TlsFailed);
        return;
    }
    const auto code = static_cast<protocol::CloseCode>(socket->closeCode());
    const QString reason = socket->closeReason();
    if (code == protocol::CloseCode::AuthFailed) {
        handleLinkFailure(errors::authFailed(reason), true, DisconnectReason::AuthFailed);
        return;
    }
    if (code == protocol::CloseCode::UnsupportedVersion) {
        handleLinkFailure(errors::protocol(QStringLiteral("The server does not speak protocol "
                                                          "version %1. Update the app.")
                                               .arg(protocol::Version)),
                          true, DisconnectReason::ProtocolMismatch);
        return;
    }
    const QString url = settings.serverUrl().toDisplayString();
    if (phase == LinkPhase::Opening) {
        handleLinkFailure(errors::connectionFailed(
            QStringLiteral("%1 (%2). Check that the server is running and reachable.")
                .arg(lastSocketError.isEmpty() ? socket->errorString() : lastSocketError, url)));
        return;
    }
    const int rawCode = socket->closeCode();
    const QString withReason
        = reason.isEmpty() ? QString() : QStringLiteral(" (") + reason + QLatin1Char(')');
    if (lastSocketError.isEmpty() && isProtocolCloseCode(rawCode)) {
        // Either end found a frame that breaks the protocol (this client closes with 1009 itself
        // when a frame is over its limit): not a network problem, and the user should know.
        handleLinkFailure(errors::protocol(
            QStringLiteral("The link to %1 closed with code %2%3: a frame broke the protocol. "
                           "Reconnecting by the retry policy.")
                .arg(url)
                .arg(rawCode)
                .arg(withReason)));
        return;
    }
    QString details = QStringLiteral("The link to %1 closed").arg(url);
    // Qt 6.4 leaves closeCode() at 1000 when the link drops without a close frame; the socket
    // error that came with the drop is what tells the two apart.
    if (!lastSocketError.isEmpty())
        details += QStringLiteral(" without a close frame (%1)").arg(lastSocketError);
    else
        details += QStringLiteral(" with code %1%2").arg(rawCode).arg(withReason);
    details += QStringLiteral(". Reconnecting by the retry policy.");
    handleLinkFailure(errors::connectionLost(details));
}

QString ConnectionManagerPrivate::tlsProblems() const
{
    if (sslErrors.isEmpty())
        return QStringLiteral("The TLS handshake with %1 failed: %2.")
            .arg(settings.serverUrl().toDisplayString(), lastSocketError);
    // Qt's sentence for each error, grouped by the certificate it is about, which is named so
    // that the user can tell a wrong server from a wrong setting.
    QList<QSslCertificate> certificates;
    QList<QStringList> problems;
    for (const QSslError &error : sslErrors) {
        qsizetype index = certificates.indexOf(error.certificate());
        if (index < 0) {
            certificates.append(error.certificate());
            problems.append(QStringList());
            index = certificates.size() - 1;
        }
        if (!problems[index].contains(error.errorString()))
            problems[index].append(error.errorString());
    }
    const auto names = [](const QStringList &names) {
        return names.isEmpty() ? QStringLiteral("?") : names.join(QLatin1String(", "));
    };
    QStringList parts;
    for (qsizetype i = 0; i < certificates.size(); ++i) {
        const QSslCertificate &certificate = certificates.at(i);
        QString part = problems.at(i).join(QLatin1String("; "));
        if (!certificate.isNull())
            part += QStringLiteral(" (certificate of \"%1\", issued by \"%2\", valid from %3 "
                                   "to %4)")
                        .arg(names(certificate.subjectInfo(QSslCertificate::CommonName)),
                             names(certificate.issuerInfo(QSslCertificate::CommonName)),
                             certificate.effectiveDate().toString(Qt::ISODate),
                             certificate.expiryDate().toString(Qt::ISODate));
        parts.append(part);
    }
    return parts.join(QLatin1String("; ")) + QLatin1Char('.');
}

void ConnectionManagerPrivate::onSocketError(QAbstractSocket::SocketError error)
{
    lastSocketError = socket->errorString();
    if (error == QAbstractSocket::SslHandshakeFailedError)
        tlsHandshakeFailed = true;
    qCDebug(lcConnection) << "socket error" << error << lastSocketError;
    // QWebSocket does not always follow an error with disconnected() (a refused connection
    // never connected). Give a close that is on its way one event-loop turn, then decide.
    const quint64 gen = generation;
    QTimer::singleShot(0, q, [this, gen] {
        if (gen != generation || !socket || socket->state() != QAbstractSocket::UnconnectedState)
            return;
        onSocketClosed();
    });
}

void ConnectionManagerPrivate::markAlive()
{
    heartbeatDeadline.stop();
}

void ConnectionManagerPrivate::onTextFrame(const QString &text)
{
    markAlive();
    QString problem;
    protocol::DecodeError kind = protocol::DecodeError::None;
    const protocol::Frame frame = protocol::Frame::decode(text, &problem, &kind);
    if (kind == protocol::DecodeError::UnknownType && phase == LinkPhase::Up) {
        // A newer server may add frame types, as it may add fields: skipping one loses nothing
        // this client could have used. Before `welcome` it would not be talking to a Lifeline
        // server that knows this client's version, so there it is fatal like any other.
        reportIgnoredFrame(problem);
        return;
    }
    if (!frame.isValid()) {
        protocolViolation(
            QStringLiteral("The server sent a frame this client cannot read: %1.").arg(problem));
        return;
    }
    const QString type = frame.type();
    if (type == protocol::type::Welcome && phase == LinkPhase::Authenticating) {
        onWelcome(frame);
    } else if (type == protocol::type::Pong && phase == LinkPhase::Up) {
        const auto it = pings.find(frame.integer(QStringLiteral("id")));
        if (it == pings.end())
            return; // a pong that arrived after its ping timed out
        PendingPing ping = it.value();
        pings.erase(it);
        delete ping.timer;
        if (ping.onSuccess)
            ping.onSuccess();
    } else if (type == protocol::type::Throttle && phase == LinkPhase::Up) {
        applyThrottle(frame.stringList(QStringLiteral("features")));
    } else if (type == protocol::type::Error) {
        onServerError(frame);
    } else if (isMessageLayerType(type) && phase == LinkPhase::Up) {
        // Without a Messenger these are simply not wanted: presence and typing come to every
        // session, and ignoring them is correct.
        const QList<FrameHandler *> handlers = frameHandlers;
        const quint64 gen = generation;
        for (FrameHandler *handler : handlers) {
            if (gen != generation || !frameHandlers.contains(handler))
                break;
            handler->handleFrame(frame);
        }
    } else {
        protocolViolation(QStringLiteral("The server sent an unexpected \"%1\" frame.").arg(type));
    }
}

void ConnectionManagerPrivate::protocolViolation(const QString &details)
{
    // The two ends no longer agree on the state of this link (what was sent, acknowledged, seen):
    // only a new link, which starts both afresh, can fix that. The outbox is sent again on it.
    handleLinkFailure(errors::protocol(
        details + QStringLiteral(" The link was dropped; reconnecting by the retry policy.")));
}

void ConnectionManagerPrivate::reportIgnoredFrame(const QString &problem)
{
    // Once per link and kind of frame: a server that sends it often must not flood the app.
    if (ignoredFrameProblems.contains(problem))
        return;
    ignoredFrameProblems.insert(problem);
    qCWarning(lcConnection).noquote() << "ignored a frame:" << problem;
    emitConnectionError(errors::protocol(
        QStringLiteral("The server sent a frame this client does not know (%1); it was ignored "
                       "and the link stays up. The server may be newer than this app: update "
                       "the app if something seems missing.")
            .arg(problem)));
}

void ConnectionManagerPrivate::addFrameHandler(FrameHandler *handler)
{
    if (!frameHandlers.contains(handler))
        frameHandlers.append(handler);
}

void ConnectionManagerPrivate::removeFrameHandler(FrameHandler *handler)
{
    frameHandlers.removeAll(handler);
}

bool ConnectionManagerPrivate::sendFrame(const QString &frame)
{
    if (!socket || phase != LinkPhase::Up)
        return false;
    socket->sendTextMessage(frame);
    return true;
}

bool ConnectionManagerPrivate::isMessageLayerType(const QString &type)
{
    using namespace protocol::type;
    for (const QString *known :
         {&Ack, &Nack, &Retry, &Message, &Gap, &Synced, &Typists, &Presence, &PresenceDiff}) {
        if (*known == type)
            return true;
    }
    return false;
}

void ConnectionManagerPrivate::onWelcome(const protocol::Frame &frame)
{
    connectTimer.stop();
    phase = LinkPhase::Up;
    linkStable = false;
    throttled = frame.stringList(QStringLiteral("throttled"));
    heartbeatTimer.start(settings.heartbeatInterval());

    QPointer<ConnectionManager> guard(q);
    const quint64 gen = generation;
    setStatus(ConnectionStatus::Connected,
              QStringLiteral("session accepted by %1").arg(settings.serverUrl().toDisplayString()));
    if (!guard || gen != generation)
        return;
    resolveConnectRequests();
    if (!guard || gen != generation || throttled.isEmpty())
        return;
    const QStringList features = throttled;
    setStatus(ConnectionStatus::FeatureThrottled,
              QStringLiteral("server throttles %1").arg(features.join(QLatin1String(", "))));
    if (guard && gen == generation)
        emitFeatureThrottled(features);
}

void ConnectionManagerPrivate::onServerError(const protocol::Frame &frame)
{
    const QString code = frame.text(QStringLiteral("code"));
    const QString details = frame.text(QStringLiteral("message")) + QLatin1Char(' ')
        + frame.text(QStringLiteral("details"));
    if (code == protocol::code::AuthFailed) {
        handleLinkFailure(errors::authFailed(details.trimmed()), true,
                          DisconnectReason::AuthFailed);
    } else if (code == protocol::code::UnsupportedVersion) {
        handleLinkFailure(errors::protocol(details.trimmed()), true,
                          DisconnectReason::ProtocolMismatch);
    } else {
        // The server refused one frame of ours; the link itself is fine.
        qCWarning(lcConnection).noquote() << "server refused a frame:" << code;
        emitConnectionError(errors::protocol(
            QStringLiteral("The server answered %1: %2").arg(code, details.trimmed())));
    }
}

void ConnectionManagerPrivate::onHeartbeatPong(quint64 roundTripMs)
{
    markAlive();
    if (!linkStable) {
        // The link survived a full heartbeat round trip: the retry budget refills.
        linkStable = true;
        if (reconnectAttempt != 0)
            qCInfo(lcConnection) << "link stable after reconnect attempt" << reconnectAttempt
                                 << "; the attempt budget is refilled";
        reconnectAttempt = 0;
    }
    Q_EMIT q->heartbeatAcknowledged(int(roundTripMs));
}

void ConnectionManagerPrivate::applyThrottle(const QStringList &features)
{
    if (features == throttled)
        return;
    throttled = features;
    QPointer<ConnectionManager> guard(q);
    const quint64 gen = generation;
    if (features.isEmpty())
        setStatus(ConnectionStatus::Connected, QStringLiteral("server lifted throttling"));
    else
        setStatus(ConnectionStatus::FeatureThrottled,
                  QStringLiteral("server throttles %1").arg(features.join(QLatin1String(", "))));
    if (guard && gen == generation)
        emitFeatureThrottled(features);
}

void ConnectionManagerPrivate::sendHeartbeat()
{
    if (!socket || phase != LinkPhase::Up)
        return;
    socket->ping();
    if (!heartbeatDeadline.isActive())
        heartbeatDeadline.start(settings.heartbeatTimeout());
}

void ConnectionManagerPrivate::handleLinkFailure(const ChatError &cause, bool fatal,
                                                 DisconnectReason fatalReason)
{
    const bool wasUp = phase == LinkPhase::Up;
    retireSocket();
    failPendingPings(errors::connectionLost(cause.details));
    if (fatal)
        retryBlocked = true;

    QPointer<ConnectionManager> guard(q);
    const quint64 serial = statusSerial;
    const auto stillCurrent = [&] { return guard && serial == statusSerial; };

    const int nextAttempt = reconnectAttempt + 1;
    if (!mayReconnect()) {
        emitConnectionError(cause);
        if (!stillCurrent())
            return;
        failConnectRequests(cause);
        if (!stillCurrent())
            return;
        DisconnectReason reason = fatalReason;
        if (!fatal)
            reason = appState == AppState::Background ? DisconnectReason::Background
                                                      : DisconnectReason::UserDisconnected;
        setStopped(reason, cause.code);
        return;
    }
    if (!backoff.allowsAttempt(nextAttempt)) {
        emitConnectionError(cause);
        if (!stillCurrent())
            return;
        failConnectRequests(cause);
        if (!stillCurrent())
            return;
        emitConnectionError(errors::reconnectFailed(backoff.maxAttempts()));
        if (!stillCurrent())
            return;
        setStopped(DisconnectReason::ReconnectFailed,
                   QStringLiteral("%1 reconnect attempts failed").arg(backoff.maxAttempts()));
        return;
    }

    // Plan the retry before telling anyone, so that a slot that calls connectToServer() or
    // disconnectFromServer() finds a consistent state to change.
    reconnectAttempt = nextAttempt;
    plannedDelayMs = toMs(backoff.nextDelay(nextAttempt));
    if (networkReachable)
        reconnectTimer.start(plannedDelayMs);
    if (wasUp) {
        Q_EMIT q->disconnected();
        callListeners([](ConnectionListener *l) { l->onDisconnected(); });
        if (!stillCurrent())
            return;
    }
    emitConnectionError(cause);
    if (!stillCurrent())
        return;
    failConnectRequests(cause);
    if (!stillCurrent())
        return;
    setStatus(ConnectionStatus::Reconnecting,
              QStringLiteral("%1; attempt %2 in %3 ms%4")
                  .arg(cause.code)
                  .arg(reconnectAttempt)
                  .arg(plannedDelayMs)
                  .arg(networkReachable ? QString() : QStringLiteral(" once the network is back")));
}

void ConnectionManagerPrivate::closeDeliberately(DisconnectReason reason,
                                                 const ChatError &cancelCause,
                                                 const QString &logCause)
{
    retireSocket();
    failPendingPings(errors::connectionLost(cancelCause.details));
    QPointer<ConnectionManager> guard(q);
    setStopped(reason, logCause);
    if (guard)
        failConnectRequests(cancelCause);
}

void ConnectionManagerPrivate::failPendingPings(const ChatError &error)
{
    const auto pending = std::exchange(pings, {});
    for (const PendingPing &ping : pending) {
        delete ping.timer;
        if (ping.onError)
            ping.onError(error);
    }
}

void ConnectionManagerPrivate::resolveConnectRequests()
{
    const auto requests = std::exchange(connectRequests, {});
    for (const ConnectRequest &request : requests) {
        if (request.onSuccess)
            request.onSuccess(QStringLiteral("Web socket connection successful"));
    }
}

void ConnectionManagerPrivate::failConnectRequests(const ChatError &error)
{
    const auto requests = std::exchange(connectRequests, {});
    for (const ConnectRequest &request : requests) {
        if (request.onError)
            request.onError(error);
    }
}

void ConnectionManagerPrivate::startGracePeriodIfBackground()
{
    if (isManualMode() && appState == AppState::Background)
        graceTimer.start(settings.backgroundGrace());
}

void ConnectionManagerPrivate::setupReachability()
{
    // On a plain Debian machine no backend loads; everything else works without it.
    if (!QNetworkInformation::instance()
        && !QNetworkInformation::loadBackendByFeatures(
            QNetworkInformation::Feature::Reachability)) {
        qCInfo(lcConnection) << "no network reachability backend; reconnecting on timers only";
        return;
    }
    QNetworkInformation *info = QNetworkInformation::instance();
    QObject::connect(info, &QNetworkInformation::reachabilityChanged, q,
                     [this](QNetworkInformation::Reachability reachability) {
                         q->setNetworkReachable(reachability
                                                != QNetworkInformation::Reachability::Disconnected);
                     });
    networkReachable = info->reachability() != QNetworkInformation::Reachability::Disconnected;
}

ConnectionManager::ConnectionManager(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ConnectionManagerPrivate>(this))
{
    qRegisterMetaType<lifeline::ChatError>();
}

ConnectionManager::~ConnectionManager()
{
    // Quietly: nobody is left to tell, and callbacks must not run into a half-destroyed object.
    if (d->socket) {
        QObject::disconnect(d->socket, nullptr, this, nullptr);
        d->socket->abort();
        delete d->socket;
        d->socket = nullptr;
    }
    for (const auto &ping : std::as_const(d->pings))
        delete ping.timer;
}

void ConnectionManager::init(const QString &appId, const AppSettings &settings, Success onSuccess,
                             Failure onError)
{
    const auto fail = [&onError](const ChatError &error) {
        qCWarning(lcConnection).noquote() << "init failed:" << error.details;
        if (onError)
            onError(error);
    };
    if (appId.trimmed().isEmpty()) {
        fail(errors::chatApiFailure(
            QStringLiteral("appId: is empty; pass the id of your Lifeline app.")));
        return;
    }
    const QStringList problems = settings.validationErrors();
    if (!problems.isEmpty()) {
        fail(errors::chatApiFailure(problems.join(QLatin1String("; "))));
        return;
    }
    const QString directory = settings.dataDirectory();
    if (!QDir().mkpath(directory)) {
        fail(errors::chatApiFailure(
            QStringLiteral("dataDirectory: cannot create %1; choose a writable directory.")
                .arg(directory)));
        return;
    }
    QString certificateProblem;
    const QList<QSslCertificate> trusted = settings.trustedCertificates().isEmpty()
        ? QList<QSslCertificate>()
        : readTrustedCertificates(settings.trustedCertificates(), &certificateProblem);
    if (!certificateProblem.isEmpty()) {
        // The file changed since validationErrors() read it.
        fail(errors::chatApiFailure(QStringLiteral("trustedCertificates: ") + certificateProblem));
        return;
    }

    if (d->initialized && d->status != ConnectionStatus::Disconnected)
        d->closeDeliberately(DisconnectReason::NotStarted,
                             errors::cancelled(QStringLiteral("init() was called again.")),
                             QStringLiteral("init() was called again"));
    d->appId = appId;
    d->settings = settings;
    d->trustedCertificates = trusted;
    d->backoff = BackoffPolicy(settings.reconnectInitialDelay(), settings.reconnectMaxDelay(),
                               settings.reconnectJitter(), settings.maxReconnectAttempts());
    d->sessionStore = SessionStore(directory);
    const QString previousUser = loggedInUser();
    d->session = d->sessionStore.load();
    if (d->session && d->session->appId != appId) {
        qCInfo(lcConnection) << "the saved session belongs to another app id; not restored";
        d->session.reset();
    }
    d->initialized = true;
    d->setupReachability();
    qCInfo(lcConnection).noquote()
        << "initialised for" << settings.serverUrl().toDisplayString() << "region"
        << settings.region() << (d->isManualMode() ? "manual mode" : "auto mode")
        << (d->session ? "with a saved session" : "without a session");
    if (loggedInUser() != previousUser)
        Q_EMIT loggedInUserChanged(loggedInUser());

    QPointer<ConnectionManager> guard(this);
    if (onSuccess)
        onSuccess(QStringLiteral("Initialization completed successfully"));
    if (guard && d->mayAutoConnect() && d->status == ConnectionStatus::Disconnected)
        d->startAttempt(QStringLiteral("init with a saved session"));
}

bool ConnectionManager::isInitialized() const
{
    return d->initialized;
}

AppSettings ConnectionManager::settings() const
{
    return d->settings;
}

void ConnectionManager::login(const QString &uid, const QString &authToken, Success onSuccess,
                              Failure onError)
{
    const auto fail = [&onError](const ChatError &error) {
        if (onError)
            onError(error);
    };
    if (!d->initialized)
        return fail(errors::notInitialized());
    if (uid.trimmed().isEmpty())
        return fail(errors::invalidArgument(
            QStringLiteral("uid: is empty; pass the id of the user to log in.")));
    if (authToken.isEmpty())
        return fail(errors::invalidArgument(
            QStringLiteral("authToken: is empty; pass the user's auth token.")));

    const Session next {d->appId, uid, authToken};
    const QString problem = d->sessionStore.save(next);
    if (!problem.isEmpty())
        return fail(errors::storage(problem + QStringLiteral("; check the data directory.")));

    const bool sameSession = d->session && d->session->uid == uid && d->session->token == authToken;
    if (!sameSession && d->status != ConnectionStatus::Disconnected)
        d->closeDeliberately(DisconnectReason::NotStarted,
                             errors::cancelled(QStringLiteral("Another user logged in.")),
                             QStringLiteral("login as another user"));
    d->session = next;
    d->retryBlocked = false;
    d->userDisconnected = false;
    qCInfo(lcConnection).noquote() << "logged in as" << uid;
    QPointer<ConnectionManager> guard(this);
    if (!sameSession)
        Q_EMIT loggedInUserChanged(uid);
    if (guard && onSuccess)
        onSuccess(QStringLiteral("Login successful"));
    if (guard && d->mayAutoConnect() && !d->isLinkUp()
        && d->status != ConnectionStatus::Connecting) {
        d->reconnectAttempt = 0;
        d->startAttempt(QStringLiteral("login"));
    }
}

void ConnectionManager::logout(Success onSuccess, Failure onError)
{
    if (!d->initialized) {
        if (onError)
            onError(errors::notInitialized());
        return;
    }
    if (!d->session) {
        if (onError)
            onError(errors::notLoggedIn(errors::LoggedInAction::Logout));
        return;
    }
    const QString problem = d->sessionStore.remove();
    d->session.reset();
    d->retryBlocked = false;
    d->userDisconnected = false;
    QPointer<ConnectionManager> guard(this);
    d->closeDeliberately(DisconnectReason::LoggedOut,
                         errors::cancelled(QStringLiteral("logout() was called.")),
                         QStringLiteral("logout"));
    if (!guard)
        return;
    Q_EMIT loggedInUserChanged(QString());
    if (!guard)
        return;
    if (!problem.isEmpty()) {
        if (onError)
            onError(errors::storage(problem + QStringLiteral("; delete the file by hand.")));
        return;
    }
    if (onSuccess)
        onSuccess(QStringLiteral("Logout completed successfully"));
}

QString ConnectionManager::loggedInUser() const
{
    return d->session ? d->session->uid : QString();
}

void ConnectionManager::connectToServer(Success onSuccess, Failure onError)
{
    if (!d->initialized) {
        if (onError)
            onError(errors::notInitialized());
        return;
    }
    if (!d->session) {
        if (onError)
            onError(errors::notLoggedIn(errors::LoggedInAction::Connect));
        return;
    }
    d->userDisconnected = false;
    d->retryBlocked = false;
    if (d->isLinkUp()) {
        if (onSuccess)
            onSuccess(QStringLiteral("Web socket connection successful"));
        return;
    }
    if (!d->isManualMode() && d->appState == AppState::Background) {
        if (onError)
            onError(errors::inBackground());
        return;
    }
    d->reconnectAttempt = 0;
    d->connectRequests.append({std::move(onSuccess), std::move(onError)});
    d->startGracePeriodIfBackground();
    if (d->status != ConnectionStatus::Connecting)
        d->startAttempt(QStringLiteral("connectToServer()"));
}

void ConnectionManager::disconnectFromServer(Success onSuccess, Failure onError)
{
    if (!d->initialized) {
        if (onError)
            onError(errors::notInitialized());
        return;
    }
    if (!d->session) {
        if (onError)
            onError(errors::notLoggedIn(errors::LoggedInAction::Disconnect));
        return;
    }
    d->userDisconnected = true;
    QPointer<ConnectionManager> guard(this);
    d->closeDeliberately(DisconnectReason::UserDisconnected,
                         errors::cancelled(QStringLiteral("disconnectFromServer() was called.")),
                         QStringLiteral("disconnectFromServer()"));
    if (!guard)
        return;
    if (onSuccess)
        onSuccess(QStringLiteral("Web socket disconnection successful"));
}

void ConnectionManager::ping(std::function<void()> onSuccess, Failure onError)
{
    if (!d->initialized) {
        if (onError)
            onError(errors::notInitialized());
        return;
    }
    if (!d->session) {
        if (onError)
            onError(errors::notLoggedIn(errors::LoggedInAction::Ping));
        return;
    }
    if (!d->isLinkUp()) {
        if (onError)
            onError(errors::notConnected());
        return;
    }
    const qint64 id = d->nextPingId++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id] {
        const auto it = d->pings.find(id);
        if (it == d->pings.end())
            return;
        const ConnectionManagerPrivate::PendingPing ping = it.value();
        d->pings.erase(it);
        ping.timer->deleteLater();
        if (ping.onError)
            ping.onError(errors::pingTimeout(toMs(d->settings.heartbeatTimeout())));
    });
    d->pings.insert(id, {std::move(onSuccess), std::move(onError), timer});
    timer->start(d->settings.heartbeatTimeout());
    d->startGracePeriodIfBackground();
    d->socket->sendTextMessage(protocol::ping(id));
}

ConnectionStatus ConnectionManager::connectionStatus() const
{
    return d->status;
}

DisconnectReason ConnectionManager::disconnectReason() const
{
    return d->disconnectReason;
}

int ConnectionManager::reconnectAttempt() const
{
    return d->status == ConnectionStatus::Reconnecting
            || (d->status == ConnectionStatus::Connecting && d->reconnectAttempt > 0)
        ? d->reconnectAttempt
        : 0;
}

qint64 ConnectionManager::reconnectRemainingMs() const
{
    return d->reconnectTimer.isActive() ? d->reconnectTimer.remainingTime() : -1;
}

qint64 ConnectionManager::backgroundGraceRemainingMs() const
{
    return d->graceTimer.isActive() ? d->graceTimer.remainingTime() : -1;
}

ChatError ConnectionManager::lastError() const
{
    return d->lastError;
}

QStringList ConnectionManager::throttledFeatures() const
{
    return d->throttled;
}

void ConnectionManager::setAppState(AppState state)
{
    if (d->appState == state)
        return;
    d->appState = state;
    qCInfo(lcConnection) << "app state" << keyOf(state);
    QPointer<ConnectionManager> guard(this);
    Q_EMIT appStateChanged(state);
    if (!guard || !d->initialized)
        return;

    if (d->isManualMode()) {
        if (state == AppState::Foreground) {
            d->graceTimer.stop();
        } else if (d->status == ConnectionStatus::Reconnecting) {
            // A link lost in background is not re-established; nor is one lost just before.
            d->closeDeliberately(DisconnectReason::Background,
                                 errors::cancelled(QStringLiteral("The app went to background.")),
                                 QStringLiteral("background (manual mode) while reconnecting"));
        } else if (d->status != ConnectionStatus::Disconnected) {
            d->startGracePeriodIfBackground();
        }
        return;
    }

    if (state == AppState::Background) {
        if (d->status != ConnectionStatus::Disconnected)
            d->closeDeliberately(DisconnectReason::Background,
                                 errors::cancelled(QStringLiteral("The app went to background.")),
                                 QStringLiteral("background (auto mode)"));
    } else if (d->mayAutoConnect() && d->status == ConnectionStatus::Disconnected) {
        d->reconnectAttempt = 0;
        d->startAttempt(QStringLiteral("foreground (auto mode)"));
    }
}

AppState ConnectionManager::appState() const
{
    return d->appState;
}

void ConnectionManager::setNetworkReachable(bool reachable)
{
    if (d->networkReachable == reachable)
        return;
    d->networkReachable = reachable;
    qCInfo(lcConnection) << "network" << (reachable ? "reachable" : "unreachable");
    if (d->status != ConnectionStatus::Reconnecting)
        return;
    if (!reachable) {
        d->reconnectTimer.stop(); // paused: no attempt is used up while offline
    } else {
        d->startAttempt(QStringLiteral("network is back; attempt %1").arg(d->reconnectAttempt));
    }
}

bool ConnectionManager::isNetworkReachable() const
{
    return d->networkReachable;
}

void ConnectionManager::addConnectionListener(const QString &id, ConnectionListener *listener)
{
    for (auto &entry : d->listeners) {
        if (entry.first == id) {
            entry.second = listener;
            return;
        }
    }
    d->listeners.append({id, listener});
}

void ConnectionManager::removeConnectionListener(const QString &id)
{
    d->listeners.removeIf([&id](const auto &entry) { return entry.first == id; });
}

} // namespace lifeline
