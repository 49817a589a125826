#pragma once

#include <lifeline/messenger.h>

#include <QList>
#include <QSet>
#include <QStringList>

namespace lifeline::testkit {

// One chat user for the tests: a connection and a messenger, logged in, and everything it was
// told. It reconnects quickly and never gives up, so a test sees delivery, not retry policy.
struct ChatClient
{
    ChatClient(const QString &uid, const QUrl &url, const QString &dataDir, bool automatic = true,
               int maxPendingMessages = 10000);
    // With the instances of a cluster: it fails over between them.
    ChatClient(const QString &uid, const QList<QUrl> &urls, const QString &dataDir);

    static lifeline::AppSettings settings(const QUrl &url, const QString &dataDir,
                                          bool automatic = true, int maxPendingMessages = 10000);
    static lifeline::AppSettings settings(const QList<QUrl> &urls, const QString &dataDir,
                                          bool automatic = true, int maxPendingMessages = 10000);

    // Until sending goes out at once (the session is up).
    bool waitConnected(int timeoutMs = 10000);
    // Until nothing is pending and the messenger has told of the delivery of every message
    // queued through this client.
    bool waitAllDelivered(int timeoutMs = 10000);
    QStringList receivedTexts() const;

private:
    void start(const lifeline::AppSettings &settings);

public:
    QString uid;
    lifeline::ConnectionManager connection;
    lifeline::Messenger messenger {&connection};
    QList<lifeline::ChatMessage> received;
    // The messages queued through this client that the messenger has not yet told were
    // delivered (or failed).
    QSet<QString> untold;
};

} // namespace lifeline::testkit
