// ConnectionManager and Messenger over wss:// against the real lifeline-server started with
// --tls-cert/--tls-key, with certificates made at test time (TestCerts): a server the client
// trusts chats; a certificate the client cannot trust (unknown CA, self-signed, another host,
// expired) fails with ERR_TLS naming the problem, and is never retried by itself.
#include "bundledserver.h"
#include "testcerts.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QSignalSpy>
#include <QSslError>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using lifeline::harness::BundledServer;
using lifeline::testkit::TestCerts;

using namespace lifeline;

namespace {

using testkit::Soon;
using testkit::waitFor;

// Several reconnect delays of fastSettings() (100 ms, doubling): long enough for a retry that
// must not happen to show.
constexpr int Quiet = 1500;
const QString Room = QStringLiteral("lobby");

} // namespace

class TestClientTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void trustedServerConnectsAndChats();
    void serversOwnCertificateCanBeTrusted();
    void refusedCertificateFailsWithoutRetry_data();
    void refusedCertificateFailsWithoutRetry();

private:
    // A server for wss:// with the named certificate; the URL names the host the client checks.
    bool startServer(const QString &cert, const QString &key);
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::optional<TestCerts> m_certs;
    std::unique_ptr<BundledServer> m_server;
    int m_serverCount = 0;
};

void TestClientTls::initTestCase()
{
    qRegisterMetaType<ChatError>();
    qRegisterMetaType<ChatMessage>();
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend; install OpenSSL 3");
    QString error;
    m_certs = TestCerts::make(m_dir.path(), &error);
    QVERIFY2(m_certs, qPrintable(error));
}

void TestClientTls::cleanup()
{
    m_server.reset();
}

bool TestClientTls::startServer(const QString &cert, const QString &key)
{
    m_server = testkit::startServer(
        path(QStringLiteral("server-%1").arg(++m_serverCount)),
        {QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key});
    return m_server && m_server->url().scheme() == QLatin1String("wss");
}

void TestClientTls::trustedServerConnectsAndChats()
{
    QVERIFY(startServer(m_certs->serverCert, m_certs->serverKey));
    const auto settings = [this](const QString &user) {
        return testkit::fastSettings(m_server->url(), path(user))
            .setTrustedCertificates(m_certs->caFile)
            .build();
    };
    ConnectionManager alice;
    Messenger aliceMessenger(&alice);
    ConnectionManager bob;
    Messenger bobMessenger(&bob);
    QSignalSpy received(&bobMessenger, &Messenger::messageReceived);
    QVERIFY(
        testkit::initAndLogin(alice, settings(QStringLiteral("alice")), QStringLiteral("alice")));
    QVERIFY(testkit::initAndLogin(bob, settings(QStringLiteral("bob")), QStringLiteral("bob")));
    QVERIFY(waitFor([&] { return bobMessenger.sendAvailability() == SendAvailability::SendNow; },
                    Soon, "bob's link"));

    QVERIFY(!aliceMessenger.sendMessage(Room, QStringLiteral("over TLS")).isEmpty());
    QVERIFY(received.wait(Soon));
    const ChatMessage message = received.first().first().value<ChatMessage>();
    QCOMPARE(message.text, QStringLiteral("over TLS"));
    QCOMPARE(message.sender, QStringLiteral("alice"));
    QVERIFY(waitFor([&] { return aliceMessenger.pendingCount() == 0; }, Soon, "the ack"));
    QCOMPARE(alice.lastError(), ChatError());
}

void TestClientTls::serversOwnCertificateCanBeTrusted()
{
    // A server with a self-signed certificate, and the app ships that very certificate.
    QVERIFY(startServer(m_certs->selfSignedCert, m_certs->selfSignedKey));
    ConnectionManager manager;
    QSignalSpy connected(&manager, &ConnectionManager::connected);
    QVERIFY(
        testkit::initAndLogin(manager,
                              testkit::fastSettings(m_server->url(), path(QStringLiteral("own")))
                                  .setTrustedCertificates(m_certs->selfSignedCert)
                                  .build()));
    QVERIFY(connected.wait(Soon));
    QCOMPARE(manager.lastError(), ChatError());
}

void TestClientTls::refusedCertificateFailsWithoutRetry_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("trustCa");
    QTest::addColumn<QSslError::SslError>("problem");

    QTest::newRow("untrusted issuer") << m_certs->serverCert << m_certs->serverKey << false
                                      << QSslError::UnableToGetLocalIssuerCertificate;
    QTest::newRow("self-signed") << m_certs->selfSignedCert << m_certs->selfSignedKey << true
                                 << QSslError::SelfSignedCertificate;
    QTest::newRow("wrong host name")
        << m_certs->wrongHostCert << m_certs->wrongHostKey << true << QSslError::HostNameMismatch;
    QTest::newRow("expired") << m_certs->expiredCert << m_certs->expiredKey << true
                             << QSslError::CertificateExpired;
}

void TestClientTls::refusedCertificateFailsWithoutRetry()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(bool, trustCa);
    QFETCH(QSslError::SslError, problem);
    QVERIFY(startServer(cert, key));
    const QString dataDir
        = path(QStringLiteral("client-%1").arg(QString::fromUtf8(QTest::currentDataTag())));
    AppSettingsBuilder builder = testkit::fastSettings(m_server->url(), dataDir);
    if (trustCa)
        builder.setTrustedCertificates(m_certs->caFile);

    ConnectionManager manager;
    QSignalSpy errors(&manager, &ConnectionManager::connectionError);
    QSignalSpy connecting(&manager, &ConnectionManager::connecting);
    QSignalSpy reconnecting(&manager, &ConnectionManager::reconnecting);
    QVERIFY(testkit::initAndLogin(manager, builder.build())); // auto mode: connects now
    QVERIFY(errors.wait(Soon));
    const ChatError error = errors.first().first().value<ChatError>();
    QCOMPARE(error.code, QStringLiteral("ERR_TLS"));
    QVERIFY(!error.message.isEmpty());
    // Named as Qt names it, in the user's language.
    const QString named = QSslError(problem).errorString();
    QVERIFY2(error.details.contains(named), qPrintable(error.details));
    QCOMPARE(manager.connectionStatus(), ConnectionStatus::Disconnected);
    QCOMPARE(manager.disconnectReason(), DisconnectReason::TlsFailed);

    // Not retried by itself: nothing happens over several backoff periods.
    QVERIFY(!connecting.wait(Quiet));
    QCOMPARE(connecting.size(), 1);
    QCOMPARE(reconnecting.size(), 0);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(manager.connectionStatus(), ConnectionStatus::Disconnected);

    // The app may try again; the certificate is checked again, and refused again.
    ChatError connectError;
    manager.connectToServer({}, [&connectError](const ChatError &e) { connectError = e; });
    QCOMPARE(connecting.size(), 2);
    QVERIFY(waitFor([&] { return !connectError.isNull(); }, Soon, "the second refusal"));
    QCOMPARE(connectError.code, QStringLiteral("ERR_TLS"));
    QCOMPARE(manager.disconnectReason(), DisconnectReason::TlsFailed);
    QCOMPARE(reconnecting.size(), 0);
}

QTEST_GUILESS_MAIN(TestClientTls)
#include "tst_clienttls.moc"
