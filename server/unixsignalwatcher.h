#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace lifeline::server {

// Turns Unix signals into a Qt signal with the self-pipe trick from Qt's "Calling Qt Functions
// From Unix Signal Handlers": the handler only writes a byte to a socket pair, and a
// QSocketNotifier on the other end emits unixSignal() from the event loop.
// One instance per process, since a signal handler has no way to find an object.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

    // Installs the handler for signalNumber; false (with a warning) if that failed.
    bool watch(int signalNumber);

Q_SIGNALS:
    // signalNumber arrived, delivered from the event loop.
    void unixSignal(int signalNumber);

private:
    void readSignals();

    QSocketNotifier *m_notifier = nullptr;
    QList<int> m_watched;
};

} // namespace lifeline::server
