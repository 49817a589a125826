#include <lifeline/connectionmanager.h>

#include "connectionmanager_p.h"
#include "errors.h"
#include "loggingcategories_p.h"
#include "protocol.h"
#include "trustedcertificates.h"

#include <QDir>
#include <QMetaEnum>
#include <QNetworkInformation>
#include <QRandomGenerator>

namespace lifeline {

namespace {

using Type = ConnectionEvent::Type;

template<typename Enum> const char *keyOf(Enum value)
{
    return QMetaEnum::fromType<Enum>().valueToKey(int(value));
}

int toMs(std::chrono::milliseconds duration)
{
    return int(duration.count());
}

bool isMessageLayerType(const QString &type)
{
    using namespace protocol::type;
    for (const QString *known :
         {&Ack, &Nack, &Retry, &Message, &Gap, &Synced, &Typists, &Presence, &PresenceDiff}) {
        if (*known == type)
            return true;
    }
    return false;
}

ConnectionNotifier::Answer answerOf(ConnectionManager::Success onSuccess,
                                    ConnectionManager::Failure onError, const char *successMessage)
{
    return {std::move(onSuccess), std::move(onError), QString::fromLatin1(successMessage)};
}

} // namespace

SessionLink *SessionLink::of(ConnectionManager *manager)
{
    return &ConnectionManagerPrivate::get(manager)->link;
}

ConnectionManagerPrivate::ConnectionManagerPrivate(ConnectionManager *manager)
    : q(manager)
    , link(&socket,
           [this](const QString &details) { failLink(errors::protocolViolation(details)); })
    , notifier(manager, &link, &pings)
{
    const std::pair<ConnectionTimer, Type> timeouts[] = {
        {ConnectionTimer::Retry, Type::RetryDue},
        {ConnectionTimer::Connect, Type::ConnectTimedOut},
        {ConnectionTimer::Heartbeat, Type::HeartbeatDue},
        {ConnectionTimer::HeartbeatDeadline, Type::HeartbeatMissed},
        {ConnectionTimer::Grace, Type::GraceEnded},
    };
    for (const auto &[which, event] : timeouts) {
        QTimer &t = timer(which);
        t.setSingleShot(which != ConnectionTimer::Heartbeat);
        // Timing is the product here: a coarse timer would blur the heartbeat and backoff delays.
        t.setTimerType(Qt::PreciseTimer);
        QObject::connect(&t, &QTimer::timeout, q, [this, event = event] {
            ConnectionEvent due = ConnectionEvent::of(event);
            due.draw = rules.backoff.draw();
            dispatch(due);
        });
    }
    QObject::connect(&socket, &LinkSocket::opened, q,
                     [this] { dispatch(ConnectionEvent::of(Type::SocketOpened)); });
    QObject::connect(&socket, &LinkSocket::textReceived, q,
                     [this](const QString &text) { onText(text); });
    QObject::connect(&socket, &LinkSocket::pongReceived, q, [this](int roundTripMs) {
        ConnectionEvent pong = ConnectionEvent::of(Type::PongArrived);
        pong.roundTripMs = roundTripMs;
        dispatch(pong);
    });
    QObject::connect(&socket, &LinkSocket::failed, q, [this](const LinkFailure &failure) {
        failLink(failure.cause, failure.fatalReason);
    });
}

void ConnectionManagerPrivate::dispatch(const ConnectionEvent &event,
                                        const ConnectionNotifier::Answer &answer)
{
    // What the app heard may lag behind the state: notifications of a superseded change are
    // dropped. The transition tells the difference from what it did hear.
    state.toldStatus = notifier.toldStatus();
    state.toldReason = notifier.toldReason();
    // Copies of their own: a slot may delete the manager while they are being delivered.
    const ConnectionTransition step = transition(state, event, rules);
    const ConnectionNotifier::Answer callbacks = answer;
    const ConnectionState previous = std::exchange(state, step.state);
    link.follow(state);
    log(previous, step);
    for (const ConnectionEffect &effect : step.effects)
        carryOut(effect, callbacks);
    const bool supersedes = previous.phase != state.phase || previous.status() != state.status()
        || previous.stopReason != state.stopReason;
    const quint64 revision = notifier.beginChange(supersedes);
    if (notifier.deliver(revision, step.notifications, callbacks) && step.followUp)
        dispatch(*step.followUp);
}

void ConnectionManagerPrivate::failLink(const ChatError &cause,
                                        std::optional<DisconnectReason> fatalReason)
{
    ConnectionEvent failed = ConnectionEvent::of(Type::LinkFailed);
    failed.failure = {cause, fatalReason};
    failed.draw = rules.backoff.draw();
    dispatch(failed);
}

void ConnectionManagerPrivate::log(const ConnectionState &previous,
                                   const ConnectionTransition &step) const
{
    if (previous.appState != state.appState)
        qCInfo(lcConnection, "app state %s", keyOf(state.appState));
    if (previous.networkReachable != state.networkReachable)
        qCInfo(lcConnection, "network %s", state.networkReachable ? "reachable" : "unreachable");
    if (!previous.stable && state.stable && previous.attempt != 0)
        qCInfo(lcConnection,
               "link stable after reconnect attempt %d; the attempt budget is refilled",
               previous.attempt);
    ConnectionStatus status = previous.toldStatus;
    for (const ConnectionNotification &n : step.notifications) {
        if (n.kind == ConnectionNotification::Kind::StatusChanged) {
            qCInfo(lcConnection, "status %s -> %s cause: %s", keyOf(status), keyOf(n.status),
                   qUtf8Printable(n.cause));
            status = n.status;
        } else if (n.kind == ConnectionNotification::Kind::Error) {
            qCInfo(lcConnection, "error %s %s %s", qUtf8Printable(n.error.code),
                   qUtf8Printable(n.error.message), qUtf8Printable(n.error.details));
        }
    }
}

void ConnectionManagerPrivate::carryOut(const ConnectionEffect &effect,
                                        const ConnectionNotifier::Answer &answer)
{
    switch (effect.kind) {
    case ConnectionEffect::Kind::OpenSocket:
        socket.open(settings.serverUrls().at(state.endpoint), trustedCertificates);
        break;
    case ConnectionEffect::Kind::CloseSocket:
        socket.retire();
        ignoredFrameProblems.clear();
        break;
    case ConnectionEffect::Kind::SendHello:
        socket.sendText(protocol::hello(appId, session->uid, session->token));
        break;
    case ConnectionEffect::Kind::SendHeartbeat:
        socket.ping();
        break;
    case ConnectionEffect::Kind::StartTimer:
        timer(effect.timer).start(effect.ms);
        break;
    case ConnectionEffect::Kind::StopTimer:
        timer(effect.timer).stop();
        break;
    case ConnectionEffect::Kind::HoldConnectRequest:
        notifier.holdConnectRequest(answer);
        break;
    }
}

void ConnectionManagerPrivate::onText(const QString &text)
{
    dispatch(ConnectionEvent::of(Type::FrameArrived));
    protocol::DecodeError problem;
    const protocol::Frame frame = protocol::Frame::decode(text, &problem);
    const bool up = state.isLinkUp();
    if (!frame.isValid()) {
        // A newer server may add frame types, as it may add fields: skipping one loses nothing
        // this client could have used. Before `welcome` it would not be talking to a Lifeline
        // server that knows this client's version, so there it is fatal like any other.
        if (up && problem.kind == protocol::DecodeError::Kind::UnknownType)
            reportIgnoredFrame(problem);
        else
            failLink(errors::fromDecodeError(problem, up));
        return;
    }
    const QString type = frame.type();
    if (type == protocol::type::Welcome && state.phase == LinkPhase::Authenticating) {
        ConnectionEvent welcome = ConnectionEvent::of(Type::Welcomed);
        welcome.features = frame.stringList(QStringLiteral("throttled"));
        dispatch(welcome);
    } else if (type == protocol::type::Pong && up) {
        pings.answer(frame.integer(QStringLiteral("id")));
    } else if (type == protocol::type::Throttle && up) {
        ConnectionEvent throttle = ConnectionEvent::of(Type::ThrottleChanged);
        throttle.features = frame.stringList(QStringLiteral("features"));
        dispatch(throttle);
    } else if (type == protocol::type::Error) {
        onServerError(frame);
    } else if (isMessageLayerType(type) && up) {
        // Without a Messenger these are simply not wanted: presence and typing come to every
        // session, and ignoring them is correct.
        link.deliver(frame);
    } else {
        failLink(errors::protocolViolation(
            QStringLiteral("The server sent an unexpected \"%1\" frame.").arg(type)));
    }
}

void ConnectionManagerPrivate::onServerError(const protocol::Frame &frame)
{
    const QString code = frame.text(QStringLiteral("code"));
    const QString details = (frame.text(QStringLiteral("message")) + QLatin1Char(' ')
                             + frame.text(QStringLiteral("details")))
                                .trimmed();
    if (code == protocol::code::AuthFailed) {
        failLink(errors::authFailed(details), DisconnectReason::AuthFailed);
    } else if (code == protocol::code::UnsupportedVersion) {
        failLink(errors::protocol(details), DisconnectReason::ProtocolMismatch);
    } else {
        // The server refused one frame of ours; the link itself is fine.
        qCWarning(lcConnection, "server refused a frame: %s", qUtf8Printable(code));
        ConnectionEvent refused = ConnectionEvent::of(Type::Reported);
        refused.error
            = errors::protocol(QStringLiteral("The server answered %1: %2").arg(code, details));
        dispatch(refused);
    }
}

void ConnectionManagerPrivate::reportIgnoredFrame(const protocol::DecodeError &problem)
{
    // Once per link and kind of frame: a server that sends it often must not flood the app.
    if (ignoredFrameProblems.contains(problem.reason))
        return;
    ignoredFrameProblems.insert(problem.reason);
    qCWarning(lcConnection, "ignored a frame: %s", qUtf8Printable(problem.reason));
    ConnectionEvent ignored = ConnectionEvent::of(Type::Reported);
    ignored.error = errors::fromDecodeError(problem, true);
    dispatch(ignored);
}

void ConnectionManagerPrivate::setupReachability()
{
    // On a plain Debian machine no backend loads; everything else works without it.
    if (!QNetworkInformation::instance()
        && !QNetworkInformation::loadBackendByFeatures(
            QNetworkInformation::Feature::Reachability)) {
        qCInfo(lcConnection, "no network reachability backend; reconnecting on timers only");
        return;
    }
    QNetworkInformation *info = QNetworkInformation::instance();
    QObject::connect(info, &QNetworkInformation::reachabilityChanged, q,
                     [this](QNetworkInformation::Reachability reachability) {
                         q->setNetworkReachable(reachability
                                                != QNetworkInformation::Reachability::Disconnected);
                     });
    q->setNetworkReachable(info->reachability() != QNetworkInformation::Reachability::Disconnected);
}

ConnectionManager::ConnectionManager(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ConnectionManagerPrivate>(this))
{
    qRegisterMetaType<lifeline::ChatError>();
}

ConnectionManager::~ConnectionManager() = default;

namespace {

// What init() needs that can fail, checked before anything changes.
Result<QList<QSslCertificate>> checkInit(const QString &appId, const AppSettings &settings)
{
    if (appId.trimmed().isEmpty())
        return errors::chatApiFailure(
            QStringLiteral("appId: is empty; pass the id of your Lifeline app."));
    const QStringList problems = settings.validationErrors();
    if (!problems.isEmpty())
        return errors::chatApiFailure(problems.join(QLatin1String("; ")));
    const QString directory = settings.dataDirectory();
    if (!QDir().mkpath(directory))
        return errors::chatApiFailure(
            QStringLiteral("dataDirectory: cannot create %1; choose a writable directory.")
                .arg(directory));
    // Read again: the file may have changed since validationErrors() read it.
    if (settings.trustedCertificates().isEmpty())
        return QList<QSslCertificate>();
    return readTrustedCertificates(settings.trustedCertificates());
}

QStringList serverNames(const AppSettings &settings)
{
    QStringList names;
    for (const QUrl &url : settings.serverUrls())
        names.append(url.toDisplayString());
    return names;
}

} // namespace

void ConnectionManager::init(const QString &appId, const AppSettings &settings, Success onSuccess,
                             Failure onError)
{
    const auto trusted = checkInit(appId, settings);
    if (!trusted) {
        qCWarning(lcConnection, "init failed: %s", qUtf8Printable(trusted.error().details));
        if (onError)
            onError(trusted.error());
        return;
    }
    const QString previousUser = loggedInUser();
    d->appId = appId;
    d->settings = settings;
    d->trustedCertificates = trusted.value();
    d->rules = {BackoffPolicy(settings.reconnectInitialDelay(), settings.reconnectMaxDelay(),
                              settings.reconnectJitter(), settings.maxReconnectAttempts()),
                toMs(settings.connectTimeout()),
                toMs(settings.heartbeatInterval()),
                toMs(settings.heartbeatTimeout()),
                toMs(settings.backgroundGrace()),
                serverNames(settings)};
    d->sessionStore = SessionStore(settings.dataDirectory());
    d->session = d->sessionStore.load();
    if (d->session && d->session->appId != appId) {
        qCInfo(lcConnection, "the saved session belongs to another app id; not restored");
        d->session.reset();
    }
    d->setupReachability();
    qCInfo(lcConnection, "initialised for %s region %s %s %s",
           qUtf8Printable(d->rules.serverNames.join(QStringLiteral(", "))),
           qUtf8Printable(settings.region()),
           settings.autoEstablishSocketConnection() ? "auto mode" : "manual mode",
           d->session ? "with a saved session" : "without a session");

    ConnectionEvent initialized = ConnectionEvent::of(Type::Initialized);
    initialized.manualMode = !settings.autoEstablishSocketConnection();
    initialized.loggedIn = d->session.has_value();
    initialized.userChanged = loggedInUser() != previousUser;
    // Clients that start together spread over the instances of the service.
    initialized.endpoint = int(QRandomGenerator::global()->bounded(settings.serverUrls().size()));
    d->dispatch(initialized,
                answerOf(std::move(onSuccess), std::move(onError),
                         "Initialization completed successfully"));
}

bool ConnectionManager::isInitialized() const
{
    return d->state.initialized;
}

AppSettings ConnectionManager::settings() const
{
    return d->settings;
}

void ConnectionManager::login(const QString &uid, const QString &authToken, Success onSuccess,
                              Failure onError)
{
    const auto refused = [&]() -> Result<> {
        if (!d->state.initialized)
            return errors::notInitialized();
        if (uid.trimmed().isEmpty())
            return errors::invalidArgument(
                QStringLiteral("uid: is empty; pass the id of the user to log in."));
        if (authToken.isEmpty())
            return errors::invalidArgument(
                QStringLiteral("authToken: is empty; pass the user's auth token."));
        return d->sessionStore.save({d->appId, uid, authToken});
    }();
    if (!refused) {
        if (onError)
            onError(refused.error());
        return;
    }
    ConnectionEvent loggedIn = ConnectionEvent::of(Type::LoggedIn);
    loggedIn.sameSession = d->session && d->session->uid == uid && d->session->token == authToken;
    d->session = Session {d->appId, uid, authToken};
    qCInfo(lcConnection, "logged in as %s", qUtf8Printable(uid));
    d->dispatch(loggedIn, answerOf(std::move(onSuccess), std::move(onError), "Login successful"));
}

void ConnectionManager::logout(Success onSuccess, Failure onError)
{
    // Refused before the saved session is touched; transition() would refuse it as well.
    if (const Result<> allowed = d->state.allows(errors::LoggedInAction::Logout); !allowed) {
        if (onError)
            onError(allowed.error());
        return;
    }
    ConnectionEvent loggedOut = ConnectionEvent::of(Type::LoggedOut);
    loggedOut.error = d->sessionStore.remove().error();
    d->session.reset();
    d->dispatch(
        loggedOut,
        answerOf(std::move(onSuccess), std::move(onError), "Logout completed successfully"));
}

QString ConnectionManager::loggedInUser() const
{
    return d->session ? d->session->uid : QString();
}

void ConnectionManager::connectToServer(Success onSuccess, Failure onError)
{
    d->dispatch(
        ConnectionEvent::of(Type::ConnectRequested),
        answerOf(std::move(onSuccess), std::move(onError), "Web socket connection successful"));
}

void ConnectionManager::disconnectFromServer(Success onSuccess, Failure onError)
{
    d->dispatch(
        ConnectionEvent::of(Type::DisconnectRequested),
        answerOf(std::move(onSuccess), std::move(onError), "Web socket disconnection successful"));
}

void ConnectionManager::ping(std::function<void()> onSuccess, Failure onError)
{
    Result<> allowed = d->state.allows(errors::LoggedInAction::Ping);
    if (allowed && !d->state.isLinkUp())
        allowed = errors::notConnected();
    if (!allowed) {
        if (onError)
            onError(allowed.error());
        return;
    }
    const qint64 id
        = d->pings.add(std::move(onSuccess), std::move(onError), d->settings.heartbeatTimeout());
    d->dispatch(ConnectionEvent::of(Type::Pinged));
    d->socket.sendText(protocol::ping(id));
}

ConnectionStatus ConnectionManager::connectionStatus() const
{
    return d->state.status();
}

QUrl ConnectionManager::connectedServerUrl() const
{
    return d->state.isLinkUp() ? d->settings.serverUrls().value(d->state.endpoint) : QUrl();
}

DisconnectReason ConnectionManager::disconnectReason() const
{
    return d->state.stopReason;
}

int ConnectionManager::reconnectAttempt() const
{
    const ConnectionState &state = d->state;
    return state.phase == LinkPhase::Waiting || (state.isConnecting() && state.attempt > 0)
        ? state.attempt
        : 0;
}

qint64 ConnectionManager::reconnectRemainingMs() const
{
    const QTimer &timer = d->timers[std::size_t(ConnectionTimer::Retry)];
    return timer.isActive() ? timer.remainingTime() : -1;
}

qint64 ConnectionManager::backgroundGraceRemainingMs() const
{
    const QTimer &timer = d->timers[std::size_t(ConnectionTimer::Grace)];
    return timer.isActive() ? timer.remainingTime() : -1;
}

ChatError ConnectionManager::lastError() const
{
    return d->notifier.lastError();
}

QStringList ConnectionManager::throttledFeatures() const
{
    return d->state.throttled;
}

void ConnectionManager::setAppState(AppState state)
{
    ConnectionEvent changed = ConnectionEvent::of(Type::AppStateChanged);
    changed.appState = state;
    d->dispatch(changed);
}

AppState ConnectionManager::appState() const
{
    return d->state.appState;
}

void ConnectionManager::setNetworkReachable(bool reachable)
{
    ConnectionEvent changed = ConnectionEvent::of(Type::ReachabilityChanged);
    changed.reachable = reachable;
    d->dispatch(changed);
}

bool ConnectionManager::isNetworkReachable() const
{
    return d->state.networkReachable;
}

void ConnectionManager::addConnectionListener(const QString &id, ConnectionListener *listener)
{
    d->notifier.addListener(id, listener);
}

void ConnectionManager::removeConnectionListener(const QString &id)
{
    d->notifier.removeListener(id);
}

} // namespace lifeline
