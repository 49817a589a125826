#include "sessionstore.h"

#include "errors.h"
#include "loggingcategories_p.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace lifeline {

namespace {
const QString appIdKey = QStringLiteral("appId");
const QString uidKey = QStringLiteral("uid");
const QString tokenKey = QStringLiteral("token");
constexpr auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

ChatError cannotSave(const QString &problem)
{
    return errors::storage(problem + QStringLiteral("; check the data directory."));
}
} // namespace

SessionStore::SessionStore(const QString &dataDirectory)
    : m_directory(dataDirectory)
{ }

QString SessionStore::filePath() const
{
    return QDir(m_directory).filePath(QStringLiteral("session.json"));
}

std::optional<Session> SessionStore::load() const
{
    QFile file(filePath());
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcConnection, "cannot read the saved session %s: %s",
                  qUtf8Printable(file.fileName()), qUtf8Printable(file.errorString()));
        return std::nullopt;
    }
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    Session session {object.value(appIdKey).toString(), object.value(uidKey).toString(),
                     object.value(tokenKey).toString()};
    if (session.uid.isEmpty() || session.token.isEmpty()) {
        qCWarning(lcConnection, "ignoring a damaged session file %s",
                  qUtf8Printable(file.fileName()));
        return std::nullopt;
    }
    return session;
}

Result<> SessionStore::save(const Session &session) const
{
    if (!QDir().mkpath(m_directory))
        return cannotSave(QStringLiteral("cannot create the data directory %1").arg(m_directory));
    const QString target = filePath();
    const QString temporary = target + QStringLiteral(".new");
    QFile::remove(temporary);
    QFile file(temporary);
    // Created with owner-only permissions from the first byte: the token is never readable
    // by others, not even for a moment.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly))
        return cannotSave(QStringLiteral("cannot write %1: %2").arg(temporary, file.errorString()));
    const QJsonObject object {
        {appIdKey, session.appId}, {uidKey, session.uid}, {tokenKey, session.token}};
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (file.write(bytes) != bytes.size() || !file.flush() || ::fsync(file.handle()) != 0) {
        const QString why = file.errorString();
        file.close();
        file.remove();
        return cannotSave(QStringLiteral("cannot write %1: %2").arg(temporary, why));
    }
    file.close();
    // rename(2) replaces the old file atomically, which QFile::rename() does not do.
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(target).constData())
        != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        QFile::remove(temporary);
        return cannotSave(QStringLiteral("cannot replace %1: %2").arg(target, why));
    }
    return {};
}

Result<> SessionStore::remove() const
{
    QFile file(filePath());
    if (file.exists() && !file.remove())
        return errors::storage(QStringLiteral("cannot delete %1: %2; delete the file by hand.")
                                   .arg(file.fileName(), file.errorString()));
    return {};
}

} // namespace lifeline
