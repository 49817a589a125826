#pragma once

#include <lifeline/chaterror.h>

#include <QHash>
#include <QObject>

#include <chrono>
#include <functional>

class QTimer;

namespace lifeline {

// The app's pings (ConnectionManager::ping()) on their way: each is answered exactly once, by
// its pong, by its own timeout, or by the loss of the link it went out on.
class PingTracker : public QObject
{
    Q_OBJECT

public:
    using Success = std::function<void()>;
    using Failure = std::function<void(const ChatError &error)>;

    explicit PingTracker(QObject *parent = nullptr);
    ~PingTracker() override;

    // Registers a ping that fails with ERR_PING_TIMEOUT after `timeout`; returns the id for its
    // frame.
    qint64 add(Success onSuccess, Failure onError, std::chrono::milliseconds timeout);
    // The pong of `id` arrived; one that comes after its ping timed out is ignored.
    void answer(qint64 id);
    // Every ping still waiting fails with `error`.
    void failAll(const ChatError &error);

private:
    struct Pending
    {
        Success onSuccess;
        Failure onError;
        QTimer *timer = nullptr;
    };

    QHash<qint64, Pending> m_pending;
    qint64 m_nextId = 1;
};

} // namespace lifeline
