#pragma once

#include "sessionclient.h"

namespace lifeline::bench {

// A sender with no outbox and no store: a session client that logs in as uid and, once
// start()ed, sends count messages with up to window of them unacknowledged, the next one going
// out as an ack comes back. What many busy apps look like to the server's message path.
class WindowedSender : public QObject
{
    Q_OBJECT
public:
    // Connects at once.
    WindowedSender(const QUrl &url, const QString &uid, int count, int window,
                   QObject *parent = nullptr);

    QString uid() const { return m_uid; }
    // The text of every message: a short chat line.
    static QString text();

    // Sends the first window of messages; finished() once all are acknowledged.
    void start();

Q_SIGNALS:
    // Logged in: start() may be called.
    void welcomed();
    // Every message is acknowledged.
    void finished();
    // The connection was lost, or the server answered other than with an ack.
    void failed(const QString &why);

private:
    void handleFrame(const lifeline::protocol::Frame &frame, const QString &text);
    void sendNext();
    void fail(const QString &why);

    testkit::SessionClient m_session;
    QString m_uid;
    int m_count;
    int m_window;
    int m_sent = 0;
    bool m_failed = false;
};

} // namespace lifeline::bench
