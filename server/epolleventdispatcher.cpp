#include "epolleventdispatcher.h"

#include "loggingcategories_p.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <climits>
#include <cstring>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace lifeline::server {

namespace {

// Ready descriptors taken per wait; more stay ready and come in the next turn (level-triggered).
constexpr int MaxEventsPerWait = 512;

// A notifier's descriptor goes into epoll's data as itself (data.fd, the low 32 bits); a
// watcher's as its descriptor, its serial in bits 32 to 62, and this bit.
constexpr quint64 WatcherBit = quint64(1) << 63;
constexpr quint32 SerialMask = 0x7fffffff;

epoll_event watcherEvent(int fd, quint32 serial, bool wantWrite)
{
    epoll_event event {};
    event.events = wantWrite ? EPOLLIN | EPOLLOUT : EPOLLIN;
    event.data.u64 = WatcherBit | (quint64(serial) << 32) | quint32(fd);
    return event;
}

const char *typeName(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return "Read";
    case QSocketNotifier::Write:
        return "Write";
    case QSocketNotifier::Exception:
        return "Exception";
    }
    return "?";
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wakeUpFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    if (m_epoll == -1 || m_wakeUpFd == -1)
        qFatal("cannot create the event loop's epoll set or eventfd: %s", std::strerror(errno));
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_wakeUpFd;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeUpFd, &event) == -1)
        qFatal("cannot watch the event loop's eventfd: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeUpFd);
    ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    Q_EMIT awake();
    // Whatever is posted from here on wakes the wait below through wakeUp().
    QCoreApplication::sendPostedEvents();

    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load();
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.load())
        return false;

    const int timeoutMs = waitTimeoutMs(canWait);
    int activated = 0;
    if (includeNotifiers) {
        epoll_event events[MaxEventsPerWait];
        const int ready = ::epoll_wait(m_epoll, events, MaxEventsPerWait, timeoutMs);
        if (ready == -1 && errno != EINTR)
            qCWarning(lcServer, "epoll_wait failed: %s", std::strerror(errno));
        for (int i = 0; i < ready; ++i) {
            // Called from here, in epoll's order; notifiers get their events after the batch.
            if (events[i].data.u64 & WatcherBit) {
                activated += dispatchToWatcher(events[i].data.u64, events[i].events);
                continue;
            }
            const int fd = events[i].data.fd;
            if (fd == m_wakeUpFd) {
                consumeWakeUps();
                continue;
            }
            const auto watch = m_watches.constFind(fd);
            if (watch == m_watches.cend())
                continue;
            const uint32_t what = events[i].events;
            // As poll() reports them: a hang-up or error wakes readers and writers alike, who
            // then find out from their read or write.
            if (QSocketNotifier *reader = watch->notifiers[QSocketNotifier::Read];
                reader && (what & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                m_pendingNotifiers.append(reader);
            if (QSocketNotifier *writer = watch->notifiers[QSocketNotifier::Write];
                writer && (what & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
                m_pendingNotifiers.append(writer);
            if (QSocketNotifier *exception = watch->notifiers[QSocketNotifier::Exception];
                exception && (what & EPOLLPRI))
                m_pendingNotifiers.append(exception);
        }
        activated += activateSocketNotifiers();
    } else {
        // Only the wake-up and the timers count; the sockets stay ready for a later turn.
        pollfd wake {m_wakeUpFd, POLLIN, 0};
        if (::poll(&wake, 1, timeoutMs) == 1)
            consumeWakeUps();
    }
    if (!(flags & QEventLoop::X11ExcludeTimers))
        activated += activateTimers();
    return activated > 0;
}

int EpollEventDispatcher::waitTimeoutMs(bool canWait) const
{
    if (!canWait || !m_unpollable.isEmpty())
        return 0;
    if (m_timersByDue.empty())
        return -1;
    const auto left = m_timersByDue.begin()->first - Clock::now();
    if (left <= Clock::duration::zero())
        return 0;
    // Rounded up: waking before the timer is due would only mean a second, empty wait.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return ms > INT_MAX ? INT_MAX : int(ms);
}

int EpollEventDispatcher::activateSocketNotifiers()
{
    // poll() calls a descriptor that epoll cannot watch (a regular file, /dev/null) always
    // ready; so does this loop.
    for (auto it = m_unpollable.cbegin(); it != m_unpollable.cend(); ++it) {
        const Watch &watch = m_watches.value(*it);
        for (QSocketNotifier *notifier : watch.notifiers) {
            if (notifier && notifier->type() != QSocketNotifier::Exception)
                m_pendingNotifiers.append(notifier);
        }
    }
    int activated = 0;
    // A notifier unregistered meanwhile (deleted, disabled) leaves this list in
    // unregisterSocketNotifier(), so what is left here still exists.
    while (!m_pendingNotifiers.isEmpty()) {
        QSocketNotifier *notifier = m_pendingNotifiers.takeFirst();
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    return activated;
}

void EpollEventDispatcher::consumeWakeUps()
{
    // Cleared before the read: a wakeUp() from now on writes again and wakes the next wait.
    m_wakeUpPending.store(false);
    eventfd_t count = 0;
    ::eventfd_read(m_wakeUpFd, &count);
}

bool EpollEventDispatcher::dispatchToWatcher(quint64 data, quint32 epollEvents)
{
    const int fd = int(quint32(data));
    const quint32 serial = quint32(data >> 32) & SerialMask;
    // Unwatched earlier in this batch, maybe watched again since by another watcher.
    if (size_t(fd) >= m_watchers.size() || m_watchers[size_t(fd)].serial != serial)
        return false;
    Watcher *watcher = m_watchers[size_t(fd)].watcher;
    if (!watcher)
        return false;
    watcher->ready(epollEvents);
    return true;
}

bool EpollEventDispatcher::isWatched(int fd) const
{
    return size_t(fd) < m_watchers.size() && m_watchers[size_t(fd)].watcher;
}

bool EpollEventDispatcher::watch(int fd, Watcher *watcher, bool wantWrite)
{
    Q_ASSERT(watcher);
    if (fd < 0) {
        errno = EBADF;
        return false;
    }
    if (isWatched(fd) || m_watches.contains(fd)) {
        errno = EEXIST;
        return false;
    }
    // Never 0, the serial of an entry no watcher ever had.
    m_lastWatcherSerial = (m_lastWatcherSerial % SerialMask) + 1;
    epoll_event event = watcherEvent(fd, m_lastWatcherSerial, wantWrite);
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0)
        return false;
    if (size_t(fd) >= m_watchers.size())
        m_watchers.resize(size_t(fd) + 1);
    m_watchers[size_t(fd)] = {watcher, m_lastWatcherSerial};
    return true;
}

bool EpollEventDispatcher::setWantWrite(int fd, bool wantWrite)
{
    if (!isWatched(fd)) {
        errno = ENOENT;
        return false;
    }
    epoll_event event = watcherEvent(fd, m_watchers[size_t(fd)].serial, wantWrite);
    return ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) == 0;
}

void EpollEventDispatcher::unwatch(int fd)
{
    if (!isWatched(fd))
        return;
    // The serial stays: it is what tells a report for the old watch from one for the next.
    m_watchers[size_t(fd)].watcher = nullptr;
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto type = notifier->type();
    if (isWatched(fd)) {
        qCWarning(lcServer, "descriptor %d has a watcher; its %s socket notifier is ignored", fd,
                  typeName(type));
        return;
    }
    const bool wasWatched = m_watches.contains(fd);
    Watch &watch = m_watches[fd];
    if (watch.notifiers[type] && watch.notifiers[type] != notifier)
        qCWarning(lcServer, "two socket notifiers for descriptor %d and type %s; the second wins",
                  fd, typeName(type));
    watch.notifiers[type] = notifier;
    updateInterest(fd, watch, wasWatched);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_pendingNotifiers.removeAll(notifier);
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || it->notifiers[notifier->type()] != notifier)
        return;
    it->notifiers[notifier->type()] = nullptr;
    const Watch watch = *it;
    updateInterest(fd, watch, true);
}

void EpollEventDispatcher::updateInterest(int fd, const Watch &watch, bool wasWatched)
{
    uint32_t interest = 0;
    if (watch.notifiers[QSocketNotifier::Read])
        interest |= EPOLLIN;
    if (watch.notifiers[QSocketNotifier::Write])
        interest |= EPOLLOUT;
    if (watch.notifiers[QSocketNotifier::Exception])
        interest |= EPOLLPRI;
    if (interest == 0) {
        m_watches.remove(fd);
        // The descriptor may be closed already (EBADF) and so gone from the set; nothing to do.
        if (!m_unpollable.remove(fd))
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        return;
    }
    if (m_unpollable.contains(fd))
        return;
    epoll_event event {};
    event.events = interest;
    event.data.fd = fd;
    int operation = wasWatched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (::epoll_ctl(m_epoll, operation, fd, &event) == 0)
        return;
    // A descriptor closed while watched leaves the epoll set by itself, and its number may
    // come back as a new socket; the set then disagrees with m_watches either way.
    if (errno == ENOENT || errno == EEXIST) {
        operation = errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (::epoll_ctl(m_epoll, operation, fd, &event) == 0)
            return;
    }
    if (errno == EPERM) {
        m_unpollable.insert(fd);
        return;
    }
    qCWarning(lcServer, "cannot watch descriptor %d: %s", fd, std::strerror(errno));
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer timer;
    timer.interval = interval;
    timer.type = timerType;
    timer.object = object;
    timer.due = m_timersByDue.emplace(Clock::now() + std::chrono::milliseconds(interval), timerId);
    m_timers.insert(timerId, timer);
    m_timersByObject.insert(object, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_timersByDue.erase(it->due);
    m_timersByObject.remove(it->object, timerId);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const QList<int> ids = m_timersByObject.values(object);
    for (int id : ids)
        unregisterTimer(id);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> infos;
    for (auto it = m_timersByObject.constFind(object);
         it != m_timersByObject.cend() && it.key() == object; ++it) {
        const Timer &timer = m_timers[*it];
        infos.append(TimerInfo(*it, int(timer.interval), timer.type));
    }
    return infos;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    const auto left = it->due->first - Clock::now();
    if (left <= Clock::duration::zero())
        return 0;
    return int(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

int EpollEventDispatcher::activateTimers()
{
    if (m_timersByDue.empty())
        return 0;
    const auto now = Clock::now();
    // Only what is due now: a timer that a slot starts, restarts or that has interval 0 waits
    // for the next turn, so that one cannot keep this loop from the sockets.
    QList<int> due;
    for (auto it = m_timersByDue.cbegin(); it != m_timersByDue.cend() && it->first <= now; ++it)
        due.append(it->second);
    int activated = 0;
    for (int id : std::as_const(due)) {
        const auto it = m_timers.find(id);
        // Killed by an earlier slot, restarted (a later due), or in a loop its own slot runs.
        if (it == m_timers.end() || it->due->first > now || it->firing)
            continue;
        // The next due is set before the event, so that the slot may kill or restart the timer.
        // A timer that fell behind does not fire a burst to catch up.
        const auto interval = std::chrono::milliseconds(it->interval);
        auto next = it->due->first + interval;
        if (next < now)
            next = now + interval;
        m_timersByDue.erase(it->due);
        it->due = m_timersByDue.emplace(next, id);
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++activated;
        // Looked up again: the slot may have killed it, or started others and so moved it.
        if (const auto after = m_timers.find(id); after != m_timers.end())
            after->firing = false;
    }
    return activated;
}

void EpollEventDispatcher::wakeUp()
{
    if (!m_wakeUpPending.exchange(true))
        ::eventfd_write(m_wakeUpFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

} // namespace lifeline::server
