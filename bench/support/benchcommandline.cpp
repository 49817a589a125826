#include "benchcommandline.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

namespace lifeline::bench {

BenchCommandLine::BenchCommandLine(const QString &description, bool withJson)
    : m_withJson(withJson)
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    addOption(QCommandLineOption(QStringLiteral("worker")), true);
    addOption({QStringLiteral("url"), QString(), QStringLiteral("url")}, true);
    addOption({QStringLiteral("first"), QString(), QStringLiteral("n")}, true);
    addOption({QStringLiteral("count"), QString(), QStringLiteral("n")}, true);
    addOption({QStringLiteral("data-dir"), QString(), QStringLiteral("dir")}, true);
}

void BenchCommandLine::addNumber(const QString &name, const QString &description, int *value,
                                 const QString &valueName, int min)
{
    const QCommandLineOption option(
        name, QStringLiteral("%1 (default: %2).").arg(description).arg(*value), valueName,
        QString::number(*value));
    m_numbers.append({option, value, min});
    addOption(option);
}

void BenchCommandLine::addOption(QCommandLineOption option, bool internal)
{
    if (internal)
        option.setFlags(QCommandLineOption::HiddenFromHelp);
    m_parser.addOption(option);
}

bool BenchCommandLine::process(const QCoreApplication &app)
{
    // Last in --help, after the benchmark's own options.
    if (m_withJson)
        addOption({QStringLiteral("json"), QStringLiteral("Write the figures to this JSON file."),
                   QStringLiteral("file")});
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

QList<QUrl> BenchCommandLine::workerUrls() const
{
    QList<QUrl> urls;
    for (const QString &url : value(QStringLiteral("url")).split(QLatin1Char(',')))
        urls.append(QUrl(url));
    return urls;
}

bool BenchCommandLine::isWorker(int argc, char **argv)
{
    // workerArguments() spells it so; "--" ends the options.
    for (int i = 1; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
        if (std::strcmp(argv[i], "--worker") == 0)
            return true;
    }
    return false;
}

QStringList BenchCommandLine::workerArguments(const QStringList &urls, const QString &dataDir)
{
    QStringList arguments {QStringLiteral("--worker"), QStringLiteral("--url"),
                           urls.join(QLatin1Char(','))};
    if (!dataDir.isEmpty())
        arguments << QStringLiteral("--data-dir") << dataDir;
    return arguments;
}

} // namespace lifeline::bench
