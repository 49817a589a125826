#pragma once

#include <QRandomGenerator>

#include <chrono>

namespace lifeline {

// When to retry: attempt n (1-based) has the nominal delay min(max, initial x 2^(n-1)); with
// jitter j the delay used is drawn uniformly from [nominal x (1 - j), nominal], so that clients
// dropped together do not return together. A plain value class: the manager owns the timer.
class BackoffPolicy
{
public:
    BackoffPolicy() = default;
    BackoffPolicy(std::chrono::milliseconds initial, std::chrono::milliseconds max, double jitter,
                  int maxAttempts, quint32 seed = QRandomGenerator::global()->generate());

    std::chrono::milliseconds nominalDelay(int attempt) const;
    // The jittered delay for `attempt`; each call draws anew.
    std::chrono::milliseconds nextDelay(int attempt);
    // Whether attempt number `attempt` may still be made (maxAttempts 0: always).
    bool allowsAttempt(int attempt) const;
    int maxAttempts() const { return m_maxAttempts; }
    // Starts the random sequence over, so a seeded policy repeats its delays.
    void reset();

private:
    std::chrono::milliseconds m_initial {1000};
    std::chrono::milliseconds m_max {30000};
    double m_jitter = 0.5;
    int m_maxAttempts = 5;
    quint32 m_seed = 0;
    QRandomGenerator m_random;
};

} // namespace lifeline
