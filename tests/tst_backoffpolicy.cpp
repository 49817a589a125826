#include "backoffpolicy.h"

#include <QTest>

using namespace std::chrono_literals;
using lifeline::BackoffPolicy;

class TestBackoffPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactDelaysWithoutJitter_data();
    void exactDelaysWithoutJitter();
    void jitteredDelaysStayInRange_data();
    void jitteredDelaysStayInRange();
    void jitterSpreadsDelays();
    void fullSpreadDrawsFromTheWholeRange_data();
    void fullSpreadDrawsFromTheWholeRange();
    void sameSeedRepeatsDelays();
    void attemptBudget_data();
    void attemptBudget();
    void hugeAttemptNumbersDoNotOverflow();
};

void TestBackoffPolicy::exactDelaysWithoutJitter_data()
{
    QTest::addColumn<qint64>("initialMs");
    QTest::addColumn<qint64>("maxMs");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("defaults, attempt 1") << 1000LL << 30000LL << 1 << 1000LL;
    QTest::newRow("defaults, attempt 2") << 1000LL << 30000LL << 2 << 2000LL;
    QTest::newRow("defaults, attempt 3") << 1000LL << 30000LL << 3 << 4000LL;
    QTest::newRow("defaults, attempt 5") << 1000LL << 30000LL << 5 << 16000LL;
    QTest::newRow("defaults, attempt 6 is capped") << 1000LL << 30000LL << 6 << 30000LL;
    QTest::newRow("defaults, attempt 20 is capped") << 1000LL << 30000LL << 20 << 30000LL;
    QTest::newRow("short, attempt 3") << 100LL << 1000LL << 3 << 400LL;
    QTest::newRow("initial equals max") << 500LL << 500LL << 4 << 500LL;
    QTest::newRow("cap between doublings") << 300LL << 1000LL << 3 << 1000LL;
}

void TestBackoffPolicy::exactDelaysWithoutJitter()
{
    QFETCH(qint64, initialMs);
    QFETCH(qint64, maxMs);
    QFETCH(int, attempt);
    QFETCH(qint64, expectedMs);

    BackoffPolicy policy(std::chrono::milliseconds(initialMs), std::chrono::milliseconds(maxMs),
                         0.0, 5);
    QCOMPARE(policy.nominalDelay(attempt).count(), expectedMs);
    // With jitter 0 the delay used is the nominal one, every time.
    QCOMPARE(policy.nextDelay(attempt).count(), expectedMs);
    QCOMPARE(policy.nextDelay(attempt).count(), expectedMs);
}

void TestBackoffPolicy::jitteredDelaysStayInRange_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("jitter 0.5, seed 1") << 0.5 << 1u;
    QTest::newRow("jitter 0.5, seed 42") << 0.5 << 42u;
    QTest::newRow("jitter 0.1, seed 7") << 0.1 << 7u;
    QTest::newRow("jitter 1, seed 9") << 1.0 << 9u;
}

void TestBackoffPolicy::jitteredDelaysStayInRange()
{
    QFETCH(double, jitter);
    QFETCH(quint32, seed);

    BackoffPolicy policy(1s, 30s, jitter, 0, seed);
    for (int attempt = 1; attempt <= 8; ++attempt) {
        const double nominal = double(policy.nominalDelay(attempt).count());
        for (int draw = 0; draw < 200; ++draw) {
            const qint64 delay = policy.nextDelay(attempt).count();
            QVERIFY2(delay >= qint64(nominal * (1.0 - jitter)) && delay <= qint64(nominal),
                     qPrintable(QStringLiteral("attempt %1: %2 ms outside [%3, %4]")
                                    .arg(attempt)
                                    .arg(delay)
                                    .arg(nominal * (1.0 - jitter))
                                    .arg(nominal)));
        }
    }
}

void TestBackoffPolicy::jitterSpreadsDelays()
{
    // Jitter exists so that clients dropped together do not come back together: the draws
    // must cover the range, not cluster at one end.
    BackoffPolicy policy(1s, 30s, 0.5, 0, 1234);
    qint64 low = std::numeric_limits<qint64>::max();
    qint64 high = 0;
    for (int draw = 0; draw < 1000; ++draw) {
        const qint64 delay = policy.nextDelay(1).count();
        low = std::min(low, delay);
        high = std::max(high, delay);
    }
    QVERIFY2(low < 550, qPrintable(QStringLiteral("lowest of 1000 draws: %1 ms").arg(low)));
    QVERIFY2(high > 950, qPrintable(QStringLiteral("highest of 1000 draws: %1 ms").arg(high)));
}

void TestBackoffPolicy::fullSpreadDrawsFromTheWholeRange_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("draw");
    QTest::addColumn<qint64>("expectedMs");
    // Attempt 2 of the defaults: nominal 2 s.
    QTest::newRow("jitter 0.5, draw 0") << 0.5 << 0.0 << 2000LL;
    QTest::newRow("jitter 0.5, draw 0.5") << 0.5 << 0.5 << 1000LL;
    QTest::newRow("jitter 0.5, draw 0.9995") << 0.5 << 0.9995 << 1LL;
    QTest::newRow("jitter 0.1, draw 0.75") << 0.1 << 0.75 << 500LL;
    QTest::newRow("jitter 0 keeps the nominal delay") << 0.0 << 0.75 << 2000LL;
}

void TestBackoffPolicy::fullSpreadDrawsFromTheWholeRange()
{
    QFETCH(double, jitter);
    QFETCH(double, draw);
    QFETCH(qint64, expectedMs);
    const BackoffPolicy policy(1s, 30s, jitter, 5);
    QCOMPARE(policy.delay(2, draw, BackoffPolicy::Spread::Full).count(), expectedMs);
    // The partial spread of the same draw stays within [nominal x (1 - jitter), nominal].
    const qint64 partial = policy.delay(2, draw, BackoffPolicy::Spread::Partial).count();
    QVERIFY2(partial >= qint64(2000 * (1.0 - jitter)) && partial <= 2000,
             qPrintable(QString::number(partial)));

    // Drawn anew, full-spread delays cover [0, nominal], not just its upper part.
    BackoffPolicy drawing(1s, 30s, jitter, 5, 4321);
    qint64 low = std::numeric_limits<qint64>::max();
    for (int i = 0; i < 1000; ++i)
        low = std::min<qint64>(low, drawing.nextDelay(2, BackoffPolicy::Spread::Full).count());
    QVERIFY2(jitter == 0.0 ? low == 2000 : low < 100, qPrintable(QString::number(low)));
}

void TestBackoffPolicy::sameSeedRepeatsDelays()
{
    BackoffPolicy first(1s, 30s, 0.5, 5, 99);
    BackoffPolicy second(1s, 30s, 0.5, 5, 99);
    QList<qint64> drawn;
    for (int attempt = 1; attempt <= 5; ++attempt) {
        drawn.append(first.nextDelay(attempt).count());
        QCOMPARE(second.nextDelay(attempt).count(), drawn.last());
    }
    first.reset();
    for (int attempt = 1; attempt <= 5; ++attempt)
        QCOMPARE(first.nextDelay(attempt).count(), drawn.at(attempt - 1));
}

void TestBackoffPolicy::attemptBudget_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("5: attempt 1") << 5 << 1 << true;
    QTest::newRow("5: attempt 5") << 5 << 5 << true;
    QTest::newRow("5: attempt 6") << 5 << 6 << false;
    QTest::newRow("1: attempt 2") << 1 << 2 << false;
    QTest::newRow("0 never gives up: attempt 1000") << 0 << 1000 << true;
}

void TestBackoffPolicy::attemptBudget()
{
    QFETCH(int, maxAttempts);
    QFETCH(int, attempt);
    QFETCH(bool, allowed);
    const BackoffPolicy policy(1s, 30s, 0.5, maxAttempts);
    QCOMPARE(policy.allowsAttempt(attempt), allowed);
}

void TestBackoffPolicy::hugeAttemptNumbersDoNotOverflow()
{
    BackoffPolicy policy(std::chrono::milliseconds(1), std::chrono::hours(24), 0.0, 0);
    QCOMPARE(policy.nominalDelay(1000000), std::chrono::milliseconds(std::chrono::hours(24)));
}

QTEST_GUILESS_MAIN(TestBackoffPolicy)
#include "tst_backoffpolicy.moc"
