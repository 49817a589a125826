#include "serverwaits.h"

#include "bundledserver.h"

#include "waitfor.h"

namespace lifeline::testkit {

bool waitForStarted(harness::BundledServer &server, int msecs)
{
    waitFor(
        [&server] {
            return server.isRunning() || (!server.hasChild() && !server.isStartPending());
        },
        msecs);
    return server.isRunning();
}

bool waitForStopped(harness::BundledServer &server, int msecs)
{
    return waitFor([&server] { return !server.hasChild() && !server.isStartPending(); }, msecs);
}

bool waitForCommand(harness::BundledServer &server, int msecs)
{
    const bool answered = waitFor([&server] { return server.unansweredCommands() == 0; }, msecs);
    const bool failed = server.takeCommandFailure();
    return answered && !failed;
}

} // namespace lifeline::testkit
