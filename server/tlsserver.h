#pragma once

#include <QSslConfiguration>
#include <QTcpServer>

namespace lifeline::server {

// A QTcpServer whose pending connections are QSslSockets that have not started encrypting.
//
// QSslServer only hands a socket out once its TLS handshake has succeeded, and drops the ones
// that fail or stall without saying who they were. The chat server wants to see every
// connection from its first byte, so that one timer covers the TLS and the WebSocket handshake
// and every refusal is logged with the peer; the owner calls startServerEncryption() itself.
class TlsServer : public QTcpServer
{
    Q_OBJECT
public:
    // configuration must hold the local certificate and its private key.
    explicit TlsServer(const QSslConfiguration &configuration, QObject *parent = nullptr);
    ~TlsServer() override;

    // Runs one TLS handshake with itself over the loopback interface, since OpenSSL checks that
    // the private key belongs to the certificate only when a handshake starts: a wrong pair
    // would otherwise fail every client later instead of the server at startup. False with
    // OpenSSL's reason in *error if it fails.
    static bool selfTest(const QSslConfiguration &configuration, QString *error);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    QSslConfiguration m_configuration;
};

} // namespace lifeline::server
