#include "postgresmessagestore.h"

#include "loggingcategories_p.h"
#include "postgresconnection.h"
#include "postgreslistener.h"
#include "preparedstatements.h"
#include "storedmessagecolumns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace lifeline::server {

const QString PostgresMessageStore::AppendedChannel = QStringLiteral("lifeline_appended");

namespace {

// The layout this code reads and writes. Each later version only adds (tables, columns with a
// default), so that instances of the previous release keep working during a rolling upgrade;
// a database at a higher version was set up by a newer release and is refused.
constexpr int SchemaVersion = 1;

// PostgreSQL refuses a notice payload of 8,000 bytes or more.
constexpr qsizetype MaxNoticeBytes = 7900;

// pg_advisory_xact_lock key for setting up the schema: "Lifeline" in ASCII.
constexpr qint64 SchemaLockKey = Q_INT64_C(0x4c6966656c696e65);

QString describe(const QSqlError &error)
{
    return PostgresConnection::describe(error);
}

// A whole append as one statement: an append used to take about ten round trips (begin, the
// lock, a lookup and an insert per message, the counter, the notice, commit), each a wake-up
// of this process and of a backend, with the counter row locked across all of them. batch is
// a JSON array of [id, room, sender, body, sent_at]; each comes back as (seq, is_new, sender),
// in order, as MessageStore::append() describes.
//
// First the lock: from there the other instances' appends wait, and every id they stored is
// visible to the lookups (each statement in READ COMMITTED sees what was committed before it
// began). The notice is an AppendedNotice: the counter, then the new messages if the whole
// text stays within notice_limit bytes.
//
// No sequential scans: statistics that autovacuum took while messages was nearly empty (a new
// database's first minute) make a scan of the whole table look cheaper than the id index, and
// until the next analyze, up to a minute later, every lookup read every message with the
// counter locked: at 500 appends a second that put seconds on the p99. Every statement here
// has an index that serves it. JIT stays off with it: the planner prices a scan it must avoid so
// high that JIT would compile each statement, 100 ms at a time, for a one-row answer.
QString appendFunction()
{
    return QStringLiteral(R"sql(
CREATE OR REPLACE FUNCTION lifeline_append(batch json, notice_limit integer)
RETURNS TABLE (seq bigint, is_new boolean, sender text)
LANGUAGE plpgsql SET enable_seqscan = off SET jit = off AS $fn$
DECLARE
    newest bigint;
    kept bigint;
    item json;
    stored record;
    carried json[] := '{}';
    carried_text text;
    notice text;
BEGIN
    SELECT c.last_seq, c.retain INTO newest, kept FROM lifeline_counter c FOR UPDATE;
    FOR item IN SELECT value FROM json_array_elements(batch) LOOP
        SELECT m.seq, m.sender INTO stored FROM messages m WHERE m.id = item->>0;
        IF FOUND THEN
            seq := stored.seq;
            is_new := false;
            sender := stored.sender;
        ELSE
            newest := newest + 1;
            INSERT INTO messages (seq, id, room, sender, body, sent_at)
                VALUES (newest, item->>0, item->>1, item->>2, item->>3, (item->>4)::bigint);
            carried := carried
                || json_build_array(newest, item->0, item->1, item->2, item->3, item->4);
            seq := newest;
            is_new := true;
            sender := item->>2;
        END IF;
        RETURN NEXT;
    END LOOP;
    UPDATE lifeline_counter SET last_seq = newest;
    IF kept > 0 AND newest > kept THEN
        DELETE FROM messages m WHERE m.seq <= newest - kept;
    END IF;
    notice := newest::text;
    IF cardinality(carried) > 0 THEN
        carried_text := array_to_json(carried)::text;
        IF octet_length(notice) + 1 + octet_length(carried_text) <= notice_limit THEN
            notice := notice || ' ' || carried_text;
        END IF;
    END IF;
    PERFORM pg_notify('%1', notice);
END
$fn$)sql")
        .arg(PostgresMessageStore::AppendedChannel);
}

// Sets how many messages the database keeps, removes what it no longer keeps, and returns the
// value it had.
QString setRetentionFunction()
{
    return QStringLiteral(R"sql(
CREATE OR REPLACE FUNCTION lifeline_set_retention(wanted bigint) RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
    previous bigint;
    newest bigint;
BEGIN
    SELECT c.retain, c.last_seq INTO previous, newest FROM lifeline_counter c FOR UPDATE;
    UPDATE lifeline_counter SET retain = wanted;
    IF wanted > 0 AND newest > wanted THEN
        DELETE FROM messages m WHERE m.seq <= newest - wanted;
    END IF;
    RETURN previous;
END
$fn$)sql");
}

} // namespace

struct PostgresMessageStore::Connection
{
    bool prepare(QString *error);
    // Runs insert for message with seq.
    bool insertMessage(qint64 seq, const StoredMessage &message);

    // First, so that it goes last: the queries below must be gone before it.
    std::unique_ptr<PostgresConnection> link;
    QSqlQuery appendBatch;
    QSqlQuery setRetention;
    QSqlQuery lockCounter;
    QSqlQuery findById;
    QSqlQuery insert;
    QSqlQuery advanceCounter;
    QSqlQuery readAfter;
};

bool PostgresMessageStore::Connection::insertMessage(qint64 seq, const StoredMessage &message)
{
    insert.bindValue(0, seq);
    insert.bindValue(1, message.id);
    insert.bindValue(2, message.room);
    insert.bindValue(3, message.sender);
    insert.bindValue(4, message.text);
    insert.bindValue(5, message.sentAt);
    return insert.exec();
}

bool PostgresMessageStore::Connection::prepare(QString *error)
{
    return prepareStatements(
        link->db(),
        {
            {&appendBatch,
             QStringLiteral("SELECT seq, is_new, sender FROM lifeline_append(?::json, ?) "
                            "WITH ORDINALITY ORDER BY ordinality")},
            {&setRetention, QStringLiteral("SELECT lifeline_set_retention(?)")},
            {&lockCounter,
             QStringLiteral("SELECT last_seq, retain FROM lifeline_counter FOR UPDATE")},
            {&findById, QStringLiteral("SELECT seq, sender FROM messages WHERE id = ?")},
            {&insert,
             QStringLiteral("INSERT INTO messages (seq, id, room, sender, body, sent_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)")},
            {&advanceCounter,
             QStringLiteral("UPDATE lifeline_counter SET last_seq = ?, retain = ?")},
            {&readAfter,
             QStringLiteral("SELECT %1 FROM messages WHERE seq > ? ORDER BY seq LIMIT ?")
                 .arg(storedmessagecolumns::list())},
        },
        describe, error);
}

PostgresMessageStore::PostgresMessageStore() = default;

PostgresMessageStore::~PostgresMessageStore() = default;

bool PostgresMessageStore::open(const DatabaseUrl &url, const QString &instance, QString *error)
{
    if (m_connection) {
        *error = QStringLiteral("the message store is open already");
        return false;
    }
    m_url = url;
    m_applicationName = PostgresConnection::applicationName(instance);
    if (!usable(error))
        return false;
    if (!setUpSchema(error) || !m_connection->prepare(error)) {
        *error = QStringLiteral("%1: %2").arg(m_url.toDisplayString(), *error);
        m_connection.reset();
        return false;
    }
    m_schemaReady = true;
    m_reachable = true;
    return true;
}

void PostgresMessageStore::follow(PostgresListener *listener)
{
    const auto look = [this](const AppendedNotice &notice) {
        if (m_appendedElsewhere)
            m_appendedElsewhere(notice);
    };
    QObject::connect(listener, &PostgresListener::notified, listener,
                     [look](const QString &channel, const QString &payload) {
                         if (channel == AppendedChannel)
                             look(AppendedNotice::fromText(payload));
                     });
    // Also when nothing was heard: a notice may have been lost with a connection. The read
    // also tells whether the database is reachable.
    QObject::connect(listener, &PostgresListener::checked, listener,
                     [look] { look(AppendedNotice()); });
}

bool PostgresMessageStore::setUpSchema(QString *error)
{
    PostgresConnection &c = *m_connection->link;
    if (!c.db().transaction()) {
        *error = describe(c.db().lastError());
        return false;
    }
    const auto fail = [&c] {
        c.db().rollback();
        return false;
    };
    // Instances that start together on an empty database wait here for each other, instead of
    // racing on CREATE TABLE IF NOT EXISTS (which is not safe against a concurrent create).
    // libpq would print "already exists, skipping" notices on stderr at every start.
    if (!c.execute(QStringLiteral("SET client_min_messages = warning"), error)
        || !c.execute(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(SchemaLockKey), error)
        || !c.execute(QStringLiteral("CREATE TABLE IF NOT EXISTS lifeline_schema ("
                                     "singleton boolean PRIMARY KEY DEFAULT true "
                                     "CHECK (singleton), "
                                     "version integer NOT NULL)"),
                      error))
        return fail();
    QSqlQuery query(c.db());
    if (!query.exec(QStringLiteral("SELECT version FROM lifeline_schema"))) {
        *error = describe(query.lastError());
        return fail();
    }
    const int version = query.next() ? query.value(0).toInt() : 0;
    query.finish();
    if (version > SchemaVersion) {
        *error = QStringLiteral("the database was set up by a newer lifeline-server (schema "
                                "version %1; this one knows up to %2): upgrade this instance")
                     .arg(version)
                     .arg(SchemaVersion);
        return fail();
    }
    // seq is assigned from the counter row, not by a sequence (see the header). Presence is
    // PostgresPresence's: the users of each instance, and when each instance was last seen.
    const QString statements[] = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS messages ("
                       "seq bigint PRIMARY KEY, "
                       "id text NOT NULL UNIQUE, "
                       "room text NOT NULL, "
                       "sender text NOT NULL, "
                       "body text NOT NULL, "
                       "sent_at bigint NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS lifeline_counter ("
                       "singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), "
                       "last_seq bigint NOT NULL, "
                       "retain bigint NOT NULL)"),
        QStringLiteral("INSERT INTO lifeline_counter (last_seq, retain) VALUES (0, %1) "
                       "ON CONFLICT DO NOTHING")
            .arg(DefaultRetention),
        QStringLiteral("CREATE TABLE IF NOT EXISTS lifeline_instances ("
                       "instance text PRIMARY KEY, "
                       "seen_at timestamptz NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS lifeline_presence ("
                       "instance text NOT NULL, "
                       "uid text NOT NULL, "
                       "PRIMARY KEY (instance, uid))"),
        appendFunction(),
        setRetentionFunction(),
        QStringLiteral("INSERT INTO lifeline_schema (version) VALUES (%1) "
                       "ON CONFLICT (singleton) DO UPDATE SET version = "
                       "GREATEST(lifeline_schema.version, EXCLUDED.version)")
            .arg(SchemaVersion),
    };
    for (const QString &statement : statements) {
        if (!c.execute(statement, error))
            return fail();
    }
    if (!c.db().commit()) {
        *error = describe(c.db().lastError());
        return fail();
    }
    return true;
}

void PostgresMessageStore::noteFailure(const QString &error)
{
    // A statement that failed on a working link (a lock that timed out behind a stalled
    // instance, say) is this operation's failure, not the database's absence.
    if (m_connection && m_connection->link->isOpen())
        return;
    if (m_reachable)
        qCWarning(lcServer, "the database is unreachable: %s", qUtf8Printable(error));
    m_reachable = false;
}

void PostgresMessageStore::noteSuccess()
{
    if (!m_reachable)
        qCInfo(lcServer, "the database is reachable again");
    m_reachable = true;
}

PostgresMessageStore::Connection *PostgresMessageStore::usable(QString *error)
{
    if (m_connection && m_connection->link->isOpen())
        return m_connection.get();
    m_connection.reset();
    auto c = std::make_unique<Connection>();
    c->link = PostgresConnection::open(m_url, m_applicationName, error);
    // Not prepared while open() has yet to set up the schema.
    if (!c->link || (m_schemaReady && !c->prepare(error))) {
        noteFailure(*error);
        return nullptr;
    }
    m_connection = std::move(c);
    return m_connection.get();
}

bool PostgresMessageStore::append(const QList<StoredMessage> &messages, QList<Appended> *results,
                                  QString *error)
{
    results->clear();
    Connection *c = usable(error);
    if (!c || (m_pendingRetention >= 0 && !applyRetention(c, error)))
        return false;
    QJsonArray batch;
    for (const StoredMessage &message : messages)
        batch.append(
            QJsonArray {message.id, message.room, message.sender, message.text, message.sentAt});
    // One statement, so one round trip and one transaction: lifeline_append() (see
    // setUpSchema()) locks the counter, stores, applies the retention and notifies.
    QSqlQuery &query = c->appendBatch;
    query.bindValue(0, QString::fromUtf8(QJsonDocument(batch).toJson(QJsonDocument::Compact)));
    query.bindValue(1, MaxNoticeBytes);
    if (!query.exec()) {
        *error = describe(query.lastError());
        noteFailure(*error);
        return false;
    }
    QList<Appended> appended;
    appended.reserve(messages.size());
    while (query.next())
        appended.append(
            {query.value(0).toLongLong(), query.value(1).toBool(), query.value(2).toString()});
    query.finish();
    noteSuccess();
    *results = std::move(appended);
    return true;
}

bool PostgresMessageStore::applyRetention(Connection *c, QString *error)
{
    QSqlQuery &query = c->setRetention;
    query.bindValue(0, m_pendingRetention);
    if (!query.exec() || !query.next()) {
        *error = describe(query.lastError());
        noteFailure(*error);
        return false;
    }
    const qint64 previous = query.value(0).toLongLong();
    query.finish();
    if (previous != m_pendingRetention)
        qCInfo(lcServer,
               "the database kept the newest %lld messages; from now on %lld (this "
               "instance's --retain)",
               static_cast<long long>(previous), static_cast<long long>(m_pendingRetention));
    m_pendingRetention = -1;
    noteSuccess();
    return true;
}

bool PostgresMessageStore::importFrom(MessageStore &source, qint64 *count, QString *error)
{
    *count = 0;
    Connection *c = usable(error);
    if (!c)
        return false;
    const auto fail = [c, error](const QSqlError &sqlError) {
        *error = describe(sqlError);
        c->link->db().rollback();
        return false;
    };
    if (!c->link->db().transaction())
        return fail(c->link->db().lastError());
    if (!c->lockCounter.exec() || !c->lockCounter.next())
        return fail(c->lockCounter.lastError());
    const qint64 lastSeq = c->lockCounter.value(0).toLongLong();
    const qint64 retain = c->lockCounter.value(1).toLongLong();
    c->lockCounter.finish();
    if (lastSeq != 0) {
        *error = QStringLiteral("the database has stored messages already (up to seq %1); import "
                                "into a new, empty database")
                     .arg(lastSeq);
        c->link->db().rollback();
        return false;
    }
    constexpr int PageSize = 1000;
    qint64 after = 0;
    for (;;) {
        QList<StoredMessage> page;
        if (!source.readAfter(after, PageSize, &page, error)) {
            c->link->db().rollback();
            return false;
        }
        for (const StoredMessage &message : std::as_const(page)) {
            if (!c->insertMessage(message.seq, message))
                return fail(c->insert.lastError());
            after = message.seq;
            ++*count;
        }
        if (page.size() < PageSize)
            break;
    }
    // The single server never hands out a seq twice, not even one whose message retention
    // removed since; neither does the database from here on.
    c->advanceCounter.bindValue(0, qMax(after, source.newestSeq()));
    c->advanceCounter.bindValue(1, retain);
    if (!c->advanceCounter.exec())
        return fail(c->advanceCounter.lastError());
    if (!c->link->db().commit())
        return fail(c->link->db().lastError());
    return true;
}

bool PostgresMessageStore::readAfter(qint64 after, int limit, QList<StoredMessage> *messages,
                                     QString *error)
{
    messages->clear();
    Connection *c = usable(error);
    if (!c)
        return false;
    QSqlQuery &query = c->readAfter;
    query.bindValue(0, after);
    query.bindValue(1, limit);
    if (!query.exec()) {
        *error = describe(query.lastError());
        noteFailure(*error);
        return false;
    }
    while (query.next())
        messages->append(storedmessagecolumns::read(query));
    query.finish();
    noteSuccess();
    return true;
}

bool PostgresMessageStore::seqOf(const QString &id, qint64 *seq, QString *error)
{
    *seq = 0;
    Connection *c = usable(error);
    if (!c)
        return false;
    c->findById.bindValue(0, id);
    if (!c->findById.exec()) {
        *error = describe(c->findById.lastError());
        noteFailure(*error);
        return false;
    }
    if (c->findById.next())
        *seq = c->findById.value(0).toLongLong();
    c->findById.finish();
    return true;
}

qint64 PostgresMessageStore::queryNumber(const QString &statement, qint64 *known) const
{
    // Not reconnecting here: the next append, read or check does. Until then the value last
    // read stands, rather than a 0 that would send a hub back to the start of the history.
    if (!m_connection || !m_connection->link->isOpen())
        return *known;
    QSqlQuery query(m_connection->link->db());
    if (!query.exec(statement) || !query.next()) {
        qCWarning(lcServer, "cannot read from the database, using the value read last: %s",
                  qUtf8Printable(describe(query.lastError())));
        return *known;
    }
    *known = query.value(0).toLongLong();
    return *known;
}

qint64 PostgresMessageStore::oldestSeq() const
{
    // MIN of an empty table is NULL, which reads as 0.
    return queryNumber(QStringLiteral("SELECT MIN(seq) FROM messages"), &m_knownOldest);
}

qint64 PostgresMessageStore::newestSeq() const
{
    return queryNumber(QStringLiteral("SELECT last_seq FROM lifeline_counter"), &m_knownNewest);
}

void PostgresMessageStore::setRetention(qint64 count)
{
    m_pendingRetention = count;
    // Written now, so that the instance started last with --retain is the one whose value
    // holds; if the database cannot be reached, the next append writes it first.
    QString error;
    if (Connection *c = usable(&error))
        applyRetention(c, &error);
}

void PostgresMessageStore::setAppendedElsewhereHandler(
    std::function<void(const AppendedNotice &)> handler)
{
    m_appendedElsewhere = std::move(handler);
}

} // namespace lifeline::server
