// LoadClient, the benchmarks' one load-generation client, against the real lifeline-server on
// the epoll event loop the generators install: it gets from hello to Live, keeps a window of
// messages in flight until all are acknowledged, answers its heartbeat's pongs, hands Live
// frames to its owner and tells of its end exactly once.
#include "bundledserver.h"
#include "epolltestmain.h"
#include "loadclient.h"
#include "testsetup.h"
#include "waitfor.h"

#include <protocol.h>

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using lifeline::harness::BundledServer;
using lifeline::testkit::LoadClient;
using lifeline::testkit::RawWebSocketPeer;

using namespace lifeline;

namespace {

// What a client told its owner.
class Recorder : public LoadClient::Owner
{
public:
    void live(LoadClient &client) override
    {
        ++lives;
        pongsWhenLive = client.pongs();
    }
    void frameReceived(LoadClient &, QByteArrayView frame, qint64 receivedUs) override
    {
        protocol::DecodeError error;
        if (protocol::Frame::decode(frame.toByteArray(), &error).type() == protocol::type::Message)
            ++messages;
        lastReceivedUs = receivedUs;
    }
    void allAcknowledged(LoadClient &) override { ++acknowledged; }
    void ended(LoadClient &, RawWebSocketPeer::End how, int code, const QString &reason) override
    {
        ++endings;
        end = how;
        closeCode = code;
        why = reason;
    }

    int lives = 0;
    qint64 pongsWhenLive = -1;
    int messages = 0;
    qint64 lastReceivedUs = 0;
    int acknowledged = 0;
    int endings = 0;
    RawWebSocketPeer::End end = RawWebSocketPeer::End::ServerClosed;
    int closeCode = 0;
    QString why;
};

} // namespace

class TestLoadClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void reachesLive_data();
    void reachesLive();
    void keepsAWindowInFlightUntilEveryAck();
    void pingsOnItsIntervalAndCountsPongs();
    void reportsALossOnce();
    void reportsAFailedConnectOnce();

private:
    RawWebSocketPeer::Endpoint endpoint() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundledServer> m_server;
};

void TestLoadClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = testkit::startServer(m_dir->path());
    QVERIFY(m_server);
}

void TestLoadClient::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

RawWebSocketPeer::Endpoint TestLoadClient::endpoint() const
{
    RawWebSocketPeer::Endpoint endpoint;
    QString error;
    if (!RawWebSocketPeer::resolve(m_server->url(), &endpoint, &error))
        qFatal("%s", qPrintable(error));
    return endpoint;
}

void TestLoadClient::reachesLive_data()
{
    QTest::addColumn<bool>("sync");
    QTest::newRow("welcomed") << false;
    QTest::newRow("welcomed and synced") << true;
}

void TestLoadClient::reachesLive()
{
    QFETCH(bool, sync);
    Recorder recorder;
    LoadClient client(&recorder, 3, QStringLiteral("u3"),
                      {QStringLiteral("bench"), sync ? std::optional<qint64>(0) : std::nullopt, 0});
    QCOMPARE(client.state(), LoadClient::State::Connecting);
    client.open(endpoint());
    QTRY_COMPARE_WITH_TIMEOUT(recorder.lives, 1, testkit::Soon);
    QCOMPARE(client.state(), LoadClient::State::Live);
    QCOMPARE(client.id(), 3);
    QCOMPARE(client.uid(), QStringLiteral("u3"));
    QCOMPARE(recorder.endings, 0);
}

void TestLoadClient::keepsAWindowInFlightUntilEveryAck()
{
    Recorder senderRecorder;
    Recorder readerRecorder;
    LoadClient sender(&senderRecorder, 0, QStringLiteral("s0"), {QStringLiteral("bench"), {}, 0});
    LoadClient reader(&readerRecorder, 1, QStringLiteral("r0"), {QStringLiteral("bench"), 0, 0});
    sender.open(endpoint());
    reader.open(endpoint());
    QTRY_VERIFY_WITH_TIMEOUT(senderRecorder.lives == 1 && readerRecorder.lives == 1, testkit::Soon);

    constexpr int Count = 50;
    sender.sendMessages(Count, 8);
    QTRY_COMPARE_WITH_TIMEOUT(senderRecorder.acknowledged, 1, testkit::Soon);
    QCOMPARE(sender.acks(), Count);
    // The server stored and fanned out every one: the reader, Live, was handed each as it came.
    QTRY_COMPARE_WITH_TIMEOUT(readerRecorder.messages, Count, testkit::Soon);
    QVERIFY(readerRecorder.lastReceivedUs > 0);
    QCOMPARE(senderRecorder.endings, 0);
}

void TestLoadClient::pingsOnItsIntervalAndCountsPongs()
{
    Recorder recorder;
    LoadClient client(&recorder, 0, QStringLiteral("u0"), {QStringLiteral("bench"), 0, 20});
    client.open(endpoint());
    QTRY_COMPARE_WITH_TIMEOUT(recorder.lives, 1, testkit::Soon);
    // The heartbeat starts once Live: no pong before. Read at that moment, for a 20 ms
    // heartbeat may well have had its first answer by the time QTRY looks.
    QCOMPARE(recorder.pongsWhenLive, 0);
    QTRY_VERIFY_WITH_TIMEOUT(client.pongs() >= 3, testkit::Soon);
    QCOMPARE(recorder.endings, 0);
}

void TestLoadClient::reportsALossOnce()
{
    Recorder recorder;
    LoadClient client(&recorder, 0, QStringLiteral("u0"), {QStringLiteral("bench"), 0, 20});
    client.open(endpoint());
    QTRY_COMPARE_WITH_TIMEOUT(recorder.lives, 1, testkit::Soon);
    m_server->kill();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.endings, 1, testkit::Soon);
    QCOMPARE(recorder.end, RawWebSocketPeer::End::ConnectionLost);
    QCOMPARE(recorder.closeCode, 1006);
    QCOMPARE(client.state(), LoadClient::State::Lost);
    // Its heartbeat stopped with it: ten intervals later, still one report and no crash.
    QVERIFY(!testkit::waitFor([&] { return recorder.endings > 1; }, 200));
}

void TestLoadClient::reportsAFailedConnectOnce()
{
    RawWebSocketPeer::Endpoint closed = endpoint();
    m_server->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!m_server->isRunning() && !m_server->hasChild(), testkit::Soon);
    Recorder recorder;
    LoadClient client(&recorder, 0, QStringLiteral("u0"), {QStringLiteral("bench"), 0, 0});
    client.open(closed);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.endings, 1, testkit::Soon);
    QCOMPARE(recorder.end, RawWebSocketPeer::End::ConnectionLost);
    QCOMPARE(client.state(), LoadClient::State::Failed);
    QCOMPARE(recorder.lives, 0);
}

LIFELINE_EPOLL_TEST_MAIN(TestLoadClient)

#include "tst_loadclient.moc"
