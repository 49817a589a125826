#pragma once

#include "databaseurl.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace lifeline::server {

class PostgresConnection;

// The one connection of an instance that LISTENs for what the other instances announce (new
// messages, presence, typing), and the instance's clock for checks against the database.
//
// PostgreSQL delivers a notice at commit, in commit order, but only to a connection that is
// listening right then: a killed backend or a restarted server loses notices. So every
// CheckIntervalMs the listener makes sure it is connected (reconnecting and listening again
// if not, then emitting resumed()) and emits checked(), on which each user reads what it may
// have missed.
class PostgresListener : public QObject
{
    Q_OBJECT
public:
    static constexpr int CheckIntervalMs = 1000;

    explicit PostgresListener(QObject *parent = nullptr);
    ~PostgresListener() override;

    // Connects, listens on channels and starts the checks; false with the reason in *error.
    bool start(const DatabaseUrl &url, const QString &instance, const QStringList &channels,
               QString *error);

Q_SIGNALS:
    void notified(const QString &channel, const QString &payload);
    // Listening again after the connection was lost: notices may have been missed.
    void resumed();
    // Every CheckIntervalMs, connected or not.
    void checked();

private:
    bool listen(QString *error);
    void check();

    DatabaseUrl m_url;
    QString m_applicationName;
    QStringList m_channels;
    std::unique_ptr<PostgresConnection> m_connection;
    QTimer m_timer;
};

} // namespace lifeline::server
