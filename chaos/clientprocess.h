#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>

#include <optional>

namespace lifeline::chaos {

// One lifeline-chaos-client child of the soak runner. Its data directory and journal outlive
// the process, so a restart after kill() continues where the killed client stopped, as an app
// started again after a crash does.
class ClientProcess : public QObject
{
    Q_OBJECT
public:
    // The answer to one report command.
    struct Report
    {
        int serial = 0;
        // A ConnectionStatus key: "Connected", "Reconnecting", ...
        QString status;
        int pending = 0;
        qint64 seen = 0;
    };

    // stderrPath collects the client's log across all its runs.
    ClientProcess(const QString &name, const QString &program, const QStringList &arguments,
                  const QString &stderrPath, QObject *parent = nullptr);
    // Kills a running child.
    ~ClientProcess() override;

    QString name() const { return m_name; }
    // Starts the child; ready() follows once it runs.
    void start();
    // SIGKILL, like a crash or the system ending an app. Returns once the child is gone.
    void kill();
    // Asks the child to exit; true once it exited with 0 within msecs.
    bool quit(int msecs);
    // Running and past its start-up: it sends, and answers commands.
    bool isReady() const { return m_ready; }

    void stopSending();
    void requestReport();
    // The newest report asked for after stopSending(), if any came.
    std::optional<Report> reportSinceStop() const;

Q_SIGNALS:
    void ready();
    // The child exited without kill() or quit(): a crash the soak must report.
    void exitedUnexpectedly(const QString &how);

private:
    void readOutput();
    void handleFinished(int exitCode, QProcess::ExitStatus exitStatus);

    QString m_name;
    QString m_program;
    QStringList m_arguments;
    QString m_stderrPath;
    QProcess *m_process = nullptr;
    bool m_ready = false;
    bool m_exitExpected = false;
    int m_nextSerial = 1;
    int m_firstSerialAfterStop = -1;
    std::optional<Report> m_lastReport;
};

} // namespace lifeline::chaos
