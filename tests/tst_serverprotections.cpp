// The real lifeline-server's protections against clients that are not the app, each with the
// flag that sets it: the Origin allowlist, the handshake timeout against slow-loris handshakes,
// the connection limits per address and in total (and the SDK's retry after 4005), the idle
// timeout (and WebSocket pings counting as life), and data files only the owner can read.

#include "bundledserver.h"
#include "chatclient.h"
#include "protocolclient.h"
#include "rawwebsocket.h"
#include "serverwaits.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/chaterror.h>
#include <lifeline/connectionmanager.h>
#include <protocol.h>

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <memory>
#include <sys/stat.h>

using lifeline::harness::BundledServer;
using lifeline::testkit::ChatClient;
using lifeline::testkit::ProtocolClient;
using lifeline::testkit::RawWebSocket;

using namespace lifeline;

namespace {

constexpr int Timeout = ProtocolClient::TimeoutMs;

const QHostAddress SecondHost(QStringLiteral("127.0.0.2"));

QByteArray originHeader(const QByteArray &origin)
{
    return origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n";
}

// The permission bits of path, or -1 if it does not exist.
int modeOf(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

// A raw client that logged in: what a well-behaved client gets when it is admitted.
bool logsIn(RawWebSocket &client, quint16 port, const QHostAddress &from = QHostAddress())
{
    if (!client.handshake(port, QByteArray(), from))
        return false;
    client.sendFrame(
        0x1,
        protocol::hello(QStringLiteral("raw"), QStringLiteral("alice"), QStringLiteral("t"))
            .toUtf8());
    const QByteArray answer = client.readFrame(0x1);
    return QJsonDocument::fromJson(answer).object().value(QStringLiteral("type")).toString()
        == protocol::type::Welcome;
}

// Whether client gets a pong for a ping, after whatever the server sent before.
bool answersPing(RawWebSocket &client)
{
    client.sendFrame(0x1, protocol::ping(7).toUtf8());
    for (;;) {
        const QByteArray frame = client.readFrame(0x1);
        if (frame.isNull())
            return false;
        if (QJsonDocument::fromJson(frame).object().value(QStringLiteral("type")).toString()
            == protocol::type::Pong)
            return true;
    }
}

// The close frame's reason, after its two bytes of code.
QString closeReason(RawWebSocket &client, int *code)
{
    const QByteArray payload = client.readFrame(0x8);
    *code = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : -1;
    return QString::fromUtf8(payload.mid(2));
}

} // namespace

class tst_ServerProtections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void originAllowlist_data();
    void originAllowlist();
    void browserOriginsRefusedByDefault();
    void slowLorisHandshakeIsDropped();
    void connectionsPerAddressAreLimited();
    void connectionsInTotalAreLimited();
    void sdkRetriesAfterTryAgainLater();
    void idleConnectionIsClosed();
    void dataFilesAreOwnerOnly();

private:
    // A dev-mode server of its own on an empty data directory, its stderr collected.
    BundledServer *startServer(const QStringList &arguments);
    bool logged(const QString &needle) const;

    QTemporaryDir m_dir;
    std::unique_ptr<BundledServer> m_server;
    QStringList m_stderr;
    int m_serverCount = 0;
};

void tst_ServerProtections::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
}

void tst_ServerProtections::cleanup()
{
    m_server.reset();
    m_stderr.clear();
}

BundledServer *tst_ServerProtections::startServer(const QStringList &arguments)
{
    m_server = std::make_unique<BundledServer>();
    m_server->setDataDirectory(
        m_dir.filePath(QStringLiteral("server%1/data").arg(++m_serverCount)));
    m_server->setExtraArguments(arguments);
    connect(m_server.get(), &BundledServer::standardErrorLine, this,
            [this](const QString &line) { m_stderr.append(line); });
    m_server->start();
    if (!lifeline::testkit::waitForStarted(*m_server)) {
        m_server.reset();
        return nullptr;
    }
    return m_server.get();
}

bool tst_ServerProtections::logged(const QString &needle) const
{
    for (const QString &line : m_stderr) {
        if (line.contains(needle))
            return true;
    }
    return false;
}

void tst_ServerProtections::originAllowlist_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("no Origin: a native client") << QByteArray() << true;
    QTest::newRow("listed") << QByteArray("https://chat.example") << true;
    QTest::newRow("listed with a port") << QByteArray("http://localhost:8080") << true;
    QTest::newRow("another site") << QByteArray("https://evil.example") << false;
    QTest::newRow("listed host, other scheme") << QByteArray("http://chat.example") << false;
    QTest::newRow("listed host, other port") << QByteArray("http://localhost:8081") << false;
    QTest::newRow("a sandboxed page") << QByteArray("null") << false;
}

void tst_ServerProtections::originAllowlist()
{
    QFETCH(QByteArray, origin);
    QFETCH(bool, accepted);
    BundledServer *server
        = startServer({QStringLiteral("--allow-origin"), QStringLiteral("https://chat.example"),
                       QStringLiteral("--allow-origin"), QStringLiteral("http://localhost:8080")});
    QVERIFY(server);
    RawWebSocket client;
    const QByteArray answer = client.handshakeAnswer(server->port(), originHeader(origin));
    if (accepted) {
        QCOMPARE(answer.left(12), QByteArray("HTTP/1.1 101"));
        return;
    }
    // Cross-site WebSocket hijacking: a page elsewhere must not reach the server through the
    // user's browser.
    QCOMPARE(answer.left(12), QByteArray("HTTP/1.1 403"));
    QVERIFY(client.waitClosedByPeer());
    QTRY_VERIFY_WITH_TIMEOUT(logged(QStringLiteral("refused a WebSocket handshake from Origin "
                                                   "\"%1\" with 403")
                                        .arg(QString::fromUtf8(origin))),
                             Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(logged(client.peer()
                                    + QStringLiteral(": connection closed before completing the "
                                                     "WebSocket handshake")),
                             Timeout);
}

void tst_ServerProtections::browserOriginsRefusedByDefault()
{
    BundledServer *server = startServer({});
    QVERIFY(server);
    // What a browser does: QWebSocket sends the Origin it is given.
    ProtocolClient page(server->url(), QStringLiteral("https://chat.example"));
    QVERIFY(page.waitDisconnected());
    QVERIFY(page.connected.isEmpty());
    ProtocolClient app(server->url());
    QCOMPARE(app.login(QStringLiteral("alice")).value(QStringLiteral("type")).toString(),
             protocol::type::Welcome);
}

void tst_ServerProtections::slowLorisHandshakeIsDropped()
{
    BundledServer *server
        = startServer({QStringLiteral("--handshake-timeout"), QStringLiteral("1000")});
    QVERIFY(server);
    RawWebSocket loris;
    QVERIFY(loris.connectTcp(server->port()));
    const QByteArray request = "GET / HTTP/1.1\r\n"
                               "Host: 127.0.0.1\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n\r\n";
    // One byte every 100 ms: always making progress, never done within the timeout. The
    // timeout counts from the accept, so the progress must not buy more time.
    QElapsedTimer timer;
    timer.start();
    qsizetype sent = 0;
    while (sent < request.size() && loris.socket.state() == QAbstractSocket::ConnectedState) {
        loris.socket.write(request.mid(sent++, 1));
        loris.socket.waitForDisconnected(100);
    }
    QVERIFY2(sent < request.size(),
             qPrintable(QStringLiteral("the whole request went out in %1 ms, byte by byte")
                            .arg(timer.elapsed())));
    QVERIFY(loris.waitClosedByPeer());
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(loris.peer() + QStringLiteral(": no WebSocket handshake within 1000 ms")), Timeout);
}

void tst_ServerProtections::connectionsPerAddressAreLimited()
{
    BundledServer *server
        = startServer({QStringLiteral("--max-connections-per-ip"), QStringLiteral("2")});
    QVERIFY(server);
    RawWebSocket first;
    RawWebSocket second;
    QVERIFY(logsIn(first, server->port()));
    QVERIFY(logsIn(second, server->port()));

    // The third from the same address completes the handshake and is told why it must go.
    RawWebSocket third;
    QVERIFY(third.handshake(server->port()));
    int code = 0;
    const QString reason = closeReason(third, &code);
    QCOMPARE(code, int(protocol::CloseCode::TryAgainLater));
    QCOMPARE(reason, QStringLiteral("too many connections from your address (at most 2)"));
    QVERIFY(third.waitClosedByPeer());
    QTRY_VERIFY_WITH_TIMEOUT(logged(third.peer()
                                    + QStringLiteral(": too many connections from your address "
                                                     "(at most 2); closing with 4005")),
                             Timeout);

    // Another address has its own count.
    RawWebSocket elsewhere;
    QVERIFY(logsIn(elsewhere, server->port(), SecondHost));

    // The ones that are gone no longer count; the server may need a moment to see them go.
    first.socket.abort();
    second.socket.abort();
    QVERIFY(testkit::waitFor(
        [&server] {
            RawWebSocket again;
            return logsIn(again, server->port());
        },
        testkit::Soon, "a connection from 127.0.0.1 to be admitted again"));
}

void tst_ServerProtections::connectionsInTotalAreLimited()
{
    BundledServer *server = startServer({QStringLiteral("--max-connections"), QStringLiteral("3")});
    QVERIFY(server);
    RawWebSocket clients[3];
    QVERIFY(logsIn(clients[0], server->port()));
    QVERIFY(logsIn(clients[1], server->port(), SecondHost));
    QVERIFY(logsIn(clients[2], server->port(), QHostAddress(QStringLiteral("127.0.0.3"))));
    RawWebSocket fourth;
    QVERIFY(
        fourth.handshake(server->port(), QByteArray(), QHostAddress(QStringLiteral("127.0.0.4"))));
    int code = 0;
    QCOMPARE(closeReason(fourth, &code),
             QStringLiteral("the server has too many connections (at most 3)"));
    QCOMPARE(code, int(protocol::CloseCode::TryAgainLater));
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(fourth.peer() + QStringLiteral(": the server has too many connections")), Timeout);
    // Those admitted are not disturbed.
    for (RawWebSocket &client : clients)
        QVERIFY(answersPing(client));
}

void tst_ServerProtections::sdkRetriesAfterTryAgainLater()
{
    BundledServer *server
        = startServer({QStringLiteral("--max-connections-per-ip"), QStringLiteral("1")});
    QVERIFY(server);
    auto holder = std::make_unique<RawWebSocket>();
    QVERIFY(logsIn(*holder, server->port()));

    // The app's SDK is refused while the slot is taken, and keeps trying with backoff.
    ChatClient alice(QStringLiteral("alice"), server->url(), m_dir.filePath(QStringLiteral("sdk")));
    QSignalSpy errors(&alice.connection, &ConnectionManager::connectionError);
    QSignalSpy reconnecting(&alice.connection, &ConnectionManager::reconnecting);
    QTRY_VERIFY_WITH_TIMEOUT(reconnecting.size() >= 2, testkit::Soon);
    QVERIFY(!errors.isEmpty());
    const ChatError error = errors.constFirst().at(0).value<ChatError>();
    QVERIFY2(error.details.contains(QStringLiteral("closed with code 4005 (too many connections "
                                                   "from your address (at most 1))")),
             qPrintable(error.details));
    QVERIFY(alice.connection.connectionStatus() != ConnectionStatus::Connected);

    // Once the slot is free, it gets in without anyone's help.
    holder.reset();
    QVERIFY(alice.waitConnected(testkit::Soon));
}

void tst_ServerProtections::idleConnectionIsClosed()
{
    BundledServer *server = startServer({QStringLiteral("--idle-timeout"), QStringLiteral("1500")});
    QVERIFY(server);
    // The app sends nothing but its heartbeat, WebSocket pings every 300 ms, which QWebSocket
    // on the server answers without a signal: they must count as life.
    ChatClient app(QStringLiteral("app"), server->url(), m_dir.filePath(QStringLiteral("idle")));
    QVERIFY(app.waitConnected());
    QSignalSpy statusChanges(&app.connection, &ConnectionManager::connectionStatusChanged);

    // Two silent clients one after the other, each closed after 1.5 s of silence: over 3 s in
    // which the app said nothing but ping.
    for (int i = 0; i < 2; ++i) {
        ProtocolClient silent(server->url());
        QCOMPARE(silent.login(QStringLiteral("silent")).value(QStringLiteral("type")).toString(),
                 protocol::type::Welcome);
        QElapsedTimer quiet;
        quiet.start();
        QVERIFY(silent.waitDisconnected(testkit::Soon));
        QCOMPARE(silent.closeCode(), int(protocol::CloseCode::IdleTimeout));
        QCOMPARE(silent.socket.closeReason(), QStringLiteral("nothing received for 1500 ms"));
        // Not at once: the silence closed it (the bound leaves room for a slow welcome).
        QVERIFY2(quiet.elapsed() >= 1000,
                 qPrintable(QStringLiteral("closed after %1 ms of silence").arg(quiet.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(
            logged(silent.peer()
                   + QStringLiteral(": nothing received for 1500 ms; closing with "
                                    "4004")),
            Timeout);
    }
    QVERIFY2(statusChanges.isEmpty(), "the app's connection changed status: it was closed");
    QCOMPARE(app.connection.connectionStatus(), ConnectionStatus::Connected);
}

void tst_ServerProtections::dataFilesAreOwnerOnly()
{
    // The usual umask would make a file readable by everyone; the server must not rely on it.
    const mode_t previous = ::umask(022);
    BundledServer *server = startServer({});
    ::umask(previous);
    QVERIFY(server);
    ProtocolClient client(server->url());
    QCOMPARE(client.login(QStringLiteral("alice")).value(QStringLiteral("type")).toString(),
             protocol::type::Welcome);
    client.send(QStringLiteral("m1"), QStringLiteral("secret"));
    QCOMPARE(client.next().value(QStringLiteral("type")).toString(), protocol::type::Ack);

    const QDir data(server->dataDirectory());
    QCOMPARE(modeOf(data.path()), 0700);
    // The database and the write-ahead log and shared memory files SQLite keeps next to it.
    const QStringList files = data.entryList(QDir::Files | QDir::Hidden);
    QVERIFY2(files.contains(QStringLiteral("messages.db"))
                 && files.contains(QStringLiteral("messages.db-wal")),
             qPrintable(files.join(QLatin1Char(' '))));
    for (const QString &file : files)
        QVERIFY2(
            modeOf(data.filePath(file)) == 0600,
            qPrintable(
                QStringLiteral("%1 has mode %2").arg(file).arg(modeOf(data.filePath(file)), 0, 8)));
}

QTEST_GUILESS_MAIN(tst_ServerProtections)
#include "tst_serverprotections.moc"
