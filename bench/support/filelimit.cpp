#include "filelimit.h"

#include <cstdio>
#include <sys/resource.h>

namespace lifeline::bench {

void raiseFileLimit(const char *program)
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max)
        return;
    const rlim_t was = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
        std::fprintf(stderr, "%s: cannot raise the open file limit to %llu; it stays at %llu\n",
                     program, static_cast<unsigned long long>(limit.rlim_max),
                     static_cast<unsigned long long>(was));
}

qint64 fileLimit()
{
    rlimit limit {};
    return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? qint64(limit.rlim_cur) : 0;
}

QStringList connectionLimits(int count)
{
    return {QStringLiteral("--max-connections"), QString::number(count),
            QStringLiteral("--max-connections-per-ip"), QString::number(count)};
}

} // namespace lifeline::bench
