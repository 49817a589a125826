#pragma once

#include <QList>
#include <QString>

namespace lifeline::bench {

// What the kernel alone costs to deliver fan-out over loopback: `clients` TCP connections, and
// every batch of messages, framed once beforehand as lifeline-server frames them, written to
// each connection in one send(), as the server writes a commit's batch. Nothing else runs in the
// sending thread: no reading, parsing, storing or event loop. Its CPU time per delivered message
// is the floor under any server's that sends each batch once per recipient.
//
// The sender runs on senderCpus (the server's core in bench_fanout), a thread draining the
// clients' ends with epoll on readerCpus (the generator's); empty lists leave either where it is.
class FanoutFloor
{
public:
    struct Settings
    {
        int clients = 1000;
        int messagesPerSecond = 200;
        // Messages per send(), on average: lifeline-server's messages per commit at the same
        // load. A fraction alternates the two whole numbers around it.
        double messagesPerBatch = 1;
        int warmupSeconds = 2;
        int seconds = 10;
        QList<int> senderCpus;
        QList<int> readerCpus;
    };

    struct Result
    {
        QString error; // empty when the measurement ran
        qint64 deliveries = 0; // in the measured window: messages x clients
        double senderCpuSeconds = 0;
        double windowSeconds = 0;
        qint64 partialSends = 0; // sends the kernel did not take whole; 0 while readers keep up

        double cpuUsPerDelivery() const
        {
            return deliveries > 0 ? senderCpuSeconds * 1e6 / double(deliveries) : 0.0;
        }
    };

    static Result measure(const Settings &settings);
};

} // namespace lifeline::bench
