#include "adminconsole.h"
#include "chatserver.h"
#include "clientconnection.h"
#include "databaseurl.h"
#include "epolleventdispatcher.h"
#include "fastpaths.h"
#include "loggingcategories_p.h"
#include "postgreslistener.h"
#include "postgresmessagestore.h"
#include "postgrespresence.h"
#include "sqlmessagestore.h"
#include "tlsserver.h"
#include "tokenstore.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QHostInfo>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QUrl>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace lifeline::server;

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
    if (info.isDir()) {
        constexpr QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
            | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
            | QFileDevice::ExeOther;
        // The messages are in there; an existing directory is the admin's to change, not ours.
        if (info.permissions() & others)
            qCWarning(lcServer,
                      "the data directory %s can be read by other users; \"chmod 700\" it",
                      qUtf8Printable(path));
        return true;
    }
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

bool readFile(const QString &what, const QString &path, QByteArray *data, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the %1 %2: %3").arg(what, path, file.errorString());
        return false;
    }
    *data = file.readAll();
    return true;
}

// The TLS setup of --tls-cert and --tls-key; false with what is wrong in *error otherwise.
bool loadTls(const QString &certPath, const QString &keyPath, QSslConfiguration *tls,
             QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS is not available: Qt found no TLS backend (%1); install "
                                "OpenSSL 3")
                     .arg(QSslSocket::sslLibraryBuildVersionString());
        return false;
    }
    QByteArray certData;
    QByteArray keyData;
    if (!readFile(QStringLiteral("certificate file"), certPath, &certData, error)
        || !readFile(QStringLiteral("private key file"), keyPath, &keyData, error))
        return false;
    // The server's certificate first, then the intermediates that lead to the CA, as in the
    // files that certbot and most CAs hand out.
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certData, QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull()) {
        *error = QStringLiteral("the certificate file %1 holds no PEM certificate (-----BEGIN "
                                "CERTIFICATE-----)")
                     .arg(certPath);
        return false;
    }
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(keyData, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("the private key file %1 holds no unencrypted PEM RSA, EC or "
                                "DSA private key (a key with a passphrase cannot be used)")
                     .arg(keyPath);
        return false;
    }
    const QSslCertificate &certificate = chain.constFirst();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Served all the same, so that clients can be tested against it; they will refuse it.
    if (certificate.expiryDate() < now || certificate.effectiveDate() > now)
        qCWarning(lcServer,
                  "the certificate in %s is valid from %s to %s only; clients will "
                  "refuse it",
                  qUtf8Printable(certPath),
                  qUtf8Printable(certificate.effectiveDate().toString(Qt::ISODate)),
                  qUtf8Printable(certificate.expiryDate().toString(Qt::ISODate)));
    *tls = QSslConfiguration::defaultConfiguration();
    tls->setLocalCertificateChain(chain);
    tls->setPrivateKey(key);
    tls->setProtocol(QSsl::TlsV1_2OrLater);
    // Clients log in with a token, not with a certificate.
    tls->setPeerVerifyMode(QSslSocket::VerifyNone);
    QString selfTestError;
    if (!TlsServer::selfTest(*tls, &selfTestError)) {
        *error = QStringLiteral("the private key in %1 and the certificate in %2 do not work "
                                "together (%3); give the key the certificate was made for")
                     .arg(keyPath, certPath, selfTestError);
        return false;
    }
    return true;
}

// --instance, or the host name and the port; before a port 0 is replaced by the real one, the
// process id stands in for it.
QString instanceName(const QCommandLineParser &parser, const QCommandLineOption &option, int port)
{
    if (parser.isSet(option))
        return parser.value(option);
    if (port == 0)
        return QStringLiteral("%1:pid%2").arg(QHostInfo::localHostName()).arg(getpid());
    return QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(port);
}

// Puts "[instance] " before every log line; an explicit QT_MESSAGE_PATTERN still wins.
void nameInLog(const QString &instance)
{
    qSetMessagePattern(
        QStringLiteral("[%1] %{if-category}%{category}: %{endif}%{message}").arg(instance));
}

// SIGHUP: the tokens file again, for the logins from now on; the connections stay. All
// instances of a cluster share the file, so an operator changes it once and signals each.
void reloadTokens(ChatServer *server, const QCommandLineParser &parser,
                  const QCommandLineOption &tokensOption)
{
    if (!parser.isSet(tokensOption)) {
        qCInfo(lcServer, "SIGHUP: dev mode has no tokens file to reload");
        return;
    }
    TokenStore tokens;
    QString error;
    if (!tokens.loadFile(parser.value(tokensOption), &error)) {
        qCWarning(lcServer, "SIGHUP: keeping the tokens loaded before: %s", qUtf8Printable(error));
        return;
    }
    server->setTokenStore(tokens);
    qCInfo(lcServer, "SIGHUP: reloaded the tokens file, %lld users",
           static_cast<long long>(tokens.userCount()));
}

// --import-sqlite: the single server's store, moved into the database; the exit code.
int importSqlite(PostgresMessageStore *database, const QString &dataDir)
{
    const QString path = QDir(dataDir).filePath(SqlMessageStore::fileName());
    if (!QFileInfo(path).isFile())
        return fail(ExitUsageError,
                    QStringLiteral("nothing to import: %1 does not exist; give the data "
                                   "directory of the single server (its --data-dir)")
                        .arg(path));
    SqlMessageStore source;
    QString error;
    if (!source.open(path, &error))
        return fail(ExitUsageError,
                    QStringLiteral("cannot open the store to import: %1").arg(error));
    qint64 count = 0;
    if (!database->importFrom(source, &count, &error))
        return fail(ExitUsageError, QStringLiteral("nothing was imported: %1").arg(error));
    std::printf("imported %lld messages, seq %lld to %lld\n", static_cast<long long>(count),
                static_cast<long long>(source.oldestSeq()),
                static_cast<long long>(source.newestSeq()));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's event loops cost O(connections) a turn: GLib's walks lists of every socket notifier,
    // Qt's own hands poll() every socket. epoll does neither (see EpollEventDispatcher; the
    // figures are in docs/benchmarks.md). The loop must be in place before the application
    // object, so its flag is read before the others.
    QString eventLoopError;
    const std::optional<FastPaths::EventLoop> eventLoop
        = FastPaths::eventLoop(argc, argv, &eventLoopError);
    if (eventLoop == FastPaths::EventLoop::Epoll)
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lifeline-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFELINE_VERSION));

    // No organization name: the default data directory is ~/.local/share/lifeline-server.
    const QString defaultDataDir
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The Lifeline chat server (protocol version 1, docs/protocol.md).\n"
                       "The first line on stdout is \"listening ws://HOST:PORT\" (wss:// with "
                       "--tls-cert) with the real port.\n\n%1\n\n"
                       "SIGTERM and SIGINT close every client with 1001 and exit; SIGHUP "
                       "reloads the tokens file for the logins that follow.\n"
                       "Exit codes: 0 after quit, SIGTERM or SIGINT; 1 if the server cannot "
                       "listen; 2 for bad arguments, a bad tokens file, bad TLS files, an "
                       "unusable data directory, or a message store or database that cannot be "
                       "opened.")
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
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        QStringLiteral("Store the messages in this PostgreSQL database instead of SQLite in the "
                       "data directory, shared with every instance given the same URL: "
                       "postgresql://[user[:password]@][host][:port]/dbname, with ?host=/dir for "
                       "a Unix socket directory and libpq parameters such as ?sslmode=verify-full. "
                       "Leave the password out to take it from PGPASSWORD or ~/.pgpass "
                       "(docs/scaling.md)."),
        QStringLiteral("url"));
    const QCommandLineOption importOption(
        QStringLiteral("import-sqlite"),
        QStringLiteral("With --database: copy the messages of the single server whose data "
                       "directory is dir into the database, which must be new, keeping every seq "
                       "and id so that the clients' cursors stay valid; then exit. Stop that "
                       "server first."),
        QStringLiteral("dir"));
    const QCommandLineOption proxyProtocolOption(
        QStringLiteral("proxy-protocol"),
        QStringLiteral("Every connection comes from a load balancer that starts it with a PROXY "
                       "protocol header (version 1 or 2, e.g. HAProxy's send-proxy-v2): limits "
                       "and logs use the client's address from it, and a connection without "
                       "one is dropped. Not with --tls-cert: terminate TLS at the balancer."));
    const QCommandLineOption instanceOption(
        QStringLiteral("instance"),
        QStringLiteral("This instance's name in logs (default: host name and port)."),
        QStringLiteral("name"));
    const QCommandLineOption retainOption(
        QStringLiteral("retain"),
        QStringLiteral("Keep the newest N messages; older ones are deleted (default: %1). With "
                       "--database the value is the database's, for every instance: the last "
                       "instance started with --retain sets it.")
            .arg(PostgresMessageStore::DefaultRetention),
        QStringLiteral("N"), QString::number(PostgresMessageStore::DefaultRetention));
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
    const QCommandLineOption tlsCertOption(
        QStringLiteral("tls-cert"),
        QStringLiteral("Serve wss:// with this PEM certificate file: the server's certificate, "
                       "then any intermediate ones. Needs --tls-key."),
        QStringLiteral("file"));
    const QCommandLineOption tlsKeyOption(
        QStringLiteral("tls-key"), QStringLiteral("The unencrypted PEM private key of --tls-cert."),
        QStringLiteral("file"));
    const QCommandLineOption allowOriginOption(
        QStringLiteral("allow-origin"),
        QStringLiteral("Accept WebSocket handshakes whose Origin header is exactly this, e.g. "
                       "https://chat.example; repeat for more. Handshakes without an Origin "
                       "(native clients) are always accepted, those with another Origin (web "
                       "pages) get HTTP 403 (default: none)."),
        QStringLiteral("origin"));
    const QCommandLineOption handshakeTimeoutOption(
        QStringLiteral("handshake-timeout"),
        QStringLiteral("Milliseconds a connection has to complete the TLS and WebSocket "
                       "handshakes before it is dropped (default: %1).")
            .arg(ChatServer::DefaultHandshakeTimeoutMs),
        QStringLiteral("ms"), QString::number(ChatServer::DefaultHandshakeTimeoutMs));
    const qint64 defaultIdleTimeoutMs = ClientConnection::Limits().idleTimeoutMs;
    const QCommandLineOption idleTimeoutOption(
        QStringLiteral("idle-timeout"),
        QStringLiteral("Milliseconds a connection may send nothing, not even a WebSocket ping, "
                       "before it is closed with 4004; keep it above the clients' heartbeat "
                       "interval (default: %1, three of the app's 10 s heartbeats).")
            .arg(defaultIdleTimeoutMs),
        QStringLiteral("ms"), QString::number(defaultIdleTimeoutMs));
    const QCommandLineOption maxConnectionsOption(
        QStringLiteral("max-connections"),
        QStringLiteral("Open connections the server takes in all; more are closed with 4005 "
                       "(default: %1).")
            .arg(ChatServer::DefaultMaxConnections),
        QStringLiteral("N"), QString::number(ChatServer::DefaultMaxConnections));
    const QCommandLineOption maxConnectionsPerIpOption(
        QStringLiteral("max-connections-per-ip"),
        QStringLiteral("Open connections the server takes from one IP address; more are closed "
                       "with 4005 (default: %1).")
            .arg(ChatServer::DefaultMaxConnectionsPerAddress),
        QStringLiteral("N"), QString::number(ChatServer::DefaultMaxConnectionsPerAddress));
    const QCommandLineOption commitBatchingOption(
        QStringLiteral("commit-batching"),
        QStringLiteral("on: the messages that arrive in one event-loop turn are stored in one "
                       "transaction, with one disk sync for all of them. off: one transaction "
                       "and one disk sync per message, which only serves to measure what "
                       "batching saves (default: on)."),
        QStringLiteral("on|off"), QStringLiteral("on"));
    const QCommandLineOption transportOption(
        QStringLiteral("transport"),
        QStringLiteral("raw: text frames are encoded once per broadcast and written to the "
                       "socket under Qt's WebSocket, straight to the kernel when nothing waits "
                       "before them. qt: each through QWebSocket. Default: raw on Qt %1, which "
                       "it was checked on, qt on any other; LIFELINE_TRANSPORT sets it too.")
            .arg(FastPaths::checkedQtVersion()),
        QStringLiteral("raw|qt"));
    const QCommandLineOption eventLoopOption(
        QStringLiteral("event-loop"),
        QStringLiteral("epoll: the server's own event loop on Linux epoll, whose turn does not "
                       "grow with the connections. qt: Qt's. Default: epoll on Qt %1, which it "
                       "was checked on, qt on any other; LIFELINE_EVENT_LOOP sets it too.")
            .arg(FastPaths::checkedQtVersion()),
        QStringLiteral("epoll|qt"));
    parser.addOptions({hostOption,           portOption,           dataDirOption,
                       databaseOption,       importOption,         instanceOption,
                       proxyProtocolOption,  tokensOption,         retainOption,
                       rateOption,           burstOption,          cooldownOption,
                       typingTimeoutOption,  maxTextOption,        tlsCertOption,
                       tlsKeyOption,         allowOriginOption,    handshakeTimeoutOption,
                       idleTimeoutOption,    maxConnectionsOption, maxConnectionsPerIpOption,
                       commitBatchingOption, transportOption,      eventLoopOption});

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
    qint64 handshakeTimeoutMs = 0;
    qint64 idleTimeoutMs = 0;
    qint64 maxConnections = 0;
    qint64 maxConnectionsPerIp = 0;
    // More connections than file descriptors a process can have is a mistake.
    constexpr qint64 MaxConnections = 1000000;
    QString numberError;
    if (!readNumber(parser, retainOption, 1, Q_INT64_C(1) << 53, &retain, &numberError)
        || !readNumber(parser, rateOption, 0, MaxRate, &rate, &numberError)
        || !readNumber(parser, burstOption, 1, MaxRate, &burst, &numberError)
        || !readNumber(parser, cooldownOption, 1, MaxMs, &cooldownMs, &numberError)
        || !readNumber(parser, typingTimeoutOption, 1, MaxMs, &typingTimeoutMs, &numberError)
        || !readNumber(parser, maxTextOption, 1, protocolMaxTextBytes, &maxTextBytes, &numberError)
        || !readNumber(parser, handshakeTimeoutOption, 1, MaxMs, &handshakeTimeoutMs, &numberError)
        || !readNumber(parser, idleTimeoutOption, 1, MaxMs, &idleTimeoutMs, &numberError)
        || !readNumber(parser, maxConnectionsOption, 1, MaxConnections, &maxConnections,
                       &numberError)
        || !readNumber(parser, maxConnectionsPerIpOption, 1, MaxConnections, &maxConnectionsPerIp,
                       &numberError))
        return fail(ExitUsageError, numberError);

    if (!eventLoop)
        return fail(ExitUsageError, eventLoopError);
    QString transportError;
    const std::optional<FrameTransport::Kind> transport
        = FastPaths::transport(parser.value(transportOption), &transportError);
    if (!transport)
        return fail(ExitUsageError, transportError);

    const QString commitBatching = parser.value(commitBatchingOption);
    if (commitBatching != QLatin1String("on") && commitBatching != QLatin1String("off"))
        return fail(ExitUsageError,
                    QStringLiteral("--commit-batching \"%1\" is neither on nor off (see --help)")
                        .arg(commitBatching));

    const QStringList allowedOrigins = parser.values(allowOriginOption);
    for (const QString &origin : allowedOrigins) {
        // What a browser sends: scheme://host[:port], nothing more.
        const QUrl url(origin, QUrl::StrictMode);
        if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty()
            || !url.path().isEmpty() || url.hasQuery() || url.hasFragment()
            || !url.userInfo().isEmpty())
            return fail(ExitUsageError,
                        QStringLiteral("--allow-origin \"%1\" is not an origin like "
                                       "https://chat.example or http://localhost:8080 (see --help)")
                            .arg(origin));
    }

    QSslConfiguration tls;
    // The header would have to be read off the raw connection before the TLS handshake, which
    // QSslSocket reads ahead of.
    if (parser.isSet(proxyProtocolOption) && parser.isSet(tlsCertOption))
        return fail(ExitUsageError,
                    QStringLiteral("--proxy-protocol and --tls-cert do not go together: let the "
                                   "load balancer terminate TLS, or connect clients directly "
                                   "(see --help)"));
    if (parser.isSet(tlsCertOption) != parser.isSet(tlsKeyOption))
        return fail(ExitUsageError,
                    QStringLiteral("--tls-cert and --tls-key go together: give both for "
                                   "wss://, or neither for ws:// (see --help)"));
    if (parser.isSet(tlsCertOption)) {
        QString tlsError;
        if (!loadTls(parser.value(tlsCertOption), parser.value(tlsKeyOption), &tls, &tlsError))
            return fail(ExitUsageError, tlsError);
    }

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

    // With --database the messages are in PostgreSQL, shared with the other instances; the
    // data directory then holds nothing of them.
    SqlMessageStore sqliteStore;
    PostgresMessageStore postgresStore;
    PostgresListener listener;
    PostgresPresence presence;
    MessageStore *store = &sqliteStore;
    // Several instances write to one log collector: each line says whose it is, from the
    // database's first words on.
    const bool namesInstance = parser.isSet(instanceOption) || parser.isSet(databaseOption);
    if (namesInstance)
        nameInLog(instanceName(parser, instanceOption, port));
    if (parser.isSet(databaseOption)) {
        QString urlError;
        const DatabaseUrl url = DatabaseUrl::parse(parser.value(databaseOption), &urlError);
        if (!url.isValid())
            return fail(ExitUsageError, urlError);
        QString storeError;
        const QString instance = instanceName(parser, instanceOption, port);
        if (!postgresStore.open(url, instance, &storeError))
            return fail(ExitUsageError,
                        QStringLiteral("cannot use the database: %1; check that PostgreSQL runs "
                                       "there and that the URL, user and password are right")
                            .arg(storeError));
        if (parser.isSet(importOption))
            return importSqlite(&postgresStore, parser.value(importOption));
        if (!listener.start(url, instance,
                            {PostgresMessageStore::AppendedChannel,
                             PostgresPresence::PresenceChannel, PostgresPresence::TypingChannel},
                            &storeError))
            return fail(
                ExitUsageError,
                QStringLiteral("cannot listen for the other instances: %1").arg(storeError));
        postgresStore.follow(&listener);
        if (!presence.open(url, instance, &listener, &storeError))
            return fail(ExitUsageError,
                        QStringLiteral("cannot share presence with the other instances: %1")
                            .arg(storeError));
        if (parser.isSet(retainOption))
            postgresStore.setRetention(retain);
        store = &postgresStore;
        qCInfo(lcServer, "message store: %s, seq %lld to %lld",
               qUtf8Printable(url.toDisplayString()), static_cast<long long>(store->oldestSeq()),
               static_cast<long long>(store->newestSeq()));
    } else if (parser.isSet(importOption)) {
        return fail(ExitUsageError,
                    QStringLiteral("--import-sqlite needs --database: the PostgreSQL database to "
                                   "import into (see --help)"));
    } else {
        QString storeError;
        if (!sqliteStore.open(
                QDir(parser.value(dataDirOption)).filePath(SqlMessageStore::fileName()),
                &storeError))
            return fail(ExitUsageError,
                        QStringLiteral("cannot open the message store %1").arg(storeError));
        sqliteStore.setRetention(retain);
        qCInfo(lcServer, "message store: seq %lld to %lld, keeping the newest %lld messages",
               static_cast<long long>(store->oldestSeq()),
               static_cast<long long>(store->newestSeq()), static_cast<long long>(retain));
    }

    // A controller that goes away must not take the server with it when we answer on stdout.
    std::signal(SIGPIPE, SIG_IGN);
    UnixSignalWatcher signalWatcher;
    signalWatcher.watch(SIGTERM);
    signalWatcher.watch(SIGINT);
    signalWatcher.watch(SIGHUP);

    ChatServer server(store, tls);
    if (parser.isSet(databaseOption))
        server.setSharedPresence(&presence);
    server.setTokenStore(tokens);
    server.setProxyProtocol(parser.isSet(proxyProtocolOption));
    server.setHandshakeTimeout(int(handshakeTimeoutMs));
    server.setAllowedOrigins(allowedOrigins);
    server.setMaxConnections(int(maxConnections), int(maxConnectionsPerIp));
    ClientConnection::Limits limits;
    limits.ratePerSecond = int(rate);
    limits.burst = int(burst);
    limits.throttleCooldownMs = int(cooldownMs);
    limits.maxTextBytes = int(maxTextBytes);
    limits.idleTimeoutMs = int(idleTimeoutMs);
    server.setConnectionLimits(limits);
    server.setTypingTimeout(int(typingTimeoutMs));
    server.setFrameTransport(*transport);
    qCInfo(lcServer,
           "text frames through the %s transport, %s event loop (Qt %s; the fast paths "
           "are checked on Qt %s)",
           qUtf8Printable(FastPaths::nameOf(*transport)),
           qUtf8Printable(FastPaths::nameOf(*eventLoop)), qVersion(),
           qUtf8Printable(FastPaths::checkedQtVersion()));
    if (rate == 0)
        qCInfo(lcServer, "no rate limit (--rate 0)");
    if (commitBatching == QLatin1String("off")) {
        server.setCommitBatching(false);
        qCInfo(lcServer, "one commit per message (--commit-batching off)");
    }
    QString listenError;
    if (!server.listen(host, static_cast<quint16>(port), &listenError))
        return fail(ExitRuntimeError,
                    QStringLiteral("cannot listen on %1 port %2: %3")
                        .arg(hostText)
                        .arg(port)
                        .arg(listenError));

    // With the real port, the default name is final.
    if (namesInstance) {
        const QString instance = instanceName(parser, instanceOption, server.url().port());
        nameInLog(instance);
        qCInfo(lcServer, "instance %s", qUtf8Printable(instance));
    }

    std::printf("listening %s\n", qUtf8Printable(server.url().toString()));
    std::fflush(stdout);

    AdminConsole console;
    if (namesInstance)
        console.setInstanceName(instanceName(parser, instanceOption, server.url().port()));
    QObject::connect(&console, &AdminConsole::throttleRequested, &server,
                     &ChatServer::setThrottled);
    QObject::connect(&console, &AdminConsole::unthrottleRequested, &server,
                     [&server] { server.setThrottled({}); });
    QObject::connect(&console, &AdminConsole::kickRequested, &server, &ChatServer::kickAll);
    QObject::connect(&console, &AdminConsole::quitRequested, &server, &ChatServer::shutDown);
    QObject::connect(&signalWatcher, &UnixSignalWatcher::unixSignal, &server,
                     [&server, &parser, &tokensOption](int signalNumber) {
                         if (signalNumber == SIGHUP)
                             reloadTokens(&server, parser, tokensOption);
                         else
                             server.shutDown();
                     });
    QObject::connect(&server, &ChatServer::shutDownFinished, &app, &QCoreApplication::quit);
    console.start();

    return QCoreApplication::exec();
}
