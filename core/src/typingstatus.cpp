#include "typingstatus.h"

#include "messagelink.h"
#include "protocol.h"

#include <QTimer>

namespace lifeline {

namespace {

const QString TypingFeature = QStringLiteral("typing");

} // namespace

TypingStatus::TypingStatus(MessageLink &link, QObject *parent)
    : TypingStatus(link, Timing(), parent)
{ }

TypingStatus::TypingStatus(MessageLink &link, Timing timing, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_timing(timing)
{ }

QStringList TypingStatus::linkDown()
{
    m_up = false;
    for (Own &own : m_own) {
        own.active = false;
        if (own.idle)
            own.idle->stop();
    }
    const QStringList rooms = m_typists.keys();
    m_typists.clear();
    return rooms;
}

void TypingStatus::setTyping(const QString &room, bool typing)
{
    if (!m_up || room.isEmpty())
        return; // volatile: nothing is kept for later
    Own &own = m_own[room];
    const bool throttled = m_link.throttledFeatures().contains(TypingFeature);
    if (!typing) {
        if (own.idle)
            own.idle->stop();
        if (own.active && !throttled)
            m_link.send(protocol::typing(room, false));
        own.active = false;
        return;
    }
    if (!own.idle) {
        own.idle = new QTimer(this);
        own.idle->setSingleShot(true);
        // A coarse timer may fire 5 % early; "after 5 s of no typing" means 5 s.
        own.idle->setTimerType(Qt::PreciseTimer);
        own.idle->setInterval(m_timing.idleMs);
        connect(own.idle, &QTimer::timeout, this, [this, room] { setTyping(room, false); });
    }
    own.idle->start();
    if (throttled)
        return; // the server asked for none
    if (!own.active || own.lastStart.elapsed() >= m_timing.repeatMs) {
        m_link.send(protocol::typing(room, true));
        own.active = true;
        own.lastStart.start();
    }
}

bool TypingStatus::apply(const protocol::Frame &frame)
{
    const QString room = frame.text(QStringLiteral("room"));
    QStringList users = frame.stringList(QStringLiteral("users"));
    users.removeAll(m_user);
    users.sort();
    if (m_typists.value(room) == users)
        return false;
    if (users.isEmpty())
        m_typists.remove(room);
    else
        m_typists.insert(room, users);
    return true;
}

} // namespace lifeline
