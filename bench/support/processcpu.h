#pragma once

#include <QList>
#include <QtGlobal>

#include <optional>

namespace lifeline::bench {

// User and system CPU time (/proc/PID/stat fields 14 and 15, all threads, not the children) a
// process has used so far, in clock ticks; empty if it cannot be read (the process is gone).
// On a shared machine the CPU a process spent on a load says more than the wall-clock time.
std::optional<qint64> processCpuTicks(qint64 pid);
// The same in seconds; -1 if it cannot be read.
double processCpuSeconds(qint64 pid);
// The sum over the processes that can still be read, in seconds.
double processCpuSeconds(const QList<qint64> &pids);

// The time the threads of these processes have spent runnable but waiting for a core
// (/proc/PID/task/*/schedstat, second field), in seconds, summed over what can still be read.
// More runnable threads than cores show here first: a latency figure taken on a machine whose
// processes wait for cores measures the scheduler as much as the code.
double processWaitingSeconds(const QList<qint64> &pids);

} // namespace lifeline::bench
