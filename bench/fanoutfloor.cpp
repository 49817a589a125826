#include "fanoutfloor.h"

#include "encodedtextframes.h"
#include "fanouttext.h"
#include "scopedcpuaffinity.h"

#include <protocol.h>

#include <QByteArray>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <thread>
#include <vector>

namespace lifeline::bench {

namespace {

// Closes a descriptor at the end of its scope.
class Descriptor
{
public:
    explicit Descriptor(int fd = -1)
        : m_fd(fd)
    { }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(Descriptor &&other) noexcept
        : m_fd(other.m_fd)
    {
        other.m_fd = -1;
    }
    Q_DISABLE_COPY(Descriptor)
    int get() const { return m_fd; }

private:
    int m_fd;
};

QString systemError(const char *call)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(call),
                                        QString::fromLocal8Bit(std::strerror(errno)));
}

double threadCpuSeconds()
{
    timespec now {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

qint64 monotonicNs()
{
    timespec now {};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void sleepUntilNs(qint64 ns)
{
    const timespec at {time_t(ns / 1'000'000'000), long(ns % 1'000'000'000)};
    while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr) == EINTR) { }
}

// count messages as lifeline-server sends a commit's batch: its message frames, one after the
// other, with a text of the benchmark's size.
QByteArray framedBatch(int count)
{
    server::EncodedTextFrames frames;
    FanoutText text;
    text.sentUs = 1'700'000'000'000'000;
    for (int i = 0; i < count; ++i) {
        text.second = i;
        frames.append(protocol::message(QStringLiteral("l1-0-%1").arg(i), QStringLiteral("general"),
                                        QStringLiteral("u0"), text.toText(), 1'000'000 + i,
                                        1'700'000'000'000));
    }
    return frames.bytes();
}

} // namespace

FanoutFloor::Result FanoutFloor::measure(const Settings &settings)
{
    Result result;
    const Descriptor listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener.get() < 0
        || ::bind(listener.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) == -1
        || ::listen(listener.get(), settings.clients) == -1
        || ::getsockname(listener.get(), reinterpret_cast<sockaddr *>(&address), &length) == -1) {
        result.error = systemError("listening on 127.0.0.1");
        return result;
    }
    // The sending ends, as a server holds them (no delay, as lifeline-server sets), and the
    // clients' ends, which the reader drains.
    std::vector<Descriptor> sending;
    std::vector<Descriptor> receiving;
    sending.reserve(size_t(settings.clients));
    receiving.reserve(size_t(settings.clients));
    for (int i = 0; i < settings.clients; ++i) {
        Descriptor client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (client.get() < 0
            || ::connect(client.get(), reinterpret_cast<sockaddr *>(&address), sizeof address)
                == -1) {
            result.error = systemError("connecting to 127.0.0.1");
            return result;
        }
        Descriptor accepted(
            ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (accepted.get() < 0) {
            result.error = systemError("accept4");
            return result;
        }
        const int on = 1;
        ::setsockopt(accepted.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        sending.push_back(std::move(accepted));
        receiving.push_back(std::move(client));
    }

    const Descriptor epoll(::epoll_create1(EPOLL_CLOEXEC));
    for (const Descriptor &client : receiving) {
        epoll_event event {};
        event.events = EPOLLIN;
        event.data.fd = client.get();
        if (::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, client.get(), &event) == -1) {
            result.error = systemError("epoll_ctl");
            return result;
        }
    }
    std::atomic<bool> stop {false};
    std::thread reader([&] {
        const ScopedCpuAffinity onReaderCpus(settings.readerCpus);
        std::vector<epoll_event> events(256);
        std::vector<char> buffer(64 * 1024);
        while (!stop.load(std::memory_order_relaxed)) {
            // Asleep between batches, as the benchmark's workers are at this rate: a send() pays
            // for waking its reader. A reader spinning on the other core instead made the sends
            // dearer still (5.7 against 4.7 us a delivery), not cheaper.
            const int ready = ::epoll_wait(epoll.get(), events.data(), int(events.size()), 50);
            for (int i = 0; i < ready; ++i) {
                while (::recv(events[size_t(i)].data.fd, buffer.data(), buffer.size(), MSG_DONTWAIT)
                       > 0) { }
            }
        }
    });

    {
        const ScopedCpuAffinity onSenderCpus(settings.senderCpus);
        // Every batch holds the whole number below the average or the one above, the larger as
        // often as the fraction says.
        const double perBatch = std::max(settings.messagesPerBatch, 1.0);
        const int fewer = int(std::floor(perBatch));
        const QByteArray smaller = framedBatch(fewer);
        const QByteArray larger = framedBatch(fewer + 1);
        const double batchesPerSecond = settings.messagesPerSecond / perBatch;
        const qint64 periodNs = qint64(1e9 / batchesPerSecond);
        const qint64 startNs = monotonicNs();
        const qint64 measureFromNs = startNs + qint64(settings.warmupSeconds) * 1'000'000'000;
        const qint64 endNs = measureFromNs + qint64(settings.seconds) * 1'000'000'000;
        double cpuAtStart = -1;
        qint64 messagesSent = 0;
        double carried = 0;
        for (qint64 batch = 0;; ++batch) {
            const qint64 dueNs = startNs + batch * periodNs;
            if (dueNs >= endNs)
                break;
            sleepUntilNs(dueNs);
            const bool measured = dueNs >= measureFromNs;
            if (measured && cpuAtStart < 0)
                cpuAtStart = threadCpuSeconds();
            carried += perBatch;
            const int count = int(carried);
            carried -= count;
            const QByteArray &bytes = count == fewer ? smaller : larger;
            for (const Descriptor &socket : sending) {
                const ssize_t sent
                    = ::send(socket.get(), bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
                if (sent != bytes.size())
                    ++result.partialSends;
            }
            if (measured)
                messagesSent += count;
        }
        result.senderCpuSeconds = cpuAtStart < 0 ? 0 : threadCpuSeconds() - cpuAtStart;
        result.windowSeconds = double(endNs - measureFromNs) / 1e9;
        result.deliveries = messagesSent * settings.clients;
    }
    stop.store(true);
    reader.join();
    return result;
}

} // namespace lifeline::bench
