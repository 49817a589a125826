// How fast the connection SDK notices a dead server, and what it costs to connect.
//
//   bench_connection [--runs N] [--default-runs N] [--json FILE]
//
// bench/run passes --default-runs 0: the default-heartbeat case takes up to 25 s a run, and the
// short heartbeat measures the same timers. A manual run keeps the default of 3.
//
// 1. Silence detection: the server is frozen (SIGSTOP) at a random moment of the heartbeat
//    cycle; the time until ERR_HEARTBEAT_TIMEOUT is divided by interval + timeout, the worst
//    case the design promises. Target: at most 1.05.
// 2. Connect time: connectToServer() until Connected against a live loopback server, against a
//    bare QWebSocket doing the same handshake and hello/welcome exchange in the same run. The
//    issue sets no target; the rows give the median and the p99 next to the bare ones.
//
// Exit code: 0 when every target is met, 1 when one is missed, 2 when a measurement could not
// be made (it says what it waited for).
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "median.h"
#include "protocol.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace lifeline;
using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::testkit;
using namespace std::chrono_literals;

namespace {

// The design's promise: a dead server is reported within interval + timeout.
constexpr double SilenceTarget = 1.05;
// A connect on loopback takes well under a millisecond; this only bounds a broken one.
constexpr int ConnectBoundMs = 5000;

struct Silence
{
    QString label;
    std::chrono::milliseconds interval;
    std::chrono::milliseconds timeout;
    int runs;
};

// What can fail below says why in *error and returns nothing; main() says it and exits, so that
// every child is stopped by its destructor (qFatal() would leave the server running).
std::optional<QList<double>> measureSilence(BundledServer &server, const QString &dataDir,
                                            const Silence &case_, QString *error)
{
    QList<double> ratios;
    for (int run = 0; run < case_.runs; ++run) {
        ConnectionManager manager;
        manager.init(QStringLiteral("bench"),
                     AppSettingsBuilder()
                         .setServerUrl(server.url())
                         .setDataDirectory(dataDir)
                         .setHeartbeatInterval(case_.interval)
                         .setHeartbeatTimeout(case_.timeout)
                         .build());
        bool acknowledged = false;
        QObject::connect(&manager, &ConnectionManager::heartbeatAcknowledged, &manager,
                         [&acknowledged] { acknowledged = true; });
        manager.login(QStringLiteral("bench"), QStringLiteral("token"));
        const int roundTripBoundMs = int(case_.interval.count()) * 3;
        if (!waitFor([&acknowledged] { return acknowledged; }, roundTripBoundMs)) {
            *error = QStringLiteral("%1: no heartbeat round trip within %2 ms of logging in")
                         .arg(case_.label)
                         .arg(roundTripBoundMs);
            return std::nullopt;
        }

        // Freeze at a random point of the heartbeat cycle, as a real crash would.
        bool frozen = false;
        const int offset = int(QRandomGenerator::global()->bounded(qint64(case_.interval.count())));
        QTimer::singleShot(offset, &manager, [&] {
            server.freeze();
            frozen = true;
        });
        waitFor([&frozen] { return frozen; }, offset + 1000);
        QElapsedTimer clock;
        clock.start();
        bool noticed = false;
        double elapsed = 0;
        // Timed where it happens, so that how often waitFor() looks does not count.
        QObject::connect(&manager, &ConnectionManager::connectionError, &manager,
                         [&](const ChatError &reported) {
                             if (noticed || reported.code != QLatin1String("ERR_HEARTBEAT_TIMEOUT"))
                                 return;
                             elapsed = double(clock.elapsed());
                             noticed = true;
                         });
        const int noticeBoundMs = int((case_.interval + case_.timeout).count()) * 3;
        waitFor([&noticed] { return noticed; }, noticeBoundMs);
        server.thaw();
        if (!noticed) {
            *error = QStringLiteral("%1: the frozen server was not noticed within %2 ms")
                         .arg(case_.label)
                         .arg(noticeBoundMs);
            return std::nullopt;
        }
        ratios.append(elapsed / double((case_.interval + case_.timeout).count()));
        manager.disconnectFromServer();
    }
    return ratios;
}

std::optional<double> sdkConnectMs(ConnectionManager &manager, QString *error)
{
    bool connected = false;
    double elapsed = 0;
    QElapsedTimer clock;
    clock.start();
    // Timed in the callback, so that how often waitFor() looks does not count.
    manager.connectToServer([&](const QString &) {
        elapsed = double(clock.nsecsElapsed()) / 1e6;
        connected = true;
    });
    if (!waitFor([&connected] { return connected; }, ConnectBoundMs)) {
        *error = QStringLiteral("an SDK connect did not reach Connected within %1 ms")
                     .arg(ConnectBoundMs);
        // Drops the pending request, whose callback refers to this function's variables.
        manager.disconnectFromServer();
        return std::nullopt;
    }
    manager.disconnectFromServer();
    return elapsed;
}

// Not the test kit's SessionClient: the baseline is Qt's socket with nothing of ours on it, so
// that the client's decoding does not count against the SDK.
std::optional<double> bareConnectMs(const QUrl &url, QString *error)
{
    QWebSocket socket;
    bool welcomed = false;
    double elapsed = 0;
    QElapsedTimer clock;
    QObject::connect(&socket, &QWebSocket::connected, &socket, [&socket] {
        socket.sendTextMessage(protocol::hello(QStringLiteral("bench"), QStringLiteral("bench"),
                                               QStringLiteral("token")));
    });
    // Timed in the slot, as the SDK side is.
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [&](const QString &) {
        if (welcomed)
            return;
        elapsed = double(clock.nsecsElapsed()) / 1e6;
        welcomed = true;
    });
    clock.start();
    socket.open(url);
    if (!waitFor([&welcomed] { return welcomed; }, ConnectBoundMs)) {
        *error
            = QStringLiteral("a bare QWebSocket got no welcome within %1 ms").arg(ConnectBoundMs);
        return std::nullopt;
    }
    bool closed = false;
    QObject::connect(&socket, &QWebSocket::disconnected, &socket, [&closed] { closed = true; });
    socket.close();
    waitFor([&closed] { return closed; }, 1000);
    return elapsed;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    BenchCommandLine commandLine(
        QStringLiteral("Connecting on loopback and how fast a silent server is noticed."));
    int runs = 200;
    int defaultRuns = 3;
    commandLine.addNumber(QStringLiteral("runs"),
                          QStringLiteral("Connect runs and short-heartbeat runs"), &runs);
    commandLine.addNumber(QStringLiteral("default-runs"),
                          QStringLiteral("Runs with the default 10 s + 5 s heartbeat (each takes "
                                         "up to 25 s); 0 skips them"),
                          &defaultRuns, QStringLiteral("n"), 0);
    if (!commandLine.process(app))
        return SetupFailedExit;

    // Only the figures on stdout; the SDK's own log stays quiet.
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*=false"));

    // The server logs every login at info level; keep its warnings only.
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false");
    QTemporaryDir dir;
    const std::unique_ptr<BundledServer> server
        = startServer(dir.filePath(QStringLiteral("server")));
    if (!server)
        return setupFailed(QStringLiteral("lifeline-server (%1) did not start listening")
                               .arg(BundledServer::defaultProgram()));
    const QString clientDir = dir.filePath(QStringLiteral("client"));
    BenchReport report(QStringLiteral("connection"));
    QString error;

    std::printf("Silence detection (server frozen at a random point of the heartbeat cycle)\n");
    std::printf("%-28s %6s %12s %12s %8s\n", "heartbeat", "runs", "median ratio", "max ratio",
                "target");
    const QList<Silence> cases {
        {QStringLiteral("short 500 ms + 250 ms"), 500ms, 250ms, std::max(1, runs / 10)},
        {QStringLiteral("default 10 s + 5 s"), 10s, 5s, defaultRuns}};
    QJsonObject silenceRatios;
    for (const Silence &c : cases) {
        if (c.runs <= 0)
            continue;
        const std::optional<QList<double>> ratios = measureSilence(*server, clientDir, c, &error);
        if (!ratios)
            return setupFailed(error);
        const double median = percentile(*ratios, 0.5);
        const double worst = *std::max_element(ratios->begin(), ratios->end());
        std::printf("%-28s %6d %12.3f %12.3f %8s\n", qPrintable(c.label), c.runs, median, worst,
                    "<= 1.05");
        std::fflush(stdout);
        for (const auto &[which, ratio] :
             {std::pair {QStringLiteral("median"), median},
              {QStringLiteral("worst of %1 runs").arg(c.runs), worst}}) {
            // The baseline is the promise itself: interval + timeout, which the ratio divides by.
            report.addRow(
                {QStringLiteral("silence detection, heartbeat %1, %2").arg(c.label, which),
                 QStringLiteral("x (interval + timeout)"), ratio, std::nullopt, QString(),
                 QStringLiteral("<= %1 x (interval + timeout)").arg(SilenceTarget),
                 ratio <= SilenceTarget});
        }
        silenceRatios.insert(c.label, toJsonArray(*ratios));
    }
    report.setDetail(QStringLiteral("silenceRatios"), silenceRatios);

    std::printf("\nConnect time on loopback, %d runs each (ms)\n", runs);
    std::printf("%-36s %8s %8s\n", "", "median", "p99");
    ConnectionManager manager;
    manager.init(QStringLiteral("bench"),
                 AppSettingsBuilder()
                     .setServerUrl(server->url())
                     .setDataDirectory(clientDir)
                     .setAutoEstablishSocketConnection(false)
                     .build());
    manager.login(QStringLiteral("bench"), QStringLiteral("token"));
    // Interleaved, so that whatever else the machine does weighs on both sides alike.
    QList<double> bare;
    QList<double> sdk;
    for (int run = 0; run < runs; ++run) {
        const std::optional<double> bareMs = bareConnectMs(server->url(), &error);
        const std::optional<double> sdkMs = bareMs ? sdkConnectMs(manager, &error) : std::nullopt;
        if (!sdkMs)
            return setupFailed(error);
        bare.append(*bareMs);
        sdk.append(*sdkMs);
    }
    std::printf("%-36s %8.3f %8.3f\n", "bare QWebSocket + hello/welcome", percentile(bare, 0.5),
                percentile(bare, 0.99));
    std::printf("%-36s %8.3f %8.3f\n", "ConnectionManager::connectToServer", percentile(sdk, 0.5),
                percentile(sdk, 0.99));
    std::printf("%-36s %8.2f %8.2f\n", "ratio SDK / bare",
                percentile(sdk, 0.5) / percentile(bare, 0.5),
                percentile(sdk, 0.99) / percentile(bare, 0.99));

    for (const auto &[which, p] : {std::pair {"median", 0.5}, {"p99", 0.99}})
        report.addRow(
            {QStringLiteral("connect time on loopback, %1 of %2")
                 .arg(QLatin1String(which))
                 .arg(runs),
             QStringLiteral("ms"), percentile(sdk, p), percentile(bare, p),
             QStringLiteral("bare QWebSocket, same handshake and hello/welcome, interleaved"),
             QString(), std::nullopt});
    report.setDetail(QStringLiteral("runs"), runs);
    report.setDetail(QStringLiteral("defaultRuns"), defaultRuns);
    return report.finish(commandLine.jsonPath());
}
