#include "pingtracker.h"

#include "errors.h"

#include <QTimer>

namespace lifeline {

PingTracker::PingTracker(QObject *parent)
    : QObject(parent)
{ }

PingTracker::~PingTracker()
{
    // Quietly: whoever waits is going away with the connection.
    for (const Pending &ping : std::as_const(m_pending))
        delete ping.timer;
}

qint64 PingTracker::add(Success onSuccess, Failure onError, std::chrono::milliseconds timeout)
{
    const qint64 id = m_nextId++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id, timeout] {
        const Pending ping = m_pending.take(id);
        ping.timer->deleteLater();
        if (ping.onError)
            ping.onError(errors::pingTimeout(int(timeout.count())));
    });
    m_pending.insert(id, {std::move(onSuccess), std::move(onError), timer});
    timer->start(timeout);
    return id;
}

void PingTracker::answer(qint64 id)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    const Pending ping = it.value();
    m_pending.erase(it);
    delete ping.timer;
    if (ping.onSuccess)
        ping.onSuccess();
}

void PingTracker::failAll(const ChatError &error)
{
    const auto pending = std::exchange(m_pending, {});
    for (const Pending &ping : pending)
        delete ping.timer;
    // Called last: a callback may delete the connection, and this with it.
    for (const Pending &ping : pending) {
        if (ping.onError)
            ping.onError(error);
    }
}

} // namespace lifeline
