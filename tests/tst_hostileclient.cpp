// Hostile clients against the real lifeline-server while two app users chat through it: many
// connections at once sending random bytes, truncated, binary, oversized and malformed frames,
// invalid UTF-8, deeply nested JSON, numbers no integer can hold, a slow-loris handshake, and a
// crowd that completes the handshake and then says nothing. Each must be refused with the close
// code docs/protocol.md gives it and a log line naming it; the users must not notice any of it.

#include "bundledserver.h"
#include "chatclient.h"
#include "rawwebsocket.h"
#include "serverwaits.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>
#include <protocol.h>

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QtEndian>

#include <memory>
#include <vector>

using lifeline::harness::BundledServer;
using lifeline::testkit::ChatClient;
using lifeline::testkit::RawWebSocket;

using namespace lifeline;

namespace {

// No close frame: the attack never became a WebSocket.
constexpr int NoCloseFrame = -1;

const QByteArray HandshakeRequest = "GET / HTTP/1.1\r\n"
                                    "Host: 127.0.0.1\r\n"
                                    "Upgrade: websocket\r\n"
                                    "Connection: Upgrade\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                    "Sec-WebSocket-Version: 13\r\n\r\n";

QByteArray helloFrame()
{
    return RawWebSocket::frame(
        0x1,
        protocol::hello(QStringLiteral("hostile"), QStringLiteral("mallory"), QStringLiteral("t"))
            .toUtf8());
}

QByteArray textFrame(const QByteArray &payload)
{
    return RawWebSocket::frame(0x1, payload);
}

} // namespace

// One hostile connection, driven by signals so that the app users in the same process keep
// running: it connects, completes a WebSocket handshake if asked to, sends its attack (all at
// once, or a byte at a time), and keeps what the server sends until the server ends it.
class HostileConnection : public QObject
{
    Q_OBJECT
public:
    HostileConnection(quint16 port, bool handshake, const QByteArray &attack, int byteEveryMs,
                      QObject *parent = nullptr)
        : QObject(parent)
        , m_handshake(handshake)
        , m_attack(attack)
        , m_byteEveryMs(byteEveryMs)
    {
        connect(&m_socket, &QTcpSocket::connected, this, &HostileConnection::onConnected);
        connect(&m_socket, &QTcpSocket::readyRead, this, &HostileConnection::onReadyRead);
        connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_closed = true; });
        connect(&m_trickle, &QTimer::timeout, this, &HostileConnection::sendNextByte);
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    }

    // Whether the server ended the connection.
    bool isClosed() const
    {
        return m_closed || m_socket.state() == QAbstractSocket::UnconnectedState;
    }
    // Whether the whole attack went out before the server ended the connection.
    bool sentEverything() const { return m_sent == m_attack.size(); }
    // The code of the server's close frame, or NoCloseFrame.
    int closeCode() const
    {
        if (m_headerEnd < 0)
            return NoCloseFrame;
        QByteArray frames = m_received.mid(m_headerEnd);
        while (const auto frame = RawWebSocket::takeFrame(&frames)) {
            if (frame->opcode() == 0x8 && frame->payload.size() >= 2)
                return qFromBigEndian<quint16>(frame->payload.constData());
        }
        return NoCloseFrame;
    }
    // "127.0.0.1:PORT" as the server's log names this connection.
    QString peer() const { return m_peer; }

private:
    void onConnected()
    {
        m_peer = QStringLiteral("127.0.0.1:%1").arg(m_socket.localPort());
        if (m_handshake)
            m_socket.write(HandshakeRequest);
        else
            startAttack();
    }

    void onReadyRead()
    {
        m_received += m_socket.readAll();
        if (!m_handshake || m_headerEnd >= 0)
            return;
        const qsizetype end = m_received.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_headerEnd = end + 4;
        if (m_received.startsWith("HTTP/1.1 101"))
            startAttack();
    }

    void startAttack()
    {
        if (m_byteEveryMs > 0) {
            m_trickle.start(m_byteEveryMs);
            return;
        }
        m_socket.write(m_attack);
        m_sent = m_attack.size();
    }

    void sendNextByte()
    {
        if (m_closed || m_sent == m_attack.size()) {
            m_trickle.stop();
            return;
        }
        m_socket.write(m_attack.mid(m_sent++, 1));
    }

    QTcpSocket m_socket;
    QTimer m_trickle;
    bool m_handshake;
    QByteArray m_attack;
    int m_byteEveryMs;
    qsizetype m_sent = 0;
    QByteArray m_received;
    qsizetype m_headerEnd = -1;
    bool m_closed = false;
    QString m_peer;
};

class tst_HostileClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void attacksDoNotDisturbTheUsers();

private:
    struct Attack
    {
        const char *name;
        int count; // connections that each do it
        bool handshake;
        QByteArray bytes;
        int byteEveryMs; // 0: all at once
        int closeCode; // what the server answers, or NoCloseFrame
        QString logged; // what the server logs after the peer's "address:port: "
    };

    QList<Attack> attacks() const;
    bool logged(const QString &needle) const;

    QTemporaryDir m_dir;
    std::unique_ptr<BundledServer> m_server;
    QStringList m_stderr;
};

void tst_HostileClient::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    m_server = std::make_unique<BundledServer>();
    m_server->setDataDirectory(m_dir.filePath(QStringLiteral("data")));
    connect(m_server.get(), &BundledServer::standardErrorLine, this,
            [this](const QString &line) { m_stderr.append(line); });
    m_server->start();
    QVERIFY2(lifeline::testkit::waitForStarted(*m_server),
             "lifeline-server did not start; see its stderr");
}

void tst_HostileClient::cleanupTestCase()
{
    m_server.reset();
}

bool tst_HostileClient::logged(const QString &needle) const
{
    for (const QString &line : m_stderr) {
        if (line.contains(needle))
            return true;
    }
    return false;
}

QList<tst_HostileClient::Attack> tst_HostileClient::attacks() const
{
    // The same bytes every run, so that a failure can be replayed.
    QRandomGenerator random(20260101);
    QByteArray noise(4096, Qt::Uninitialized);
    random.fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);

    const char mask[4] = {1, 2, 3, 4};
    // A frame that announces 100 bytes and brings 10.
    const QByteArray truncated = RawWebSocket::frameHeader(0x1, 100, mask) + "0123456789";
    // A header that announces 2^62 bytes, so that a server trusting it would try to buffer them.
    const QByteArray hugeLength = RawWebSocket::frameHeader(0x1, Q_UINT64_C(1) << 62, mask);
    // RFC 6455 section 5.1: a client must mask every frame; this one is a ping without a mask.
    const QByteArray ping = protocol::ping(1).toUtf8();
    const QByteArray unmasked
        = RawWebSocket::frameHeader(0x1, quint64(ping.size()), nullptr) + ping;
    const QByteArray nested = QByteArray(20000, '[') + QByteArray(20000, ']');
    const QByteArray hugeNumber
        = R"({"type":"hello","version":1e400,"appId":"a","uid":"u","token":"t"})";
    const QByteArray beyond53Bits
        = R"({"type":"hello","version":18446744073709551617,"appId":"a","uid":"u","token":"t"})";
    const QString closedWith = QStringLiteral("connection closed with %1");
    const QString beforeHello = QStringLiteral("refused a frame before hello; closing with 4000");

    return {
        {"random bytes instead of a handshake", 20, false, noise, 0, NoCloseFrame,
         QStringLiteral("no WebSocket handshake within 5000 ms")},
        {"slow-loris handshake, a byte every 100 ms", 1, false, HandshakeRequest, 100, NoCloseFrame,
         QStringLiteral("no WebSocket handshake within 5000 ms")},
        {"handshake, then silence", 100, true, QByteArray(), 0,
         int(protocol::CloseCode::HelloTimeout), QStringLiteral("no hello within 5000 ms")},
        {"truncated frame", 1, true, helloFrame() + truncated, 0,
         int(protocol::CloseCode::GoingAway), QStringLiteral("disconnected (close code 1001")},
        {"binary frame", 1, true, RawWebSocket::frame(0x2, "binary"), 0,
         int(protocol::CloseCode::UnsupportedData), QStringLiteral("refused a binary frame")},
        {"binary frame after hello", 1, true, helloFrame() + RawWebSocket::frame(0x2, "binary"), 0,
         int(protocol::CloseCode::UnsupportedData), QStringLiteral("refused a binary frame")},
        {"oversized frame", 1, true, helloFrame() + textFrame(QByteArray(64 * 1024 + 1, 'x')), 0,
         int(protocol::CloseCode::MessageTooBig), closedWith.arg(1009)},
        {"frame header announcing 2^62 bytes", 1, true, hugeLength, 0,
         int(protocol::CloseCode::MessageTooBig), closedWith.arg(1009)},
        {"oversized message in small fragments", 1, true,
         helloFrame() + RawWebSocket::frame(0x1, QByteArray(40000, 'x'), false)
             + RawWebSocket::frame(0x0, QByteArray(40000, 'x')),
         0, int(protocol::CloseCode::MessageTooBig), closedWith.arg(1009)},
        {"invalid UTF-8", 1, true,
         helloFrame() + textFrame("{\"type\":\"ping\",\"id\":1,\"x\":\"\xC3\x28\"}"), 0, 1007,
         closedWith.arg(1007)},
        // Qt 6.4 does not enforce client masking (which protects proxies, not the server): the
        // frame is read, and refused as a ping before hello.
        {"unmasked frame", 1, true, unmasked, 0, int(protocol::CloseCode::ProtocolViolation),
         beforeHello},
        {"reserved opcode", 1, true, RawWebSocket::frame(0x3, "?"), 0, 1002, closedWith.arg(1002)},
        {"control frame over 125 bytes", 1, true, RawWebSocket::frame(0x9, QByteArray(126, 'p')), 0,
         1002, closedWith.arg(1002)},
        {"continuation without a start", 1, true, RawWebSocket::frame(0x0, "tail"), 0, 1002,
         closedWith.arg(1002)},
        {"deeply nested JSON", 1, true, textFrame(nested), 0,
         int(protocol::CloseCode::ProtocolViolation), beforeHello},
        {"a number beyond double", 1, true, textFrame(hugeNumber), 0,
         int(protocol::CloseCode::ProtocolViolation), beforeHello},
        {"an integer beyond 2^53", 1, true, textFrame(beyond53Bits), 0,
         int(protocol::CloseCode::ProtocolViolation), beforeHello},
    };
}

void tst_HostileClient::attacksDoNotDisturbTheUsers()
{
    // Two users chatting through the server the whole time.
    ChatClient alice(QStringLiteral("alice"), m_server->url(),
                     m_dir.filePath(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), m_server->url(), m_dir.filePath(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected());
    QVERIFY(bob.waitConnected());
    QSignalSpy aliceStatus(&alice.connection, &ConnectionManager::connectionStatusChanged);
    QSignalSpy bobStatus(&bob.connection, &ConnectionManager::connectionStatusChanged);
    QStringList sent;
    QTimer chatter;
    // Ten a second, within the server's rate limit, so that the only thing that could
    // interrupt them is the attack.
    connect(&chatter, &QTimer::timeout, this, [&alice, &sent] {
        const QString text = QStringLiteral("message %1").arg(sent.size());
        alice.messenger.sendMessage(QStringLiteral("general"), text);
        sent.append(text);
    });
    chatter.start(100);

    const QList<Attack> all = attacks();
    std::vector<std::unique_ptr<HostileConnection>> connections;
    QList<const Attack *> attackOf;
    for (const Attack &attack : all) {
        for (int i = 0; i < attack.count; ++i) {
            connections.push_back(std::make_unique<HostileConnection>(
                m_server->port(), attack.handshake, attack.bytes, attack.byteEveryMs));
            attackOf.append(&attack);
        }
    }
    // The slowest refusals wait out the 5 s limits.
    QVERIFY(testkit::waitFor(
        [&connections] {
            for (const auto &connection : connections) {
                if (!connection->isClosed())
                    return false;
            }
            return true;
        },
        20000, "the server to end every hostile connection"));
    chatter.stop();

    for (size_t i = 0; i < connections.size(); ++i) {
        const HostileConnection &connection = *connections.at(i);
        const Attack &attack = *attackOf.at(qsizetype(i));
        QVERIFY2(connection.closeCode() == attack.closeCode,
                 qPrintable(QStringLiteral("%1: close code %2, expected %3")
                                .arg(QLatin1String(attack.name))
                                .arg(connection.closeCode())
                                .arg(attack.closeCode)));
        QTRY_VERIFY2_WITH_TIMEOUT(
            logged(connection.peer() + QStringLiteral(": ") + attack.logged),
            qPrintable(QStringLiteral("%1: no \"%2: %3\" in the server's log")
                           .arg(QLatin1String(attack.name), connection.peer(), attack.logged)),
            testkit::Soon);
        if (attack.byteEveryMs > 0)
            QVERIFY2(!connection.sentEverything(), "the slow-loris handshake was let finish");
    }

    // The users saw nothing of it: still connected, never another status, every message there
    // and in order.
    QVERIFY(m_server->isRunning());
    QVERIFY(alice.waitAllDelivered(testkit::Soon));
    QVERIFY(testkit::waitFor([&bob, &sent] { return bob.received.size() >= sent.size(); },
                             testkit::Soon, "bob to receive every message"));
    QCOMPARE(bob.receivedTexts(), sent);
    QVERIFY(sent.size() >= 30);
    QCOMPARE(aliceStatus.size(), 0);
    QCOMPARE(bobStatus.size(), 0);
    QCOMPARE(alice.connection.connectionStatus(), ConnectionStatus::Connected);
    QCOMPARE(bob.connection.connectionStatus(), ConnectionStatus::Connected);
}

QTEST_GUILESS_MAIN(tst_HostileClient)
#include "tst_hostileclient.moc"
