#include "eventloop.h"

#include <QCoreApplication>
#include <QElapsedTimer>

namespace lifeline::bench {

bool spin(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    return done();
}

} // namespace lifeline::bench
