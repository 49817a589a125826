#include "bundledserver.h"

#include "loggingcategories_p.h"

#include <QCoreApplication>
#include <QSignalBlocker>

#include <cstdio>
#include <signal.h>
#include <unistd.h>
#include <utility>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace lifeline::harness {

namespace {

// lifeline-server exits within milliseconds of SIGTERM; this only bounds a hung one.
constexpr int StopTimeoutMs = 5000;
constexpr int KillTimeoutMs = 5000;

const QByteArray ListeningPrefix = QByteArrayLiteral("listening ");
const QByteArray OkPrefix = QByteArrayLiteral("ok ");
const QByteArray ErrorPrefix = QByteArrayLiteral("error ");

// Splits off the complete lines in buffer and leaves a partial last line in it.
QList<QByteArray> takeLines(QByteArray *buffer)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    for (qsizetype end = buffer->indexOf('\n'); end != -1; end = buffer->indexOf('\n', start)) {
        lines.append(buffer->mid(start, end - start));
        start = end + 1;
    }
    buffer->remove(0, start);
    return lines;
}

// For a stop() that SIGTERM did not end, whether or not something waits for it.
void warnKillingAfterTerm()
{
    qCWarning(lcHarness, "lifeline-server did not exit within %d ms of SIGTERM; killing it",
              StopTimeoutMs);
}

} // namespace

BundledServer::BundledServer(QObject *parent)
    : QObject(parent)
    , m_program(defaultProgram())
{
    m_killTimer.setSingleShot(true);
    m_killTimer.setInterval(StopTimeoutMs);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        warnKillingAfterTerm();
        // Not kill(): a start() asked for meanwhile still follows.
        if (m_process)
            m_process->kill();
    });
}

BundledServer::~BundledServer()
{
    if (!m_process)
        return;
    // Whoever listened may be half destroyed already; the child must go all the same, and
    // before this object: there is no event loop left to report its end to.
    const QSignalBlocker blocker(this);
    QProcess *process = m_process;
    m_stopRequested = true;
    m_startPending = false;
    thaw();
    process->terminate();
    if (process->waitForFinished(StopTimeoutMs))
        return;
    warnKillingAfterTerm();
    process->kill();
    if (!process->waitForFinished(KillTimeoutMs))
        qCWarning(lcHarness, "lifeline-server did not exit within %d ms of SIGKILL", KillTimeoutMs);
}

QString BundledServer::defaultProgram()
{
    return QCoreApplication::applicationDirPath() + QStringLiteral("/lifeline-server");
}

void BundledServer::setProgram(const QString &program)
{
    m_program = program;
}

void BundledServer::setDataDirectory(const QString &directory)
{
    m_dataDirectory = directory;
}

void BundledServer::setExtraArguments(const QStringList &arguments)
{
    m_extraArguments = arguments;
}

void BundledServer::setPort(quint16 port)
{
    m_port = port;
}

qint64 BundledServer::processId() const
{
    return m_process ? m_process->processId() : 0;
}

void BundledServer::start()
{
    if (m_process && m_stopRequested) {
        m_startPending = true;
        return;
    }
    if (m_process) {
        qCWarning(lcHarness, "lifeline-server runs already (pid %lld)",
                  static_cast<long long>(m_process->processId()));
        return;
    }
    m_startPending = false;
    QStringList arguments = {QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                             QStringLiteral("--port"), QString::number(m_port)};
    if (!m_dataDirectory.isEmpty())
        arguments << QStringLiteral("--data-dir") << m_dataDirectory;
    arguments << m_extraArguments;

    auto *process = new QProcess(this);
    m_process = process;
    m_stdoutBuffer.clear();
    m_stderrBuffer.clear();
    m_stopRequested = false;
    m_commandsSent = 0;
    m_commandsAnswered = 0;
    m_commandFailed = false;
    process->setProgram(m_program);
    process->setArguments(arguments);
#ifdef Q_OS_LINUX
    // If we die without stopping the child (a crashed test, a killed app), the kernel kills it
    // too instead of leaving an orphan server, possibly frozen, holding the port.
    const pid_t parentPid = ::getpid();
    process->setChildProcessModifier([parentPid] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parentPid)
            ::_exit(1);
    });
#endif
    connect(process, &QProcess::readyReadStandardOutput, this,
            [this, process] { readStandardOutput(process); });
    connect(process, &QProcess::readyReadStandardError, this,
            [this, process] { readStandardError(process); });
    connect(process, &QProcess::finished, this,
            [this, process](int exitCode, QProcess::ExitStatus exitStatus) {
                handleFinished(process, exitCode, exitStatus);
            });
    connect(process, &QProcess::errorOccurred, this,
            [this, process](QProcess::ProcessError error) { handleProcessError(process, error); });
    qCDebug(lcHarness, "starting %s %s", qUtf8Printable(m_program),
            qUtf8Printable(arguments.join(QLatin1Char(' '))));
    process->start();
}

void BundledServer::stop()
{
    m_startPending = false;
    if (!m_process || m_killTimer.isActive())
        return;
    m_stopRequested = true;
    // A stopped process would keep SIGTERM pending for ever.
    thaw();
    m_process->terminate();
    m_killTimer.start();
    // It no longer takes connections; whoever starts it again gets a new child.
    setRunning(false);
}

void BundledServer::kill()
{
    m_startPending = false;
    if (!m_process)
        return;
    m_killTimer.stop();
    m_stopRequested = true;
    m_process->kill();
    setRunning(false);
}

void BundledServer::freeze()
{
    if (!m_process || m_frozen)
        return;
    signalChild(SIGSTOP);
    setFrozen(true);
}

void BundledServer::thaw()
{
    if (!m_process || !m_frozen)
        return;
    signalChild(SIGCONT);
    setFrozen(false);
}

void BundledServer::signalChild(int signalNumber)
{
    const qint64 pid = m_process->processId();
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), signalNumber) != 0)
        qCWarning(lcHarness, "cannot send signal %d to lifeline-server (pid %lld)", signalNumber,
                  static_cast<long long>(pid));
}

void BundledServer::sendCommand(const QString &line)
{
    const QString command = line.trimmed();
    if (command.isEmpty() || command.contains(QLatin1Char('\n'))) {
        qCWarning(lcHarness, "not an admin command: a command is one non-empty line");
        m_commandFailed = true;
        return;
    }
    if (!m_process) {
        qCWarning(lcHarness, "cannot send \"%s\": lifeline-server is not running",
                  qUtf8Printable(command));
        m_commandFailed = true;
        return;
    }
    if (command == QLatin1String("quit"))
        m_stopRequested = true;
    ++m_commandsSent;
    m_process->write(command.toUtf8() + '\n');
}

bool BundledServer::takeCommandFailure()
{
    return std::exchange(m_commandFailed, false);
}

void BundledServer::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}

void BundledServer::setFrozen(bool frozen)
{
    if (m_frozen == frozen)
        return;
    m_frozen = frozen;
    Q_EMIT frozenChanged(frozen);
}

void BundledServer::readStandardOutput(QProcess *process)
{
    if (process != m_process)
        return;
    m_stdoutBuffer.append(process->readAllStandardOutput());
    const QList<QByteArray> lines = takeLines(&m_stdoutBuffer);
    for (const QByteArray &line : lines)
        handleOutputLine(QString::fromUtf8(line.trimmed()));
}

void BundledServer::handleOutputLine(const QString &line)
{
    if (line.startsWith(QLatin1String(ListeningPrefix))) {
        const QUrl url(line.mid(ListeningPrefix.size()));
        if (m_running || !url.isValid() || url.port() <= 0) {
            qCWarning(lcHarness, "unexpected line from lifeline-server: %s", qUtf8Printable(line));
            return;
        }
        m_url = url;
        m_port = static_cast<quint16>(url.port());
        setRunning(true);
        qCDebug(lcHarness, "lifeline-server listens at %s", qUtf8Printable(url.toString()));
        Q_EMIT started(url);
    } else if (line.startsWith(QLatin1String(OkPrefix))) {
        ++m_commandsAnswered;
        Q_EMIT commandDone(line.mid(OkPrefix.size()));
    } else if (line.startsWith(QLatin1String(ErrorPrefix))) {
        ++m_commandsAnswered;
        m_commandFailed = true;
        Q_EMIT commandFailed(line.mid(ErrorPrefix.size()));
    } else if (!line.isEmpty()) {
        qCDebug(lcHarness, "lifeline-server stdout: %s", qUtf8Printable(line));
    }
}

void BundledServer::readStandardError(QProcess *process)
{
    if (process != m_process)
        return;
    m_stderrBuffer.append(process->readAllStandardError());
    const QList<QByteArray> lines = takeLines(&m_stderrBuffer);
    for (const QByteArray &line : lines) {
        // The server's own fatal messages carry the prefix already.
        const char *prefix = line.startsWith("lifeline-server: ") ? "" : "lifeline-server: ";
        std::fprintf(stderr, "%s%s\n", prefix, line.constData());
        Q_EMIT standardErrorLine(QString::fromUtf8(line));
    }
    std::fflush(stderr);
}

void BundledServer::handleFinished(QProcess *process, int exitCode, QProcess::ExitStatus exitStatus)
{
    if (process != m_process)
        return;
    // The last lines may have come with the exit, and a last line may lack its newline.
    readStandardOutput(process);
    readStandardError(process);
    if (!m_stdoutBuffer.isEmpty())
        handleOutputLine(QString::fromUtf8(m_stdoutBuffer.trimmed()));
    if (!m_stderrBuffer.isEmpty()) {
        m_stderrBuffer.append('\n');
        readStandardError(process);
    }
    m_stdoutBuffer.clear();
    m_stderrBuffer.clear();

    const bool wasRunning = m_running;
    const bool expected = m_stopRequested;
    m_killTimer.stop();
    m_process = nullptr;
    process->deleteLater();
    setFrozen(false);
    setRunning(false);
    if (m_commandsAnswered < m_commandsSent) {
        m_commandFailed = true;
        m_commandsAnswered = m_commandsSent;
    }

    const bool crashed = exitStatus != QProcess::NormalExit;
    if (crashed)
        qCDebug(lcHarness, "lifeline-server crashed");
    else if (expected && exitCode != 0)
        // Asked to stop, it should have shut down cleanly (exit 0): whatever went wrong in its
        // shutdown (a sanitizer report, a store that could not close) must not pass unseen.
        qCWarning(lcHarness, "lifeline-server exited with code %d when it was asked to stop",
                  exitCode);
    else
        qCDebug(lcHarness, "lifeline-server exited with code %d", exitCode);
    // Whole sentences, so that a translation can order them as its language needs.
    if (!wasRunning && !expected) {
        Q_EMIT errorOccurred(crashed
                                 ? tr("lifeline-server crashed before it listened; its messages "
                                      "above say why (%1).")
                                       .arg(m_program)
                                 : tr("lifeline-server exited with code %1 before it listened; "
                                      "its messages above say why (%2).")
                                       .arg(QString::number(exitCode), m_program));
    } else if (!expected) {
        Q_EMIT errorOccurred(
            crashed ? tr("lifeline-server crashed unexpectedly.")
                    : tr("lifeline-server exited with code %1 unexpectedly.").arg(exitCode));
    }
    Q_EMIT stopped(exitCode, exitStatus);
    if (std::exchange(m_startPending, false))
        start();
}

void BundledServer::handleProcessError(QProcess *process, QProcess::ProcessError error)
{
    if (process != m_process)
        return;
    switch (error) {
    case QProcess::FailedToStart: {
        // No finished() follows a failed start.
        const QString reason = process->errorString();
        m_process = nullptr;
        process->deleteLater();
        Q_EMIT errorOccurred(tr("Cannot start the bundled server %1: %2. Build the "
                                "lifeline-server target (it belongs next to the app, in %3) or "
                                "choose the program with setProgram().")
                                 .arg(m_program, reason, QCoreApplication::applicationDirPath()));
        return;
    }
    case QProcess::Crashed:
        // finished() follows and reports it.
        return;
    case QProcess::Timedout:
    case QProcess::ReadError:
    case QProcess::WriteError:
    case QProcess::UnknownError:
        qCDebug(lcHarness, "lifeline-server process: %s", qUtf8Printable(process->errorString()));
        return;
    }
}

} // namespace lifeline::harness
