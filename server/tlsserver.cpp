#include "tlsserver.h"

#include "loggingcategories_p.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QSslSocket>
#include <QTimer>

#include <unistd.h>

namespace lifeline::server {

TlsServer::TlsServer(const QSslConfiguration &configuration, QObject *parent)
    : QTcpServer(parent)
    , m_configuration(configuration)
{ }

TlsServer::~TlsServer() = default;

bool TlsServer::selfTest(const QSslConfiguration &configuration, QString *error)
{
    // Loopback handshakes take milliseconds; this only bounds a stuck one.
    constexpr int SelfTestTimeoutMs = 10000;
    TlsServer server(configuration);
    if (!server.listen(QHostAddress(QHostAddress::LocalHost), 0)) {
        *error = QStringLiteral("cannot listen on 127.0.0.1 for the TLS self-test: %1")
                     .arg(server.errorString());
        return false;
    }
    QEventLoop loop;
    bool encrypted = false;
    connect(&server, &QTcpServer::newConnection, &loop, [&] {
        auto *socket = static_cast<QSslSocket *>(server.nextPendingConnection());
        if (!socket)
            return;
        connect(socket, &QSslSocket::encrypted, &loop, [&] {
            encrypted = true;
            loop.quit();
        });
        connect(socket, &QAbstractSocket::errorOccurred, &loop, [&, socket] {
            *error = socket->errorString();
            loop.quit();
        });
        socket->startServerEncryption();
    });
    QSslSocket client;
    QSslConfiguration clientConfiguration = QSslConfiguration::defaultConfiguration();
    // Only the server's side is tested; whether clients trust the certificate is theirs.
    clientConfiguration.setPeerVerifyMode(QSslSocket::VerifyNone);
    client.setSslConfiguration(clientConfiguration);
    QTimer::singleShot(SelfTestTimeoutMs, &loop, [&] {
        *error = QStringLiteral("no TLS handshake with itself within %1 ms").arg(SelfTestTimeoutMs);
        loop.quit();
    });
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
    loop.exec();
    return encrypted;
}

void TlsServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(m_configuration);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcServer, "cannot take an accepted connection: %s",
                  qUtf8Printable(socket->errorString()));
        delete socket;
        // The socket never took the descriptor, so nothing else will close it.
        ::close(int(socketDescriptor));
        return;
    }
    addPendingConnection(socket);
}

} // namespace lifeline::server
