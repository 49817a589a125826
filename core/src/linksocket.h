#pragma once

#include "connectionevent.h"

#include <QAbstractSocket>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>

class QWebSocket;

namespace lifeline {

// The WebSocket under a connection, one at a time. Every socket gets a generation: a signal of
// a socket that was replaced or retired never comes out of here. When a socket ends, failed()
// says why in the SDK's terms: a certificate that was refused, a close code of the server, a
// refused connection, or a drop.
class LinkSocket : public QObject
{
    Q_OBJECT

public:
    explicit LinkSocket(QObject *parent = nullptr);
    ~LinkSocket() override;

    // Retires the current socket and opens a new one to `url`, trusting `trusted` for wss://
    // besides the system's CAs.
    void open(const QUrl &url, const QList<QSslCertificate> &trusted);
    // Lets the current socket go: a polite close (code 1000) if it is open, an abort otherwise,
    // never waiting on a peer that does not answer.
    void retire();
    // False (and nothing written) without a socket.
    bool sendText(const QString &frame);
    // A WebSocket ping; the pong comes as pongReceived().
    void ping();

Q_SIGNALS:
    // The WebSocket handshake succeeded.
    void opened();
    void textReceived(const QString &text);
    void pongReceived(int roundTripMs);
    // The socket ended; it is retired already.
    void failed(const lifeline::LinkFailure &failure);

private:
    // Runs a handler for a signal of the socket of generation `generation`, if it is still the
    // current one. Counts how deep this object is inside a socket's signal, so that its
    // destructor never deletes a socket under its own feet.
    template<typename Handler> void forward(quint64 generation, Handler handler);
    void onClosed();
    void onError(QAbstractSocket::SocketError error);
    void fail(const ChatError &cause, std::optional<DisconnectReason> fatalReason = {});
    // What the TLS handshake of the current socket refused, for ERR_TLS.
    QString tlsProblems() const;

    QWebSocket *m_socket = nullptr;
    quint64 m_generation = 0;
    QUrl m_url;
    bool m_opened = false;
    QString m_lastSocketError;
    // The certificate errors of the current socket's TLS handshake, never ignored.
    QList<QSslError> m_sslErrors;
    bool m_tlsHandshakeFailed = false;
    int m_signalDepth = 0;
};

} // namespace lifeline
