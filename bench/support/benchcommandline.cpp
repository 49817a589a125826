#include "benchcommandline.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

namespace lifeline::bench {

BenchCommandLine::BenchCommandLine(const QString &description, bool withJson)
    : CommandLine(description)
    , m_withJson(withJson)
{ }

void BenchCommandLine::addWorkerOptions()
{
    addOption(QCommandLineOption(QStringLiteral("worker")), true);
    addOption({QStringLiteral("url"), QString(), QStringLiteral("url")}, true);
    addOption({QStringLiteral("first"), QString(), QStringLiteral("n")}, true);
    addOption({QStringLiteral("count"), QString(), QStringLiteral("n")}, true);
    addOption({QStringLiteral("data-dir"), QString(), QStringLiteral("dir")}, true);
}

bool BenchCommandLine::process(const QCoreApplication &app)
{
    if (m_withJson)
        addOption({QStringLiteral("json"), QStringLiteral("Write the figures to this JSON file."),
                   QStringLiteral("file")});
    return CommandLine::process(app);
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
