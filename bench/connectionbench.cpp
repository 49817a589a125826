// How fast the connection SDK notices a dead server, and what it costs to connect.
//
//   bench_connection [--runs N] [--default-runs N]
//
// 1. Silence detection: the server is frozen (SIGSTOP) at a random moment of the heartbeat
//    cycle; the time until ERR_HEARTBEAT_TIMEOUT is divided by interval + timeout, the worst
//    case the design promises. Target: at most 1.05.
// 2. Connect time: connectToServer() until Connected against a live loopback server, against a
//    bare QWebSocket doing the same handshake and hello/welcome exchange in the same run.
#include "bundledserver.h"
#include "protocol.h"

#include <lifeline/connectionmanager.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>

using namespace lifeline;
using namespace std::chrono_literals;

namespace {

// Runs the event loop until `done` is true or `timeoutMs` passed; returns `done`.
bool spin(const bool &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    return done;
}

double percentile(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const qsizetype index = std::min(values.size() - 1, qsizetype(p * double(values.size())));
    return values.at(index);
}

struct Silence
{
    QString label;
    std::chrono::milliseconds interval;
    std::chrono::milliseconds timeout;
    int runs;
};

QList<double> measureSilence(BundledServer &server, const QString &dataDir, const Silence &case_)
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
        if (!spin(acknowledged, int(case_.interval.count()) * 3))
            qFatal("no heartbeat round trip");

        // Freeze at a random point of the heartbeat cycle, as a real crash would.
        bool frozen = false;
        const int offset = int(QRandomGenerator::global()->bounded(qint64(case_.interval.count())));
        QTimer::singleShot(offset, &manager, [&] {
            server.freeze();
            frozen = true;
        });
        spin(frozen, offset + 1000);
        QElapsedTimer clock;
        clock.start();
        bool noticed = false;
        QObject::connect(&manager, &ConnectionManager::connectionError, &manager,
                         [&noticed](const ChatError &error) {
                             if (error.code == QLatin1String("ERR_HEARTBEAT_TIMEOUT"))
                                 noticed = true;
                         });
        spin(noticed, int((case_.interval + case_.timeout).count()) * 3);
        const double elapsed = double(clock.elapsed());
        server.thaw();
        if (!noticed)
            qFatal("the frozen server was never noticed");
        ratios.append(elapsed / double((case_.interval + case_.timeout).count()));
        manager.disconnectFromServer();
    }
    return ratios;
}

double sdkConnectMs(ConnectionManager &manager)
{
    bool connected = false;
    QElapsedTimer clock;
    clock.start();
    manager.connectToServer([&connected](const QString &) { connected = true; });
    if (!spin(connected, 5000))
        qFatal("an SDK connect did not finish");
    const double elapsed = double(clock.nsecsElapsed()) / 1e6;
    manager.disconnectFromServer();
    return elapsed;
}

double bareConnectMs(const QUrl &url)
{
    QWebSocket socket;
    bool welcomed = false;
    QObject::connect(&socket, &QWebSocket::connected, &socket, [&socket] {
        socket.sendTextMessage(protocol::hello(QStringLiteral("bench"), QStringLiteral("bench"),
                                               QStringLiteral("token")));
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                     [&welcomed](const QString &) { welcomed = true; });
    QElapsedTimer clock;
    clock.start();
    socket.open(url);
    if (!spin(welcomed, 5000))
        qFatal("a bare connect did not finish");
    const double elapsed = double(clock.nsecsElapsed()) / 1e6;
    bool closed = false;
    QObject::connect(&socket, &QWebSocket::disconnected, &socket, [&closed] { closed = true; });
    socket.close();
    spin(closed, 1000);
    return elapsed;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"),
                                        QStringLiteral("Connect runs and short-heartbeat runs."),
                                        QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption defaultRunsOption(
        QStringLiteral("default-runs"),
        QStringLiteral("Runs with the default 10 s + 5 s heartbeat (each takes up to 25 s)."),
        QStringLiteral("n"), QStringLiteral("3"));
    parser.addOptions({runsOption, defaultRunsOption});
    parser.process(app);
    const int runs = parser.value(runsOption).toInt();
    const int defaultRuns = parser.value(defaultRunsOption).toInt();

    // Only the figures on stdout; the SDK's own log stays quiet.
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*=false"));

    // The server logs every login at info level; keep its warnings only.
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false");
    QTemporaryDir dir;
    BundledServer server;
    server.setDataDirectory(dir.filePath(QStringLiteral("server")));
    server.start();
    if (!server.waitForStarted())
        qFatal("lifeline-server did not start");
    const QString clientDir = dir.filePath(QStringLiteral("client"));

    std::printf("Silence detection (server frozen at a random point of the heartbeat cycle)\n");
    std::printf("%-28s %6s %12s %12s %8s\n", "heartbeat", "runs", "median ratio", "max ratio",
                "target");
    const QList<Silence> cases {
        {QStringLiteral("short 500 ms + 250 ms"), 500ms, 250ms, std::max(1, runs / 10)},
        {QStringLiteral("default 10 s + 5 s"), 10s, 5s, defaultRuns}};
    for (const Silence &c : cases) {
        if (c.runs <= 0)
            continue;
        const QList<double> ratios = measureSilence(server, clientDir, c);
        std::printf("%-28s %6d %12.3f %12.3f %8s\n", qPrintable(c.label), c.runs,
                    percentile(ratios, 0.5), *std::max_element(ratios.begin(), ratios.end()),
                    "<= 1.05");
        std::fflush(stdout);
    }

    std::printf("\nConnect time on loopback, %d runs each (ms)\n", runs);
    std::printf("%-36s %8s %8s\n", "", "median", "p99");
    ConnectionManager manager;
    manager.init(QStringLiteral("bench"),
                 AppSettingsBuilder()
                     .setServerUrl(server.url())
                     .setDataDirectory(clientDir)
                     .setAutoEstablishSocketConnection(false)
                     .build());
    manager.login(QStringLiteral("bench"), QStringLiteral("token"));
    // Interleaved, so that whatever else the machine does weighs on both sides alike.
    QList<double> bare;
    QList<double> sdk;
    for (int run = 0; run < runs; ++run) {
        bare.append(bareConnectMs(server.url()));
        sdk.append(sdkConnectMs(manager));
    }
    std::printf("%-36s %8.3f %8.3f\n", "bare QWebSocket + hello/welcome", percentile(bare, 0.5),
                percentile(bare, 0.99));
    std::printf("%-36s %8.3f %8.3f\n", "ConnectionManager::connectToServer", percentile(sdk, 0.5),
                percentile(sdk, 0.99));
    std::printf("%-36s %8.2f %8.2f\n", "ratio SDK / bare",
                percentile(sdk, 0.5) / percentile(bare, 0.5),
                percentile(sdk, 0.99) / percentile(bare, 0.99));
    return 0;
}
