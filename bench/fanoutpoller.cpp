#include "fanoutpoller.h"

#include "fanoutconnection.h"

#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <unistd.h>

namespace lifeline::bench {

namespace {

// Sockets handled per turn of the event loop: enough to take a burst at once, few enough that
// the senders' and the lag timer's timeouts are not held up behind thousands of frames.
constexpr int MaxEventsPerTurn = 256;
// The most one recv() takes: a whole presence list of thousands of names in one go.
constexpr size_t ReadBufferBytes = 256 * 1024;

epoll_event eventsFor(FanoutConnection *connection, bool wantWrite)
{
    epoll_event event {};
    event.events = wantWrite ? EPOLLIN | EPOLLOUT : EPOLLIN;
    event.data.ptr = connection;
    return event;
}

} // namespace

FanoutPoller::FanoutPoller(QObject *parent)
    : QObject(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_readBuffer(ReadBufferBytes)
{
    if (m_epoll < 0) {
        m_error = QStringLiteral("cannot create an epoll set: %1")
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &FanoutPoller::dispatch);
}

FanoutPoller::~FanoutPoller()
{
    delete m_notifier;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool FanoutPoller::add(int fd, FanoutConnection *connection, bool wantWrite)
{
    epoll_event event = eventsFor(connection, wantWrite);
    return ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) == 0;
}

bool FanoutPoller::setWantWrite(int fd, FanoutConnection *connection, bool wantWrite)
{
    epoll_event event = eventsFor(connection, wantWrite);
    return ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) == 0;
}

void FanoutPoller::remove(int fd)
{
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void FanoutPoller::reportLater(FanoutConnection *connection)
{
    if (m_failed.empty())
        QTimer::singleShot(0, this, &FanoutPoller::reportFailures);
    m_failed.push_back(connection);
}

void FanoutPoller::forget(FanoutConnection *connection)
{
    m_failed.erase(std::remove(m_failed.begin(), m_failed.end(), connection), m_failed.end());
}

void FanoutPoller::dispatch()
{
    epoll_event events[MaxEventsPerTurn];
    const int ready = ::epoll_wait(m_epoll, events, MaxEventsPerTurn, 0);
    // A connection closed earlier in this batch is still there (the owner deletes none from a
    // callback) and ignores what was reported for its old socket.
    for (int i = 0; i < ready; ++i)
        static_cast<FanoutConnection *>(events[i].data.ptr)->handleEvents(events[i].events);
}

void FanoutPoller::reportFailures()
{
    // One at a time from the list itself: a listener's answer to one failure may open
    // connections that fail in turn (they join the list) or abort one still in it (it leaves).
    while (!m_failed.empty()) {
        FanoutConnection *connection = m_failed.front();
        m_failed.erase(m_failed.begin());
        connection->reportFailure();
    }
}

} // namespace lifeline::bench
