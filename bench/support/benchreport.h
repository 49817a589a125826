#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace lifeline::bench {

// What a benchmark found, in the shape bench/run prints and collects: one row per figure, each
// next to the baseline measured in the same run. Every benchmark takes `--json FILE` and writes
// its rows there with write(); without it only the benchmark's own table is printed.
class BenchReport
{
public:
    struct Row
    {
        QString measure; // "fan-out latency p99, 1,000 clients"
        QString unit; // "ms", "KiB", "messages/s", ...
        double lifeline = 0; // Lifeline's figure
        std::optional<double> baseline;
        QString baselineName; // what the baseline is: "Node.js ws", "bare QWebSocket", ...
        QString target; // the target in words; empty when there is none
        std::optional<bool> met; // whether the target is met; empty when there is none
    };

    explicit BenchReport(QString bench);

    void addRow(const Row &row);
    // Anything else worth keeping with the figures: settings, raw counts, distributions.
    void setDetail(const QString &key, const QJsonValue &value);
    // False when a row has a target that was missed.
    bool allTargetsMet() const;
    // Writes the rows and details to path as JSON unless it is empty, and gives the exit code
    // bench/run expects: 0 when every target is met, 1 when one is missed, SetupFailedExit when
    // the file cannot be written.
    int finish(const QString &path) const;

private:
    QString m_bench;
    QList<Row> m_rows;
    QJsonObject m_details;
};

// The exit code of a benchmark that could not run; bench/run tells it from a missed target's 1.
constexpr int SetupFailedExit = 2;

// Says why the benchmark could not run on stderr, after the program's name, and gives
// SetupFailedExit.
int setupFailed(const QString &why);

// Rounds or runs as a JSON array, for the details.
QJsonArray toJsonArray(const QList<double> &values);

} // namespace lifeline::bench
