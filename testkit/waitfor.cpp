#include "waitfor.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

namespace lifeline::testkit {

bool waitFor(const std::function<bool()> &condition, int timeoutMs, const char *what)
{
    QElapsedTimer clock;
    clock.start();
    // processEvents() with a time limit drops WaitForMoreEvents and never sleeps, which would
    // take a core from the processes waited on. The tick bounds each sleep instead.
    QTimer tick;
    tick.start(20);
    // Asked once a turn: a condition may have side effects (open a connection, read a socket).
    bool held = condition();
    while (!held && clock.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        // As QTest::qWait does: outside a running event loop, deleteLater() would wait forever.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        held = condition();
    }
    if (!held && what)
        qWarning("waited %d ms for %s", timeoutMs, what);
    return held;
}

} // namespace lifeline::testkit
