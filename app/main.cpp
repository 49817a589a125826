// Until the desktop window exists: connects to a server (the bundled one by default) and logs
// every connection event, so the SDK can be watched at work from a terminal.
#include "bundledserver.h"

#include <lifeline/connectionmanager.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QMetaEnum>
#include <QStandardPaths>
#include <QTextStream>
#include <QTime>
#include <QTranslator>

#include <cstdio>

using namespace lifeline;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lifeline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFELINE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lifeline chat client"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(
        QStringLiteral("server"),
        QStringLiteral("Server URL (ws:// or wss://). Without it, the bundled server is started."),
        QStringLiteral("url"));
    const QCommandLineOption userOption(QStringLiteral("user"), QStringLiteral("User id."),
                                        QStringLiteral("name"), QStringLiteral("alice"));
    const QCommandLineOption tokenOption(QStringLiteral("token"), QStringLiteral("Auth token."),
                                         QStringLiteral("token"), QStringLiteral("dev-token"));
    const QCommandLineOption modeOption(QStringLiteral("mode"),
                                        QStringLiteral("Connection mode: auto or manual."),
                                        QStringLiteral("mode"), QStringLiteral("auto"));
    const QCommandLineOption dataOption(QStringLiteral("data-dir"),
                                        QStringLiteral("Where the session is kept."),
                                        QStringLiteral("dir"));
    const QCommandLineOption langOption(QStringLiteral("lang"),
                                        QStringLiteral("Language code (de, en); default: the "
                                                       "system's."),
                                        QStringLiteral("code"));
    parser.addOptions({serverOption, userOption, tokenOption, modeOption, dataOption, langOption});
    parser.process(app);

    QTranslator translator;
    const QLocale locale = parser.isSet(langOption) ? QLocale(parser.value(langOption)) : QLocale();
    if (translator.load(locale, QStringLiteral("lifeline"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    const QString mode = parser.value(modeOption);
    if (mode != QLatin1String("auto") && mode != QLatin1String("manual")) {
        std::fprintf(stderr, "lifeline: --mode must be auto or manual (got \"%s\")\n",
                     qPrintable(mode));
        return 2;
    }
    const QString dataDir = parser.isSet(dataOption)
        ? parser.value(dataOption)
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);

    QTextStream out(stdout);
    const auto log = [&out](const QString &line) {
        out << QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")) << ' ' << line
            << Qt::endl;
    };

    BundledServer bundled;
    QUrl url(parser.value(serverOption));
    if (!parser.isSet(serverOption)) {
        bundled.setDataDirectory(QDir(dataDir).filePath(QStringLiteral("server")));
        bundled.start();
        if (!bundled.waitForStarted()) {
            std::fprintf(stderr,
                         "lifeline: the bundled server did not start; run with --server URL\n");
            return 1;
        }
        url = bundled.url();
        log(QStringLiteral("bundled server at %1").arg(url.toString()));
    }

    ConnectionManager manager;
    QObject::connect(
        &manager, &ConnectionManager::connectionStatusChanged, &app,
        [&log](ConnectionStatus status) {
            log(QStringLiteral("status %1")
                    .arg(QString::fromLatin1(
                        QMetaEnum::fromType<ConnectionStatus>().valueToKey(int(status)))));
        });
    QObject::connect(
        &manager, &ConnectionManager::reconnecting, &app, [&log](int attempt, int delayMs) {
            log(QStringLiteral("reconnect attempt %1 in %2 ms").arg(attempt).arg(delayMs));
        });
    QObject::connect(
        &manager, &ConnectionManager::connectionError, &app, [&log](const ChatError &error) {
            log(QStringLiteral("error %1: %2 %3").arg(error.code, error.message, error.details));
        });

    const AppSettings settings
        = AppSettingsBuilder()
              .setServerUrl(url)
              .setAutoEstablishSocketConnection(mode == QLatin1String("auto"))
              .setDataDirectory(dataDir)
              .build();
    const auto fail = [&log, &app](const ChatError &error) {
        log(QStringLiteral("%1: %2 %3").arg(error.code, error.message, error.details));
        app.exit(1);
    };
    manager.init(QStringLiteral("lifeline"), settings, {}, fail);
    manager.login(parser.value(userOption), parser.value(tokenOption), {}, fail);
    if (mode == QLatin1String("manual"))
        manager.connectToServer({}, fail);
    return app.exec();
}
