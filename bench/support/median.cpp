#include "median.h"

#include <algorithm>

namespace lifeline::bench {

double percentile(QList<double> values, double fraction)
{
    std::sort(values.begin(), values.end());
    return values.at(std::min(values.size() - 1, qsizetype(fraction * double(values.size()))));
}

double median(const QList<double> &values)
{
    return values.isEmpty() ? 0 : percentile(values, 0.5);
}

} // namespace lifeline::bench
