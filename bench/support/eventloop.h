#pragma once

#include <functional>

namespace lifeline::bench {

// Runs the event loop until `done` returns true or `timeoutMs` passed; returns done(). The
// benchmarks wait on many processes and sockets at once, where a QSignalSpy per thing would not do.
bool spin(const std::function<bool()> &done, int timeoutMs);

} // namespace lifeline::bench
