#pragma once

#include <QList>

#include <functional>

namespace lifeline::bench {

// The value at `fraction` of the sorted values, by index (fraction x count, the last at most);
// values must not be empty. The copy and the sort are of rounds or at most a few thousand runs.
double percentile(QList<double> values, double fraction);
// The median of a benchmark's rounds: percentile 0.5, the middle value, the upper of the two
// middle ones for an even count; 0 for none.
double median(const QList<double> &values);

// The median of one figure over the rounds: field is a member of a round, or a function of one.
template<typename Round, typename Field> double median(const QList<Round> &rounds, Field field)
{
    QList<double> values;
    for (const Round &round : rounds)
        values.append(double(std::invoke(field, round)));
    return median(values);
}

} // namespace lifeline::bench
