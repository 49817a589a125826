#pragma once

#include <QObject>

#include <vector>

class QSocketNotifier;

namespace lifeline::bench {

class FanoutConnection;

// The one epoll set of a bench_fanout worker process: every FanoutConnection's socket is in it,
// and the Qt event loop watches only the epoll descriptor, through one QSocketNotifier. Qt's
// own dispatcher polls every notifier's descriptor on every turn, which with a QWebSocket per
// client made a frame cost twice what the kernel takes for it; here a turn costs one poll() of
// a few descriptors and one epoll_wait() that returns only the sockets with something to read.
// A loop of our own blocking in epoll_wait() would save the poll(), a few percent of a frame:
// the kernel's recv() and ACK are most of it.
//
// It also holds the buffer every connection reads into (frames are parsed where they land;
// a connection copies only the start of a frame that has not fully arrived), and it reports
// the failures a connection meets inside a call from its owner on the next turn of the event
// loop, so that no listener is ever called back from inside its own call.
class FanoutPoller : public QObject
{
    Q_OBJECT
public:
    explicit FanoutPoller(QObject *parent = nullptr);
    ~FanoutPoller() override;

    // Whether the epoll set exists; false with the reason in error() if the process is out of
    // descriptors already.
    bool isValid() const { return m_epoll >= 0; }
    QString error() const { return m_error; }

    // Watches fd for reading, and for writing while wantWrite; false with errno set on failure.
    bool add(int fd, FanoutConnection *connection, bool wantWrite);
    bool setWantWrite(int fd, FanoutConnection *connection, bool wantWrite);
    void remove(int fd);

    // Calls connection->reportFailure() on the next turn of the event loop, unless the
    // connection is deleted first.
    void reportLater(FanoutConnection *connection);
    void forget(FanoutConnection *connection);

    char *readBuffer() { return m_readBuffer.data(); }
    qsizetype readBufferSize() const { return qsizetype(m_readBuffer.size()); }

private:
    void dispatch();
    void reportFailures();

    int m_epoll;
    QString m_error;
    QSocketNotifier *m_notifier = nullptr;
    std::vector<char> m_readBuffer;
    std::vector<FanoutConnection *> m_failed;
};

} // namespace lifeline::bench
