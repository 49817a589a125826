#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QProcess;

namespace lifeline::bench {

// Copies of this benchmark started again in worker mode, each a process of its own, so that the
// clients they run share neither an event loop nor a core with the side that measures. Each
// worker writes lines on stdout (lineReceived()) and reads lines on stdin (send(), sendToAll();
// ParentChannel is its side of this); it ends when its stdin closes. A worker never outlives the
// pool, nor this process if it dies first.
class WorkerPool : public QObject
{
    Q_OBJECT
public:
    explicit WorkerPool(QObject *parent = nullptr);
    // finish() with a bound long enough for a worker to close thousands of sockets.
    ~WorkerPool() override;

    // Starts one more worker: this program with arguments; false with the reason in *error.
    bool start(const QStringList &arguments, QString *error);
    // Starts workers for the clients numbered from first up to end, their shares as even as
    // at most `processes` workers make them: each gets arguments and --first F --count C (read
    // by BenchCommandLine). The number started, or 0 with the reason in *error.
    int startShares(int first, int end, int processes, const QStringList &arguments,
                    QString *error);
    int size() const { return int(m_workers.size()); }
    // Writes line and a newline to the stdin of worker number worker (in start() order).
    void send(int worker, const QByteArray &line);
    void sendToAll(const QByteArray &line);
    // Why a worker ended before finish(); empty while they all run.
    QString failure() const { return m_failure; }
    // Runs the event loop until done() holds (true), or a worker ended or timeoutMs passed:
    // false, with failure() or "gave up after N s waiting for `what`" in *error.
    bool waitUntil(const std::function<bool()> &done, int timeoutMs, const QString &what,
                   QString *error) const;
    // The workers' process ids, for their CPU time.
    QList<qint64> processIds() const;
    // Closes every worker's stdin and waits up to timeoutMs for them to exit; kills the rest.
    // False if one had to be killed or exited with an error.
    bool finish(int timeoutMs);

Q_SIGNALS:
    // Worker number worker (in start() order) wrote line (without its newline).
    void lineReceived(int worker, const QByteArray &line);

private:
    void readLines(int worker);
    void workerExited(int worker);

    QList<QProcess *> m_workers;
    QString m_failure;
    bool m_finishing = false;
};

} // namespace lifeline::bench
