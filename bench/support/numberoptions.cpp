#include "numberoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace lifeline::bench {

void NumberOptions::add(const QString &name, const QString &help, int *target, int min,
                        const QString &valueName)
{
    const QString text = QStringLiteral("%1 (default: %2).").arg(help).arg(*target);
    m_numbers.push_back(
        {QCommandLineOption(name, text, valueName, QString::number(*target)), target, min});
}

void NumberOptions::addTo(QCommandLineParser *parser) const
{
    for (const Number &number : m_numbers)
        parser->addOption(number.option);
}

bool NumberOptions::read(const QCommandLineParser &parser) const
{
    for (const Number &number : m_numbers) {
        const QString given = parser.value(number.option);
        bool ok = false;
        const int value = given.toInt(&ok);
        if (!ok || value < number.min) {
            std::fprintf(stderr, "%s: --%s \"%s\" must be a whole number of at least %d\n",
                         qUtf8Printable(QCoreApplication::applicationName()),
                         qUtf8Printable(number.option.names().constFirst()), qUtf8Printable(given),
                         number.min);
            return false;
        }
        *number.target = value;
    }
    return true;
}

} // namespace lifeline::bench
