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

void ConnectionNotifier::deliver(quint64 revision,
                                 const QList<ConnectionNotification> &notifications,
                                 const Answer &answer)
{
    const QPointer<ConnectionManager> alive(m_manager);
    for (const ConnectionNotification &notification : notifications) {
        if (!alive)
            return;
        if (revision == m_revision || outlivesItsChange(notification.kind))
            notify(notification, answer);
    }
}

template<typename Call> void ConnectionNotifier::callListeners(Call call)
{
    // Look each id up again before calling: a callback may remove or replace any listener,
    // and a removed one must not be called, not even later in this same round.
    QStringList ids;
    ids.reserve(m_listeners.size());
    for (const auto &entry : std::as_const(m_listeners))
        ids.append(entry.first);
    const QPointer<ConnectionManager> alive(m_manager);
    for (const QString &id : std::as_const(ids)) {
        if (!alive)
            return;
        for (const auto &entry : std::as_const(m_listeners)) {
            if (entry.first == id) {
                call(entry.second);
                break;
            }
        }
    }
}

void ConnectionNotifier::notify(const ConnectionNotification &n, const Answer &answer)
{
    ConnectionManager *q = m_manager;
    switch (n.kind) {
    case Kind::StatusChanged:
        Q_EMIT q->connectionStatusChanged(n.status);
        break;
    case Kind::ReasonChanged:
        Q_EMIT q->disconnectReasonChanged(n.reason);
        break;
    case Kind::Connecting:
        Q_EMIT q->connecting();
        callListeners([](ConnectionListener *l) { l->onConnecting(); });
        break;
    case Kind::Connected:
        Q_EMIT q->connected();
        callListeners([](ConnectionListener *l) { l->onConnected(); });
        break;
    case Kind::Disconnected:
        Q_EMIT q->disconnected();
        callListeners([](ConnectionListener *l) { l->onDisconnected(); });
        break;
    case Kind::Reconnecting:
        Q_EMIT q->reconnecting(n.attempt, n.delayMs);
        callListeners([&n](ConnectionListener *l) { l->onReconnecting(n.attempt, n.delayMs); });
        break;
    case Kind::FeatureThrottled:
        Q_EMIT q->featureThrottled(n.features);
        callListeners([&n](ConnectionListener *l) { l->onFeatureThrottled(n.features); });
        break;
    case Kind::Error:
        m_lastError = n.error;
        Q_EMIT q->connectionError(n.error);
        callListeners([&n](ConnectionListener *l) { l->onConnectionError(n.error); });
        break;
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
        if (n.error.isNull()) {
            if (answer.onSuccess)
                answer.onSuccess(answer.successMessage);
        } else if (answer.onError) {
            answer.onError(n.error);
        }
        break;
    }
}

} // namespace lifeline
