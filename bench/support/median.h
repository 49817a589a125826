#pragma once

#include <QList>

#include <functional>

namespace lifeline::bench {

// The median of a benchmark's rounds: the middle value, the upper of the two middle ones for an
// even count; 0 for none. Rounds, not samples: the copy and the sort are of a handful of values.
double median(QList<double> values);

// The median of one figure over the rounds: field is a member of a round, or a function of one.
template<typename Round, typename Field> double median(const QList<Round> &rounds, Field field)
{
    QList<double> values;
    for (const Round &round : rounds)
        values.append(double(std::invoke(field, round)));
    return median(values);
}

} // namespace lifeline::bench
