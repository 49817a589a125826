#pragma once

#include <QList>

#include <sched.h>

namespace lifeline::bench {

// Restricts the calling thread to some CPUs while it is in scope, and with it what the thread
// starts meanwhile: a child process keeps the set of the thread that forked it, a new thread the
// set of its creator. So a server started in one scope and the load generator's workers in
// another run on their own cores, every thread of theirs included (taskset does the same for a
// command line).
class ScopedCpuAffinity
{
public:
    // cpus: the CPUs to allow, as the kernel numbers them; empty leaves the set as it is.
    explicit ScopedCpuAffinity(const QList<int> &cpus);
    ~ScopedCpuAffinity();
    Q_DISABLE_COPY_MOVE(ScopedCpuAffinity)

    // The CPUs the calling thread may run on now, in ascending order.
    static QList<int> allowedCpus();

private:
    cpu_set_t m_previous;
    bool m_changed = false;
};

} // namespace lifeline::bench
