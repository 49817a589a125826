// BundledServer, the lifeline-server child process the app's Simulate menu and the tests drive:
// start on a free port and restart on the same one, even right after SIGKILL; freeze and thaw;
// admin commands; failures that say what to do; no orphan left behind.

#include "bundledserver.h"
#include "serverwaits.h"

#include <protocol.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <cerrno>
#include <memory>
#include <signal.h>
#include <sys/stat.h>

using lifeline::harness::BundledServer;

using namespace lifeline;

namespace {

constexpr int Timeout = 5000;

// A QWebSocket that has said hello (the server runs in dev mode here).
struct Session
{
    explicit Session(const QUrl &url)
        : frames(&socket, &QWebSocket::textMessageReceived)
        , disconnected(&socket, &QWebSocket::disconnected)
    {
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(url);
        if (!connected.wait(Timeout))
            return;
        socket.sendTextMessage(protocol::hello(QStringLiteral("tst_bundledserver"),
                                               QStringLiteral("alice"), QStringLiteral("t")));
        welcomed = nextType() == protocol::type::Welcome;
    }

    // QWebSocket's destructor would say 1001, going away; a test client that is done is a
    // normal goodbye.
    ~Session() { socket.close(); }

    // The type of the next frame; the presence list every session gets after the welcome
    // is skipped.
    QString nextType()
    {
        for (;;) {
            if (frames.size() <= read && !frames.wait(Timeout))
                return {};
            const QJsonObject frame
                = QJsonDocument::fromJson(frames.at(read++).at(0).toString().toUtf8()).object();
            const QString type = frame.value(QStringLiteral("type")).toString();
            if (type != protocol::type::Presence)
                return type;
        }
    }

    bool waitDisconnected() { return !disconnected.isEmpty() || disconnected.wait(Timeout); }

    QWebSocket socket;
    QSignalSpy frames;
    QSignalSpy disconnected;
    qsizetype read = 0;
    bool welcomed = false;
};

// The state letter of /proc/PID/stat: 'T' while stopped by SIGSTOP.
char processState(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return '?';
    const QByteArray line = stat.readAll();
    // "PID (COMM) S ...": COMM may contain spaces and parentheses, so search from the end.
    const qsizetype end = line.lastIndexOf(')');
    return end >= 0 && end + 2 < line.size() ? line.at(end + 2) : '?';
}

bool processExists(qint64 pid)
{
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

} // namespace

class tst_BundledServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startAndRestartOnTheSamePort();
    void restartRightAfterKill();
    void freezeAndThaw();
    void stopWhileFrozen();
    void destructorStopsFrozenServer();
    void commandsAreAnswered();
    void missingProgramSaysWhatToDo();
    void serverThatCannotStartIsReported_data();
    void serverThatCannotStartIsReported();
    void dataDirectoryIsPrivate();
    void portTakenIsReported();
    void unexpectedExitIsReported();
    void uncleanShutdownIsWarned();

private:
    void configure(BundledServer *server) const;

    QTemporaryDir m_dir;
};

void tst_BundledServer::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
}

void tst_BundledServer::configure(BundledServer *server) const
{
    server->setDataDirectory(m_dir.filePath(QStringLiteral("data")));
}

void tst_BundledServer::startAndRestartOnTheSamePort()
{
    BundledServer server;
    configure(&server);
    QCOMPARE(server.program(), BundledServer::defaultProgram());
    QSignalSpy started(&server, &BundledServer::started);
    QSignalSpy running(&server, &BundledServer::runningChanged);
    QSignalSpy stopped(&server, &BundledServer::stopped);
    QSignalSpy errors(&server, &BundledServer::errorOccurred);
    QStringList stderrLines;
    connect(&server, &BundledServer::standardErrorLine, this,
            [&stderrLines](const QString &line) { stderrLines.append(line); });

    QVERIFY(!server.isRunning());
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    QVERIFY(server.isRunning());
    QVERIFY(server.processId() > 0);
    const quint16 port = server.port();
    QVERIFY(port > 0);
    QCOMPARE(server.url(), QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port)));
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.at(0).at(0).toUrl(), server.url());
    QCOMPARE(running.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        stderrLines.join(QLatin1Char('\n')).contains(QStringLiteral("dev mode")), Timeout);
    QVERIFY(Session(server.url()).welcomed);

    server.stop();
    QVERIFY(lifeline::testkit::waitForStopped(server));
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(0).toInt(), 0);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    QVERIFY(!server.isRunning());
    QCOMPARE(server.processId(), 0);
    QCOMPARE(server.port(), port); // kept for the next start

    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    QCOMPARE(server.port(), port);
    QVERIFY(Session(server.url()).welcomed);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
}

void tst_BundledServer::restartRightAfterKill()
{
    BundledServer server;
    configure(&server);
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    const QUrl url = server.url();
    // Several rounds, each with an open session, so that old connections linger in the
    // kernel while the new server binds the port (SO_REUSEADDR makes that work).
    for (int round = 0; round < 3; ++round) {
        Session session(url);
        QVERIFY(session.welcomed);
        stopped.clear();
        server.kill();
        QVERIFY(lifeline::testkit::waitForStopped(server));
        QCOMPARE(stopped.size(), 1);
        QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::CrashExit);
        QVERIFY(session.waitDisconnected());
        QVERIFY(session.socket.closeReason().isEmpty()); // no close frame from a killed server

        server.start();
        QVERIFY2(lifeline::testkit::waitForStarted(server), "restart on the same port failed");
        QCOMPARE(server.url(), url);
        QVERIFY(Session(url).welcomed);
    }
}

void tst_BundledServer::freezeAndThaw()
{
    BundledServer server;
    configure(&server);
    QSignalSpy frozen(&server, &BundledServer::frozenChanged);
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    Session session(server.url());
    QVERIFY(session.welcomed);

    server.freeze();
    QVERIFY(server.isFrozen());
    QCOMPARE(frozen.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(processState(server.processId()), 'T', Timeout);
    QVERIFY(server.isRunning()); // frozen is still running: the sockets stay open
    server.freeze(); // again: nothing changes
    QCOMPARE(frozen.size(), 1);

    // Sent while frozen, answered after the thaw.
    session.socket.sendTextMessage(protocol::ping(41));
    server.thaw();
    QVERIFY(!server.isFrozen());
    QCOMPARE(frozen.size(), 2);
    QCOMPARE(session.nextType(), protocol::type::Pong);
    QVERIFY(processState(server.processId()) != 'T');
}

void tst_BundledServer::stopWhileFrozen()
{
    BundledServer server;
    configure(&server);
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    server.freeze();
    QElapsedTimer timer;
    timer.start();
    server.stop();
    QVERIFY(lifeline::testkit::waitForStopped(server));
    // SIGTERM reached the server (after SIGCONT): a clean exit, and no wait for the kill timeout.
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(0).toInt(), 0);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::NormalExit);
    QVERIFY2(timer.elapsed() < 4000,
             qPrintable(QStringLiteral("stop() took %1 ms").arg(timer.elapsed())));
    QVERIFY(!server.isFrozen());
}

void tst_BundledServer::destructorStopsFrozenServer()
{
    auto server = std::make_unique<BundledServer>();
    configure(server.get());
    server->start();
    QVERIFY(lifeline::testkit::waitForStarted(*server));
    Session session(server->url());
    QVERIFY(session.welcomed);
    server->freeze();
    const qint64 pid = server->processId();
    QVERIFY(processExists(pid));

    server.reset();
    QVERIFY2(!processExists(pid), "the destructor left lifeline-server running");
    // 1001 means the server handled SIGTERM itself, so it was thawed first and not killed.
    QVERIFY(session.waitDisconnected());
    QCOMPARE(int(session.socket.closeCode()), int(protocol::CloseCode::GoingAway));
}

void tst_BundledServer::commandsAreAnswered()
{
    BundledServer server;
    configure(&server);
    QSignalSpy done(&server, &BundledServer::commandDone);
    QSignalSpy failed(&server, &BundledServer::commandFailed);

    // Nothing to send to yet.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("cannot send \"kick\": lifeline-server "
                                                           "is not running")));
    server.sendCommand(QStringLiteral("kick"));
    QVERIFY(!lifeline::testkit::waitForCommand(server, Timeout));

    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    Session session(server.url());
    QVERIFY(session.welcomed);
    server.sendCommand(QStringLiteral("throttle typing"));
    server.sendCommand(QStringLiteral("  unthrottle  "));
    QVERIFY(lifeline::testkit::waitForCommand(server));
    QCOMPARE(done.size(), 2);
    QCOMPARE(done.at(0).at(0).toString(), QStringLiteral("throttle"));
    QCOMPARE(done.at(1).at(0).toString(), QStringLiteral("unthrottle"));
    QCOMPARE(session.nextType(), protocol::type::Throttle);
    QCOMPARE(session.nextType(), protocol::type::Throttle);

    server.sendCommand(QStringLiteral("reboot"));
    QVERIFY(!lifeline::testkit::waitForCommand(server));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("reboot"));
    // A failure is reported once; the next command starts afresh.
    server.sendCommand(QStringLiteral("unthrottle"));
    QVERIFY(lifeline::testkit::waitForCommand(server));

    const QRegularExpression notOneLine(QStringLiteral("not an admin command"));
    QTest::ignoreMessage(QtWarningMsg, notOneLine);
    server.sendCommand(QString());
    QVERIFY(!lifeline::testkit::waitForCommand(server));
    QTest::ignoreMessage(QtWarningMsg, notOneLine);
    server.sendCommand(QStringLiteral("kick\nquit"));
    QVERIFY(!lifeline::testkit::waitForCommand(server));
    QVERIFY(server.isRunning());
}

void tst_BundledServer::missingProgramSaysWhatToDo()
{
    BundledServer server;
    const QString program = m_dir.filePath(QStringLiteral("no-such-dir/lifeline-server"));
    server.setProgram(program);
    QSignalSpy errors(&server, &BundledServer::errorOccurred);
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(!lifeline::testkit::waitForStarted(server));
    QCOMPARE(errors.size(), 1);
    const QString message = errors.at(0).at(0).toString();
    QVERIFY2(message.contains(program), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Build the lifeline-server target")),
             qPrintable(message));
    QVERIFY(!server.isRunning());
    QCOMPARE(server.processId(), 0);
    QVERIFY(stopped.isEmpty());

    // And it can be fixed without a new object.
    server.setProgram(BundledServer::defaultProgram());
    configure(&server);
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
}

void tst_BundledServer::serverThatCannotStartIsReported_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("reason"); // in the server's stderr

    QTest::newRow("missing tokens file")
        << QStringList {QStringLiteral("--tokens"), m_dir.filePath(QStringLiteral("none"))}
        << QStringLiteral("cannot read the tokens file");
    QTest::newRow("data directory is a file")
        << QStringList {QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("file"))}
        << QStringLiteral("is not a directory");
    QTest::newRow("bad host") << QStringList {QStringLiteral("--host"), QStringLiteral("nowhere")}
                              << QStringLiteral("is not an IP address");
    QTest::newRow("unknown option")
        << QStringList {QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
}

void tst_BundledServer::serverThatCannotStartIsReported()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, reason);
    QFile file(m_dir.filePath(QStringLiteral("file")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();

    BundledServer server;
    configure(&server);
    server.setExtraArguments(arguments);
    QSignalSpy errors(&server, &BundledServer::errorOccurred);
    QSignalSpy stopped(&server, &BundledServer::stopped);
    QStringList stderrLines;
    connect(&server, &BundledServer::standardErrorLine, this,
            [&stderrLines](const QString &line) { stderrLines.append(line); });
    server.start();
    QVERIFY(!lifeline::testkit::waitForStarted(server));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, Timeout);
    QCOMPARE(stopped.at(0).at(0).toInt(), 2);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("exited with code 2")),
             qPrintable(errors.at(0).at(0).toString()));
    QVERIFY2(stderrLines.join(QLatin1Char('\n')).contains(reason),
             qPrintable(stderrLines.join(QLatin1Char('\n'))));
}

void tst_BundledServer::dataDirectoryIsPrivate()
{
    const QString path = m_dir.filePath(QStringLiteral("new/nested/data"));
    BundledServer server;
    server.setDataDirectory(path);
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    struct stat info;
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
    QVERIFY(S_ISDIR(info.st_mode));
    QCOMPARE(info.st_mode & 0777, mode_t(0700));
}

void tst_BundledServer::portTakenIsReported()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    BundledServer server;
    configure(&server);
    server.setPort(squatter.serverPort());
    QSignalSpy errors(&server, &BundledServer::errorOccurred);
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(!lifeline::testkit::waitForStarted(server));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, Timeout);
    QCOMPARE(stopped.at(0).at(0).toInt(), 1);
    QCOMPARE(errors.size(), 1);
}

void tst_BundledServer::unexpectedExitIsReported()
{
    BundledServer server;
    configure(&server);
    QSignalSpy errors(&server, &BundledServer::errorOccurred);
    QSignalSpy stopped(&server, &BundledServer::stopped);
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    QVERIFY(::kill(static_cast<pid_t>(server.processId()), SIGKILL) == 0);
    QVERIFY(lifeline::testkit::waitForStopped(server));
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(stopped.at(0).at(1).value<QProcess::ExitStatus>(), QProcess::CrashExit);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("unexpectedly")),
             qPrintable(errors.at(0).at(0).toString()));
    QVERIFY(!server.isRunning());
}

void tst_BundledServer::uncleanShutdownIsWarned()
{
    // A stand-in that listens (as far as its first line says) and fails its shutdown, as a
    // server with a sanitizer report at exit would.
    const QString program = m_dir.filePath(QStringLiteral("fails-to-stop"));
    QFile script(program);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\n"
                 "trap 'exit 3' TERM\n"
                 "echo listening ws://127.0.0.1:9\n"
                 "while :; do sleep 0.05; done\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

    BundledServer server;
    configure(&server);
    server.setProgram(program);
    QSignalSpy errors(&server, &BundledServer::errorOccurred);
    server.start();
    QVERIFY(lifeline::testkit::waitForStarted(server));
    QTest::ignoreMessage(QtWarningMsg,
                         "lifeline-server exited with code 3 when it was asked to stop");
    server.stop();
    QVERIFY(lifeline::testkit::waitForStopped(server));
    QVERIFY(!server.isRunning());
    // A stop that was asked for is no error for the app to show.
    QCOMPARE(errors.size(), 0);
}

QTEST_GUILESS_MAIN(tst_BundledServer)
#include "tst_bundledserver.moc"
