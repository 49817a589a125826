#pragma once

#include "databaseurl.h"
#include "messagestore.h"

#include <QObject>
#include <QTimer>

#include <memory>

// MessageStore on PostgreSQL (QtSql's QPSQL driver), shared by every lifeline-server instance
// that is given the same database.
//
// seq comes from a counter row that each appending transaction locks first. That serialises
// the appends of all instances (one commit at a time, as on SQLite) and keeps seq gap-free in
// commit order, which a PostgreSQL sequence would not: a transaction that drew seq 7 could
// commit after one that drew 8, and a reader at 8 would never look back. With the lock taken
// before the id lookup, a send whose id another instance stored a moment ago is found too.
//
// Every append notifies the channel lifeline_appended in its transaction (PostgreSQL delivers
// it at commit, in commit order). The notice only says "read from your cursor"; a second
// connection listens for it, and a check every HealthCheckMs reconnects it if it died and asks
// for a read anyway, so a lost notice delays messages but never loses them.
//
// The schema is created and versioned here, under an advisory lock so that instances that start
// together on an empty database do not race. Changes are additive: an older instance keeps
// working beside a newer one, and only a schema newer than this code knows is refused.
class PostgresMessageStore : public QObject, public MessageStore
{
    Q_OBJECT
public:
    static constexpr int HealthCheckMs = 1000;
    // What the database keeps when no instance has said otherwise (the server's --retain).
    static constexpr qint64 DefaultRetention = 100000;

    explicit PostgresMessageStore(QObject *parent = nullptr);
    ~PostgresMessageStore() override;

    // Connects, creates or checks the schema and starts listening. On failure says why in
    // *error (never with the password) and stays closed. instance names this server's
    // connections in pg_stat_activity: "lifeline:INSTANCE" and "lifeline:INSTANCE:listen".
    bool open(const DatabaseUrl &url, const QString &instance, QString *error);
    void close();

    bool append(const QList<StoredMessage> &messages, QList<Appended> *results,
                QString *error) override;
    bool readAfter(qint64 after, int limit, QList<StoredMessage> *messages,
                   QString *error) override;
    bool seqOf(const QString &id, qint64 *seq, QString *error) override;
    // Asked of the database each time: other instances append and apply the retention too.
    qint64 oldestSeq() const override;
    qint64 newestSeq() const override;
    // The retention is the database's, one value for all instances: this instance's value
    // replaces it with its next append (the last instance started with --retain wins), and the
    // change is logged.
    void setRetention(qint64 count) override;
    void setAppendedElsewhereHandler(std::function<void()> handler) override;

    // Copies every message of source into this database, each with its seq and id, and
    // continues seq after source's newest, so that clients' cursors stay valid. Only into a
    // database that has never stored a message; all or nothing. *count says how many.
    bool importFrom(MessageStore &source, qint64 *count, QString *error);

    // Whether the last use of the database worked (the health check uses it every second).
    bool isReachable() const override { return m_reachable; }

private:
    struct Connection;

    std::unique_ptr<Connection> openConnection(const QString &role, QString *error) const;
    bool setUpSchema(Connection &c, QString *error);
    // The main connection, reopened if it was lost; null (and *error set) if that fails.
    Connection *usable(QString *error);
    bool listen(QString *error);
    void checkHealth();
    void noteFailure(const QString &error);
    void noteSuccess();
    qint64 queryNumber(const QString &statement) const;

    DatabaseUrl m_url;
    QString m_applicationName;
    std::unique_ptr<Connection> m_main;
    std::unique_ptr<Connection> m_listener;
    std::function<void()> m_appendedElsewhere;
    QTimer m_healthTimer;
    // Set by setRetention(), written by the next append.
    qint64 m_pendingRetention = -1;
    bool m_reachable = false;
};
