// lifeline-chaos-client: one client of the chaos soak (see ChaosClient); lifeline-chaos starts
// three of them and SIGKILLs them at random.
#include "chaosclient.h"
#include "commandline.h"

#include <QCoreApplication>

#include <cstdio>

using namespace lifeline::chaos;
using namespace lifeline::testkit;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    CommandLine commandLine(
        QStringLiteral("One client of the chaos soak; lifeline-chaos starts it. Commands on "
                       "stdin: stop-sending, report, quit."));
    commandLine.addOption(
        {QStringLiteral("url"), QStringLiteral("Server URL (ws://)."), QStringLiteral("url")});
    commandLine.addOption(
        {QStringLiteral("uid"), QStringLiteral("User id."), QStringLiteral("uid")});
    commandLine.addOption({QStringLiteral("data-dir"),
                           QStringLiteral("The client's data directory."), QStringLiteral("dir")});
    commandLine.addOption({QStringLiteral("journal"),
                           QStringLiteral("File the client appends its events to."),
                           QStringLiteral("file")});
    commandLine.addOption({QStringLiteral("room"), QStringLiteral("Room to send to."),
                           QStringLiteral("room"), QStringLiteral("soak")});
    ChaosClient::Options options;
    commandLine.addNumber(QStringLiteral("interval-ms"),
                          QStringLiteral("Milliseconds between two messages"), &options.intervalMs,
                          QStringLiteral("ms"));
    if (!commandLine.process(app))
        return 2;

    bool urlsOk = true;
    for (const QString &url : commandLine.value(QStringLiteral("url")).split(QLatin1Char(','))) {
        options.serverUrls.append(QUrl(url));
        urlsOk = urlsOk && options.serverUrls.constLast().isValid();
    }
    options.uid = commandLine.value(QStringLiteral("uid"));
    options.dataDirectory = commandLine.value(QStringLiteral("data-dir"));
    options.journalPath = commandLine.value(QStringLiteral("journal"));
    options.room = commandLine.value(QStringLiteral("room"));
    if (!urlsOk || options.uid.isEmpty() || options.dataDirectory.isEmpty()
        || options.journalPath.isEmpty()) {
        std::fprintf(stderr,
                     "lifeline-chaos-client: --url, --uid, --data-dir and --journal are "
                     "required (see --help)\n");
        return 2;
    }

    ChaosClient client(options);
    QString error;
    if (!client.start(&error)) {
        std::fprintf(stderr, "lifeline-chaos-client: %s\n", qUtf8Printable(error));
        return 1;
    }
    return app.exec();
}
