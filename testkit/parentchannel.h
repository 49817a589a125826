#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace lifeline::testkit {

// A child process's side of the pipe its parent drives it through (the benchmarks' WorkerPool,
// the chaos soak's ClientProcess): lines from the parent on stdin, lines to it on stdout.
class ParentChannel : public QObject
{
    Q_OBJECT
public:
    explicit ParentChannel(QObject *parent = nullptr);
    ~ParentChannel() override;

    // Writes line and a newline to stdout at once.
    static void send(const QByteArray &line);

Q_SIGNALS:
    // The parent wrote line (without its newline).
    void lineReceived(const QByteArray &line);
    // The parent closed stdin (WorkerPool::finish(), or it died): time to exit.
    void closed();

private:
    void readInput();

    QSocketNotifier *m_notifier;
    QByteArray m_buffer;
};

} // namespace lifeline::testkit
