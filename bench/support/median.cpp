#include "median.h"

#include <algorithm>

namespace lifeline::bench {

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace lifeline::bench
