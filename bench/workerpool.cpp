#include "workerpool.h"

#include "eventloop.h"

#include <QCoreApplication>
#include <QProcess>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

constexpr int DestructorWaitMs = 5000;

} // namespace

WorkerPool::WorkerPool(QObject *parent)
    : QObject(parent)
{ }

WorkerPool::~WorkerPool()
{
    finish(DestructorWaitMs);
}

void WorkerPool::start(const QStringList &arguments)
{
    auto *worker = new QProcess(this);
    const int index = int(m_workers.size());
    m_workers.append(worker);
    worker->setProgram(QCoreApplication::applicationFilePath());
    worker->setArguments(arguments);
    worker->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // A worker holds thousands of sockets; GLib's event loop walks a list of all of them each time
    // one starts or stops waiting to write (see lifeline-server's main.cpp).
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_NO_GLIB"), QStringLiteral("1"));
    worker->setProcessEnvironment(environment);
    // A benchmark that crashes or is killed by its time bound must not leave thousands of
    // sockets behind.
    const pid_t parentPid = ::getpid();
    worker->setChildProcessModifier([parentPid] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parentPid)
            ::_exit(1);
    });
    connect(worker, &QProcess::readyReadStandardOutput, this, [this, index] { readLines(index); });
    worker->start();
}

void WorkerPool::sendToAll(const QByteArray &line)
{
    for (QProcess *worker : std::as_const(m_workers))
        worker->write(line + '\n');
}

bool WorkerPool::anyExited(QString *why) const
{
    for (qsizetype i = 0; i < m_workers.size(); ++i) {
        const QProcess *worker = m_workers.at(i);
        if (worker->state() != QProcess::NotRunning)
            continue;
        *why = worker->error() == QProcess::FailedToStart
            ? QStringLiteral("worker %1 did not start: %2").arg(i).arg(worker->errorString())
            : QStringLiteral("worker %1 exited early (%2 %3)")
                  .arg(i)
                  .arg(worker->exitStatus() == QProcess::CrashExit
                           ? QStringLiteral("crashed, signal")
                           : QStringLiteral("exit code"))
                  .arg(worker->exitCode());
        return true;
    }
    return false;
}

bool WorkerPool::finish(int timeoutMs)
{
    for (QProcess *worker : std::as_const(m_workers))
        worker->closeWriteChannel();
    const auto allExited = [this] {
        return std::all_of(m_workers.cbegin(), m_workers.cend(), [](const QProcess *worker) {
            return worker->state() == QProcess::NotRunning;
        });
    };
    const bool exited = lifeline::bench::spin(allExited, timeoutMs);
    bool clean = exited;
    for (QProcess *worker : std::as_const(m_workers)) {
        if (worker->state() != QProcess::NotRunning) {
            worker->kill();
            worker->waitForFinished(DestructorWaitMs);
        } else if (worker->exitStatus() != QProcess::NormalExit || worker->exitCode() != 0) {
            clean = false;
        }
    }
    qDeleteAll(m_workers);
    m_workers.clear();
    return clean;
}

void WorkerPool::readLines(int worker)
{
    QProcess *process = m_workers.value(worker);
    if (!process)
        return;
    while (process->canReadLine()) {
        QByteArray line = process->readLine();
        line.chop(1);
        Q_EMIT lineReceived(worker, line);
    }
}
