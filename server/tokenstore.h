#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace lifeline::server {

// Who may log in: the uid/token pairs of a tokens file, or dev mode, which accepts any non-empty
// uid and token. Only a SHA-256 digest of each token is kept, so a token never sits in memory
// longer than the parsing takes and can never end up in a log line by accident.
class TokenStore
{
public:
    // A store in dev mode.
    TokenStore() = default;

    // Reads "uid token" lines; blank lines and lines starting with '#' are skipped. On failure
    // returns false, names the file and the line in *error, and leaves the store unchanged.
    bool loadFile(const QString &path, QString *error);
    bool loadData(const QByteArray &data, QString *error);

    bool isDevMode() const { return m_devMode; }
    qsizetype userCount() const { return m_digests.size(); }

    // True if uid may log in with token. Empty uids and tokens are always refused.
    bool check(const QString &uid, const QString &token) const;

    // Compares without an early exit, so the time taken does not say how much of a guess was
    // right; it depends only on the length of b, the untrusted side.
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

private:
    static QByteArray digest(const QString &token);

    bool m_devMode = true;
    QHash<QString, QByteArray> m_digests;
};

} // namespace lifeline::server
