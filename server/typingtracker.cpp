#include "typingtracker.h"

#include <QTimer>

#include <algorithm>
#include <limits>

namespace lifeline::server {

TypingTracker::TypingTracker(QObject *parent)
    : QObject(parent)
    , m_expiryTimer(new QTimer(this))
{
    m_clock.start();
    m_expiryTimer->setSingleShot(true);
    // A coarse timer may fire 5 % early, only to find nothing due yet.
    m_expiryTimer->setTimerType(Qt::PreciseTimer);
    connect(m_expiryTimer, &QTimer::timeout, this, &TypingTracker::expire);
}

TypingTracker::~TypingTracker() = default;

void TypingTracker::setTimeout(int ms)
{
    m_timeoutMs = ms;
}

QStringList TypingTracker::typists(const QString &room) const
{
    QStringList users;
    for (const Typing &typing : m_typing) {
        if (typing.room == room)
            users.append(typing.uid);
    }
    users.sort();
    users.erase(std::unique(users.begin(), users.end()), users.end());
    return users;
}

template<typename Change> void TypingTracker::changeRooms(const QStringList &rooms, Change change)
{
    QList<QStringList> before;
    for (const QString &room : rooms)
        before.append(typists(room));
    change();
    for (qsizetype i = 0; i < rooms.size(); ++i) {
        const QStringList after = typists(rooms.at(i));
        if (after != before.at(i))
            Q_EMIT typistsChanged(rooms.at(i), before.at(i), after);
    }
}

void TypingTracker::setTyping(const ClientConnection *connection, const QString &uid,
                              const QString &room, bool typing)
{
    const auto it = m_typing.constFind(connection);
    const QString previousRoom = it == m_typing.constEnd() ? QString() : it->room;
    QStringList rooms = {room};
    if (!previousRoom.isEmpty() && previousRoom != room)
        rooms.append(previousRoom);
    changeRooms(rooms, [this, connection, uid, room, typing, &previousRoom] {
        if (typing) {
            m_typing.insert(connection, {uid, room, m_clock.elapsed() + m_timeoutMs});
        } else if (previousRoom == room) {
            // Stopping in a room other than the one typed in changes nothing.
            m_typing.remove(connection);
        }
    });
    scheduleExpiry();
}

void TypingTracker::remove(const ClientConnection *connection)
{
    const auto it = m_typing.constFind(connection);
    if (it == m_typing.constEnd())
        return;
    changeRooms({it->room}, [this, connection] { m_typing.remove(connection); });
    scheduleExpiry();
}

void TypingTracker::expire()
{
    const qint64 now = m_clock.elapsed();
    QStringList rooms;
    for (const Typing &typing : std::as_const(m_typing)) {
        if (typing.deadlineMs <= now && !rooms.contains(typing.room))
            rooms.append(typing.room);
    }
    changeRooms(rooms, [this, now] {
        m_typing.removeIf([now](const auto &entry) { return entry.value().deadlineMs <= now; });
    });
    scheduleExpiry();
}

void TypingTracker::scheduleExpiry()
{
    if (m_typing.isEmpty()) {
        m_expiryTimer->stop();
        return;
    }
    // Every deadline is "now + timeout" when set, so only an idle timer can be late; one
    // running for an earlier deadline reschedules when it fires.
    if (m_expiryTimer->isActive())
        return;
    qint64 earliest = std::numeric_limits<qint64>::max();
    for (const Typing &typing : std::as_const(m_typing))
        earliest = std::min(earliest, typing.deadlineMs);
    const qint64 wait = std::max<qint64>(earliest - m_clock.elapsed(), 0);
    m_expiryTimer->start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
}

} // namespace lifeline::server
