#include "fanouthistogram.h"

#include <QList>

#include <algorithm>
#include <cmath>

namespace lifeline::bench {

void FanoutHistogram::add(qint64 us)
{
    // A clock cannot run backwards, but two processes may read it a microsecond apart.
    us = std::max<qint64>(us, 0);
    ++m_count;
    m_maxUs = std::max(m_maxUs, us);
    const qint64 bucket = us / BucketUs;
    if (bucket >= Buckets) {
        ++m_over;
        return;
    }
    // Allocated on first use: the coordinator's copies of empty histograms stay small.
    if (m_buckets.empty())
        m_buckets.assign(size_t(Buckets), 0);
    ++m_buckets[size_t(bucket)];
}

void FanoutHistogram::merge(const FanoutHistogram &other)
{
    if (other.m_count == 0)
        return;
    if (m_buckets.empty())
        m_buckets.assign(size_t(Buckets), 0);
    for (size_t i = 0; i < other.m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_over += other.m_over;
    m_count += other.m_count;
    m_maxUs = std::max(m_maxUs, other.m_maxUs);
}

void FanoutHistogram::clear()
{
    m_buckets.clear();
    m_over = 0;
    m_count = 0;
    m_maxUs = 0;
}

double FanoutHistogram::percentileMs(double fraction) const
{
    if (m_count == 0)
        return 0;
    const qint64 rank
        = std::clamp<qint64>(qint64(std::ceil(fraction * double(m_count))), 1, m_count);
    qint64 seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank)
            return double(std::min(qint64(i + 1) * BucketUs, m_maxUs)) / 1000.0;
    }
    return double(m_maxUs) / 1000.0;
}

QByteArray FanoutHistogram::toLine() const
{
    QByteArray line = QByteArray::number(m_maxUs) + ' ' + QByteArray::number(m_over);
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        if (m_buckets[i] != 0)
            line
                += ' ' + QByteArray::number(qulonglong(i)) + ':' + QByteArray::number(m_buckets[i]);
    }
    return line;
}

bool FanoutHistogram::mergeLine(const QByteArray &line)
{
    const QList<QByteArray> fields = line.split(' ');
    if (fields.size() < 2)
        return false;
    bool maxOk = false;
    bool overOk = false;
    FanoutHistogram parsed;
    parsed.m_maxUs = fields.at(0).toLongLong(&maxOk);
    parsed.m_over = fields.at(1).toLongLong(&overOk);
    if (!maxOk || !overOk)
        return false;
    parsed.m_count = parsed.m_over;
    for (qsizetype i = 2; i < fields.size(); ++i) {
        const qsizetype colon = fields.at(i).indexOf(':');
        bool bucketOk = false;
        bool countOk = false;
        const qint64 bucket = fields.at(i).left(colon).toLongLong(&bucketOk);
        const quint32 count = fields.at(i).mid(colon + 1).toUInt(&countOk);
        if (colon < 0 || !bucketOk || !countOk || bucket < 0 || bucket >= Buckets)
            return false;
        if (parsed.m_buckets.empty())
            parsed.m_buckets.assign(size_t(Buckets), 0);
        parsed.m_buckets[size_t(bucket)] += count;
        parsed.m_count += count;
    }
    merge(parsed);
    return true;
}

} // namespace lifeline::bench
