#pragma once

#include <QList>

namespace lifeline::bench {

// The median of a benchmark's rounds: the middle value, the upper of the two middle ones for an
// even count; 0 for none. Rounds, not samples: the copy and the sort are of a handful of values.
double median(QList<double> values);

} // namespace lifeline::bench
