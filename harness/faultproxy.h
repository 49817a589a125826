#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace lifeline::harness {

// A TCP proxy between a client and lifeline-server that produces the network faults a real
// user meets: refused connections, reset connections, and a black hole (the link stays open and
// nothing arrives either way, as in a tunnel: a half-open connection; when the hole ends, what
// waited arrives, in order, as TCP retransmits it). The tests inject faults with it, and the
// app's Simulate menu cuts the network with it.
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    explicit FaultProxy(QObject *parent = nullptr);
    ~FaultProxy() override;

    // Listens on 127.0.0.1 on a free port and forwards to target.
    bool start(const QUrl &target);
    // ws://127.0.0.1:PORT of the proxy.
    QUrl url() const;

    // Stops listening: new connections are refused by the kernel; open ones stay.
    void refuse();
    // Listens again on the same port.
    bool accept();
    // Aborts every open connection with a TCP reset, on both sides.
    void resetAll();
    // While on, nothing passes in either direction, on open and new connections alike, closes
    // included; turned off, what waited goes through in order and held closes follow.
    void setBlackHole(bool on);
    bool isBlackHole() const { return m_blackHole; }

    int openConnections() const { return m_links.size(); }
    int acceptedConnections() const { return m_accepted; }

Q_SIGNALS:
    void connectionAccepted();

private:
    struct Link
    {
        QTcpSocket *client = nullptr;
        QTcpSocket *server = nullptr;
    };

    void onNewConnection();
    void pump(QTcpSocket *from, QTcpSocket *to);
    void dropLink(QTcpSocket *either);

    QTcpServer *m_listener;
    QHostAddress m_targetHost;
    quint16 m_targetPort = 0;
    quint16 m_port = 0;
    bool m_blackHole = false;
    int m_accepted = 0;
    QList<Link> m_links;
};

} // namespace lifeline::harness
