#pragma once

#include <QStringList>

namespace lifeline::bench {

// Raises the soft limit on open files to the hard limit: a benchmark with thousands of clients
// needs a descriptor for each, and the servers it starts inherit the limit. On failure it says
// so on stderr, prefixed with `program`, and the limit stays where it was; the benchmark then
// checks fileLimit() against what it needs and says what to do.
void raiseFileLimit(const char *program);

// The soft limit on open files now; 0 if it cannot be read.
qint64 fileLimit();

// lifeline-server's --max-connections and --max-connections-per-ip, both at count: every client
// of a benchmark comes from 127.0.0.1, and the server's limits must not be what stops them.
QStringList connectionLimits(int count);

} // namespace lifeline::bench
