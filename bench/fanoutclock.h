#pragma once

#include <QtGlobal>

#include <chrono>

namespace lifeline::bench {

// CLOCK_MONOTONIC in microseconds (libstdc++'s steady_clock on Linux): one clock for every
// process on the machine, so a receipt in one worker can be set against a send in another.
inline qint64 fanoutNowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace lifeline::bench
