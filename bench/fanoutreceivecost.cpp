#include "fanoutreceivecost.h"

#include "epolleventdispatcher.h"
#include "fanouttext.h"
#include "monotonicclock.h"
#include "websocketframe.h"

#include <protocol.h>

#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace lifeline::bench {

namespace websocketframe = lifeline::server::websocketframe;
using namespace lifeline::testkit;

namespace {

// Bounds on each wait, on a loaded machine; the figures are CPU times, not these.
constexpr int OpenTimeoutMs = 30000;
constexpr int RoundsTimeoutMs = 60000;
constexpr auto SenderDeadline = std::chrono::seconds(120);

double threadCpuNs()
{
    timespec now {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e9 + double(now.tv_nsec);
}

// The sender's side of one client: reads the upgrade request and answers it with 101; false
// with the reason in *error.
bool answerHandshake(int fd, QString *error)
{
    QByteArray request;
    char buffer[2048];
    while (!request.contains("\r\n\r\n")) {
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            *error = QStringLiteral("the sender thread read no upgrade request: %1")
                         .arg(got == 0 ? QStringLiteral("the client closed")
                                       : QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        request.append(buffer, got);
    }
    QByteArray key;
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-key")
            key = line.mid(colon + 1).trimmed();
    }
    const QByteArray answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: "
        + RawWebSocketPeer::acceptFor(key) + "\r\n\r\n";
    if (::send(fd, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL) != answer.size()) {
        *error = QStringLiteral("the sender thread could not answer an upgrade request");
        return false;
    }
    return true;
}

// Runs measure() on a thread of its own, on dispatcher's event loop (Qt's own when there is
// none), and returns what it returned.
double onOwnThread(QAbstractEventDispatcher *dispatcher, const std::function<double()> &measure)
{
    double result = -1;
    const std::unique_ptr<QThread> thread(QThread::create([&] { result = measure(); }));
    if (dispatcher)
        thread->setEventDispatcher(dispatcher);
    thread->start();
    thread->wait();
    return result;
}

bool sendAll(int fd, const QByteArray &bytes)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t wrote
            = ::send(fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (wrote < 0 && errno != EINTR)
            return false;
        sent += std::max<ssize_t>(wrote, 0);
    }
    return true;
}

// The sender thread: accepts `clients` connections, answers their handshakes, waits for go,
// then sends the rounds, each once the last has arrived; closes everything once stop is set.
// Every wait ends at the deadline, with the reason in *error.
void runSender(int listener, int clients, int rounds, const QByteArray &frame,
               const std::atomic<qint64> *received, const std::atomic<bool> *go,
               const std::atomic<bool> *stop, QString *error)
{
    const auto deadline = std::chrono::steady_clock::now() + SenderDeadline;
    const auto waitFor = [&](const auto &done, const QString &what) {
        while (!done() && !stop->load()) {
            if (std::chrono::steady_clock::now() > deadline) {
                *error = QStringLiteral("the sender thread gave up waiting for %1").arg(what);
                return false;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(20));
        }
        return done();
    };
    std::vector<int> sockets;
    const auto closeAll = [&] {
        for (int fd : sockets)
            ::close(fd);
    };
    const timeval timeout {10, 0};
    while (int(sockets.size()) < clients) {
        pollfd waiting {listener, POLLIN, 0};
        if (stop->load() || std::chrono::steady_clock::now() > deadline) {
            *error = QStringLiteral("the sender thread accepted %1 of %2 clients")
                         .arg(sockets.size())
                         .arg(clients);
            closeAll();
            return;
        }
        if (::poll(&waiting, 1, 100) <= 0)
            continue;
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        sockets.push_back(fd);
        // Each frame in its own segment, as the peer sends them.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        if (!answerHandshake(fd, error)) {
            closeAll();
            return;
        }
    }
    if (!waitFor([&] { return go->load(); }, QStringLiteral("the clients to open"))) {
        closeAll();
        return;
    }
    for (int round = 0; round < rounds && !stop->load(); ++round) {
        for (int fd : sockets) {
            if (!sendAll(fd, frame)) {
                *error = QStringLiteral("the sender thread could not send: %1")
                             .arg(QString::fromLocal8Bit(std::strerror(errno)));
                closeAll();
                return;
            }
        }
        const qint64 due = qint64(round + 1) * clients;
        if (!waitFor([&] { return received->load() >= due; },
                     QStringLiteral("round %1 to arrive").arg(round))) {
            closeAll();
            return;
        }
    }
    waitFor([] { return false; }, QString());
    error->clear();
    closeAll();
}

} // namespace

FanoutReceiveCost::FanoutReceiveCost(int clients, int rounds)
    : m_clients(clients)
    , m_rounds(rounds)
{
    FanoutText text;
    text.sentUs = testkit::monotonicNowUs();
    const QByteArray payload
        = lifeline::protocol::message(QStringLiteral("l3-1234"), QStringLiteral("lobby"),
                                      QStringLiteral("u300"), text.toText(), 123456, 1700000000000)
              .toUtf8();
    // As a server sends it: final, unmasked.
    char header[websocketframe::MaxHeaderBytes];
    m_frame.append(
        header, websocketframe::writeHeader(header, websocketframe::Text, quint64(payload.size())));
    m_frame.append(payload);
}

FanoutReceiveCost::~FanoutReceiveCost() = default;

QJsonObject FanoutReceiveCost::measure(QString *error)
{
    const double leanNs = measureLean(error);
    if (leanNs < 0)
        return {};
    const double qwebsocketNs = measureQWebSocket(error);
    if (qwebsocketNs < 0)
        return {};
    return {{QStringLiteral("leanNsPerFrame"), leanNs},
            {QStringLiteral("qwebsocketNsPerFrame"), qwebsocketNs},
            {QStringLiteral("clients"), m_clients},
            {QStringLiteral("frames"), qint64(m_clients) * m_rounds},
            {QStringLiteral("frameBytes"), m_frame.size()}};
}

double FanoutReceiveCost::measureLean(QString *error)
{
    return onOwnThread(new lifeline::server::EpollEventDispatcher, [this, error] {
        std::vector<std::unique_ptr<RawWebSocketPeer>> connections;
        return run(
            [&](quint16 port) {
                RawWebSocketPeer::Endpoint endpoint;
                QString problem;
                if (!RawWebSocketPeer::resolve(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)),
                                               &endpoint, &problem)) {
                    m_failure = problem;
                    return;
                }
                for (int i = 0; i < m_clients; ++i) {
                    connections.push_back(std::make_unique<RawWebSocketPeer>(
                        static_cast<RawWebSocketPeer::Listener *>(this), i));
                    connections.back()->open(endpoint);
                }
            },
            error);
    });
}

double FanoutReceiveCost::measureQWebSocket(QString *error)
{
    return onOwnThread(nullptr, [this, error] {
        // Deletes the sockets, and with them their connections to us, when this returns.
        QObject context;
        return run(
            [&](quint16 port) {
                for (int i = 0; i < m_clients; ++i) {
                    auto *socket
                        = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &context);
                    // As the workers had them.
                    socket->setMaxAllowedIncomingMessageSize(RawWebSocketPeer::MaxFrameBytes);
                    socket->setMaxAllowedIncomingFrameSize(RawWebSocketPeer::MaxFrameBytes);
                    QObject::connect(socket, &QWebSocket::connected, &context, [this] {
                        ++m_opened;
                        checkDone();
                    });
                    QObject::connect(socket, &QWebSocket::textMessageReceived, &context,
                                     [this](const QString &) {
                                         m_received.fetch_add(1, std::memory_order_relaxed);
                                         checkDone();
                                     });
                    QObject::connect(socket,
                                     qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
                                     &context, [this, socket](QAbstractSocket::SocketError) {
                                         if (m_failure.isEmpty() && !m_stop.load())
                                             m_failure = socket->errorString();
                                         checkDone();
                                     });
                    socket->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
                }
            },
            error);
    });
}

double FanoutReceiveCost::run(const std::function<void(quint16 port)> &openClients, QString *error)
{
    m_opened = 0;
    m_failure.clear();
    m_received = 0;
    m_go = false;
    m_stop = false;
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0
        || ::listen(listener, m_clients + 16) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        *error = QStringLiteral("cannot listen on 127.0.0.1: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        if (listener >= 0)
            ::close(listener);
        return -1;
    }
    QString senderError;
    std::thread sender(runSender, listener, m_clients, m_rounds, m_frame, &m_received, &m_go,
                       &m_stop, &senderError);
    const qint64 total = qint64(m_clients) * m_rounds;
    openClients(ntohs(address.sin_port));
    const bool opened
        = waitFor([this] { return m_opened == m_clients || !m_failure.isEmpty(); }, OpenTimeoutMs)
        && m_failure.isEmpty();
    const double cpuBefore = threadCpuNs();
    m_go = true;
    const bool received = opened
        && waitFor([this, total] { return m_received.load() >= total || !m_failure.isEmpty(); },
                   RoundsTimeoutMs)
        && m_failure.isEmpty();
    const double cpuNs = threadCpuNs() - cpuBefore;
    m_stop = true;
    sender.join();
    ::close(listener);
    if (received)
        return cpuNs / double(total);
    *error = !m_failure.isEmpty() ? m_failure
        : !senderError.isEmpty()  ? senderError
        : opened                  ? QStringLiteral("%1 of %2 frames arrived within %3 s")
                       .arg(m_received.load())
                       .arg(total)
                       .arg(RoundsTimeoutMs / 1000)
                 : QStringLiteral("%1 of %2 clients opened within %3 s")
                       .arg(m_opened)
                       .arg(m_clients)
                       .arg(OpenTimeoutMs / 1000);
    return -1;
}

void FanoutReceiveCost::opened(RawWebSocketPeer &)
{
    ++m_opened;
    checkDone();
}

void FanoutReceiveCost::textReceived(RawWebSocketPeer &, QByteArrayView, qint64)
{
    m_received.fetch_add(1, std::memory_order_relaxed);
    checkDone();
}

void FanoutReceiveCost::pongReceived(RawWebSocketPeer &)
{
    // Its clients never ping.
}

void FanoutReceiveCost::closed(RawWebSocketPeer &, RawWebSocketPeer::End, int, const QString &why)
{
    if (m_failure.isEmpty() && !m_stop.load())
        m_failure = why;
    checkDone();
}

bool FanoutReceiveCost::waitFor(const std::function<bool()> &done, int timeoutMs)
{
    // Not lifeline::testkit::waitFor(): its tick wakes the thread whose CPU time is the figure.
    // Here only the connections' own events end the wait.
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    m_done = done;
    m_loop = &loop;
    if (!done())
        loop.exec();
    m_loop = nullptr;
    return done();
}

void FanoutReceiveCost::checkDone()
{
    if (m_loop && m_done())
        m_loop->quit();
}

} // namespace lifeline::bench
