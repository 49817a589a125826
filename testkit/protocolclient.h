#pragma once

#include "sessionclient.h"

#include <QJsonObject>
#include <QList>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QStringList>
#include <QWebSocket>

namespace lifeline::testkit {

// The "type" of a parsed frame.
QString typeOf(const QJsonObject &frame);

// The session client for the server's tests: it records every text frame that comes back and
// reads them one by one, and sends what the SDK never would. Unlike the app, it accepts frames
// of any size, so that a test sees what the server sends.
struct ProtocolClient
{
    // Generous: the machine running the tests may be busy, and nothing here should take long.
    static constexpr int TimeoutMs = 5000;

    // Opens url at once. A non-empty origin is sent as the Origin header, as a browser would;
    // a non-null tls is used for wss://.
    explicit ProtocolClient(const QUrl &url, const QString &origin = QString(),
                            const QSslConfiguration &tls = QSslConfiguration());

    bool waitConnected();
    // The next text frame not of an ignored type, parsed; an empty object if none came in
    // time.
    QJsonObject next(int timeout = TimeoutMs);
    // Whether a frame next() would return has arrived.
    bool hasUnread() const;
    // Sends a ping and returns the frames before the pong that are not of an ignored type.
    // Frames on one connection keep their order, so this is everything the server sent this
    // client before it read the ping: a barrier that proves a frame did not come.
    QList<QJsonObject> framesBeforePong();
    // Logs in and returns the welcome.
    QJsonObject login(const QString &uid, const QString &token = QStringLiteral("t"));
    void send(const QString &id, const QString &text,
              const QString &room = QStringLiteral("general"), qint64 sentAt = 1700000000000);
    // Every frame received so far, read or not, ignored types included.
    QList<QJsonObject> all() const;
    // Sends sync and reads the catch-up: gaps and messages into *received, if given. Returns
    // the seq of synced, or -1 if it did not come.
    qint64 catchUp(qint64 since, QList<QJsonObject> *received = nullptr);
    bool waitDisconnected(int timeout = TimeoutMs);
    // Sends hello and returns the answer.
    QJsonObject hello(const QString &uid, const QString &token);
    bool pingPong(qint64 id);

    int closeCode() const { return int(socket.closeCode()); }
    // "127.0.0.1:PORT" as the server's log lines name this client.
    QString peer() const { return peerInServerLog; }

    // Frames that come unasked whenever another client logs in or types; next() skips them
    // unless a test clears this.
    QStringList ignored;
    SessionClient session;
    QWebSocket &socket;
    QSignalSpy connected;
    QSignalSpy frames;
    QSignalSpy disconnected;
    qsizetype read = 0;
    qint64 nextPingId = 1000000;
    QString peerInServerLog;
};

} // namespace lifeline::testkit
