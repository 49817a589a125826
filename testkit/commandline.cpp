#include "commandline.h"

#include <QCoreApplication>

#include <cstdio>

namespace lifeline::testkit {

CommandLine::CommandLine(const QString &description)
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
}

void CommandLine::addNumber(const QString &name, const QString &description, int *value,
                            const QString &valueName, int min)
{
    const QCommandLineOption option(
        name, QStringLiteral("%1 (default: %2).").arg(description).arg(*value), valueName,
        QString::number(*value));
    m_numbers.append({option, value, min});
    addOption(option);
}

void CommandLine::addOption(QCommandLineOption option, bool internal)
{
    if (internal)
        option.setFlags(QCommandLineOption::HiddenFromHelp);
    m_parser.addOption(option);
}

bool CommandLine::process(const QCoreApplication &app)
{
    m_parser.process(app);
    for (const Number &number : std::as_const(m_numbers)) {
        const QString given = m_parser.value(number.option);
        bool ok = false;
        *number.value = given.toInt(&ok);
        if (!ok || *number.value < number.min) {
            std::fprintf(stderr, "%s: --%s \"%s\" must be a whole number of at least %d\n",
                         qUtf8Printable(QCoreApplication::applicationName()),
                         qUtf8Printable(number.option.names().constFirst()), qUtf8Printable(given),
                         number.min);
            return false;
        }
    }
    return true;
}

} // namespace lifeline::testkit
