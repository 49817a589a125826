#pragma once

#include "result.h"

#include <QString>

#include <optional>

namespace lifeline {

struct Session
{
    QString appId;
    QString uid;
    QString token;
};

// The saved login in the data directory. The file holds a token, so it is created readable
// and writable by its owner only, and replaced atomically so a crash never leaves half a file.
class SessionStore
{
public:
    explicit SessionStore(const QString &dataDirectory = {});

    QString filePath() const;
    // No session when there is none, or when the file is unreadable or not ours (logged).
    std::optional<Session> load() const;
    // Fails with ERR_STORAGE, saying what to do.
    Result<> save(const Session &session) const;
    Result<> remove() const;

private:
    QString m_directory;
};

} // namespace lifeline
