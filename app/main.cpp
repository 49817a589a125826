// The Lifeline window: reads the settings, lets the command line override them, starts the
// bundled server when no server is named, builds the core objects and the window, and runs.
#include "appconfig.h"
#include "bundledserver.h"
#include "cursorblinktimeout.h"
#include "faultproxy.h"
#include "mainwindow.h"
#include "translations.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

using namespace lifeline;
using namespace lifeline::ui;

namespace {

// Exit code for a command line that cannot work, as getopt-style tools use it.
constexpr int UsageError = 2;

int usageError(const QString &message)
{
    std::fprintf(stderr, "lifeline: %s\n", qPrintable(message));
    return UsageError;
}

// A message box as well as stderr: started from a desktop menu, nobody reads stderr.
int startupError(const QString &message)
{
    std::fprintf(stderr, "lifeline: %s\n", qPrintable(message));
    QMessageBox::critical(nullptr, QCoreApplication::translate("main", "Lifeline"), message);
    return 1;
}

// Runs the event loop until the bundled server listens, cannot, or has not within 10 s. This is
// the first loop the app runs: the window is built on the server's URL, so nothing else is on
// screen to keep alive.
bool waitUntilListening(harness::BundledServer &server)
{
    constexpr int StartTimeoutMs = 10000;
    QEventLoop loop;
    QTimer::singleShot(StartTimeoutMs, &loop, &QEventLoop::quit);
    QObject::connect(&server, &harness::BundledServer::started, &loop, &QEventLoop::quit);
    QObject::connect(&server, &harness::BundledServer::stopped, &loop, &QEventLoop::quit);
    QObject::connect(&server, &harness::BundledServer::errorOccurred, &loop, &QEventLoop::quit);
    if (server.hasChild() && !server.isRunning())
        loop.exec();
    return server.isRunning();
}

} // namespace

int main(int argc, char *argv[])
{
    // --help and --version need no screen: without a display they must still answer.
    const bool displayless = !qEnvironmentVariableIsSet("DISPLAY")
        && !qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
    for (int i = 1; displayless && i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "--help" || argument == "-h" || argument == "--version" || argument == "-v")
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lifeline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFELINE_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Lifeline"));
    QGuiApplication::setDesktopFileName(QStringLiteral("lifeline"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/lifeline.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lifeline chat client"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(
        QStringLiteral("server"),
        QStringLiteral("Server URL (ws:// or wss://); several instances of one service separated "
                       "by commas, e.g. ws://a:8080,ws://b:8080. Without it, the bundled server "
                       "is started."),
        QStringLiteral("url"));
    const QCommandLineOption userOption(QStringLiteral("user"),
                                        QStringLiteral("User id (default: the saved one, or "
                                                       "alice)."),
                                        QStringLiteral("name"));
    const QCommandLineOption tokenOption(QStringLiteral("token"),
                                         QStringLiteral("Auth token (default: the saved one, or "
                                                        "dev-token)."),
                                         QStringLiteral("token"));
    const QCommandLineOption modeOption(QStringLiteral("mode"),
                                        QStringLiteral("Connection mode: auto or manual."),
                                        QStringLiteral("mode"));
    const QCommandLineOption dataOption(QStringLiteral("data-dir"),
                                        QStringLiteral("Where the session, the message queue and "
                                                       "the bundled server's data are kept."),
                                        QStringLiteral("dir"));
    const QCommandLineOption langOption(QStringLiteral("lang"),
                                        QStringLiteral("Language code (de, en); default: the "
                                                       "saved one, or the system's."),
                                        QStringLiteral("code"));
    // For the screenshot script: grab the window after a delay, save it, quit.
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a PNG of the window and quit."),
                                        QStringLiteral("file"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotDelayOption(QStringLiteral("screenshot-after"),
                                             QStringLiteral("Delay before --screenshot."),
                                             QStringLiteral("ms"), QStringLiteral("1500"));
    screenshotDelayOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({serverOption, userOption, tokenOption, modeOption, dataOption, langOption,
                       screenshotOption, screenshotDelayOption});
    parser.process(app);

    // Not QSettings() with an organization name: that would also move AppDataLocation, and
    // with it the sessions and queues saved by earlier versions.
    QSettings store(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("lifeline"),
                    QStringLiteral("lifeline"));
    AppConfig config = AppConfig::load(store);
    if (parser.isSet(serverOption))
        config.setServerUrl(parser.value(serverOption));
    if (parser.isSet(userOption))
        config.setUser(parser.value(userOption));
    if (parser.isSet(tokenOption))
        config.setToken(parser.value(tokenOption));
    if (parser.isSet(modeOption)) {
        const auto mode = AppConfig::modeFromName(parser.value(modeOption));
        if (!mode)
            return usageError(QStringLiteral("--mode must be auto or manual (got \"%1\")")
                                  .arg(parser.value(modeOption)));
        config.setMode(*mode);
    }
    if (parser.isSet(langOption))
        config.setLanguage(parser.value(langOption));
    // The first start, with nothing saved, works against the bundled dev-mode server.
    if (config.user().isEmpty())
        config.setUser(QStringLiteral("alice"));
    if (config.token().isEmpty())
        config.setToken(QStringLiteral("dev-token"));
    if (parser.isSet(serverOption) && config.serverUrl().isEmpty())
        return usageError(QStringLiteral("--server needs a ws:// or wss:// URL, or several "
                                         "separated by commas"));

    const QStringList problems = config.validationErrors();
    if (!problems.isEmpty()) {
        const QString where = QStringLiteral("(from the command line or %1)").arg(store.fileName());
        return usageError(problems.join(QLatin1String("; ")) + QLatin1Char(' ') + where);
    }

    bool screenshotDelayOk = false;
    const int screenshotDelay = parser.value(screenshotDelayOption).toInt(&screenshotDelayOk);
    if (!screenshotDelayOk || screenshotDelay < 0)
        return usageError(QStringLiteral("--screenshot-after must be milliseconds (got \"%1\")")
                              .arg(parser.value(screenshotDelayOption)));

    // Now, not only when the window applies the config: the startup errors below come before
    // the window and are said in the chosen language too. The window's applyConfig() finds the
    // same locale installed and leaves it.
    Translations::install(&app, Translations::localeFor(config.language()));

    const QString dataDir = parser.isSet(dataOption)
        ? parser.value(dataOption)
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);

    // Declared first so it is destroyed last: the server stops after the clients closed.
    std::unique_ptr<harness::BundledServer> bundled;
    std::unique_ptr<harness::FaultProxy> proxy;
    if (config.serverUrl().isEmpty()) {
        bundled = std::make_unique<harness::BundledServer>();
        bundled->setDataDirectory(QDir(dataDir).filePath(QStringLiteral("server")));
        bundled->start();
        if (!waitUntilListening(*bundled))
            return startupError(
                QCoreApplication::translate("main",
                                            "The bundled server did not start. Start lifeline "
                                            "with --server URL to use another server."));
        // The app's own link goes through the proxy so that Simulate → Cut network can cut it.
        proxy = std::make_unique<harness::FaultProxy>();
        if (!proxy->start(bundled->url()))
            return startupError(QCoreApplication::translate(
                "main", "Could not listen on a loopback port for the bundled server's proxy."));
    }

    // Text cursors stop blinking 10 s after the last input, as on GNOME: an app left open with
    // the focus in the composer does not wake up twice a second for it.
    CursorBlinkTimeout cursorBlinkTimeout;
    ConnectionManager connection;
    Messenger messenger(&connection);
    MainWindow window(&connection, &messenger, bundled.get(), proxy.get());
    window.setSettingsStore(&store);
    window.setDataDirectory(dataDir);
    window.applyConfig(config);
    window.resize(1100, 750);
    window.show();

    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        QTimer::singleShot(screenshotDelay, &window, [&window, file] {
            const bool saved = window.grab().save(file, "PNG");
            if (!saved)
                std::fprintf(stderr, "lifeline: could not save the screenshot to %s\n",
                             qPrintable(file));
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
