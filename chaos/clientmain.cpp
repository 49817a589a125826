// lifeline-chaos-client: one client of the chaos soak (see ChaosClient); lifeline-chaos starts
// three of them and SIGKILLs them at random.
#include "chaosclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using lifeline::chaos::ChaosClient;
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("One client of the chaos soak; lifeline-chaos starts it. Commands on "
                       "stdin: stop-sending, report, quit."));
    parser.addHelpOption();
    const QCommandLineOption urlOption(QStringLiteral("url"), QStringLiteral("Server URL (ws://)."),
                                       QStringLiteral("url"));
    const QCommandLineOption uidOption(QStringLiteral("uid"), QStringLiteral("User id."),
                                       QStringLiteral("uid"));
    const QCommandLineOption dataOption(QStringLiteral("data-dir"),
                                        QStringLiteral("The client's data directory."),
                                        QStringLiteral("dir"));
    const QCommandLineOption journalOption(QStringLiteral("journal"),
                                           QStringLiteral("File the client appends its events to."),
                                           QStringLiteral("file"));
    const QCommandLineOption roomOption(QStringLiteral("room"), QStringLiteral("Room to send to."),
                                        QStringLiteral("room"), QStringLiteral("soak"));
    const QCommandLineOption intervalOption(QStringLiteral("interval-ms"),
                                            QStringLiteral("Milliseconds between two messages."),
                                            QStringLiteral("ms"), QStringLiteral("100"));
    parser.addOptions(
        {urlOption, uidOption, dataOption, journalOption, roomOption, intervalOption});
    parser.process(app);

    ChaosClient::Options options;
    bool urlsOk = true;
    for (const QString &url : parser.value(urlOption).split(QLatin1Char(','))) {
        options.serverUrls.append(QUrl(url));
        urlsOk = urlsOk && options.serverUrls.constLast().isValid();
    }
    options.uid = parser.value(uidOption);
    options.dataDirectory = parser.value(dataOption);
    options.journalPath = parser.value(journalOption);
    options.room = parser.value(roomOption);
    bool intervalOk = false;
    options.intervalMs = parser.value(intervalOption).toInt(&intervalOk);
    if (!urlsOk || options.uid.isEmpty() || options.dataDirectory.isEmpty()
        || options.journalPath.isEmpty() || !intervalOk || options.intervalMs < 1) {
        std::fprintf(stderr,
                     "lifeline-chaos-client: --url, --uid, --data-dir and --journal are "
                     "required and --interval-ms must be a positive number (see --help)\n");
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
