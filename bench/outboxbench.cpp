// What durability costs: messages through the durable outbox against the same frames over a
// bare QWebSocket, and the catch-up of missed messages against a bare sync, in one run.
//
//   bench_outbox [--messages N] [--rounds R] [--json FILE]
//
// Each round runs both sides against the same lifeline-server (rate limit off), so the figures
// that matter are the ratios. Targets: durable throughput at least half the bare one; a
// catch-up of 10,000 messages under 1 s. Exit code 1 if a target is missed.
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "median.h"
#include "sessionclient.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/messenger.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QUuid>

#include <cstdio>
#include <memory>

using namespace lifeline;
using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::testkit;

namespace {

const QString Room = QStringLiteral("bench");
constexpr double TargetRatio = 0.5;
constexpr double TargetCatchUpMs = 1000;

// A client with no outbox, no store and no retry logic: hello, then the frames, then acks.
class BareClient
{
public:
    explicit BareClient(const QUrl &url, const QString &uid)
    {
        QObject::connect(&m_session, &SessionClient::synced, &m_session,
                         [this] { m_synced = true; });
        m_session.helloWhenConnected(QStringLiteral("bench"), uid, QStringLiteral("token"));
        m_session.open(url);
        if (!waitFor([this] { return m_session.isWelcomed(); }, 5000))
            qFatal("the bare client was not welcomed");
    }

    // Sends `count` messages at once and returns the milliseconds until all are acknowledged.
    double sendAll(int count)
    {
        QElapsedTimer clock;
        clock.start();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < count; ++i)
            m_session.sendMessage(QUuid::createUuid().toString(QUuid::WithoutBraces), Room,
                                  QStringLiteral("message %1").arg(i), now);
        if (!waitFor([this, count] { return m_session.acks() >= count; }, 120000))
            qFatal("the bare client got %lld of %d acks", m_session.acks(), count);
        return double(clock.nsecsElapsed()) / 1e6;
    }

    // Asks for everything since seq 0 and returns the milliseconds until `synced`.
    double catchUp(int expected)
    {
        QElapsedTimer clock;
        clock.start();
        m_session.sync(0);
        if (!waitFor([this] { return m_synced; }, 60000) || m_session.messages() < expected)
            qFatal("the bare catch-up got %lld of %d messages", m_session.messages(), expected);
        return double(clock.nsecsElapsed()) / 1e6;
    }

private:
    SessionClient m_session;
    bool m_synced = false;
};

struct LifelineClient
{
    LifelineClient(const QUrl &url, const QString &dir, const QString &uid)
    {
        connection.init(QStringLiteral("bench"),
                        AppSettingsBuilder()
                            .setServerUrl(url)
                            .setDataDirectory(dir)
                            .setAutoEstablishSocketConnection(false)
                            .setMaxPendingMessages(1000000)
                            .build());
        connection.login(uid, QStringLiteral("token"));
    }
    ConnectionManager connection;
    Messenger messenger {&connection};
};

// Queues `count` messages while disconnected (not timed), then connects and returns the
// milliseconds until every one is Delivered.
double durableSend(const QUrl &url, const QString &dir, int count)
{
    LifelineClient client(url, dir, QStringLiteral("durable"));
    for (int i = 0; i < count; ++i) {
        if (client.messenger.sendMessage(Room, QStringLiteral("message %1").arg(i)).isEmpty())
            qFatal("sendMessage refused message %d", i);
    }
    QElapsedTimer clock;
    clock.start();
    client.connection.connectToServer();
    if (!waitFor([&client] { return client.messenger.pendingCount() == 0; }, 120000))
        qFatal("%d messages still pending", client.messenger.pendingCount());
    return double(clock.nsecsElapsed()) / 1e6;
}

// A client that has seen nothing connects: milliseconds from connectToServer() to caughtUp().
double durableCatchUp(const QUrl &url, const QString &dir, int expected)
{
    LifelineClient client(url, dir, QStringLiteral("reader"));
    int received = 0;
    bool caughtUp = false;
    QObject::connect(&client.messenger, &Messenger::messageReceived, &client.messenger,
                     [&received] { ++received; });
    QObject::connect(&client.messenger, &Messenger::caughtUp, &client.messenger,
                     [&caughtUp] { caughtUp = true; });
    QElapsedTimer clock;
    clock.start();
    client.connection.connectToServer();
    if (!waitFor([&] { return caughtUp; }, 60000) || received < expected)
        qFatal("the catch-up delivered %d of %d messages", received, expected);
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    BenchCommandLine commandLine(
        QStringLiteral("What durability costs: the outbox against a bare socket, and catch-up "
                       "against a bare sync."));
    int messages = 10000;
    int rounds = 3;
    commandLine.addNumber(QStringLiteral("messages"), QStringLiteral("Messages per run"),
                          &messages);
    commandLine.addNumber(QStringLiteral("rounds"), QStringLiteral("Rounds of each side"), &rounds);
    if (!commandLine.process(app))
        return SetupFailedExit;
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false");

    QList<double> bare;
    QList<double> durable;
    QList<double> bareCatchUp;
    QList<double> durableCatchUps;
    for (int round = 0; round < rounds; ++round) {
        // A fresh server per round, so every round stores into an equally full database.
        QTemporaryDir dir;
        const std::unique_ptr<BundledServer> server
            = startServer(dir.filePath(QStringLiteral("server")),
                          {QStringLiteral("--rate"), QStringLiteral("0")});
        if (!server)
            qFatal("lifeline-server did not start");
        {
            BareClient client(server->url(), QStringLiteral("bare"));
            bare.append(client.sendAll(messages));
        }
        // `messages` are stored now, and each reader has missed every one of them.
        {
            BareClient reader(server->url(), QStringLiteral("bare-reader"));
            bareCatchUp.append(reader.catchUp(messages));
        }
        durableCatchUps.append(
            durableCatchUp(server->url(), dir.filePath(QStringLiteral("reader")), messages));
        durable.append(
            durableSend(server->url(), dir.filePath(QStringLiteral("durable")), messages));
        std::fprintf(stderr, "round %d done\n", round + 1);
    }

    const double bareRate = messages / (median(bare) / 1000.0);
    const double durableRate = messages / (median(durable) / 1000.0);
    std::printf("Durable outbox: %d messages queued offline, then connect, until all Delivered "
                "(median of %d rounds)\n",
                messages, rounds);
    std::printf("%-40s %10s %12s\n", "", "ms", "messages/s");
    std::printf("%-40s %10.1f %12.0f\n", "bare QWebSocket, same frames and acks", median(bare),
                bareRate);
    std::printf("%-40s %10.1f %12.0f\n", "Messenger (durable SQLite outbox)", median(durable),
                durableRate);
    std::printf("%-40s %23.2f   target >= 0.50\n", "ratio durable / bare", durableRate / bareRate);
    std::printf("\nCatch-up of %d missed messages, from connect to caught up (median)\n", messages);
    std::printf("%-40s %10.1f ms\n", "bare sync, frames counted", median(bareCatchUp));
    std::printf("%-40s %10.1f ms   target < 1000 ms for 10,000\n",
                "Messenger (stored, cursor kept)", median(durableCatchUps));
    std::printf("%-40s %10.2f\n", "ratio Messenger / bare",
                median(durableCatchUps) / median(bareCatchUp));

    BenchReport report(QStringLiteral("outbox"));
    report.addRow({QStringLiteral("durable outbox throughput, %1 messages queued offline until all "
                                  "Delivered")
                       .arg(messages),
                   QStringLiteral("messages/s"), durableRate, bareRate,
                   QStringLiteral("bare QWebSocket, same frames and acks"),
                   QStringLiteral(">= 0.5 x bare"), durableRate / bareRate >= TargetRatio});
    report.addRow(
        {QStringLiteral("catch-up of %1 missed messages, connect to caught up").arg(messages),
         QStringLiteral("ms"), median(durableCatchUps), median(bareCatchUp),
         QStringLiteral("bare sync, frames counted"), QStringLiteral("< 1000 ms"),
         median(durableCatchUps) < TargetCatchUpMs});
    report.setDetail(QStringLiteral("messages"), messages);
    report.setDetail(QStringLiteral("rounds"), rounds);
    report.setDetail(QStringLiteral("bareSendMs"), toJsonArray(bare));
    report.setDetail(QStringLiteral("durableSendMs"), toJsonArray(durable));
    report.setDetail(QStringLiteral("bareCatchUpMs"), toJsonArray(bareCatchUp));
    report.setDetail(QStringLiteral("durableCatchUpMs"), toJsonArray(durableCatchUps));
    return report.finish(commandLine.jsonPath());
}
