#pragma once

#include <lifeline/connectionmanager.h>

#include "connectionmachine.h"
#include "connectionnotifier.h"
#include "linksocket.h"
#include "pingtracker.h"
#include "sessionlink.h"
#include "sessionstore.h"

#include <QSet>
#include <QSslCertificate>
#include <QTimer>

#include <array>
#include <optional>

namespace lifeline {

namespace protocol {
struct DecodeError;
}

// A ConnectionManager's parts: the state and the pure transition() that changes it, the socket,
// the timers, the notifier, the app's pings, and the Messenger's link. Every change goes through
// dispatch(): new state, then effects, then notifications.
class ConnectionManagerPrivate
{
public:
    explicit ConnectionManagerPrivate(ConnectionManager *manager);
    static ConnectionManagerPrivate *get(ConnectionManager *manager) { return manager->d.get(); }

    // The one place that changes the state: transition, assign, log, carry out the effects,
    // then notify.
    void dispatch(const ConnectionEvent &event, const ConnectionNotifier::Answer &answer = {});
    // A failure of the link, with the random draw for the jitter of the retry it may plan.
    void failLink(const ChatError &cause, std::optional<DisconnectReason> fatalReason = {});
    // Follows QNetworkInformation where a backend loads; without one, the app's own calls.
    void setupReachability();

    ConnectionManager *q;

    QString appId;
    AppSettings settings;
    SessionStore sessionStore;
    // The certificates of settings.trustedCertificates(), read once by init().
    QList<QSslCertificate> trustedCertificates;
    std::optional<Session> session;
    ConnectionRules rules;
    ConnectionState state;

    LinkSocket socket;
    PingTracker pings;
    SessionLink link;
    ConnectionNotifier notifier;
    std::array<QTimer, 5> timers;

private:
    QTimer &timer(ConnectionTimer which) { return timers[std::size_t(which)]; }
    void carryOut(const ConnectionEffect &effect, const ConnectionNotifier::Answer &answer);
    void log(const ConnectionState &previous, const ConnectionTransition &step) const;
    void onText(const QString &text);
    void onServerError(const protocol::Frame &frame);
    // A well-formed frame of an unknown type: ERR_PROTOCOL once per link, the link stays up.
    void reportIgnoredFrame(const protocol::DecodeError &problem);

    QSet<QString> ignoredFrameProblems;
};

} // namespace lifeline
