#include "sessionlink.h"

#include "connectionstate.h"
#include "linksocket.h"
#include "loggingcategories_p.h"

#include <QPointer>

namespace lifeline {

SessionLink::SessionLink(LinkSocket *socket, std::function<void(const QString &)> dropLink,
                         QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_dropLink(std::move(dropLink))
{ }

bool SessionLink::send(const QString &frame)
{
    return m_up && m_socket->sendText(frame);
}

void SessionLink::reportViolation(const QString &details)
{
    if (!m_up)
        return; // the link it was about is gone already
    qCWarning(lcOutbox, "protocol violation: %s", qUtf8Printable(details));
    m_dropLink(details);
}

void SessionLink::addFrameHandler(FrameHandler *handler)
{
    if (!m_handlers.contains(handler))
        m_handlers.append(handler);
}

void SessionLink::removeFrameHandler(FrameHandler *handler)
{
    m_handlers.removeAll(handler);
}

void SessionLink::follow(const ConnectionState &state)
{
    m_throttled = state.throttled;
    if (state.isLinkUp() == m_up)
        return;
    m_up = state.isLinkUp();
    if (m_up)
        ++m_generation;
}

void SessionLink::announce()
{
    const QPointer<SessionLink> alive(this);
    if (m_announced != 0 && (!m_up || m_announced != m_generation)) {
        Q_EMIT down(std::exchange(m_announced, 0));
        if (!alive)
            return;
    }
    if (m_up && m_announced != m_generation) {
        m_announced = m_generation;
        Q_EMIT up(m_generation);
    }
}

void SessionLink::deliver(const protocol::Frame &frame)
{
    const QList<FrameHandler *> handlers = m_handlers;
    const QPointer<SessionLink> alive(this);
    const quint64 generation = m_generation;
    for (FrameHandler *handler : handlers) {
        if (!alive || !m_up || generation != m_generation || !m_handlers.contains(handler))
            return;
        handler->handleFrame(frame);
    }
}

} // namespace lifeline
