// The real ConnectionManager and Messenger against a server that breaks the protocol. The peer is
// scripted here on purpose: it is the thing under test's counterpart, and the real server never
// sends these frames. Each fault is reported as ERR_PROTOCOL; a fatal one drops the link and
// reconnects with backoff, an ignorable one leaves it up; and every message queued before and
// during the fault reaches the server once, in order, when the peer behaves again.
#include "protocol.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QDateTime>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace lifeline;

namespace {

using testkit::Soon;
using testkit::waitFor;

// How long a test watches for a reconnect that must not happen: several backoff periods.
constexpr int Quiet = 1000;
const QString Room = QStringLiteral("lobby");

// A Lifeline server reduced to what the client needs: welcome, synced, pong, and acks that store
// each id once in arrival order (like the real server). Acks are held back until acking is
// switched on, so that the client has messages in flight when a fault comes.
class ScriptedServer : public QObject
{
public:
    ScriptedServer()
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] { accept(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        QUrl url;
        url.setScheme(QStringLiteral("ws"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(m_server.serverPort());
        return url;
    }

    // From now on every send is acknowledged; those waiting on the current link are at once.
    void startAcking()
    {
        m_acking = true;
        const QStringList waiting = std::exchange(m_unanswered, {});
        for (const QString &id : waiting)
            ack(id);
    }

    void sendText(const QString &frame)
    {
        if (m_socket)
            m_socket->sendTextMessage(frame);
    }

    void closeLink(int code)
    {
        if (m_socket)
            m_socket->close(QWebSocketProtocol::CloseCode(code), QStringLiteral("scripted"));
    }

    // Every id the client sent on the current link, in arrival order.
    QStringList sentOnLink() const { return m_sentOnLink; }
    // The ids stored (acknowledged), each once, in the order they were first stored.
    QStringList stored() const { return m_stored; }
    int connections() const { return m_connections; }
    // The WebSocket handshake request of every link, and every frame the client sent.
    QList<QNetworkRequest> requests() const { return m_requests; }
    QStringList received() const { return m_received; }
    // Seq of the last message stored or told; the next one gets one more.
    qint64 seq() const { return m_seq; }
    qint64 nextSeq() { return ++m_seq; }

private:
    void accept()
    {
        QWebSocket *socket = m_server.nextPendingConnection();
        socket->setParent(this);
        socket->setMaxAllowedIncomingFrameSize(protocol::MaxServerIncomingBytes);
        socket->setMaxAllowedIncomingMessageSize(protocol::MaxServerIncomingBytes);
        if (m_socket)
            m_socket->deleteLater();
        m_socket = socket;
        ++m_connections;
        m_requests.append(socket->request());
        m_sentOnLink.clear();
        m_unanswered.clear();
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) {
                    if (socket == m_socket)
                        onFrame(text);
                });
    }

    void onFrame(const QString &text)
    {
        m_received.append(text);
        protocol::DecodeError problem;
        const protocol::Frame frame = protocol::Frame::decode(text, &problem);
        QVERIFY2(frame.isValid(), qPrintable(problem.reason));
        const QString type = frame.type();
        if (type == protocol::type::Hello) {
            sendText(protocol::welcome(frame.text(QStringLiteral("uid")), {}));
        } else if (type == protocol::type::Sync) {
            sendText(protocol::synced(m_seq));
        } else if (type == protocol::type::Ping) {
            sendText(protocol::pong(frame.integer(QStringLiteral("id"))));
        } else if (type == protocol::type::Send) {
            const QString id = frame.text(QStringLiteral("id"));
            m_sentOnLink.append(id);
            if (m_acking)
                ack(id);
            else
                m_unanswered.append(id);
        }
    }

    void ack(const QString &id)
    {
        qsizetype index = m_stored.indexOf(id);
        if (index < 0) {
            m_stored.append(id);
            m_storedSeq.append(nextSeq());
            index = m_stored.size() - 1;
        }
        sendText(protocol::ack(id, m_storedSeq.at(index)));
    }

    QWebSocketServer m_server {QStringLiteral("scripted"), QWebSocketServer::NonSecureMode};
    QWebSocket *m_socket = nullptr;
    int m_connections = 0;
    bool m_acking = false;
    qint64 m_seq = 0;
    QList<QNetworkRequest> m_requests;
    QStringList m_received;
    QStringList m_sentOnLink;
    QStringList m_unanswered;
    QStringList m_stored;
    QList<qint64> m_storedSeq;
};

} // namespace

class TestHostileServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void faultIsReportedAndLosesNothing_data();
    void faultIsReportedAndLosesNothing();
    void largestFrameIsAccepted();
    void tokenTravelsOnlyInHello();
    void closeCodeIsClassified_data();
    void closeCodeIsClassified();

private:
    // A frame the scripted server sends as the fault of a row; `firstId` was sent on the link.
    QStringList faultFrames(const QString &fault, const QString &firstId);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ScriptedServer> m_server;
    std::unique_ptr<ConnectionManager> m_connection;
    std::unique_ptr<Messenger> m_messenger;
};

void TestHostileServer::initTestCase()
{
    qRegisterMetaType<ChatError>();
    qRegisterMetaType<ChatMessage>();
}

void TestHostileServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ScriptedServer>();
    QVERIFY(m_server->listen());
    m_connection = std::make_unique<ConnectionManager>();
    // Manual mode: messages are queued before the first link opens.
    QVERIFY(testkit::initAndLogin(*m_connection,
                                  testkit::fastSettings(m_server->url(), m_dir->path())
                                      .setAutoEstablishSocketConnection(false)
                                      .build()));
    m_messenger = std::make_unique<Messenger>(m_connection.get());
}

void TestHostileServer::cleanup()
{
    m_messenger.reset();
    m_connection.reset();
    m_server.reset();
    m_dir.reset();
}

QStringList TestHostileServer::faultFrames(const QString &fault, const QString &firstId)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString other = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (fault == QLatin1String("malformed JSON"))
        return {QStringLiteral(R"({"type":"ack","id":")") + firstId};
    if (fault == QLatin1String("unknown type"))
        return {QStringLiteral(R"({"type":"receipt","id":")") + firstId
                + QStringLiteral(R"(","readBy":["bob"]})")};
    if (fault == QLatin1String("wrong field type"))
        return {QStringLiteral(R"({"type":"ack","id":")") + firstId
                + QStringLiteral(R"(","seq":"1"})")};
    if (fault == QLatin1String("ack for an unknown id"))
        return {protocol::ack(other, m_server->nextSeq())};
    if (fault == QLatin1String("seq going backwards")) {
        // Without the check the second would fall behind the cursor and vanish silently.
        m_server->nextSeq();
        const qint64 high = m_server->nextSeq();
        return {protocol::message(other, Room, QStringLiteral("bob"), QStringLiteral("second"),
                                  high, now),
                protocol::message(QUuid::createUuid().toString(QUuid::WithoutBraces), Room,
                                  QStringLiteral("bob"), QStringLiteral("first"), high - 1, now)};
    }
    // A change needs the full list it changes; one that does not fit it means the two ends no
    // longer agree on who is online.
    const QString alice = QStringLiteral("alice");
    const QString bob = QStringLiteral("bob");
    if (fault == QLatin1String("presence change before the list"))
        return {protocol::presenceDiff({bob}, {})};
    if (fault == QLatin1String("presence change: online twice"))
        return {protocol::presence({alice, bob}), protocol::presenceDiff({bob}, {})};
    if (fault == QLatin1String("presence change: offline, not online"))
        return {protocol::presence({alice}), protocol::presenceDiff({}, {bob})};
    if (fault == QLatin1String("frame over the client's limit")) {
        const QString text(int(protocol::MaxClientIncomingBytes), QLatin1Char('x'));
        return {
            protocol::message(other, Room, QStringLiteral("bob"), text, m_server->nextSeq(), now)};
    }
    qFatal("no such fault: %s", qPrintable(fault));
}

void TestHostileServer::faultIsReportedAndLosesNothing_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("fatal");
    QTest::addColumn<QString>("problem"); // what the error's details must name
    QTest::addColumn<QString>("warning"); // what the SDK logs as a warning, if anything

    QTest::newRow("malformed JSON")
        << QStringLiteral("malformed JSON") << true << QStringLiteral("invalid JSON") << QString();
    // A newer server may add frame types as it may add fields: skipped, the link stays.
    QTest::newRow("unknown type") << QStringLiteral("unknown type") << false
                                  << QStringLiteral("unknown frame type \"receipt\"")
                                  << QStringLiteral("ignored a frame: unknown frame type");
    QTest::newRow("wrong field type")
        << QStringLiteral("wrong field type") << true
        << QStringLiteral("field \"seq\" of a \"ack\" frame must be an integer") << QString();
    QTest::newRow("ack for an unknown id")
        << QStringLiteral("ack for an unknown id") << true
        << QStringLiteral("which this client did not send on this link")
        << QStringLiteral("protocol violation: .* did not send");
    QTest::newRow("seq going backwards")
        << QStringLiteral("seq going backwards") << true << QStringLiteral("seq must increase")
        << QStringLiteral("protocol violation: .* seq must increase");
    QTest::newRow("presence change before the list")
        << QStringLiteral("presence change before the list") << true
        << QStringLiteral("before their list") << QStringLiteral("protocol violation: .* before");
    QTest::newRow("presence change: online twice")
        << QStringLiteral("presence change: online twice") << true
        << QStringLiteral("\"bob\" came online, who was online already")
        << QStringLiteral("protocol violation: .* came online");
    QTest::newRow("presence change: offline, not online")
        << QStringLiteral("presence change: offline, not online") << true
        << QStringLiteral("\"bob\" went offline, who was not online")
        << QStringLiteral("protocol violation: .* went offline");
    QTest::newRow("frame over the client's limit")
        << QStringLiteral("frame over the client's limit") << true << QStringLiteral("code 1009")
        << QString();
}

void TestHostileServer::faultIsReportedAndLosesNothing()
{
    QFETCH(QString, fault);
    QFETCH(bool, fatal);
    QFETCH(QString, problem);
    QFETCH(QString, warning);
    if (!warning.isEmpty())
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(warning));

    QStringList queued;
    const auto queue = [&](const QString &text) {
        const QString id = m_messenger->sendMessage(Room, text);
        QVERIFY(!id.isEmpty());
        queued.append(id);
    };
    for (const char *text : {"before 1", "before 2", "before 3"})
        queue(QString::fromLatin1(text));
    m_connection->connectToServer();
    // All three are on the wire and unacknowledged when the fault comes.
    QVERIFY(waitFor([&] { return m_server->sentOnLink().size() == 3; }, Soon, "three sends"));

    QSignalSpy errors(m_connection.get(), &ConnectionManager::connectionError);
    QSignalSpy reconnecting(m_connection.get(), &ConnectionManager::reconnecting);
    QSignalSpy disconnected(m_connection.get(), &ConnectionManager::disconnected);
    QSignalSpy delivered(m_messenger.get(), &Messenger::messageDelivered);
    const QStringList frames = faultFrames(fault, queued.first());
    for (const QString &frame : frames)
        m_server->sendText(frame);

    QVERIFY(errors.wait(Soon));
    const ChatError error = errors.first().first().value<ChatError>();
    QCOMPARE(error.code, QStringLiteral("ERR_PROTOCOL"));
    QVERIFY(!error.message.isEmpty());
    QVERIFY2(error.details.contains(problem), qPrintable(error.details));

    if (fatal) {
        QVERIFY(reconnecting.size() == 1 || reconnecting.wait(Soon));
        // The first attempt of the backoff (fastSettings: 100 ms, no jitter), not a tight loop.
        QCOMPARE(reconnecting.first().at(0).toInt(), 1);
        QCOMPARE(reconnecting.first().at(1).toInt(), 100);
        QCOMPARE(m_connection->connectionStatus(), ConnectionStatus::Reconnecting);
    }
    // Queued while the fault is being handled: on the next link, or on this one if it stayed.
    for (const char *text : {"during 1", "during 2"})
        queue(QString::fromLatin1(text));
    m_server->startAcking();

    // The messenger tells of deliveries on the turn after the acks.
    QVERIFY(waitFor(
        [&] { return m_messenger->pendingCount() == 0 && delivered.size() >= queued.size(); }, Soon,
        "every message to be delivered"));
    QCOMPARE(m_server->stored(), queued); // all of them, each once, in the order queued
    QStringList deliveredIds;
    for (const QList<QVariant> &arguments : std::as_const(delivered))
        deliveredIds.append(arguments.first().value<ChatMessage>().id);
    QCOMPARE(deliveredIds, queued);
    QCOMPARE(m_connection->connectionStatus(), ConnectionStatus::Connected);

    if (fatal) {
        QCOMPARE(m_server->connections(), 2);
        QCOMPARE(reconnecting.size(), 1);
    } else {
        // Several backoff periods pass without a reconnect: the link stayed up.
        QVERIFY(!disconnected.wait(Quiet));
        QCOMPARE(m_server->connections(), 1);
        QCOMPARE(reconnecting.size(), 0);
        // Reported once per link, however often it comes.
        m_server->sendText(frames.first());
        QVERIFY(!errors.wait(Quiet / 4));
        QCOMPARE(errors.size(), 1);
    }
}

void TestHostileServer::largestFrameIsAccepted()
{
    // A frame of exactly the client's limit is a valid frame, not a fault.
    m_connection->connectToServer();
    QVERIFY(waitFor([&] { return m_connection->connectionStatus() == ConnectionStatus::Connected; },
                    Soon, "the link"));
    QSignalSpy received(m_messenger.get(), &Messenger::messageReceived);
    QSignalSpy errors(m_connection.get(), &ConnectionManager::connectionError);
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const qint64 seq = m_server->nextSeq();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qsizetype overhead
        = protocol::message(id, Room, QStringLiteral("bob"), QString(), seq, now).toUtf8().size();
    const QString text(int(protocol::MaxClientIncomingBytes - overhead), QLatin1Char('x'));
    const QString frame = protocol::message(id, Room, QStringLiteral("bob"), text, seq, now);
    QCOMPARE(quint64(frame.toUtf8().size()), protocol::MaxClientIncomingBytes);
    m_server->sendText(frame);
    QVERIFY(received.wait(Soon));
    QCOMPARE(received.first().first().value<ChatMessage>().text.size(), text.size());
    QCOMPARE(errors.size(), 0);
    QCOMPARE(m_server->connections(), 1);
}

void TestHostileServer::tokenTravelsOnlyInHello()
{
    // URLs end up in proxy and server logs; the token must never be part of one.
    const QString token = QStringLiteral("token-") + QUuid::createUuid().toString(QUuid::Id128);
    m_connection->login(QStringLiteral("alice"), token);
    m_connection->connectToServer();
    QVERIFY(waitFor([&] { return m_connection->connectionStatus() == ConnectionStatus::Connected; },
                    Soon, "the link"));
    QCOMPARE(m_server->requests().size(), 1);
    const QNetworkRequest request = m_server->requests().first();
    QVERIFY2(!request.url().toString().contains(token), qPrintable(request.url().toString()));
    QCOMPARE(request.url().query(), QString());
    QCOMPARE(request.url().userInfo(), QString());
    for (const QByteArray &header : request.rawHeaderList())
        QVERIFY2(!request.rawHeader(header).contains(token.toUtf8()), header.constData());
    const QStringList withToken = m_server->received().filter(token);
    QCOMPARE(withToken.size(), 1);
    protocol::DecodeError problem;
    QCOMPARE(protocol::Frame::decode(withToken.first(), &problem).type(), protocol::type::Hello);
}

void TestHostileServer::closeCodeIsClassified_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("error");
    // docs/protocol.md, "Close codes": a frame broke the protocol, on either side.
    for (const int code : {1002, 1003, 1007, 1009, 4000})
        QTest::addRow("%d", code) << code << QStringLiteral("ERR_PROTOCOL");
    // The server could not serve this link: not the protocol's fault.
    QTest::newRow("1011") << 1011 << QStringLiteral("ERR_CONNECTION_LOST");
}

void TestHostileServer::closeCodeIsClassified()
{
    QFETCH(int, code);
    QFETCH(QString, error);
    m_connection->connectToServer();
    QVERIFY(waitFor([&] { return m_connection->connectionStatus() == ConnectionStatus::Connected; },
                    Soon, "the link"));
    QSignalSpy errors(m_connection.get(), &ConnectionManager::connectionError);
    QSignalSpy reconnecting(m_connection.get(), &ConnectionManager::reconnecting);
    m_server->closeLink(code);
    QVERIFY(errors.wait(Soon));
    const ChatError reported = errors.first().first().value<ChatError>();
    QCOMPARE(reported.code, error);
    QVERIFY2(reported.details.contains(QString::number(code)), qPrintable(reported.details));
    // Either way the link comes back by the retry policy.
    QVERIFY(reconnecting.size() == 1 || reconnecting.wait(Soon));
    QVERIFY(waitFor([&] { return m_server->connections() == 2; }, Soon, "the reconnect"));
}

QTEST_GUILESS_MAIN(TestHostileServer)
#include "tst_hostileserver.moc"
