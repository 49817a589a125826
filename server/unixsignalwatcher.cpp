#include "unixsignalwatcher.h"

#include "loggingcategories_p.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lifeline::server {

namespace {

// [0] is written by the handler, [1] is read by the notifier.
int s_fds[2] = {-1, -1};

void handleSignal(int signalNumber)
{
    // Only async-signal-safe calls here; errno belongs to whatever code was interrupted.
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    const ssize_t written = ::write(s_fds[0], &byte, 1);
    static_cast<void>(written); // a full pipe means the event loop already has bytes to read
    errno = savedErrno;
}

} // namespace

UnixSignalWatcher::UnixSignalWatcher(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT_X(s_fds[0] == -1, "UnixSignalWatcher", "only one instance per process");
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, s_fds) != 0) {
        qCWarning(lcServer, "cannot create the signal socket pair: %s", std::strerror(errno));
        s_fds[0] = s_fds[1] = -1;
        return;
    }
    m_notifier = new QSocketNotifier(s_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &UnixSignalWatcher::readSignals);
}

UnixSignalWatcher::~UnixSignalWatcher()
{
    for (const int signalNumber : std::as_const(m_watched))
        ::signal(signalNumber, SIG_DFL);
    delete m_notifier;
    for (int &fd : s_fds) {
        if (fd != -1)
            ::close(fd);
        fd = -1;
    }
}

bool UnixSignalWatcher::watch(int signalNumber)
{
    if (!m_notifier)
        return false;
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = handleSignal;
    sigemptyset(&action.sa_mask);
    // Interrupted system calls restart, so no Qt code has to cope with EINTR because of us.
    action.sa_flags = SA_RESTART;
    if (::sigaction(signalNumber, &action, nullptr) != 0) {
        qCWarning(lcServer, "cannot handle signal %d: %s", signalNumber, std::strerror(errno));
        return false;
    }
    m_watched.append(signalNumber);
    return true;
}

void UnixSignalWatcher::readSignals()
{
    unsigned char bytes[16];
    for (;;) {
        const ssize_t count = ::read(s_fds[1], bytes, sizeof(bytes));
        if (count <= 0)
            return;
        for (ssize_t i = 0; i < count; ++i)
            Q_EMIT unixSignal(bytes[i]);
    }
}

} // namespace lifeline::server
