#pragma once

namespace lifeline::harness {
class BundledServer;
}

// Waiting for the bundled server, for the tests, benchmarks and the chaos soak. The harness
// itself never waits; these run the event loop (waitFor()) until its state tells.
namespace lifeline::testkit {

// Until the server listens (true), or the child is gone without listening or msecs passed.
bool waitForStarted(harness::BundledServer &server, int msecs = 10000);
// Until no child runs any more, and none is about to start.
bool waitForStopped(harness::BundledServer &server, int msecs = 10000);
// Until every command sent so far has been answered. False on timeout, if any of them was
// refused, or if the server stopped before answering.
bool waitForCommand(harness::BundledServer &server, int msecs = 10000);

} // namespace lifeline::testkit
