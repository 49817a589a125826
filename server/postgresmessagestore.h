#pragma once

#include "databaseurl.h"
#include "messagestore.h"

#include <memory>

namespace lifeline::server {

class PostgresListener;

// MessageStore on PostgreSQL (QtSql's QPSQL driver), shared by every lifeline-server instance
// that is given the same database.
//
// seq comes from a counter row that each appending transaction locks first (an append is one
// call of the function lifeline_append(), which the schema holds). That serialises
// the appends of all instances (one commit at a time, as on SQLite) and keeps seq gap-free in
// commit order, which a PostgreSQL sequence would not: a transaction that drew seq 7 could
// commit after one that drew 8, and a reader at 8 would never look back. With the lock taken
// before the id lookup, a send whose id another instance stored a moment ago is found too.
//
// Every append notifies the channel AppendedChannel in its transaction (PostgreSQL delivers it
// at commit, in commit order) with an AppendedNotice: the counter, and the messages of a
// commit small enough to fit, so that the other instances need not read them back. The
// instance's PostgresListener hears it, and its periodic check asks for a read anyway, so a
// lost notice delays messages but never loses them.
//
// The schema (the presence tables included) is created and versioned here, under an advisory
// lock so that instances that start together on an empty database do not race. Changes are
// additive: an older instance keeps working beside a newer one, and only a schema newer than
// this code knows is refused.
class PostgresMessageStore : public MessageStore
{
public:
    static const QString AppendedChannel;
    // What the database keeps when no instance has said otherwise (the server's --retain).
    static constexpr qint64 DefaultRetention = 100000;

    PostgresMessageStore();
    ~PostgresMessageStore() override;

    PostgresMessageStore(const PostgresMessageStore &) = delete;
    PostgresMessageStore &operator=(const PostgresMessageStore &) = delete;

    // Connects and creates or checks the schema. On failure says why in *error (never with
    // the password) and stays closed. instance names the connection in pg_stat_activity.
    bool open(const DatabaseUrl &url, const QString &instance, QString *error);
    // From now on the notices and checks of listener tell this store to look for appends.
    void follow(PostgresListener *listener);

    bool append(const QList<StoredMessage> &messages, QList<Appended> *results,
                QString *error) override;
    bool readAfter(qint64 after, int limit, QList<StoredMessage> *messages,
                   QString *error) override;
    bool seqOf(const QString &id, qint64 *seq, QString *error) override;
    // Asked of the database each time: other instances append and apply the retention too.
    qint64 oldestSeq() const override;
    qint64 newestSeq() const override;
    // The retention is the database's, one value for all instances: this instance's value
    // replaces it at once (the last instance started with --retain wins), and the change is
    // logged. If the database cannot be reached, the next append writes it.
    void setRetention(qint64 count) override;
    void setAppendedElsewhereHandler(std::function<void(const AppendedNotice &)> handler) override;
    // Whether the last use of the database worked; the listener's check reads every second,
    // so this follows the database within about that.
    bool isReachable() const override { return m_reachable; }

    // Copies every message of source into this database, each with its seq and id, and
    // continues seq after source's newest, so that clients' cursors stay valid. Only into a
    // database that has never stored a message; all or nothing. *count says how many.
    bool importFrom(MessageStore &source, qint64 *count, QString *error);

private:
    struct Connection;

    // The connection, reopened if it was lost; null (and *error set) if that fails.
    Connection *usable(QString *error);
    // Writes m_pendingRetention to the database through c, logging a change, and clears it.
    bool applyRetention(Connection *c, QString *error);
    bool setUpSchema(QString *error);
    void noteFailure(const QString &error);
    void noteSuccess();
    // The number statement selects, kept in *known; *known as it was if the database cannot
    // answer.
    qint64 queryNumber(const QString &statement, qint64 *known) const;

    DatabaseUrl m_url;
    QString m_applicationName;
    std::unique_ptr<Connection> m_connection;
    std::function<void(const AppendedNotice &)> m_appendedElsewhere;
    // Set by setRetention(), written by the next append.
    qint64 m_pendingRetention = -1;
    // What oldestSeq() and newestSeq() read last.
    mutable qint64 m_knownOldest = 0;
    mutable qint64 m_knownNewest = 0;
    bool m_schemaReady = false;
    bool m_reachable = false;
};

} // namespace lifeline::server
