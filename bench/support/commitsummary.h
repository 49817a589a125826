#pragma once

#include <QList>
#include <QMetaObject>

namespace lifeline::harness {
class BundledServer;
}

namespace lifeline::bench {

// What lifeline-server instances said at exit of their commits (the category
// lifeline.server.stats): the messages stored and the commits they took, added up.
struct CommitSummary
{
    CommitSummary() = default;
    ~CommitSummary();
    Q_DISABLE_COPY_MOVE(CommitSummary)

    qint64 messages = 0;
    qint64 commits = 0;
    int servers = 0; // that said it

    // Adds what server says at exit, for as long as this summary lives.
    void listenTo(harness::BundledServer &server);
    double messagesPerCommit() const
    {
        return commits > 0 ? double(messages) / double(commits) : 0.0;
    }

private:
    QList<QMetaObject::Connection> m_connections;
};

} // namespace lifeline::bench
