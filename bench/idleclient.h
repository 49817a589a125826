#pragma once

#include <QObject>
#include <QString>

class QTimer;
class QUrl;
class QWebSocket;

// One idle app as the server sees it: a WebSocket that logs in as uid, catches up from seq 0 and
// from then on only sends a WebSocket ping every pingIntervalMs, as the SDK's heartbeat does. It
// reads every frame, so that nothing piles up in the server's buffers for it.
class IdleClient : public QObject
{
    Q_OBJECT
public:
    // Connects at once.
    IdleClient(const QUrl &url, const QString &uid, int pingIntervalMs, QObject *parent = nullptr);
    ~IdleClient() override;

    QString uid() const { return m_uid; }
    bool isReady() const { return m_ready; }
    // Pongs received since the client became ready.
    qint64 pongs() const { return m_pongs; }

Q_SIGNALS:
    // Welcomed and caught up; the pings run from now on.
    void ready();
    // The connection failed or was closed, or the server refused the login.
    void lost(const QString &why);

private:
    void handleText(const QString &text);
    void fail(const QString &why);

    QWebSocket *m_socket;
    QTimer *m_pingTimer;
    QString m_uid;
    bool m_ready = false;
    bool m_lost = false;
    qint64 m_pongs = 0;
};
