#include "connectionmachine.h"

#include "errors.h"

namespace lifeline {

namespace {

using Kind = ConnectionNotification::Kind;
using Type = ConnectionEvent::Type;
using Effect = ConnectionEffect;

bool isUp(ConnectionStatus status)
{
    return status == ConnectionStatus::Connected || status == ConnectionStatus::FeatureThrottled;
}

// Builds one transition. Keeps track of which timers run and which status was last announced,
// so that a timer is stopped only if it runs and a status is announced only when it changes.
class Step
{
public:
    Step(const ConnectionState &state, const ConnectionRules &rules)
        : m_rules(rules)
        , m_announced(state.toldStatus)
    {
        m_result.state = state;
        const auto runsIf = [this](ConnectionTimer timer, bool runs) {
            if (runs)
                m_running |= bit(timer);
        };
        runsIf(ConnectionTimer::Retry, state.retryRuns());
        runsIf(ConnectionTimer::Connect, state.isConnecting());
        runsIf(ConnectionTimer::Heartbeat, state.isLinkUp());
        runsIf(ConnectionTimer::HeartbeatDeadline, state.awaitingPong);
        runsIf(ConnectionTimer::Grace, state.graceRuns());
    }

    ConnectionState &state() { return m_result.state; }
    ConnectionTransition take() { return std::move(m_result); }

    void effect(ConnectionEffect::Kind kind) { m_result.effects.append(Effect::of(kind)); }
    void startTimer(ConnectionTimer timer, int ms)
    {
        m_running |= bit(timer);
        m_result.effects.append(Effect::start(timer, ms));
    }
    void stopTimer(ConnectionTimer timer)
    {
        if (!(m_running & bit(timer)))
            return;
        m_running &= ~bit(timer);
        m_result.effects.append(Effect::stop(timer));
    }

    void notify(Kind kind) { m_result.notifications.append(ConnectionNotification::of(kind)); }
    void notify(Kind kind, const ChatError &error)
    {
        ConnectionNotification notification = ConnectionNotification::of(kind);
        notification.error = error;
        m_result.notifications.append(notification);
    }
    void answer(const ChatError &error = {}) { notify(Kind::Answer, error); }
    // Whether this step has told a status change already.
    bool hasAnnounced() const { return m_hasAnnounced; }
    void followUp(ConnectionEvent event) { m_result.followUp = std::move(event); }
    // Connects in auto mode, now, or as the follow-up if this step told a change already.
    void autoConnect(const QString &cause);

    // Tells the status if it changed since it was last told, with the link's own notice first.
    void announce(const QString &cause);
    void startAttempt(const QString &cause);
    // Lets go of the socket and of what belongs to the link.
    void closeLink();
    void stop(DisconnectReason reason, const QString &cause);
    // closeDeliberately: the app (or the background) ends the connection.
    void close(DisconnectReason reason, const ChatError &cancel, const QString &cause);
    void fail(const LinkFailure &failure, double draw);
    void applyThrottle(const QStringList &features, const QString &cause);
    void changeAppState(AppState appState);
    // Any frame proves the link alive: the heartbeat deadline is met.
    void markAlive();
    void heartbeatAcknowledged(int roundTripMs);

private:
    static int bit(ConnectionTimer timer) { return 1 << int(timer); }

    const ConnectionRules &m_rules;
    ConnectionTransition m_result;
    ConnectionStatus m_announced;
    bool m_hasAnnounced = false;
    int m_running = 0;
};

void Step::announce(const QString &cause)
{
    const ConnectionState &s = m_result.state;
    const ConnectionStatus status = s.status();
    if (status == m_announced)
        return;
    if (isUp(status) && !isUp(m_announced))
        notify(Kind::LinkUp);
    else if (!isUp(status) && isUp(m_announced))
        notify(Kind::LinkDown);
    ConnectionNotification changed = ConnectionNotification::of(Kind::StatusChanged);
    changed.status = status;
    changed.cause = cause;
    m_result.notifications.append(changed);
    switch (status) {
    case ConnectionStatus::Connecting:
        notify(Kind::Connecting);
        break;
    case ConnectionStatus::Connected:
        // Lifting throttling returns to Connected on the same link: not a new connection.
        if (m_announced != ConnectionStatus::FeatureThrottled)
            notify(Kind::Connected);
        break;
    case ConnectionStatus::Disconnected:
        notify(Kind::Disconnected);
        break;
    case ConnectionStatus::Reconnecting: {
        ConnectionNotification reconnecting = ConnectionNotification::of(Kind::Reconnecting);
        reconnecting.attempt = s.attempt;
        reconnecting.delayMs = s.retryDelayMs;
        m_result.notifications.append(reconnecting);
        break;
    }
    case ConnectionStatus::FeatureThrottled:
        break; // the list follows with its own notification
    }
    m_announced = status;
    m_hasAnnounced = true;
    m_result.state.toldStatus = status;
}

void Step::autoConnect(const QString &cause)
{
    if (!state().mayAutoConnect() || state().phase != LinkPhase::Stopped)
        return;
    if (hasAnnounced()) {
        ConnectionEvent due = ConnectionEvent::of(Type::AutoConnectDue);
        due.cause = cause;
        followUp(due);
        return;
    }
    state().attempt = 0;
    startAttempt(cause);
}

void Step::startAttempt(const QString &cause)
{
    closeLink();
    stopTimer(ConnectionTimer::Retry);
    effect(Effect::Kind::OpenSocket);
    startTimer(ConnectionTimer::Connect, m_rules.connectTimeoutMs);
    state().phase = LinkPhase::Opening;
    announce(cause);
}

void Step::closeLink()
{
    ConnectionState &s = state();
    if (!s.isConnecting() && !s.isLinkUp())
        return;
    effect(Effect::Kind::CloseSocket);
    stopTimer(ConnectionTimer::Connect);
    stopTimer(ConnectionTimer::Heartbeat);
    stopTimer(ConnectionTimer::HeartbeatDeadline);
    s.stable = false;
    s.awaitingPong = false;
    s.throttled.clear();
}

void Step::stop(DisconnectReason reason, const QString &cause)
{
    ConnectionState &s = state();
    // The reason first, so that whoever reacts to the status sees why.
    s.stopReason = reason;
    if (s.toldReason != reason) {
        s.toldReason = reason;
        ConnectionNotification changed = ConnectionNotification::of(Kind::ReasonChanged);
        changed.reason = reason;
        m_result.notifications.append(changed);
    }
    stopTimer(ConnectionTimer::Retry);
    stopTimer(ConnectionTimer::Grace);
    s.attempt = 0;
    s.retryDelayMs = 0;
    s.tlsRefusals = 0;
    s.phase = LinkPhase::Stopped;
    announce(cause);
}

void Step::close(DisconnectReason reason, const ChatError &cancel, const QString &cause)
{
    closeLink();
    notify(Kind::PingsFailed, errors::connectionLost(cancel.details));
    stop(reason, cause);
    notify(Kind::RequestsFailed, cancel);
}

void Step::fail(const LinkFailure &failure, double draw)
{
    ConnectionState &s = state();
    if (!s.isConnecting() && !s.isLinkUp())
        return; // no link to lose
    const ChatError &cause = failure.cause;
    const bool wasUp = s.isLinkUp();
    closeLink();
    notify(Kind::PingsFailed, errors::connectionLost(cause.details));
    // Another instance may do better: its own certificate, its own load. A refused token or
    // protocol version would be refused by every instance alike, and so would a certificate
    // once every instance has refused the handshake in turn.
    std::optional<DisconnectReason> fatalReason = failure.fatalReason;
    const int endpoints = int(m_rules.serverNames.size());
    s.tlsRefusals = fatalReason == DisconnectReason::TlsFailed ? s.tlsRefusals + 1 : 0;
    if (endpoints > 1) {
        s.endpoint = (s.endpoint + 1) % endpoints;
        if (fatalReason == DisconnectReason::TlsFailed && s.tlsRefusals < endpoints)
            fatalReason.reset();
    }
    if (fatalReason)
        s.held = true;

    const int next = s.attempt + 1;
    if (!s.mayReconnect()) {
        notify(Kind::Error, cause);
        notify(Kind::RequestsFailed, cause);
        DisconnectReason reason = s.appState == AppState::Background
            ? DisconnectReason::Background
            : DisconnectReason::UserDisconnected;
        if (fatalReason)
            reason = *fatalReason;
        stop(reason, cause.code);
        return;
    }
    if (!m_rules.backoff.allowsAttempt(next)) {
        notify(Kind::Error, cause);
        notify(Kind::RequestsFailed, cause);
        notify(Kind::Error, errors::reconnectFailed(m_rules.backoff.maxAttempts()));
        stop(DisconnectReason::ReconnectFailed,
             QStringLiteral("%1 reconnect attempts failed").arg(m_rules.backoff.maxAttempts()));
        return;
    }
    // The first attempt after a link that was up is the one every client of a server that went
    // down makes at once: it draws from the whole range.
    const auto spread = wasUp ? BackoffPolicy::Spread::Full : BackoffPolicy::Spread::Partial;
    s.attempt = next;
    s.retryDelayMs = int(m_rules.backoff.delay(next, draw, spread).count());
    s.phase = LinkPhase::Waiting;
    if (s.networkReachable)
        startTimer(ConnectionTimer::Retry, s.retryDelayMs);
    if (wasUp)
        notify(Kind::Disconnected);
    notify(Kind::Error, cause);
    notify(Kind::RequestsFailed, cause);
    announce(
        QStringLiteral("%1; attempt %2 in %3 ms%4")
            .arg(cause.code)
            .arg(s.attempt)
            .arg(s.retryDelayMs)
            .arg(s.networkReachable ? QString() : QStringLiteral(" once the network is back")));
}

void Step::applyThrottle(const QStringList &features, const QString &cause)
{
    state().throttled = features;
    announce(cause);
    ConnectionNotification throttled = ConnectionNotification::of(Kind::FeatureThrottled);
    throttled.features = features;
    m_result.notifications.append(throttled);
}

void Step::changeAppState(AppState appState)
{
    ConnectionState &s = state();
    s.appState = appState;
    ConnectionNotification changed = ConnectionNotification::of(Kind::AppStateChanged);
    changed.appState = appState;
    m_result.notifications.append(changed);
    if (!s.initialized)
        return;
    const ChatError cancel = errors::cancelled(QStringLiteral("The app went to background."));
    if (s.manualMode) {
        if (appState == AppState::Foreground)
            stopTimer(ConnectionTimer::Grace);
        else if (s.phase == LinkPhase::Waiting)
            // A link lost in background is not re-established; nor is one lost just before.
            close(DisconnectReason::Background, cancel,
                  QStringLiteral("background (manual mode) while reconnecting"));
        else if (s.phase != LinkPhase::Stopped)
            startTimer(ConnectionTimer::Grace, m_rules.backgroundGraceMs);
        return;
    }
    if (appState == AppState::Background) {
        if (s.phase != LinkPhase::Stopped)
            close(DisconnectReason::Background, cancel, QStringLiteral("background (auto mode)"));
    } else {
        autoConnect(QStringLiteral("foreground (auto mode)"));
    }
}

void Step::markAlive()
{
    ConnectionState &s = state();
    if (!s.awaitingPong)
        return;
    s.awaitingPong = false;
    stopTimer(ConnectionTimer::HeartbeatDeadline);
}

void Step::heartbeatAcknowledged(int roundTripMs)
{
    ConnectionNotification acknowledged = ConnectionNotification::of(Kind::HeartbeatAcknowledged);
    acknowledged.delayMs = roundTripMs;
    m_result.notifications.append(acknowledged);
}

QString throttleCause(const QStringList &features)
{
    return features.isEmpty()
        ? QStringLiteral("server lifted throttling")
        : QStringLiteral("server throttles %1").arg(features.join(QLatin1String(", ")));
}

} // namespace

ConnectionTransition transition(const ConnectionState &state, const ConnectionEvent &event,
                                const ConnectionRules &rules)
{
    Step step(state, rules);
    ConnectionState &s = step.state();
    switch (event.type) {
    case Type::Initialized:
        if (s.initialized && s.phase != LinkPhase::Stopped)
            step.close(DisconnectReason::NotStarted,
                       errors::cancelled(QStringLiteral("init() was called again.")),
                       QStringLiteral("init() was called again"));
        s.initialized = true;
        s.endpoint = event.endpoint;
        s.manualMode = event.manualMode;
        s.loggedIn = event.loggedIn;
        if (event.userChanged)
            step.notify(Kind::UserChanged);
        step.answer();
        step.autoConnect(QStringLiteral("init with a saved session"));
        break;
    case Type::LoggedIn:
        if (!s.initialized) {
            step.answer(errors::notInitialized());
            break;
        }
        if (!event.sameSession && s.phase != LinkPhase::Stopped)
            step.close(DisconnectReason::NotStarted,
                       errors::cancelled(QStringLiteral("Another user logged in.")),
                       QStringLiteral("login as another user"));
        s.loggedIn = true;
        s.held = false;
        if (!event.sameSession)
            step.notify(Kind::UserChanged);
        step.answer();
        if (s.phase == LinkPhase::Waiting && s.mayAutoConnect()) {
            s.attempt = 0;
            step.startAttempt(QStringLiteral("login"));
        } else {
            step.autoConnect(QStringLiteral("login"));
        }
        break;
    case Type::LoggedOut:
        if (const Result<> allowed = s.allows(errors::LoggedInAction::Logout); !allowed) {
            step.answer(allowed.error());
            break;
        }
        s.loggedIn = false;
        s.held = false;
        step.close(DisconnectReason::LoggedOut,
                   errors::cancelled(QStringLiteral("logout() was called.")),
                   QStringLiteral("logout"));
        step.notify(Kind::UserChanged);
        step.answer(event.error);
        break;
    case Type::ConnectRequested:
        if (const Result<> allowed = s.allows(errors::LoggedInAction::Connect); !allowed) {
            step.answer(allowed.error());
            break;
        }
        s.held = false;
        if (s.isLinkUp()) {
            step.answer();
            break;
        }
        if (!s.manualMode && s.appState == AppState::Background) {
            step.answer(errors::inBackground());
            break;
        }
        s.attempt = 0;
        step.effect(Effect::Kind::HoldConnectRequest);
        if (s.manualMode && s.appState == AppState::Background)
            step.startTimer(ConnectionTimer::Grace, rules.backgroundGraceMs);
        if (!s.isConnecting())
            step.startAttempt(QStringLiteral("connectToServer()"));
        break;
    case Type::DisconnectRequested:
        if (const Result<> allowed = s.allows(errors::LoggedInAction::Disconnect); !allowed) {
            step.answer(allowed.error());
            break;
        }
        s.held = true;
        step.close(DisconnectReason::UserDisconnected,
                   errors::cancelled(QStringLiteral("disconnectFromServer() was called.")),
                   QStringLiteral("disconnectFromServer()"));
        step.answer();
        break;
    case Type::Pinged:
        // A ping is what keeps a link open in background in manual mode.
        if (s.graceRuns())
            step.startTimer(ConnectionTimer::Grace, rules.backgroundGraceMs);
        break;
    case Type::AppStateChanged:
        if (s.appState != event.appState)
            step.changeAppState(event.appState);
        break;
    case Type::ReachabilityChanged:
        if (s.networkReachable == event.reachable)
            break;
        s.networkReachable = event.reachable;
        if (s.phase != LinkPhase::Waiting)
            break;
        if (!event.reachable)
            step.stopTimer(ConnectionTimer::Retry); // paused: no attempt is used up offline
        else
            step.startAttempt(QStringLiteral("network is back; attempt %1").arg(s.attempt));
        break;
    case Type::RetryDue:
        if (s.retryRuns())
            step.startAttempt(QStringLiteral("reconnect attempt %1").arg(s.attempt));
        break;
    case Type::ConnectTimedOut:
        if (s.isConnecting())
            step.fail({errors::connectTimeout(rules.connectTimeoutMs), {}}, event.draw);
        break;
    case Type::HeartbeatDue:
        if (!s.isLinkUp())
            break;
        step.effect(Effect::Kind::SendHeartbeat);
        if (!s.awaitingPong) {
            s.awaitingPong = true;
            step.startTimer(ConnectionTimer::HeartbeatDeadline, rules.heartbeatTimeoutMs);
        }
        break;
    case Type::HeartbeatMissed:
        // Dropped, never closed: a half-open link would never complete a close handshake.
        if (s.isLinkUp() && s.awaitingPong)
            step.fail({errors::heartbeatTimeout(rules.heartbeatTimeoutMs), {}}, event.draw);
        break;
    case Type::GraceEnded:
        if (s.graceRuns())
            step.close(DisconnectReason::Background,
                       errors::cancelled(QStringLiteral("The background grace period ended.")),
                       QStringLiteral("background grace period of %1 ms ended without a ping")
                           .arg(rules.backgroundGraceMs));
        break;
    case Type::SocketOpened:
        if (s.phase != LinkPhase::Opening)
            break;
        s.phase = LinkPhase::Authenticating;
        step.effect(Effect::Kind::SendHello);
        break;
    case Type::Welcomed:
        if (s.phase != LinkPhase::Authenticating)
            break;
        step.stopTimer(ConnectionTimer::Connect);
        s.phase = LinkPhase::Up;
        s.tlsRefusals = 0;
        step.startTimer(ConnectionTimer::Heartbeat, rules.heartbeatIntervalMs);
        step.announce(
            QStringLiteral("session accepted by %1").arg(rules.serverNames.value(s.endpoint)));
        step.notify(Kind::RequestsSucceeded);
        if (!event.features.isEmpty()) {
            ConnectionEvent throttle = ConnectionEvent::of(Type::ThrottleChanged);
            throttle.features = event.features;
            step.followUp(throttle);
        }
        break;
    case Type::ThrottleChanged:
        if (s.isLinkUp() && event.features != s.throttled)
            step.applyThrottle(event.features, throttleCause(event.features));
        break;
    case Type::FrameArrived:
        step.markAlive();
        break;
    case Type::PongArrived:
        if (!s.isLinkUp())
            break;
        step.markAlive();
        // The link survived a full heartbeat round trip: the retry budget refills.
        s.stable = true;
        s.attempt = 0;
        step.heartbeatAcknowledged(event.roundTripMs);
        break;
    case Type::LinkFailed:
        step.fail(event.failure, event.draw);
        break;
    case Type::Reported:
        step.notify(Kind::Error, event.error);
        break;
    case Type::AutoConnectDue:
        step.autoConnect(event.cause);
        break;
    }
    return step.take();
}

} // namespace lifeline
