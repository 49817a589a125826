// TokenBucket driven with made-up times: which sends of a connection its rate limit lets through,
// and how long the ones it refuses must wait.

#include "tokenbucket.h"

#include <QTest>

using namespace lifeline::server;

namespace {

// One tryTake() at atMs, what it returned, and msUntilToken() right after it.
struct Step
{
    qint64 atMs;
    bool taken;
    qint64 waitMs;
};

QList<Step> takes(qint64 atMs, int count, bool taken, qint64 lastWaitMs)
{
    QList<Step> steps;
    for (int i = 0; i < count; ++i)
        steps.append({atMs, taken, i == count - 1 ? lastWaitMs : 0});
    return steps;
}

} // namespace

Q_DECLARE_METATYPE(Step)

class tst_TokenBucket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tryTake_data();
    void tryTake();
    void rateZeroIsUnlimited();
    void clockGoingBackwardsAddsNothing();
    void longIdleFillsWithoutOverflow();
};

void tst_TokenBucket::tryTake_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("burst");
    QTest::addColumn<QList<Step>>("steps");

    QTest::newRow("defaults: a burst of 50, then one every 50 ms")
        << 20 << 50
        << (takes(0, 49, true, 0) + takes(0, 1, true, 50)
            + QList<Step> {{0, false, 50}, {49, false, 1}, {50, true, 50}});
    QTest::newRow("burst, then empty")
        << 10 << 3 << (takes(0, 3, true, 100) + QList<Step> {{0, false, 100}});
    QTest::newRow("refills at the rate")
        << 10 << 3
        << (takes(0, 3, true, 100)
            + QList<Step> {{50, false, 50}, {100, true, 100}, {199, false, 1}, {200, true, 100}});
    QTest::newRow("a refill stops at the burst")
        << 10 << 2
        << (takes(0, 2, true, 100) + takes(10000, 2, true, 100)
            + QList<Step> {{10000, false, 100}});
    QTest::newRow("a wait rounds up")
        << 3 << 1 << QList<Step> {{0, true, 334}, {333, false, 1}, {334, true, 334}};
    QTest::newRow("faster than one a millisecond")
        << 5000 << 1 << QList<Step> {{0, true, 1}, {0, false, 1}, {1, true, 1}, {1, false, 1}};
    QTest::newRow("a refused send costs nothing") << 1 << 1
                                                  << QList<Step> {{0, true, 1000},
                                                                  {100, false, 900},
                                                                  {200, false, 800},
                                                                  {999, false, 1},
                                                                  {1000, true, 1000}};
}

void tst_TokenBucket::tryTake()
{
    QFETCH(int, rate);
    QFETCH(int, burst);
    QFETCH(QList<Step>, steps);
    TokenBucket bucket(rate, burst, 0);
    QVERIFY(bucket.isLimited());
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &step = steps.at(i);
        const QByteArray where = QByteArray("step ") + QByteArray::number(i) + " at "
            + QByteArray::number(step.atMs) + " ms";
        QVERIFY2(bucket.tryTake(step.atMs) == step.taken, where.constData());
        QVERIFY2(
            bucket.msUntilToken(step.atMs) == step.waitMs,
            (where + ": waits " + QByteArray::number(bucket.msUntilToken(step.atMs))).constData());
    }
}

void tst_TokenBucket::rateZeroIsUnlimited()
{
    TokenBucket bucket(0, 1, 0);
    QVERIFY(!bucket.isLimited());
    for (int i = 0; i < 100000; ++i)
        QVERIFY(bucket.tryTake(0));
    QCOMPARE(bucket.msUntilToken(0), qint64(0));
}

void tst_TokenBucket::clockGoingBackwardsAddsNothing()
{
    TokenBucket bucket(10, 1, 1000);
    QVERIFY(bucket.tryTake(1000));
    QVERIFY(!bucket.tryTake(500));
    QCOMPARE(bucket.msUntilToken(500), qint64(100));
    // Time runs on from the latest moment seen, not from the earlier one.
    QVERIFY(!bucket.tryTake(1050));
    QVERIFY(bucket.tryTake(1100));
}

void tst_TokenBucket::longIdleFillsWithoutOverflow()
{
    TokenBucket bucket(1000000, 3, 0);
    for (int i = 0; i < 3; ++i)
        QVERIFY(bucket.tryTake(0));
    QVERIFY(!bucket.tryTake(0));
    const qint64 muchLater = Q_INT64_C(1) << 62;
    for (int i = 0; i < 3; ++i)
        QVERIFY(bucket.tryTake(muchLater));
    QVERIFY(!bucket.tryTake(muchLater));
}

QTEST_GUILESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
