#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

class QProcess;

// The coordinator's side of the worker processes of bench_fanout (this program started again
// with --worker; fanoutworker.h has the commands): starts them, sends them commands, collects
// the lines they answer with, and ends them at the end whatever happened, so that no client
// outlives the run.
class FanoutWorkerPool : public QObject
{
    Q_OBJECT
public:
    struct Line
    {
        int worker = 0;
        QList<QByteArray> fields;
    };

    explicit FanoutWorkerPool(QObject *parent = nullptr);
    // Kills the workers that are still there.
    ~FanoutWorkerPool() override;

    // Starts `count` workers whose clients connect to url; false with the reason in *error.
    bool start(int count, const QUrl &url, int connectBurst, QString *error);
    int size() const { return int(m_workers.size()); }
    void send(int worker, const QByteArray &line);
    void sendAll(const QByteArray &line);
    // The lines the workers wrote since the last call, in the order they came.
    QList<Line> takeLines();
    // Why a worker ended before stop(); empty while they all run.
    QString failure() const { return m_failure; }
    // The workers' process ids, for their CPU time.
    QList<qint64> processIds() const;
    // Closes their stdin, which ends them; kills those that do not exit in time.
    void stop();

private:
    void readWorker(int worker);

    QList<QProcess *> m_workers;
    QList<QByteArray> m_buffers;
    QList<Line> m_lines;
    QString m_failure;
    bool m_stopping = false;
};
