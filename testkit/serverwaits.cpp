#include "serverwaits.h"

#include "bundledserver.h"

#include <QTest>

namespace lifeline::testkit {

bool waitForStarted(harness::BundledServer &server, int msecs)
{
    QTest::qWaitFor(
        [&server] {
            return server.isRunning() || (!server.hasChild() && !server.isStartPending());
        },
        msecs);
    return server.isRunning();
}

bool waitForStopped(harness::BundledServer &server, int msecs)
{
    return QTest::qWaitFor([&server] { return !server.hasChild() && !server.isStartPending(); },
                           msecs);
}

bool waitForCommand(harness::BundledServer &server, int msecs)
{
    const bool answered
        = QTest::qWaitFor([&server] { return server.unansweredCommands() == 0; }, msecs);
    const bool failed = server.takeCommandFailure();
    return answered && !failed;
}

} // namespace lifeline::testkit
