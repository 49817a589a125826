#include "adminconsole.h"

#include "loggingcategories_p.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lifeline::server {

namespace {

// A controller never sends lines this long; a runaway writer must not grow our memory.
constexpr qsizetype MaxLineLength = 4096;

} // namespace

AdminConsole::AdminConsole(QObject *parent)
    : QObject(parent)
{ }

AdminConsole::~AdminConsole() = default;

void AdminConsole::start(int fd)
{
    if (m_notifier)
        return;
    if (::fcntl(fd, F_GETFD) == -1) {
        qCInfo(lcServer, "no admin input (fd %d is closed); admin commands are off", fd);
        return;
    }
    m_fd = fd;
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &AdminConsole::readInput);
}

void AdminConsole::readInput()
{
    char chunk[1024];
    const ssize_t count = ::read(m_fd, chunk, sizeof(chunk));
    if (count < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (count <= 0) {
        // Tests and service managers close stdin; the server must go on serving.
        if (count < 0)
            qCWarning(lcServer, "cannot read admin input: %s", std::strerror(errno));
        qCInfo(lcServer, "admin input closed; the server keeps running without admin commands");
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
        return;
    }
    m_buffer.append(chunk, count);
    for (qsizetype end = m_buffer.indexOf('\n'); end != -1; end = m_buffer.indexOf('\n')) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        handleLine(QString::fromUtf8(line));
    }
    if (m_buffer.size() > MaxLineLength) {
        qCWarning(lcServer, "admin input line longer than %lld bytes dropped",
                  static_cast<long long>(MaxLineLength));
        m_buffer.clear();
    }
}

void AdminConsole::handleLine(const QString &line)
{
    const QStringList words = line.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return;
    const QString command = words.first();
    const QStringList arguments = words.mid(1);
    if (command == QLatin1String("throttle")) {
        if (arguments.isEmpty()) {
            refuse(command,
                   QStringLiteral("throttle needs at least one feature; unthrottle "
                                  "lifts throttling"));
            return;
        }
        QStringList features = arguments;
        features.removeDuplicates();
        Q_EMIT throttleRequested(features);
    } else if (command == QLatin1String("unthrottle") || command == QLatin1String("kick")
               || command == QLatin1String("quit")) {
        if (!arguments.isEmpty()) {
            refuse(command, QStringLiteral("%1 takes no arguments").arg(command));
            return;
        }
        if (command == QLatin1String("unthrottle"))
            Q_EMIT unthrottleRequested();
        else if (command == QLatin1String("kick"))
            Q_EMIT kickRequested();
        else
            Q_EMIT quitRequested();
    } else {
        refuse(command, QStringLiteral("unknown command \"%1\"").arg(command.left(64)));
        return;
    }
    answer(QStringLiteral("ok ") + command);
}

QString AdminConsole::usage()
{
    return QStringLiteral("Admin commands, one per line on stdin:\n"
                          "  throttle FEATURE...  throttle these features (the full list)\n"
                          "  unthrottle           lift all throttling\n"
                          "  kick                 drop every client connection without a close "
                          "frame\n"
                          "  quit                 close every client with 1001 and exit\n"
                          "Each command is answered on stdout with \"ok COMMAND\" or \"error "
                          "COMMAND\", followed by \" on NAME\" for an instance named with "
                          "--instance or --database.");
}

void AdminConsole::refuse(const QString &command, const QString &reason)
{
    qCWarning(lcServer,
              "admin command refused: %s; the commands are: throttle FEATURE..., "
              "unthrottle, kick, quit",
              qUtf8Printable(reason));
    answer(QStringLiteral("error ") + command.left(64));
}

void AdminConsole::setInstanceName(const QString &name)
{
    m_instance = name;
}

void AdminConsole::answer(const QString &line) const
{
    const QString named = m_instance.isEmpty() ? line : line + QStringLiteral(" on ") + m_instance;
    // stdout is a pipe when a process drives us: without the flush the answer would sit in the
    // buffer and the controller would wait forever.
    std::fputs(named.toUtf8().append('\n').constData(), stdout);
    std::fflush(stdout);
}

} // namespace lifeline::server
