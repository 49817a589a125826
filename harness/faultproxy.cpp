#include "faultproxy.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <sys/socket.h>

namespace lifeline::harness {

namespace {

// abort() alone ends with a FIN on Linux; a zero linger time makes the kernel send a RST,
// which is what a crashed middlebox or a dropped NAT entry looks like.
void resetSocket(QTcpSocket *socket)
{
    const qintptr fd = socket->socketDescriptor();
    if (fd != -1) {
        const linger noLinger {1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &noLinger, sizeof noLinger);
    }
    socket->abort();
}

} // namespace

FaultProxy::FaultProxy(QObject *parent)
    : QObject(parent)
    , m_listener(new QTcpServer(this))
{
    connect(m_listener, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

FaultProxy::~FaultProxy()
{
    for (const Link &link : std::as_const(m_links)) {
        link.client->disconnect(this);
        link.server->disconnect(this);
    }
}

bool FaultProxy::start(const QUrl &target)
{
    m_targetHost = QHostAddress(target.host());
    m_targetPort = quint16(target.port());
    if (!m_listener->listen(QHostAddress::LocalHost, 0))
        return false;
    m_port = m_listener->serverPort();
    return true;
}

QUrl FaultProxy::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    return url;
}

void FaultProxy::refuse()
{
    m_listener->close();
}

bool FaultProxy::accept()
{
    return m_listener->isListening() || m_listener->listen(QHostAddress::LocalHost, m_port);
}

void FaultProxy::resetAll()
{
    const QList<Link> links = std::exchange(m_links, {});
    for (const Link &link : links) {
        link.client->disconnect(this);
        link.server->disconnect(this);
        resetSocket(link.client);
        resetSocket(link.server);
        link.client->deleteLater();
        link.server->deleteLater();
    }
}

void FaultProxy::setBlackHole(bool on)
{
    if (m_blackHole == on)
        return;
    m_blackHole = on;
    if (on)
        return;
    // The path is back before TCP gave up: what waited goes through in order, then any close
    // that waited behind it. (A hole that outlasts TCP's retransmissions kills the link
    // instead: resetAll() when the hole ends.)
    const QList<Link> links = m_links;
    for (const Link &link : links) {
        pump(link.client, link.server);
        pump(link.server, link.client);
        if (link.client->state() == QAbstractSocket::UnconnectedState)
            dropLink(link.client);
        else if (link.server->state() == QAbstractSocket::UnconnectedState)
            dropLink(link.server);
    }
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_listener->nextPendingConnection()) {
        ++m_accepted;
        auto *server = new QTcpSocket(this);
        client->setParent(this);
        m_links.append(Link {client, server});
        connect(client, &QTcpSocket::readyRead, this,
                [this, client, server] { pump(client, server); });
        connect(server, &QTcpSocket::readyRead, this,
                [this, client, server] { pump(server, client); });
        connect(server, &QTcpSocket::connected, this,
                [this, client, server] { pump(client, server); });
        connect(client, &QTcpSocket::disconnected, this, [this, client] { dropLink(client); });
        connect(server, &QTcpSocket::disconnected, this, [this, server] { dropLink(server); });
        connect(server, &QTcpSocket::errorOccurred, this, [this, server] { dropLink(server); });
        server->connectToHost(m_targetHost, m_targetPort);
        Q_EMIT connectionAccepted();
    }
}

void FaultProxy::pump(QTcpSocket *from, QTcpSocket *to)
{
    // Inside a black hole bytes wait in `from`, as they wait in TCP's buffers for a path.
    if (m_blackHole)
        return;
    if (to->state() != QAbstractSocket::ConnectedState)
        return; // stays buffered in `from` until `to` connects
    to->write(from->readAll());
}

void FaultProxy::dropLink(QTcpSocket *either)
{
    // Not even a FIN gets through a black hole: the other side learns of the close when the
    // hole ends (setBlackHole(false)), after the bytes sent before it.
    if (m_blackHole)
        return;
    for (qsizetype i = 0; i < m_links.size(); ++i) {
        const Link link = m_links.at(i);
        if (link.client != either && link.server != either)
            continue;
        m_links.removeAt(i);
        link.client->disconnect(this);
        link.server->disconnect(this);
        // Pass the close on: what one side ended, the other side sees ended too.
        link.client->disconnectFromHost();
        link.server->disconnectFromHost();
        link.client->deleteLater();
        link.server->deleteLater();
        return;
    }
}

} // namespace lifeline::harness
