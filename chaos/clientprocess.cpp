#include "clientprocess.h"

#include <cstdio>

namespace lifeline::chaos {

namespace {

// A client exits within milliseconds of SIGKILL; this only bounds a stuck kernel.
constexpr int KillTimeoutMs = 10000;

} // namespace

ClientProcess::ClientProcess(const QString &name, const QString &program,
                             const QStringList &arguments, const QString &stderrPath,
                             QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_program(program)
    , m_arguments(arguments)
    , m_stderrPath(stderrPath)
{ }

ClientProcess::~ClientProcess()
{
    if (m_process) {
        m_process->disconnect(this);
        kill();
    }
}

void ClientProcess::start()
{
    if (m_process)
        return;
    m_process = new QProcess(this);
    m_ready = false;
    m_exitExpected = false;
    m_process->setProgram(m_program);
    m_process->setArguments(m_arguments);
    m_process->setStandardErrorFile(m_stderrPath, QIODevice::Append);
    QProcess *process = m_process;
    connect(process, &QProcess::readyReadStandardOutput, this, &ClientProcess::readOutput);
    connect(process, &QProcess::finished, this, &ClientProcess::handleFinished);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || process != m_process)
            return;
        m_process = nullptr;
        process->deleteLater();
        Q_EMIT exitedUnexpectedly(
            QStringLiteral("could not be started: %1 (%2)").arg(process->errorString(), m_program));
    });
    process->start();
}

void ClientProcess::kill()
{
    if (!m_process)
        return;
    QProcess *process = m_process;
    m_exitExpected = true;
    process->kill();
    if (!process->waitForFinished(KillTimeoutMs))
        std::fprintf(stderr, "lifeline-chaos: %s did not exit within %d ms of SIGKILL\n",
                     qUtf8Printable(m_name), KillTimeoutMs);
}

bool ClientProcess::quit(int msecs)
{
    if (!m_process)
        return false;
    QProcess *process = m_process;
    m_exitExpected = true;
    process->write("quit\n");
    if (!process->waitForFinished(msecs))
        return false;
    return process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
}

void ClientProcess::stopSending()
{
    if (!m_process)
        return;
    m_process->write("stop-sending\n");
    // Commands are run in order, so a report asked for from now on counts what followed.
    m_firstSerialAfterStop = m_nextSerial;
    m_lastReport.reset();
}

void ClientProcess::requestReport()
{
    if (!m_ready)
        return;
    m_process->write("report " + QByteArray::number(m_nextSerial++) + '\n');
}

std::optional<ClientProcess::Report> ClientProcess::reportSinceStop() const
{
    if (m_firstSerialAfterStop < 0 || !m_lastReport
        || m_lastReport->serial < m_firstSerialAfterStop)
        return std::nullopt;
    return m_lastReport;
}

void ClientProcess::readOutput()
{
    while (m_process && m_process->canReadLine()) {
        const QByteArray line = m_process->readLine().trimmed();
        const QList<QByteArray> fields = line.split(' ');
        if (line == "ready") {
            m_ready = true;
            Q_EMIT ready();
        } else if (fields.size() == 7 && fields.at(0) == "status" && fields.at(3) == "pending"
                   && fields.at(5) == "seen") {
            m_lastReport = Report {fields.at(1).toInt(), QString::fromLatin1(fields.at(2)),
                                   fields.at(4).toInt(), fields.at(6).toLongLong()};
        } else {
            std::fprintf(stderr, "lifeline-chaos: unexpected line from %s: %s\n",
                         qUtf8Printable(m_name), line.constData());
        }
    }
}

void ClientProcess::handleFinished(int exitCode, QProcess::ExitStatus exitStatus)
{
    QProcess *process = m_process;
    m_process = nullptr;
    m_ready = false;
    process->deleteLater();
    if (m_exitExpected)
        return;
    Q_EMIT exitedUnexpectedly(exitStatus == QProcess::CrashExit
                                  ? QStringLiteral("crashed")
                                  : QStringLiteral("exited with code %1").arg(exitCode));
}

} // namespace lifeline::chaos
