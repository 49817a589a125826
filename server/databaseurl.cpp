#include "databaseurl.h"

#include <QRegularExpression>
#include <QSqlDatabase>
#include <QUrl>
#include <QUrlQuery>

namespace lifeline::server {

namespace {

const QString Usage = QStringLiteral(
    "give it as postgresql://[user[:password]@][host][:port]/dbname, with ?host=/dir for a "
    "Unix socket directory");

// What libpq is told unless the URL says otherwise: an unreachable database at start is an
// error within seconds, not a server that hangs before it listens, and a database host that
// goes silent is noticed within about 20 s (TCP keepalives), not after the kernel's 2 hours.
const std::pair<QString, QString> Defaults[] = {
    {QStringLiteral("connect_timeout"), QStringLiteral("10")},
    {QStringLiteral("keepalives_idle"), QStringLiteral("10")},
    {QStringLiteral("keepalives_interval"), QStringLiteral("3")},
    {QStringLiteral("keepalives_count"), QStringLiteral("3")},
    {QStringLiteral("tcp_user_timeout"), QStringLiteral("20000")},
};

// Parameters whose values a log line must not show.
bool isSecret(const QString &key)
{
    return key == QLatin1String("sslpassword");
}

} // namespace

DatabaseUrl DatabaseUrl::parse(const QString &text, QString *error)
{
    // The URL may hold a password: the message names what is wrong, never the URL.
    const auto invalid = [error](const QString &why) {
        *error = QStringLiteral("--database: %1; %2").arg(why, Usage);
        return DatabaseUrl();
    };
    const QUrl url(text, QUrl::StrictMode);
    // Not QUrl::errorString(): it quotes the whole URL, password included.
    if (!url.isValid())
        return invalid(QStringLiteral("this is not a valid URL"));
    if (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres"))
        return invalid(QStringLiteral("the scheme must be postgresql://"));
    if (url.hasFragment())
        return invalid(QStringLiteral("a URL of a database has no #fragment"));

    DatabaseUrl result;
    result.m_host = url.host(QUrl::FullyDecoded);
    result.m_port = url.port(-1);
    result.m_userName = url.userName(QUrl::FullyDecoded);
    result.m_password = url.password(QUrl::FullyDecoded);
    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    result.m_databaseName = path;

    static const QRegularExpression keyPattern(QStringLiteral("^[a-z_]+$"));
    QStringList given;
    const QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!keyPattern.match(key).hasMatch())
            return invalid(QStringLiteral("\"%1\" is not a libpq parameter name").arg(key));
        // Qt hands the options to libpq separated by ';', and the values are not quoted.
        if (value.contains(QLatin1Char(';')) || value.contains(QLatin1Char(' '))
            || value.contains(QLatin1Char('\'')) || value.contains(QLatin1Char('\\')))
            return invalid(
                QStringLiteral("the value of \"%1\" may not contain ; ' \\ or a space").arg(key));
        if (key == QLatin1String("host")) {
            result.m_host = value;
        } else if (key == QLatin1String("port")) {
            bool ok = false;
            result.m_port = value.toInt(&ok);
            if (!ok || result.m_port < 1 || result.m_port > 65535)
                return invalid(
                    QStringLiteral("port \"%1\" is not a number from 1 to 65535").arg(value));
        } else if (key == QLatin1String("user")) {
            result.m_userName = value;
        } else if (key == QLatin1String("password")) {
            result.m_password = value;
        } else if (key == QLatin1String("dbname")) {
            result.m_databaseName = value;
        } else {
            given.append(key);
            result.m_connectOptions.append(key + QLatin1Char('=') + value);
        }
    }
    if (result.m_host.contains(QLatin1Char(',')))
        return invalid(QStringLiteral("one host only; for several instances, start one "
                                      "lifeline-server per database host"));
    if (result.m_databaseName.isEmpty())
        return invalid(QStringLiteral("the URL names no database"));
    for (const auto &[key, value] : Defaults) {
        if (!given.contains(key))
            result.m_connectOptions.append(key + QLatin1Char('=') + value);
    }
    return result;
}

void DatabaseUrl::applyTo(QSqlDatabase &db) const
{
    db.setHostName(m_host);
    db.setPort(m_port);
    db.setUserName(m_userName);
    db.setPassword(m_password);
    db.setDatabaseName(m_databaseName);
    db.setConnectOptions(m_connectOptions.join(QLatin1Char(';')));
}

QString DatabaseUrl::toDisplayString() const
{
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setUserName(m_userName);
    const bool socketDirectory = m_host.startsWith(QLatin1Char('/'));
    if (!socketDirectory)
        url.setHost(m_host);
    url.setPort(m_port);
    url.setPath(QLatin1Char('/') + m_databaseName);
    QUrlQuery query;
    if (socketDirectory)
        query.addQueryItem(QStringLiteral("host"), m_host);
    for (const QString &option : m_connectOptions) {
        const qsizetype equals = option.indexOf(QLatin1Char('='));
        const QString key = option.left(equals);
        query.addQueryItem(key,
                           isSecret(key) ? QStringLiteral("(hidden)") : option.mid(equals + 1));
    }
    url.setQuery(query);
    return url.toString();
}

} // namespace lifeline::server
