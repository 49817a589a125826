#include "processcpu.h"

#include <QByteArray>
#include <QDir>
#include <QFile>

#include <unistd.h>

namespace lifeline::bench {

std::optional<qint64> processCpuTicks(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return std::nullopt;
    // After the command name in parentheses, which may hold spaces: state is field 3, utime 14,
    // stime 15.
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return std::nullopt;
    return fields.at(11).toLongLong() + fields.at(12).toLongLong();
}

double processCpuSeconds(qint64 pid)
{
    const std::optional<qint64> ticks = processCpuTicks(pid);
    return ticks ? double(*ticks) / double(::sysconf(_SC_CLK_TCK)) : -1;
}

double processWaitingSeconds(const QList<qint64> &pids)
{
    qint64 waitingNs = 0;
    for (qint64 pid : pids) {
        const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
        for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile schedstat(tasks.filePath(task + QStringLiteral("/schedstat")));
            if (!schedstat.open(QIODevice::ReadOnly))
                continue;
            // "RUNNING_NS WAITING_NS TIMESLICES"
            const QList<QByteArray> fields = schedstat.readAll().trimmed().split(' ');
            if (fields.size() >= 2)
                waitingNs += fields.at(1).toLongLong();
        }
    }
    return double(waitingNs) / 1e9;
}

double processCpuSeconds(const QList<qint64> &pids)
{
    double sum = 0;
    for (qint64 pid : pids) {
        const double seconds = processCpuSeconds(pid);
        if (seconds > 0)
            sum += seconds;
    }
    return sum;
}

} // namespace lifeline::bench
