#include "scopedcpuaffinity.h"

#include <cerrno>
#include <cstring>

namespace lifeline::bench {

ScopedCpuAffinity::ScopedCpuAffinity(const QList<int> &cpus)
{
    CPU_ZERO(&m_previous);
    if (cpus.isEmpty())
        return;
    if (::sched_getaffinity(0, sizeof m_previous, &m_previous) == -1)
        qFatal("sched_getaffinity: %s", std::strerror(errno));
    cpu_set_t wanted;
    CPU_ZERO(&wanted);
    for (int cpu : cpus)
        CPU_SET(cpu, &wanted);
    // A CPU this process may not use is a mistake in the caller, not something to measure around.
    if (::sched_setaffinity(0, sizeof wanted, &wanted) == -1)
        qFatal("sched_setaffinity: %s", std::strerror(errno));
    m_changed = true;
}

ScopedCpuAffinity::~ScopedCpuAffinity()
{
    if (m_changed && ::sched_setaffinity(0, sizeof m_previous, &m_previous) == -1)
        qFatal("sched_setaffinity: %s", std::strerror(errno));
}

QList<int> ScopedCpuAffinity::allowedCpus()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == -1)
        qFatal("sched_getaffinity: %s", std::strerror(errno));
    QList<int> cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &set))
            cpus.append(cpu);
    }
    return cpus;
}

} // namespace lifeline::bench
