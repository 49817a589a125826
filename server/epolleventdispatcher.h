#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>
#include <QMultiHash>
#include <QSet>

#include <atomic>
#include <chrono>
#include <map>
#include <vector>

namespace lifeline::server {

// The server's event loop on Linux epoll. Qt 6.4 has only poll()-based loops (its own and
// GLib's); poll() hands the kernel every watched socket on each turn, so a turn costs
// O(connections) even when one socket has something to say (docs/benchmarks.md measures what
// that cost in the fan-out benchmark); epoll only reports the sockets that are ready.
//
// Timers are kept in due order, so finding the next one is O(1) however many connections each
// hold theirs. Every timer fires at its time, never early: coarse timers are treated as
// precise, which their contract allows. Install with QCoreApplication::setEventDispatcher()
// before the application object exists, or QThread::setEventDispatcher() before the thread
// starts; one per thread.
//
// Besides Qt's socket notifiers it reports to Watchers: code that reads and writes a
// descriptor itself (the fan-out benchmark's thousands of clients, RawWebSocketPeer) hears of
// readiness straight from epoll_wait(), without a QSocketNotifier and without a QEvent for each
// report. Either kind watches a descriptor, never both.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    // Told by the loop what epoll reported for its descriptor.
    class Watcher
    {
    public:
        // epollEvents: EPOLLIN, EPOLLOUT (while write interest is on), EPOLLHUP, EPOLLERR.
        // Level-triggered, as a notifier is: what is left unread is reported again next turn;
        // and like a notifier, not called in a turn that excludes socket notifiers. May watch,
        // unwatch or change any descriptor, its own included.
        virtual void ready(quint32 epollEvents) = 0;

    protected:
        ~Watcher() = default;
    };

    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // Reports fd to watcher for reading (and hang-up and errors), and for writing too while
    // wantWrite; from this dispatcher's thread only. False with errno set when epoll refuses
    // (EPERM: a regular file) or fd is watched already (EEXIST), by a watcher or a notifier.
    // unwatch() before closing fd.
    bool watch(int fd, Watcher *watcher, bool wantWrite);
    // False with errno set when fd is not watched (ENOENT) or epoll refuses.
    bool setWantWrite(int fd, bool wantWrite);
    // No report for fd from now on, not even one taken from epoll earlier in the same turn.
    void unwatch(int fd);

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    // These two may be called from any thread.
    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;

    // The notifiers on one descriptor, by QSocketNotifier::Type.
    struct Watch
    {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr};
    };

    struct Timer
    {
        qint64 interval = 0; // ms
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        std::multimap<Clock::time_point, int>::iterator due;
        bool firing = false; // its event is being delivered; a nested loop does not fire it
    };

    // A descriptor a Watcher watches. The serial tells this watch from an earlier one on the
    // same descriptor number, whose report may still be in the batch being dispatched.
    struct WatcherEntry
    {
        Watcher *watcher = nullptr;
        quint32 serial = 0;
    };

    // Adds, changes or removes fd in the epoll set to match its notifiers.
    void updateInterest(int fd, const Watch &watch, bool wasWatched);
    bool isWatched(int fd) const;
    // Calls the watcher of an epoll report whose data is `data`, if it is still watched.
    bool dispatchToWatcher(quint64 data, quint32 epollEvents);
    int waitTimeoutMs(bool canWait) const;
    int activateSocketNotifiers();
    int activateTimers();
    void consumeWakeUps();

    int m_epoll = -1;
    int m_wakeUpFd = -1; // an eventfd
    std::atomic<bool> m_wakeUpPending {false};
    std::atomic<bool> m_interrupted {false};

    QHash<int, Watch> m_watches;
    // By descriptor number, which the kernel keeps small: a lookup per report costs an index.
    std::vector<WatcherEntry> m_watchers;
    quint32 m_lastWatcherSerial = 0;
    // Descriptors epoll refuses (regular files, /dev/null); poll() calls them always ready.
    QSet<int> m_unpollable;
    QList<QSocketNotifier *> m_pendingNotifiers;

    QHash<int, Timer> m_timers;
    std::multimap<Clock::time_point, int> m_timersByDue;
    QMultiHash<QObject *, int> m_timersByObject;
};

} // namespace lifeline::server
