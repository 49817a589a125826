#pragma once

#include <functional>

namespace lifeline::testkit {

// Runs the event loop until `condition` holds or timeoutMs passed, and returns condition(). With
// a `what`, a timeout is also said in a warning ("waited 5000 ms for the welcome").
//
// For the tests, the benchmarks and the chaos soak alike, where a condition spans many objects
// (processes, sockets, counters) and QTest::qWaitFor's fixed 10 ms sleeps would add to what a
// benchmark measures: this one sleeps in the event loop until an event comes, and a timer
// bounds each sleep for conditions no event announces.
bool waitFor(const std::function<bool()> &condition, int timeoutMs, const char *what = nullptr);

} // namespace lifeline::testkit
