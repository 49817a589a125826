#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace lifeline::harness {

// Runs lifeline-server as a child process on 127.0.0.1 and plays the network's bad days on it:
// stop, crash (kill), freeze and thaw, admin commands. The app's Simulate menu, the tests, the
// benchmarks and the chaos soak all drive the real server through this one class.
//
// Nothing here waits: every call returns at once and a signal tells how it ended, so the app
// stays responsive while the server starts or stops, however long that takes. Whoever must wait
// (a test, a benchmark) waits on those signals in its own event loop.
//
// The first start() picks a free port; every later start() reuses it, so clients reconnect to
// the same URL as they would to a restarted production server.
class BundledServer : public QObject
{
    Q_OBJECT
    // Whether the server process is up and listening; false from the moment stop() or kill()
    // is called.
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    // Whether the server process is stopped with SIGSTOP.
    Q_PROPERTY(bool frozen READ isFrozen NOTIFY frozenChanged)
    // ws://127.0.0.1:PORT (wss:// when the extra arguments give --tls-cert and --tls-key) once
    // the server listened; kept after it stops.
    Q_PROPERTY(QUrl url READ url NOTIFY started)
public:
    explicit BundledServer(QObject *parent = nullptr);
    // Stops a running server, thawing it first if it is frozen. The one place that waits for
    // the child: whoever owned it is going away, and the child must not outlive it.
    ~BundledServer() override;

    // lifeline-server next to this executable, where the build and the install put it.
    static QString defaultProgram();

    QString program() const { return m_program; }
    void setProgram(const QString &program);
    // Passed as --data-dir; empty leaves the server's default.
    QString dataDirectory() const { return m_dataDirectory; }
    void setDataDirectory(const QString &directory);
    // Appended to the command line, e.g. {"--tokens", file}.
    QStringList extraArguments() const { return m_extraArguments; }
    void setExtraArguments(const QStringList &arguments);
    // The port for the next start(); 0 picks a free one. start() remembers the port it got.
    void setPort(quint16 port);

    QUrl url() const { return m_url; }
    quint16 port() const { return m_port; }
    bool isRunning() const { return m_running; }
    bool isFrozen() const { return m_frozen; }
    // Whether a child process exists: starting, listening, or on its way out after stop().
    bool hasChild() const { return m_process != nullptr; }
    // Whether start() was called while the previous child was on its way out; the new one
    // starts once the old one is gone.
    bool isStartPending() const { return m_startPending; }
    // The child's pid, or 0 when no child runs.
    qint64 processId() const;

    // Admin commands sent and not answered yet; the server stopping answers them all as failed.
    int unansweredCommands() const { return m_commandsSent - m_commandsAnswered; }
    // Whether a command failed (refused, not sendable, or unanswered when the server stopped)
    // since the last call; clears the mark.
    bool takeCommandFailure();

public Q_SLOTS:
    // Starts the child; started() follows once it listens, errorOccurred() if it cannot. If the
    // previous child is still on its way out, the new one starts once it is gone. Does nothing
    // if one runs already.
    void start();
    // SIGTERM (clients get 1001), and SIGKILL if the child has not exited a few seconds later.
    // Returns at once; stopped() follows.
    void stop();
    // SIGKILL, like a crash: clients see the connection drop without a close frame. Returns at
    // once; stopped() follows.
    void kill();
    // SIGSTOP: the server keeps its sockets open but answers nothing, like a hung host.
    void freeze();
    // SIGCONT after freeze().
    void thaw();
    // Writes one admin command line (throttle, unthrottle, kick, quit) to the server's stdin.
    // commandDone() or commandFailed() follows.
    void sendCommand(const QString &line);

Q_SIGNALS:
    // The server listens at url.
    void started(const QUrl &url);
    // The child exited; exitCode is 0 after stop() or quit.
    void stopped(int exitCode, QProcess::ExitStatus exitStatus);
    // The server answered "ok COMMAND".
    void commandDone(const QString &command);
    // The server refused a command; its stderr says why.
    void commandFailed(const QString &command);
    // Something went wrong that the user should hear about; message says what to do.
    void errorOccurred(const QString &message);
    // One line the server wrote to stderr (it is also forwarded to our stderr).
    void standardErrorLine(const QString &line);
    // isRunning() changed.
    void runningChanged(bool running);
    // isFrozen() changed.
    void frozenChanged(bool frozen);

private:
    void setRunning(bool running);
    void setFrozen(bool frozen);
    void readStandardOutput(QProcess *process);
    void readStandardError(QProcess *process);
    void handleOutputLine(const QString &line);
    void handleFinished(QProcess *process, int exitCode, QProcess::ExitStatus exitStatus);
    void handleProcessError(QProcess *process, QProcess::ProcessError error);
    void signalChild(int signalNumber);

    QString m_program;
    QString m_dataDirectory;
    QStringList m_extraArguments;
    QProcess *m_process = nullptr;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderrBuffer;
    QUrl m_url;
    quint16 m_port = 0;
    bool m_running = false;
    bool m_frozen = false;
    bool m_stopRequested = false;
    bool m_startPending = false;
    // Turns a stop() that SIGTERM did not end into a kill().
    QTimer m_killTimer;
    int m_commandsSent = 0;
    int m_commandsAnswered = 0;
    bool m_commandFailed = false;
};

} // namespace lifeline::harness
