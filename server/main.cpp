#include "adminconsole.h"
#include "chatserver.h"
#include "loggingcategories_p.h"
#include "tokenstore.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QStandardPaths>

#include <csignal>
#include <cstdio>

namespace {

// Exit codes, as --help lists them.
constexpr int ExitRuntimeError = 1;
constexpr int ExitUsageError = 2;

int fail(int exitCode, const QString &message)
{
    std::fprintf(stderr, "lifeline-server: %s\n", qUtf8Printable(message));
    return exitCode;
}

bool ensureDataDirectory(const QString &path, QString *error)
{
    const QFileInfo info(path);
    if (info.isDir())
        return true;
    if (info.exists()) {
        *error = QStringLiteral("the data directory %1 exists but is not a directory").arg(path);
        return false;
    }
    // Only the final directory is private; parents get the usual mode like mkdir -p gives them.
    const QString absolute = info.absoluteFilePath();
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath())
        || !QDir().mkdir(
            absolute, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
        *error = QStringLiteral("cannot create the data directory %1").arg(path);
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lifeline-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFELINE_VERSION));

    // No organization name: the default data directory is ~/.local/share/lifeline-server.
    const QString defaultDataDir
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The Lifeline chat server (protocol version 1, docs/protocol.md).\n"
                       "The first line on stdout is \"listening ws://HOST:PORT\" with the "
                       "real port.\n\n%1\n\n"
                       "SIGTERM and SIGINT close every client with 1001 and exit.\n"
                       "Exit codes: 0 after quit, SIGTERM or SIGINT; 1 if the server cannot "
                       "listen; 2 for bad arguments, a bad tokens file or an unusable data "
                       "directory.")
            .arg(AdminConsole::usage()));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hostOption(
        QStringLiteral("host"),
        QStringLiteral("Address to listen on: an IPv4 or IPv6 address, or localhost "
                       "(default: 127.0.0.1)."),
        QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption portOption(
        QStringLiteral("port"),
        QStringLiteral("Port to listen on; 0 picks a free port (default: 0)."),
        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption dataDirOption(
        QStringLiteral("data-dir"),
        QStringLiteral("Directory for the server's data, created with mode 0700 if missing "
                       "(default: %1).")
            .arg(defaultDataDir),
        QStringLiteral("dir"), defaultDataDir);
    const QCommandLineOption tokensOption(
        QStringLiteral("tokens"),
        QStringLiteral("File of \"uid token\" lines; blank lines and lines starting with # "
                       "are skipped. Without it the server runs in dev mode and accepts any "
                       "non-empty uid and token."),
        QStringLiteral("file"));
    parser.addOptions({hostOption, portOption, dataDirOption, tokensOption});

    if (!parser.parse(QCoreApplication::arguments()))
        return fail(ExitUsageError, parser.errorText() + QStringLiteral(" (see --help)"));
    // Parsed twice: parse() lets usage errors exit with 2, process() then handles --help,
    // --help-all and --version the standard way.
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        return fail(ExitUsageError,
                    QStringLiteral("unexpected argument \"%1\" (see --help)")
                        .arg(parser.positionalArguments().constFirst()));

    const QString hostText = parser.value(hostOption);
    QHostAddress host(hostText);
    if (hostText == QLatin1String("localhost"))
        host = QHostAddress(QHostAddress::LocalHost);
    if (host.isNull())
        return fail(
            ExitUsageError,
            QStringLiteral("--host \"%1\" is not an IP address or localhost").arg(hostText));

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535)
        return fail(ExitUsageError,
                    QStringLiteral("--port \"%1\" is not a number from 0 to 65535")
                        .arg(parser.value(portOption)));

    TokenStore tokens;
    if (parser.isSet(tokensOption)) {
        QString error;
        if (!tokens.loadFile(parser.value(tokensOption), &error))
            return fail(ExitUsageError, error);
        qCInfo(lcServer, "%lld users in the tokens file",
               static_cast<long long>(tokens.userCount()));
    } else {
        qCWarning(lcServer,
                  "dev mode: no --tokens file, so any non-empty uid and token are "
                  "accepted");
    }

    QString dataDirError;
    if (!ensureDataDirectory(parser.value(dataDirOption), &dataDirError))
        return fail(ExitUsageError, dataDirError);

    // A controller that goes away must not take the server with it when we answer on stdout.
    std::signal(SIGPIPE, SIG_IGN);
    UnixSignalWatcher signalWatcher;
    signalWatcher.watch(SIGTERM);
    signalWatcher.watch(SIGINT);

    ChatServer server;
    server.setTokenStore(tokens);
    QString listenError;
    if (!server.listen(host, static_cast<quint16>(port), &listenError))
        return fail(ExitRuntimeError,
                    QStringLiteral("cannot listen on %1 port %2: %3")
                        .arg(hostText)
                        .arg(port)
                        .arg(listenError));

    std::printf("listening %s\n", qUtf8Printable(server.url().toString()));
    std::fflush(stdout);

    AdminConsole console;
    QObject::connect(&console, &AdminConsole::throttleRequested, &server,
                     &ChatServer::setThrottled);
    QObject::connect(&console, &AdminConsole::unthrottleRequested, &server,
                     [&server] { server.setThrottled({}); });
    QObject::connect(&console, &AdminConsole::kickRequested, &server, &ChatServer::kickAll);
    QObject::connect(&console, &AdminConsole::quitRequested, &server, &ChatServer::shutDown);
    QObject::connect(&signalWatcher, &UnixSignalWatcher::unixSignal, &server,
                     &ChatServer::shutDown);
    QObject::connect(&server, &ChatServer::shutDownFinished, &app, &QCoreApplication::quit);
    console.start();

    return QCoreApplication::exec();
}
