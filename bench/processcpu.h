#pragma once

#include <QtGlobal>

namespace lifeline::bench {

// User and system CPU time process pid has used so far, in seconds; -1 if it cannot be read.
// On a shared machine the CPU a server spent on a load says more than the wall-clock time.
double processCpuSeconds(qint64 pid);

} // namespace lifeline::bench
