#pragma once

#include <QRandomGenerator>

#include <chrono>

namespace lifeline {

// When to retry: attempt n (1-based) has the nominal delay min(max, initial x 2^(n-1)). With
// jitter j > 0 the delay used is drawn uniformly from [nominal x (1 - j), nominal], so that
// clients dropped together do not return together; the first attempt after losing a link that
// was up draws from the whole [0, nominal] ("full jitter"), because that is the attempt that all
// clients of a server that went down make at the same moment. Jitter 0 keeps every delay exact.
// A plain value class: the connection manager owns the timer.
class BackoffPolicy
{
public:
    // How far a delay may fall below its nominal value.
    enum class Spread {
        Partial, // [nominal x (1 - jitter), nominal]
        Full, // [0, nominal] when jitter > 0
    };

    BackoffPolicy() = default;
    BackoffPolicy(std::chrono::milliseconds initial, std::chrono::milliseconds max, double jitter,
                  int maxAttempts, quint32 seed = QRandomGenerator::global()->generate());

    std::chrono::milliseconds nominalDelay(int attempt) const;
    // The delay for `attempt` with `draw` from [0, 1) as the random part.
    std::chrono::milliseconds delay(int attempt, double draw, Spread spread) const;
    // A new uniform draw from [0, 1), the random part of delay().
    double draw();
    // delay() with a new draw.
    std::chrono::milliseconds nextDelay(int attempt, Spread spread = Spread::Partial);
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
