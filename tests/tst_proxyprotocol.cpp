// lifeline-server behind a load balancer that speaks the PROXY protocol: the header is read
// (versions 1 and 2, as HAProxy sends them), limits and logs see the client's address instead
// of the balancer's, and a connection without a header is dropped.

#include "bundledserver.h"
#include "proxyprotocolheader.h"
#include "rawwebsocket.h"
#include "testsetup.h"

#include <protocol.h>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using lifeline::harness::BundledServer;
using lifeline::testkit::RawWebSocket;
using namespace lifeline::server;

namespace {

QByteArray v2(quint8 command, quint8 family, const QByteArray &addresses)
{
    QByteArray header("\x0D\x0A\x0D\x0A\x00\x0D\x0A\x51\x55\x49\x54\x0A", 12);
    header.append(char(0x20 | command));
    header.append(char(family));
    char length[2];
    qToBigEndian<quint16>(quint16(addresses.size()), length);
    header.append(length, 2);
    return header + addresses;
}

// IPv4 source 203.0.113.7:50000, destination 10.0.0.1:8080.
QByteArray v2Tcp4Addresses()
{
    return QByteArray("\xCB\x00\x71\x07\x0A\x00\x00\x01\xC3\x50\x1F\x90", 12);
}

} // namespace

class tst_ProxyProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void parse_data();
    void parse();
    void incompleteHeadersWait_data();
    void incompleteHeadersWait();

    void limitsAndLogsSeeTheClient();
    void connectionWithoutHeaderIsDropped();
    void connectionsAwaitingTheirHeaderCount();
    void balancerHealthCheckWithLocalHeader();
    void notWithTls();

private:
    QTemporaryDir m_dir;
};

void tst_ProxyProtocol::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
}

void tst_ProxyProtocol::parse_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("source"); // "address:port", or empty for the connection's own

    const auto row = [](const char *name, const QByteArray &data,
                        ProxyProtocolHeader::Status status, int length, const QString &source) {
        QTest::newRow(name) << data << int(status) << length << source;
    };
    using S = ProxyProtocolHeader::Status;
    const QByteArray request("GET / HTTP/1.1\r\n");
    const QByteArray v1Tcp4("PROXY TCP4 203.0.113.7 10.0.0.1 50000 8080\r\n");
    row("v1 TCP4, request behind it", v1Tcp4 + request, S::Complete, int(v1Tcp4.size()),
        QStringLiteral("203.0.113.7:50000"));
    const QByteArray v1Tcp6("PROXY TCP6 2001:db8::7 2001:db8::1 443 8080\r\n");
    row("v1 TCP6", v1Tcp6, S::Complete, int(v1Tcp6.size()), QStringLiteral("2001:db8::7:443"));
    row("v1 UNKNOWN", "PROXY UNKNOWN\r\n", S::Complete, 15, QString());
    row("v1 bad address", "PROXY TCP4 203.0.113.999 10.0.0.1 1 2\r\n", S::Invalid, 0, QString());
    row("v1 IPv6 address as TCP4", "PROXY TCP4 2001:db8::7 10.0.0.1 1 2\r\n", S::Invalid, 0,
        QString());
    row("v1 port too big", "PROXY TCP4 203.0.113.7 10.0.0.1 70000 2\r\n", S::Invalid, 0, QString());
    row("v1 missing port", "PROXY TCP4 203.0.113.7 10.0.0.1 5\r\n", S::Invalid, 0, QString());
    row("v1 without its end", "PROXY TCP4 " + QByteArray(120, '1'), S::Invalid, 0, QString());
    row("v2 TCP4", v2(1, 0x11, v2Tcp4Addresses()) + request, S::Complete, 28,
        QStringLiteral("203.0.113.7:50000"));
    QByteArray tcp6(36, '\0');
    tcp6[0] = char(0x20);
    tcp6[1] = char(0x01);
    tcp6[2] = char(0x0d);
    tcp6[3] = char(0xb8);
    tcp6[15] = char(0x07);
    tcp6[32] = char(0x01);
    tcp6[33] = char(0xbb);
    row("v2 TCP6", v2(1, 0x21, tcp6), S::Complete, 52, QStringLiteral("2001:db8::7:443"));
    // HAProxy adds TLVs after the addresses; the length covers them.
    row("v2 TCP4 with TLVs", v2(1, 0x11, v2Tcp4Addresses() + QByteArray("\x04\x00\x01\x00", 4)),
        S::Complete, 32, QStringLiteral("203.0.113.7:50000"));
    row("v2 LOCAL", v2(0, 0x00, {}), S::Complete, 16, QString());
    row("v2 TCP4 too short", v2(1, 0x11, QByteArray(8, '\0')), S::Invalid, 0, QString());
    QByteArray wrongVersion = v2(1, 0x11, v2Tcp4Addresses());
    wrongVersion[12] = char(0x31);
    row("v2 version 3", wrongVersion, S::Invalid, 0, QString());
    row("a plain WebSocket handshake", request, S::Invalid, 0, QString());
    row("TLS client hello", QByteArray("\x16\x03\x01\x02\x00", 5), S::Invalid, 0, QString());
}

void tst_ProxyProtocol::parse()
{
    QFETCH(QByteArray, data);
    QFETCH(int, status);
    QFETCH(int, length);
    QFETCH(QString, source);
    const ProxyProtocolHeader header = ProxyProtocolHeader::parse(data);
    QCOMPARE(int(header.status), status);
    if (header.status == ProxyProtocolHeader::Status::Invalid) {
        QVERIFY(!header.error.isEmpty());
        return;
    }
    QCOMPARE(int(header.length), length);
    if (source.isEmpty())
        QVERIFY(header.sourceAddress.isNull());
    else
        QCOMPARE(
            QStringLiteral("%1:%2").arg(header.sourceAddress.toString()).arg(header.sourcePort),
            source);
}

void tst_ProxyProtocol::incompleteHeadersWait_data()
{
    QTest::addColumn<QByteArray>("complete");
    QTest::newRow("v1") << QByteArray("PROXY TCP4 203.0.113.7 10.0.0.1 50000 8080\r\n");
    QTest::newRow("v2") << v2(1, 0x11, v2Tcp4Addresses());
}

void tst_ProxyProtocol::incompleteHeadersWait()
{
    // However the bytes are split over reads, nothing is decided before the header is whole.
    QFETCH(QByteArray, complete);
    for (qsizetype n = 0; n < complete.size(); ++n)
        QCOMPARE(ProxyProtocolHeader::parse(complete.left(n)).status,
                 ProxyProtocolHeader::Status::Incomplete);
    QCOMPARE(ProxyProtocolHeader::parse(complete).status, ProxyProtocolHeader::Status::Complete);
}

void tst_ProxyProtocol::limitsAndLogsSeeTheClient()
{
    auto server = lifeline::testkit::startServer(m_dir.filePath(QStringLiteral("limits")),
                                                 {QStringLiteral("--proxy-protocol"),
                                                  QStringLiteral("--max-connections-per-ip"),
                                                  QStringLiteral("1")});
    QVERIFY(server);
    QStringList log;
    connect(server.get(), &BundledServer::standardErrorLine, this,
            [&log](const QString &line) { log.append(line); });
    // Every connection comes from 127.0.0.1, the "balancer"; the headers name two clients.
    RawWebSocket first;
    first.prelude = "PROXY TCP4 203.0.113.7 10.0.0.1 50000 8080\r\n";
    QVERIFY(first.handshake(server->port()));
    // The same client again: over its limit of one, whatever the balancer's count is.
    RawWebSocket second;
    second.prelude = v2(1, 0x11, v2Tcp4Addresses());
    QVERIFY(second.handshake(server->port()));
    QCOMPARE(second.readCloseCode(), 4005);
    // Another client through the same balancer is let in.
    RawWebSocket third;
    third.prelude = "PROXY TCP4 203.0.113.8 10.0.0.1 50001 8080\r\n";
    QVERIFY(third.handshake(server->port()));
    third.sendFrame(
        0x1,
        lifeline::protocol::hello(QStringLiteral("t"), QStringLiteral("bob"), QStringLiteral("t"))
            .toUtf8());
    QVERIFY(!third.readFrame(0x1).isNull());
    // The log names the clients, not the balancer.
    QTRY_VERIFY_WITH_TIMEOUT(
        log.contains(QStringLiteral("lifeline.server: 203.0.113.8:50001: \"bob\" logged in")),
        lifeline::testkit::Soon);
    QVERIFY2(log.filter(QStringLiteral("203.0.113.7:50000")).size() >= 1,
             qPrintable(log.join(QLatin1Char('\n'))));
}

void tst_ProxyProtocol::connectionWithoutHeaderIsDropped()
{
    auto server = lifeline::testkit::startServer(m_dir.filePath(QStringLiteral("noheader")),
                                                 {QStringLiteral("--proxy-protocol")});
    QVERIFY(server);
    QStringList log;
    connect(server.get(), &BundledServer::standardErrorLine, this,
            [&log](const QString &line) { log.append(line); });
    // A client that reached the server around the balancer must not pass for anyone.
    RawWebSocket direct;
    QVERIFY(!direct.handshake(server->port()));
    QVERIFY(direct.waitClosedByPeer());
    QTRY_VERIFY_WITH_TIMEOUT(
        !log.filter(QStringLiteral("did not start with a PROXY protocol header (is the load "
                                   "balancer set to send one?); dropping the connection"))
             .isEmpty(),
        lifeline::testkit::Soon);
}

void tst_ProxyProtocol::connectionsAwaitingTheirHeaderCount()
{
    auto server = lifeline::testkit::startServer(m_dir.filePath(QStringLiteral("awaiting")),
                                                 {QStringLiteral("--proxy-protocol"),
                                                  QStringLiteral("--max-connections"),
                                                  QStringLiteral("2")});
    QVERIFY(server);
    QStringList log;
    connect(server.get(), &BundledServer::standardErrorLine, this,
            [&log](const QString &line) { log.append(line); });
    // Two connections that have yet to send their header fill the server: a third is dropped
    // at once, not left to hold a socket until the handshake times out.
    RawWebSocket first;
    RawWebSocket second;
    QVERIFY(first.connectTcp(server->port()));
    QVERIFY(second.connectTcp(server->port()));
    RawWebSocket third;
    QVERIFY(third.connectTcp(server->port()));
    QVERIFY(third.waitClosedByPeer());
    QTRY_VERIFY_WITH_TIMEOUT(!log.filter(QStringLiteral("2 connections are open, the limit "
                                                        "(--max-connections); dropping the "
                                                        "connection before its PROXY header"))
                                  .isEmpty(),
                             lifeline::testkit::Soon);
    // Once one of them names its client, it counts as that client's, still one of two.
    first.prelude = "PROXY TCP4 203.0.113.7 10.0.0.1 50000 8080\r\n";
    first.socket.write(first.prelude);
    QVERIFY(first.socket.waitForBytesWritten());
    RawWebSocket fourth;
    QVERIFY(fourth.connectTcp(server->port()));
    QVERIFY(fourth.waitClosedByPeer());
    // The other gone, there is room again (once the server has seen it go).
    second.socket.abort();
    const auto admitted = [&server] {
        RawWebSocket fifth;
        fifth.prelude = "PROXY TCP4 203.0.113.8 10.0.0.1 50001 8080\r\n";
        if (!fifth.handshake(server->port()))
            return false;
        fifth.sendFrame(0x1,
                        lifeline::protocol::hello(QStringLiteral("t"), QStringLiteral("eve"),
                                                  QStringLiteral("t"))
                            .toUtf8());
        const QJsonObject answer = QJsonDocument::fromJson(fifth.readFrame(0x1)).object();
        return answer.value(QStringLiteral("type")).toString() == lifeline::protocol::type::Welcome;
    };
    // Tried again until then; QTRY_ would run a login more than once.
    QElapsedTimer waited;
    waited.start();
    bool in = admitted();
    while (!in && waited.elapsed() < lifeline::testkit::Soon) {
        QTest::qWait(50);
        in = admitted();
    }
    QVERIFY2(in, qPrintable(log.join(QLatin1Char('\n'))));
}

void tst_ProxyProtocol::balancerHealthCheckWithLocalHeader()
{
    auto server = lifeline::testkit::startServer(m_dir.filePath(QStringLiteral("health")),
                                                 {QStringLiteral("--proxy-protocol")});
    QVERIFY(server);
    // HAProxy's own health checks come with a LOCAL header.
    RawWebSocket check;
    check.prelude = v2(0, 0x00, {}) + "GET /healthz HTTP/1.1\r\nHost: lifeline\r\n\r\n";
    QVERIFY(check.connectTcp(server->port()));
    QVERIFY(check.waitClosedByPeer());
    const QByteArray answer = check.buffer + check.socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer.constData());
    QVERIFY2(answer.endsWith("\r\n\r\nok\n"), answer.constData());
}

void tst_ProxyProtocol::notWithTls()
{
    QProcess process;
    process.setProgram(BundledServer::defaultProgram());
    process.setArguments({QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("tls")),
                          QStringLiteral("--proxy-protocol"), QStringLiteral("--tls-cert"),
                          QStringLiteral("cert.pem"), QStringLiteral("--tls-key"),
                          QStringLiteral("key.pem")});
    process.start();
    QVERIFY(process.waitForFinished(lifeline::testkit::Soon));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(QString::fromUtf8(process.readAllStandardError())
                .contains(QStringLiteral("--proxy-protocol and --tls-cert do not go together")));
}

QTEST_GUILESS_MAIN(tst_ProxyProtocol)
#include "tst_proxyprotocol.moc"
