#pragma once

#include <QByteArray>

#include <vector>

namespace lifeline::bench {

// Latencies in 10 µs buckets, so that a worker takes 200,000 receipts a second at the cost of an
// increment each, and its whole distribution travels to the coordinator as one line. Up to 5 s
// in buckets; above that only the count and the maximum are kept (a figure that large fails
// every target anyway).
class FanoutHistogram
{
public:
    static constexpr qint64 BucketUs = 10;
    static constexpr qint64 RangeUs = 5'000'000;

    void add(qint64 us);
    void merge(const FanoutHistogram &other);
    void clear();

    qint64 count() const { return m_count; }
    qint64 maxUs() const { return m_maxUs; }
    // The value below which `fraction` of the samples lie, in milliseconds (nearest rank, upper
    // edge of its bucket); 0 without samples.
    double percentileMs(double fraction) const;

    // "MAX COUNT bucket:count bucket:count ..." with the non-empty buckets only.
    QByteArray toLine() const;
    // Adds what toLine() wrote; false if the line is not one.
    bool mergeLine(const QByteArray &line);

private:
    static constexpr qint64 Buckets = RangeUs / BucketUs;

    std::vector<quint32> m_buckets;
    qint64 m_over = 0;
    qint64 m_count = 0;
    qint64 m_maxUs = 0;
};

} // namespace lifeline::bench
