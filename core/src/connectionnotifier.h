#pragma once

#include "connectionnotification.h"

#include <lifeline/connectionmanager.h>

#include <QList>
#include <QPair>
#include <QUrl>

namespace lifeline {

class PingTracker;
class SessionLink;

// Tells the app what a transition did, in one place: each notification as its signal, then the
// matching ConnectionListener call, or as a callback of the app. A slot, listener or callback
// may call back into the manager, or delete it: that is a new event, whose change applies at
// once and whose notifications go out at once. What was still due for a change that a newer
// one superseded is dropped, so nobody hears of a state that is no longer current; a call's
// answer and the Messenger's link notices are delivered all the same. Nothing is touched after
// the manager was deleted.
class ConnectionNotifier
{
public:
    // The callbacks of the app call that caused a transition.
    struct Answer
    {
        ConnectionManager::Success onSuccess;
        ConnectionManager::Failure onError;
        QString successMessage;
    };

    ConnectionNotifier(ConnectionManager *manager, SessionLink *link, PingTracker *pings);

    // The same id replaces the earlier listener.
    void addListener(const QString &id, ConnectionListener *listener);
    // Takes effect at once, also inside a round of listener calls.
    void removeListener(const QString &id);
    // The callbacks of a connectToServer() that wait for the attempt's outcome.
    void holdConnectRequest(const Answer &answer);
    // The last error delivered through connectionError().
    ChatError lastError() const { return m_lastError; }
    // The status and the reason the app heard last.
    ConnectionStatus toldStatus() const { return m_toldStatus; }
    DisconnectReason toldReason() const { return m_toldReason; }

    // Starts a change. `supersedes`: it changes what the app has been told (phase, status or
    // reason), so that what earlier changes still had to tell is dropped. Returns its revision.
    quint64 beginChange(bool supersedes);
    // Delivers the notifications of the change `revision`, in order. Both arguments must
    // outlive the manager: the caller's own copies. A call is answered also when a slot deleted
    // the manager on the way. Returns whether the change is still the current one, and the
    // manager still there.
    bool deliver(quint64 revision, const QList<ConnectionNotification> &notifications,
                 const Answer &answer);

private:
    // Delivers one notification; false if a slot or listener deleted the manager on the way.
    bool notify(quint64 revision, const ConnectionNotification &notification, const Answer &answer);
    // Its signal, then the listeners, as long as the change is still current.
    template<typename Signal, typename Call> bool tell(quint64 revision, Signal signal, Call call);

    ConnectionManager *m_manager;
    SessionLink *m_link;
    PingTracker *m_pings;
    quint64 m_revision = 0;
    ChatError m_lastError;
    ConnectionStatus m_toldStatus = ConnectionStatus::Disconnected;
    DisconnectReason m_toldReason = DisconnectReason::NotStarted;
    QUrl m_toldServerUrl;
    QList<QPair<QString, ConnectionListener *>> m_listeners;
    QList<Answer> m_connectRequests;
};

} // namespace lifeline
