// The real lifeline-server process, started through BundledServer and spoken to over 127.0.0.1
// by raw QWebSocket and QTcpSocket clients: the protocol as docs/protocol.md describes it, every
// kind of bad input, and the admin commands.

#include "bundledserver.h"
#include "protocolclient.h"
#include "rawwebsocket.h"
#include "serverwaits.h"

#include <protocol.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QWebSocket>
#include <QtEndian>

#include <algorithm>
#include <memory>
#include <optional>
#include <signal.h>
#include <vector>

using lifeline::harness::BundledServer;
using lifeline::testkit::ProtocolClient;
using lifeline::testkit::RawWebSocket;
using lifeline::testkit::typeOf;

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

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QStringList typesOf(const QList<QJsonObject> &frames)
{
    QStringList types;
    for (const QJsonObject &frame : frames)
        types.append(typeOf(frame));
    return types;
}

QStringList strings(const QJsonValue &array)
{
    QStringList items;
    const QJsonArray values = array.toArray();
    for (const QJsonValue &value : values)
        items.append(value.toString());
    return items;
}

QString joined(const QJsonValue &array)
{
    return strings(array).join(QLatin1Char(','));
}

// "+carol,dave -bob": who came online and who went offline.
QString describePresenceDiff(const QJsonObject &frame)
{
    QStringList parts;
    const QString online = joined(frame.value(QStringLiteral("online")));
    if (!online.isEmpty())
        parts.append(QLatin1Char('+') + online);
    const QString offline = joined(frame.value(QStringLiteral("offline")));
    if (!offline.isEmpty())
        parts.append(QLatin1Char('-') + offline);
    return parts.join(QLatin1Char(' '));
}

// "typists general: alice,bob", "presence: alice", "presenceDiff: +carol -bob", "throttle:
// typing,presence", or the type of any other frame: one string to compare, which says what came
// instead when it fails.
QString describe(const QJsonObject &frame)
{
    const QString type = typeOf(frame);
    if (type == protocol::type::Typists)
        return QStringLiteral("typists %1: %2")
            .arg(frame.value(QStringLiteral("room")).toString(),
                 joined(frame.value(QStringLiteral("users"))));
    if (type == protocol::type::Presence)
        return QStringLiteral("presence: %1").arg(joined(frame.value(QStringLiteral("users"))));
    if (type == protocol::type::PresenceDiff)
        return QStringLiteral("presenceDiff: %1").arg(describePresenceDiff(frame));
    if (type == protocol::type::Throttle)
        return QStringLiteral("throttle: %1").arg(joined(frame.value(QStringLiteral("features"))));
    if (type == protocol::type::Ack || type == protocol::type::Retry
        || type == protocol::type::Message)
        return QStringLiteral("%1 %2").arg(type, frame.value(QStringLiteral("id")).toString());
    if (type == protocol::type::Nack || type == protocol::type::Error)
        return QStringLiteral("%1 %2").arg(type, frame.value(QStringLiteral("code")).toString());
    return type.isEmpty() ? QStringLiteral("nothing") : type;
}

QStringList describeAll(const QList<QJsonObject> &frames)
{
    QStringList described;
    for (const QJsonObject &frame : frames)
        described.append(describe(frame));
    return described;
}

// Applies a presence change to the list of users online a client holds, as docs/protocol.md
// says a client may: each list sorted, not both empty, nobody coming online who is online or
// going offline who is not. Returns what is wrong with the frame, or nothing.
QString applyPresenceDiff(const QJsonObject &frame, QStringList *held)
{
    if (typeOf(frame) != protocol::type::PresenceDiff)
        return QStringLiteral("expected a presence change, got \"%1\"").arg(describe(frame));
    const QStringList online = strings(frame.value(QStringLiteral("online")));
    const QStringList offline = strings(frame.value(QStringLiteral("offline")));
    const QString what = describe(frame);
    if (online.isEmpty() && offline.isEmpty())
        return QStringLiteral("an empty change");
    if (!std::is_sorted(online.begin(), online.end())
        || !std::is_sorted(offline.begin(), offline.end()))
        return QStringLiteral("not sorted: %1").arg(what);
    for (const QString &user : online) {
        if (held->contains(user))
            return QStringLiteral("%1 came online, but was online: %2").arg(user, what);
        held->append(user);
    }
    for (const QString &user : offline) {
        if (!held->removeOne(user))
            return QStringLiteral("%1 went offline, but was not online: %2").arg(user, what);
    }
    held->sort();
    return {};
}

// Sends id until the server acknowledges it, waiting as each retry says, the way a client does.
// Returns the seq, or -1. Restarts *lastRetry, if given, as each retry arrives.
qint64 sendUntilAcked(ProtocolClient &client, const QString &id, QElapsedTimer *lastRetry = nullptr)
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        client.send(id, QStringLiteral("text ") + id);
        const QJsonObject answer = client.next();
        if (typeOf(answer) == protocol::type::Ack
            && answer.value(QStringLiteral("id")).toString() == id)
            return answer.value(QStringLiteral("seq")).toInteger();
        if (typeOf(answer) != protocol::type::Retry)
            return -1;
        if (lastRetry)
            lastRetry->restart();
        // The protocol tells the client to wait this long: nothing else brings a token back.
        QTest::qWait(int(answer.value(QStringLiteral("afterMs")).toInteger()));
    }
    return -1;
}

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
    void fastPathsAreTheOnesAskedFor();
    void framesStayWholeWhenTheReaderFallsBehind();
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

    // Messages, catch-up, typing, presence and the rate limit.
    void sendIsAckedThenBroadcast();
    void duplicateIdIsStoredOnce();
    void idOfAnotherUsersMessageIsRefused();
    void invalidSendIsNacked_data();
    void invalidSendIsNacked();
    void largestMessageIsAccepted();
    void stricterTextLimit();
    void syncRules();
    void catchUpAfterBeingOffline();
    void gapWhenRetentionRemovedMessages();
    void restartKeepsAckedMessages();
    void typistsGoToOthers();
    void presenceOnJoinAndLeave();
    void userWithTwoConnectionsIsOneChange();
    void adminThrottledPresenceIsNotSent();
    void presenceIsMergedWhenManyJoin();
    void rateLimitRetriesInOrder();
    void rateAndAdminThrottlesAdd();
    void resendEndsTheHoldEvenIfRefused();
    void burstOfTenThousandMessages();
    void clientThatStopsReadingIsDropped();
    void badOptionsExit2_data();
    void badOptionsExit2();
    void unusableMessageStoreExits2_data();
    void unusableMessageStoreExits2();

private:
    QUrl url() const { return m_server.url(); }
    // A server of its own on an empty data directory, in dev mode, for tests that need other
    // options or a store they know all of.
    std::unique_ptr<BundledServer> startServer(const QStringList &arguments);
    bool logged(const QString &needle) const;
    void expectBystanderDown() { m_bystanderMustSurvive = false; }

    QTemporaryDir m_dir;
    QString m_tokensFile;
    BundledServer m_server;
    QStringList m_stderr;
    std::unique_ptr<ProtocolClient> m_bystander;
    bool m_bystanderMustSurvive = true;
    qint64 m_nextPingId = 1;
    int m_serverCount = 0;
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
        QVERIFY2(lifeline::testkit::waitForStarted(m_server),
                 "lifeline-server did not start; see its stderr");
    }
    // A well-behaved client that stays connected through each test: nothing another client
    // does may disturb it.
    m_bystanderMustSurvive = true;
    m_bystander = std::make_unique<ProtocolClient>(url());
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
        QVERIFY(!m_bystander->hasUnread());
    }
    m_bystander.reset();
    const QString everything = m_stderr.join(QLatin1Char('\n'));
    for (const QString &token : {AliceToken, BobToken, WrongToken})
        QVERIFY2(!everything.contains(token), "a token appeared in the server's log");
    if (m_server.isRunning()) {
        m_server.sendCommand(QStringLiteral("unthrottle"));
        QVERIFY(lifeline::testkit::waitForCommand(m_server));
    }
}

void tst_ChatServer::cleanupTestCase()
{
    m_server.stop();
    QVERIFY(lifeline::testkit::waitForStopped(m_server));
}

std::unique_ptr<BundledServer> tst_ChatServer::startServer(const QStringList &arguments)
{
    auto server = std::make_unique<BundledServer>();
    server->setDataDirectory(m_dir.filePath(QStringLiteral("server%1").arg(++m_serverCount)));
    server->setExtraArguments(arguments);
    connect(server.get(), &BundledServer::standardErrorLine, this,
            [this](const QString &line) { m_stderr.append(line); });
    server->start();
    if (!lifeline::testkit::waitForStarted(*server))
        return nullptr;
    return server;
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

    ProtocolClient client(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port)));
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
    ProtocolClient client(url());
    QVERIFY(client.waitConnected());
    const QJsonObject welcome = client.hello(QStringLiteral("alice"), AliceToken);
    QCOMPARE(welcome.value(QStringLiteral("type")).toString(), protocol::type::Welcome);
    QCOMPARE(welcome.value(QStringLiteral("version")).toInt(), protocol::Version);
    QCOMPARE(welcome.value(QStringLiteral("uid")).toString(), QStringLiteral("alice"));
    QCOMPARE(welcome.value(QStringLiteral("throttled")).toArray(), QJsonArray());
    // The codec accepts what the server sent.
    protocol::DecodeError error;
    QVERIFY(protocol::Frame::decode(client.frames.at(0).at(0).toString(), &error).isValid());
    QVERIFY(logged(QStringLiteral("%1: \"alice\" logged in").arg(client.peer())));
}

void tst_ChatServer::pingGetsPong()
{
    ProtocolClient client(url());
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

void tst_ChatServer::fastPathsAreTheOnesAskedFor()
{
    // The server suites run once per transport and event loop (tests/CMakeLists.txt sets
    // LIFELINE_TRANSPORT and LIFELINE_EVENT_LOOP): unless the server runs what each run asks
    // for, they would all test the defaults.
    const QString transport = qEnvironmentVariable("LIFELINE_TRANSPORT", QStringLiteral("raw"));
    const QString loop = qEnvironmentVariable("LIFELINE_EVENT_LOOP", QStringLiteral("epoll"));
    const QString line = QStringLiteral("text frames through the %1 transport, %2 event loop");
    QVERIFY2(logged(line.arg(transport, loop)), qPrintable(m_stderr.join(QLatin1Char('\n'))));
    // A flag wins over the environment.
    const QString otherTransport
        = transport == QLatin1String("raw") ? QStringLiteral("qt") : QStringLiteral("raw");
    const QString otherLoop
        = loop == QLatin1String("epoll") ? QStringLiteral("qt") : QStringLiteral("epoll");
    auto other = startServer(
        {QStringLiteral("--transport"), otherTransport, QStringLiteral("--event-loop"), otherLoop});
    QVERIFY(other);
    QVERIFY(logged(line.arg(otherTransport, otherLoop)));
    ProtocolClient alice(other->url());
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    QVERIFY(alice.pingPong(1));
}

void tst_ChatServer::framesStayWholeWhenTheReaderFallsBehind()
{
    // The server writes its frames to the TCP socket under the QWebSocket, straight to the
    // kernel while nothing waits in Qt's buffer, and Qt writes its pongs there too. That holds
    // only while each of them appends whole frames and the raw path never writes past what
    // waits in Qt's buffer. This reader stops reading until the kernel's buffers and Qt's are
    // full, pinging all the while, then checks that the bytes are whole frames in order.
    auto server = startServer({QStringLiteral("--rate"), QStringLiteral("0")});
    QVERIFY(server);
    RawWebSocket reader;
    QVERIFY(reader.handshake(quint16(server->url().port())));
    reader.sendFrame(
        0x1,
        protocol::hello(QStringLiteral("rawreader"), QStringLiteral("reader"), QStringLiteral("t"))
            .toUtf8());
    reader.sendFrame(0x1, protocol::sync(0).toUtf8()); // and the live messages from now on
    QVERIFY(reader.socket.waitForBytesWritten(Timeout));
    // What the socket holds unread makes the kernel's window close, as a slow phone's does.
    reader.socket.setReadBufferSize(4096);

    ProtocolClient writer(server->url());
    writer.login(QStringLiteral("writer"));
    constexpr int Messages = 3500;
    constexpr int PingEvery = 100;
    const QString filler(4000, QLatin1Char('x'));
    for (int i = 0; i < Messages; ++i) {
        writer.send(QStringLiteral("w%1").arg(i), QStringLiteral("%1 %2").arg(i).arg(filler));
        if (i % PingEvery == 0)
            reader.sendFrame(0x9, QByteArray::number(i));
        if (i % 50 == 0)
            QTest::qWait(1); // the writer's acks and the server's turns go on meanwhile
    }
    int acks = 0;
    while (acks < Messages) {
        const QJsonObject frame = writer.next(30000);
        QVERIFY2(!frame.isEmpty(), qPrintable(QStringLiteral("%1 acks").arg(acks)));
        if (typeOf(frame) == protocol::type::Ack)
            ++acks;
    }

    reader.socket.setReadBufferSize(0);
    int messages = 0;
    QList<QByteArray> pongs;
    QElapsedTimer clock;
    clock.start();
    while ((messages < Messages || pongs.size() < Messages / PingEvery)
           && clock.elapsed() < 60000) {
        while (const std::optional<RawWebSocket::ServerFrame> frame
               = RawWebSocket::takeFrame(&reader.buffer)) {
            QVERIFY(frame->isFinal());
            QVERIFY(!frame->hasReservedBits());
            QVERIFY(!frame->masked);
            if (frame->opcode() == 0xA) {
                pongs.append(frame->payload);
                continue;
            }
            QCOMPARE(frame->opcode(), quint8(0x1));
            protocol::DecodeError error;
            const protocol::Frame decoded = protocol::Frame::decode(frame->payload, &error);
            QVERIFY2(decoded.isValid(), qPrintable(error.reason));
            if (decoded.type() != protocol::type::Message)
                continue;
            QCOMPARE(decoded.text(QStringLiteral("id")), QStringLiteral("w%1").arg(messages));
            ++messages;
        }
        if (reader.socket.bytesAvailable() == 0)
            reader.socket.waitForReadyRead(1000);
        reader.buffer += reader.socket.readAll();
    }
    QCOMPARE(messages, Messages);
    QCOMPARE(pongs.size(), Messages / PingEvery);
    for (int i = 0; i < pongs.size(); ++i)
        QCOMPARE(pongs.at(i), QByteArray::number(i * PingEvery));
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
    ProtocolClient client(url());
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
    ProtocolClient client(url());
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
    QTest::newRow("send before hello")
        << protocol::send(QStringLiteral("id"), QStringLiteral("general"), QStringLiteral("hi"), 1)
        << QStringLiteral("\"hello\"");
    QTest::newRow("sync before hello") << protocol::sync(0) << QStringLiteral("\"hello\"");
    QTest::newRow("typing before hello")
        << protocol::typing(QStringLiteral("general"), true) << QStringLiteral("\"hello\"");
}

void tst_ChatServer::badFrameBeforeHello()
{
    QFETCH(QString, frame);
    QFETCH(QString, problem);
    ProtocolClient client(url());
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
    QTest::newRow("send without text")
        << QStringLiteral("{\"type\":\"send\",\"id\":\"a\",\"room\":\"r\",\"sentAt\":1}")
        << QStringLiteral("\"text\"");
    QTest::newRow("send with a string sentAt")
        << QStringLiteral("{\"type\":\"send\",\"id\":\"a\",\"room\":\"r\",\"text\":\"t\","
                          "\"sentAt\":\"now\"}")
        << QStringLiteral("\"sentAt\"");
    QTest::newRow("sync with a string since")
        << QStringLiteral("{\"type\":\"sync\",\"since\":\"0\"}") << QStringLiteral("\"since\"");
    QTest::newRow("typing with a number")
        << QStringLiteral("{\"type\":\"typing\",\"room\":\"r\",\"typing\":1}")
        << QStringLiteral("\"typing\"");
    QTest::newRow("ack from a client")
        << protocol::ack(QStringLiteral("a"), 1) << QStringLiteral("server");
    QTest::newRow("message from a client")
        << protocol::message(QStringLiteral("a"), QStringLiteral("r"), QStringLiteral("alice"),
                             QStringLiteral("t"), 1, 1)
        << QStringLiteral("server");
    QTest::newRow("presence from a client") << protocol::presence({}) << QStringLiteral("server");
}

void tst_ChatServer::badFrameAfterHello()
{
    QFETCH(QString, frame);
    QFETCH(QString, problem);
    ProtocolClient client(url());
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
    ProtocolClient client(url());
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
    ProtocolClient client(url());
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
    ProtocolClient client(url());
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
    RawWebSocket client;
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
    RawWebSocket noHandshake;
    QVERIFY(noHandshake.connectTcp(m_server.port()));
    QSignalSpy tcpDisconnected(&noHandshake.socket, &QTcpSocket::disconnected);
    // A frame that announces 100 bytes and never sends them all.
    RawWebSocket partialFrame;
    QVERIFY(partialFrame.handshake(m_server.port()));
    partialFrame.sendFrame(
        0x1, protocol::hello(QStringLiteral("raw"), QStringLiteral("alice"), AliceToken).toUtf8());
    QVERIFY(!partialFrame.readFrame(0x1).isNull());
    QSignalSpy partialFrameDisconnected(&partialFrame.socket, &QTcpSocket::disconnected);
    partialFrame.socket.write(QByteArray("\x81\xe4\x01\x02\x03\x04"
                                         "0123456789",
                                         16));
    // Half a request line is not a handshake either.
    RawWebSocket partial;
    QVERIFY(partial.connectTcp(m_server.port()));
    QSignalSpy partialDisconnected(&partial.socket, &QTcpSocket::disconnected);
    partial.socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    ProtocolClient noHello(url());
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
                                            15);
}

void tst_ChatServer::notAWebSocketHandshake()
{
    QFETCH(QByteArray, request);
    RawWebSocket client;
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
    QVERIFY(lifeline::testkit::waitForStarted(devServer));
    QVERIFY(devServer.port() != m_server.port());

    ProtocolClient client(devServer.url());
    QVERIFY(client.waitConnected());
    QCOMPARE(client.hello(QStringLiteral("zed"), QStringLiteral("whatever"))
                 .value(QStringLiteral("uid"))
                 .toString(),
             QStringLiteral("zed"));
    ProtocolClient empty(devServer.url());
    QVERIFY(empty.waitConnected());
    QCOMPARE(empty.hello(QStringLiteral("zed"), QString()).value(QStringLiteral("code")).toString(),
             QStringLiteral("ERR_AUTH_FAILED"));
    QTRY_VERIFY_WITH_TIMEOUT(devStderr.join(QLatin1Char('\n')).contains(QStringLiteral("dev mode")),
                             Timeout);
}

void tst_ChatServer::throttleAndUnthrottle()
{
    ProtocolClient alice(url());
    QVERIFY(alice.waitConnected());
    alice.hello(QStringLiteral("alice"), AliceToken);
    ProtocolClient waiting(url()); // connected, no hello yet
    QVERIFY(waiting.waitConnected());

    m_server.sendCommand(QStringLiteral("throttle typing presence"));
    QVERIFY(lifeline::testkit::waitForCommand(m_server));
    const QJsonArray features = {QStringLiteral("typing"), QStringLiteral("presence")};
    for (ProtocolClient *client : {&alice, m_bystander.get()}) {
        const QJsonObject throttle = client->next();
        QCOMPARE(throttle.value(QStringLiteral("type")).toString(), protocol::type::Throttle);
        QCOMPARE(throttle.value(QStringLiteral("features")).toArray(), features);
    }
    // Not yet authenticated: the list comes in the welcome, not as a throttle frame before it.
    QCOMPARE(waiting.hello(QStringLiteral("alice"), AliceToken)
                 .value(QStringLiteral("throttled"))
                 .toArray(),
             features);
    ProtocolClient late(url());
    QVERIFY(late.waitConnected());
    QCOMPARE(
        late.hello(QStringLiteral("bob"), BobToken).value(QStringLiteral("throttled")).toArray(),
        features);

    m_server.sendCommand(QStringLiteral("unthrottle"));
    QVERIFY(lifeline::testkit::waitForCommand(m_server));
    for (ProtocolClient *client : {&alice, &waiting, &late, m_bystander.get()}) {
        const QJsonObject throttle = client->next();
        QCOMPARE(throttle.value(QStringLiteral("type")).toString(), protocol::type::Throttle);
        QCOMPARE(throttle.value(QStringLiteral("features")).toArray(), QJsonArray());
    }
    ProtocolClient afterwards(url());
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
    QVERIFY(!lifeline::testkit::waitForCommand(m_server));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("frobnicate"));
    QTRY_VERIFY_WITH_TIMEOUT(logged(QStringLiteral("unknown command \"frobnicate\"")), Timeout);
    QVERIFY(logged(QStringLiteral("throttle FEATURE..., unthrottle, kick, quit")));

    m_server.sendCommand(QStringLiteral("throttle"));
    QVERIFY(!lifeline::testkit::waitForCommand(m_server));
    m_server.sendCommand(QStringLiteral("kick everyone"));
    QVERIFY(!lifeline::testkit::waitForCommand(m_server));
}

void tst_ChatServer::kickDropsWithoutCloseFrame()
{
    expectBystanderDown();
    ProtocolClient alice(url());
    QVERIFY(alice.waitConnected());
    alice.hello(QStringLiteral("alice"), AliceToken);
    ProtocolClient waiting(url());
    QVERIFY(waiting.waitConnected());
    // Sees the bytes on the wire, to prove that no close frame came.
    RawWebSocket raw;
    QVERIFY(raw.handshake(m_server.port()));
    raw.sendFrame(
        0x1, protocol::hello(QStringLiteral("raw"), QStringLiteral("alice"), AliceToken).toUtf8());
    QVERIFY(!raw.readFrame(0x1).isNull());
    std::vector<std::unique_ptr<QSignalSpy>> errors;
    for (ProtocolClient *client : {&alice, &waiting, m_bystander.get()})
        errors.push_back(std::make_unique<QSignalSpy>(
            &client->socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error)));

    m_server.sendCommand(QStringLiteral("kick"));
    QVERIFY(lifeline::testkit::waitForCommand(m_server));
    QCOMPARE(raw.readCloseCode(), -1);
    QCOMPARE(raw.socket.state(), QAbstractSocket::UnconnectedState);
    int i = 0;
    for (ProtocolClient *client : {&alice, &waiting, m_bystander.get()}) {
        QVERIFY(client->waitDisconnected());
        QCOMPARE(errors.at(i++)->value(0).value(0).value<QAbstractSocket::SocketError>(),
                 QAbstractSocket::RemoteHostClosedError);
        // Qt 6.4 leaves closeCode() at its initial 1000 (not 1006) when no close frame came;
        // the empty reason and the RemoteHostClosedError are what give the drop away.
        QVERIFY(client->socket.closeReason().isEmpty());
        QVERIFY(!client->hasUnread()); // no error frame either
    }
    QVERIFY(m_server.isRunning());

    // The server goes on serving.
    ProtocolClient again(url());
    QVERIFY(again.waitConnected());
    QCOMPARE(
        again.hello(QStringLiteral("alice"), AliceToken).value(QStringLiteral("type")).toString(),
        protocol::type::Welcome);
    QVERIFY(again.pingPong(1));
}

void tst_ChatServer::quitClosesWith1001()
{
    expectBystanderDown();
    ProtocolClient alice(url());
    QVERIFY(alice.waitConnected());
    alice.hello(QStringLiteral("alice"), AliceToken);
    ProtocolClient waiting(url());
    QVERIFY(waiting.waitConnected());
    QSignalSpy stopped(&m_server, &BundledServer::stopped);

    m_server.sendCommand(QStringLiteral("quit"));
    QVERIFY(lifeline::testkit::waitForCommand(m_server));
    QVERIFY(lifeline::testkit::waitForStopped(m_server));
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(0).toInt(), 0);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    for (ProtocolClient *client : {&alice, &waiting, m_bystander.get()}) {
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
    QVERIFY(lifeline::testkit::waitForStopped(m_server));
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
    QVERIFY(lifeline::testkit::waitForStopped(m_server));
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(0).toInt(), 0);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    QVERIFY(m_bystander->waitDisconnected());
    QCOMPARE(m_bystander->closeCode(), int(protocol::CloseCode::GoingAway));
}

void tst_ChatServer::sendIsAckedThenBroadcast()
{
    ProtocolClient alice(url());
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"), AliceToken)), protocol::type::Welcome);
    QVERIFY(alice.catchUp(0) >= 0);
    ProtocolClient bob(url());
    QCOMPARE(typeOf(bob.login(QStringLiteral("bob"), BobToken)), protocol::type::Welcome);
    QVERIFY(bob.catchUp(0) >= 0);
    ProtocolClient lurker(url()); // logged in, never synced
    QCOMPARE(typeOf(lurker.login(QStringLiteral("bob"), BobToken)), protocol::type::Welcome);

    const QStringList ids = {newId(), newId(), newId()};
    for (int i = 0; i < ids.size(); ++i) {
        // The sender comes from the login, whatever the frame claims.
        QJsonObject send
            = parseObject(protocol::send(ids.at(i), QStringLiteral("general"),
                                         QStringLiteral("text %1").arg(i), 1700000000000 + i));
        send.insert(QStringLiteral("sender"), QStringLiteral("mallory"));
        alice.socket.sendTextMessage(toText(send));
    }

    // The sender hears each ack before its own copy of the message, and seq goes up.
    QHash<QString, qint64> acked;
    qint64 lastSeq = 0;
    QStringList ownCopies;
    while (ownCopies.size() < ids.size()) {
        const QJsonObject frame = alice.next();
        const QString id = frame.value(QStringLiteral("id")).toString();
        if (typeOf(frame) == protocol::type::Ack) {
            const qint64 seq = frame.value(QStringLiteral("seq")).toInteger();
            QVERIFY(seq > lastSeq);
            lastSeq = seq;
            acked.insert(id, seq);
            continue;
        }
        QCOMPARE(describe(frame), QStringLiteral("message ") + id);
        QVERIFY2(acked.contains(id), "a message came before its ack");
        QCOMPARE(frame.value(QStringLiteral("seq")).toInteger(), acked.value(id));
        ownCopies.append(id);
    }
    QCOMPARE(ownCopies, ids);

    // Every live connection gets each message in order, as it was stored.
    for (int i = 0; i < ids.size(); ++i) {
        const QJsonObject message = bob.next();
        QCOMPARE(describe(message), QStringLiteral("message ") + ids.at(i));
        QCOMPARE(message.value(QStringLiteral("seq")).toInteger(), acked.value(ids.at(i)));
        QCOMPARE(message.value(QStringLiteral("room")).toString(), QStringLiteral("general"));
        QCOMPARE(message.value(QStringLiteral("sender")).toString(), QStringLiteral("alice"));
        QCOMPARE(message.value(QStringLiteral("text")).toString(),
                 QStringLiteral("text %1").arg(i));
        QCOMPARE(message.value(QStringLiteral("sentAt")).toInteger(), 1700000000000 + i);
        protocol::DecodeError error;
        QVERIFY2(protocol::Frame::decode(toText(message), &error).isValid(),
                 qPrintable(error.reason));
    }
    // A connection that has not synced gets no messages.
    QCOMPARE(typesOf(lurker.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
}

void tst_ChatServer::duplicateIdIsStoredOnce()
{
    ProtocolClient alice(url());
    alice.login(QStringLiteral("alice"), AliceToken);
    QVERIFY(alice.catchUp(0) >= 0);
    ProtocolClient bob(url());
    bob.login(QStringLiteral("bob"), BobToken);
    QVERIFY(bob.catchUp(0) >= 0);

    const QString id = newId();
    alice.send(id, QStringLiteral("first"));
    const QJsonObject ack = alice.next();
    QCOMPARE(describe(ack), QStringLiteral("ack ") + id);
    const qint64 seq = ack.value(QStringLiteral("seq")).toInteger();
    QCOMPARE(describe(alice.next()), QStringLiteral("message ") + id);
    QCOMPARE(describe(bob.next()), QStringLiteral("message ") + id);

    // Again later, and twice in one go (so in one commit): the same seq, nothing broadcast.
    alice.send(id, QStringLiteral("second"));
    alice.send(id, QStringLiteral("third"));
    for (int i = 0; i < 2; ++i) {
        const QJsonObject again = alice.next();
        QCOMPARE(describe(again), QStringLiteral("ack ") + id);
        QCOMPARE(again.value(QStringLiteral("seq")).toInteger(), seq);
    }
    const QString fresh = newId();
    alice.send(fresh, QStringLiteral("new"));
    alice.send(fresh, QStringLiteral("new"));
    // Whether the two made one commit or two, the message comes once, after the first ack.
    QCOMPARE(describe(alice.next()), QStringLiteral("ack ") + fresh);
    QStringList rest = {describe(alice.next()), describe(alice.next())};
    rest.sort();
    QCOMPARE(rest,
             QStringList({QStringLiteral("ack ") + fresh, QStringLiteral("message ") + fresh}));
    QCOMPARE(describe(bob.next()), QStringLiteral("message ") + fresh);
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    // The app restarted and sends its outbox again on a new connection.
    ProtocolClient restarted(url());
    restarted.login(QStringLiteral("alice"), AliceToken);
    restarted.send(id, QStringLiteral("fourth"));
    const QJsonObject ackAfterRestart = restarted.next();
    QCOMPARE(describe(ackAfterRestart), QStringLiteral("ack ") + id);
    QCOMPARE(ackAfterRestart.value(QStringLiteral("seq")).toInteger(), seq);
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    // Stored once, with the first text.
    ProtocolClient reader(url());
    reader.login(QStringLiteral("bob"), BobToken);
    QList<QJsonObject> stored;
    QVERIFY(reader.catchUp(seq - 1, &stored) > seq);
    QCOMPARE(typesOf(stored), QStringList(2, protocol::type::Message));
    QCOMPARE(stored.at(0).value(QStringLiteral("id")).toString(), id);
    QCOMPARE(stored.at(0).value(QStringLiteral("text")).toString(), QStringLiteral("first"));
    QCOMPARE(stored.at(1).value(QStringLiteral("id")).toString(), fresh);
}

void tst_ChatServer::idOfAnotherUsersMessageIsRefused()
{
    ProtocolClient alice(url());
    alice.login(QStringLiteral("alice"), AliceToken);
    ProtocolClient bob(url());
    bob.login(QStringLiteral("bob"), BobToken);
    QVERIFY(bob.catchUp(0) >= 0);
    const QString id = newId();
    alice.send(id, QStringLiteral("mine"));
    QCOMPARE(describe(alice.next()), QStringLiteral("ack ") + id);
    QCOMPARE(describe(bob.next()), QStringLiteral("message ") + id);

    // An ack would tell bob his message is stored when it is not.
    bob.send(id, QStringLiteral("also mine?"));
    const QJsonObject nack = bob.next();
    QCOMPARE(describe(nack), QStringLiteral("nack ERR_INVALID_ARGUMENT"));
    QCOMPARE(nack.value(QStringLiteral("id")).toString(), id);
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());
    QTRY_VERIFY_WITH_TIMEOUT(logged(QStringLiteral("another user's message has this id")), Timeout);
}

void tst_ChatServer::invalidSendIsNacked_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    const QString valid = QStringLiteral("valid-id");
    const QString general = QStringLiteral("general");
    const QString hi = QStringLiteral("hi");
    const QString invalid = protocol::code::InvalidArgument;
    const QString tooLarge = protocol::code::MessageTooLarge;
    QTest::newRow("empty id") << QString() << general << hi << invalid;
    QTest::newRow("id of 65 characters")
        << QString(65, QLatin1Char('i')) << general << hi << invalid;
    QTest::newRow("empty room") << valid << QString() << hi << invalid;
    QTest::newRow("room of 65 characters")
        << valid << QString(65, QLatin1Char('r')) << hi << invalid;
    QTest::newRow("empty text") << valid << general << QString() << invalid;
    QTest::newRow("16 KiB + 1 byte of text")
        << valid << general << QString(protocol::MaxTextBytes + 1, QLatin1Char('x')) << tooLarge;
    // 5,462 characters, but 16,386 bytes of UTF-8: the limit counts bytes.
    QTest::newRow("16 KiB + 2 bytes of euro signs")
        << valid << general << QString(5462, QChar(0x20AC)) << tooLarge;
}

void tst_ChatServer::invalidSendIsNacked()
{
    QFETCH(QString, id);
    QFETCH(QString, room);
    QFETCH(QString, text);
    QFETCH(QString, code);
    ProtocolClient alice(url());
    alice.login(QStringLiteral("alice"), AliceToken);
    ProtocolClient bob(url());
    bob.login(QStringLiteral("bob"), BobToken);
    QVERIFY(bob.catchUp(0) >= 0);

    alice.socket.sendTextMessage(protocol::send(id, room, text, 1));
    const QJsonObject nack = alice.next();
    QCOMPARE(describe(nack), QStringLiteral("nack ") + code);
    QCOMPARE(nack.value(QStringLiteral("id")).toString(), id);
    QVERIFY(!nack.value(QStringLiteral("message")).toString().isEmpty());
    // Refused for good, and nothing after it is held up.
    const QString next = newId();
    alice.send(next, QStringLiteral("fine"));
    QCOMPARE(describe(alice.next()), QStringLiteral("ack ") + next);
    QCOMPARE(describe(bob.next()), QStringLiteral("message ") + next);
    QVERIFY(alice.pingPong(1));
}

void tst_ChatServer::largestMessageIsAccepted()
{
    ProtocolClient alice(url());
    alice.login(QStringLiteral("alice"), AliceToken);
    QVERIFY(alice.catchUp(0) >= 0);
    const QString id = newId() + QString(protocol::MaxIdLength - 36, QLatin1Char('x'));
    const QString room = QString(protocol::MaxRoomLength, QLatin1Char('r'));
    // 5,461 three-byte characters and one more byte: exactly 16 KiB.
    const QString text = QString(5461, QChar(0x20AC)) + QLatin1Char('!');
    QCOMPARE(text.toUtf8().size(), protocol::MaxTextBytes);
    alice.send(id, text, room);
    QCOMPARE(describe(alice.next()), QStringLiteral("ack ") + id);
    const QJsonObject message = alice.next();
    QCOMPARE(describe(message), QStringLiteral("message ") + id);
    QCOMPARE(message.value(QStringLiteral("room")).toString(), room);
    QCOMPARE(message.value(QStringLiteral("text")).toString(), text);
}

void tst_ChatServer::stricterTextLimit()
{
    const auto server = startServer({QStringLiteral("--max-text-bytes"), QStringLiteral("100")});
    QVERIFY(server);
    ProtocolClient alice(server->url());
    alice.login(QStringLiteral("alice"));
    // 50 two-byte characters: 100 bytes.
    alice.send(QStringLiteral("fits"), QString(50, QChar(0x00E9)));
    QCOMPARE(describe(alice.next()), QStringLiteral("ack fits"));
    alice.send(QStringLiteral("one byte more"), QString(99, QLatin1Char('x')) + QChar(0x00E9));
    const QJsonObject nack = alice.next();
    QCOMPARE(describe(nack), QStringLiteral("nack ERR_MESSAGE_TOO_LARGE"));
    QVERIFY2(nack.value(QStringLiteral("message")).toString().contains(QStringLiteral("100")),
             qPrintable(nack.value(QStringLiteral("message")).toString()));
}

void tst_ChatServer::syncRules()
{
    ProtocolClient alice(url());
    alice.login(QStringLiteral("alice"), AliceToken);
    alice.socket.sendTextMessage(protocol::sync(-1));
    const QJsonObject refused = alice.next();
    QCOMPARE(describe(refused), QStringLiteral("error ERR_INVALID_ARGUMENT"));
    QVERIFY(refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("since")));
    // A refused sync does not count; one that worked does.
    QVERIFY(alice.catchUp(0) >= 0);
    alice.socket.sendTextMessage(protocol::sync(0));
    const QJsonObject second = alice.next();
    QCOMPARE(describe(second), QStringLiteral("error ERR_PROTOCOL"));
    QVERIFY(second.value(QStringLiteral("message")).toString().contains(QStringLiteral("already")));
    QVERIFY(alice.pingPong(1));
    QVERIFY(alice.disconnected.isEmpty());
}

void tst_ChatServer::catchUpAfterBeingOffline()
{
    qint64 seen = -1;
    {
        ProtocolClient bob(url());
        bob.login(QStringLiteral("bob"), BobToken);
        seen = bob.catchUp(0);
        QVERIFY(seen >= 0);
    }
    // While bob is offline, alice sends 50.
    ProtocolClient alice(url());
    alice.login(QStringLiteral("alice"), AliceToken);
    QStringList ids;
    for (int i = 0; i < 50; ++i) {
        ids.append(newId());
        alice.send(ids.last(), QStringLiteral("while you were away %1").arg(i));
    }
    QList<qint64> seqs;
    for (const QString &id : std::as_const(ids)) {
        const QJsonObject ack = alice.next();
        QCOMPARE(describe(ack), QStringLiteral("ack ") + id);
        seqs.append(ack.value(QStringLiteral("seq")).toInteger());
        QVERIFY(seqs.size() == 1 || seqs.last() > seqs.at(seqs.size() - 2));
    }

    // Exactly those, in order, then synced.
    ProtocolClient bobAgain(url());
    bobAgain.login(QStringLiteral("bob"), BobToken);
    QList<QJsonObject> missed;
    QCOMPARE(bobAgain.catchUp(seen, &missed), seqs.last());
    QCOMPARE(missed.size(), ids.size());
    for (int i = 0; i < ids.size(); ++i) {
        QCOMPARE(describe(missed.at(i)), QStringLiteral("message ") + ids.at(i));
        QCOMPARE(missed.at(i).value(QStringLiteral("seq")).toInteger(), seqs.at(i));
        QCOMPARE(missed.at(i).value(QStringLiteral("text")).toString(),
                 QStringLiteral("while you were away %1").arg(i));
    }
    // Then live, with nothing between the two.
    ProtocolClient aliceAgain(url());
    aliceAgain.login(QStringLiteral("alice"), AliceToken);
    const QString live = newId();
    aliceAgain.send(live, QStringLiteral("welcome back"));
    const QJsonObject ack = aliceAgain.next();
    QCOMPARE(describe(ack), QStringLiteral("ack ") + live);
    const QJsonObject message = bobAgain.next();
    QCOMPARE(describe(message), QStringLiteral("message ") + live);
    QCOMPARE(message.value(QStringLiteral("seq")).toInteger(),
             ack.value(QStringLiteral("seq")).toInteger());
    QCOMPARE(typesOf(bobAgain.framesBeforePong()), QStringList());
}

void tst_ChatServer::gapWhenRetentionRemovedMessages()
{
    const auto server = startServer({QStringLiteral("--retain"), QStringLiteral("10")});
    QVERIFY(server);
    ProtocolClient alice(server->url());
    alice.login(QStringLiteral("alice"));
    for (int i = 1; i <= 25; ++i) {
        alice.send(QStringLiteral("m%1").arg(i), QStringLiteral("text %1").arg(i));
        QCOMPARE(alice.next().value(QStringLiteral("seq")).toInteger(), i);
    }
    // Seq 16 to 25 are kept.
    const struct
    {
        qint64 since;
        QStringList frames;
    } cases[] = {
        {0, {QStringLiteral("gap 1-15")}},
        {14, {QStringLiteral("gap 15-15")}},
        {15, {}},
        {20, {}},
        {25, {}},
        {40, {}}, // the client saw more than the server has: nothing to send
    };
    for (const auto &c : cases) {
        ProtocolClient bob(server->url());
        bob.login(QStringLiteral("bob"));
        QList<QJsonObject> received;
        QCOMPARE(bob.catchUp(c.since, &received), 25);
        QStringList expected = c.frames;
        for (qint64 seq = std::max<qint64>(c.since + 1, 16); seq <= 25; ++seq)
            expected.append(QStringLiteral("message m%1").arg(seq));
        QStringList actual;
        for (const QJsonObject &frame : std::as_const(received)) {
            actual.append(typeOf(frame) == protocol::type::Gap
                              ? QStringLiteral("gap %1-%2")
                                    .arg(frame.value(QStringLiteral("from")).toInteger())
                                    .arg(frame.value(QStringLiteral("to")).toInteger())
                              : describe(frame));
        }
        QCOMPARE(actual, expected);
    }
}

void tst_ChatServer::restartKeepsAckedMessages()
{
    auto server = startServer({QStringLiteral("--rate"), QStringLiteral("0")});
    QVERIFY(server);
    constexpr int Count = 3000;
    QHash<QString, qint64> acked;
    {
        ProtocolClient alice(server->url());
        alice.login(QStringLiteral("alice"));
        for (int i = 0; i < Count; ++i)
            alice.send(QStringLiteral("r%1").arg(i), QStringLiteral("text %1").arg(i));
        // SIGKILL at the first ack, while the burst is still being stored: every ack the
        // server got out before it died must hold.
        QCOMPARE(typeOf(alice.next()), protocol::type::Ack);
        server->kill();
        QVERIFY(alice.waitDisconnected());
        const QList<QJsonObject> frames = alice.all();
        for (const QJsonObject &frame : frames) {
            if (typeOf(frame) == protocol::type::Ack)
                acked.insert(frame.value(QStringLiteral("id")).toString(),
                             frame.value(QStringLiteral("seq")).toInteger());
        }
    }
    qInfo("%lld of %d messages were acknowledged before the SIGKILL",
          static_cast<long long>(acked.size()), Count);

    server->start();
    QVERIFY(lifeline::testkit::waitForStarted(*server));
    ProtocolClient reader(server->url());
    reader.login(QStringLiteral("bob"));
    QList<QJsonObject> stored;
    const qint64 newest = reader.catchUp(0, &stored);
    QVERIFY(newest >= acked.size());
    QHash<QString, qint64> storedSeqs;
    for (const QJsonObject &message : std::as_const(stored)) {
        // Nothing twice, and in the order sent.
        const int index = message.value(QStringLiteral("id")).toString().mid(1).toInt();
        QCOMPARE(message.value(QStringLiteral("seq")).toInteger(), index + 1);
        storedSeqs.insert(message.value(QStringLiteral("id")).toString(),
                          message.value(QStringLiteral("seq")).toInteger());
    }
    for (auto it = acked.cbegin(); it != acked.cend(); ++it)
        QCOMPARE(storedSeqs.value(it.key()), it.value());
    QCOMPARE(stored.size(), newest);

    // Seq goes on upward.
    ProtocolClient alice(server->url());
    alice.login(QStringLiteral("alice"));
    alice.send(QStringLiteral("after the restart"), QStringLiteral("still here"));
    const QJsonObject ack = alice.next();
    QCOMPARE(describe(ack), QStringLiteral("ack after the restart"));
    QCOMPARE(ack.value(QStringLiteral("seq")).toInteger(), newest + 1);
}

void tst_ChatServer::typistsGoToOthers()
{
    const auto server = startServer({QStringLiteral("--typing-timeout"), QStringLiteral("300")});
    QVERIFY(server);
    ProtocolClient alice(server->url());
    ProtocolClient aliceToo(server->url()); // alice's second device
    ProtocolClient bob(server->url());
    ProtocolClient carol(server->url());
    for (ProtocolClient *client : {&alice, &aliceToo, &bob, &carol})
        client->ignored = {protocol::type::Presence, protocol::type::PresenceDiff};
    alice.login(QStringLiteral("alice"));
    aliceToo.login(QStringLiteral("alice"));
    bob.login(QStringLiteral("bob"));
    carol.login(QStringLiteral("carol"));
    const auto typing = [](ProtocolClient &client, const QString &room, bool typing) {
        client.socket.sendTextMessage(protocol::typing(room, typing));
    };
    const QString general = QStringLiteral("general");

    // Everyone else hears; alice's own connections do not (she is left out of her list).
    typing(alice, general, true);
    QCOMPARE(describe(bob.next()), QStringLiteral("typists general: alice"));
    QCOMPARE(describe(carol.next()), QStringLiteral("typists general: alice"));
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(aliceToo.framesBeforePong()), QStringList());
    // Typing on changes nothing anyone sees.
    typing(alice, general, true);
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    // Sorted, the receiver left out.
    QElapsedTimer bobTyping;
    bobTyping.start();
    typing(bob, general, true);
    QCOMPARE(describe(alice.next()), QStringLiteral("typists general: bob"));
    QCOMPARE(describe(aliceToo.next()), QStringLiteral("typists general: bob"));
    QCOMPARE(describe(carol.next()), QStringLiteral("typists general: alice,bob"));
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    typing(alice, general, false);
    QCOMPARE(describe(bob.next()), QStringLiteral("typists general: "));
    QCOMPARE(describe(carol.next()), QStringLiteral("typists general: bob"));

    // Bob sent nothing more: after the timeout he counts as stopped.
    QCOMPARE(describe(alice.next()), QStringLiteral("typists general: "));
    const qint64 expiredAfter = bobTyping.elapsed();
    // Both sides count whole milliseconds: allow for one lost at each end.
    QVERIFY2(expiredAfter >= 298 && expiredAfter < 3000,
             qPrintable(QStringLiteral("bob's typing ended %1 ms after he started, expected "
                                       "about 300")
                            .arg(expiredAfter)));
    QCOMPARE(describe(aliceToo.next()), QStringLiteral("typists general: "));
    QCOMPARE(describe(carol.next()), QStringLiteral("typists general: "));

    // One room at a time: typing in another room stops the first.
    typing(bob, general, true);
    QCOMPARE(describe(alice.next()), QStringLiteral("typists general: bob"));
    const QString random = QStringLiteral("random");
    typing(bob, random, true);
    QCOMPARE(describe(alice.next()), QStringLiteral("typists random: bob"));
    QCOMPARE(describe(alice.next()), QStringLiteral("typists general: "));

    // Going away stops typing.
    typing(carol, random, true);
    QCOMPARE(describe(alice.next()), QStringLiteral("typists random: bob,carol"));
    QCOMPARE(describe(bob.next()), QStringLiteral("typists random: carol"));
    carol.socket.close();
    QCOMPARE(describe(alice.next()), QStringLiteral("typists random: bob"));
    QCOMPARE(describe(bob.next()), QStringLiteral("typists random: "));

    // A room name the server would not take for a message is refused for typing too.
    typing(alice, QString(), true);
    QCOMPARE(describe(alice.next()), QStringLiteral("error ERR_INVALID_ARGUMENT"));
    QVERIFY(alice.pingPong(1));
}

void tst_ChatServer::presenceOnJoinAndLeave()
{
    const auto server = startServer({});
    QVERIFY(server);
    ProtocolClient alice(server->url());
    ProtocolClient bob(server->url());
    ProtocolClient aliceToo(server->url());
    for (ProtocolClient *client : {&alice, &bob, &aliceToo})
        client->ignored.clear();

    // The full list once, right after the welcome; from then on only what changed.
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    QCOMPARE(describe(alice.next()), QStringLiteral("presence: alice"));
    QCOMPARE(typeOf(bob.login(QStringLiteral("bob"))), protocol::type::Welcome);
    QCOMPARE(describe(bob.next()), QStringLiteral("presence: alice,bob"));
    QCOMPARE(describe(alice.next()), QStringLiteral("presenceDiff: +bob"));

    // A second connection of a user who is online: news only to itself.
    QCOMPARE(typeOf(aliceToo.login(QStringLiteral("alice"))), protocol::type::Welcome);
    QCOMPARE(describe(aliceToo.next()), QStringLiteral("presence: alice,bob"));
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());
    // A connection that has not said hello is nobody yet.
    ProtocolClient anonymous(server->url());
    QVERIFY(anonymous.waitConnected());
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    // Alice is online as long as one of her connections is.
    alice.socket.close();
    QVERIFY(alice.waitDisconnected());
    aliceToo.socket.close();
    QCOMPARE(describe(bob.next()), QStringLiteral("presenceDiff: -alice"));
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());
    QVERIFY(anonymous.frames.isEmpty());
}

// However many connections a user has, others hear one change when it comes online and one
// when its last connection goes.
void tst_ChatServer::userWithTwoConnectionsIsOneChange()
{
    const auto server = startServer({});
    QVERIFY(server);
    ProtocolClient watcher(server->url());
    watcher.ignored.clear();
    QCOMPARE(typeOf(watcher.login(QStringLiteral("watcher"))), protocol::type::Welcome);
    QCOMPARE(describe(watcher.next()), QStringLiteral("presence: watcher"));

    // Both at once, so that they usually fall in the same 100 ms.
    ProtocolClient alice(server->url());
    ProtocolClient aliceToo(server->url());
    for (ProtocolClient *client : {&alice, &aliceToo}) {
        client->ignored.clear();
        QVERIFY(client->waitConnected());
        client->socket.sendTextMessage(protocol::hello(
            QStringLiteral("tst_chatserver"), QStringLiteral("alice"), QStringLiteral("t")));
    }
    for (ProtocolClient *client : {&alice, &aliceToo}) {
        QCOMPARE(typeOf(client->next()), protocol::type::Welcome);
        QCOMPARE(describe(client->next()), QStringLiteral("presence: alice,watcher"));
    }
    // Both lists are out, so every change that concerns them is too.
    QCOMPARE(describeAll(watcher.framesBeforePong()),
             QStringList {QStringLiteral("presenceDiff: +alice")});

    // One connection goes: alice is still online. Carol's list proves that the server has
    // announced everything up to her login.
    alice.socket.close();
    QVERIFY(alice.waitDisconnected());
    ProtocolClient carol(server->url());
    carol.ignored.clear();
    QCOMPARE(typeOf(carol.login(QStringLiteral("carol"))), protocol::type::Welcome);
    QCOMPARE(describe(carol.next()), QStringLiteral("presence: alice,carol,watcher"));
    QCOMPARE(describeAll(watcher.framesBeforePong()),
             QStringList {QStringLiteral("presenceDiff: +carol")});

    aliceToo.socket.close();
    QCOMPARE(describe(watcher.next()), QStringLiteral("presenceDiff: -alice"));
    QCOMPARE(describe(carol.next()), QStringLiteral("presenceDiff: -alice"));
    QCOMPARE(typesOf(watcher.framesBeforePong()), QStringList());
}

void tst_ChatServer::adminThrottledPresenceIsNotSent()
{
    const auto server = startServer({});
    QVERIFY(server);
    ProtocolClient bob(server->url());
    bob.ignored.clear();
    bob.login(QStringLiteral("bob"));
    QCOMPARE(describe(bob.next()), QStringLiteral("presence: bob"));

    server->sendCommand(QStringLiteral("throttle presence"));
    QVERIFY(lifeline::testkit::waitForCommand(*server));
    QCOMPARE(describe(bob.next()), QStringLiteral("throttle: presence"));

    // Alice comes online, carol comes and goes: nobody hears of it while presence is throttled.
    ProtocolClient alice(server->url());
    alice.ignored.clear();
    const QJsonObject welcome = alice.login(QStringLiteral("alice"));
    QCOMPARE(joined(welcome.value(QStringLiteral("throttled"))), QStringLiteral("presence"));
    {
        ProtocolClient carol(server->url());
        QCOMPARE(typeOf(carol.login(QStringLiteral("carol"))), protocol::type::Welcome);
        carol.socket.close();
        QVERIFY(carol.waitDisconnected());
    }
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    // Lifted: each gets the full list as it is now. The server announces what it merged before
    // it lifts the throttle, so nothing of it may come before the lift.
    server->sendCommand(QStringLiteral("unthrottle"));
    QVERIFY(lifeline::testkit::waitForCommand(*server));
    for (ProtocolClient *client : {&alice, &bob}) {
        QCOMPARE(describe(client->next()), QStringLiteral("throttle: "));
        QCOMPARE(describe(client->next()), QStringLiteral("presence: alice,bob"));
    }

    // From that list on, changes again.
    ProtocolClient dave(server->url());
    QCOMPARE(typeOf(dave.login(QStringLiteral("dave"))), protocol::type::Welcome);
    for (ProtocolClient *client : {&alice, &bob}) {
        QCOMPARE(describe(client->next()), QStringLiteral("presenceDiff: +dave"));
        QCOMPARE(typesOf(client->framesBeforePong()), QStringList());
    }
}

// Many users coming online at once (a reconnect storm), and going again: a watcher gets the full
// list once, then only what changed, at most one change per 100 ms, each naming the right users.
void tst_ChatServer::presenceIsMergedWhenManyJoin()
{
    const auto server = startServer({});
    QVERIFY(server);
    ProtocolClient watcher(server->url());
    watcher.ignored.clear();
    QCOMPARE(typeOf(watcher.login(QStringLiteral("watcher"))), protocol::type::Welcome);
    QCOMPARE(describe(watcher.next()), QStringLiteral("presence: watcher"));
    QStringList held {QStringLiteral("watcher")};

    // Reads changes until the watcher holds `expected`; says how many it took.
    const auto followUntil = [&](const QStringList &expected) {
        int changes = 0;
        while (held != expected) {
            const QString problem = applyPresenceDiff(watcher.next(), &held);
            if (!problem.isEmpty()) {
                qWarning("%s", qPrintable(problem));
                return -1;
            }
            ++changes;
        }
        return changes;
    };
    // Changes leave the server at least 100 ms apart, so no more than this fit in the time
    // taken; without merging, 20 quick logins bring 20 changes.
    const auto checkMerged = [](int changes, qint64 elapsedMs) {
        return changes >= 1 && changes <= elapsedMs / 100 + 1;
    };

    QStringList online {QStringLiteral("watcher")};
    std::vector<std::unique_ptr<ProtocolClient>> joiners;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 20; ++i) {
        const QString uid = QStringLiteral("user%1").arg(i, 2, 10, QLatin1Char('0'));
        joiners.push_back(std::make_unique<ProtocolClient>(server->url()));
        QCOMPARE(typeOf(joiners.back()->login(uid)), protocol::type::Welcome);
        online.append(uid);
    }
    online.sort();
    int changes = followUntil(online);
    qint64 elapsedMs = clock.elapsed();
    QVERIFY2(
        checkMerged(changes, elapsedMs),
        qPrintable(QStringLiteral("%1 changes in %2 ms as 20 joined").arg(changes).arg(elapsedMs)));
    QCOMPARE(typesOf(watcher.framesBeforePong()), QStringList());

    clock.restart();
    joiners.clear();
    changes = followUntil({QStringLiteral("watcher")});
    elapsedMs = clock.elapsed();
    QVERIFY2(
        checkMerged(changes, elapsedMs),
        qPrintable(QStringLiteral("%1 changes in %2 ms as 20 left").arg(changes).arg(elapsedMs)));
    QCOMPARE(typesOf(watcher.framesBeforePong()), QStringList());
}

void tst_ChatServer::rateLimitRetriesInOrder()
{
    const auto server = startServer(
        {QStringLiteral("--rate"), QStringLiteral("10"), QStringLiteral("--burst"),
         QStringLiteral("3"), QStringLiteral("--throttle-cooldown"), QStringLiteral("1000")});
    QVERIFY(server);
    ProtocolClient bob(server->url());
    bob.ignored.clear();
    bob.login(QStringLiteral("bob"));
    QCOMPARE(describe(bob.next()), QStringLiteral("presence: bob"));
    ProtocolClient alice(server->url());
    // The throttle frames are checked at the end, in the order they came.
    alice.ignored = {protocol::type::Typists, protocol::type::Throttle};
    alice.login(QStringLiteral("alice"));
    QCOMPARE(describe(alice.next()), QStringLiteral("presence: alice,bob"));
    QCOMPARE(describe(bob.next()), QStringLiteral("presenceDiff: +alice"));

    // A burst of 3, then the 4th waits for a token: 100 ms at 10 a second.
    for (int i = 0; i < 4; ++i)
        alice.send(QStringLiteral("m%1").arg(i), QStringLiteral("text m%1").arg(i));
    QHash<QString, QJsonObject> answers;
    for (int i = 0; i < 4; ++i) {
        const QJsonObject answer = alice.next();
        answers.insert(answer.value(QStringLiteral("id")).toString(), answer);
    }
    for (int i = 0; i < 3; ++i) {
        const QJsonObject ack = answers.value(QStringLiteral("m%1").arg(i));
        QCOMPARE(describe(ack), QStringLiteral("ack m%1").arg(i));
        QCOMPARE(ack.value(QStringLiteral("seq")).toInteger(), i + 1);
    }
    const QJsonObject retry = answers.value(QStringLiteral("m3"));
    QCOMPARE(describe(retry), QStringLiteral("retry m3"));
    const qint64 afterMs = retry.value(QStringLiteral("afterMs")).toInteger();
    QVERIFY2(afterMs >= 1 && afterMs <= 100, qPrintable(QString::number(afterMs)));

    // Even with a token back, a new message may not overtake m3.
    QTest::qWait(int(afterMs));
    alice.send(QStringLiteral("m4"), QStringLiteral("text m4"));
    QCOMPARE(describe(alice.next()), QStringLiteral("retry m4"));
    QElapsedTimer sinceLastRetry;
    sinceLastRetry.start();
    // A duplicate is answered whatever the rate.
    alice.send(QStringLiteral("m1"), QStringLiteral("text m1"));
    const QJsonObject duplicate = alice.next();
    QCOMPARE(describe(duplicate), QStringLiteral("ack m1"));
    QCOMPARE(duplicate.value(QStringLiteral("seq")).toInteger(), 2);

    // Typing is throttled now: ignored. Alice's pong proves the server read her typing frame,
    // and anything it made for bob was queued before bob's pong.
    alice.socket.sendTextMessage(protocol::typing(QStringLiteral("general"), true));
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());
    // Nor does alice hear that carol came online, although bob does.
    ProtocolClient carol(server->url());
    carol.login(QStringLiteral("carol"));
    QCOMPARE(describe(bob.next()), QStringLiteral("presenceDiff: +carol"));
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    alice.ignored.append(protocol::type::Presence);

    // Sent again in order, as a client does: stored in order, each once.
    for (int i = 3; i < 6; ++i)
        QCOMPARE(sendUntilAcked(alice, QStringLiteral("m%1").arg(i), &sinceLastRetry), i + 1);
    ProtocolClient reader(server->url());
    reader.login(QStringLiteral("bob"));
    QList<QJsonObject> stored;
    QCOMPARE(reader.catchUp(0, &stored), 6);
    QCOMPARE(typesOf(stored), QStringList(6, protocol::type::Message));
    for (int i = 0; i < 6; ++i) {
        QCOMPARE(describe(stored.at(i)), QStringLiteral("message m%1").arg(i));
        QCOMPARE(stored.at(i).value(QStringLiteral("seq")).toInteger(), i + 1);
    }

    // Throttled once, lifted after 1 s within the limit, then the current presence.
    const auto liftedAt = [&alice] {
        const QList<QJsonObject> frames = alice.all();
        for (qsizetype i = 0; i < frames.size(); ++i) {
            if (describe(frames.at(i)) == QStringLiteral("throttle: "))
                return i;
        }
        return qsizetype(-1);
    };
    QTRY_VERIFY_WITH_TIMEOUT(liftedAt() >= 0, Timeout);
    const qint64 liftedAfter = sinceLastRetry.elapsed();
    // The server's timer may fire 5% early, and the retry took a moment to arrive.
    QVERIFY2(
        liftedAfter >= 900,
        qPrintable(
            QStringLiteral("lifted %1 ms after the last retry, expected 1000").arg(liftedAfter)));
    QTRY_VERIFY_WITH_TIMEOUT(alice.all().size() > liftedAt() + 1, Timeout);
    QStringList throttles;
    for (const QJsonObject &frame : alice.all()) {
        if (typeOf(frame) == protocol::type::Throttle)
            throttles.append(describe(frame));
    }
    QCOMPARE(
        throttles,
        QStringList({QStringLiteral("throttle: typing,presence"), QStringLiteral("throttle: ")}));
    QCOMPARE(describe(alice.all().at(liftedAt() + 1)), QStringLiteral("presence: alice,bob,carol"));
    QVERIFY(logged(QStringLiteral("sends faster than its rate limit")));
}

void tst_ChatServer::rateAndAdminThrottlesAdd()
{
    const auto server = startServer(
        {QStringLiteral("--rate"), QStringLiteral("1"), QStringLiteral("--burst"),
         QStringLiteral("1"), QStringLiteral("--throttle-cooldown"), QStringLiteral("60000")});
    QVERIFY(server);
    ProtocolClient bob(server->url());
    bob.login(QStringLiteral("bob"));
    ProtocolClient alice(server->url());
    alice.login(QStringLiteral("alice"));
    alice.send(QStringLiteral("a"), QStringLiteral("first"));
    QCOMPARE(describe(alice.next()), QStringLiteral("ack a"));
    alice.send(QStringLiteral("b"), QStringLiteral("too soon"));
    QCOMPARE(describe(alice.next()), QStringLiteral("retry b"));
    QCOMPARE(describe(alice.next()), QStringLiteral("throttle: typing,presence"));
    // Alice's rate is hers alone.
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    // The admin's list and the earned one add up; unthrottle lifts the admin's part only.
    server->sendCommand(QStringLiteral("throttle typing"));
    QVERIFY(lifeline::testkit::waitForCommand(*server));
    QCOMPARE(describe(bob.next()), QStringLiteral("throttle: typing"));
    QCOMPARE(typesOf(alice.framesBeforePong()), QStringList());
    server->sendCommand(QStringLiteral("throttle search typing"));
    QVERIFY(lifeline::testkit::waitForCommand(*server));
    QCOMPARE(describe(bob.next()), QStringLiteral("throttle: search,typing"));
    QCOMPARE(describe(alice.next()), QStringLiteral("throttle: search,typing,presence"));
    server->sendCommand(QStringLiteral("unthrottle"));
    QVERIFY(lifeline::testkit::waitForCommand(*server));
    QCOMPARE(describe(bob.next()), QStringLiteral("throttle: "));
    QCOMPARE(describe(alice.next()), QStringLiteral("throttle: typing,presence"));
    // And a client that logs in now gets the admin's list only.
    ProtocolClient carol(server->url());
    QCOMPARE(joined(carol.login(QStringLiteral("carol")).value(QStringLiteral("throttled"))),
             QString());
}

void tst_ChatServer::resendEndsTheHoldEvenIfRefused()
{
    // A token every 100 ms, one at a time.
    const auto server = startServer({QStringLiteral("--rate"), QStringLiteral("10"),
                                     QStringLiteral("--burst"), QStringLiteral("1")});
    QVERIFY(server);
    ProtocolClient alice(server->url());
    alice.ignored.append(protocol::type::Throttle);
    alice.login(QStringLiteral("alice"));
    alice.send(QStringLiteral("a"), QStringLiteral("first"));
    alice.send(QStringLiteral("b"), QStringLiteral("second"));
    alice.send(QStringLiteral("c"), QStringLiteral("third"));
    QStringList answers = {describe(alice.next()), describe(alice.next()), describe(alice.next())};
    answers.sort();
    QCOMPARE(answers,
             QStringList(
                 {QStringLiteral("ack a"), QStringLiteral("retry b"), QStringLiteral("retry c")}));
    // b comes back broken and is refused: c must not wait for it for ever.
    alice.send(QStringLiteral("b"), QString());
    QCOMPARE(describe(alice.next()), QStringLiteral("nack ERR_INVALID_ARGUMENT"));
    QCOMPARE(sendUntilAcked(alice, QStringLiteral("c")), 2);
}

void tst_ChatServer::burstOfTenThousandMessages()
{
    constexpr int Count = 10000;
    const auto server = startServer({QStringLiteral("--rate"), QStringLiteral("0")});
    QVERIFY(server);
    ProtocolClient alice(server->url());
    alice.login(QStringLiteral("alice"));
    QCOMPARE(alice.catchUp(0), 0);
    ProtocolClient bob(server->url());
    bob.login(QStringLiteral("bob"));
    QCOMPARE(bob.catchUp(0), 0);
    const auto idOf
        = [](int i) { return QStringLiteral("burst-%1").arg(i, 5, 10, QLatin1Char('0')); };

    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < Count; ++i)
        alice.send(idOf(i), QStringLiteral("message %1").arg(i), QStringLiteral("load"),
                   1700000000000 + i);
    // Acks in the order sent, seq 1 to Count, each before alice's own copy.
    int acked = 0;
    int own = 0;
    qint64 burstMs = 0;
    while (acked < Count || own < Count) {
        const QJsonObject frame = alice.next();
        const qint64 seq = frame.value(QStringLiteral("seq")).toInteger();
        if (typeOf(frame) == protocol::type::Ack) {
            if (frame.value(QStringLiteral("id")).toString() != idOf(acked) || seq != acked + 1)
                QFAIL(qPrintable(QStringLiteral("ack %1 is %2").arg(acked).arg(toText(frame))));
            if (++acked == Count)
                burstMs = timer.elapsed();
        } else if (typeOf(frame) != protocol::type::Message || seq != own + 1 || own >= acked) {
            QFAIL(qPrintable(QStringLiteral("after %1 acks and %2 messages came %3")
                                 .arg(acked)
                                 .arg(own)
                                 .arg(toText(frame))));
        } else {
            ++own;
        }
    }
    for (int i = 0; i < Count; ++i) {
        const QJsonObject message = bob.next();
        if (message.value(QStringLiteral("id")).toString() != idOf(i)
            || message.value(QStringLiteral("seq")).toInteger() != i + 1)
            QFAIL(qPrintable(QStringLiteral("message %1 is %2").arg(i).arg(toText(message))));
    }
    // Sent again after all that: the same seqs, nothing broadcast.
    alice.send(idOf(0), QStringLiteral("again"));
    alice.send(idOf(Count - 1), QStringLiteral("again"));
    QCOMPARE(alice.next().value(QStringLiteral("seq")).toInteger(), 1);
    QCOMPARE(alice.next().value(QStringLiteral("seq")).toInteger(), Count);
    QCOMPARE(typesOf(bob.framesBeforePong()), QStringList());

    // All of it caught up by a client that was offline.
    ProtocolClient carol(server->url());
    carol.login(QStringLiteral("carol"));
    timer.restart();
    QList<QJsonObject> missed;
    QCOMPARE(carol.catchUp(0, &missed), Count);
    const qint64 catchUpMs = timer.elapsed();
    QCOMPARE(missed.size(), Count);
    for (int i = 0; i < Count; ++i) {
        if (missed.at(i).value(QStringLiteral("id")).toString() != idOf(i)
            || missed.at(i).value(QStringLiteral("seq")).toInteger() != i + 1)
            QFAIL(qPrintable(
                QStringLiteral("caught-up message %1 is %2").arg(i).arg(toText(missed.at(i)))));
    }
    qInfo("%d messages: all acknowledged %lld ms after the first was sent; caught up in %lld ms",
          Count, static_cast<long long>(burstMs), static_cast<long long>(catchUpMs));
    QVERIFY2(burstMs < 20000, qPrintable(QStringLiteral("the burst took %1 ms").arg(burstMs)));
    QVERIFY2(catchUpMs < 5000,
             qPrintable(QStringLiteral("the catch-up took %1 ms").arg(catchUpMs)));
}

void tst_ChatServer::clientThatStopsReadingIsDropped()
{
    const auto server = startServer({QStringLiteral("--rate"), QStringLiteral("0")});
    QVERIFY(server);
    // Live, then reads no more: Qt takes at most 1 KiB off the kernel for it.
    RawWebSocket stalled;
    QVERIFY(stalled.handshake(server->port()));
    stalled.sendFrame(
        0x1,
        protocol::hello(QStringLiteral("raw"), QStringLiteral("stalled"), QStringLiteral("t"))
            .toUtf8());
    stalled.sendFrame(0x1, protocol::sync(0).toUtf8());
    QVERIFY(!stalled.readFrame(0x1).isNull()); // welcome
    stalled.socket.setReadBufferSize(1024);

    // 2,000 messages of 16 KiB: 32 MiB, more than the kernel's buffers and the 16 MiB limit.
    constexpr int Count = 2000;
    ProtocolClient alice(server->url());
    alice.login(QStringLiteral("alice"));
    const QString text(protocol::MaxTextBytes, QLatin1Char('x'));
    for (int i = 0; i < Count; ++i)
        alice.send(QStringLiteral("big%1").arg(i), text);
    for (int i = 0; i < Count; ++i)
        QCOMPARE(describe(alice.next()), QStringLiteral("ack big%1").arg(i));
    // The next commit finds what is still unsent from earlier ones; what a commit sends does
    // not count, a burst is not a stall. The server may have stored all 2,000 in one batch.
    alice.send(QStringLiteral("nudge"), QStringLiteral("one more"));
    QCOMPARE(describe(alice.next()), QStringLiteral("ack nudge"));
    QTRY_VERIFY_WITH_TIMEOUT(logged(QStringLiteral("bytes of messages unsent")), Timeout);
    // Reading again, it finds the connection gone after what the kernel still held.
    stalled.socket.setReadBufferSize(0);
    while (stalled.socket.state() == QAbstractSocket::ConnectedState
           && stalled.socket.waitForReadyRead(Timeout))
        stalled.socket.readAll();
    QCOMPARE(stalled.socket.state(), QAbstractSocket::UnconnectedState);

    // When it comes back, it catches up: the catch-up waits for a slow reader instead.
    ProtocolClient again(server->url());
    again.login(QStringLiteral("stalled"));
    QList<QJsonObject> missed;
    QCOMPARE(again.catchUp(0, &missed), Count + 1);
    QCOMPARE(missed.size(), Count + 1);
    QCOMPARE(describe(missed.at(Count - 1)), QStringLiteral("message big%1").arg(Count - 1));
    QCOMPARE(describe(missed.last()), QStringLiteral("message nudge"));
}

void tst_ChatServer::badOptionsExit2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("reason");
    const auto row = [](const char *option, const char *value) {
        QTest::newRow(QByteArray(option).append(' ').append(value).constData())
            << QStringList({QLatin1String("--") + QLatin1String(option), QLatin1String(value)})
            << QStringLiteral("--%1 \"%2\" is not a number from")
                   .arg(QLatin1String(option), QLatin1String(value));
    };
    row("retain", "0");
    row("retain", "many");
    row("rate", "-1");
    row("rate", "2.5");
    row("burst", "0");
    row("throttle-cooldown", "0");
    row("typing-timeout", "99999999999");
    row("max-text-bytes", "0");
    row("max-text-bytes", "16385");
    row("handshake-timeout", "0");
    row("idle-timeout", "soon");
    row("max-connections", "0");
    row("max-connections-per-ip", "-1");
    const auto originRow = [](const char *value) {
        QTest::newRow(QByteArray("allow-origin ").append(value).constData())
            << QStringList({QStringLiteral("--allow-origin"), QLatin1String(value)})
            << QStringLiteral("--allow-origin \"%1\" is not an origin like")
                   .arg(QLatin1String(value));
    };
    originRow("chat.example");
    originRow("https://chat.example/");
    originRow("https://chat.example/app");
    originRow("*");
}

void tst_ChatServer::badOptionsExit2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, reason);
    BundledServer server;
    server.setDataDirectory(m_dir.filePath(QStringLiteral("options")));
    server.setExtraArguments(arguments);
    QStringList lines;
    connect(&server, &BundledServer::standardErrorLine, this,
            [&lines](const QString &line) { lines.append(line); });
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(!lifeline::testkit::waitForStarted(server));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, Timeout);
    QCOMPARE(stopped.at(0).at(0).toInt(), 2);
    QVERIFY2(lines.join(QLatin1Char('\n')).contains(reason),
             qPrintable(lines.join(QLatin1Char('\n'))));
}

void tst_ChatServer::unusableMessageStoreExits2_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("not a database")
        << QStringLiteral("garbage") << QStringLiteral("file is not a database");
    QTest::newRow("a directory in its place")
        << QStringLiteral("directory") << QStringLiteral("is not a file");
    QTest::newRow("another server uses the data directory")
        << QStringLiteral("taken") << QStringLiteral("another lifeline-server");
}

void tst_ChatServer::unusableMessageStoreExits2()
{
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    const QString dataDir = m_dir.filePath(QStringLiteral("unusable%1").arg(++m_serverCount));
    QVERIFY(QDir().mkpath(dataDir));
    const QString file = QDir(dataDir).filePath(QStringLiteral("messages.db"));
    std::unique_ptr<BundledServer> owner;
    if (kind == QLatin1String("garbage")) {
        QFile garbage(file);
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(4096, 'x'));
    } else if (kind == QLatin1String("directory")) {
        QVERIFY(QDir().mkpath(file));
    } else {
        owner = std::make_unique<BundledServer>();
        owner->setDataDirectory(dataDir);
        owner->start();
        QVERIFY(lifeline::testkit::waitForStarted(*owner));
    }
    BundledServer server;
    server.setDataDirectory(dataDir);
    QStringList lines;
    connect(&server, &BundledServer::standardErrorLine, this,
            [&lines](const QString &line) { lines.append(line); });
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(!lifeline::testkit::waitForStarted(server));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, Timeout);
    QCOMPARE(stopped.at(0).at(0).toInt(), 2);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    const QString errors = lines.join(QLatin1Char('\n'));
    QVERIFY2(errors.contains(QStringLiteral("cannot open the message store")), qPrintable(errors));
    QVERIFY2(errors.contains(reason), qPrintable(errors));
    // The owner was not disturbed.
    if (owner) {
        ProtocolClient client(owner->url());
        QCOMPARE(typeOf(client.login(QStringLiteral("alice"))), protocol::type::Welcome);
    }
}

QTEST_GUILESS_MAIN(tst_ChatServer)
#include "tst_chatserver.moc"
