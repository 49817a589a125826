#include "fanoutworkerpool.h"

#include <QCoreApplication>
#include <QProcess>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

// Closing 9,000 sockets takes a moment; this only bounds a hung worker.
constexpr int ExitTimeoutMs = 10000;

} // namespace

FanoutWorkerPool::FanoutWorkerPool(QObject *parent)
    : QObject(parent)
{ }

FanoutWorkerPool::~FanoutWorkerPool()
{
    stop();
}

bool FanoutWorkerPool::start(int count, const QUrl &url, int connectBurst, QString *error)
{
    const pid_t parentPid = ::getpid();
    for (int i = 0; i < count; ++i) {
        auto *worker = new QProcess(this);
        worker->setProgram(QCoreApplication::applicationFilePath());
        worker->setArguments({QStringLiteral("--worker"), QStringLiteral("--url"), url.toString(),
                              QStringLiteral("--connect-burst"), QString::number(connectBurst)});
        worker->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // A coordinator that dies (a crash, ^C) must not leave thousands of clients behind.
        worker->setChildProcessModifier([parentPid] {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parentPid)
                ::_exit(1);
        });
        const int index = int(m_workers.size());
        connect(worker, &QProcess::readyReadStandardOutput, this,
                [this, index] { readWorker(index); });
        connect(worker, &QProcess::finished, this, [this, index](int exitCode) {
            if (!m_stopping && m_failure.isEmpty())
                m_failure = QStringLiteral("worker %1 exited with code %2 in the middle of the "
                                           "run; its messages above say why")
                                .arg(index)
                                .arg(exitCode);
        });
        m_workers.append(worker);
        m_buffers.append(QByteArray());
        worker->start();
        if (!worker->waitForStarted()) {
            *error = QStringLiteral("cannot start a worker process (%1): %2")
                         .arg(worker->program(), worker->errorString());
            return false;
        }
    }
    return true;
}

void FanoutWorkerPool::send(int worker, const QByteArray &line)
{
    m_workers.at(worker)->write(line + '\n');
}

void FanoutWorkerPool::sendAll(const QByteArray &line)
{
    for (int i = 0; i < m_workers.size(); ++i)
        send(i, line);
}

QList<FanoutWorkerPool::Line> FanoutWorkerPool::takeLines()
{
    return std::exchange(m_lines, {});
}

QList<qint64> FanoutWorkerPool::processIds() const
{
    QList<qint64> ids;
    for (const QProcess *worker : m_workers)
        ids.append(worker->processId());
    return ids;
}

void FanoutWorkerPool::stop()
{
    m_stopping = true;
    for (QProcess *worker : std::as_const(m_workers))
        worker->closeWriteChannel();
    for (QProcess *worker : std::as_const(m_workers)) {
        if (worker->state() != QProcess::NotRunning && !worker->waitForFinished(ExitTimeoutMs)) {
            worker->kill();
            worker->waitForFinished(ExitTimeoutMs);
        }
    }
    qDeleteAll(m_workers);
    m_workers.clear();
    m_buffers.clear();
}

void FanoutWorkerPool::readWorker(int worker)
{
    QByteArray &buffer = m_buffers[worker];
    buffer.append(m_workers.at(worker)->readAllStandardOutput());
    qsizetype start = 0;
    for (qsizetype end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n', start)) {
        const QByteArray line = buffer.mid(start, end - start).trimmed();
        start = end + 1;
        if (!line.isEmpty())
            m_lines.append({worker, line.split(' ')});
    }
    buffer.remove(0, start);
}
