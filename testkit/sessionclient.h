#pragma once

#include <protocol.h>

#include <QObject>
#include <QString>
#include <QWebSocket>

namespace lifeline::testkit {

// The protocol client the tests, the benchmarks and the chaos soak share: a QWebSocket that
// speaks the Lifeline protocol with nothing of the SDK around it (no outbox, no store, no
// retries), so that what is measured or checked is the server's. It can say hello as soon as it
// is connected, decodes every frame the server sends and counts acks and messages. ProtocolClient
// sends through it and records every frame for the server's tests; load generators, which run
// thousands of clients, use LoadClient instead.
class SessionClient : public QObject
{
    Q_OBJECT
public:
    // A non-empty origin is sent as the Origin header, as a browser would.
    explicit SessionClient(const QString &origin = QString(), QObject *parent = nullptr);
    // QWebSocket's destructor would say 1001, going away; a client that is done says goodbye
    // with a normal close, as an app does.
    ~SessionClient() override;

    // Refuses frames over the app's limit (protocol::MaxClientIncomingBytes), closing with 1009
    // as the app would; without it, QWebSocket's own limits apply.
    void limitIncomingToTheApps();
    // Sends hello with these as soon as the connection is up; without it, hello is the user's.
    void helloWhenConnected(const QString &appId, const QString &uid, const QString &token);
    void hello(const QString &appId, const QString &uid, const QString &token);
    void open(const QUrl &url);

    QWebSocket &socket() { return m_socket; }
    bool isWelcomed() const { return m_welcomed; }
    // Acks and message frames received so far.
    qint64 acks() const { return m_acks; }
    qint64 messages() const { return m_messages; }

    void sendMessage(const QString &id, const QString &room, const QString &text, qint64 sentAt);
    void sync(qint64 since);

Q_SIGNALS:
    void welcomed();
    // Every frame the codec accepts, in order; `text` is the frame as it came.
    void frameReceived(const lifeline::protocol::Frame &frame, const QString &text);
    // A frame the codec refuses, and why; the client goes on.
    void frameRefused(const QString &reason, const QString &text);
    // The catch-up asked for with sync() is complete up to seq.
    void synced(qint64 seq);
    // Once: the connection ended, or the server answered with an error.
    void lost(const QString &why);

private:
    void handleText(const QString &text);
    void fail(const QString &why);

    QWebSocket m_socket;
    QString m_hello;
    bool m_welcomed = false;
    bool m_lost = false;
    qint64 m_acks = 0;
    qint64 m_messages = 0;
};

} // namespace lifeline::testkit
