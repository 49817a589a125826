#pragma once

#include <QtGlobal>

#include <chrono>

namespace lifeline::testkit {

// CLOCK_MONOTONIC in microseconds (libstdc++'s steady_clock on Linux): one clock for every
// process on the machine, so a receipt in one process can be set against a send in another.
inline qint64 monotonicNowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace lifeline::testkit
