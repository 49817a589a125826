// The server's epoll event loop, installed here as the server installs it, before the
// application object: sockets, timers, posted events and wake-ups from other threads must
// behave as on Qt's own loop. The server's other tests run the real server on it too.

#include "epolleventdispatcher.h"

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

#include <memory>
#include <vector>

#include <fcntl.h>
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

int main(int argc, char *argv[])
{
    // As lifeline-server does it: before the application object.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
