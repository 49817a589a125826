#include "connectionnotifier.h"

#include "loggingcategories_p.h"
#include "pingtracker.h"
#include "sessionlink.h"

#include <QPointer>

namespace lifeline {

using Kind = ConnectionNotification::Kind;

namespace {

// Delivered also when a newer change superseded theirs: every call is answered, and the
// Messenger's idea of the link must follow the link.
bool outlivesItsChange(Kind kind)
{
    return kind == Kind::Answer || kind == Kind::LinkUp || kind == Kind::LinkDown;
}

void answerCall(const ConnectionNotification &n, const ConnectionNotifier::Answer &answer)
{
    if (n.error.isNull()) {
        if (answer.onSuccess)
            answer.onSuccess(answer.successMessage);
    } else if (answer.onError) {
        answer.onError(n.error);
    }
}

} // namespace

ConnectionNotifier::ConnectionNotifier(ConnectionManager *manager, SessionLink *link,
                                       PingTracker *pings)
    : m_manager(manager)
    , m_link(link)
    , m_pings(pings)
{ }

void ConnectionNotifier::addListener(const QString &id, ConnectionListener *listener)
{
    for (auto &entry : m_listeners) {
        if (entry.first == id) {
            entry.second = listener;
            return;
        }
    }
    m_listeners.append({id, listener});
}

void ConnectionNotifier::removeListener(const QString &id)
{
    m_listeners.removeIf([&id](const auto &entry) { return entry.first == id; });
}

void ConnectionNotifier::holdConnectRequest(const Answer &answer)
{
    m_connectRequests.append(answer);
}

quint64 ConnectionNotifier::beginChange(bool supersedes)
{
    if (supersedes)
        ++m_revision;
    return m_revision;
}

bool ConnectionNotifier::deliver(quint64 revision,
                                 const QList<ConnectionNotification> &notifications,
                                 const Answer &answer)
{
    bool alive = true;
    for (const ConnectionNotification &notification : notifications) {
        if (alive)
            alive = notify(revision, notification, answer);
        else if (notification.kind == Kind::Answer)
            answerCall(notification, answer); // touches nothing of the deleted manager
    }
    return alive && revision == m_revision;
}

template<typename Signal, typename Call>
bool ConnectionNotifier::tell(quint64 revision, Signal signal, Call call)
{
    const QPointer<ConnectionManager> alive(m_manager);
    signal();
    // The listeners hear of the change only if no slot of the signal superseded it, and they
    // are looked up one by one: any callback may remove or replace any listener, and a removed
    // one is not called, not even later in this same round.
    QStringList ids;
    if (alive) {
        ids.reserve(m_listeners.size());
        for (const auto &entry : std::as_const(m_listeners))
            ids.append(entry.first);
    }
    for (const QString &id : std::as_const(ids)) {
        if (!alive || revision != m_revision)
            break;
        for (const auto &entry : std::as_const(m_listeners)) {
            if (entry.first == id) {
                call(entry.second);
                break;
            }
        }
    }
    return !alive.isNull();
}

bool ConnectionNotifier::notify(quint64 revision, const ConnectionNotification &n,
                                const Answer &answer)
{
    if (revision != m_revision && !outlivesItsChange(n.kind))
        return true; // superseded: no longer what the app should hear
    const QPointer<ConnectionManager> alive(m_manager);
    ConnectionManager *q = m_manager;
    switch (n.kind) {
    case Kind::StatusChanged: {
        m_toldStatus = n.status;
        Q_EMIT q->connectionStatusChanged(n.status);
        if (!alive)
            return false;
        // Read from the manager as it is now: a slot of the status may have changed it, and
        // the server the app hears of must be the one the link is up with.
        const QUrl url = q->connectedServerUrl();
        if (url != m_toldServerUrl) {
            m_toldServerUrl = url;
            Q_EMIT q->connectedServerUrlChanged(url);
        }
        break;
    }
    case Kind::ReasonChanged:
        m_toldReason = n.reason;
        Q_EMIT q->disconnectReasonChanged(n.reason);
        break;
    case Kind::Connecting:
        return tell(
            revision, [q] { Q_EMIT q->connecting(); },
            [](ConnectionListener *l) { l->onConnecting(); });
    case Kind::Connected:
        return tell(
            revision, [q] { Q_EMIT q->connected(); },
            [](ConnectionListener *l) { l->onConnected(); });
    case Kind::Disconnected:
        return tell(
            revision, [q] { Q_EMIT q->disconnected(); },
            [](ConnectionListener *l) { l->onDisconnected(); });
    case Kind::Reconnecting:
        return tell(
            revision, [q, &n] { Q_EMIT q->reconnecting(n.attempt, n.delayMs); },
            [&n](ConnectionListener *l) { l->onReconnecting(n.attempt, n.delayMs); });
    case Kind::FeatureThrottled:
        return tell(
            revision, [q, &n] { Q_EMIT q->featureThrottled(n.features); },
            [&n](ConnectionListener *l) { l->onFeatureThrottled(n.features); });
    case Kind::Error:
        m_lastError = n.error;
        return tell(
            revision, [q, &n] { Q_EMIT q->connectionError(n.error); },
            [&n](ConnectionListener *l) { l->onConnectionError(n.error); });
    case Kind::HeartbeatAcknowledged:
        Q_EMIT q->heartbeatAcknowledged(n.delayMs);
        break;
    case Kind::AppStateChanged:
        Q_EMIT q->appStateChanged(n.appState);
        break;
    case Kind::UserChanged:
        Q_EMIT q->loggedInUserChanged(q->loggedInUser());
        break;
    case Kind::LinkUp:
    case Kind::LinkDown:
        m_link->announce();
        break;
    case Kind::RequestsSucceeded:
        for (const Answer &request : std::exchange(m_connectRequests, {})) {
            if (request.onSuccess)
                request.onSuccess(request.successMessage);
        }
        break;
    case Kind::RequestsFailed:
        for (const Answer &request : std::exchange(m_connectRequests, {})) {
            if (request.onError)
                request.onError(n.error);
        }
        break;
    case Kind::PingsFailed:
        m_pings->failAll(n.error);
        break;
    case Kind::Answer:
        answerCall(n, answer);
        break;
    }
    return !alive.isNull();
}

} // namespace lifeline
