// What a connected, idle lifeline app costs the machine: CPU time and wakeups over a quiet
// minute, next to bare Qt Widgets windows idling in the same minute.
//
//   bench_client [--seconds S] [--settle S] [--json FILE]
//
// Four processes run at once: a lifeline-server (fresh --data-dir); the real `lifeline` app next
// to this program (--server pointing at that server; HOME and the XDG directories in a temporary
// directory, so that nothing of the user's is read or written), whose composer has the focus as
// the app opens; and two baselines, this program again with --part: a QMainWindow holding one
// focused QLineEdit, shown at the app's size, once with its cursor at rest (`bare`) and once
// blinking as stock Qt does forever (`bare-blinking`). All windows are on
// QT_QPA_PLATFORM=offscreen. The app counts as connected when it logs its own
// "status Connecting -> Connected" line (lifeline.connection, on by default); a baseline says
// "ready" once its field has the focus. After --settle seconds (15: the start-up work is over
// and the composer's cursor has stopped blinking, 10 s after the last input, as on GNOME) all
// three are sampled once a second for --seconds (60):
//   - CPU: utime + stime of the process from /proc/PID/stat (all its threads, not its
//     children), as % of one core. Target: < 0.5 %.
//   - wakeups: voluntary + involuntary context switches summed over /proc/PID/task/*/status,
//     per thread in the details. A thread that ends between two samples loses at most one
//     second of its count.
//
// The baseline for the rows is `bare`: what Qt, the platform plugin and the event loop cost
// when nothing is to be shown, the same state the app's own cursor is in after its timeout.
// Against the blinking one (in the details) any app that stops its cursor would look good.
// Target for wakeups: no more than `bare` plus what the heartbeat needs, plus the timeline's
// clock labels. A heartbeat (a ping every 10 s by default) wakes the main thread twice: its
// timer fires and the ping is written; the pong arrives and is read (on loopback it is often
// there before the thread sleeps again, so it may cost only one). The 5 s deadline timer is
// stopped by the pong and never fires. The timeline moves with the heartbeats and wakes once
// a minute when its labels change their minute. A window of T seconds holds at most
// floor(T / 10) + 1 heartbeats and floor(T / 60) + 1 minute changes, which is the allowance
// (16 in 60 s); the whole process (QDBus, glib threads) gets the same allowance against the
// whole `bare` process.
// Connect time (connectToServer() to Connected, median and p99) is measured by bench_connection.
//
// Exit code: 0 when every target is met, 1 when one is missed, 2 when the measurement could not
// be made (it says what it waited for). Every child is killed at exit, on failure too.
#include "benchcommandline.h"
#include "benchreport.h"
#include "bundledserver.h"
#include "processcpu.h"
#include "serverwaits.h"
#include "waitfor.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QMainWindow>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

using namespace lifeline::bench;
using namespace lifeline::harness;
using namespace lifeline::testkit;

namespace {

// What the default AppSettings use; the allowance for wakeups follows from it.
constexpr double HeartbeatIntervalS = 10.0;
constexpr int WakeupsPerHeartbeat = 2;
// The timeline's labels change their minute.
constexpr double LabelIntervalS = 60.0;
constexpr double CpuTargetPercent = 0.5;
// The app's and the baselines' window, as app/main.cpp shows it.
const QSize WindowSize(1100, 750);
// Generous bounds on a loaded 2-core machine; what is measured does not depend on them.
constexpr int StartBoundMs = 30000;
constexpr int SampleEveryMs = 1000;
// Where the app says it is up; a status line that starts with the second one says it went down.
const QByteArray ConnectedLine = "status Connecting -> Connected";
const QByteArray LeftConnectedLine = "status Connected ->";
const QString RestingPart = QStringLiteral("bare");
const QString BlinkingPart = QStringLiteral("bare-blinking");

// --part bare / bare-blinking: an idle Qt Widgets window with the focus in a line edit, as a
// user leaves a freshly opened app. It prints "ready" once the field has the focus.
int baselinePart(int argc, char *argv[], bool blinking)
{
    QApplication app(argc, argv);
    if (!blinking)
        QApplication::setCursorFlashTime(0);
    QMainWindow window;
    auto *edit = new QLineEdit(&window);
    window.setCentralWidget(edit);
    window.resize(WindowSize);
    window.show();
    edit->setFocus();
    // Only a field with the focus shows a cursor, blinking or not.
    if (!waitFor([edit] { return QApplication::focusWidget() == edit; }, StartBoundMs)) {
        std::fprintf(stderr, "the line edit did not get the focus within %d s\n",
                     StartBoundMs / 1000);
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}

// Runs the event loop for `ms` without polling: lifeline::testkit::waitFor() would wake this
// process on its tick, beside the processes measured here.
void sleepOnEventLoop(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

struct ThreadCount
{
    QString name;
    qint64 voluntary = 0;
    qint64 involuntary = 0;
};

struct Snapshot
{
    qint64 cpuTicks = 0;
    QHash<qint64, ThreadCount> threads;
};

// utime + stime of the whole process and the switches of each of its threads; empty once the
// process is gone.
std::optional<Snapshot> takeSnapshot(qint64 pid)
{
    const QString base = QStringLiteral("/proc/%1").arg(pid);
    const std::optional<qint64> cpuTicks = processCpuTicks(pid);
    if (!cpuTicks)
        return std::nullopt;
    Snapshot snapshot;
    snapshot.cpuTicks = *cpuTicks;
    const QStringList tids
        = QDir(base + QLatin1String("/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &tid : tids) {
        QFile file(base + QLatin1String("/task/") + tid + QLatin1String("/status"));
        const QByteArray status = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        // A thread that ended between listing and reading has no status any more.
        if (status.isEmpty())
            continue;
        ThreadCount count;
        for (const QByteArray &line : status.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray key = line.left(colon);
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (key == "Name")
                count.name = QString::fromUtf8(value);
            else if (key == "voluntary_ctxt_switches")
                count.voluntary = value.toLongLong();
            else if (key == "nonvoluntary_ctxt_switches")
                count.involuntary = value.toLongLong();
        }
        snapshot.threads.insert(tid.toLongLong(), count);
    }
    return snapshot;
}

// The samples of one process over the window: CPU from the first to the last sample, and per
// thread from its first sample (or from zero for a thread born in the window) to its last.
class Tally
{
public:
    explicit Tally(qint64 pid)
        : m_pid(pid)
    { }

    void add(const Snapshot &snapshot)
    {
        const bool first = m_samples == 0;
        if (first)
            m_firstTicks = snapshot.cpuTicks;
        m_lastTicks = snapshot.cpuTicks;
        for (auto it = snapshot.threads.cbegin(); it != snapshot.threads.cend(); ++it) {
            auto known = m_threads.find(it.key());
            if (known == m_threads.end())
                known = m_threads.insert(it.key(), {first ? it.value() : ThreadCount {}, {}});
            known->last = it.value();
        }
        ++m_samples;
    }

    double cpuPercent(double seconds) const
    {
        const double ticksPerSecond = double(::sysconf(_SC_CLK_TCK));
        return double(m_lastTicks - m_firstTicks) / ticksPerSecond / seconds * 100.0;
    }

    qint64 wakeups(bool mainThreadOnly) const
    {
        qint64 sum = 0;
        for (auto it = m_threads.cbegin(); it != m_threads.cend(); ++it) {
            if (!mainThreadOnly || it.key() == m_pid)
                sum += switches(it.value());
        }
        return sum;
    }

    QJsonArray threadsJson() const
    {
        QJsonArray array;
        for (auto it = m_threads.cbegin(); it != m_threads.cend(); ++it) {
            const Span &span = it.value();
            array.append(QJsonObject {
                {QStringLiteral("tid"), it.key()},
                {QStringLiteral("name"), span.last.name},
                {QStringLiteral("main"), it.key() == m_pid},
                {QStringLiteral("voluntary"), span.last.voluntary - span.first.voluntary},
                {QStringLiteral("involuntary"), span.last.involuntary - span.first.involuntary},
            });
        }
        return array;
    }

    QString threadsText() const
    {
        QStringList parts;
        for (const Span &span : m_threads)
            parts.append(QStringLiteral("%1 %2").arg(span.last.name).arg(switches(span)));
        return parts.join(QLatin1String(", "));
    }

private:
    struct Span
    {
        ThreadCount first;
        ThreadCount last;
    };

    static qint64 switches(const Span &span)
    {
        return span.last.voluntary - span.first.voluntary + span.last.involuntary
            - span.first.involuntary;
    }

    qint64 m_pid;
    int m_samples = 0;
    qint64 m_firstTicks = 0;
    qint64 m_lastTicks = 0;
    // Sorted by tid, the order the details list the threads in.
    QMap<qint64, Span> m_threads;
};

// A child whose output (stdout and stderr) is kept, to wait for what it says and to show it
// when something goes wrong.
class Child
{
public:
    Child(const QString &program, const QStringList &arguments,
          const QProcessEnvironment &environment)
    {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
        m_process.setProcessEnvironment(environment);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        // Killed with this process, whatever ends it.
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_output += m_process.readAllStandardOutput(); });
        m_process.start();
    }

    ~Child()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }

    qint64 pid() const { return m_process.processId(); }
    // Not yet started counts as running: start() returns before the child is up.
    bool hasExited() const { return m_process.state() == QProcess::NotRunning; }
    bool said(const QByteArray &text, qsizetype from = 0) const
    {
        return m_output.indexOf(text, from) >= 0;
    }
    // False if the child exited first or said nothing of the kind within StartBoundMs.
    bool waitUntilSaid(const QByteArray &text) const
    {
        return waitFor([&] { return said(text) || hasExited(); }, StartBoundMs) && !hasExited();
    }
    qsizetype outputSize() const { return m_output.size(); }
    QString lastOutput() const { return QString::fromLocal8Bit(m_output.right(2000)).trimmed(); }

private:
    QProcess m_process;
    QByteArray m_output;
};

// HOME, the XDG directories and the runtime directory in `home`: the app reads no settings,
// session or queue of the user's and writes none. No display and no session bus either, so
// that every process sees the same offscreen machine wherever the bench runs.
QProcessEnvironment isolatedEnvironment(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QDir dir(home);
    const QString runtime = dir.filePath(QStringLiteral("runtime"));
    dir.mkpath(runtime);
    QFile::setPermissions(runtime,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    environment.insert(QStringLiteral("HOME"), home);
    for (const auto &[name, path] : {std::pair {"XDG_CONFIG_HOME", ".config"},
                                     {"XDG_DATA_HOME", ".local/share"},
                                     {"XDG_STATE_HOME", ".local/state"},
                                     {"XDG_CACHE_HOME", ".cache"}})
        environment.insert(QLatin1String(name), dir.filePath(QLatin1String(path)));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // The app's status line must reach the pipe, as it is by default on a terminal: not the
    // journal, not filtered out by rules or a message pattern of the caller's.
    environment.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
                             "QT_LOGGING_RULES", "QT_MESSAGE_PATTERN", "QT_QPA_PLATFORMTHEME"})
        environment.remove(QLatin1String(name));
    return environment;
}

struct Measured
{
    double cpuPercent;
    double wakeupsPerMinute;
    double mainWakeupsPerMinute;
};

Measured measured(const Tally &tally, double seconds)
{
    return {tally.cpuPercent(seconds), double(tally.wakeups(false)) * 60.0 / seconds,
            double(tally.wakeups(true)) * 60.0 / seconds};
}

// What the heartbeat and the timeline's labels may cost in a window of `seconds`, a minute.
double allowancePerMinute(double seconds)
{
    const double heartbeats = std::floor(seconds / HeartbeatIntervalS) + 1;
    const double labelChanges = std::floor(seconds / LabelIntervalS) + 1;
    return (WakeupsPerHeartbeat * heartbeats + labelChanges) * 60.0 / seconds;
}

int runBench(int seconds, int settleSeconds, const QString &jsonPath)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return setupFailed(QStringLiteral("cannot create a temporary directory"));

    // The server logs every login; only its warnings are wanted here.
    qputenv("QT_LOGGING_RULES", "lifeline.*.info=false");
    BundledServer server;
    server.setDataDirectory(dir.filePath(QStringLiteral("server")));
    server.start();
    if (!waitForStarted(server, StartBoundMs))
        return setupFailed(
            QStringLiteral("lifeline-server (%1) did not start listening within %2 s")
                .arg(BundledServer::defaultProgram())
                .arg(StartBoundMs / 1000));

    const QString appProgram
        = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("lifeline"));
    if (!QFile::exists(appProgram))
        return setupFailed(
            QStringLiteral("%1 is missing: build the lifeline target").arg(appProgram));
    const QProcessEnvironment environment
        = isolatedEnvironment(dir.filePath(QStringLiteral("home")));
    Child app(appProgram,
              {QStringLiteral("--server"), server.url().toString(), QStringLiteral("--user"),
               QStringLiteral("bench"), QStringLiteral("--data-dir"),
               dir.filePath(QStringLiteral("app"))},
              environment);
    const QString self = QCoreApplication::applicationFilePath();
    Child bare(self, {QStringLiteral("--part"), RestingPart}, environment);
    Child blinking(self, {QStringLiteral("--part"), BlinkingPart}, environment);

    if (!app.waitUntilSaid(ConnectedLine))
        return setupFailed(QStringLiteral("the app did not log \"%1\" within %2 s; it said:\n%3")
                               .arg(QLatin1String(ConnectedLine))
                               .arg(StartBoundMs / 1000)
                               .arg(app.lastOutput()));
    for (Child *baseline : {&bare, &blinking}) {
        if (!baseline->waitUntilSaid("ready"))
            return setupFailed(
                QStringLiteral("a baseline window did not say \"ready\" within %1 s; it said:\n%2")
                    .arg(StartBoundMs / 1000)
                    .arg(baseline->lastOutput()));
    }

    sleepOnEventLoop(settleSeconds * 1000);
    const qsizetype appOutputBefore = app.outputSize();
    const QList<Child *> children {&app, &bare, &blinking};
    std::vector<Tally> tallies;
    for (const Child *child : children)
        tallies.emplace_back(child->pid());
    QString failure;
    int samples = 0;
    QElapsedTimer clock;
    QEventLoop loop;
    const auto sample = [&] {
        for (qsizetype i = 0; i < children.size(); ++i) {
            const std::optional<Snapshot> snapshot = takeSnapshot(children.at(i)->pid());
            if (!snapshot || children.at(i)->hasExited()) {
                failure = QStringLiteral("a process exited during the idle window; it said:\n%1")
                              .arg(children.at(i)->lastOutput());
                loop.quit();
                return;
            }
            tallies.at(size_t(i)).add(*snapshot);
        }
        if (++samples > seconds)
            loop.quit();
    };
    QTimer sampler;
    sampler.setTimerType(Qt::PreciseTimer);
    QObject::connect(&sampler, &QTimer::timeout, &loop, sample);
    QTimer::singleShot((seconds + 30) * 1000, &loop, [&] {
        failure = QStringLiteral("sampling took 30 s longer than the %1 s window").arg(seconds);
        loop.quit();
    });
    clock.start();
    sample();
    sampler.start(SampleEveryMs);
    loop.exec();
    sampler.stop();
    const double elapsedS = double(clock.elapsed()) / 1000.0;
    if (!failure.isEmpty())
        return setupFailed(failure);
    if (app.said(LeftConnectedLine, appOutputBefore))
        return setupFailed(QStringLiteral("the app left the Connected state during the idle "
                                          "window, so it was not idle; it said:\n%1")
                               .arg(app.lastOutput()));

    const Measured lifeline = measured(tallies.at(0), elapsedS);
    const Measured resting = measured(tallies.at(1), elapsedS);
    const Measured stock = measured(tallies.at(2), elapsedS);
    const double allowance = allowancePerMinute(elapsedS);
    const double mainBound = resting.mainWakeupsPerMinute + allowance;
    const double processBound = resting.wakeupsPerMinute + allowance;

    std::printf("Idle for %.1f s after connecting (%d s settled first), sampled every %d ms\n",
                elapsedS, settleSeconds, SampleEveryMs);
    std::printf("%-32s %10s %10s %12s %10s\n", "", "lifeline", "bare Qt", "bare Qt,", "target");
    std::printf("%-32s %10s %10s %12s %10s\n", "", "", "", "blinking", "");
    std::printf("%-32s %10.3f %10.3f %12.3f %10s\n", "CPU, % of one core", lifeline.cpuPercent,
                resting.cpuPercent, stock.cpuPercent, "< 0.5");
    std::printf("%-32s %10.1f %10.1f %12.1f %10s\n", "wakeups a minute, main thread",
                lifeline.mainWakeupsPerMinute, resting.mainWakeupsPerMinute,
                stock.mainWakeupsPerMinute, qPrintable(QString::number(mainBound, 'f', 1)));
    std::printf("%-32s %10.1f %10.1f %12.1f %10s\n", "wakeups a minute, all threads",
                lifeline.wakeupsPerMinute, resting.wakeupsPerMinute, stock.wakeupsPerMinute,
                qPrintable(QString::number(processBound, 'f', 1)));
    std::printf("threads, wakeups in the window:\n  lifeline: %s\n  bare Qt: %s\n"
                "  bare Qt, blinking: %s\n",
                qPrintable(tallies.at(0).threadsText()), qPrintable(tallies.at(1).threadsText()),
                qPrintable(tallies.at(2).threadsText()));
    std::printf("Connect time: see bench_connection.\n");

    const QString bareName
        = QStringLiteral("bare QMainWindow, focused QLineEdit, cursor at rest, same minute");
    const QString wakeupTarget
        = QStringLiteral("<= baseline + %1 per heartbeat (every %2 s) + 1 per minute change "
                         "(timeline labels)")
              .arg(WakeupsPerHeartbeat)
              .arg(HeartbeatIntervalS);
    BenchReport report(QStringLiteral("client"));
    report.addRow({QStringLiteral("idle CPU, connected app"), QStringLiteral("% of one core"),
                   lifeline.cpuPercent, resting.cpuPercent, bareName,
                   QStringLiteral("< 0.5 % of one core"), lifeline.cpuPercent < CpuTargetPercent});
    report.addRow({QStringLiteral("idle wakeups, main thread"), QStringLiteral("per minute"),
                   lifeline.mainWakeupsPerMinute, resting.mainWakeupsPerMinute, bareName,
                   wakeupTarget, lifeline.mainWakeupsPerMinute <= mainBound});
    report.addRow({QStringLiteral("idle wakeups, all threads"), QStringLiteral("per minute"),
                   lifeline.wakeupsPerMinute, resting.wakeupsPerMinute, bareName, wakeupTarget,
                   lifeline.wakeupsPerMinute <= processBound});
    report.setDetail(QStringLiteral("seconds"), elapsedS);
    report.setDetail(QStringLiteral("settleSeconds"), settleSeconds);
    // One clock tick of utime + stime over the window: CPU figures below it read as 0.
    report.setDetail(QStringLiteral("cpuResolutionPercent"),
                     100.0 / double(::sysconf(_SC_CLK_TCK)) / elapsedS);
    report.setDetail(QStringLiteral("heartbeatIntervalS"), HeartbeatIntervalS);
    report.setDetail(QStringLiteral("allowancePerMinute"), allowance);
    report.setDetail(QStringLiteral("wakeupBoundMainPerMinute"), mainBound);
    report.setDetail(QStringLiteral("wakeupBoundProcessPerMinute"), processBound);
    report.setDetail(QStringLiteral("lifelineThreads"), tallies.at(0).threadsJson());
    report.setDetail(QStringLiteral("bareThreads"), tallies.at(1).threadsJson());
    report.setDetail(QStringLiteral("bareBlinking"),
                     QJsonObject {
                         {QStringLiteral("cpuPercent"), stock.cpuPercent},
                         {QStringLiteral("mainWakeupsPerMinute"), stock.mainWakeupsPerMinute},
                         {QStringLiteral("wakeupsPerMinute"), stock.wakeupsPerMinute},
                         {QStringLiteral("threads"), tallies.at(2).threadsJson()},
                     });
    report.setDetail(QStringLiteral("connectTime"), QStringLiteral("measured by bench_connection"));
    return report.finish(jsonPath);
}

} // namespace

int main(int argc, char *argv[])
{
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--part") != 0)
            continue;
        const QString part = QString::fromLocal8Bit(argv[i + 1]);
        if (part == RestingPart || part == BlinkingPart)
            return baselinePart(argc, argv, part == BlinkingPart);
        std::fprintf(stderr, "bench_client: --part must be %s or %s\n", qPrintable(RestingPart),
                     qPrintable(BlinkingPart));
        return SetupFailedExit;
    }

    QCoreApplication app(argc, argv);
    BenchCommandLine commandLine(
        QStringLiteral("What a connected, idle app costs: CPU and wake-ups against two bare Qt "
                       "windows."));
    int seconds = 60;
    int settle = 15;
    commandLine.addNumber(QStringLiteral("seconds"), QStringLiteral("Length of the idle window"),
                          &seconds, QStringLiteral("s"));
    commandLine.addNumber(QStringLiteral("settle"),
                          QStringLiteral("Seconds between connected and the start of the window; "
                                         "at least 11 lets the composer's cursor stop blinking"),
                          &settle, QStringLiteral("s"), 0);
    if (!commandLine.process(app))
        return SetupFailedExit;

    // No signal handler: a bench killed by a time bound takes every child with it, the server
    // through BundledServer's PR_SET_PDEATHSIG and the app and the baselines through Child's.
    return runBench(seconds, settle, commandLine.jsonPath());
}
