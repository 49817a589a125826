// The real lifeline-server process, started through BundledServer and spoken to over 127.0.0.1
// by raw QWebSocket and QTcpSocket clients: the protocol as docs/protocol.md describes it, every
// kind of bad input, and the admin commands.

#include "bundledserver.h"

#include <protocol.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QtEndian>

#include <memory>
#include <signal.h>
#include <vector>

using namespace lifeline;

namespace {

const QString AliceToken = QStringLiteral("alice-token-5b2f9c");
const QString BobToken = QStringLiteral("bob-token-e81a07");
const QString WrongToken = QStringLiteral("wrong-token-77d3aa");

// Generous: the machine running the tests may be busy, and nothing here should take long.
constexpr int Timeout = 5000;

QJsonObject parseObject(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QString toText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString helloWithVersion(int version, const QString &uid, const QString &token)
{
    return toText({{QStringLiteral("type"), QStringLiteral("hello")},
                   {QStringLiteral("version"), version},
                   {QStringLiteral("appId"), QStringLiteral("tst_chatserver")},
                   {QStringLiteral("uid"), uid},
                   {QStringLiteral("token"), token}});
}

// A client on a real QWebSocket that records every text frame it receives.
struct Client
{
    explicit Client(const QUrl &url)
        : connected(&socket, &QWebSocket::connected)
        , frames(&socket, &QWebSocket::textMessageReceived)
        , disconnected(&socket, &QWebSocket::disconnected)
    {
        socket.open(url);
    }

    // QWebSocket's destructor would say 1001, going away; a test client that is done is a
    // normal goodbye.
    ~Client() { socket.close(); }

    bool waitConnected()
    {
        if (socket.state() != QAbstractSocket::ConnectedState && !connected.wait(Timeout))
            return false;
        // The local port is gone once the socket closes, and log lines are checked after that.
        peerInServerLog = QStringLiteral("127.0.0.1:%1").arg(socket.localPort());
        return true;
    }

    // The next text frame, parsed; an empty object if none came in time.
    QJsonObject next(int timeout = Timeout)
    {
        QElapsedTimer timer;
        timer.start();
        while (frames.size() <= read && timer.elapsed() < timeout)
            frames.wait(int(timeout - timer.elapsed()));
        if (frames.size() <= read)
            return {};
        return parseObject(frames.at(read++).at(0).toString());
    }

    bool waitDisconnected(int timeout = Timeout)
    {
        return !disconnected.isEmpty() || disconnected.wait(timeout);
    }

    // Sends hello and returns the answer.
    QJsonObject hello(const QString &uid, const QString &token)
    {
        socket.sendTextMessage(protocol::hello(QStringLiteral("tst_chatserver"), uid, token));
        return next();
    }

    bool pingPong(qint64 id)
    {
        socket.sendTextMessage(protocol::ping(id));
        const QJsonObject answer = next();
        return answer.value(QStringLiteral("type")).toString() == protocol::type::Pong
            && answer.value(QStringLiteral("id")).toInteger() == id;
    }

    int closeCode() const { return int(socket.closeCode()); }
    QString peer() const { return peerInServerLog; }

    QWebSocket socket;
    QSignalSpy connected;
    QSignalSpy frames;
    QSignalSpy disconnected;
    qsizetype read = 0;
    QString peerInServerLog;
};

// The client half of RFC 6455 by hand, for what QWebSocket refuses to send (invalid UTF-8) or
// never finishes (a handshake).
struct RawClient
{
    bool connectTcp(quint16 port)
    {
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!socket.waitForConnected(Timeout))
            return false;
        peerInServerLog = QStringLiteral("127.0.0.1:%1").arg(socket.localPort());
        return true;
    }

    bool handshake(quint16 port)
    {
        if (!connectTcp(port))
            return false;
        socket.write("GET / HTTP/1.1\r\n"
                     "Host: 127.0.0.1:"
                     + QByteArray::number(port)
                     + "\r\n"
                       "Upgrade: websocket\r\n"
                       "Connection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n");
        while (!buffer.contains("\r\n\r\n")) {
            if (!socket.waitForReadyRead(Timeout))
                return false;
            buffer += socket.readAll();
        }
        const qsizetype end = buffer.indexOf("\r\n\r\n") + 4;
        const bool switched = buffer.startsWith("HTTP/1.1 101");
        buffer.remove(0, end);
        return switched;
    }

    // A client frame must be masked (RFC 6455 section 5.3).
    void sendFrame(quint8 opcode, const QByteArray &payload)
    {
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        if (payload.size() < 126) {
            frame.append(char(0x80 | payload.size()));
        } else {
            frame.append(char(0x80 | 126));
            const quint16 length = qToBigEndian(quint16(payload.size()));
            frame.append(reinterpret_cast<const char *>(&length), 2);
        }
        const char mask[4] = {0x12, 0x34, 0x56, 0x78};
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload.at(i) ^ mask[i % 4]));
        socket.write(frame);
    }

    // Reads server frames (never masked) until one of opcode arrives; returns its payload, or a
    // null QByteArray if the connection ended first.
    QByteArray readFrame(quint8 opcode)
    {
        for (;;) {
            if (buffer.size() >= 2) {
                const quint8 op = quint8(buffer.at(0)) & 0x0f;
                qsizetype length = quint8(buffer.at(1)) & 0x7f;
                qsizetype header = 2;
                if (length == 126 && buffer.size() >= 4) {
                    length = qFromBigEndian<quint16>(buffer.constData() + 2);
                    header = 4;
                }
                if (length != 126 && buffer.size() >= header + length) {
                    const QByteArray payload = buffer.mid(header, length);
                    buffer.remove(0, header + length);
                    if (op == opcode)
                        return payload.isNull() ? QByteArray("") : payload;
                    continue;
                }
            }
            // What came before a disconnect is still there to read.
            if (socket.bytesAvailable() == 0
                && (socket.state() != QAbstractSocket::ConnectedState
                    || !socket.waitForReadyRead(Timeout)))
                return {};
            buffer += socket.readAll();
        }
    }

    int readCloseCode()
    {
        const QByteArray payload = readFrame(0x8);
        if (payload.size() < 2)
            return -1;
        return qFromBigEndian<quint16>(payload.constData());
    }

    QString peer() const { return peerInServerLog; }

    QTcpSocket socket;
    QByteArray buffer;
    QString peerInServerLog;
};

} // namespace

class tst_ChatServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void firstStdoutLineAndStdinEof();
    void helloGetsWelcome();
    void pingGetsPong();
    void wrongTokenIsRefused_data();
    void wrongTokenIsRefused();
    void unsupportedVersionIsRefused();
    void badFrameBeforeHello_data();
    void badFrameBeforeHello();
    void badFrameAfterHello_data();
    void badFrameAfterHello();
    void binaryFrameCloses1003_data();
    void binaryFrameCloses1003();
    void tooBigCloses1009_data();
    void tooBigCloses1009();
    void largestFrameIsAccepted();
    void invalidUtf8Closes1007_data();
    void invalidUtf8Closes1007();
    void silentClientsAreDropped();
    void notAWebSocketHandshake_data();
    void notAWebSocketHandshake();
    void devModeAcceptsAnyToken();
    void throttleAndUnthrottle();
    void unknownAdminCommand();
    void kickDropsWithoutCloseFrame();
    void quitClosesWith1001();
    void sigtermExitsCleanly();
    void sigintExitsCleanly();

private:
    QUrl url() const { return m_server.url(); }
    bool logged(const QString &needle) const;
    void expectBystanderDown() { m_bystanderMustSurvive = false; }

    QTemporaryDir m_dir;
    QString m_tokensFile;
    BundledServer m_server;
    QStringList m_stderr;
    std::unique_ptr<Client> m_bystander;
    bool m_bystanderMustSurvive = true;
    qint64 m_nextPingId = 1;
};

void tst_ChatServer::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    m_tokensFile = m_dir.filePath(QStringLiteral("tokens"));
    QFile tokens(m_tokensFile);
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write("# test users\n\nalice " + AliceToken.toUtf8() + "\nbob   " + BobToken.toUtf8()
                 + "\n");
    tokens.close();

    connect(&m_server, &BundledServer::standardErrorLine, this,
            [this](const QString &line) { m_stderr.append(line); });
    m_server.setDataDirectory(m_dir.filePath(QStringLiteral("data")));
    m_server.setExtraArguments({QStringLiteral("--tokens"), m_tokensFile});
}

void tst_ChatServer::init()
{
    // Tests that stop the server leave it stopped; the next test gets it back on the same port.
    if (!m_server.isRunning()) {
        m_server.start();
        QVERIFY2(m_server.waitForStarted(), "lifeline-server did not start; see its stderr");
    }
    // A well-behaved client that stays connected through each test: nothing another client
    // does may disturb it.
    m_bystanderMustSurvive = true;
    m_bystander = std::make_unique<Client>(url());
    QVERIFY(m_bystander->waitConnected());
    QCOMPARE(m_bystander->hello(QStringLiteral("bob"), BobToken)
                 .value(QStringLiteral("type"))
                 .toString(),
             protocol::type::Welcome);
}

void tst_ChatServer::cleanup()
{
    if (m_bystander && m_bystanderMustSurvive) {
        QVERIFY2(m_bystander->pingPong(m_nextPingId++),
                 "the bystander client got no pong: the test disturbed other clients");
        QVERIFY(m_server.isRunning());
        QVERIFY(m_bystander->frames.size() == m_bystander->read);
    }
    m_bystander.reset();
    const QString everything = m_stderr.join(QLatin1Char('\n'));
    for (const QString &token : {AliceToken, BobToken, WrongToken})
        QVERIFY2(!everything.contains(token), "a token appeared in the server's log");
    if (m_server.isRunning()) {
        m_server.sendCommand(QStringLiteral("unthrottle"));
        QVERIFY(m_server.waitForCommand());
    }
}

void tst_ChatServer::cleanupTestCase()
{
    m_server.stop();
}

bool tst_ChatServer::logged(const QString &needle) const
{
    for (const QString &line : m_stderr) {
        if (line.contains(needle))
            return true;
    }
    return false;
}

void tst_ChatServer::firstStdoutLineAndStdinEof()
{
    // Straight through QProcess, to see the exact bytes BundledServer parses.
    QProcess process;
    process.setProgram(BundledServer::defaultProgram());
    process.setArguments({QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("eof"))});
    process.start();
    QVERIFY(process.waitForStarted(Timeout));
    QVERIFY(process.waitForReadyRead(Timeout));
    QByteArray output = process.readAllStandardOutput();
    while (!output.contains('\n') && process.waitForReadyRead(Timeout))
        output += process.readAllStandardOutput();
    const QByteArray firstLine = output.left(output.indexOf('\n'));
    const QRegularExpression pattern(QStringLiteral("^listening ws://127\\.0\\.0\\.1:(\\d+)$"));
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(firstLine));
    QVERIFY2(match.hasMatch(), firstLine.constData());
    const int port = match.captured(1).toInt();
    QVERIFY(port > 0 && port < 65536);

    // End of file on stdin must not end the server.
    process.closeWriteChannel();
    process.setReadChannel(QProcess::StandardError);
    QByteArray errors;
    while (!errors.contains("admin input closed") && process.waitForReadyRead(Timeout))
        errors += process.readAllStandardError();
    QVERIFY2(errors.contains("admin input closed"), errors.constData());
    QVERIFY(errors.contains("dev mode"));

    Client client(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port)));
    QVERIFY(client.waitConnected());
    QCOMPARE(client.hello(QStringLiteral("anyone"), QStringLiteral("anything"))
                 .value(QStringLiteral("type"))
                 .toString(),
             protocol::type::Welcome);

    process.terminate();
    QVERIFY(process.waitForFinished(Timeout));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.closeCode(), int(protocol::CloseCode::GoingAway));
}

void tst_ChatServer::helloGetsWelcome()
{
    Client client(url());
    QVERIFY(client.waitConnected());
    const QJsonObject welcome = client.hello(QStringLiteral("alice"), AliceToken);
    QCOMPARE(welcome.value(QStringLiteral("type")).toString(), protocol::type::Welcome);
    QCOMPARE(welcome.value(QStringLiteral("version")).toInt(), protocol::Version);
    QCOMPARE(welcome.value(QStringLiteral("uid")).toString(), QStringLiteral("alice"));
    QCOMPARE(welcome.value(QStringLiteral("throttled")).toArray(), QJsonArray());
    // The codec accepts what the server sent.
    QString error;
    QVERIFY(protocol::Frame::decode(client.frames.at(0).at(0).toString(), &error).isValid());
    QVERIFY(logged(QStringLiteral("%1: \"alice\" logged in").arg(client.peer())));
}

void tst_ChatServer::pingGetsPong()
{
    Client client(url());
    QVERIFY(client.waitConnected());
    client.hello(QStringLiteral("alice"), AliceToken);
    QVERIFY(client.pingPong(0));
    QVERIFY(client.pingPong(-42));
    QVERIFY(client.pingPong(9007199254740992LL)); // 2^53, the largest exact integer
    // Several in flight come back in order.
    for (qint64 id = 100; id < 110; ++id)
        client.socket.sendTextMessage(protocol::ping(id));
    for (qint64 id = 100; id < 110; ++id)
        QCOMPARE(client.next().value(QStringLiteral("id")).toInteger(), id);
}

void tst_ChatServer::wrongTokenIsRefused_data()
{
    QTest::addColumn<QString>("uid");
    QTest::addColumn<QString>("token");
    QTest::newRow("wrong token") << QStringLiteral("alice") << WrongToken;
    QTest::newRow("another user's token") << QStringLiteral("alice") << BobToken;
    QTest::newRow("unknown uid") << QStringLiteral("mallory") << WrongToken;
    QTest::newRow("empty token") << QStringLiteral("alice") << QString();
    QTest::newRow("empty uid") << QString() << AliceToken;
}

void tst_ChatServer::wrongTokenIsRefused()
{
    QFETCH(QString, uid);
    QFETCH(QString, token);
    Client client(url());
    QVERIFY(client.waitConnected());
    const QJsonObject error = client.hello(uid, token);
    QCOMPARE(error.value(QStringLiteral("type")).toString(), protocol::type::Error);
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("ERR_AUTH_FAILED"));
    QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(!error.value(QStringLiteral("details")).toString().isEmpty());
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.closeCode(), int(protocol::CloseCode::AuthFailed));
    QTRY_VERIFY_WITH_TIMEOUT(logged(client.peer() + QStringLiteral(": refused hello")), Timeout);
}

void tst_ChatServer::unsupportedVersionIsRefused()
{
    Client client(url());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(helloWithVersion(2, QStringLiteral("alice"), AliceToken));
    const QJsonObject error = client.next();
    QCOMPARE(error.value(QStringLiteral("code")).toString(),
             QStringLiteral("ERR_UNSUPPORTED_VERSION"));
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.closeCode(), int(protocol::CloseCode::UnsupportedVersion));
    QTRY_VERIFY_WITH_TIMEOUT(logged(client.peer() + QStringLiteral(": refused hello")), Timeout);
}

void tst_ChatServer::badFrameBeforeHello_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("problem"); // part of the error message
    QTest::newRow("empty") << QString() << QStringLiteral("invalid JSON");
    QTest::newRow("invalid JSON") << QStringLiteral("{\"type\":") << QStringLiteral("invalid JSON");
    QTest::newRow("not an object") << QStringLiteral("[1,2]") << QStringLiteral("JSON object");
    QTest::newRow("no type") << QStringLiteral("{\"id\":1}") << QStringLiteral("\"type\"");
    QTest::newRow("unknown type") << QStringLiteral("{\"type\":\"subscribe\"}")
                                  << QStringLiteral("unknown frame type");
    QTest::newRow("hello with a string version")
        << QStringLiteral("{\"type\":\"hello\",\"version\":\"1\",\"appId\":\"t\","
                          "\"uid\":\"alice\",\"token\":\"t\"}")
        << QStringLiteral("\"version\"");
    QTest::newRow("hello without token")
        << QStringLiteral("{\"type\":\"hello\",\"version\":1,\"appId\":\"t\",\"uid\":\"alice\"}")
        << QStringLiteral("\"token\"");
    QTest::newRow("ping before hello") << protocol::ping(1) << QStringLiteral("\"hello\"");
    QTest::newRow("server-to-client type")
        << protocol::welcome(QStringLiteral("alice"), {}) << QStringLiteral("\"hello\"");
}

void tst_ChatServer::badFrameBeforeHello()
{
    QFETCH(QString, frame);
    QFETCH(QString, problem);
    Client client(url());
    QVERIFY(client.waitConnected());
    client.socket.sendTextMessage(frame);
    const QJsonObject error = client.next();
    QCOMPARE(error.value(QStringLiteral("type")).toString(), protocol::type::Error);
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("ERR_PROTOCOL"));
    const QString message = error.value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(problem), qPrintable(message));
    QVERIFY(!error.value(QStringLiteral("details")).toString().isEmpty());
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.closeCode(), int(protocol::CloseCode::ProtocolViolation));
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(client.peer() + QStringLiteral(": refused a frame before hello")), Timeout);
}

void tst_ChatServer::badFrameAfterHello_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("problem");
    QTest::newRow("empty") << QString() << QStringLiteral("invalid JSON");
    QTest::newRow("invalid JSON") << QStringLiteral("not json") << QStringLiteral("invalid JSON");
    QTest::newRow("string") << QStringLiteral("\"ping\"") << QString();
    QTest::newRow("not an object") << QStringLiteral("[]") << QStringLiteral("JSON object");
    QTest::newRow("type not a string")
        << QStringLiteral("{\"type\":7}") << QStringLiteral("\"type\"");
    QTest::newRow("unknown type") << QStringLiteral("{\"type\":\"surprise\"}")
                                  << QStringLiteral("unknown frame type");
    QTest::newRow("ping without id")
        << QStringLiteral("{\"type\":\"ping\"}") << QStringLiteral("\"id\"");
    QTest::newRow("ping with a string id")
        << QStringLiteral("{\"type\":\"ping\",\"id\":\"7\"}") << QStringLiteral("\"id\"");
    QTest::newRow("ping with a fraction")
        << QStringLiteral("{\"type\":\"ping\",\"id\":1.5}") << QStringLiteral("\"id\"");
    QTest::newRow("ping id over 2^53")
        << QStringLiteral("{\"type\":\"ping\",\"id\":9007199254740994}")
        << QStringLiteral("\"id\"");
    QTest::newRow("deep nesting") << QStringLiteral("{\"type\":\"ping\",\"id\":1,\"x\":")
            + QString(5000, QLatin1Char('['))
                                  << QStringLiteral("invalid JSON");
    QTest::newRow("second hello") << protocol::hello(QStringLiteral("t"), QStringLiteral("alice"),
                                                     AliceToken)
                                  << QStringLiteral("already");
    QTest::newRow("welcome from a client")
        << protocol::welcome(QStringLiteral("alice"), {}) << QStringLiteral("server");
    QTest::newRow("pong from a client") << protocol::pong(1) << QStringLiteral("server");
    QTest::newRow("throttle from a client") << protocol::throttle({}) << QStringLiteral("server");
    QTest::newRow("error from a client")
        << protocol::error(QStringLiteral("E"), QStringLiteral("m"), QStringLiteral("d"))
        << QStringLiteral("server");
}

void tst_ChatServer::badFrameAfterHello()
{
    QFETCH(QString, frame);
    QFETCH(QString, problem);
    Client client(url());
    QVERIFY(client.waitConnected());
    QCOMPARE(
        client.hello(QStringLiteral("alice"), AliceToken).value(QStringLiteral("type")).toString(),
        protocol::type::Welcome);
    client.socket.sendTextMessage(frame);
    const QJsonObject error = client.next();
    QCOMPARE(error.value(QStringLiteral("type")).toString(), protocol::type::Error);
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("ERR_PROTOCOL"));
    const QString message = error.value(QStringLiteral("message")).toString();
    QVERIFY(!message.isEmpty());
    QVERIFY2(message.contains(problem), qPrintable(message));
    QVERIFY(!error.value(QStringLiteral("details")).toString().isEmpty());
    // The session goes on.
    QVERIFY(client.pingPong(7));
    QVERIFY(client.disconnected.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(logged(client.peer() + QStringLiteral(": refused a frame: ")),
                             Timeout);
}

void tst_ChatServer::binaryFrameCloses1003_data()
{
    QTest::addColumn<bool>("afterHello");
    QTest::newRow("before hello") << false;
    QTest::newRow("after hello") << true;
}

void tst_ChatServer::binaryFrameCloses1003()
{
    QFETCH(bool, afterHello);
    Client client(url());
    QVERIFY(client.waitConnected());
    if (afterHello)
        client.hello(QStringLiteral("alice"), AliceToken);
    client.socket.sendBinaryMessage(protocol::ping(1).toUtf8());
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.closeCode(), int(protocol::CloseCode::UnsupportedData));
    QTRY_VERIFY_WITH_TIMEOUT(logged(client.peer() + QStringLiteral(": refused a binary frame")),
                             Timeout);
}

void tst_ChatServer::tooBigCloses1009_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<quint64>("frameSize"); // how the client splits the message
    const qsizetype limit = qsizetype(protocol::MaxServerIncomingBytes);
    QTest::newRow("one frame of 64 KiB + 1") << limit + 1 << quint64(1024 * 1024);
    QTest::newRow("one frame of 1 MiB") << qsizetype(1024 * 1024) << quint64(2 * 1024 * 1024);
    QTest::newRow("16 KiB frames adding up to 64 KiB + 1") << limit + 1 << quint64(16 * 1024);
}

void tst_ChatServer::tooBigCloses1009()
{
    QFETCH(qsizetype, size);
    QFETCH(quint64, frameSize);
    Client client(url());
    QVERIFY(client.waitConnected());
    client.hello(QStringLiteral("alice"), AliceToken);
    client.socket.setOutgoingFrameSize(frameSize);
    client.socket.sendTextMessage(QString(size, QLatin1Char('x')));
    QVERIFY(client.waitDisconnected());
    QCOMPARE(client.closeCode(), int(protocol::CloseCode::MessageTooBig));
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(client.peer() + QStringLiteral(": connection closed with 1009")), Timeout);
}

void tst_ChatServer::largestFrameIsAccepted()
{
    // Exactly 64 KiB is still allowed: the limit is inclusive.
    Client client(url());
    QVERIFY(client.waitConnected());
    client.hello(QStringLiteral("alice"), AliceToken);
    QJsonObject ping = parseObject(protocol::ping(5));
    ping.insert(QStringLiteral("padding"), QString());
    const qsizetype padding = qsizetype(protocol::MaxServerIncomingBytes) - toText(ping).size();
    ping.insert(QStringLiteral("padding"), QString(padding, QLatin1Char('p')));
    QCOMPARE(quint64(toText(ping).toUtf8().size()), protocol::MaxServerIncomingBytes);
    client.socket.sendTextMessage(toText(ping));
    QCOMPARE(client.next().value(QStringLiteral("id")).toInteger(), 5);
}

void tst_ChatServer::invalidUtf8Closes1007_data()
{
    QTest::addColumn<bool>("afterHello");
    QTest::newRow("before hello") << false;
    QTest::newRow("after hello") << true;
}

void tst_ChatServer::invalidUtf8Closes1007()
{
    QFETCH(bool, afterHello);
    RawClient client;
    QVERIFY(client.handshake(m_server.port()));
    if (afterHello) {
        client.sendFrame(
            0x1,
            protocol::hello(QStringLiteral("raw"), QStringLiteral("alice"), AliceToken).toUtf8());
        const QByteArray welcome = client.readFrame(0x1);
        QCOMPARE(parseObject(QString::fromUtf8(welcome)).value(QStringLiteral("type")).toString(),
                 protocol::type::Welcome);
    }
    // 0xC3 starts a two-byte sequence that 0x28 does not continue.
    client.sendFrame(0x1, QByteArray("{\"type\":\"ping\",\"id\":1,\"x\":\"\xC3\x28\"}"));
    QCOMPARE(client.readCloseCode(), 1007);
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(client.peer() + QStringLiteral(": connection closed with 1007")), Timeout);
}

void tst_ChatServer::silentClientsAreDropped()
{
    // Both 5 s limits in one test, so the suite waits for them once.
    QElapsedTimer timer;
    timer.start();
    RawClient noHandshake;
    QVERIFY(noHandshake.connectTcp(m_server.port()));
    QSignalSpy tcpDisconnected(&noHandshake.socket, &QTcpSocket::disconnected);
    // A frame that announces 100 bytes and never sends them all.
    RawClient partialFrame;
    QVERIFY(partialFrame.handshake(m_server.port()));
    partialFrame.sendFrame(
        0x1, protocol::hello(QStringLiteral("raw"), QStringLiteral("alice"), AliceToken).toUtf8());
    QVERIFY(!partialFrame.readFrame(0x1).isNull());
    QSignalSpy partialFrameDisconnected(&partialFrame.socket, &QTcpSocket::disconnected);
    partialFrame.socket.write(QByteArray("\x81\xe4\x01\x02\x03\x04"
                                         "0123456789",
                                         16));
    // Half a request line is not a handshake either.
    RawClient partial;
    QVERIFY(partial.connectTcp(m_server.port()));
    QSignalSpy partialDisconnected(&partial.socket, &QTcpSocket::disconnected);
    partial.socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    Client noHello(url());
    QVERIFY(noHello.waitConnected());

    const QJsonObject error = noHello.next(10000);
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("ERR_PROTOCOL"));
    QVERIFY(noHello.waitDisconnected(10000));
    QCOMPARE(noHello.closeCode(), int(protocol::CloseCode::HelloTimeout));
    const qint64 helloElapsed = timer.elapsed();
    QVERIFY2(helloElapsed >= 4500 && helloElapsed < 9000,
             qPrintable(QStringLiteral("closed %1 ms after connecting, expected about 5000")
                            .arg(helloElapsed)));
    QTRY_VERIFY_WITH_TIMEOUT(logged(noHello.peer() + QStringLiteral(": no hello within")), Timeout);

    QVERIFY(!tcpDisconnected.isEmpty() || tcpDisconnected.wait(10000));
    const qint64 tcpElapsed = timer.elapsed();
    QVERIFY2(tcpElapsed >= 4500 && tcpElapsed < 9000,
             qPrintable(QStringLiteral("TCP dropped %1 ms after connecting, expected about 5000")
                            .arg(tcpElapsed)));
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(noHandshake.peer() + QStringLiteral(": no WebSocket handshake")), Timeout);
    QVERIFY(!partialFrameDisconnected.isEmpty() || partialFrameDisconnected.wait(Timeout));
    QCOMPARE(partialFrame.readCloseCode(), int(protocol::CloseCode::GoingAway));
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(partialFrame.peer() + QStringLiteral(": disconnected (close code 1001: Timeout")),
        Timeout);
    QVERIFY(!partialDisconnected.isEmpty() || partialDisconnected.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(logged(partial.peer() + QStringLiteral(": no WebSocket handshake")),
                             Timeout);
}

void tst_ChatServer::notAWebSocketHandshake_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("plain HTTP") << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTest::newRow("wrong WebSocket version")
        << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 8\r\n\r\n");
    // Say, a TLS ClientHello sent to a ws:// port.
    QTest::newRow("not HTTP") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
                                            17);
}

void tst_ChatServer::notAWebSocketHandshake()
{
    QFETCH(QByteArray, request);
    RawClient client;
    QVERIFY(client.connectTcp(m_server.port()));
    QSignalSpy disconnected(&client.socket, &QTcpSocket::disconnected);
    client.socket.write(request);
    QVERIFY(disconnected.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(logged(client.peer()
                                    + QStringLiteral(": connection closed before completing the "
                                                     "WebSocket handshake")),
                             Timeout);
}

void tst_ChatServer::devModeAcceptsAnyToken()
{
    BundledServer devServer;
    devServer.setDataDirectory(m_dir.filePath(QStringLiteral("dev")));
    QStringList devStderr;
    connect(&devServer, &BundledServer::standardErrorLine, this,
            [&devStderr](const QString &line) { devStderr.append(line); });
    devServer.start();
    QVERIFY(devServer.waitForStarted());
    QVERIFY(devServer.port() != m_server.port());

    Client client(devServer.url());
    QVERIFY(client.waitConnected());
    QCOMPARE(client.hello(QStringLiteral("zed"), QStringLiteral("whatever"))
                 .value(QStringLiteral("uid"))
                 .toString(),
             QStringLiteral("zed"));
    Client empty(devServer.url());
    QVERIFY(empty.waitConnected());
    QCOMPARE(empty.hello(QStringLiteral("zed"), QString()).value(QStringLiteral("code")).toString(),
             QStringLiteral("ERR_AUTH_FAILED"));
    QTRY_VERIFY_WITH_TIMEOUT(devStderr.join(QLatin1Char('\n')).contains(QStringLiteral("dev mode")),
                             Timeout);
}

void tst_ChatServer::throttleAndUnthrottle()
{
    Client alice(url());
    QVERIFY(alice.waitConnected());
    alice.hello(QStringLiteral("alice"), AliceToken);
    Client waiting(url()); // connected, no hello yet
    QVERIFY(waiting.waitConnected());

    m_server.sendCommand(QStringLiteral("throttle typing presence"));
    QVERIFY(m_server.waitForCommand());
    const QJsonArray features = {QStringLiteral("typing"), QStringLiteral("presence")};
    for (Client *client : {&alice, m_bystander.get()}) {
        const QJsonObject throttle = client->next();
        QCOMPARE(throttle.value(QStringLiteral("type")).toString(), protocol::type::Throttle);
        QCOMPARE(throttle.value(QStringLiteral("features")).toArray(), features);
    }
    // Not yet authenticated: the list comes in the welcome, not as a throttle frame before it.
    QCOMPARE(waiting.hello(QStringLiteral("alice"), AliceToken)
                 .value(QStringLiteral("throttled"))
                 .toArray(),
             features);
    Client late(url());
    QVERIFY(late.waitConnected());
    QCOMPARE(
        late.hello(QStringLiteral("bob"), BobToken).value(QStringLiteral("throttled")).toArray(),
        features);

    m_server.sendCommand(QStringLiteral("unthrottle"));
    QVERIFY(m_server.waitForCommand());
    for (Client *client : {&alice, &waiting, &late, m_bystander.get()}) {
        const QJsonObject throttle = client->next();
        QCOMPARE(throttle.value(QStringLiteral("type")).toString(), protocol::type::Throttle);
        QCOMPARE(throttle.value(QStringLiteral("features")).toArray(), QJsonArray());
    }
    Client afterwards(url());
    QVERIFY(afterwards.waitConnected());
    QCOMPARE(afterwards.hello(QStringLiteral("bob"), BobToken)
                 .value(QStringLiteral("throttled"))
                 .toArray(),
             QJsonArray());
}

void tst_ChatServer::unknownAdminCommand()
{
    QSignalSpy failed(&m_server, &BundledServer::commandFailed);
    m_server.sendCommand(QStringLiteral("frobnicate now"));
    QVERIFY(!m_server.waitForCommand());
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("frobnicate"));
    QTRY_VERIFY_WITH_TIMEOUT(logged(QStringLiteral("unknown command \"frobnicate\"")), Timeout);
    QVERIFY(logged(QStringLiteral("throttle FEATURE..., unthrottle, kick, quit")));

    m_server.sendCommand(QStringLiteral("throttle"));
    QVERIFY(!m_server.waitForCommand());
    m_server.sendCommand(QStringLiteral("kick everyone"));
    QVERIFY(!m_server.waitForCommand());
}

void tst_ChatServer::kickDropsWithoutCloseFrame()
{
    expectBystanderDown();
    Client alice(url());
    QVERIFY(alice.waitConnected());
    alice.hello(QStringLiteral("alice"), AliceToken);
    Client waiting(url());
    QVERIFY(waiting.waitConnected());
    // Sees the bytes on the wire, to prove that no close frame came.
    RawClient raw;
    QVERIFY(raw.handshake(m_server.port()));
    raw.sendFrame(
        0x1, protocol::hello(QStringLiteral("raw"), QStringLiteral("alice"), AliceToken).toUtf8());
    QVERIFY(!raw.readFrame(0x1).isNull());
    std::vector<std::unique_ptr<QSignalSpy>> errors;
    for (Client *client : {&alice, &waiting, m_bystander.get()})
        errors.push_back(std::make_unique<QSignalSpy>(
            &client->socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error)));

    m_server.sendCommand(QStringLiteral("kick"));
    QVERIFY(m_server.waitForCommand());
    QCOMPARE(raw.readCloseCode(), -1);
    QCOMPARE(raw.socket.state(), QAbstractSocket::UnconnectedState);
    int i = 0;
    for (Client *client : {&alice, &waiting, m_bystander.get()}) {
        QVERIFY(client->waitDisconnected());
        QCOMPARE(errors.at(i++)->value(0).value(0).value<QAbstractSocket::SocketError>(),
                 QAbstractSocket::RemoteHostClosedError);
        // Qt 6.4 leaves closeCode() at its initial 1000 (not 1006) when no close frame came;
        // the empty reason and the RemoteHostClosedError are what give the drop away.
        QVERIFY(client->socket.closeReason().isEmpty());
        QCOMPARE(client->frames.size(), client->read); // no error frame either
    }
    QVERIFY(m_server.isRunning());

    // The server goes on serving.
    Client again(url());
    QVERIFY(again.waitConnected());
    QCOMPARE(
        again.hello(QStringLiteral("alice"), AliceToken).value(QStringLiteral("type")).toString(),
        protocol::type::Welcome);
    QVERIFY(again.pingPong(1));
}

void tst_ChatServer::quitClosesWith1001()
{
    expectBystanderDown();
    Client alice(url());
    QVERIFY(alice.waitConnected());
    alice.hello(QStringLiteral("alice"), AliceToken);
    Client waiting(url());
    QVERIFY(waiting.waitConnected());
    QSignalSpy stopped(&m_server, &BundledServer::stopped);

    m_server.sendCommand(QStringLiteral("quit"));
    QVERIFY(m_server.waitForCommand());
    QVERIFY(m_server.waitForStopped());
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(0).toInt(), 0);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    for (Client *client : {&alice, &waiting, m_bystander.get()}) {
        QVERIFY(client->waitDisconnected());
        QCOMPARE(client->closeCode(), int(protocol::CloseCode::GoingAway));
    }
}

void tst_ChatServer::sigtermExitsCleanly()
{
    expectBystanderDown();
    QSignalSpy stopped(&m_server, &BundledServer::stopped);
    QSignalSpy errors(&m_server, &BundledServer::errorOccurred);
    m_server.stop();
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(0).toInt(), 0);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    QVERIFY(errors.isEmpty());
    QVERIFY(!m_server.isRunning());
    QVERIFY(m_bystander->waitDisconnected());
    QCOMPARE(m_bystander->closeCode(), int(protocol::CloseCode::GoingAway));
}

void tst_ChatServer::sigintExitsCleanly()
{
    expectBystanderDown();
    QSignalSpy stopped(&m_server, &BundledServer::stopped);
    QVERIFY(::kill(static_cast<pid_t>(m_server.processId()), SIGINT) == 0);
    QVERIFY(m_server.waitForStopped());
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(0).toInt(), 0);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    QVERIFY(m_bystander->waitDisconnected());
    QCOMPARE(m_bystander->closeCode(), int(protocol::CloseCode::GoingAway));
}

QTEST_GUILESS_MAIN(tst_ChatServer)
#include "tst_chatserver.moc"
