#include "benchoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace lifeline::bench {

bool readWholeNumber(const QCommandLineParser &parser, const QCommandLineOption &option, int min,
                     int *value)
{
    bool ok = false;
    *value = parser.value(option).toInt(&ok);
    if (ok && *value >= min)
        return true;
    std::fprintf(stderr, "%s: --%s \"%s\" must be a whole number of at least %d\n",
                 qUtf8Printable(QCoreApplication::applicationName()),
                 qUtf8Printable(option.names().constFirst()), qUtf8Printable(parser.value(option)),
                 min);
    return false;
}

} // namespace lifeline::bench
