#include "tokenbucket.h"

#include <algorithm>

namespace lifeline::server {

namespace {

constexpr qint64 Token = 1000;

} // namespace

TokenBucket::TokenBucket(int ratePerSecond, int burst, qint64 nowMs)
    : m_ratePerSecond(std::max(ratePerSecond, 0))
    , m_capacity(qint64(std::max(burst, 1)) * Token)
    , m_credit(m_capacity)
    , m_updatedMs(nowMs)
{ }

qint64 TokenBucket::creditAt(qint64 nowMs) const
{
    // A clock that went backwards adds nothing rather than taking tokens away.
    const qint64 elapsed = std::max<qint64>(nowMs - m_updatedMs, 0);
    // Once the bucket could have filled up, the product could only overflow.
    if (elapsed >= m_capacity)
        return m_capacity;
    return std::min(m_capacity, m_credit + elapsed * m_ratePerSecond);
}

bool TokenBucket::tryTake(qint64 nowMs)
{
    if (!isLimited())
        return true;
    m_credit = creditAt(nowMs);
    m_updatedMs = std::max(nowMs, m_updatedMs);
    if (m_credit < Token)
        return false;
    m_credit -= Token;
    return true;
}

qint64 TokenBucket::msUntilToken(qint64 nowMs) const
{
    if (!isLimited())
        return 0;
    const qint64 missing = Token - creditAt(nowMs);
    if (missing <= 0)
        return 0;
    return (missing + m_ratePerSecond - 1) / m_ratePerSecond;
}

} // namespace lifeline::server
