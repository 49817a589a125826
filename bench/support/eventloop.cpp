#include "eventloop.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

namespace lifeline::bench {

bool spin(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    // processEvents() with a time limit drops WaitForMoreEvents and never sleeps: a benchmark
    // waiting that way would burn the core it measures. The tick bounds each sleep instead.
    QTimer tick;
    tick.start(20);
    while (!done() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

} // namespace lifeline::bench
