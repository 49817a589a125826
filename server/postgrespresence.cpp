#include "postgrespresence.h"

#include "loggingcategories_p.h"
#include "postgresconnection.h"
#include "postgreslistener.h"
#include "sortedunique.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace lifeline::server {

const QString PostgresPresence::PresenceChannel = QStringLiteral("lifeline_presence");
const QString PostgresPresence::TypingChannel = QStringLiteral("lifeline_typing");

namespace {

// PostgreSQL refuses a notice payload of 8,000 bytes or more.
constexpr qsizetype MaxPayloadBytes = 7900;

const QString StaleAfter
    = QStringLiteral("make_interval(secs => %1)").arg(double(PostgresPresence::StaleMs) / 1000.0);

// A ChangeNotice: {"i": session, "n": number, "+": [uids], "-": [uids]}; the previous release's
// notice, and this one's when there is no change to carry, is the session alone.
const QString SessionKey = QStringLiteral("i");
const QString NumberKey = QStringLiteral("n");
const QString CameKey = QStringLiteral("+");
const QString GoneKey = QStringLiteral("-");

} // namespace

PostgresPresence::PostgresPresence(QObject *parent)
    : SharedPresence(parent)
{ }

PostgresPresence::~PostgresPresence()
{
    // A clean exit takes this instance's users offline for the others at once, instead of
    // after StaleMs.
    if (!m_connection || !m_connection->isOpen())
        return;
    QSqlQuery query(m_connection->db());
    for (const QString &table :
         {QStringLiteral("lifeline_presence"), QStringLiteral("lifeline_instances")}) {
        query.prepare(QStringLiteral("DELETE FROM %1 WHERE instance = ?").arg(table));
        query.addBindValue(m_session);
        query.exec();
    }
    query.prepare(QStringLiteral("SELECT pg_notify(?, ?)"));
    query.addBindValue(PresenceChannel);
    query.addBindValue(m_session);
    query.exec();
}

bool PostgresPresence::open(const DatabaseUrl &url, const QString &instance,
                            PostgresListener *listener, QString *error)
{
    m_url = url;
    m_session = instance + QLatin1Char('/') + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_applicationName = PostgresConnection::applicationName(instance, QStringLiteral("presence"));
    m_connection = PostgresConnection::open(m_url, m_applicationName, error);
    if (!m_connection)
        return false;
    QSqlQuery query(m_connection->db());
    query.prepare(QStringLiteral("INSERT INTO lifeline_instances (instance, seen_at) "
                                 "VALUES (?, now())"));
    query.addBindValue(m_session);
    if (!query.exec()) {
        *error = PostgresConnection::describe(query.lastError());
        return false;
    }
    m_writtenKnown = true;
    connect(listener, &PostgresListener::notified, this,
            [this](const QString &channel, const QString &payload) {
                if (channel == PresenceChannel && payload != m_session && !takeChange(payload))
                    readOthers();
                else if (channel == TypingChannel)
                    takeTypists(payload);
            });
    // Notices were lost with the connection: whatever the others typed then is unknown now.
    connect(listener, &PostgresListener::resumed, this, [this] { forgetTypists({}); });
    connect(listener, &PostgresListener::checked, this, &PostgresPresence::check);
    readOthers();
    return true;
}

PostgresConnection *PostgresPresence::usable()
{
    if (m_connection && m_connection->isOpen())
        return m_connection.get();
    m_connection.reset();
    QString error;
    m_connection = PostgresConnection::open(m_url, m_applicationName, &error);
    // The store logs the database going away; here it only means "try at the next check".
    return m_connection.get();
}

void PostgresPresence::check()
{
    PostgresConnection *c = usable();
    if (!c)
        return;
    QSqlQuery query(c->db());
    query.prepare(QStringLiteral("UPDATE lifeline_instances SET seen_at = now() "
                                 "WHERE instance = ?"));
    query.addBindValue(m_session);
    if (!query.exec())
        return;
    if (query.numRowsAffected() == 0) {
        // Away longer than StaleMs (the database was unreachable): another instance removed
        // this one and its users. Both come back now.
        query.prepare(QStringLiteral("INSERT INTO lifeline_instances (instance, seen_at) "
                                     "VALUES (?, now())"));
        query.addBindValue(m_session);
        if (!query.exec())
            return;
        m_writtenKnown = false;
    }
    // Whoever checks first removes a silent instance; doing it twice does no harm.
    if (!query.exec(QStringLiteral("WITH gone AS (DELETE FROM lifeline_instances WHERE seen_at "
                                   "< now() - %1 RETURNING instance) "
                                   "DELETE FROM lifeline_presence WHERE instance IN "
                                   "(SELECT instance FROM gone)")
                        .arg(StaleAfter)))
        return;
    if (query.numRowsAffected() > 0) {
        qCInfo(lcServer, "%d users of instances silent for %d ms went offline",
               query.numRowsAffected(), StaleMs);
        query.prepare(QStringLiteral("SELECT pg_notify(?, ?)"));
        query.addBindValue(PresenceChannel);
        query.addBindValue(m_session);
        query.exec();
    }
    if (!m_writtenKnown || m_written != m_users)
        writeUsers();
    readOthers();
}

void PostgresPresence::publishUsers(const QStringList &users)
{
    if (users == m_users && m_writtenKnown)
        return;
    m_users = users;
    writeUsers();
}

bool PostgresPresence::writeUsers()
{
    PostgresConnection *c = usable();
    if (!c)
        return false;
    QSqlDatabase &db = c->db();
    if (!db.transaction())
        return false;
    QSqlQuery query(db);
    const auto fail = [this, &db] {
        db.rollback();
        m_writtenKnown = false;
        return false;
    };
    QStringList gone;
    QStringList came;
    // Only a difference can be carried; a rewrite makes the others read.
    const bool difference = m_writtenKnown;
    if (m_writtenKnown) {
        std::set_difference(m_written.cbegin(), m_written.cend(), m_users.cbegin(), m_users.cend(),
                            std::back_inserter(gone));
        std::set_difference(m_users.cbegin(), m_users.cend(), m_written.cbegin(), m_written.cend(),
                            std::back_inserter(came));
    } else {
        query.prepare(QStringLiteral("DELETE FROM lifeline_presence WHERE instance = ?"));
        query.addBindValue(m_session);
        if (!query.exec())
            return fail();
        came = m_users;
    }
    query.prepare(QStringLiteral("DELETE FROM lifeline_presence WHERE instance = ? AND uid = ?"));
    for (const QString &uid : std::as_const(gone)) {
        query.bindValue(0, m_session);
        query.bindValue(1, uid);
        if (!query.exec())
            return fail();
    }
    query.prepare(QStringLiteral("INSERT INTO lifeline_presence (instance, uid) VALUES (?, ?) "
                                 "ON CONFLICT DO NOTHING"));
    for (const QString &uid : std::as_const(came)) {
        query.bindValue(0, m_session);
        query.bindValue(1, uid);
        if (!query.exec())
            return fail();
    }
    QString notice = m_session;
    if (difference) {
        // Numbered before the commit: a number lost with a failed one is followed by a
        // rewrite (m_writtenKnown goes false), whose notice makes the others read.
        const QByteArray change
            = QJsonDocument(QJsonObject {{SessionKey, m_session},
                                         {NumberKey, ++m_changeNumber},
                                         {CameKey, QJsonArray::fromStringList(came)},
                                         {GoneKey, QJsonArray::fromStringList(gone)}})
                  .toJson(QJsonDocument::Compact);
        if (change.size() <= MaxPayloadBytes)
            notice = QString::fromUtf8(change);
    }
    query.prepare(QStringLiteral("SELECT pg_notify(?, ?)"));
    query.addBindValue(PresenceChannel);
    query.addBindValue(notice);
    if (!query.exec())
        return fail();
    query.finish();
    if (!db.commit())
        return fail();
    m_written = m_users;
    m_writtenKnown = true;
    return true;
}

void PostgresPresence::readOthers()
{
    PostgresConnection *c = usable();
    if (!c)
        return;
    QSqlQuery query(c->db());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT i.instance, p.uid FROM lifeline_instances i "
                                 "LEFT JOIN lifeline_presence p ON p.instance = i.instance "
                                 "WHERE i.instance <> ? AND i.seen_at >= now() - %1")
                      .arg(StaleAfter));
    query.addBindValue(m_session);
    if (!query.exec())
        return;
    QSet<QString> live;
    QHash<QString, QStringList> byInstance;
    while (query.next()) {
        const QString instance = query.value(0).toString();
        live.insert(instance);
        QStringList &users = byInstance[instance];
        if (!query.isNull(1))
            users.append(query.value(1).toString());
    }
    for (QStringList &users : byInstance)
        users = sortedUnique(users);
    m_othersUsers = std::move(byInstance);
    m_othersLastChange.clear();
    forgetTypists(live);
    mergeOthers();
}

bool PostgresPresence::takeChange(const QString &payload)
{
    const QJsonObject notice = QJsonDocument::fromJson(payload.toUtf8()).object();
    const QString session = notice.value(SessionKey).toString();
    const qint64 number = notice.value(NumberKey).toInteger(0);
    if (session.isEmpty() || number < 1)
        return false;
    if (session == m_session)
        return true;
    // It continues what this instance holds of the sender: the next number; any number right
    // after a read; or, from an instance the last read did not know, its first change (its
    // rows were empty before it).
    const auto known = m_othersUsers.constFind(session);
    const auto last = m_othersLastChange.constFind(session);
    const bool continues = known == m_othersUsers.cend()
        ? number == 1
        : (last == m_othersLastChange.cend() || *last + 1 == number);
    if (!continues)
        return false;
    QStringList users = known == m_othersUsers.cend() ? QStringList() : *known;
    for (const QJsonValue &uid : notice.value(GoneKey).toArray())
        users.removeOne(uid.toString());
    for (const QJsonValue &uid : notice.value(CameKey).toArray())
        users.append(uid.toString());
    m_othersUsers.insert(session, sortedUnique(users));
    m_othersLastChange.insert(session, number);
    mergeOthers();
    return true;
}

void PostgresPresence::mergeOthers()
{
    QStringList users;
    for (const QStringList &instanceUsers : std::as_const(m_othersUsers))
        users += instanceUsers;
    users = sortedUnique(users);
    if (users == m_otherUsers)
        return;
    m_otherUsers = users;
    Q_EMIT otherUsersChanged();
}

void PostgresPresence::publishTypists(const QString &room, const QStringList &typists)
{
    // Volatile: nobody waits for a typing indicator that could not be sent, and a reconnect
    // per key press would stall the instance while the database is away (the check every
    // second reconnects).
    PostgresConnection *c = m_connection.get();
    if (!c || !c->isOpen())
        return;
    QJsonObject notice {{QStringLiteral("i"), m_session}, {QStringLiteral("r"), room}};
    QStringList sent = typists;
    QByteArray payload;
    for (;;) {
        notice.insert(QStringLiteral("t"), QJsonArray::fromStringList(sent));
        payload = QJsonDocument(notice).toJson(QJsonDocument::Compact);
        if (payload.size() <= MaxPayloadBytes || sent.isEmpty())
            break;
        // More typists than a notice holds: the first ones stand for the room.
        sent.resize(sent.size() / 2);
    }
    QSqlQuery query(c->db());
    query.prepare(QStringLiteral("SELECT pg_notify(?, ?)"));
    query.addBindValue(TypingChannel);
    query.addBindValue(QString::fromUtf8(payload));
    query.exec();
}

QStringList PostgresPresence::otherTypists(const QString &room) const
{
    QStringList typists;
    for (const auto &rooms : m_otherTypists)
        typists += rooms.value(room);
    return sortedUnique(typists);
}

void PostgresPresence::takeTypists(const QString &payload)
{
    const QJsonObject notice = QJsonDocument::fromJson(payload.toUtf8()).object();
    const QString session = notice.value(QStringLiteral("i")).toString();
    const QString room = notice.value(QStringLiteral("r")).toString();
    if (session.isEmpty() || session == m_session || room.isEmpty())
        return;
    QStringList typists;
    for (const QJsonValue &uid : notice.value(QStringLiteral("t")).toArray())
        typists.append(uid.toString());
    const QStringList previous = otherTypists(room);
    if (typists.isEmpty())
        m_otherTypists[session].remove(room);
    else
        m_otherTypists[session].insert(room, sortedUnique(typists));
    if (otherTypists(room) != previous)
        Q_EMIT otherTypistsChanged(room, previous);
}

void PostgresPresence::forgetTypists(const QSet<QString> &live)
{
    QSet<QString> rooms;
    QHash<QString, QStringList> before;
    for (auto it = m_otherTypists.cbegin(); it != m_otherTypists.cend(); ++it) {
        if (live.contains(it.key()))
            continue;
        for (auto room = it->cbegin(); room != it->cend(); ++room)
            rooms.insert(room.key());
    }
    if (rooms.isEmpty())
        return;
    for (const QString &room : std::as_const(rooms))
        before.insert(room, otherTypists(room));
    for (auto it = m_otherTypists.begin(); it != m_otherTypists.end();) {
        if (live.contains(it.key()))
            ++it;
        else
            it = m_otherTypists.erase(it);
    }
    for (const QString &room : std::as_const(rooms)) {
        if (otherTypists(room) != before.value(room))
            Q_EMIT otherTypistsChanged(room, before.value(room));
    }
}

} // namespace lifeline::server
