#include "adminconsole.h"
#include "chatserver.h"
#include "clientconnection.h"
#include "loggingcategories_p.h"
#include "sqlmessagestore.h"
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

// The value of a numeric option, from min to max; false with the reason in *error otherwise.
bool readNumber(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min,
                qint64 max, qint64 *value, QString *error)
{
    const QString text = parser.value(option);
    bool ok = false;
    *value = text.toLongLong(&ok);
    if (ok && *value >= min && *value <= max)
        return true;
    *error = QStringLiteral("--%1 \"%2\" is not a number from %3 to %4 (see --help)")
                 .arg(option.names().constFirst(), text)
                 .arg(min)
                 .arg(max);
    return false;
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
                       "listen; 2 for bad arguments, a bad tokens file, an unusable data "
                       "directory or a message store that cannot be opened.")
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
    const QCommandLineOption retainOption(
        QStringLiteral("retain"),
        QStringLiteral("Keep the newest N messages; older ones are deleted (default: 100000)."),
        QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption rateOption(
        QStringLiteral("rate"),
        QStringLiteral("Messages a second each connection may send; 0 turns the rate limit "
                       "off (default: 20)."),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption burstOption(
        QStringLiteral("burst"),
        QStringLiteral("Messages a connection may send at once, above the rate (default: 50)."),
        QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption cooldownOption(
        QStringLiteral("throttle-cooldown"),
        QStringLiteral("Milliseconds a connection must stay within its rate limit before the "
                       "throttling it earned is lifted (default: 5000)."),
        QStringLiteral("ms"), QStringLiteral("5000"));
    const QCommandLineOption typingTimeoutOption(
        QStringLiteral("typing-timeout"),
        QStringLiteral("Milliseconds without a typing frame after which a typer counts as "
                       "stopped (default: 6000)."),
        QStringLiteral("ms"), QStringLiteral("6000"));
    // The protocol's limit is the default and the most a server may allow.
    const qint64 protocolMaxTextBytes = ClientConnection::Limits().maxTextBytes;
    const QCommandLineOption maxTextOption(
        QStringLiteral("max-text-bytes"),
        QStringLiteral("Longest text of a message in bytes of UTF-8, at most the protocol's "
                       "%1 (default: %1).")
            .arg(protocolMaxTextBytes),
        QStringLiteral("N"), QString::number(protocolMaxTextBytes));
    parser.addOptions({hostOption, portOption, dataDirOption, tokensOption, retainOption,
                       rateOption, burstOption, cooldownOption, typingTimeoutOption,
                       maxTextOption});

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

    // Above a million messages a second or a day of cooldown, a number is a mistake.
    constexpr qint64 MaxRate = 1000000;
    constexpr qint64 MaxMs = 24 * 3600 * 1000;
    qint64 retain = 0;
    qint64 rate = 0;
    qint64 burst = 0;
    qint64 cooldownMs = 0;
    qint64 typingTimeoutMs = 0;
    qint64 maxTextBytes = 0;
    QString numberError;
    if (!readNumber(parser, retainOption, 1, Q_INT64_C(1) << 53, &retain, &numberError)
        || !readNumber(parser, rateOption, 0, MaxRate, &rate, &numberError)
        || !readNumber(parser, burstOption, 1, MaxRate, &burst, &numberError)
        || !readNumber(parser, cooldownOption, 1, MaxMs, &cooldownMs, &numberError)
        || !readNumber(parser, typingTimeoutOption, 1, MaxMs, &typingTimeoutMs, &numberError)
        || !readNumber(parser, maxTextOption, 1, protocolMaxTextBytes, &maxTextBytes, &numberError))
        return fail(ExitUsageError, numberError);

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

    SqlMessageStore store;
    QString storeError;
    if (!store.open(QDir(parser.value(dataDirOption)).filePath(SqlMessageStore::fileName()),
                    &storeError))
        return fail(ExitUsageError,
                    QStringLiteral("cannot open the message store %1").arg(storeError));
    store.setRetention(retain);
    qCInfo(lcServer, "message store: seq %lld to %lld, keeping the newest %lld messages",
           static_cast<long long>(store.oldestSeq()), static_cast<long long>(store.newestSeq()),
           static_cast<long long>(retain));

    // A controller that goes away must not take the server with it when we answer on stdout.
    std::signal(SIGPIPE, SIG_IGN);
    UnixSignalWatcher signalWatcher;
    signalWatcher.watch(SIGTERM);
    signalWatcher.watch(SIGINT);

    ChatServer server(&store);
    server.setTokenStore(tokens);
    ClientConnection::Limits limits;
    limits.ratePerSecond = int(rate);
    limits.burst = int(burst);
    limits.throttleCooldownMs = int(cooldownMs);
    limits.maxTextBytes = int(maxTextBytes);
    server.setConnectionLimits(limits);
    server.setTypingTimeout(int(typingTimeoutMs));
    if (rate == 0)
        qCInfo(lcServer, "no rate limit (--rate 0)");
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
