// RawWebSocketPeer, the WebSocket client of bench_fanout's load generator: the handshake and
// text frames against the real lifeline-server, and against a scripted server on a QTcpServer
// what the servers under test never send, which must end the connection with a clear error
// rather than be read as a message, hang, or crash the generator. It runs on the server's
// epoll event loop, installed here as the generator's workers install it.
#include "bundledserver.h"
#include "epolltestmain.h"
#include "rawwebsocketpeer.h"
#include "testsetup.h"
#include "waitfor.h"
#include "websocketframe.h"

#include <protocol.h>

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <memory>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

using lifeline::harness::BundledServer;

using namespace lifeline;
using lifeline::testkit::RawWebSocketPeer;
using End = RawWebSocketPeer::End;
namespace websocketframe = lifeline::server::websocketframe;

namespace {

// What a connection told its listener.
class Recorder : public RawWebSocketPeer::Listener
{
public:
    void opened(RawWebSocketPeer &) override { isOpen = true; }
    void textReceived(RawWebSocketPeer &, QByteArrayView payload, qint64) override
    {
        texts.append(payload.toByteArray());
    }
    void pongReceived(RawWebSocketPeer &) override { ++pongs; }
    void closed(RawWebSocketPeer &, End how, int code, const QString &reason) override
    {
        if (inCall)
            ++endingsInsideACall;
        ++endings;
        end = how;
        closeCode = code;
        why = reason;
    }

    bool isOpen = false;
    QList<QByteArray> texts;
    int pongs = 0;
    // Set around a call into the peer: the listener must not hear from inside it.
    bool inCall = false;
    int endingsInsideACall = 0;
    int endings = 0;
    End end = End::ConnectionLost;
    int closeCode = 0;
    QString why;
};

// An unmasked server frame: FIN (unless told not to) and opcode, the length in its shortest
// form, the payload.
QByteArray serverFrame(quint8 opcode, const QByteArray &payload, bool fin = true)
{
    char header[websocketframe::MaxHeaderBytes];
    return QByteArray(header,
                      websocketframe::writeHeader(header, opcode, quint64(payload.size()), fin))
        + payload;
}

// A client frame as the server reads it.
struct ClientFrame
{
    quint8 opcode = 0;
    bool masked = false;
    QByteArray mask;
    QByteArray payload; // unmasked
};

// The first whole frame in *buffer, taken out of it; false if there is none yet.
bool takeClientFrame(QByteArray *buffer, ClientFrame *frame)
{
    const auto header = websocketframe::readHeader(buffer->constData(), buffer->size());
    if (!header || quint64(buffer->size() - header->size) < header->payloadLength)
        return false;
    const auto length = qsizetype(header->payloadLength);
    frame->opcode = header->opcode();
    frame->masked = header->masked;
    frame->mask = header->masked ? QByteArray(header->mask, 4) : QByteArray(4, '\0');
    frame->payload = buffer->mid(header->size, length);
    for (qsizetype i = 0; i < length; ++i)
        frame->payload[i] = char(frame->payload.at(i) ^ frame->mask.at(i % 4));
    buffer->remove(0, header->size + length);
    return true;
}

// The type of a server frame, or why it is not one.
QString typeOf(const QByteArray &text)
{
    protocol::DecodeError error;
    const protocol::Frame frame = protocol::Frame::decode(text, &error);
    return frame.isValid() ? frame.type() : error.reason;
}

// Lowers the limit on open descriptors to those open now, so that the next socket() fails
// (EMFILE), until it goes out of scope.
class OutOfDescriptors
{
public:
    OutOfDescriptors()
    {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        // The lowest free number: every one below it is taken.
        const int lowestFree = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        ::close(lowestFree);
        rlimit lowered = m_saved;
        lowered.rlim_cur = rlim_t(lowestFree);
        ::setrlimit(RLIMIT_NOFILE, &lowered);
    }
    ~OutOfDescriptors() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }
    Q_DISABLE_COPY_MOVE(OutOfDescriptors)

private:
    rlimit m_saved {};
};

} // namespace

class TestRawWebSocketPeer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void talksToTheRealServer();
    void reportsTheServersCloseCode();
    void refusesABadHandshake_data();
    void refusesABadHandshake();
    void refusesFramesTheServersNeverSend_data();
    void refusesFramesTheServersNeverSend();
    void answersAPingWithAMaskedPong();
    void reassemblesFramesSplitAcrossReads();
    void masksEveryFrameWithItsOwnKey();
    void queuedFramesLeaveTogetherAfterTheTurn();
    void reportsAConnectionThatEndsWithoutACloseFrame();
    void reportsARefusedConnection();
    void reportsAFailureInsideOpenOnTheNextTurn();
    void reportsNoFailureForAPeerDeletedOrAborted();

private:
    // Starts a real lifeline-server in dataDir and opens m_connection to it; false if either
    // did not happen.
    bool openToRealServer(const QString &dataDir, std::unique_ptr<BundledServer> *server);
    // Opens m_connection to the scripted server and reads its upgrade request, whose key
    // goes to *key; false if it did not come.
    bool openToScripted(QByteArray *key);
    // Answers the upgrade request with 101 and the right Sec-WebSocket-Accept.
    void acceptUpgrade(const QByteArray &key);
    // Runs the event loop until the scripted server has a whole client frame.
    bool readClientFrame(ClientFrame *frame);

    Recorder m_recorder;
    std::unique_ptr<RawWebSocketPeer> m_connection;
    std::unique_ptr<QTcpServer> m_scripted;
    QTcpSocket *m_peer = nullptr;
    QByteArray m_fromClient;
};

void TestRawWebSocketPeer::init()
{
    m_recorder = Recorder();
    m_connection = std::make_unique<RawWebSocketPeer>(&m_recorder, 7);
    m_scripted = std::make_unique<QTcpServer>();
    QVERIFY(m_scripted->listen(QHostAddress::LocalHost));
    m_peer = nullptr;
    m_fromClient.clear();
}

void TestRawWebSocketPeer::cleanup()
{
    m_connection.reset();
    m_scripted.reset();
}

bool TestRawWebSocketPeer::openToScripted(QByteArray *key)
{
    RawWebSocketPeer::Endpoint endpoint;
    QString error;
    if (!RawWebSocketPeer::resolve(
            QUrl(QStringLiteral("ws://127.0.0.1:%1/chat").arg(m_scripted->serverPort())), &endpoint,
            &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    m_connection->open(endpoint);
    if (!testkit::waitFor([this] { return m_scripted->hasPendingConnections(); }, testkit::Soon,
                          "the client to connect"))
        return false;
    m_peer = m_scripted->nextPendingConnection();
    if (!testkit::waitFor(
            [this] {
                m_fromClient += m_peer->readAll();
                return m_fromClient.contains("\r\n\r\n");
            },
            testkit::Soon, "the upgrade request"))
        return false;
    const qsizetype end = m_fromClient.indexOf("\r\n\r\n") + 4;
    const QByteArray request = m_fromClient.left(end);
    m_fromClient.remove(0, end);
    if (!request.startsWith("GET /chat HTTP/1.1\r\n")) {
        qWarning("unexpected request: %s", request.constData());
        return false;
    }
    for (const QByteArray &line : request.split('\n')) {
        if (line.toLower().startsWith("sec-websocket-key:"))
            *key = line.mid(line.indexOf(':') + 1).trimmed();
    }
    return true;
}

void TestRawWebSocketPeer::acceptUpgrade(const QByteArray &key)
{
    m_peer->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                  + RawWebSocketPeer::acceptFor(key) + "\r\n\r\n");
}

bool TestRawWebSocketPeer::readClientFrame(ClientFrame *frame)
{
    // waitFor() asks more than once: the check takes from a copy.
    const bool whole = testkit::waitFor(
        [this] {
            m_fromClient += m_peer->readAll();
            QByteArray copy = m_fromClient;
            ClientFrame ignored;
            return takeClientFrame(&copy, &ignored);
        },
        testkit::Soon, "a frame from the client");
    return whole && takeClientFrame(&m_fromClient, frame);
}

bool TestRawWebSocketPeer::openToRealServer(const QString &dataDir,
                                            std::unique_ptr<BundledServer> *server)
{
    *server = testkit::startServer(dataDir);
    RawWebSocketPeer::Endpoint endpoint;
    QString error;
    if (!*server || !RawWebSocketPeer::resolve((*server)->url(), &endpoint, &error)) {
        qWarning("no server to open to: %s", qPrintable(error));
        return false;
    }
    m_connection->open(endpoint);
    return testkit::waitFor([this] { return m_recorder.isOpen; }, testkit::Soon, "the peer open");
}

void TestRawWebSocketPeer::talksToTheRealServer()
{
    QTemporaryDir dir;
    std::unique_ptr<BundledServer> server;
    QVERIFY(openToRealServer(dir.path(), &server));
    QCOMPARE(m_connection->id(), 7);

    // The server drops a client whose frames are not masked: an answer proves they are.
    m_connection->sendText(
        protocol::hello(QStringLiteral("bench"), QStringLiteral("u1"), QStringLiteral("token"))
            .toUtf8());
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.texts.size(), 1, testkit::Soon);
    QCOMPARE(typeOf(m_recorder.texts.at(0)), protocol::type::Welcome);
    m_connection->sendText(protocol::sync(0).toUtf8());
    // Presence may come first.
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(m_recorder.texts.cbegin(), m_recorder.texts.cend(),
                    [](const QByteArray &text) { return typeOf(text) == protocol::type::Synced; }),
        testkit::Soon);
    // The heartbeat of an idle app, answered.
    m_connection->sendPing();
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.pongs, 1, testkit::Soon);
    QCOMPARE(m_recorder.endings, 0);
}

void TestRawWebSocketPeer::reportsTheServersCloseCode()
{
    QTemporaryDir dir;
    std::unique_ptr<BundledServer> server;
    QVERIFY(openToRealServer(dir.path(), &server));
    // Anything but hello first: the server says why and closes with 4000.
    m_connection->sendText("not a frame");
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.endings, 1, testkit::Soon);
    QCOMPARE(m_recorder.end, End::ServerClosed);
    QCOMPARE(m_recorder.closeCode, int(protocol::CloseCode::ProtocolViolation));
    QVERIFY2(m_recorder.why.contains(QLatin1String("4000")), qPrintable(m_recorder.why));
    QCOMPARE(m_connection->state(), RawWebSocketPeer::State::Closed);
}

void TestRawWebSocketPeer::refusesABadHandshake_data()
{
    QTest::addColumn<QByteArray>("answer"); // KEY stands for the right Sec-WebSocket-Accept
    QTest::addColumn<QString>("expected");
    QTest::newRow("not 101") << QByteArray("HTTP/1.1 503 Service Unavailable\r\n\r\n")
                             << QStringLiteral("refused the WebSocket upgrade");
    QTest::newRow("wrong accept") << QByteArray(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
        "Upgrade\r\nSec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                                  << QStringLiteral("Sec-WebSocket-Accept");
    QTest::newRow("no accept") << QByteArray(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
        "Upgrade\r\n\r\n") << QStringLiteral("Sec-WebSocket-Accept");
    QTest::newRow("no upgrade header")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: KEY\r\n\r\n")
        << QStringLiteral("Upgrade: websocket");
    QTest::newRow("an extension we did not offer")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                      "Upgrade\r\nSec-WebSocket-Accept: KEY\r\n"
                      "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
        << QStringLiteral("permessage-deflate");
}

void TestRawWebSocketPeer::refusesABadHandshake()
{
    QFETCH(QByteArray, answer);
    QFETCH(QString, expected);
    QByteArray key;
    QVERIFY(openToScripted(&key));
    m_peer->write(answer.replace("KEY", RawWebSocketPeer::acceptFor(key)));
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.endings, 1, testkit::Soon);
    QCOMPARE(m_recorder.end, End::ProtocolError);
    QVERIFY2(m_recorder.why.contains(expected), qPrintable(m_recorder.why));
    QVERIFY(!m_recorder.isOpen);
}

void TestRawWebSocketPeer::refusesFramesTheServersNeverSend_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("first fragment")
        << serverFrame(0x1, "half", false) << 1002 << QStringLiteral("fragmented");
    QTest::newRow("continuation") << serverFrame(0x0, "rest") << 1002
                                  << QStringLiteral("fragmented");
    QTest::newRow("binary") << serverFrame(0x2, "\x01\x02") << 1003 << QStringLiteral("binary");
    QTest::newRow("reserved bit") << QByteArray("\xc1\x02hi", 4) << 1002
                                  << QStringLiteral("reserved bits");
    QTest::newRow("reserved opcode")
        << serverFrame(0x3, "x") << 1002 << QStringLiteral("reserved opcode");
    QTest::newRow("reserved control opcode")
        << serverFrame(0xB, "x") << 1002 << QStringLiteral("reserved opcode");
    QTest::newRow("masked") << QByteArray("\x81\x82\x01\x02\x03\x04hi", 8) << 1002
                            << QStringLiteral("masked");
    QTest::newRow("long ping") << serverFrame(0x9, QByteArray(200, 'p')) << 1002
                               << QStringLiteral("control frame");
    // Only the header: a client must not wait for a terabyte before refusing it.
    QTest::newRow("over the limit") << QByteArray("\x81\x7f\x00\x00\x01\x00\x00\x00\x00\x00", 10)
                                    << 1009 << QStringLiteral("over the");
}

void TestRawWebSocketPeer::refusesFramesTheServersNeverSend()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, closeCode);
    QFETCH(QString, expected);
    QByteArray key;
    QVERIFY(openToScripted(&key));
    acceptUpgrade(key);
    // A good frame first: the bad one must not take it along.
    m_peer->write(serverFrame(0x1, "before") + frame + serverFrame(0x1, "after"));
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.endings, 1, testkit::Soon);
    QCOMPARE(m_recorder.texts, QList<QByteArray> {"before"});
    QCOMPARE(m_recorder.end, End::ProtocolError);
    QCOMPARE(m_recorder.closeCode, closeCode);
    QVERIFY2(m_recorder.why.contains(expected), qPrintable(m_recorder.why));
    // The server hears why, in a masked close frame.
    ClientFrame close;
    QVERIFY(readClientFrame(&close));
    QCOMPARE(close.opcode, quint8(0x8));
    QVERIFY(close.masked);
    QCOMPARE(qFromBigEndian<quint16>(close.payload.constData()), quint16(closeCode));
}

void TestRawWebSocketPeer::answersAPingWithAMaskedPong()
{
    QByteArray key;
    QVERIFY(openToScripted(&key));
    acceptUpgrade(key);
    m_peer->write(serverFrame(0x9, "are you there"));
    ClientFrame pong;
    QVERIFY(readClientFrame(&pong));
    QCOMPARE(pong.opcode, quint8(0xA));
    QVERIFY(pong.masked);
    QCOMPARE(pong.payload, QByteArray("are you there"));
    QCOMPARE(m_recorder.endings, 0);
}

void TestRawWebSocketPeer::reassemblesFramesSplitAcrossReads()
{
    QByteArray key;
    QVERIFY(openToScripted(&key));
    // The answer and the first frame in one segment: the frame must not be lost with it.
    const QByteArray large(300 * 1024, 'x'); // past the read buffer, 64-bit length
    const QByteArray bytes = serverFrame(0x1, "first") + serverFrame(0x1, large)
        + serverFrame(0x1, QByteArray(1000, 'm')) + serverFrame(0x1, "last");
    m_peer->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                  "Upgrade\r\nSec-WebSocket-Accept: "
                  + RawWebSocketPeer::acceptFor(key) + "\r\n\r\n" + bytes.left(3));
    QTRY_VERIFY_WITH_TIMEOUT(m_recorder.isOpen, testkit::Soon);
    // The rest a few bytes and then large pieces at a time, each written on its own.
    for (qsizetype at = 3; at < bytes.size();) {
        const qsizetype piece = at < 64 ? 1 : 40000;
        m_peer->write(bytes.mid(at, piece));
        QVERIFY(m_peer->waitForBytesWritten(testkit::Soon));
        QCoreApplication::processEvents();
        at += piece;
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.texts.size(), 4, testkit::Soon);
    QCOMPARE(m_recorder.texts.at(0), QByteArray("first"));
    QCOMPARE(m_recorder.texts.at(1), large);
    QCOMPARE(m_recorder.texts.at(2), QByteArray(1000, 'm'));
    QCOMPARE(m_recorder.texts.at(3), QByteArray("last"));
    QCOMPARE(m_recorder.endings, 0);
}

void TestRawWebSocketPeer::masksEveryFrameWithItsOwnKey()
{
    QByteArray key;
    QVERIFY(openToScripted(&key));
    // 16 random bytes, base64 (RFC 6455 section 4.1).
    QCOMPARE(QByteArray::fromBase64(key).size(), 16);
    acceptUpgrade(key);
    QTRY_VERIFY_WITH_TIMEOUT(m_recorder.isOpen, testkit::Soon);
    const QByteArray text = QByteArray(200, 'a');
    m_connection->sendText(text);
    m_connection->sendText(text);
    ClientFrame first;
    ClientFrame second;
    QVERIFY(readClientFrame(&first));
    QVERIFY(readClientFrame(&second));
    QCOMPARE(first.opcode, quint8(0x1));
    QVERIFY(first.masked && second.masked);
    QCOMPARE(first.payload, text);
    QCOMPARE(second.payload, text);
    // A fixed mask would let a proxy see the text: two masks alike are a 1 in 2^32 chance.
    QVERIFY(first.mask != second.mask);

    // Another connection, another key.
    Recorder other;
    RawWebSocketPeer another(&other, 8);
    RawWebSocketPeer::Endpoint endpoint;
    QString error;
    QVERIFY(RawWebSocketPeer::resolve(
        QUrl(QStringLiteral("ws://127.0.0.1:%1/chat").arg(m_scripted->serverPort())), &endpoint,
        &error));
    another.open(endpoint);
    QTRY_VERIFY_WITH_TIMEOUT(m_scripted->hasPendingConnections(), testkit::Soon);
    QTcpSocket *peer = m_scripted->nextPendingConnection();
    QByteArray request;
    QTRY_VERIFY_WITH_TIMEOUT((request += peer->readAll()).contains("\r\n\r\n"), testkit::Soon);
    QVERIFY(request.contains("Sec-WebSocket-Key: "));
    QVERIFY(!request.contains(key));
}

void TestRawWebSocketPeer::queuedFramesLeaveTogetherAfterTheTurn()
{
    QByteArray key;
    QVERIFY(openToScripted(&key));
    acceptUpgrade(key);
    QTRY_VERIFY_WITH_TIMEOUT(m_recorder.isOpen, testkit::Soon);
    const QList<QByteArray> texts {"first", QByteArray(300, 'b'), "third"};
    for (const QByteArray &text : texts)
        m_connection->queueText(text);
    // Nothing left before the event loop turned: the socket holds no byte of them.
    int unread = -1;
    QVERIFY(::ioctl(int(m_peer->socketDescriptor()), FIONREAD, &unread) == 0);
    QCOMPARE(unread, 0);
    // Then all three at once, in order: the server's first read has every byte of them.
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->bytesAvailable() > 0, testkit::Soon);
    QByteArray all = m_peer->readAll();
    const qsizetype firstRead = all.size();
    for (const QByteArray &text : texts) {
        ClientFrame frame;
        QVERIFY2(takeClientFrame(&all, &frame),
                 qPrintable(QStringLiteral("the first read had %1 bytes").arg(firstRead)));
        QVERIFY(frame.masked);
        QCOMPARE(frame.payload, text);
    }
    QVERIFY(all.isEmpty());
    QCOMPARE(m_recorder.endings, 0);
}

void TestRawWebSocketPeer::reportsAConnectionThatEndsWithoutACloseFrame()
{
    QByteArray key;
    QVERIFY(openToScripted(&key));
    acceptUpgrade(key);
    QTRY_VERIFY_WITH_TIMEOUT(m_recorder.isOpen, testkit::Soon);
    m_peer->disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.endings, 1, testkit::Soon);
    QCOMPARE(m_recorder.end, End::ConnectionLost);
    QCOMPARE(m_recorder.closeCode, 1006);
    QVERIFY2(m_recorder.why.contains(QLatin1String("without a close frame")),
             qPrintable(m_recorder.why));
}

void TestRawWebSocketPeer::reportsARefusedConnection()
{
    const quint16 port = m_scripted->serverPort();
    m_scripted->close();
    RawWebSocketPeer::Endpoint endpoint;
    QString error;
    QVERIFY(RawWebSocketPeer::resolve(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)),
                                      &endpoint, &error));
    m_connection->open(endpoint);
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.endings, 1, testkit::Soon);
    QCOMPARE(m_recorder.end, End::ConnectionLost);
    QVERIFY2(m_recorder.why.contains(QLatin1String("cannot connect to 127.0.0.1:")),
             qPrintable(m_recorder.why));
    QVERIFY(!m_recorder.isOpen);
}

void TestRawWebSocketPeer::reportsAFailureInsideOpenOnTheNextTurn()
{
    RawWebSocketPeer::Endpoint endpoint;
    QString error;
    QVERIFY(RawWebSocketPeer::resolve(
        QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_scripted->serverPort())), &endpoint,
        &error));
    {
        const OutOfDescriptors limit;
        m_recorder.inCall = true;
        m_connection->open(endpoint);
        m_recorder.inCall = false;
    }
    QCOMPARE(m_recorder.endingsInsideACall, 0);
    QCOMPARE(m_connection->state(), RawWebSocketPeer::State::Closed);
    QTRY_COMPARE_WITH_TIMEOUT(m_recorder.endings, 1, testkit::Soon);
    QCOMPARE(m_recorder.end, End::ConnectionLost);
    QCOMPARE(m_recorder.closeCode, 1006);
    QVERIFY2(m_recorder.why.contains(QLatin1String("cannot open a socket")),
             qPrintable(m_recorder.why));
    QTest::qWait(50); // more turns: told once
    QCOMPARE(m_recorder.endings, 1);
}

void TestRawWebSocketPeer::reportsNoFailureForAPeerDeletedOrAborted()
{
    RawWebSocketPeer::Endpoint endpoint;
    QString error;
    QVERIFY(RawWebSocketPeer::resolve(
        QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_scripted->serverPort())), &endpoint,
        &error));
    Recorder aborted;
    RawWebSocketPeer abortedPeer(&aborted, 8);
    Recorder survivor;
    RawWebSocketPeer survivorPeer(&survivor, 9);
    {
        const OutOfDescriptors limit;
        m_connection->open(endpoint);
        abortedPeer.open(endpoint);
        survivorPeer.open(endpoint);
    }
    // Gone, or aborted, before the next turn: nothing is told about it.
    m_connection.reset();
    abortedPeer.abort();
    QTRY_COMPARE_WITH_TIMEOUT(survivor.endings, 1, testkit::Soon);
    QTest::qWait(50);
    QCOMPARE(m_recorder.endings, 0);
    QCOMPARE(aborted.endings, 0);
    QCOMPARE(survivor.endings, 1);
}

LIFELINE_EPOLL_TEST_MAIN(TestRawWebSocketPeer)

#include "tst_rawwebsocketpeer.moc"
