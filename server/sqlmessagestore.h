#pragma once

#include "messagestore.h"

#include <memory>

namespace lifeline::server {

// MessageStore on QtSql; today SQLite (QSQLITE) in one file. An append is on disk when it
// returns: WAL journal with synchronous=FULL, so neither a SIGKILL nor a power cut after the
// acknowledgement loses it. The file is locked exclusively while open, so a second server on
// the same data directory is refused instead of sharing the seq counter.
//
// The queries are plain SQL with bound values that PostgreSQL runs as well; what differs per
// driver (the DDL, SQLite's pragmas) is in one place, setUpSchema().
class SqlMessageStore : public MessageStore
{
public:
    SqlMessageStore();
    ~SqlMessageStore() override;

    SqlMessageStore(const SqlMessageStore &) = delete;
    SqlMessageStore &operator=(const SqlMessageStore &) = delete;

    // The database's file name in the server's data directory.
    static QString fileName();

    // Opens the SQLite database at path, creating it if missing. On failure says why in *error
    // and stays closed.
    bool open(const QString &path, QString *error);
    bool isOpen() const { return m_connection != nullptr; }
    // Releases the file; the destructor does it too.
    void close();

    bool append(const QList<StoredMessage> &messages, QList<Appended> *results,
                QString *error) override;
    bool readAfter(qint64 after, int limit, QList<StoredMessage> *messages,
                   QString *error) override;
    bool seqOf(const QString &id, qint64 *seq, QString *error) override;
    qint64 oldestSeq() const override { return m_oldest; }
    qint64 newestSeq() const override { return m_newest; }
    void setRetention(qint64 count) override { m_retention = count; }

private:
    struct Connection;

    bool setUpSchema(QString *error);
    bool prepareStatements(QString *error);
    bool readBounds(qint64 *oldest, qint64 *newest, QString *error);

    std::unique_ptr<Connection> m_connection;
    // Kept here rather than asked for: this process is the only writer (the file is locked).
    qint64 m_oldest = 0;
    qint64 m_newest = 0;
    qint64 m_retention = 0;
};

} // namespace lifeline::server
