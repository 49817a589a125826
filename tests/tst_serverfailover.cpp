// The client's list of server URLs: it starts at a random one, stays with the one that works,
// moves on to the next after a failed attempt or a lost link under one backoff and attempt
// budget, and says which server it is connected to. A refused token or protocol version stops
// it on any endpoint; a TLS failure and the close codes 4005 and 1011 move on.

#include "bundledserver.h"
#include "testcerts.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>

#include <protocol.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <vector>

using lifeline::harness::BundledServer;
using lifeline::testkit::TestCerts;

using namespace lifeline;
using namespace std::chrono_literals;

namespace {

// A peer that completes the WebSocket handshake and closes at once with one close code: what
// an instance that is full (4005), broken (1011) or refusing (4001, 4003) says. Every
// connection is noted in a log shared by all of them, so a test sees the order of endpoints.
class RefusingServer : public QObject
{
public:
    RefusingServer(int closeCode, QStringList *log)
        : m_closeCode(closeCode)
        , m_log(log)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *socket = m_server.nextPendingConnection();
            socket->setParent(this);
            m_log->append(url().toString());
            socket->close(QWebSocketProtocol::CloseCode(m_closeCode), QStringLiteral("refused"));
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()));
    }

private:
    QWebSocketServer m_server {QStringLiteral("refusing"), QWebSocketServer::NonSecureMode};
    int m_closeCode;
    QStringList *m_log;
};

} // namespace

class tst_ServerFailover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void settingsKeepEveryUrl();
    void startsAtARandomEndpoint();
    void failuresMoveOnInTurnUnderOneBudget();
    void closeCodesThatMoveOn_data();
    void closeCodesThatMoveOn();
    void closeCodesThatStop_data();
    void closeCodesThatStop();
    void tlsFailureMovesOnToTheNextEndpoint();
    void connectedServerUrlFollowsTheLink();

private:
    AppSettings settings(const QList<QUrl> &urls, int maxAttempts = 3);
    QTemporaryDir m_dir;
    int m_managers = 0;
};

void tst_ServerFailover::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
}

AppSettings tst_ServerFailover::settings(const QList<QUrl> &urls, int maxAttempts)
{
    return testkit::fastSettings(urls.value(0),
                                 m_dir.filePath(QStringLiteral("m%1").arg(++m_managers)))
        .setServerUrls(urls)
        .setReconnectDelay(20ms, 40ms)
        .setMaxReconnectAttempts(maxAttempts)
        .build();
}

void tst_ServerFailover::settingsKeepEveryUrl()
{
    const QList<QUrl> urls {QUrl(QStringLiteral("ws://a.example:1")),
                            QUrl(QStringLiteral("wss://b.example:2"))};
    const AppSettings both = AppSettingsBuilder().setServerUrls(urls).build();
    QCOMPARE(both.serverUrls(), urls);
    // serverUrl() stays what it was for code that knows one server: the first.
    QCOMPARE(both.serverUrl(), urls.first());
    QVERIFY(both.validationErrors().filter(QStringLiteral("serverUrl")).isEmpty());
    // setServerUrl() is a list of one.
    const AppSettings one = AppSettingsBuilder().setServerUrl(urls.last()).build();
    QCOMPARE(one.serverUrls(), QList<QUrl> {urls.last()});
    // Each bad entry is named by its place in the list.
    const AppSettings bad = AppSettingsBuilder()
                                .setServerUrls({urls.first(), QUrl(QStringLiteral("http://c"))})
                                .build();
    QVERIFY2(bad.validationErrors().contains(
                 QStringLiteral("serverUrls[1]: must be a ws:// or wss:// URL with a host (got "
                                "\"http://c\")")),
             qPrintable(bad.validationErrors().join(QLatin1Char('\n'))));
    const AppSettings none = AppSettingsBuilder().setServerUrls({}).build();
    QVERIFY(none.validationErrors().contains(
        QStringLiteral("serverUrl: is required (ws://host:port or wss://host:port)")));
}

void tst_ServerFailover::startsAtARandomEndpoint()
{
    QStringList log;
    std::vector<std::unique_ptr<RefusingServer>> servers;
    QList<QUrl> urls;
    for (int i = 0; i < 3; ++i) {
        servers.push_back(std::make_unique<RefusingServer>(1011, &log));
        QVERIFY(servers.back()->listen());
        urls.append(servers.back()->url());
    }
    // Each manager's first attempt goes to the endpoint it drew. 24 managers all drawing the
    // same one of three would happen once in 10^11 runs.
    QSet<QString> firsts;
    for (int i = 0; i < 24; ++i) {
        log.clear();
        ConnectionManager manager;
        QVERIFY(testkit::initAndLogin(manager, settings(urls)));
        QVERIFY(
            testkit::waitFor([&log] { return !log.isEmpty(); }, testkit::Soon, "a first attempt"));
        firsts.insert(log.first());
        manager.disconnectFromServer();
    }
    QVERIFY2(firsts.size() > 1, "every manager started at the same endpoint");
}

void tst_ServerFailover::failuresMoveOnInTurnUnderOneBudget()
{
    QStringList log;
    std::vector<std::unique_ptr<RefusingServer>> servers;
    QList<QUrl> urls;
    for (int i = 0; i < 3; ++i) {
        servers.push_back(
            std::make_unique<RefusingServer>(int(protocol::CloseCode::TryAgainLater), &log));
        QVERIFY(servers.back()->listen());
        urls.append(servers.back()->url());
    }
    ConnectionManager manager;
    QSignalSpy reasons(&manager, &ConnectionManager::disconnectReasonChanged);
    QVERIFY(testkit::initAndLogin(manager, settings(urls, 4)));
    QTRY_COMPARE_WITH_TIMEOUT(manager.disconnectReason(), DisconnectReason::ReconnectFailed,
                              testkit::Soon);
    // The first attempt and four reconnects: one budget for the whole list, not one each.
    QCOMPARE(log.size(), 5);
    // Each failure moved on to the next endpoint, round the list.
    const qsizetype start = urls.indexOf(QUrl(log.first()));
    for (qsizetype k = 0; k < log.size(); ++k)
        QCOMPARE(log.at(k), urls.at((start + k) % urls.size()).toString());
}

void tst_ServerFailover::closeCodesThatMoveOn_data()
{
    QTest::addColumn<int>("code");
    QTest::newRow("4005 try again later") << int(protocol::CloseCode::TryAgainLater);
    QTest::newRow("1011 server error") << int(QWebSocketProtocol::CloseCodeBadOperation);
}

void tst_ServerFailover::closeCodesThatMoveOn()
{
    QFETCH(int, code);
    QStringList log;
    RefusingServer refusing(code, &log);
    QVERIFY(refusing.listen());
    auto real = testkit::startServer(m_dir.filePath(QStringLiteral("real%1").arg(code)));
    QVERIFY(real);
    // Whichever endpoint it starts at, it ends up on the one that works, and stays there.
    for (int round = 0; round < 4; ++round) {
        ConnectionManager manager;
        QSignalSpy urlChanges(&manager, &ConnectionManager::connectedServerUrlChanged);
        QVERIFY(testkit::initAndLogin(manager, settings({refusing.url(), real->url()})));
        QTRY_COMPARE_WITH_TIMEOUT(manager.connectionStatus(), ConnectionStatus::Connected,
                                  testkit::Soon);
        QCOMPARE(manager.connectedServerUrl(), real->url());
        QCOMPARE(urlChanges.size(), 1);
        QCOMPARE(urlChanges.first().first().toUrl(), real->url());
    }
}

void tst_ServerFailover::closeCodesThatStop_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<DisconnectReason>("reason");
    QTest::newRow("4001 token refused")
        << int(protocol::CloseCode::AuthFailed) << DisconnectReason::AuthFailed;
    QTest::newRow("4003 protocol version")
        << int(protocol::CloseCode::UnsupportedVersion) << DisconnectReason::ProtocolMismatch;
}

void tst_ServerFailover::closeCodesThatStop()
{
    QFETCH(int, code);
    QFETCH(DisconnectReason, reason);
    QStringList log;
    RefusingServer first(code, &log);
    RefusingServer second(code, &log);
    QVERIFY(first.listen() && second.listen());
    ConnectionManager manager;
    QVERIFY(testkit::initAndLogin(manager, settings({first.url(), second.url()})));
    QTRY_COMPARE_WITH_TIMEOUT(manager.disconnectReason(), reason, testkit::Soon);
    // Every instance would say the same: the second is never asked.
    QTest::qWait(300);
    QCOMPARE(log.size(), 1);
    QCOMPARE(manager.connectionStatus(), ConnectionStatus::Disconnected);
}

void tst_ServerFailover::tlsFailureMovesOnToTheNextEndpoint()
{
    QString error;
    const auto certs = TestCerts::make(m_dir.path(), &error);
    QVERIFY2(certs, qPrintable(error));
    // A server whose certificate no CA the client trusts vouches for, and one that works.
    auto untrusted = testkit::startServer(m_dir.filePath(QStringLiteral("untrusted")),
                                          {QStringLiteral("--tls-cert"), certs->selfSignedCert,
                                           QStringLiteral("--tls-key"), certs->selfSignedKey});
    auto real = testkit::startServer(m_dir.filePath(QStringLiteral("plain")));
    QVERIFY(untrusted && real);
    QCOMPARE(untrusted->url().scheme(), QStringLiteral("wss"));
    for (int round = 0; round < 4; ++round) {
        ConnectionManager manager;
        QSignalSpy errors(&manager, &ConnectionManager::connectionError);
        QVERIFY(testkit::initAndLogin(manager, settings({untrusted->url(), real->url()})));
        QTRY_COMPARE_WITH_TIMEOUT(manager.connectionStatus(), ConnectionStatus::Connected,
                                  testkit::Soon);
        QCOMPARE(manager.connectedServerUrl(), real->url());
        // The refused certificate was reported all the same, whenever it was tried.
        for (const QList<QVariant> &reported : std::as_const(errors))
            QCOMPARE(reported.first().value<ChatError>().code, QStringLiteral("ERR_TLS"));
    }
}

void tst_ServerFailover::connectedServerUrlFollowsTheLink()
{
    auto a = testkit::startServer(m_dir.filePath(QStringLiteral("a")));
    auto b = testkit::startServer(m_dir.filePath(QStringLiteral("b")));
    QVERIFY(a && b);
    ConnectionManager manager;
    QSignalSpy urlChanges(&manager, &ConnectionManager::connectedServerUrlChanged);
    QList<QUrl> seenInStatusSlot;
    connect(&manager, &ConnectionManager::connectionStatusChanged, this,
            [&] { seenInStatusSlot.append(manager.connectedServerUrl()); });
    QCOMPARE(manager.connectedServerUrl(), QUrl());
    QVERIFY(testkit::initAndLogin(manager, settings({a->url(), b->url()}, 0)));
    QTRY_COMPARE_WITH_TIMEOUT(manager.connectionStatus(), ConnectionStatus::Connected,
                              testkit::Soon);
    const QUrl first = manager.connectedServerUrl();
    QVERIFY(first == a->url() || first == b->url());
    // Already right when the status says Connected.
    QCOMPARE(seenInStatusSlot.last(), first);
    QCOMPARE(urlChanges.size(), 1);

    // The instance it is on goes away: empty while it is not connected, then the other one.
    BundledServer *current = first == a->url() ? a.get() : b.get();
    const QUrl other = first == a->url() ? b->url() : a->url();
    current->kill();
    QTRY_COMPARE_WITH_TIMEOUT(manager.connectedServerUrl(), other, testkit::Soon);
    QCOMPARE(urlChanges.size(), 3);
    QCOMPARE(urlChanges.at(1).first().toUrl(), QUrl());
    QCOMPARE(urlChanges.at(2).first().toUrl(), other);

    manager.disconnectFromServer();
    QCOMPARE(manager.connectedServerUrl(), QUrl());
    QCOMPARE(urlChanges.size(), 4);
    QCOMPARE(urlChanges.last().first().toUrl(), QUrl());
}

QTEST_MAIN(tst_ServerFailover)
#include "tst_serverfailover.moc"
