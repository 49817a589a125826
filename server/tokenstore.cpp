#include "tokenstore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QList>

namespace lifeline::server {

bool TokenStore::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the tokens file %1: %2").arg(path, file.errorString());
        return false;
    }
    QString dataError;
    if (!loadData(file.readAll(), &dataError)) {
        *error = QStringLiteral("%1: %2").arg(path, dataError);
        return false;
    }
    return true;
}

bool TokenStore::loadData(const QByteArray &data, QString *error)
{
    QHash<QString, QByteArray> digests;
    QHash<QString, int> firstLine;
    const QList<QByteArray> lines = data.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const int lineNumber = i + 1;
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> fields = line.simplified().split(' ');
        // The line itself is never quoted in the error: it may hold a token.
        if (fields.size() != 2) {
            *error = QStringLiteral("line %1: a line must be \"uid token\", two fields "
                                    "separated by white space; this one has %2")
                         .arg(lineNumber)
                         .arg(fields.size());
            return false;
        }
        const QString uid = QString::fromUtf8(fields.at(0));
        if (const auto it = firstLine.constFind(uid); it != firstLine.constEnd()) {
            *error = QStringLiteral("line %1: uid \"%2\" is already listed on line %3")
                         .arg(lineNumber)
                         .arg(uid)
                         .arg(it.value());
            return false;
        }
        firstLine.insert(uid, lineNumber);
        digests.insert(uid, digest(QString::fromUtf8(fields.at(1))));
    }
    m_digests = digests;
    m_devMode = false;
    return true;
}

bool TokenStore::check(const QString &uid, const QString &token) const
{
    if (uid.isEmpty() || token.isEmpty())
        return false;
    if (m_devMode)
        return true;
    const auto it = m_digests.constFind(uid);
    // An unknown uid still costs one comparison, so that timing does not tell which uids exist.
    static const QByteArray unknownUser = digest(QStringLiteral("\n unknown user \n"));
    const QByteArray &expected = it == m_digests.constEnd() ? unknownUser : it.value();
    const bool equal = constantTimeEquals(expected, digest(token));
    return equal && it != m_digests.constEnd();
}

bool TokenStore::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    unsigned difference = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < b.size(); ++i) {
        const char expected = a.isEmpty() ? '\0' : a.at(i % a.size());
        difference |= static_cast<unsigned char>(expected ^ b.at(i));
    }
    return difference == 0;
}

QByteArray TokenStore::digest(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace lifeline::server
