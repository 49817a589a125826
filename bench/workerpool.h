#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QStringList>

class QProcess;

// Copies of this benchmark started again in worker mode, each a process of its own, so that the
// clients they run share neither an event loop nor a core with the side that measures. Each
// worker writes lines on stdout (lineReceived()) and reads lines on stdin (sendToAll()); it ends
// when its stdin closes. A worker never outlives the pool, nor this process if it dies first.
class WorkerPool : public QObject
{
    Q_OBJECT
public:
    explicit WorkerPool(QObject *parent = nullptr);
    // finish() with a short bound.
    ~WorkerPool() override;

    // Starts one more worker: this program with arguments.
    void start(const QStringList &arguments);
    qsizetype size() const { return m_workers.size(); }
    // Writes line and a newline to every worker's stdin.
    void sendToAll(const QByteArray &line);
    // Whether a worker exited before finish(); *why says which and how.
    bool anyExited(QString *why) const;
    // Closes every worker's stdin and waits up to timeoutMs for them to exit; kills the rest.
    // False if one had to be killed or exited with an error.
    bool finish(int timeoutMs);

Q_SIGNALS:
    // Worker number worker (in start() order) wrote line (without its newline).
    void lineReceived(int worker, const QByteArray &line);

private:
    void readLines(int worker);

    QList<QProcess *> m_workers;
};
