#include "fanoutcpu.h"

#include <QByteArray>
#include <QFile>

#include <unistd.h>

namespace lifeline::bench {

FanoutMachineCpu fanoutMachineCpu()
{
    QFile file(QStringLiteral("/proc/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // "cpu  user nice system idle iowait irq softirq steal ..." over all CPUs, in ticks.
    const QList<QByteArray> fields = file.readLine().simplified().split(' ');
    if (fields.size() < 8 || fields.constFirst() != "cpu")
        return {};
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    return {double(fields.at(4).toLongLong() + fields.at(5).toLongLong()) / ticks,
            double(fields.at(7).toLongLong()) / ticks};
}

} // namespace lifeline::bench
