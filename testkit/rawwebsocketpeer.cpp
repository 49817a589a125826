#include "rawwebsocketpeer.h"

#include "monotonicclock.h"
#include "websocketframe.h"

#include <protocol.h>

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QtEndian>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <vector>

namespace lifeline::testkit {

namespace {

// RFC 6455 section 1.3.
constexpr QByteArrayView HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
// The answer to the upgrade request is a status line and a few headers; more without an end is
// not an HTTP server.
constexpr qsizetype MaxHandshakeBytes = 8192;
// A connection that held a large frame (a presence list) gives the memory back: 9,000 clients
// each keeping a megabyte would be gigabytes.
constexpr qsizetype KeptPartialCapacity = 16384;
// The most one recv() takes: a whole presence list of thousands of names in one go.
constexpr size_t ReadBufferBytes = 256 * 1024;

using lifeline::server::EpollEventDispatcher;

namespace websocketframe = lifeline::server::websocketframe;
using websocketframe::Binary;
using websocketframe::Close;
using websocketframe::Continuation;
using websocketframe::Ping;
using websocketframe::Pong;
using websocketframe::Text;

// RFC 6455 section 7.4.1, those the app's protocol::CloseCode has no use for.
constexpr int CloseProtocolError = 1002;
constexpr int CloseNoStatus = 1005;
constexpr int CloseAbnormal = 1006;
constexpr int CloseUnsupportedData = int(lifeline::protocol::CloseCode::UnsupportedData);
constexpr int CloseTooBig = int(lifeline::protocol::CloseCode::MessageTooBig);

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QByteArray closePayload(int code)
{
    const quint16 big = qToBigEndian(quint16(code));
    return QByteArray(reinterpret_cast<const char *>(&big), 2);
}

// What every peer of this thread reads into: its peers take turns, each reading only from
// inside the loop's report for its own socket.
std::vector<char> &readBuffer()
{
    thread_local std::vector<char> buffer(ReadBufferBytes);
    return buffer;
}

// This thread's peers with a failure for reportFailures() to tell; a peer deleted or aborted
// before then leaves.
thread_local std::vector<RawWebSocketPeer *> t_failed;

void forgetFailure(RawWebSocketPeer *peer)
{
    t_failed.erase(std::remove(t_failed.begin(), t_failed.end(), peer), t_failed.end());
}

EpollEventDispatcher *epollDispatcher()
{
    auto *dispatcher = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
    if (!dispatcher)
        qFatal("RawWebSocketPeer runs on EpollEventDispatcher, and this thread has another event "
               "dispatcher: install one with QCoreApplication::setEventDispatcher() before the "
               "application object, or QThread::setEventDispatcher() before the thread starts");
    return dispatcher;
}

} // namespace

const quint64 RawWebSocketPeer::MaxFrameBytes = lifeline::protocol::MaxClientIncomingBytes;

RawWebSocketPeer::RawWebSocketPeer(Listener *listener, int id)
    : m_dispatcher(epollDispatcher())
    , m_listener(listener)
    , m_id(id)
{ }

RawWebSocketPeer::~RawWebSocketPeer()
{
    if (m_state == State::Open) {
        queueFrame(Close, closePayload(int(lifeline::protocol::CloseCode::GoingAway)));
        QString ignored;
        flush(&ignored);
    }
    closeSocket();
    forgetFailure(this);
}

bool RawWebSocketPeer::resolve(const QUrl &url, Endpoint *endpoint, QString *error)
{
    if (url.scheme() != QLatin1String("ws") || url.host().isEmpty()) {
        *error = QStringLiteral("\"%1\" is not a ws:// URL: the servers under test speak plain "
                                "WebSocket")
                     .arg(url.toDisplayString());
        return false;
    }
    const QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    const QByteArray port = QByteArray::number(url.port(80));
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo *found = nullptr;
    const int status = ::getaddrinfo(host.constData(), port.constData(), &hints, &found);
    if (status != 0 || !found) {
        *error
            = QStringLiteral("cannot resolve %1: %2")
                  .arg(QString::fromLatin1(host), QString::fromLocal8Bit(::gai_strerror(status)));
        return false;
    }
    std::memcpy(&endpoint->address, found->ai_addr, found->ai_addrlen);
    endpoint->length = found->ai_addrlen;
    ::freeaddrinfo(found);
    endpoint->host = url.authority(QUrl::FullyEncoded | QUrl::RemoveUserInfo).toLatin1();
    endpoint->target = url.path(QUrl::FullyEncoded).toLatin1();
    if (endpoint->target.isEmpty())
        endpoint->target = "/";
    if (url.hasQuery())
        endpoint->target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    endpoint->name = QString::fromLatin1(host + ':' + port);
    return true;
}

QByteArray RawWebSocketPeer::acceptFor(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(HandshakeGuid);
    return sha1.result().toBase64();
}

QByteArray RawWebSocketPeer::upgradeRequest(QByteArrayView target, QByteArrayView host,
                                            QByteArrayView key, QByteArrayView extraHeaders)
{
    return "GET " + target.toByteArray() + " HTTP/1.1\r\nHost: " + host.toByteArray()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key.toByteArray()
        + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders.toByteArray() + "\r\n";
}

void RawWebSocketPeer::appendFrame(QByteArray *out, quint8 opcode, QByteArrayView payload,
                                   const char mask[4], bool fin)
{
    const qsizetype length = payload.size();
    const qsizetype start = out->size();
    out->resize(start + websocketframe::MaxHeaderBytes + length);
    const qsizetype header
        = websocketframe::writeHeader(out->data() + start, opcode, quint64(length), fin, mask);
    out->resize(start + header + length);
    auto *masked = reinterpret_cast<uchar *>(out->data() + start + header);
    const auto *in = reinterpret_cast<const uchar *>(payload.data());
    for (qsizetype i = 0; i < length; ++i)
        masked[i] = in[i] ^ uchar(mask[i & 3]);
}

void RawWebSocketPeer::open(const Endpoint &endpoint)
{
    Q_ASSERT(m_state == State::Idle);
    m_peerName = endpoint.name;
    m_state = State::Connecting;
    m_fd = ::socket(endpoint.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        failLater(QStringLiteral("cannot open a socket: %1").arg(systemError(errno)));
        return;
    }
    // Each frame goes out as it is written: a send time in the text must be the time it left.
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // 16 random bytes, as RFC 6455 section 4.1 asks: a key a cache or proxy cannot have seen.
    quint32 nonce[4];
    QRandomGenerator::system()->fillRange(nonce);
    m_key = QByteArray(reinterpret_cast<const char *>(nonce), sizeof nonce).toBase64();
    m_out = upgradeRequest(endpoint.target, endpoint.host, m_key);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&endpoint.address), endpoint.length) != 0
        && errno != EINPROGRESS) {
        failLater(QStringLiteral("cannot connect to %1: %2").arg(m_peerName, systemError(errno)));
        return;
    }
    // Writable once connected; the request goes out then.
    m_wantWrite = true;
    if (!m_dispatcher->watch(m_fd, this, true))
        failLater(QStringLiteral("cannot watch a socket: %1").arg(systemError(errno)));
}

void RawWebSocketPeer::sendText(QByteArrayView utf8)
{
    if (queueFrameIfOpen(Text, utf8))
        flushNow();
}

void RawWebSocketPeer::queueText(QByteArrayView utf8)
{
    if (!queueFrameIfOpen(Text, utf8) || m_wantWrite)
        return;
    m_wantWrite = true;
    if (!m_dispatcher->setWantWrite(m_fd, true))
        failLater(QStringLiteral("cannot watch a socket: %1").arg(systemError(errno)));
}

void RawWebSocketPeer::sendPing()
{
    if (queueFrameIfOpen(Ping, QByteArrayView()))
        flushNow();
}

bool RawWebSocketPeer::queueFrameIfOpen(quint8 opcode, QByteArrayView payload)
{
    Q_ASSERT(m_state != State::Idle && m_state != State::Connecting
             && m_state != State::Handshaking);
    if (m_state != State::Open)
        return false;
    queueFrame(opcode, payload);
    return true;
}

void RawWebSocketPeer::flushNow()
{
    QString problem;
    if (!flush(&problem))
        failLater(problem);
}

void RawWebSocketPeer::abort()
{
    closeSocket();
    forgetFailure(this);
}

void RawWebSocketPeer::ready(quint32 events)
{
    if (m_state == State::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
            error = errno;
        if (error != 0) {
            finish(End::ConnectionLost, CloseAbnormal,
                   QStringLiteral("cannot connect to %1: %2").arg(m_peerName, systemError(error)));
            return;
        }
        // A hang-up without an error yet: the reads below find the end.
        if (!(events & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
            return;
        m_state = State::Handshaking;
    }
    if (m_state == State::Closed)
        return;
    if (events & EPOLLOUT) {
        QString problem;
        if (!flush(&problem)) {
            finish(End::ConnectionLost, CloseAbnormal, problem);
            return;
        }
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        readAvailable();
}

void RawWebSocketPeer::reportFailures()
{
    // One at a time from the list itself: a listener's answer to one failure may open peers
    // that fail in turn (they join the list) or abort one still in it (it leaves).
    while (!t_failed.empty()) {
        RawWebSocketPeer *peer = t_failed.front();
        t_failed.erase(t_failed.begin());
        peer->m_listener->closed(*peer, End::ConnectionLost, CloseAbnormal, peer->m_failure);
    }
}

void RawWebSocketPeer::readAvailable()
{
    std::vector<char> &readInto = readBuffer();
    char *buffer = readInto.data();
    const qsizetype size = qsizetype(readInto.size());
    for (;;) {
        const ssize_t got = ::recv(m_fd, buffer, size_t(size), 0);
        if (got > 0) {
            take(buffer, got, monotonicNowUs());
            // A short read took all there was; level-triggered epoll reports anything newer.
            if (m_state == State::Closed || got < size)
                return;
        } else if (got == 0) {
            finish(End::ConnectionLost, CloseAbnormal,
                   m_state == State::Open
                       ? QStringLiteral("the server ended the TCP connection without a close "
                                        "frame")
                       : QStringLiteral("the server ended the TCP connection before it "
                                        "answered the upgrade request"));
            return;
        } else if (errno != EINTR) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                finish(End::ConnectionLost, CloseAbnormal,
                       QStringLiteral("reading from %1: %2").arg(m_peerName, systemError(errno)));
            return;
        }
    }
}

void RawWebSocketPeer::take(const char *data, qsizetype size, qint64 nowUs)
{
    if (m_partial.isEmpty() && m_state == State::Open) {
        // The usual case: whole frames, parsed where recv() put them.
        const qsizetype used = consumeFrames(data, size, nowUs);
        if (m_state == State::Open && used < size)
            m_partial.append(data + used, size - used);
        return;
    }
    m_partial.append(data, size);
    if (m_state == State::Handshaking)
        readHandshake();
    if (m_state == State::Open) {
        const qsizetype used = consumeFrames(m_partial.constData(), m_partial.size(), nowUs);
        if (m_state == State::Open)
            m_partial.remove(0, used);
    }
    // Only now: a listener that ended the connection from a callback did so while its frame
    // still lay in here.
    if (m_state == State::Closed
        || (m_partial.isEmpty() && m_partial.capacity() > KeptPartialCapacity))
        m_partial = QByteArray();
}

void RawWebSocketPeer::readHandshake()
{
    const qsizetype end = m_partial.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_partial.size() > MaxHandshakeBytes)
            finish(End::ProtocolError, CloseAbnormal,
                   QStringLiteral("the answer to the upgrade request has no end after %1 bytes")
                       .arg(MaxHandshakeBytes));
        return;
    }
    const QString problem = checkHandshake(QByteArrayView(m_partial).first(end));
    if (!problem.isEmpty()) {
        finish(End::ProtocolError, CloseAbnormal, problem);
        return;
    }
    m_partial.remove(0, end + 4);
    m_state = State::Open;
    m_listener->opened(*this);
}

QString RawWebSocketPeer::checkHandshake(QByteArrayView answer) const
{
    const QList<QByteArray> lines = answer.toByteArray().split('\n');
    const QByteArray status = lines.constFirst().trimmed();
    const QList<QByteArray> statusFields = status.split(' ');
    if (statusFields.size() < 2 || statusFields.at(0) != "HTTP/1.1" || statusFields.at(1) != "101")
        return QStringLiteral("the server refused the WebSocket upgrade: \"%1\"")
            .arg(QString::fromLatin1(status));
    bool upgrade = false;
    bool connectionUpgrade = false;
    QByteArray accept;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return QStringLiteral("the server's answer to the upgrade request has a malformed "
                                  "header line: \"%1\"")
                .arg(QString::fromLatin1(line.trimmed()));
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "upgrade") {
            upgrade = value.compare("websocket", Qt::CaseInsensitive) == 0;
        } else if (name == "connection") {
            for (const QByteArray &token : value.split(','))
                connectionUpgrade |= token.trimmed().compare("upgrade", Qt::CaseInsensitive) == 0;
        } else if (name == "sec-websocket-accept") {
            accept = value;
        } else if (name == "sec-websocket-extensions" || name == "sec-websocket-protocol") {
            // RFC 6455 section 4.1: the client fails a connection that picks what it did not offer.
            return QStringLiteral("the server chose %1 \"%2\", and the client offered none")
                .arg(QString::fromLatin1(line.left(colon).trimmed()), QString::fromLatin1(value));
        }
    }
    if (!upgrade || !connectionUpgrade)
        return QStringLiteral("the server's 101 answer lacks \"Upgrade: websocket\" or "
                              "\"Connection: Upgrade\"");
    const QByteArray expected = acceptFor(m_key);
    if (accept != expected)
        return QStringLiteral("the server's Sec-WebSocket-Accept is \"%1\", not \"%2\" (base64 of "
                              "the SHA-1 of our key and the RFC 6455 GUID)")
            .arg(QString::fromLatin1(accept), QString::fromLatin1(expected));
    return {};
}

qsizetype RawWebSocketPeer::consumeFrames(const char *data, qsizetype size, qint64 nowUs)
{
    qsizetype at = 0;
    while (const auto frame = websocketframe::readHeader(data + at, size - at)) {
        const bool fin = frame->isFinal();
        const quint8 opcode = frame->opcode();
        const quint64 length = frame->payloadLength;
        const qsizetype header = frame->size;
        // Checked on the header (a masked one once its key is in), before waiting for a payload
        // that may never fit.
        if (frame->masked) {
            refuseFrame(CloseProtocolError,
                        QStringLiteral("the server sent a masked frame (RFC 6455 section 5.1: a "
                                       "server must not)"));
            return at;
        }
        if (frame->reservedBits()) {
            refuseFrame(CloseProtocolError,
                        QStringLiteral("the server set reserved bits 0x%1 of a frame, and no "
                                       "extension was agreed on")
                            .arg(frame->reservedBits(), 2, 16, QLatin1Char('0')));
            return at;
        }
        if (opcode != Text && opcode != Continuation && opcode != Binary && opcode != Close
            && opcode != Ping && opcode != Pong) {
            refuseFrame(CloseProtocolError,
                        QStringLiteral("the server sent a frame with the reserved opcode 0x%1")
                            .arg(opcode, 0, 16));
            return at;
        }
        if (opcode >= Close) {
            if (!fin || length > 125) {
                refuseFrame(CloseProtocolError,
                            QStringLiteral("the server sent a control frame (opcode 0x%1) that "
                                           "is fragmented or over 125 bytes")
                                .arg(opcode, 0, 16));
                return at;
            }
        } else if (opcode == Continuation || !fin) {
            refuseFrame(CloseProtocolError,
                        QStringLiteral("the server sent a fragmented message; the servers "
                                       "under test send each message in one frame"));
            return at;
        } else if (opcode == Binary) {
            refuseFrame(CloseUnsupportedData,
                        QStringLiteral("the server sent a binary frame; the protocol has text "
                                       "frames only"));
            return at;
        }
        if (length > MaxFrameBytes) {
            refuseFrame(CloseTooBig,
                        QStringLiteral("the server sent a frame of %1 bytes, over the %2 a "
                                       "client accepts")
                            .arg(length)
                            .arg(MaxFrameBytes));
            return at;
        }
        if (quint64(size - at - header) < length)
            break;
        const QByteArrayView payload(data + at + header, qsizetype(length));
        at += header + qsizetype(length);
        switch (opcode) {
        case Text:
            m_listener->textReceived(*this, payload, nowUs);
            break;
        case Ping: {
            QString problem;
            queueFrame(Pong, payload);
            if (!flush(&problem)) {
                finish(End::ConnectionLost, CloseAbnormal, problem);
                return at;
            }
            break;
        }
        case Pong:
            // The answer to ours, or one unasked for (RFC 6455 section 5.5.3 allows that as a
            // heartbeat): both prove the server alive.
            m_listener->pongReceived(*this);
            break;
        case Close: {
            if (payload.size() == 1) {
                refuseFrame(CloseProtocolError,
                            QStringLiteral("the server sent a close frame with a one-byte "
                                           "payload"));
                return at;
            }
            const int code
                = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.data()) : CloseNoStatus;
            const QString reason
                = QString::fromUtf8(payload.size() >= 2 ? payload.sliced(2) : QByteArrayView());
            // Echoed, as RFC 6455 section 5.5.1 asks; the server closes TCP after it.
            queueFrame(Close, payload.size() >= 2 ? payload.first(2) : QByteArrayView());
            QString ignored;
            flush(&ignored);
            finish(End::ServerClosed, code,
                   reason.isEmpty()
                       ? QStringLiteral("the server closed the connection with %1").arg(code)
                       : QStringLiteral("the server closed the connection with %1 (%2)")
                             .arg(code)
                             .arg(reason));
            return at;
        }
        }
        if (m_state != State::Open)
            return at;
    }
    return at;
}

void RawWebSocketPeer::refuseFrame(int closeCode, const QString &why)
{
    // Best effort: the server learns why, but we do not wait for its answer.
    queueFrame(Close, closePayload(closeCode));
    QString ignored;
    flush(&ignored);
    finish(End::ProtocolError, closeCode, why);
}

void RawWebSocketPeer::queueFrame(quint8 opcode, QByteArrayView payload)
{
    // A fresh random mask for every frame (RFC 6455 section 5.3).
    const quint32 maskWord = QRandomGenerator::global()->generate();
    char mask[4];
    std::memcpy(mask, &maskWord, 4);
    appendFrame(&m_out, opcode, payload, mask);
}

bool RawWebSocketPeer::flush(QString *problem)
{
    qsizetype sent = 0;
    while (sent < m_out.size()) {
        const ssize_t wrote
            = ::send(m_fd, m_out.constData() + sent, size_t(m_out.size() - sent), MSG_NOSIGNAL);
        if (wrote > 0) {
            sent += wrote;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else if (errno != EINTR) {
            *problem = QStringLiteral("writing to %1: %2").arg(m_peerName, systemError(errno));
            return false;
        }
    }
    m_out.remove(0, sent);
    const bool wantWrite = !m_out.isEmpty();
    if (wantWrite != m_wantWrite) {
        m_wantWrite = wantWrite;
        if (!m_dispatcher->setWantWrite(m_fd, wantWrite)) {
            *problem = QStringLiteral("cannot watch a socket: %1").arg(systemError(errno));
            return false;
        }
    }
    return true;
}

void RawWebSocketPeer::finish(End end, int closeCode, const QString &why)
{
    closeSocket();
    m_listener->closed(*this, end, closeCode, why);
}

void RawWebSocketPeer::failLater(const QString &why)
{
    closeSocket();
    m_failure = why;
    // Told on the next turn of the event loop, so never from inside the call that failed.
    if (t_failed.empty())
        QTimer::singleShot(0, m_dispatcher, &RawWebSocketPeer::reportFailures);
    t_failed.push_back(this);
}

void RawWebSocketPeer::closeSocket()
{
    if (m_fd >= 0) {
        m_dispatcher->unwatch(m_fd);
        ::close(m_fd);
        m_fd = -1;
    }
    m_state = State::Closed;
    m_out.clear();
}

} // namespace lifeline::testkit
