#include "benchreport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <cstdio>

namespace lifeline::bench {

BenchReport::BenchReport(QString bench)
    : m_bench(std::move(bench))
{ }

void BenchReport::addRow(const Row &row)
{
    m_rows.append(row);
}

void BenchReport::setDetail(const QString &key, const QJsonValue &value)
{
    m_details.insert(key, value);
}

bool BenchReport::allTargetsMet() const
{
    return std::all_of(m_rows.cbegin(), m_rows.cend(),
                       [](const Row &row) { return row.met.value_or(true); });
}

int BenchReport::finish(const QString &path) const
{
    if (path.isEmpty())
        return allTargetsMet() ? 0 : 1;
    QJsonArray rows;
    for (const Row &row : m_rows) {
        QJsonObject object {
            {QStringLiteral("measure"), row.measure},
            {QStringLiteral("unit"), row.unit},
            {QStringLiteral("lifeline"), row.lifeline},
        };
        if (row.baseline) {
            object.insert(QStringLiteral("baseline"), *row.baseline);
            object.insert(QStringLiteral("baselineName"), row.baselineName);
            // A ratio against nothing says nothing.
            if (*row.baseline != 0)
                object.insert(QStringLiteral("ratio"), row.lifeline / *row.baseline);
        }
        if (!row.target.isEmpty())
            object.insert(QStringLiteral("target"), row.target);
        if (row.met)
            object.insert(QStringLiteral("met"), *row.met);
        rows.append(object);
    }
    const QJsonObject json {
        {QStringLiteral("bench"), m_bench},
        {QStringLiteral("rows"), rows},
        {QStringLiteral("details"), m_details},
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0 || !file.commit())
        return setupFailed(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return allTargetsMet() ? 0 : 1;
}

int setupFailed(const QString &why)
{
    std::fprintf(stderr, "%s: %s\n", qUtf8Printable(QCoreApplication::applicationName()),
                 qUtf8Printable(why));
    return SetupFailedExit;
}

QJsonArray toJsonArray(const QList<double> &values)
{
    QJsonArray array;
    for (double value : values)
        array.append(value);
    return array;
}

} // namespace lifeline::bench
