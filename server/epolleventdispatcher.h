#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>
#include <QMultiHash>
#include <QSet>

#include <atomic>
#include <chrono>
#include <map>

namespace lifeline::server {

// The server's event loop on Linux epoll. Qt 6.4 has only poll()-based loops (its own and
// GLib's); poll() hands the kernel every watched socket on each turn, so a turn costs
// O(connections) even when one socket has something to say (docs/benchmarks.md measures what
// that cost in the fan-out benchmark); epoll only reports the sockets that are ready.
//
// Timers are kept in due order, so finding the next one is O(1) however many connections each
// hold theirs. Every timer fires at its time, never early: coarse timers are treated as
// precise, which their contract allows. Install with QCoreApplication::setEventDispatcher()
// before the application object exists; one per thread.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

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

    // Adds, changes or removes fd in the epoll set to match its notifiers.
    void updateInterest(int fd, const Watch &watch, bool wasWatched);
    int waitTimeoutMs(bool canWait) const;
    int activateSocketNotifiers();
    int activateTimers();
    void consumeWakeUps();

    int m_epoll = -1;
    int m_wakeUpFd = -1; // an eventfd
    std::atomic<bool> m_wakeUpPending {false};
    std::atomic<bool> m_interrupted {false};

    QHash<int, Watch> m_watches;
    // Descriptors epoll refuses (regular files, /dev/null); poll() calls them always ready.
    QSet<int> m_unpollable;
    QList<QSocketNotifier *> m_pendingNotifiers;

    QHash<int, Timer> m_timers;
    std::multimap<Clock::time_point, int> m_timersByDue;
    QMultiHash<QObject *, int> m_timersByObject;
};

} // namespace lifeline::server
