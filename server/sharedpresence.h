#pragma once

#include <QObject>
#include <QStringList>

namespace lifeline::server {

// Who is online and who is typing on the other instances of a cluster, and what this instance
// tells them of its own. ChatServer merges it into the presence and typists it sends, so that
// a client sees every user on every instance. A single server has none.
class SharedPresence : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // This instance's users with an authenticated connection now, sorted, each once.
    virtual void publishUsers(const QStringList &users) = 0;
    // This instance's typists in room now, sorted, each once.
    virtual void publishTypists(const QString &room, const QStringList &typists) = 0;

    // The users online on the other instances, sorted, each once.
    virtual QStringList otherUsers() const = 0;
    // The users typing in room on the other instances, sorted, each once.
    virtual QStringList otherTypists(const QString &room) const = 0;

Q_SIGNALS:
    void otherUsersChanged();
    // otherTypists(room) changed; it was previous.
    void otherTypistsChanged(const QString &room, const QStringList &previous);
};

} // namespace lifeline::server
