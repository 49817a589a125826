// lifeline-server with --tls-cert and --tls-key: it serves wss:// with certificates made at test
// time by a test CA, a client that trusts that CA logs in and chats, a plain ws:// client and
// other strangers to TLS are refused cleanly (and logged), and bad TLS files stop the server
// with exit code 2 and a message that says what is wrong.

#include "bundledserver.h"
#include "protocolclient.h"
#include "rawwebsocket.h"
#include "serverwaits.h"
#include "testcerts.h"

#include <protocol.h>

#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>
#include <optional>

using lifeline::harness::BundledServer;
using lifeline::testkit::ProtocolClient;
using lifeline::testkit::RawWebSocket;
using lifeline::testkit::TestCerts;
using lifeline::testkit::typeOf;

using namespace lifeline;

namespace {

constexpr int Timeout = ProtocolClient::TimeoutMs;

} // namespace

class tst_ServerTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void servesWss();
    void clientTrustingTheCaChats();
    void clientNotTrustingTheCaIsRefused();
    void plainWebSocketToTlsPortFails();
    void stalledTlsHandshakeIsDropped();
    void badTlsFilesExit2_data();
    void badTlsFilesExit2();

private:
    QSslConfiguration trustingTheCa() const;
    bool logged(const QString &needle) const;

    QTemporaryDir m_dir;
    std::optional<TestCerts> m_certs;
    BundledServer m_server;
    QStringList m_stderr;
};

void tst_ServerTls::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend; install OpenSSL 3");
    QString error;
    m_certs = TestCerts::make(m_dir.path(), &error);
    QVERIFY2(m_certs, qPrintable(error));

    connect(&m_server, &BundledServer::standardErrorLine, this,
            [this](const QString &line) { m_stderr.append(line); });
    m_server.setDataDirectory(m_dir.filePath(QStringLiteral("data")));
    m_server.setExtraArguments({QStringLiteral("--tls-cert"), m_certs->serverCert,
                                QStringLiteral("--tls-key"), m_certs->serverKey,
                                QStringLiteral("--handshake-timeout"), QStringLiteral("2000")});
    m_server.start();
    QVERIFY2(lifeline::testkit::waitForStarted(m_server),
             "lifeline-server did not start; see its stderr");
}

void tst_ServerTls::cleanupTestCase()
{
    m_server.stop();
    QVERIFY(lifeline::testkit::waitForStopped(m_server));
}

QSslConfiguration tst_ServerTls::trustingTheCa() const
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(m_certs->caFile));
    return tls;
}

bool tst_ServerTls::logged(const QString &needle) const
{
    for (const QString &line : m_stderr) {
        if (line.contains(needle))
            return true;
    }
    return false;
}

void tst_ServerTls::servesWss()
{
    // The first stdout line names the scheme, so that whoever starts the server knows it.
    QCOMPARE(m_server.url().scheme(), QStringLiteral("wss"));
    QCOMPARE(m_server.url().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(m_server.url().port() > 0);
}

void tst_ServerTls::clientTrustingTheCaChats()
{
    ProtocolClient alice(m_server.url(), QString(), trustingTheCa());
    ProtocolClient bob(m_server.url(), QString(), trustingTheCa());
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
    QCOMPARE(typeOf(bob.login(QStringLiteral("bob"))), protocol::type::Welcome);
    // The link really is TLS, checked against the CA for 127.0.0.1.
    QVERIFY(!alice.socket.sslConfiguration().sessionCipher().isNull());
    QCOMPARE(alice.socket.sslConfiguration().peerCertificate(),
             QSslCertificate::fromPath(m_certs->serverCert).value(0));

    QVERIFY(alice.catchUp(0) >= 0);
    QVERIFY(bob.catchUp(0) >= 0);
    alice.send(QStringLiteral("tls-1"), QStringLiteral("over TLS"));
    QCOMPARE(typeOf(alice.next()), protocol::type::Ack);
    const QJsonObject received = bob.next();
    QCOMPARE(typeOf(received), protocol::type::Message);
    QCOMPARE(received.value(QStringLiteral("text")).toString(), QStringLiteral("over TLS"));
    QCOMPARE(received.value(QStringLiteral("sender")).toString(), QStringLiteral("alice"));
    // The sender gets its own message too, as every live connection does.
    QCOMPARE(alice.next().value(QStringLiteral("text")).toString(), QStringLiteral("over TLS"));
    QVERIFY(alice.pingPong(1));
}

void tst_ServerTls::clientNotTrustingTheCaIsRefused()
{
    // Qt's own CA list does not know the test CA: the client must refuse the server.
    ProtocolClient stranger(m_server.url());
    QSignalSpy sslErrors(&stranger.socket, &QWebSocket::sslErrors);
    QVERIFY(stranger.waitDisconnected());
    QVERIFY(stranger.connected.isEmpty());
    QVERIFY(!sslErrors.isEmpty());
    // The server is still there for everyone else.
    ProtocolClient alice(m_server.url(), QString(), trustingTheCa());
    QCOMPARE(typeOf(alice.login(QStringLiteral("alice"))), protocol::type::Welcome);
}

void tst_ServerTls::plainWebSocketToTlsPortFails()
{
    // A ws:// client on the wss:// port: its HTTP request is no TLS ClientHello.
    QUrl plain = m_server.url();
    plain.setScheme(QStringLiteral("ws"));
    ProtocolClient client(plain);
    QVERIFY(client.waitDisconnected());
    QVERIFY(client.connected.isEmpty());
    QVERIFY(client.frames.isEmpty());

    // The same by hand, to know the peer the log names: no HTTP answer, the connection ends.
    RawWebSocket raw;
    QCOMPARE(raw.handshakeAnswer(m_server.port(), QByteArray()), QByteArray());
    QVERIFY(raw.waitClosedByPeer());
    QTRY_VERIFY_WITH_TIMEOUT(logged(raw.peer() + QStringLiteral(": TLS handshake failed")),
                             Timeout);
}

void tst_ServerTls::stalledTlsHandshakeIsDropped()
{
    // Connected but silent: the TLS handshake never starts. --handshake-timeout is 2 s here.
    RawWebSocket silent;
    QVERIFY(silent.connectTcp(m_server.port()));
    QVERIFY(silent.waitClosedByPeer(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(
        logged(silent.peer() + QStringLiteral(": no TLS and WebSocket handshake within 2000 ms")),
        Timeout);
}

void tst_ServerTls::badTlsFilesExit2_data()
{
    QTest::addColumn<QString>("cert"); // a name in TestCerts or a file name under m_dir
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing certificate file")
        << QStringLiteral("missing.pem") << QStringLiteral("serverKey")
        << QStringLiteral("cannot read the certificate file");
    QTest::newRow("missing key file")
        << QStringLiteral("serverCert") << QStringLiteral("missing.key")
        << QStringLiteral("cannot read the private key file");
    QTest::newRow("not a certificate")
        << QStringLiteral("garbage.pem") << QStringLiteral("serverKey")
        << QStringLiteral("holds no PEM certificate");
    QTest::newRow("a certificate where the key belongs")
        << QStringLiteral("serverCert") << QStringLiteral("serverCert")
        << QStringLiteral("holds no unencrypted PEM RSA, EC or DSA private key");
    QTest::newRow("the key of another certificate")
        << QStringLiteral("serverCert") << QStringLiteral("wrongHostKey")
        << QStringLiteral("do not work together");
    QTest::newRow("certificate without key")
        << QStringLiteral("serverCert") << QString() << QStringLiteral("go together");
    QTest::newRow("key without certificate")
        << QString() << QStringLiteral("serverKey") << QStringLiteral("go together");
}

void tst_ServerTls::badTlsFilesExit2()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, reason);
    QFile garbage(m_dir.filePath(QStringLiteral("garbage.pem")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("this is not PEM\n");
    garbage.close();
    const auto path = [this](const QString &name) {
        if (name == QLatin1String("serverCert"))
            return m_certs->serverCert;
        if (name == QLatin1String("serverKey"))
            return m_certs->serverKey;
        if (name == QLatin1String("wrongHostKey"))
            return m_certs->wrongHostKey;
        return m_dir.filePath(name);
    };
    QStringList arguments;
    if (!cert.isEmpty())
        arguments << QStringLiteral("--tls-cert") << path(cert);
    if (!key.isEmpty())
        arguments << QStringLiteral("--tls-key") << path(key);

    BundledServer server;
    server.setDataDirectory(m_dir.filePath(QStringLiteral("bad")));
    server.setExtraArguments(arguments);
    QStringList lines;
    connect(&server, &BundledServer::standardErrorLine, this,
            [&lines](const QString &line) { lines.append(line); });
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(!lifeline::testkit::waitForStarted(server));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, Timeout);
    QCOMPARE(stopped.at(0).at(0).toInt(), 2);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    QVERIFY2(lines.join(QLatin1Char('\n')).contains(reason),
             qPrintable(lines.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(tst_ServerTls)
#include "tst_servertls.moc"
