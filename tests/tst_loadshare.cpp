// LoadShare, a load generator's share of LoadClients opened a connect burst at a time, against
// the real lifeline-server: a batch settles once with every client Live, one that cannot
// connect settles with its failures and the first one's words, and a loss is passed on.
#include "bundledserver.h"
#include "epolltestmain.h"
#include "loadshare.h"
#include "testsetup.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using lifeline::harness::BundledServer;
using lifeline::testkit::LoadClient;
using lifeline::testkit::LoadShare;
using lifeline::testkit::RawWebSocketPeer;

using namespace lifeline;

namespace {

// What the share told its owner.
class Recorder : public LoadShare::Owner
{
public:
    void settled(int live, int failed, const QString &firstError) override
    {
        ++settlings;
        settledLive = live;
        settledFailed = failed;
        error = firstError;
    }
    void frameReceived(LoadClient &, QByteArrayView, qint64) override { }
    void allAcknowledged(LoadClient &) override { }
    void ended(LoadClient &client, RawWebSocketPeer::End, int, const QString &) override
    {
        (client.state() == LoadClient::State::Lost ? lost : failed).append(client.uid());
    }

    int settlings = 0;
    int settledLive = -1;
    int settledFailed = -1;
    QString error;
    QStringList lost;
    QStringList failed;
};

const LoadClient::Session Session {QStringLiteral("bench"), 0, 0};

} // namespace

class TestLoadShare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opensEveryClientOfABatchPaced();
    void settlesWithTheFailuresOfAnUnreachableServer();
    void settlesAtOnceWithAUrlThatDoesNotResolve();
};

void TestLoadShare::opensEveryClientOfABatchPaced()
{
    QTemporaryDir dir;
    const std::unique_ptr<BundledServer> server = testkit::startServer(dir.path());
    QVERIFY(server);
    Recorder recorder;
    LoadShare share(&recorder, {server->url()}, QStringLiteral("u"), 4);
    share.open(10, 30, Session);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.settlings, 1, testkit::Soon);
    QCOMPARE(recorder.settledLive, 30);
    QCOMPARE(recorder.settledFailed, 0);
    QCOMPARE(share.live(), 30);
    QCOMPARE(share.clients().size(), size_t(30));
    QCOMPARE(share.clients().front().uid(), QStringLiteral("u10"));
    QCOMPARE(share.clients().back().id(), 29);

    // A second batch adds to the first.
    share.open(40, 5, Session);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.settlings, 2, testkit::Soon);
    QCOMPARE(recorder.settledLive, 5);
    QCOMPARE(share.live(), 35);

    server->kill();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.lost.size(), 35, testkit::Soon);
    QCOMPARE(share.live(), 0);
    QVERIFY(recorder.failed.isEmpty());
    QCOMPARE(recorder.settlings, 2);
}

void TestLoadShare::settlesWithTheFailuresOfAnUnreachableServer()
{
    QTemporaryDir dir;
    std::unique_ptr<BundledServer> server = testkit::startServer(dir.path());
    QVERIFY(server);
    const QUrl url = server->url();
    server.reset();
    Recorder recorder;
    LoadShare share(&recorder, {url}, QStringLiteral("u"), 2);
    share.open(0, 5, Session);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.settlings, 1, testkit::Soon);
    QCOMPARE(recorder.settledLive, 0);
    QCOMPARE(recorder.settledFailed, 5);
    QCOMPARE(recorder.failed.size(), 5);
    QVERIFY2(recorder.error.startsWith(QLatin1String("u0: ")), qPrintable(recorder.error));
}

void TestLoadShare::settlesAtOnceWithAUrlThatDoesNotResolve()
{
    Recorder recorder;
    LoadShare share(&recorder, {QUrl(QStringLiteral("http://127.0.0.1:1/"))}, QStringLiteral("u"),
                    2);
    QVERIFY(!share.endpointError().isEmpty());
    share.open(0, 3, Session);
    QCOMPARE(recorder.settlings, 1);
    QCOMPARE(recorder.settledFailed, 3);
    QCOMPARE(recorder.error, share.endpointError());
    QVERIFY(share.clients().empty());
}

LIFELINE_EPOLL_TEST_MAIN(TestLoadShare)

#include "tst_loadshare.moc"
