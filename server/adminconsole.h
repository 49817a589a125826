#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>

class QSocketNotifier;

namespace lifeline::server {

// The admin commands a controlling process (BundledServer, a test, a person) types on stdin, one
// per line. Every non-empty line gets exactly one answer line on stdout, "ok COMMAND" once the
// command took effect or "error COMMAND" with the reason on stderr, so the controller always
// knows when to go on.
class AdminConsole : public QObject
{
    Q_OBJECT
public:
    explicit AdminConsole(QObject *parent = nullptr);
    ~AdminConsole() override;

    // Starts reading fd (stdin unless told otherwise). End of file only stops the reading.
    void start(int fd = 0);

    // Handles one line as if it had been read; the answer goes to stdout all the same.
    void handleLine(const QString &line);
    // With several instances (one controller may drive them all): every answer names this
    // one, "ok kick on NAME".
    void setInstanceName(const QString &name);

    static QString usage();

Q_SIGNALS:
    // "throttle FEATURE...": features is the new full list.
    void throttleRequested(const QStringList &features);
    // "unthrottle"
    void unthrottleRequested();
    // "kick"
    void kickRequested();
    // "quit"
    void quitRequested();

private:
    void readInput();
    void refuse(const QString &command, const QString &reason);
    void answer(const QString &line) const;

    QSocketNotifier *m_notifier = nullptr;
    int m_fd = -1;
    QByteArray m_buffer;
    QString m_instance;
};

} // namespace lifeline::server
