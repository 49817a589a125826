#include "linksocket.h"

#include "errors.h"
#include "loggingcategories_p.h"
#include "protocol.h"

#include <QNetworkRequest>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>
#include <QWebSocket>

namespace lifeline {

namespace {

// How long a polite close may take before the socket is simply aborted.
constexpr int CloseHandshakeMs = 1000;

// The close codes that say a frame broke the protocol (docs/protocol.md, "Close codes").
bool isProtocolCloseCode(int code)
{
    switch (code) {
    case QWebSocketProtocol::CloseCodeProtocolError:
    case QWebSocketProtocol::CloseCodeDatatypeNotSupported:
    case QWebSocketProtocol::CloseCodeWrongDatatype:
    case QWebSocketProtocol::CloseCodeTooMuchData:
    case int(protocol::CloseCode::ProtocolViolation):
        return true;
    default:
        return false;
    }
}

} // namespace

LinkSocket::LinkSocket(QObject *parent)
    : QObject(parent)
{ }

LinkSocket::~LinkSocket()
{
    // Quietly: nobody is left to tell. The current socket and the retired ones still closing
    // are children. Deleted from inside one of their signals (a slot deleted the
    // ConnectionManager), Qt would go on using them after the emit returns: then they are let
    // go and deleted from the event loop instead.
    m_socket = nullptr;
    const QList<QWebSocket *> sockets = findChildren<QWebSocket *>(Qt::FindDirectChildrenOnly);
    for (QWebSocket *socket : sockets) {
        QObject::disconnect(socket, nullptr, nullptr, nullptr);
        socket->abort();
        if (m_signalDepth > 0) {
            socket->setParent(nullptr);
            socket->deleteLater();
        }
    }
}

template<typename Handler> void LinkSocket::forward(quint64 generation, Handler handler)
{
    if (generation != m_generation)
        return;
    const QPointer<LinkSocket> alive(this);
    ++m_signalDepth;
    handler();
    if (alive)
        --m_signalDepth;
}

void LinkSocket::open(const QUrl &url, const QList<QSslCertificate> &trusted)
{
    retire();
    m_url = url;
    m_opened = false;
    m_lastSocketError.clear();
    m_sslErrors.clear();
    m_tlsHandshakeFailed = false;

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingFrameSize(protocol::MaxClientIncomingBytes);
    m_socket->setMaxAllowedIncomingMessageSize(protocol::MaxClientIncomingBytes);
    if (!trusted.isEmpty()) {
        // In addition to the system's CAs, not instead: the same app may reach a public server.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + trusted);
        m_socket->setSslConfiguration(tls);
    }
    const quint64 generation = ++m_generation;

    connect(m_socket, &QWebSocket::connected, this, [this, generation] {
        forward(generation, [this] {
            m_opened = true;
            Q_EMIT opened();
        });
    });
    connect(m_socket, &QWebSocket::disconnected, this,
            [this, generation] { forward(generation, [this] { onClosed(); }); });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, generation](QAbstractSocket::SocketError error) {
                forward(generation, [this, error] { onError(error); });
            });
    // Never ignored: without ignoreSslErrors() Qt aborts the handshake, and onClosed() reports
    // these as ERR_TLS.
    connect(m_socket, &QWebSocket::sslErrors, this,
            [this, generation](const QList<QSslError> &errors) {
                forward(generation, [this, &errors] { m_sslErrors += errors; });
            });
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this, generation](const QString &text) {
                forward(generation, [this, &text] { Q_EMIT textReceived(text); });
            });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this, generation] {
        forward(generation, [this] {
            fail(errors::protocolViolation(
                QStringLiteral("The server sent a binary frame; Lifeline speaks JSON text "
                               "frames only. Check that the URL points to a Lifeline server.")));
        });
    });
    connect(m_socket, &QWebSocket::pong, this, [this, generation](quint64 elapsed) {
        forward(generation, [this, elapsed] { Q_EMIT pongReceived(int(elapsed)); });
    });
    m_socket->open(QNetworkRequest(url));
}

void LinkSocket::retire()
{
    if (!m_socket)
        return;
    QWebSocket *old = std::exchange(m_socket, nullptr);
    ++m_generation;
    QObject::disconnect(old, nullptr, this, nullptr);
    if (old->state() == QAbstractSocket::ConnectedState) {
        // Say goodbye properly (close code 1000), but never wait on a peer that does not answer.
        connect(old, &QWebSocket::disconnected, old, &QObject::deleteLater);
        QTimer::singleShot(CloseHandshakeMs, old, [old] {
            old->abort();
            old->deleteLater();
        });
        old->close(QWebSocketProtocol::CloseCodeNormal);
    } else {
        old->abort();
        old->deleteLater();
    }
}

bool LinkSocket::sendText(const QString &frame)
{
    if (!m_socket)
        return false;
    m_socket->sendTextMessage(frame);
    return true;
}

void LinkSocket::ping()
{
    if (m_socket)
        m_socket->ping();
}

void LinkSocket::fail(const ChatError &cause, std::optional<DisconnectReason> fatalReason)
{
    retire();
    Q_EMIT failed({cause, fatalReason});
}

void LinkSocket::onError(QAbstractSocket::SocketError error)
{
    m_lastSocketError = m_socket->errorString();
    if (error == QAbstractSocket::SslHandshakeFailedError)
        m_tlsHandshakeFailed = true;
    qCDebug(lcConnection, "socket error %d: %s", int(error), qUtf8Printable(m_lastSocketError));
    // QWebSocket does not always follow an error with disconnected() (a refused connection
    // never connected). Give a close that is on its way one event-loop turn, then decide.
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation != m_generation || !m_socket
            || m_socket->state() != QAbstractSocket::UnconnectedState)
            return;
        onClosed();
    });
}

void LinkSocket::onClosed()
{
    if (!m_sslErrors.isEmpty() || m_tlsHandshakeFailed) {
        // Retrying cannot make a certificate valid, and a retry loop would hide an attack.
        fail(errors::tls(tlsProblems()), DisconnectReason::TlsFailed);
        return;
    }
    const int code = m_socket->closeCode();
    const QString reason = m_socket->closeReason();
    if (code == int(protocol::CloseCode::AuthFailed)) {
        fail(errors::authFailed(reason), DisconnectReason::AuthFailed);
        return;
    }
    if (code == int(protocol::CloseCode::UnsupportedVersion)) {
        fail(errors::protocol(QStringLiteral("The server does not speak protocol version %1. "
                                             "Update the app.")
                                  .arg(protocol::Version)),
             DisconnectReason::ProtocolMismatch);
        return;
    }
    const QString url = m_url.toDisplayString();
    if (!m_opened) {
        fail(errors::connectionFailed(
            QStringLiteral("%1 (%2). Check that the server is running and reachable.")
                .arg(m_lastSocketError.isEmpty() ? m_socket->errorString() : m_lastSocketError,
                     url)));
        return;
    }
    const QString withReason
        = reason.isEmpty() ? QString() : QStringLiteral(" (") + reason + QLatin1Char(')');
    if (m_lastSocketError.isEmpty() && isProtocolCloseCode(code)) {
        // Either end found a frame that breaks the protocol (this client closes with 1009 itself
        // when a frame is over its limit): not a network problem, and the user should know.
        fail(errors::protocol(
            QStringLiteral("The link to %1 closed with code %2%3: a frame broke the protocol. "
                           "Reconnecting by the retry policy.")
                .arg(url)
                .arg(code)
                .arg(withReason)));
        return;
    }
    QString details = QStringLiteral("The link to %1 closed").arg(url);
    // Qt 6.4 leaves closeCode() at 1000 when the link drops without a close frame; the socket
    // error that came with the drop is what tells the two apart.
    if (!m_lastSocketError.isEmpty())
        details += QStringLiteral(" without a close frame (%1)").arg(m_lastSocketError);
    else
        details += QStringLiteral(" with code %1%2").arg(code).arg(withReason);
    details += QStringLiteral(". Reconnecting by the retry policy.");
    fail(errors::connectionLost(details));
}

QString LinkSocket::tlsProblems() const
{
    if (m_sslErrors.isEmpty())
        return QStringLiteral("The TLS handshake with %1 failed: %2.")
            .arg(m_url.toDisplayString(), m_lastSocketError);
    // Qt's sentence for each error, grouped by the certificate it is about, which is named so
    // that the user can tell a wrong server from a wrong setting.
    QList<QSslCertificate> certificates;
    QList<QStringList> problems;
    for (const QSslError &error : m_sslErrors) {
        qsizetype index = certificates.indexOf(error.certificate());
        if (index < 0) {
            certificates.append(error.certificate());
            problems.append(QStringList());
            index = certificates.size() - 1;
        }
        if (!problems[index].contains(error.errorString()))
            problems[index].append(error.errorString());
    }
    const auto names = [](const QStringList &names) {
        return names.isEmpty() ? QStringLiteral("?") : names.join(QLatin1String(", "));
    };
    QStringList parts;
    for (qsizetype i = 0; i < certificates.size(); ++i) {
        const QSslCertificate &certificate = certificates.at(i);
        QString part = problems.at(i).join(QLatin1String("; "));
        if (!certificate.isNull())
            part += QStringLiteral(" (certificate of \"%1\", issued by \"%2\", valid from %3 "
                                   "to %4)")
                        .arg(names(certificate.subjectInfo(QSslCertificate::CommonName)),
                             names(certificate.issuerInfo(QSslCertificate::CommonName)),
                             certificate.effectiveDate().toString(Qt::ISODate),
                             certificate.expiryDate().toString(Qt::ISODate));
        parts.append(part);
    }
    return parts.join(QLatin1String("; ")) + QLatin1Char('.');
}

} // namespace lifeline
