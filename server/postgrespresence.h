#pragma once

#include "databaseurl.h"
#include "sharedpresence.h"

#include <QHash>
#include <QSet>

#include <memory>

namespace lifeline::server {

class PostgresConnection;
class PostgresListener;

// SharedPresence through the cluster's PostgreSQL.
//
// Presence is state that a newcomer must be able to read whole, so it is rows: one per user
// of each instance in lifeline_presence, changed by the difference whenever the instance's
// list changes (at most every 100 ms, ChatServer coalesces), with a notice on PresenceChannel.
// The notice carries that difference, numbered per instance (ChangeNotice), and the others
// apply it without reading the rows: reading every other instance's rows on every notice was
// what presence cost the message appends in a storm (docs/benchmarks.md). A notice that does
// not continue what this instance holds of its sender, or one without a change (a rewrite,
// a sweep, a clean exit, or a notice of the previous release), makes it read all the rows,
// as it also does at every check.
// Every instance also marks itself alive in lifeline_instances at each of the listener's
// checks (every second) and removes the rows of any instance not seen for StaleMs: a killed
// instance's users go offline for the others within StaleMs plus a check, OfflineWithinMs.
//
// Typing is volatile and changes with every key press, so it never touches a table: each
// change is a notice on TypingChannel carrying the room and the instance's typists there. A
// lost notice leaves a list stale until that room's next change or the instance's end.
class PostgresPresence : public SharedPresence
{
    Q_OBJECT
public:
    static const QString PresenceChannel;
    static const QString TypingChannel;
    static constexpr int StaleMs = 5000;
    static constexpr int OfflineWithinMs = StaleMs + 2000;

    explicit PostgresPresence(QObject *parent = nullptr);
    ~PostgresPresence() override;

    // Registers this instance and follows listener. False with the reason in *error.
    bool open(const DatabaseUrl &url, const QString &instance, PostgresListener *listener,
              QString *error);

    void publishUsers(const QStringList &users) override;
    void publishTypists(const QString &room, const QStringList &typists) override;
    QStringList otherUsers() const override { return m_otherUsers; }
    QStringList otherTypists(const QString &room) const override;

private:
    PostgresConnection *usable();
    // Marks this instance alive, removes the instances gone stale, then reads the others.
    void check();
    // Writes the difference between what the table holds of this instance and m_users.
    bool writeUsers();
    void readOthers();
    // Applies a ChangeNotice if it continues what m_othersUsers holds of its sender; false if
    // the rows must be read instead.
    bool takeChange(const QString &payload);
    // m_otherUsers from m_othersUsers, and otherUsersChanged() if it changed.
    void mergeOthers();
    void takeTypists(const QString &payload);
    // Drops the typists of the instances not in live.
    void forgetTypists(const QSet<QString> &live);

    DatabaseUrl m_url;
    // The instance's rows are keyed by its name and a random part, so that a restarted
    // instance never mixes with the rows its previous run left, nor two instances given the
    // same --instance with each other's.
    QString m_session;
    QString m_applicationName;
    std::unique_ptr<PostgresConnection> m_connection;
    // This instance's users, and what the table holds of them (empty after a failure: all of
    // them are written again).
    QStringList m_users;
    QStringList m_written;
    bool m_writtenKnown = false;
    // Numbers this instance's changes, so that the others can tell when they missed one.
    qint64 m_changeNumber = 0;
    // What the rows read last and the changes since say of each other instance: its users,
    // and the number of the last change applied (absent right after a read: the rows held
    // every change before the next notice, so whichever number it has is taken).
    QHash<QString, QStringList> m_othersUsers;
    QHash<QString, qint64> m_othersLastChange;
    QStringList m_otherUsers;
    // instance -> room -> typists
    QHash<QString, QHash<QString, QStringList>> m_otherTypists;
};

} // namespace lifeline::server
