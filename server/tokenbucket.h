#pragma once

#include <QtGlobal>

namespace lifeline::server {

// The rate limit of one connection: ratePerSecond tokens a second flow into a bucket that holds
// up to burst; each message takes one. No QObject and no clock: the caller passes the time in
// milliseconds of a monotonic clock, so tests drive it with made-up times.
//
// Counted in thousandths of a token, so that the arithmetic is exact: at R tokens a second, R
// thousandths flow in every millisecond.
class TokenBucket
{
public:
    // ratePerSecond 0 turns the limit off. The bucket starts full.
    TokenBucket(int ratePerSecond, int burst, qint64 nowMs);

    bool isLimited() const { return m_ratePerSecond > 0; }

    // Takes a token if there is one at nowMs.
    bool tryTake(qint64 nowMs);
    // Milliseconds from nowMs until a token is there; 0 if there is one now.
    qint64 msUntilToken(qint64 nowMs) const;

private:
    qint64 creditAt(qint64 nowMs) const;

    qint64 m_ratePerSecond;
    qint64 m_capacity;
    qint64 m_credit;
    qint64 m_updatedMs;
};

} // namespace lifeline::server
