#include "backoffpolicy.h"

#include <algorithm>
#include <cmath>

namespace lifeline {

BackoffPolicy::BackoffPolicy(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                             double jitter, int maxAttempts, quint32 seed)
    : m_initial(initial)
    , m_max(max)
    , m_jitter(std::clamp(jitter, 0.0, 1.0))
    , m_maxAttempts(maxAttempts)
    , m_seed(seed)
    , m_random(seed)
{ }

std::chrono::milliseconds BackoffPolicy::nominalDelay(int attempt) const
{
    // Doubling stops at the cap, so a large attempt number cannot overflow.
    std::chrono::milliseconds delay = m_initial;
    for (int n = 1; n < attempt && delay < m_max; ++n)
        delay *= 2;
    return std::min(delay, m_max);
}

std::chrono::milliseconds BackoffPolicy::delay(int attempt, double draw, Spread spread) const
{
    const double nominal = double(nominalDelay(attempt).count());
    const double spreadFraction = spread == Spread::Full && m_jitter > 0.0 ? 1.0 : m_jitter;
    return std::chrono::milliseconds(std::llround(nominal * (1.0 - spreadFraction * draw)));
}

double BackoffPolicy::draw()
{
    return m_random.generateDouble();
}

std::chrono::milliseconds BackoffPolicy::nextDelay(int attempt, Spread spread)
{
    return delay(attempt, draw(), spread);
}

bool BackoffPolicy::allowsAttempt(int attempt) const
{
    return m_maxAttempts == 0 || attempt <= m_maxAttempts;
}

void BackoffPolicy::reset()
{
    m_random.seed(m_seed);
}

} // namespace lifeline
