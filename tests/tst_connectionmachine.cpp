// transition() without a server: every state of a catalogue crossed with every event, each
// pair with the state it leads to, what it does to the socket and the timers, and what it tells,
// in order. Also: which timers run always follows from the state, and the state diagram in
// docs/architecture.md is the one this table draws.
#include "connectionmachine.h"
#include "errors.h"

#include <QFile>
#include <QSet>
#include <QTest>

#include <map>

using namespace lifeline;
using Type = ConnectionEvent::Type;

namespace {

ConnectionRules rules()
{
    // Attempt n waits 100 ms x 2^(n-1) up to 400 ms; 3 attempts; jitter 0.5.
    ConnectionRules rules;
    rules.backoff
        = BackoffPolicy(std::chrono::milliseconds(100), std::chrono::milliseconds(400), 0.5, 3);
    rules.connectTimeoutMs = 1000;
    rules.heartbeatIntervalMs = 300;
    rules.heartbeatTimeoutMs = 200;
    rules.backgroundGraceMs = 600;
    rules.serverNames = {QStringLiteral("ws://server")};
    return rules;
}

// The states every event is tried on: each phase, and the facts that change what an event does.
std::vector<std::pair<QString, ConnectionState>> states()
{
    ConnectionState ready;
    ready.initialized = true;
    ready.loggedIn = true;
    const auto with = [&ready](auto change) {
        ConnectionState state = ready;
        change(state);
        // The app heard what the state is, except where a state says otherwise.
        state.toldStatus = state.status();
        state.toldReason = state.stopReason;
        return state;
    };
    return {
        {QStringLiteral("new"), ConnectionState()},
        {QStringLiteral("stopped"), ready},
        {QStringLiteral("stopped, manual"), with([](ConnectionState &s) { s.manualMode = true; })},
        {QStringLiteral("stopped, held"), with([](ConnectionState &s) {
             s.held = true;
             s.stopReason = DisconnectReason::UserDisconnected;
         })},
        {QStringLiteral("stopped, background"), with([](ConnectionState &s) {
             s.appState = AppState::Background;
             s.stopReason = DisconnectReason::Background;
         })},
        // Stopped by a slot, inside the notifications of a change it superseded: the app heard
        // Connected last, and none of the stop.
        {QStringLiteral("stopped, told up"),
         [&with] {
             ConnectionState state = with([](ConnectionState &s) {
                 s.appState = AppState::Background;
                 s.stopReason = DisconnectReason::Background;
             });
             state.toldStatus = ConnectionStatus::Connected;
             state.toldReason = DisconnectReason::NotStarted;
             return state;
         }()},
        {QStringLiteral("logged out"), with([](ConnectionState &s) {
             s.loggedIn = false;
             s.stopReason = DisconnectReason::LoggedOut;
         })},
        {QStringLiteral("opening"), with([](ConnectionState &s) { s.phase = LinkPhase::Opening; })},
        {QStringLiteral("authenticating"),
         with([](ConnectionState &s) { s.phase = LinkPhase::Authenticating; })},
        {QStringLiteral("authenticating #3"), with([](ConnectionState &s) {
             s.phase = LinkPhase::Authenticating;
             s.attempt = 3;
         })},
        {QStringLiteral("up"), with([](ConnectionState &s) { s.phase = LinkPhase::Up; })},
        {QStringLiteral("up #2, awaiting pong"), with([](ConnectionState &s) {
             s.phase = LinkPhase::Up;
             s.attempt = 2;
             s.awaitingPong = true;
         })},
        {QStringLiteral("up, throttled"), with([](ConnectionState &s) {
             s.phase = LinkPhase::Up;
             s.stable = true;
             s.throttled = QStringList {QStringLiteral("typing")};
         })},
        {QStringLiteral("up, manual, background"), with([](ConnectionState &s) {
             s.phase = LinkPhase::Up;
             s.manualMode = true;
             s.appState = AppState::Background;
         })},
        {QStringLiteral("waiting #1"), with([](ConnectionState &s) {
             s.phase = LinkPhase::Waiting;
             s.attempt = 1;
             s.retryDelayMs = 50;
         })},
        {QStringLiteral("waiting #2, offline"), with([](ConnectionState &s) {
             s.phase = LinkPhase::Waiting;
             s.attempt = 2;
             s.retryDelayMs = 150;
             s.networkReachable = false;
         })},
    };
}

std::vector<std::pair<QString, ConnectionEvent>> events()
{
    const auto event = [](Type type, auto change) {
        ConnectionEvent event = ConnectionEvent::of(type);
        event.draw = 0.5; // a partial spread gives 75 % of nominal, a full one 50 %
        change(event);
        return event;
    };
    const auto plain = [](ConnectionEvent &) {};
    return {
        {QStringLiteral("init"),
         event(Type::Initialized, [](ConnectionEvent &e) { e.loggedIn = true; })},
        {QStringLiteral("init manual as another user"),
         event(Type::Initialized,
               [](ConnectionEvent &e) {
                   e.manualMode = true;
                   e.loggedIn = true;
                   e.userChanged = true;
               })},
        {QStringLiteral("login"),
         event(Type::LoggedIn, [](ConnectionEvent &e) { e.sameSession = true; })},
        {QStringLiteral("login other"), event(Type::LoggedIn, plain)},
        {QStringLiteral("logout"), event(Type::LoggedOut, plain)},
        {QStringLiteral("connect"), event(Type::ConnectRequested, plain)},
        {QStringLiteral("disconnect"), event(Type::DisconnectRequested, plain)},
        {QStringLiteral("ping"), event(Type::Pinged, plain)},
        {QStringLiteral("background"),
         event(Type::AppStateChanged,
               [](ConnectionEvent &e) { e.appState = AppState::Background; })},
        {QStringLiteral("foreground"),
         event(Type::AppStateChanged,
               [](ConnectionEvent &e) { e.appState = AppState::Foreground; })},
        {QStringLiteral("offline"),
         event(Type::ReachabilityChanged, [](ConnectionEvent &e) { e.reachable = false; })},
        {QStringLiteral("online"),
         event(Type::ReachabilityChanged, [](ConnectionEvent &e) { e.reachable = true; })},
        {QStringLiteral("retry due"), event(Type::RetryDue, plain)},
        {QStringLiteral("connect timeout"), event(Type::ConnectTimedOut, plain)},
        {QStringLiteral("heartbeat due"), event(Type::HeartbeatDue, plain)},
        {QStringLiteral("heartbeat missed"), event(Type::HeartbeatMissed, plain)},
        {QStringLiteral("grace ended"), event(Type::GraceEnded, plain)},
        {QStringLiteral("socket opened"), event(Type::SocketOpened, plain)},
        {QStringLiteral("welcome"), event(Type::Welcomed, plain)},
        {QStringLiteral("welcome throttled"),
         event(Type::Welcomed,
               [](ConnectionEvent &e) { e.features = QStringList {QStringLiteral("typing")}; })},
        {QStringLiteral("throttle presence"),
         event(Type::ThrottleChanged,
               [](ConnectionEvent &e) { e.features = QStringList {QStringLiteral("presence")}; })},
        {QStringLiteral("unthrottle"), event(Type::ThrottleChanged, plain)},
        {QStringLiteral("frame"), event(Type::FrameArrived, plain)},
        {QStringLiteral("pong"),
         event(Type::PongArrived, [](ConnectionEvent &e) { e.roundTripMs = 7; })},
        {QStringLiteral("link lost"),
         event(Type::LinkFailed,
               [](ConnectionEvent &e) {
                   e.failure = {errors::connectionLost(QStringLiteral("dropped")), {}};
               })},
        {QStringLiteral("token refused"),
         event(Type::LinkFailed,
               [](ConnectionEvent &e) {
                   e.failure = {errors::authFailed(QString()), DisconnectReason::AuthFailed};
               })},
        {QStringLiteral("report"),
         event(Type::Reported,
               [](ConnectionEvent &e) {
                   e.error = errors::protocol(QStringLiteral("an unknown frame"));
               })},
    };
}

QString joined(const ConnectionTransition &step, bool notifications)
{
    QStringList parts;
    if (notifications) {
        for (const ConnectionNotification &n : step.notifications)
            parts.append(n.describe());
        if (step.followUp) {
            const ConnectionEvent &next = *step.followUp;
            parts.append(next.type == Type::AutoConnectDue
                             ? QStringLiteral("then auto-connect: ") + next.cause
                             : QStringLiteral("then throttle ")
                                 + next.features.join(QLatin1Char(',')));
        }
    } else {
        for (const ConnectionEffect &e : step.effects)
            parts.append(e.describe());
    }
    return parts.join(QStringLiteral("; "));
}

// What each pair does: the state it leads to, the effects, then the notifications, in order.
struct Row
{
    const char *state;
    const char *event;
    const char *next;
    const char *effects;
    const char *notifications;
};

// Every state of states() crossed with every event of events(), in that order. A row that
// fails prints what the pair does now: check it against the behaviour the docs promise before
// changing the row.
const Row table[] = {
    {"new", "init", "Opening", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"new", "init manual as another user", "Stopped NotStarted [manual]", "", "user; answer ok"},
    {"new", "login", "Stopped NotStarted [uninitialised, no session]", "",
     "answer ERR_NOT_INITIALIZED"},
    {"new", "login other", "Stopped NotStarted [uninitialised, no session]", "",
     "answer ERR_NOT_INITIALIZED"},
    {"new", "logout", "Stopped NotStarted [uninitialised, no session]", "",
     "answer ERR_NOT_INITIALIZED"},
    {"new", "connect", "Stopped NotStarted [uninitialised, no session]", "",
     "answer ERR_NOT_INITIALIZED"},
    {"new", "disconnect", "Stopped NotStarted [uninitialised, no session]", "",
     "answer ERR_NOT_INITIALIZED"},
    {"new", "ping", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "background", "Stopped NotStarted [uninitialised, no session, background]", "",
     "app state Background"},
    {"new", "foreground", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "offline", "Stopped NotStarted [uninitialised, no session, offline]", "", ""},
    {"new", "online", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "retry due", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "connect timeout", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "heartbeat due", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "heartbeat missed", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "grace ended", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "socket opened", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "welcome", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "welcome throttled", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "throttle presence", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "unthrottle", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "frame", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "pong", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "link lost", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "token refused", "Stopped NotStarted [uninitialised, no session]", "", ""},
    {"new", "report", "Stopped NotStarted [uninitialised, no session]", "", "error ERR_PROTOCOL"},
    {"stopped", "init", "Opening", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"stopped", "init manual as another user", "Stopped NotStarted [manual]", "",
     "user; answer ok"},
    {"stopped", "login", "Opening", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"stopped", "login other", "Opening", "open; start connect 1000",
     "user; answer ok; status Connecting; connecting"},
    {"stopped", "logout", "Stopped LoggedOut [no session]", "",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; requests ERR_CANCELLED; user; answer ok"},
    {"stopped", "connect", "Opening", "hold request; open; start connect 1000",
     "status Connecting; connecting"},
    {"stopped", "disconnect", "Stopped UserDisconnected [held]", "",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; requests ERR_CANCELLED; answer ok"},
    {"stopped", "ping", "Stopped NotStarted", "", ""},
    {"stopped", "background", "Stopped NotStarted [background]", "", "app state Background"},
    {"stopped", "foreground", "Stopped NotStarted", "", ""},
    {"stopped", "offline", "Stopped NotStarted [offline]", "", ""},
    {"stopped", "online", "Stopped NotStarted", "", ""},
    {"stopped", "retry due", "Stopped NotStarted", "", ""},
    {"stopped", "connect timeout", "Stopped NotStarted", "", ""},
    {"stopped", "heartbeat due", "Stopped NotStarted", "", ""},
    {"stopped", "heartbeat missed", "Stopped NotStarted", "", ""},
    {"stopped", "grace ended", "Stopped NotStarted", "", ""},
    {"stopped", "socket opened", "Stopped NotStarted", "", ""},
    {"stopped", "welcome", "Stopped NotStarted", "", ""},
    {"stopped", "welcome throttled", "Stopped NotStarted", "", ""},
    {"stopped", "throttle presence", "Stopped NotStarted", "", ""},
    {"stopped", "unthrottle", "Stopped NotStarted", "", ""},
    {"stopped", "frame", "Stopped NotStarted", "", ""},
    {"stopped", "pong", "Stopped NotStarted", "", ""},
    {"stopped", "link lost", "Stopped NotStarted", "", ""},
    {"stopped", "token refused", "Stopped NotStarted", "", ""},
    {"stopped", "report", "Stopped NotStarted", "", "error ERR_PROTOCOL"},
    {"stopped, manual", "init", "Opening", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"stopped, manual", "init manual as another user", "Stopped NotStarted [manual]", "",
     "user; answer ok"},
    {"stopped, manual", "login", "Stopped NotStarted [manual]", "", "answer ok"},
    {"stopped, manual", "login other", "Stopped NotStarted [manual]", "", "user; answer ok"},
    {"stopped, manual", "logout", "Stopped LoggedOut [no session, manual]", "",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; requests ERR_CANCELLED; user; answer ok"},
    {"stopped, manual", "connect", "Opening [manual]", "hold request; open; start connect 1000",
     "status Connecting; connecting"},
    {"stopped, manual", "disconnect", "Stopped UserDisconnected [manual, held]", "",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; requests ERR_CANCELLED; answer ok"},
    {"stopped, manual", "ping", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "background", "Stopped NotStarted [manual, background]", "",
     "app state Background"},
    {"stopped, manual", "foreground", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "offline", "Stopped NotStarted [manual, offline]", "", ""},
    {"stopped, manual", "online", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "retry due", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "connect timeout", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "heartbeat due", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "heartbeat missed", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "grace ended", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "socket opened", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "welcome", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "welcome throttled", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "throttle presence", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "unthrottle", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "frame", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "pong", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "link lost", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "token refused", "Stopped NotStarted [manual]", "", ""},
    {"stopped, manual", "report", "Stopped NotStarted [manual]", "", "error ERR_PROTOCOL"},
    {"stopped, held", "init", "Stopped UserDisconnected [held]", "", "answer ok"},
    {"stopped, held", "init manual as another user", "Stopped UserDisconnected [manual, held]", "",
     "user; answer ok"},
    {"stopped, held", "login", "Opening", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"stopped, held", "login other", "Opening", "open; start connect 1000",
     "user; answer ok; status Connecting; connecting"},
    {"stopped, held", "logout", "Stopped LoggedOut [no session]", "",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; requests ERR_CANCELLED; user; answer ok"},
    {"stopped, held", "connect", "Opening", "hold request; open; start connect 1000",
     "status Connecting; connecting"},
    {"stopped, held", "disconnect", "Stopped UserDisconnected [held]", "",
     "pings ERR_CONNECTION_LOST; requests ERR_CANCELLED; answer ok"},
    {"stopped, held", "ping", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "background", "Stopped UserDisconnected [background, held]", "",
     "app state Background"},
    {"stopped, held", "foreground", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "offline", "Stopped UserDisconnected [offline, held]", "", ""},
    {"stopped, held", "online", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "retry due", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "connect timeout", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "heartbeat due", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "heartbeat missed", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "grace ended", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "socket opened", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "welcome", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "welcome throttled", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "throttle presence", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "unthrottle", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "frame", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "pong", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "link lost", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "token refused", "Stopped UserDisconnected [held]", "", ""},
    {"stopped, held", "report", "Stopped UserDisconnected [held]", "", "error ERR_PROTOCOL"},
    {"stopped, background", "init", "Stopped Background [background]", "", "answer ok"},
    {"stopped, background", "init manual as another user",
     "Stopped Background [manual, background]", "", "user; answer ok"},
    {"stopped, background", "login", "Stopped Background [background]", "", "answer ok"},
    {"stopped, background", "login other", "Stopped Background [background]", "",
     "user; answer ok"},
    {"stopped, background", "logout", "Stopped LoggedOut [no session, background]", "",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; requests ERR_CANCELLED; user; answer ok"},
    {"stopped, background", "connect", "Stopped Background [background]", "",
     "answer ERR_IN_BACKGROUND"},
    {"stopped, background", "disconnect", "Stopped UserDisconnected [background, held]", "",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; requests ERR_CANCELLED; answer ok"},
    {"stopped, background", "ping", "Stopped Background [background]", "", ""},
    {"stopped, background", "background", "Stopped Background [background]", "", ""},
    {"stopped, background", "foreground", "Opening", "open; start connect 1000",
     "app state Foreground; status Connecting; connecting"},
    {"stopped, background", "offline", "Stopped Background [background, offline]", "", ""},
    {"stopped, background", "online", "Stopped Background [background]", "", ""},
    {"stopped, background", "retry due", "Stopped Background [background]", "", ""},
    {"stopped, background", "connect timeout", "Stopped Background [background]", "", ""},
    {"stopped, background", "heartbeat due", "Stopped Background [background]", "", ""},
    {"stopped, background", "heartbeat missed", "Stopped Background [background]", "", ""},
    {"stopped, background", "grace ended", "Stopped Background [background]", "", ""},
    {"stopped, background", "socket opened", "Stopped Background [background]", "", ""},
    {"stopped, background", "welcome", "Stopped Background [background]", "", ""},
    {"stopped, background", "welcome throttled", "Stopped Background [background]", "", ""},
    {"stopped, background", "throttle presence", "Stopped Background [background]", "", ""},
    {"stopped, background", "unthrottle", "Stopped Background [background]", "", ""},
    {"stopped, background", "frame", "Stopped Background [background]", "", ""},
    {"stopped, background", "pong", "Stopped Background [background]", "", ""},
    {"stopped, background", "link lost", "Stopped Background [background]", "", ""},
    {"stopped, background", "token refused", "Stopped Background [background]", "", ""},
    {"stopped, background", "report", "Stopped Background [background]", "", "error ERR_PROTOCOL"},
    {"stopped, told up", "init",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", "answer ok"},
    {"stopped, told up", "init manual as another user",
     "Stopped Background [manual, background] (told Connected) (told NotStarted)", "",
     "user; answer ok"},
    {"stopped, told up", "login",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", "answer ok"},
    {"stopped, told up", "login other",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", "user; answer ok"},
    {"stopped, told up", "logout", "Stopped LoggedOut [no session, background]", "",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; link down; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; user; answer ok"},
    {"stopped, told up", "connect",
     "Stopped Background [background] (told Connected) (told NotStarted)", "",
     "answer ERR_IN_BACKGROUND"},
    {"stopped, told up", "disconnect", "Stopped UserDisconnected [background, held]", "",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; link down; status Disconnected; "
     "disconnected; requests ERR_CANCELLED; answer ok"},
    {"stopped, told up", "ping",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "background",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "foreground", "Opening (told NotStarted)", "open; start connect 1000",
     "app state Foreground; link down; status Connecting; connecting"},
    {"stopped, told up", "offline",
     "Stopped Background [background, offline] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "online",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "retry due",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "connect timeout",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "heartbeat due",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "heartbeat missed",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "grace ended",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "socket opened",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "welcome",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "welcome throttled",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "throttle presence",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "unthrottle",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "frame",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "pong",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "link lost",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "token refused",
     "Stopped Background [background] (told Connected) (told NotStarted)", "", ""},
    {"stopped, told up", "report",
     "Stopped Background [background] (told Connected) (told NotStarted)", "",
     "error ERR_PROTOCOL"},
    {"logged out", "init", "Opening", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"logged out", "init manual as another user", "Stopped LoggedOut [manual]", "",
     "user; answer ok"},
    {"logged out", "login", "Opening", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"logged out", "login other", "Opening", "open; start connect 1000",
     "user; answer ok; status Connecting; connecting"},
    {"logged out", "logout", "Stopped LoggedOut [no session]", "", "answer ERR_NOT_LOGGED_IN"},
    {"logged out", "connect", "Stopped LoggedOut [no session]", "", "answer ERR_NOT_LOGGED_IN"},
    {"logged out", "disconnect", "Stopped LoggedOut [no session]", "", "answer ERR_NOT_LOGGED_IN"},
    {"logged out", "ping", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "background", "Stopped LoggedOut [no session, background]", "",
     "app state Background"},
    {"logged out", "foreground", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "offline", "Stopped LoggedOut [no session, offline]", "", ""},
    {"logged out", "online", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "retry due", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "connect timeout", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "heartbeat due", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "heartbeat missed", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "grace ended", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "socket opened", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "welcome", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "welcome throttled", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "throttle presence", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "unthrottle", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "frame", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "pong", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "link lost", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "token refused", "Stopped LoggedOut [no session]", "", ""},
    {"logged out", "report", "Stopped LoggedOut [no session]", "", "error ERR_PROTOCOL"},
    {"opening", "init", "Stopped NotStarted", "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; answer "
     "ok; then auto-connect: init with a saved session"},
    {"opening", "init manual as another user", "Stopped NotStarted [manual]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok"},
    {"opening", "login", "Opening", "", "answer ok"},
    {"opening", "login other", "Stopped NotStarted", "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok; then auto-connect: login"},
    {"opening", "logout", "Stopped LoggedOut [no session]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"opening", "connect", "Opening", "hold request", ""},
    {"opening", "disconnect", "Stopped UserDisconnected [held]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; answer ok"},
    {"opening", "ping", "Opening", "", ""},
    {"opening", "background", "Stopped Background [background]", "close; stop connect",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; status Disconnected; "
     "disconnected; requests ERR_CANCELLED"},
    {"opening", "foreground", "Opening", "", ""},
    {"opening", "offline", "Opening [offline]", "", ""},
    {"opening", "online", "Opening", "", ""},
    {"opening", "retry due", "Opening", "", ""},
    {"opening", "connect timeout", "Waiting #1 in 75 ms", "close; stop connect; start retry 75",
     "pings ERR_CONNECTION_LOST; error ERR_CONNECT_TIMEOUT; requests ERR_CONNECT_TIMEOUT; status "
     "Reconnecting; reconnecting 1 75"},
    {"opening", "heartbeat due", "Opening", "", ""},
    {"opening", "heartbeat missed", "Opening", "", ""},
    {"opening", "grace ended", "Opening", "", ""},
    {"opening", "socket opened", "Authenticating", "hello", ""},
    {"opening", "welcome", "Opening", "", ""},
    {"opening", "welcome throttled", "Opening", "", ""},
    {"opening", "throttle presence", "Opening", "", ""},
    {"opening", "unthrottle", "Opening", "", ""},
    {"opening", "frame", "Opening", "", ""},
    {"opening", "pong", "Opening", "", ""},
    {"opening", "link lost", "Waiting #1 in 75 ms", "close; stop connect; start retry 75",
     "pings ERR_CONNECTION_LOST; error ERR_CONNECTION_LOST; requests ERR_CONNECTION_LOST; status "
     "Reconnecting; reconnecting 1 75"},
    {"opening", "token refused", "Stopped AuthFailed [held]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; error ERR_AUTH_FAILED; requests ERR_AUTH_FAILED; reason "
     "AuthFailed; status Disconnected; disconnected"},
    {"opening", "report", "Opening", "", "error ERR_PROTOCOL"},
    {"authenticating", "init", "Stopped NotStarted", "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; answer "
     "ok; then auto-connect: init with a saved session"},
    {"authenticating", "init manual as another user", "Stopped NotStarted [manual]",
     "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok"},
    {"authenticating", "login", "Authenticating", "", "answer ok"},
    {"authenticating", "login other", "Stopped NotStarted", "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok; then auto-connect: login"},
    {"authenticating", "logout", "Stopped LoggedOut [no session]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"authenticating", "connect", "Authenticating", "hold request", ""},
    {"authenticating", "disconnect", "Stopped UserDisconnected [held]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; answer ok"},
    {"authenticating", "ping", "Authenticating", "", ""},
    {"authenticating", "background", "Stopped Background [background]", "close; stop connect",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; status Disconnected; "
     "disconnected; requests ERR_CANCELLED"},
    {"authenticating", "foreground", "Authenticating", "", ""},
    {"authenticating", "offline", "Authenticating [offline]", "", ""},
    {"authenticating", "online", "Authenticating", "", ""},
    {"authenticating", "retry due", "Authenticating", "", ""},
    {"authenticating", "connect timeout", "Waiting #1 in 75 ms",
     "close; stop connect; start retry 75",
     "pings ERR_CONNECTION_LOST; error ERR_CONNECT_TIMEOUT; requests ERR_CONNECT_TIMEOUT; status "
     "Reconnecting; reconnecting 1 75"},
    {"authenticating", "heartbeat due", "Authenticating", "", ""},
    {"authenticating", "heartbeat missed", "Authenticating", "", ""},
    {"authenticating", "grace ended", "Authenticating", "", ""},
    {"authenticating", "socket opened", "Authenticating", "", ""},
    {"authenticating", "welcome", "Up", "stop connect; start heartbeat 300",
     "link up; status Connected; connected; requests ok"},
    {"authenticating", "welcome throttled", "Up", "stop connect; start heartbeat 300",
     "link up; status Connected; connected; requests ok; then throttle typing"},
    {"authenticating", "throttle presence", "Authenticating", "", ""},
    {"authenticating", "unthrottle", "Authenticating", "", ""},
    {"authenticating", "frame", "Authenticating", "", ""},
    {"authenticating", "pong", "Authenticating", "", ""},
    {"authenticating", "link lost", "Waiting #1 in 75 ms", "close; stop connect; start retry 75",
     "pings ERR_CONNECTION_LOST; error ERR_CONNECTION_LOST; requests ERR_CONNECTION_LOST; status "
     "Reconnecting; reconnecting 1 75"},
    {"authenticating", "token refused", "Stopped AuthFailed [held]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; error ERR_AUTH_FAILED; requests ERR_AUTH_FAILED; reason "
     "AuthFailed; status Disconnected; disconnected"},
    {"authenticating", "report", "Authenticating", "", "error ERR_PROTOCOL"},
    {"authenticating #3", "init", "Stopped NotStarted", "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; answer "
     "ok; then auto-connect: init with a saved session"},
    {"authenticating #3", "init manual as another user", "Stopped NotStarted [manual]",
     "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok"},
    {"authenticating #3", "login", "Authenticating #3", "", "answer ok"},
    {"authenticating #3", "login other", "Stopped NotStarted", "close; stop connect",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok; then auto-connect: login"},
    {"authenticating #3", "logout", "Stopped LoggedOut [no session]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"authenticating #3", "connect", "Authenticating", "hold request", ""},
    {"authenticating #3", "disconnect", "Stopped UserDisconnected [held]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; answer ok"},
    {"authenticating #3", "ping", "Authenticating #3", "", ""},
    {"authenticating #3", "background", "Stopped Background [background]", "close; stop connect",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; status Disconnected; "
     "disconnected; requests ERR_CANCELLED"},
    {"authenticating #3", "foreground", "Authenticating #3", "", ""},
    {"authenticating #3", "offline", "Authenticating #3 [offline]", "", ""},
    {"authenticating #3", "online", "Authenticating #3", "", ""},
    {"authenticating #3", "retry due", "Authenticating #3", "", ""},
    {"authenticating #3", "connect timeout", "Stopped ReconnectFailed", "close; stop connect",
     "pings ERR_CONNECTION_LOST; error ERR_CONNECT_TIMEOUT; requests ERR_CONNECT_TIMEOUT; error "
     "ERR_RECONNECT_FAILED; reason ReconnectFailed; status Disconnected; disconnected"},
    {"authenticating #3", "heartbeat due", "Authenticating #3", "", ""},
    {"authenticating #3", "heartbeat missed", "Authenticating #3", "", ""},
    {"authenticating #3", "grace ended", "Authenticating #3", "", ""},
    {"authenticating #3", "socket opened", "Authenticating #3", "", ""},
    {"authenticating #3", "welcome", "Up #3", "stop connect; start heartbeat 300",
     "link up; status Connected; connected; requests ok"},
    {"authenticating #3", "welcome throttled", "Up #3", "stop connect; start heartbeat 300",
     "link up; status Connected; connected; requests ok; then throttle typing"},
    {"authenticating #3", "throttle presence", "Authenticating #3", "", ""},
    {"authenticating #3", "unthrottle", "Authenticating #3", "", ""},
    {"authenticating #3", "frame", "Authenticating #3", "", ""},
    {"authenticating #3", "pong", "Authenticating #3", "", ""},
    {"authenticating #3", "link lost", "Stopped ReconnectFailed", "close; stop connect",
     "pings ERR_CONNECTION_LOST; error ERR_CONNECTION_LOST; requests ERR_CONNECTION_LOST; error "
     "ERR_RECONNECT_FAILED; reason ReconnectFailed; status Disconnected; disconnected"},
    {"authenticating #3", "token refused", "Stopped AuthFailed [held]", "close; stop connect",
     "pings ERR_CONNECTION_LOST; error ERR_AUTH_FAILED; requests ERR_AUTH_FAILED; reason "
     "AuthFailed; status Disconnected; disconnected"},
    {"authenticating #3", "report", "Authenticating #3", "", "error ERR_PROTOCOL"},
    {"up", "init", "Stopped NotStarted", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; answer ok; then auto-connect: init with a saved session"},
    {"up", "init manual as another user", "Stopped NotStarted [manual]", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"up", "login", "Up", "", "answer ok"},
    {"up", "login other", "Stopped NotStarted", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok; then auto-connect: login"},
    {"up", "logout", "Stopped LoggedOut [no session]", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; link down; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; user; answer ok"},
    {"up", "connect", "Up", "", "answer ok"},
    {"up", "disconnect", "Stopped UserDisconnected [held]", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; link down; status Disconnected; "
     "disconnected; requests ERR_CANCELLED; answer ok"},
    {"up", "ping", "Up", "", ""},
    {"up", "background", "Stopped Background [background]", "close; stop heartbeat",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; link down; status "
     "Disconnected; disconnected; requests ERR_CANCELLED"},
    {"up", "foreground", "Up", "", ""},
    {"up", "offline", "Up [offline]", "", ""},
    {"up", "online", "Up", "", ""},
    {"up", "retry due", "Up", "", ""},
    {"up", "connect timeout", "Up", "", ""},
    {"up", "heartbeat due", "Up awaiting-pong", "ping; start deadline 200", ""},
    {"up", "heartbeat missed", "Up", "", ""},
    {"up", "grace ended", "Up", "", ""},
    {"up", "socket opened", "Up", "", ""},
    {"up", "welcome", "Up", "", ""},
    {"up", "welcome throttled", "Up", "", ""},
    {"up", "throttle presence", "Up throttled=presence", "",
     "status FeatureThrottled; throttled presence"},
    {"up", "unthrottle", "Up", "", ""},
    {"up", "frame", "Up", "", ""},
    {"up", "pong", "Up stable", "", "heartbeat"},
    {"up", "link lost", "Waiting #1 in 50 ms", "close; stop heartbeat; start retry 50",
     "pings ERR_CONNECTION_LOST; disconnected; error ERR_CONNECTION_LOST; requests "
     "ERR_CONNECTION_LOST; link down; status Reconnecting; reconnecting 1 50"},
    {"up", "token refused", "Stopped AuthFailed [held]", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; error ERR_AUTH_FAILED; requests ERR_AUTH_FAILED; reason "
     "AuthFailed; link down; status Disconnected; disconnected"},
    {"up", "report", "Up", "", "error ERR_PROTOCOL"},
    {"up #2, awaiting pong", "init", "Stopped NotStarted", "close; stop heartbeat; stop deadline",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; answer ok; then auto-connect: init with a saved session"},
    {"up #2, awaiting pong", "init manual as another user", "Stopped NotStarted [manual]",
     "close; stop heartbeat; stop deadline",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"up #2, awaiting pong", "login", "Up #2 awaiting-pong", "", "answer ok"},
    {"up #2, awaiting pong", "login other", "Stopped NotStarted",
     "close; stop heartbeat; stop deadline",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok; then auto-connect: login"},
    {"up #2, awaiting pong", "logout", "Stopped LoggedOut [no session]",
     "close; stop heartbeat; stop deadline",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; link down; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; user; answer ok"},
    {"up #2, awaiting pong", "connect", "Up #2 awaiting-pong", "", "answer ok"},
    {"up #2, awaiting pong", "disconnect", "Stopped UserDisconnected [held]",
     "close; stop heartbeat; stop deadline",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; link down; status Disconnected; "
     "disconnected; requests ERR_CANCELLED; answer ok"},
    {"up #2, awaiting pong", "ping", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "background", "Stopped Background [background]",
     "close; stop heartbeat; stop deadline",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; link down; status "
     "Disconnected; disconnected; requests ERR_CANCELLED"},
    {"up #2, awaiting pong", "foreground", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "offline", "Up #2 awaiting-pong [offline]", "", ""},
    {"up #2, awaiting pong", "online", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "retry due", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "connect timeout", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "heartbeat due", "Up #2 awaiting-pong", "ping", ""},
    {"up #2, awaiting pong", "heartbeat missed", "Waiting #3 in 200 ms",
     "close; stop heartbeat; stop deadline; start retry 200",
     "pings ERR_CONNECTION_LOST; disconnected; error ERR_HEARTBEAT_TIMEOUT; requests "
     "ERR_HEARTBEAT_TIMEOUT; link down; status Reconnecting; reconnecting 3 200"},
    {"up #2, awaiting pong", "grace ended", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "socket opened", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "welcome", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "welcome throttled", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "throttle presence", "Up #2 awaiting-pong throttled=presence", "",
     "status FeatureThrottled; throttled presence"},
    {"up #2, awaiting pong", "unthrottle", "Up #2 awaiting-pong", "", ""},
    {"up #2, awaiting pong", "frame", "Up #2", "stop deadline", ""},
    {"up #2, awaiting pong", "pong", "Up stable", "stop deadline", "heartbeat"},
    {"up #2, awaiting pong", "link lost", "Waiting #3 in 200 ms",
     "close; stop heartbeat; stop deadline; start retry 200",
     "pings ERR_CONNECTION_LOST; disconnected; error ERR_CONNECTION_LOST; requests "
     "ERR_CONNECTION_LOST; link down; status Reconnecting; reconnecting 3 200"},
    {"up #2, awaiting pong", "token refused", "Stopped AuthFailed [held]",
     "close; stop heartbeat; stop deadline",
     "pings ERR_CONNECTION_LOST; error ERR_AUTH_FAILED; requests ERR_AUTH_FAILED; reason "
     "AuthFailed; link down; status Disconnected; disconnected"},
    {"up #2, awaiting pong", "report", "Up #2 awaiting-pong", "", "error ERR_PROTOCOL"},
    {"up, throttled", "init", "Stopped NotStarted", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; answer ok; then auto-connect: init with a saved session"},
    {"up, throttled", "init manual as another user", "Stopped NotStarted [manual]",
     "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"up, throttled", "login", "Up stable throttled=typing", "", "answer ok"},
    {"up, throttled", "login other", "Stopped NotStarted", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok; then auto-connect: login"},
    {"up, throttled", "logout", "Stopped LoggedOut [no session]", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; link down; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; user; answer ok"},
    {"up, throttled", "connect", "Up stable throttled=typing", "", "answer ok"},
    {"up, throttled", "disconnect", "Stopped UserDisconnected [held]", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; link down; status Disconnected; "
     "disconnected; requests ERR_CANCELLED; answer ok"},
    {"up, throttled", "ping", "Up stable throttled=typing", "", ""},
    {"up, throttled", "background", "Stopped Background [background]", "close; stop heartbeat",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; link down; status "
     "Disconnected; disconnected; requests ERR_CANCELLED"},
    {"up, throttled", "foreground", "Up stable throttled=typing", "", ""},
    {"up, throttled", "offline", "Up stable throttled=typing [offline]", "", ""},
    {"up, throttled", "online", "Up stable throttled=typing", "", ""},
    {"up, throttled", "retry due", "Up stable throttled=typing", "", ""},
    {"up, throttled", "connect timeout", "Up stable throttled=typing", "", ""},
    {"up, throttled", "heartbeat due", "Up stable awaiting-pong throttled=typing",
     "ping; start deadline 200", ""},
    {"up, throttled", "heartbeat missed", "Up stable throttled=typing", "", ""},
    {"up, throttled", "grace ended", "Up stable throttled=typing", "", ""},
    {"up, throttled", "socket opened", "Up stable throttled=typing", "", ""},
    {"up, throttled", "welcome", "Up stable throttled=typing", "", ""},
    {"up, throttled", "welcome throttled", "Up stable throttled=typing", "", ""},
    {"up, throttled", "throttle presence", "Up stable throttled=presence", "",
     "throttled presence"},
    {"up, throttled", "unthrottle", "Up stable", "", "status Connected; throttled "},
    {"up, throttled", "frame", "Up stable throttled=typing", "", ""},
    {"up, throttled", "pong", "Up stable throttled=typing", "", "heartbeat"},
    {"up, throttled", "link lost", "Waiting #1 in 50 ms", "close; stop heartbeat; start retry 50",
     "pings ERR_CONNECTION_LOST; disconnected; error ERR_CONNECTION_LOST; requests "
     "ERR_CONNECTION_LOST; link down; status Reconnecting; reconnecting 1 50"},
    {"up, throttled", "token refused", "Stopped AuthFailed [held]", "close; stop heartbeat",
     "pings ERR_CONNECTION_LOST; error ERR_AUTH_FAILED; requests ERR_AUTH_FAILED; reason "
     "AuthFailed; link down; status Disconnected; disconnected"},
    {"up, throttled", "report", "Up stable throttled=typing", "", "error ERR_PROTOCOL"},
    {"up, manual, background", "init", "Stopped NotStarted [background]",
     "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; answer ok"},
    {"up, manual, background", "init manual as another user",
     "Stopped NotStarted [manual, background]", "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"up, manual, background", "login", "Up [manual, background]", "", "answer ok"},
    {"up, manual, background", "login other", "Stopped NotStarted [manual, background]",
     "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; link down; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"up, manual, background", "logout", "Stopped LoggedOut [no session, manual, background]",
     "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; link down; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; user; answer ok"},
    {"up, manual, background", "connect", "Up [manual, background]", "", "answer ok"},
    {"up, manual, background", "disconnect", "Stopped UserDisconnected [manual, background, held]",
     "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; link down; status Disconnected; "
     "disconnected; requests ERR_CANCELLED; answer ok"},
    {"up, manual, background", "ping", "Up [manual, background]", "start grace 600", ""},
    {"up, manual, background", "background", "Up [manual, background]", "", ""},
    {"up, manual, background", "foreground", "Up [manual]", "stop grace", "app state Foreground"},
    {"up, manual, background", "offline", "Up [manual, background, offline]", "", ""},
    {"up, manual, background", "online", "Up [manual, background]", "", ""},
    {"up, manual, background", "retry due", "Up [manual, background]", "", ""},
    {"up, manual, background", "connect timeout", "Up [manual, background]", "", ""},
    {"up, manual, background", "heartbeat due", "Up awaiting-pong [manual, background]",
     "ping; start deadline 200", ""},
    {"up, manual, background", "heartbeat missed", "Up [manual, background]", "", ""},
    {"up, manual, background", "grace ended", "Stopped Background [manual, background]",
     "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; reason Background; link down; status Disconnected; disconnected; "
     "requests ERR_CANCELLED"},
    {"up, manual, background", "socket opened", "Up [manual, background]", "", ""},
    {"up, manual, background", "welcome", "Up [manual, background]", "", ""},
    {"up, manual, background", "welcome throttled", "Up [manual, background]", "", ""},
    {"up, manual, background", "throttle presence", "Up throttled=presence [manual, background]",
     "", "status FeatureThrottled; throttled presence"},
    {"up, manual, background", "unthrottle", "Up [manual, background]", "", ""},
    {"up, manual, background", "frame", "Up [manual, background]", "", ""},
    {"up, manual, background", "pong", "Up stable [manual, background]", "", "heartbeat"},
    {"up, manual, background", "link lost", "Stopped Background [manual, background]",
     "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; error ERR_CONNECTION_LOST; requests ERR_CONNECTION_LOST; reason "
     "Background; link down; status Disconnected; disconnected"},
    {"up, manual, background", "token refused", "Stopped AuthFailed [manual, background, held]",
     "close; stop heartbeat; stop grace",
     "pings ERR_CONNECTION_LOST; error ERR_AUTH_FAILED; requests ERR_AUTH_FAILED; reason "
     "AuthFailed; link down; status Disconnected; disconnected"},
    {"up, manual, background", "report", "Up [manual, background]", "", "error ERR_PROTOCOL"},
    {"waiting #1", "init", "Stopped NotStarted", "stop retry",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; answer "
     "ok; then auto-connect: init with a saved session"},
    {"waiting #1", "init manual as another user", "Stopped NotStarted [manual]", "stop retry",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok"},
    {"waiting #1", "login", "Opening", "stop retry; open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"waiting #1", "login other", "Stopped NotStarted", "stop retry",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok; then auto-connect: login"},
    {"waiting #1", "logout", "Stopped LoggedOut [no session]", "stop retry",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"waiting #1", "connect", "Opening", "hold request; stop retry; open; start connect 1000",
     "status Connecting; connecting"},
    {"waiting #1", "disconnect", "Stopped UserDisconnected [held]", "stop retry",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; answer ok"},
    {"waiting #1", "ping", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "background", "Stopped Background [background]", "stop retry",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; status Disconnected; "
     "disconnected; requests ERR_CANCELLED"},
    {"waiting #1", "foreground", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "offline", "Waiting #1 in 50 ms [offline]", "stop retry", ""},
    {"waiting #1", "online", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "retry due", "Opening #1", "stop retry; open; start connect 1000",
     "status Connecting; connecting"},
    {"waiting #1", "connect timeout", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "heartbeat due", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "heartbeat missed", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "grace ended", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "socket opened", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "welcome", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "welcome throttled", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "throttle presence", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "unthrottle", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "frame", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "pong", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "link lost", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "token refused", "Waiting #1 in 50 ms", "", ""},
    {"waiting #1", "report", "Waiting #1 in 50 ms", "", "error ERR_PROTOCOL"},
    {"waiting #2, offline", "init", "Stopped NotStarted [offline]", "",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; answer "
     "ok; then auto-connect: init with a saved session"},
    {"waiting #2, offline", "init manual as another user", "Stopped NotStarted [manual, offline]",
     "",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok"},
    {"waiting #2, offline", "login", "Opening [offline]", "open; start connect 1000",
     "answer ok; status Connecting; connecting"},
    {"waiting #2, offline", "login other", "Stopped NotStarted [offline]", "",
     "pings ERR_CONNECTION_LOST; status Disconnected; disconnected; requests ERR_CANCELLED; user; "
     "answer ok; then auto-connect: login"},
    {"waiting #2, offline", "logout", "Stopped LoggedOut [no session, offline]", "",
     "pings ERR_CONNECTION_LOST; reason LoggedOut; status Disconnected; disconnected; requests "
     "ERR_CANCELLED; user; answer ok"},
    {"waiting #2, offline", "connect", "Opening [offline]",
     "hold request; open; start connect 1000", "status Connecting; connecting"},
    {"waiting #2, offline", "disconnect", "Stopped UserDisconnected [offline, held]", "",
     "pings ERR_CONNECTION_LOST; reason UserDisconnected; status Disconnected; disconnected; "
     "requests ERR_CANCELLED; answer ok"},
    {"waiting #2, offline", "ping", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "background", "Stopped Background [background, offline]", "",
     "app state Background; pings ERR_CONNECTION_LOST; reason Background; status Disconnected; "
     "disconnected; requests ERR_CANCELLED"},
    {"waiting #2, offline", "foreground", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "offline", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "online", "Opening #2", "open; start connect 1000",
     "status Connecting; connecting"},
    {"waiting #2, offline", "retry due", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "connect timeout", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "heartbeat due", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "heartbeat missed", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "grace ended", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "socket opened", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "welcome", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "welcome throttled", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "throttle presence", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "unthrottle", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "frame", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "pong", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "link lost", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "token refused", "Waiting #2 in 150 ms [offline]", "", ""},
    {"waiting #2, offline", "report", "Waiting #2 in 150 ms [offline]", "", "error ERR_PROTOCOL"},
};

ConnectionState stateNamed(const QString &name)
{
    for (const auto &[stateName, state] : states()) {
        if (stateName == name)
            return state;
    }
    qFatal("no state \"%s\" in the catalogue", qPrintable(name));
}

ConnectionEvent eventNamed(const QString &name)
{
    for (const auto &[eventName, event] : events()) {
        if (eventName == name)
            return event;
    }
    qFatal("no event \"%s\" in the catalogue", qPrintable(name));
}

// The timers that run in `state`.
QSet<ConnectionTimer> runningIn(const ConnectionState &state)
{
    QSet<ConnectionTimer> running;
    if (state.retryRuns())
        running.insert(ConnectionTimer::Retry);
    if (state.isConnecting())
        running.insert(ConnectionTimer::Connect);
    if (state.isLinkUp())
        running.insert(ConnectionTimer::Heartbeat);
    if (state.awaitingPong)
        running.insert(ConnectionTimer::HeartbeatDeadline);
    if (state.graceRuns())
        running.insert(ConnectionTimer::Grace);
    return running;
}

QString phaseName(LinkPhase phase)
{
    const ConnectionState state = [phase] {
        ConnectionState s;
        s.phase = phase;
        return s;
    }();
    return state.describe().section(QLatin1Char(' '), 0, 0);
}

// The state diagram the table draws: an edge for each pair of phases some event leads from one
// to the other (or through a new socket to the same one), labelled with those events. An event
// that stops the connection from every phase with a link is drawn once, from "Running".
QString diagram()
{
    const ConnectionRules r = rules();
    std::map<std::pair<QString, QString>, QStringList> edges;
    for (const auto &[stateName, state] : states()) {
        for (const auto &[eventName, event] : events()) {
            const ConnectionTransition step = transition(state, event, r);
            const bool reopened = std::any_of(
                step.effects.cbegin(), step.effects.cend(), [](const ConnectionEffect &e) {
                    return e.kind == ConnectionEffect::Kind::OpenSocket;
                });
            if (step.state.phase == state.phase && !reopened)
                continue;
            QStringList &labels = edges[{phaseName(state.phase), phaseName(step.state.phase)}];
            if (!labels.contains(eventName))
                labels.append(eventName);
        }
    }
    const QStringList running
        = {phaseName(LinkPhase::Opening), phaseName(LinkPhase::Authenticating),
           phaseName(LinkPhase::Up), phaseName(LinkPhase::Waiting)};
    const QString stopped = phaseName(LinkPhase::Stopped);
    QStringList toStopped; // from every running phase
    for (const auto &[eventName, event] : events()) {
        const QString &name = eventName;
        if (!std::all_of(running.cbegin(), running.cend(), [&](const QString &from) {
                return edges[{from, stopped}].contains(name);
            }))
            continue;
        toStopped.append(name);
        for (const QString &from : running)
            edges[{from, stopped}].removeAll(name);
    }
    const auto line = [](const QString &from, const QString &to, const QStringList &labels) {
        return QStringLiteral("    %1 --> %2 : %3\n")
            .arg(from, to, labels.join(QStringLiteral(", ")));
    };
    QString inside;
    QString across;
    for (const auto &[edge, labels] : edges) {
        if (labels.isEmpty())
            continue;
        if (running.contains(edge.first) && running.contains(edge.second))
            inside += QStringLiteral("    ") + line(edge.first, edge.second, labels);
        else
            across += line(edge.first, edge.second, labels);
    }
    QString text = QStringLiteral("stateDiagram-v2\n    [*] --> Stopped\n    state Running {\n")
        + inside + QStringLiteral("    }\n");
    return text + line(QStringLiteral("Running"), stopped, toStopped) + across;
}

QString architectureDoc()
{
    QFile file(QStringLiteral(LIFELINE_DOCS_DIR "/architecture.md"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return QString::fromUtf8(file.readAll());
}

} // namespace

class TestConnectionMachine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPair_data();
    void everyPair();
    void tableCoversEveryPair();
    void timersFollowTheState();
    void firstRetryAfterAnUpLinkDrawsFromTheWholeRange_data();
    void firstRetryAfterAnUpLinkDrawsFromTheWholeRange();
    void failuresMoveToTheNextEndpoint_data();
    void failuresMoveToTheNextEndpoint();
    void tlsRefusedByEveryEndpointStops();
    void initStartsAtTheDrawnEndpoint();
    void docsDrawTheTable();
};

void TestConnectionMachine::everyPair_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("next");
    QTest::addColumn<QString>("effects");
    QTest::addColumn<QString>("notifications");
    for (const Row &row : table) {
        QTest::addRow("%s | %s", row.state, row.event)
            << QString::fromUtf8(row.state) << QString::fromUtf8(row.event)
            << QString::fromUtf8(row.next) << QString::fromUtf8(row.effects)
            << QString::fromUtf8(row.notifications);
    }
}

void TestConnectionMachine::everyPair()
{
    QFETCH(QString, state);
    QFETCH(QString, event);
    QFETCH(QString, next);
    QFETCH(QString, effects);
    QFETCH(QString, notifications);
    const ConnectionTransition step = transition(stateNamed(state), eventNamed(event), rules());
    QCOMPARE(step.state.describe(), next);
    QCOMPARE(joined(step, false), effects);
    QCOMPARE(joined(step, true), notifications);
}

void TestConnectionMachine::tableCoversEveryPair()
{
    QSet<QString> pairs;
    for (const Row &row : table)
        pairs.insert(QString::fromUtf8(row.state) + QLatin1Char('|')
                     + QString::fromUtf8(row.event));
    QCOMPARE(pairs.size(), qsizetype(std::size(table))); // none twice
    for (const auto &[stateName, state] : states()) {
        for (const auto &[eventName, event] : events())
            QVERIFY2(pairs.contains(stateName + QLatin1Char('|') + eventName),
                     qPrintable(QStringLiteral("no row for %1 | %2").arg(stateName, eventName)));
    }
}

void TestConnectionMachine::timersFollowTheState()
{
    // The effects start and stop exactly the timers that the new state runs: none is left
    // running by mistake, none is stopped that did not run, none is missing.
    const ConnectionRules r = rules();
    for (const auto &[stateName, state] : states()) {
        for (const auto &[eventName, event] : events()) {
            const ConnectionTransition step = transition(state, event, r);
            QSet<ConnectionTimer> running = runningIn(state);
            for (const ConnectionEffect &effect : step.effects) {
                if (effect.kind == ConnectionEffect::Kind::StartTimer)
                    running.insert(effect.timer);
                if (effect.kind == ConnectionEffect::Kind::StopTimer)
                    QVERIFY2(running.remove(effect.timer),
                             qPrintable(QStringLiteral("%1 | %2 stops %3, which does not run")
                                            .arg(stateName, eventName, effect.describe())));
            }
            QVERIFY2(running == runningIn(step.state),
                     qPrintable(QStringLiteral("%1 | %2 leaves other timers running than %3 has")
                                    .arg(stateName, eventName, step.state.describe())));
        }
    }
}

void TestConnectionMachine::firstRetryAfterAnUpLinkDrawsFromTheWholeRange_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("draw");
    QTest::addColumn<int>("delayMs");
    // Nominal delay 100 ms for attempt 1, 400 ms for attempt 3 (the link was up as attempt 2).
    QTest::newRow("up, jitter 0.5, lowest draw") << "up" << 0.5 << 0.0 << 100;
    QTest::newRow("up, jitter 0.5, highest draw") << "up" << 0.5 << 0.999 << 0;
    QTest::newRow("up as attempt 2, jitter 0.5") << "up #2, awaiting pong" << 0.5 << 0.75 << 100;
    QTest::newRow("up, jitter 0 stays exact") << "up" << 0.0 << 0.999 << 100;
    QTest::newRow("up, jitter 0.1: whole range all the same") << "up" << 0.1 << 0.5 << 50;
    // A connection attempt that failed is no lost link: its retry keeps the partial spread.
    QTest::newRow("opening, jitter 0.5, highest draw") << "opening" << 0.5 << 0.999 << 50;
    QTest::newRow("opening, jitter 0 stays exact") << "opening" << 0.0 << 0.999 << 100;
}

void TestConnectionMachine::firstRetryAfterAnUpLinkDrawsFromTheWholeRange()
{
    QFETCH(QString, state);
    QFETCH(double, jitter);
    QFETCH(double, draw);
    QFETCH(int, delayMs);
    ConnectionRules r = rules();
    r.backoff
        = BackoffPolicy(std::chrono::milliseconds(100), std::chrono::milliseconds(400), jitter, 5);
    ConnectionEvent lost = eventNamed(QStringLiteral("link lost"));
    lost.draw = draw;
    const ConnectionTransition step = transition(stateNamed(state), lost, r);
    QCOMPARE(step.state.phase, LinkPhase::Waiting);
    QCOMPARE(step.state.retryDelayMs, delayMs);
}

void TestConnectionMachine::failuresMoveToTheNextEndpoint_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("endpoints");
    QTest::addColumn<int>("from");
    QTest::addColumn<QString>("failure");
    QTest::addColumn<int>("to");
    QTest::addColumn<QString>("next");
    // A lost link and a failed attempt both move on, round the list.
    QTest::newRow("up, lost, 3 endpoints")
        << "up" << 3 << 1 << "link lost" << 2 << "Waiting #1 in 50 ms @2";
    QTest::newRow("opening, lost, last of 3")
        << "opening" << 3 << 2 << "link lost" << 0 << "Waiting #1 in 75 ms";
    QTest::newRow("authenticating #3, budget spent")
        << "authenticating #3" << 3 << 0 << "link lost" << 1 << "Stopped ReconnectFailed @1";
    // Every instance would refuse the token alike: stop, wherever.
    QTest::newRow("token refused, 3 endpoints")
        << "up" << 3 << 0 << "token refused" << 1 << "Stopped AuthFailed @1 [held]";
    // Another instance may have a valid certificate: move on. With one URL it stays fatal.
    QTest::newRow("TLS refused, 2 endpoints")
        << "opening" << 2 << 0 << "TLS refused" << 1 << "Waiting #1 in 75 ms @1";
    QTest::newRow("TLS refused, 1 endpoint")
        << "opening" << 1 << 0 << "TLS refused" << 0 << "Stopped TlsFailed [held]";
}

void TestConnectionMachine::tlsRefusedByEveryEndpointStops()
{
    ConnectionRules r = rules();
    r.serverNames
        = {QStringLiteral("wss://a"), QStringLiteral("wss://b"), QStringLiteral("wss://c")};
    // A budget that the six attempts below do not exhaust.
    r.backoff
        = BackoffPolicy(std::chrono::milliseconds(100), std::chrono::milliseconds(400), 0, 10);
    ConnectionEvent refused = eventNamed(QStringLiteral("link lost"));
    refused.failure = {errors::tls(QStringLiteral("self-signed")), DisconnectReason::TlsFailed};
    ConnectionEvent lost = eventNamed(QStringLiteral("link lost"));
    ConnectionEvent retry = eventNamed(QStringLiteral("retry due"));
    const auto attempt = [&](ConnectionState s, const ConnectionEvent &failure) {
        s = transition(s, retry, r).state;
        return transition(s, failure, r).state;
    };
    // Two of three refuse: the third is tried. A failure of another kind in between starts the
    // count again, and so does a link that worked.
    ConnectionState s = transition(stateNamed(QStringLiteral("opening")), refused, r).state;
    s = attempt(s, refused);
    QCOMPARE(s.phase, LinkPhase::Waiting);
    s = attempt(s, lost);
    s = attempt(s, refused);
    s = attempt(s, refused);
    QCOMPARE(s.phase, LinkPhase::Waiting);
    // The third in a row: every instance refused the certificate, as one server would have.
    s = attempt(s, refused);
    QCOMPARE(s.phase, LinkPhase::Stopped);
    QCOMPARE(s.stopReason, DisconnectReason::TlsFailed);
    QVERIFY(s.held);
}

void TestConnectionMachine::failuresMoveToTheNextEndpoint()
{
    QFETCH(QString, state);
    QFETCH(int, endpoints);
    QFETCH(int, from);
    QFETCH(QString, failure);
    QFETCH(int, to);
    QFETCH(QString, next);
    ConnectionRules r = rules();
    r.serverNames.clear();
    for (int i = 0; i < endpoints; ++i)
        r.serverNames.append(QStringLiteral("ws://server%1").arg(i));
    ConnectionState before = stateNamed(state);
    before.endpoint = from;
    ConnectionEvent event = eventNamed(
        failure == QLatin1String("TLS refused") ? QStringLiteral("link lost") : failure);
    if (failure == QLatin1String("TLS refused"))
        event.failure = {errors::tls(QStringLiteral("self-signed")), DisconnectReason::TlsFailed};
    event.draw = 0.5;
    const ConnectionTransition step = transition(before, event, r);
    QCOMPARE(step.state.endpoint, to);
    QCOMPARE(step.state.describe().section(QStringLiteral(" ("), 0, 0), next);
}

void TestConnectionMachine::initStartsAtTheDrawnEndpoint()
{
    ConnectionRules r = rules();
    r.serverNames = {QStringLiteral("ws://a"), QStringLiteral("ws://b"), QStringLiteral("ws://c")};
    ConnectionEvent init = eventNamed(QStringLiteral("init"));
    init.endpoint = 2;
    const ConnectionTransition started = transition(stateNamed(QStringLiteral("up")), init, r);
    QCOMPARE(started.state.endpoint, 2);
    // The session is accepted by the endpoint the link uses, as the log says.
    ConnectionState authenticating = started.state;
    authenticating.phase = LinkPhase::Authenticating;
    const ConnectionTransition welcomed
        = transition(authenticating, eventNamed(QStringLiteral("welcome")), r);
    QCOMPARE(welcomed.state.phase, LinkPhase::Up);
    bool named = false;
    for (const ConnectionNotification &n : welcomed.notifications)
        named = named || n.cause == QStringLiteral("session accepted by ws://c");
    QVERIFY(named);
}

void TestConnectionMachine::docsDrawTheTable()
{
    // docs/architecture.md holds the diagram between these markers; when the table changes,
    // paste the text this test prints there.
    const QString doc = architectureDoc();
    const QString begin = QStringLiteral("```mermaid\n");
    const int start = doc.indexOf(QStringLiteral("<!-- state diagram: tst_connectionmachine -->"));
    QVERIFY2(start >= 0, "docs/architecture.md has no state diagram marker");
    const int from = doc.indexOf(begin, start) + begin.size();
    const int to = doc.indexOf(QStringLiteral("```"), from);
    const QString drawn = doc.mid(from, to - from);
    const QString expected = diagram();
    if (drawn != expected)
        qWarning().noquote() << "the diagram of the transition table is:\n" << expected;
    QCOMPARE(drawn, expected);
    // Every event the diagram names is explained in the table of events.
    for (const auto &[eventName, event] : events())
        QVERIFY2(
            doc.contains(QStringLiteral("| ") + eventName + QStringLiteral(" |")),
            qPrintable(
                QStringLiteral("docs/architecture.md does not explain \"%1\"").arg(eventName)));
}

QTEST_GUILESS_MAIN(TestConnectionMachine)
#include "tst_connectionmachine.moc"
