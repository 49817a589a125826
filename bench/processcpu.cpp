#include "processcpu.h"

#include <QFile>
#include <QList>

#include <unistd.h>

namespace lifeline::bench {

double processCpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // After the command name in parentheses, which may hold spaces: state is field 3, utime 14,
    // stime 15.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong())
        / double(::sysconf(_SC_CLK_TCK));
}

} // namespace lifeline::bench
