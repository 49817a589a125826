// The server's epoll event loop, installed here as the server installs it, before the
// application object: sockets, timers, posted events and wake-ups from other threads must
// behave as on Qt's own loop. The server's other tests run the real server on it too. Its
// watchers (RawWebSocketPeer's way in) are tested here as their users rely on them.

#include "epolleventdispatcher.h"
#include "epolltestmain.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

#include <cerrno>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace lifeline::server;

namespace {

constexpr int Timeout = 5000;

// Both ends of a socketpair, closed at the end.
struct SocketPair
{
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds); }
    ~SocketPair()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    int fds[2] = {-1, -1};
};

// What the loop reported to a watcher, and what it does when it hears.
struct RecordingWatcher : EpollEventDispatcher::Watcher
{
    void ready(quint32 epollEvents) override
    {
        reports.append(epollEvents);
        if (onReady)
            onReady(epollEvents);
    }

    QList<quint32> reports;
    std::function<void(quint32)> onReady;
};

EpollEventDispatcher *dispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

} // namespace

class tst_EpollEventDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isTheApplicationsDispatcher();
    void readNotifierFiresWhileDataWaits();
    void writeNotifierFiresWhileWritable();
    void notifierDeletedByAnotherIsNotActivated();
    void unpollableDescriptorIsAlwaysReady();
    void manyTcpConnectionsEcho();
    void singleShotFiresOnceAndNotEarly();
    void repeatingTimerKeepsItsPace();
    void timerKilledInItsSlotFiresNoMore();
    void remainingTimeCountsDown();
    void zeroTimerDoesNotStarveSockets();
    void postFromAnotherThreadWakesTheWait();
    void deleteLaterDeletes();
    void watcherHearsWhatIsReady();
    void watcherWriteInterestTurnsOnAndOff();
    void unwatchStopsTheReports();
    void watchRefusesWhatItCannotWatch();
    void watcherUnwatchedByAnotherIsNotCalled();
};

void tst_EpollEventDispatcher::isTheApplicationsDispatcher()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
}

void tst_EpollEventDispatcher::readNotifierFiresWhileDataWaits()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    QVERIFY(!activated.wait(50)); // nothing to read yet
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QVERIFY(activated.wait(Timeout));
    // Level-triggered like poll(): unread data keeps reporting.
    QVERIFY(activated.wait(Timeout));
    char byte;
    QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
    activated.clear();
    QVERIFY(!activated.wait(50));
    // Disabled, it hears nothing even with data waiting.
    notifier.setEnabled(false);
    QCOMPARE(::write(pair.fds[1], "y", 1), 1);
    QVERIFY(!activated.wait(50));
    notifier.setEnabled(true);
    QVERIFY(activated.wait(Timeout));
}

void tst_EpollEventDispatcher::writeNotifierFiresWhileWritable()
{
    SocketPair pair;
    QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
    QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
    QSignalSpy writable(&writer, &QSocketNotifier::activated);
    QSignalSpy readable(&reader, &QSocketNotifier::activated);
    QVERIFY(writable.wait(Timeout));
    // Fill the buffer: no longer writable until the other end reads.
    const QByteArray chunk(4096, 'z');
    while (::write(pair.fds[0], chunk.constData(), chunk.size()) > 0) { }
    writable.clear();
    QVERIFY(!writable.wait(50));
    QVERIFY(readable.isEmpty());
    char sink[65536];
    while (::read(pair.fds[1], sink, sizeof sink) > 0) { }
    QVERIFY(writable.wait(Timeout));
    // Both notifiers on one descriptor: the reader still hears data.
    QCOMPARE(::write(pair.fds[1], "r", 1), 1);
    QVERIFY(readable.wait(Timeout));
}

void tst_EpollEventDispatcher::notifierDeletedByAnotherIsNotActivated()
{
    // Both ready in the same turn; whichever goes first deletes the other.
    SocketPair first;
    SocketPair second;
    QObject owner; // deletes what is left, whatever happens
    QPointer<QSocketNotifier> a(new QSocketNotifier(first.fds[0], QSocketNotifier::Read, &owner));
    QPointer<QSocketNotifier> b(new QSocketNotifier(second.fds[0], QSocketNotifier::Read, &owner));
    int activations = 0;
    const auto takeTurn = [&activations](int fd, QPointer<QSocketNotifier> &other) {
        ++activations;
        char byte;
        QCOMPARE(::read(fd, &byte, 1), 1);
        delete other;
    };
    connect(a, &QSocketNotifier::activated, this, [&] { takeTurn(first.fds[0], b); });
    connect(b, &QSocketNotifier::activated, this, [&] { takeTurn(second.fds[0], a); });
    QCOMPARE(::write(first.fds[1], "1", 1), 1);
    QCOMPARE(::write(second.fds[1], "2", 1), 1);
    QTRY_VERIFY_WITH_TIMEOUT(a.isNull() != b.isNull(), Timeout);
    QTest::qWait(50); // more turns, in which the deleted one must not fire
    QCOMPARE(activations, 1);
}

void tst_EpollEventDispatcher::unpollableDescriptorIsAlwaysReady()
{
    // epoll refuses regular files; poll() reports them readable, and the admin console reads
    // stdin, which may be one.
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("line\n");
    file.flush();
    const int fd = ::open(qPrintable(file.fileName()), O_RDONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    {
        QSocketNotifier notifier(fd, QSocketNotifier::Read);
        QSignalSpy activated(&notifier, &QSocketNotifier::activated);
        QVERIFY(activated.wait(Timeout));
    }
    // Gone with its notifier: the loop waits again instead of spinning.
    QElapsedTimer waited;
    waited.start();
    QEventLoop loop;
    QTimer::singleShot(100, &loop, &QEventLoop::quit);
    loop.exec();
    QVERIFY2(waited.elapsed() >= 100, qPrintable(QString::number(waited.elapsed())));
    ::close(fd);
}

void tst_EpollEventDispatcher::manyTcpConnectionsEcho()
{
    constexpr int Connections = 200;
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, this, [&server] {
        while (QTcpSocket *peer = server.nextPendingConnection())
            connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
    });
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    int echoed = 0;
    for (int i = 0; i < Connections; ++i) {
        auto client = std::make_unique<QTcpSocket>();
        QTcpSocket *socket = client.get();
        const QByteArray text = QByteArray::number(i) + '\n';
        connect(socket, &QTcpSocket::connected, socket, [socket, text] { socket->write(text); });
        connect(socket, &QTcpSocket::readyRead, socket, [socket, text, &echoed] {
            if (socket->bytesAvailable() >= text.size() && socket->readAll() == text)
                ++echoed;
        });
        socket->connectToHost(QHostAddress::LocalHost, server.serverPort());
        clients.push_back(std::move(client));
    }
    QTRY_COMPARE_WITH_TIMEOUT(echoed, Connections, Timeout);
}

void tst_EpollEventDispatcher::singleShotFiresOnceAndNotEarly()
{
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(Qt::CoarseTimer);
    QSignalSpy fired(&timer, &QTimer::timeout);
    QElapsedTimer clock;
    clock.start();
    timer.start(120);
    QVERIFY(fired.wait(Timeout));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= 120, qPrintable(QStringLiteral("fired after %1 ms").arg(elapsed)));
    QVERIFY(!fired.wait(200));
    QCOMPARE(fired.size(), 1);
    QVERIFY(!timer.isActive());
}

void tst_EpollEventDispatcher::repeatingTimerKeepsItsPace()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    int ticks = 0;
    QElapsedTimer clock;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++ticks == 10)
            timer.stop();
    });
    clock.start();
    timer.start(20);
    QTRY_COMPARE_WITH_TIMEOUT(ticks, 10, Timeout);
    // Ten ticks of 20 ms take at least 200 ms; a generous bound above for a loaded machine.
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= 200 && elapsed < 2000,
             qPrintable(QStringLiteral("10 ticks took %1 ms").arg(elapsed)));
}

void tst_EpollEventDispatcher::timerKilledInItsSlotFiresNoMore()
{
    // A timer due first stops one due in the same turn, which then must not fire.
    QTimer victim;
    QTimer killer;
    victim.setTimerType(Qt::PreciseTimer);
    killer.setTimerType(Qt::PreciseTimer);
    QSignalSpy victimFired(&victim, &QTimer::timeout);
    connect(&killer, &QTimer::timeout, &victim, &QTimer::stop);
    connect(&killer, &QTimer::timeout, &killer, &QTimer::stop);
    killer.start(30);
    victim.start(30);
    QTRY_VERIFY_WITH_TIMEOUT(!killer.isActive(), Timeout);
    QTest::qWait(100); // turns in which the stopped one must not fire
    QCOMPARE(victimFired.size(), 0);
    QVERIFY(!victim.isActive());
}

void tst_EpollEventDispatcher::remainingTimeCountsDown()
{
    QTimer timer;
    timer.start(1000);
    const int first = timer.remainingTime();
    QVERIFY2(first > 900 && first <= 1000, qPrintable(QString::number(first)));
    QTest::qWait(100);
    const int second = timer.remainingTime();
    QVERIFY2(second < first, qPrintable(QStringLiteral("%1 then %2").arg(first).arg(second)));
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
}

void tst_EpollEventDispatcher::zeroTimerDoesNotStarveSockets()
{
    // A 0 ms timer restarts every turn; the sockets must still get their turn between.
    QTimer busy;
    int spins = 0;
    connect(&busy, &QTimer::timeout, this, [&spins] { ++spins; });
    busy.start(0);
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QVERIFY(activated.wait(Timeout));
    QVERIFY(spins > 0);
}

void tst_EpollEventDispatcher::postFromAnotherThreadWakesTheWait()
{
    // The loop sleeps with no timer due; a call queued from another thread must wake it.
    QEventLoop loop;
    QElapsedTimer clock;
    std::unique_ptr<QThread> poster(QThread::create([&loop] {
        QThread::msleep(50);
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    }));
    QTimer::singleShot(Timeout, &loop, [&loop] { loop.exit(1); });
    clock.start();
    poster->start();
    QCOMPARE(loop.exec(), 0);
    QVERIFY2(clock.elapsed() < Timeout, qPrintable(QString::number(clock.elapsed())));
    poster->wait();
}

void tst_EpollEventDispatcher::deleteLaterDeletes()
{
    QPointer<QObject> object(new QObject);
    object->deleteLater();
    QTRY_VERIFY_WITH_TIMEOUT(object.isNull(), Timeout);
}

void tst_EpollEventDispatcher::watcherHearsWhatIsReady()
{
    SocketPair pair;
    RecordingWatcher watcher;
    QVERIFY(dispatcher()->watch(pair.fds[0], &watcher, false));
    QTest::qWait(50);
    QVERIFY(watcher.reports.isEmpty()); // nothing to read yet
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.reports.isEmpty(), Timeout);
    QVERIFY(watcher.reports.constFirst() & EPOLLIN);
    QVERIFY(!(watcher.reports.constFirst() & EPOLLOUT)); // asked for reading only
    // Level-triggered like a notifier: unread data keeps reporting.
    const qsizetype heard = watcher.reports.size();
    QTRY_VERIFY_WITH_TIMEOUT(watcher.reports.size() > heard, Timeout);
    char byte;
    QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
    QTest::qWait(10); // the turn that may have been under way when the byte was read
    watcher.reports.clear();
    QTest::qWait(50);
    QVERIFY(watcher.reports.isEmpty());
    // The other end gone: a hang-up comes as readable too, and the read finds the end.
    ::shutdown(pair.fds[1], SHUT_RDWR);
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.reports.isEmpty(), Timeout);
    QVERIFY(watcher.reports.constFirst() & (EPOLLIN | EPOLLHUP));
    QCOMPARE(::read(pair.fds[0], &byte, 1), 0);
    dispatcher()->unwatch(pair.fds[0]);
}

void tst_EpollEventDispatcher::watcherWriteInterestTurnsOnAndOff()
{
    SocketPair pair;
    RecordingWatcher watcher;
    QVERIFY(dispatcher()->watch(pair.fds[0], &watcher, true));
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.reports.isEmpty(), Timeout);
    QVERIFY(watcher.reports.constFirst() & EPOLLOUT);
    // Off: a writable socket with nothing to read is not reported.
    QVERIFY(dispatcher()->setWantWrite(pair.fds[0], false));
    watcher.reports.clear();
    QTest::qWait(50);
    QVERIFY2(watcher.reports.isEmpty(),
             qPrintable(QStringLiteral("%1 reports").arg(watcher.reports.size())));
    // What there is to read still is, without EPOLLOUT.
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.reports.isEmpty(), Timeout);
    QVERIFY(watcher.reports.constFirst() & EPOLLIN);
    QVERIFY(!(watcher.reports.constFirst() & EPOLLOUT));
    char byte;
    QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
    // On again.
    QVERIFY(dispatcher()->setWantWrite(pair.fds[0], true));
    watcher.reports.clear();
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.reports.isEmpty(), Timeout);
    QVERIFY(watcher.reports.constFirst() & EPOLLOUT);
    dispatcher()->unwatch(pair.fds[0]);
}

void tst_EpollEventDispatcher::unwatchStopsTheReports()
{
    SocketPair pair;
    RecordingWatcher watcher;
    QVERIFY(dispatcher()->watch(pair.fds[0], &watcher, false));
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.reports.isEmpty(), Timeout);
    dispatcher()->unwatch(pair.fds[0]);
    watcher.reports.clear();
    QTest::qWait(50); // data still waits, and must not be reported
    QVERIFY(watcher.reports.isEmpty());
    QVERIFY(!dispatcher()->setWantWrite(pair.fds[0], true));
    QCOMPARE(errno, ENOENT);
    // The descriptor may be watched again, by another watcher.
    RecordingWatcher next;
    QVERIFY(dispatcher()->watch(pair.fds[0], &next, false));
    QTRY_VERIFY_WITH_TIMEOUT(!next.reports.isEmpty(), Timeout);
    QVERIFY(watcher.reports.isEmpty());
    dispatcher()->unwatch(pair.fds[0]);
}

void tst_EpollEventDispatcher::watchRefusesWhatItCannotWatch()
{
    SocketPair pair;
    RecordingWatcher watcher;
    QVERIFY(dispatcher()->watch(pair.fds[0], &watcher, false));
    RecordingWatcher second;
    QVERIFY(!dispatcher()->watch(pair.fds[0], &second, false));
    QCOMPARE(errno, EEXIST);
    // A notifier on a watched descriptor would take over its place in the epoll set.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("has a watcher; its Read socket "
                                                           "notifier is ignored")));
    QSocketNotifier ignored(pair.fds[0], QSocketNotifier::Read);
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!watcher.reports.isEmpty(), Timeout);
    dispatcher()->unwatch(pair.fds[0]);

    // And a watcher on a notifier's descriptor.
    QSocketNotifier notifier(pair.fds[1], QSocketNotifier::Read);
    QVERIFY(!dispatcher()->watch(pair.fds[1], &second, false));
    QCOMPARE(errno, EEXIST);

    // epoll refuses regular files; a notifier calls them always ready, a watcher is told no.
    QTemporaryFile file;
    QVERIFY(file.open());
    QVERIFY(!dispatcher()->watch(int(file.handle()), &second, false));
    QCOMPARE(errno, EPERM);
    QVERIFY(!dispatcher()->watch(-1, &second, false));
    QVERIFY(second.reports.isEmpty());
}

void tst_EpollEventDispatcher::watcherUnwatchedByAnotherIsNotCalled()
{
    // Both ready in the same turn; whichever goes first unwatches the other and closes its
    // socket, then watches a new one, which gets the lowest free number: the one just closed.
    SocketPair first;
    SocketPair second;
    RecordingWatcher a;
    RecordingWatcher b;
    RecordingWatcher late;
    std::unique_ptr<SocketPair> replacement;
    const auto takeTurn = [&](int ownFd, SocketPair &other) {
        char byte;
        QCOMPARE(::read(ownFd, &byte, 1), 1);
        dispatcher()->unwatch(other.fds[0]);
        ::close(other.fds[0]);
        other.fds[0] = -1;
        replacement = std::make_unique<SocketPair>();
        QVERIFY(dispatcher()->watch(replacement->fds[0], &late, false));
    };
    a.onReady = [&](quint32) { takeTurn(first.fds[0], second); };
    b.onReady = [&](quint32) { takeTurn(second.fds[0], first); };
    QVERIFY(dispatcher()->watch(first.fds[0], &a, false));
    QVERIFY(dispatcher()->watch(second.fds[0], &b, false));
    QCOMPARE(::write(first.fds[1], "1", 1), 1);
    QCOMPARE(::write(second.fds[1], "2", 1), 1);
    QTRY_VERIFY_WITH_TIMEOUT(a.reports.size() + b.reports.size() > 0, Timeout);
    QTest::qWait(50); // more turns, in which the unwatched one must not be called
    QCOMPARE(a.reports.size() + b.reports.size(), 1);
    // The new watch has nothing to read: the report meant for the old one must not reach it.
    QVERIFY2(late.reports.isEmpty(),
             qPrintable(QStringLiteral("%1 reports for descriptor %2")
                            .arg(late.reports.size())
                            .arg(replacement->fds[0])));
    dispatcher()->unwatch(first.fds[0]);
    dispatcher()->unwatch(second.fds[0]);
    dispatcher()->unwatch(replacement->fds[0]);
}

LIFELINE_EPOLL_TEST_MAIN(tst_EpollEventDispatcher)

#include "tst_epolleventdispatcher.moc"
