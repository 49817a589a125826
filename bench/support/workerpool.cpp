#include "workerpool.h"

#include "waitfor.h"

#include <QCoreApplication>
#include <QProcess>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace lifeline::bench {

namespace {

// Closing 9,000 sockets takes a moment; this only bounds a hung worker.
constexpr int DestructorWaitMs = 10000;

} // namespace

WorkerPool::WorkerPool(QObject *parent)
    : QObject(parent)
{ }

WorkerPool::~WorkerPool()
{
    finish(DestructorWaitMs);
}

bool WorkerPool::start(const QStringList &arguments, QString *error)
{
    auto *worker = new QProcess(this);
    const int index = int(m_workers.size());
    m_workers.append(worker);
    worker->setProgram(QCoreApplication::applicationFilePath());
    worker->setArguments(arguments);
    worker->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // A worker holds thousands of sockets; GLib's event loop walks a list of all of them each time
    // one starts or stops waiting to write (see lifeline-server's main.cpp), and costs more per
    // turn than Qt's own.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_NO_GLIB"), QStringLiteral("1"));
    worker->setProcessEnvironment(environment);
    // A benchmark that crashes, is stopped with ^C or is killed by its time bound must not leave
    // thousands of clients behind.
    const pid_t parentPid = ::getpid();
    worker->setChildProcessModifier([parentPid] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parentPid)
            ::_exit(1);
    });
    connect(worker, &QProcess::readyReadStandardOutput, this, [this, index] { readLines(index); });
    connect(worker, &QProcess::finished, this, [this, index] { workerExited(index); });
    worker->start();
    if (!worker->waitForStarted()) {
        *error = QStringLiteral("cannot start worker %1 (%2): %3")
                     .arg(index)
                     .arg(worker->program(), worker->errorString());
        return false;
    }
    return true;
}

int WorkerPool::startShares(int first, int end, int processes, const QStringList &arguments,
                            QString *error)
{
    const int share = (end - first + processes - 1) / processes;
    int started = 0;
    for (int from = first; from < end; from += share, ++started) {
        if (!start(arguments
                       + QStringList {QStringLiteral("--first"), QString::number(from),
                                      QStringLiteral("--count"),
                                      QString::number(std::min(share, end - from))},
                   error))
            return 0;
    }
    return started;
}

void WorkerPool::send(int worker, const QByteArray &line)
{
    m_workers.at(worker)->write(line + '\n');
}

void WorkerPool::sendToAll(const QByteArray &line)
{
    for (int i = 0; i < size(); ++i)
        send(i, line);
}

bool WorkerPool::waitUntil(const std::function<bool()> &done, int timeoutMs, const QString &what,
                           QString *error) const
{
    if (testkit::waitFor([&] { return done() || !m_failure.isEmpty(); }, timeoutMs)
        && m_failure.isEmpty())
        return true;
    *error = !m_failure.isEmpty()
        ? m_failure
        : QStringLiteral("gave up after %1 s waiting for %2").arg(timeoutMs / 1000).arg(what);
    return false;
}

QList<qint64> WorkerPool::processIds() const
{
    QList<qint64> ids;
    for (const QProcess *worker : m_workers)
        ids.append(worker->processId());
    return ids;
}

bool WorkerPool::finish(int timeoutMs)
{
    m_finishing = true;
    for (QProcess *worker : std::as_const(m_workers))
        worker->closeWriteChannel();
    const auto allExited = [this] {
        return std::all_of(m_workers.cbegin(), m_workers.cend(), [](const QProcess *worker) {
            return worker->state() == QProcess::NotRunning;
        });
    };
    bool clean = testkit::waitFor(allExited, timeoutMs);
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
    QProcess *process = m_workers.at(worker);
    // The run is over: nobody waits for these lines, and when the destructor finishes, those
    // who did may be gone already.
    if (m_finishing) {
        process->readAllStandardOutput();
        return;
    }
    while (process->canReadLine()) {
        QByteArray line = process->readLine();
        line.chop(1);
        Q_EMIT lineReceived(worker, line);
    }
}

void WorkerPool::workerExited(int worker)
{
    if (m_finishing || !m_failure.isEmpty())
        return;
    const QProcess *process = m_workers.at(worker);
    m_failure
        = QStringLiteral("worker %1 exited in the middle of the run (%2 %3); its messages "
                         "above say why")
              .arg(worker)
              .arg(process->exitStatus() == QProcess::CrashExit ? QStringLiteral("crashed, signal")
                                                                : QStringLiteral("exit code"))
              .arg(process->exitCode());
}

} // namespace lifeline::bench
