#pragma once

#include <QtGlobal>

namespace lifeline::bench {

// Raises the soft limit on open files to the hard limit: a benchmark with thousands of clients
// needs a descriptor for each, and the servers it starts inherit the limit. On failure it says
// so on stderr, prefixed with `program`, and the limit stays where it was; the benchmark then
// checks fileLimit() against what it needs and says what to do.
void raiseFileLimit(const char *program);

// The soft limit on open files now; 0 if it cannot be read.
qint64 fileLimit();

} // namespace lifeline::bench
