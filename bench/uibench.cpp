// The desktop window under load: how fast it is on screen, what a long conversation costs in
// memory, and whether a busy room makes the event loop stall.
//
//   bench_ui [--rounds R] [--messages N] [--rate PER_S] [--seconds S]
//
// Every part runs in a child process of its own (this program again, with --part), so each
// figure is the app's alone: a fresh QApplication, a fresh heap. The window is the real one
// (ConnectionManager + Messenger + MainWindow, offscreen) on a bundled lifeline-server with the
// rate limit off, and the messages come from another client in another process.
//   (a) start-up: QApplication constructed → first paint of the window, against a bare
//       QMainWindow with an empty QListView shown the same way. Target: shown within 1 s.
//   (b) memory: RSS with the window shown and connected, then after another client sent N
//       messages (100,000) to the room and the window has them all. Target: ≤ 150 MB in total.
//   (c) stalls: the longest gap between the ticks of a 1 ms timer while another client sends
//       PER_S messages a second (1,000) for S seconds, against the same with nothing arriving.
//       Target: < 16 ms.
#include "appconfig.h"
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "mainwindow.h"
#include "median.h"
#include "sessionclient.h"
#include "testsetup.h"
#include "waitfor.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QLoggingCategory>
#include <QMainWindow>
#include <QProcess>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cstdio>

using namespace lifeline;
using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::testkit;
using namespace lifeline::ui;

namespace {

const QString Room = QStringLiteral("lobby");

[[noreturn]] void fail(const QString &what)
{
    std::fprintf(stderr, "bench_ui: %s\n", qPrintable(what));
    std::exit(1);
}

// VmRSS of this process in MiB.
double rssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

// Notes the first paint of a window: "shown" means the user could see it.
class FirstPaint : public QObject
{
public:
    explicit FirstPaint(QWidget *window)
        : m_window(window)
    {
        qApp->installEventFilter(this);
    }
    bool painted() const { return m_painted; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (!m_painted && event->type() == QEvent::Paint && watched->isWidgetType()
            && static_cast<QWidget *>(watched)->window() == m_window)
            m_painted = true;
        return false;
    }

private:
    QWidget *m_window;
    bool m_painted = false;
};

// lifeline-server with the rate limit off, or the end of this part.
std::unique_ptr<BundledServer> startUnlimitedServer(const QString &dir)
{
    auto server = startServer(dir, {QStringLiteral("--rate"), QStringLiteral("0")});
    if (!server)
        fail(QStringLiteral("lifeline-server did not start"));
    return server;
}

// The app as app/main.cpp builds it, without the fault proxy (it only forwards bytes).
struct App
{
    App(BundledServer *server, const QString &dir)
        : window(&connection, &messenger, server, nullptr)
    {
        AppConfig config;
        config.setUser(QStringLiteral("alice"));
        config.setToken(QStringLiteral("dev-token"));
        window.setDataDirectory(dir);
        window.applyConfig(config);
        window.resize(1100, 750);
    }
    ConnectionManager connection;
    Messenger messenger {&connection};
    MainWindow window;
};

// The app on a server of its own, shown, connected and settled, counting the messages it
// receives: where the memory and the stall parts start.
struct ConnectedApp
{
    ConnectedApp()
    {
        QObject::connect(&app.messenger, &Messenger::messageReceived, &app.messenger,
                         [this] { ++received; });
        app.window.show();
        if (!waitFor(
                [this] { return app.connection.connectionStatus() == ConnectionStatus::Connected; },
                10000))
            fail(QStringLiteral("the app did not connect"));
        waitFor([] { return false; }, 500);
    }
    QTemporaryDir dir;
    std::unique_ptr<BundledServer> server
        = startUnlimitedServer(dir.filePath(QStringLiteral("server")));
    App app {server.get(), dir.filePath(QStringLiteral("client"))};
    int received = 0;
};

// --part startup-real / startup-bare: prints "shown MS" (QApplication → first paint) and, for
// the real window, "server MS" (of which starting lifeline-server, as the app does first).
int startupPart(int argc, char *argv[], bool real)
{
    QElapsedTimer clock;
    clock.start();
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
    if (!real) {
        QMainWindow window;
        auto *view = new QListView(&window);
        view->setModel(new QStandardItemModel(view));
        window.setCentralWidget(view);
        window.resize(1100, 750);
        FirstPaint paint(&window);
        window.show();
        if (!waitFor([&paint] { return paint.painted(); }, 10000))
            fail(QStringLiteral("the bare window was never painted"));
        std::printf("shown %.1f\n", double(clock.nsecsElapsed()) / 1e6);
        return 0;
    }
    QTemporaryDir dir;
    std::unique_ptr<BundledServer> server
        = startUnlimitedServer(dir.filePath(QStringLiteral("server")));
    const double serverMs = double(clock.nsecsElapsed()) / 1e6;
    App lifeline(server.get(), dir.filePath(QStringLiteral("client")));
    FirstPaint paint(&lifeline.window);
    lifeline.window.show();
    if (!waitFor([&paint] { return paint.painted(); }, 10000))
        fail(QStringLiteral("the window was never painted"));
    std::printf("shown %.1f\nserver %.1f\n", double(clock.nsecsElapsed()) / 1e6, serverMs);
    return 0;
}

// --part fill URL COUNT RATE: another client (a session client, no outbox) sends COUNT `send`
// frames to the room, RATE a second (0: as fast as the server acknowledges), and waits for
// every ack.
int fillPart(int argc, char *argv[], const QUrl &url, int count, int rate)
{
    QCoreApplication app(argc, argv);
    SessionClient filler;
    filler.helloWhenConnected(QStringLiteral("bench"), QStringLiteral("bob"),
                              QStringLiteral("dev-token"));
    filler.open(url);
    if (!waitFor([&filler] { return filler.isWelcomed(); }, 10000))
        fail(QStringLiteral("the filler was not welcomed"));
    int sent = 0;
    const auto sendSome = [&filler, &sent, count](int n) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < n && sent < count; ++i, ++sent)
            filler.sendMessage(QUuid::createUuid().toString(QUuid::WithoutBraces), Room,
                               QStringLiteral("message %1").arg(sent), now);
    };
    if (rate <= 0) {
        // In slices, so the acks are read while sending.
        while (sent < count) {
            sendSome(1000);
            QCoreApplication::processEvents();
        }
    } else {
        // Paced on the clock, 10 ms slices: RATE/100 messages each.
        QElapsedTimer clock;
        clock.start();
        while (sent < count) {
            const qint64 due = qMin<qint64>(count, clock.elapsed() * rate / 1000 + 1);
            sendSome(int(due - sent));
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        }
    }
    if (!waitFor([&filler, count] { return filler.acks() >= count; }, 600000))
        fail(QStringLiteral("the filler got %1 of %2 acks").arg(filler.acks()).arg(count));
    return 0;
}

// Runs the filler in a child process.
std::unique_ptr<QProcess> startFiller(const QUrl &url, int count, int rate)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(QCoreApplication::applicationFilePath(),
                   {QStringLiteral("--part"), QStringLiteral("fill"), url.toString(),
                    QString::number(count), QString::number(rate)});
    if (!process->waitForStarted())
        fail(QStringLiteral("the filler did not start"));
    return process;
}

// --part memory N: prints "before MiB", "after MiB", "catchup MS".
int memoryPart(int argc, char *argv[], int messages)
{
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
    ConnectedApp lifeline;
    std::printf("before %.1f\n", rssMiB());
    std::fflush(stdout);

    QElapsedTimer clock;
    clock.start();
    std::unique_ptr<QProcess> filler = startFiller(lifeline.server->url(), messages, 0);
    if (!waitFor([&lifeline, messages] { return lifeline.received >= messages; }, 900000))
        fail(QStringLiteral("the app got %1 of %2 messages").arg(lifeline.received).arg(messages));
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    // Let the view lay out and paint what it holds now.
    waitFor([] { return false; }, 1000);
    std::printf("after %.1f\ncatchup %.1f\n", rssMiB(), ms);
    filler->waitForFinished(60000);
    return 0;
}

// The longest gap between ticks of a 1 ms timer during `ms`, and how many gaps exceeded 16 ms.
struct Stalls
{
    double longestMs = 0;
    int over16 = 0;
    int ticks = 0;
};

Stalls measureStalls(int ms)
{
    Stalls stalls;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QElapsedTimer clock;
    QElapsedTimer total;
    QObject::connect(&tick, &QTimer::timeout, &tick, [&] {
        const double gap = double(clock.nsecsElapsed()) / 1e6;
        clock.restart();
        ++stalls.ticks;
        stalls.longestMs = std::max(stalls.longestMs, gap);
        if (gap > 16.0)
            ++stalls.over16;
    });
    clock.start();
    total.start();
    tick.start();
    waitFor([&total, ms] { return total.elapsed() >= ms; }, ms + 1000);
    return stalls;
}

// --part stall RATE SECONDS: prints "idle MS N" and "busy MS N" (longest gap, gaps > 16 ms)
// and "received N".
int stallPart(int argc, char *argv[], int rate, int seconds)
{
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));
    ConnectedApp lifeline;

    const Stalls idle = measureStalls(seconds * 1000);
    const int count = rate * seconds;
    std::unique_ptr<QProcess> filler = startFiller(lifeline.server->url(), count, rate);
    // The filler's own start-up (welcome) is not part of the load: wait for the first message.
    if (!waitFor([&lifeline] { return lifeline.received > 0; }, 10000))
        fail(QStringLiteral("no message arrived"));
    const Stalls busy = measureStalls(seconds * 1000);
    std::printf("idle %.2f %d\nbusy %.2f %d\nreceived %d\n", idle.longestMs, idle.over16,
                busy.longestMs, busy.over16, lifeline.received);
    filler->waitForFinished(60000);
    return 0;
}

// Runs this program with `arguments` and returns its "key value..." lines.
QHash<QString, QStringList> runPart(const QStringList &arguments, double *wallMs = nullptr)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer clock;
    clock.start();
    process.start(QCoreApplication::applicationFilePath(), arguments);
    QHash<QString, QStringList> values;
    bool first = true;
    if (!process.waitForStarted())
        fail(QStringLiteral("could not run %1").arg(arguments.join(QLatin1Char(' '))));
    while (process.state() != QProcess::NotRunning || process.canReadLine()) {
        if (!process.canReadLine() && !process.waitForReadyRead(1000))
            continue;
        while (process.canReadLine()) {
            const QStringList words = QString::fromUtf8(process.readLine().trimmed())
                                          .split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (first && wallMs)
                *wallMs = double(clock.nsecsElapsed()) / 1e6;
            first = false;
            if (!words.isEmpty())
                values.insert(words.first(), words.mid(1));
        }
    }
    process.waitForFinished(-1);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        fail(QStringLiteral("%1 failed").arg(arguments.join(QLatin1Char(' '))));
    return values;
}

double value(const QHash<QString, QStringList> &values, const QString &key, int index = 0)
{
    return values.value(key).value(index).toDouble();
}

} // namespace

int main(int argc, char *argv[])
{
    // Offscreen unless told otherwise: the figures must not depend on a compositor.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The children's parts are read from argv before any QCoreApplication exists.
    if (argc >= 3 && qstrcmp(argv[1], "--part") == 0) {
        const QByteArray part(argv[2]);
        if (part == "startup-real")
            return startupPart(argc, argv, true);
        if (part == "startup-bare")
            return startupPart(argc, argv, false);
        if (part == "fill" && argc >= 6)
            return fillPart(argc, argv, QUrl(QString::fromLocal8Bit(argv[3])), atoi(argv[4]),
                            atoi(argv[5]));
        if (part == "memory" && argc >= 4)
            return memoryPart(argc, argv, atoi(argv[3]));
        if (part == "stall" && argc >= 5)
            return stallPart(argc, argv, atoi(argv[3]), atoi(argv[4]));
        fail(QStringLiteral("unknown --part"));
    }

    QCoreApplication app(argc, argv);
    BenchCommandLine commandLine(QStringLiteral("The desktop window: start-up time, memory with a "
                                                "long conversation, event-loop stalls."),
                                 false);
    int rounds = 5;
    int messages = 100000;
    int rate = 1000;
    int seconds = 5;
    commandLine.addNumber(QStringLiteral("rounds"), QStringLiteral("Start-ups of each window"),
                          &rounds);
    commandLine.addNumber(QStringLiteral("messages"),
                          QStringLiteral("Messages in the long conversation"), &messages);
    commandLine.addNumber(QStringLiteral("rate"),
                          QStringLiteral("Messages a second for the stall measurement"), &rate);
    commandLine.addNumber(QStringLiteral("seconds"),
                          QStringLiteral("Seconds of each stall measurement"), &seconds,
                          QStringLiteral("s"));
    if (!commandLine.process(app))
        return SetupFailedExit;

    QList<double> bareShown, bareWall, realShown, realWall, realServer;
    for (int round = 0; round < rounds; ++round) {
        double wall = 0;
        auto bare = runPart({QStringLiteral("--part"), QStringLiteral("startup-bare")}, &wall);
        bareShown.append(value(bare, QStringLiteral("shown")));
        bareWall.append(wall);
        auto real = runPart({QStringLiteral("--part"), QStringLiteral("startup-real")}, &wall);
        realShown.append(value(real, QStringLiteral("shown")));
        realServer.append(value(real, QStringLiteral("server")));
        realWall.append(wall);
    }
    const auto memory
        = runPart({QStringLiteral("--part"), QStringLiteral("memory"), QString::number(messages)});
    const auto stall = runPart({QStringLiteral("--part"), QStringLiteral("stall"),
                                QString::number(rate), QString::number(seconds)});

    const double shown = median(realShown);
    const double server = median(realServer);
    const double before = value(memory, QStringLiteral("before"));
    const double after = value(memory, QStringLiteral("after"));
    const double busy = value(stall, QStringLiteral("busy"));
    std::printf("bench_ui: median of %d start-ups; %d messages; %d msg/s for %d s\n\n", rounds,
                messages, rate, seconds);
    std::printf("| measurement | Lifeline window | baseline | ratio | target |\n");
    std::printf("|---|---:|---:|---:|---|\n");
    std::printf("| QApplication → window painted (ms) | %.0f | %.0f (bare QMainWindow + QListView) "
                "| %.1f× | < 1000 ms: %s |\n",
                shown, median(bareShown), shown / median(bareShown),
                shown < 1000 ? "met" : "MISSED");
    std::printf("| … of which starting lifeline-server (ms) | %.0f | — | — | — |\n", server);
    std::printf("| … window alone (ms) | %.0f | %.0f | %.1f× | — |\n", shown - server,
                median(bareShown), (shown - server) / median(bareShown));
    std::printf("| process start → window painted, seen by the parent (ms) | %.0f | %.0f | %.1f× "
                "| — |\n",
                median(realWall), median(bareWall), median(realWall) / median(bareWall));
    std::printf("| RSS, window shown and connected (MiB) | %.1f | — | — | — |\n", before);
    std::printf("| RSS with %d messages (MiB) | %.1f | %.1f (before) | +%.1f MiB | ≤ 150 MB: %s "
                "|\n",
                messages, after, before, after - before,
                after * 1.048576 <= 150 ? "met" : "MISSED");
    std::printf("| time for the %d messages to reach the window (s) | %.1f | — | — | — |\n",
                messages, value(memory, QStringLiteral("catchup")) / 1000);
    std::printf("| longest event-loop gap, %d msg/s (ms) | %.1f (%d gaps > 16 ms) | %.1f (%d, "
                "nothing arriving) | — | < 16 ms: %s |\n",
                rate, busy, int(value(stall, QStringLiteral("busy"), 1)),
                value(stall, QStringLiteral("idle")), int(value(stall, QStringLiteral("idle"), 1)),
                busy < 16 ? "met" : "MISSED");
    std::printf("| messages received during the %d s | %d | — | — | — |\n", seconds,
                int(value(stall, QStringLiteral("received"))));
    return 0;
}
