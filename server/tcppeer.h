#pragma once

#include <QHash>
#include <QHostAddress>

namespace lifeline::server {

// The remote end of one TCP connection, as the kernel reports it on the accepted socket and on
// the QWebSocket made from it: what tells two connections to this server apart. Compared as an
// address and a port, never as text, so no spelling of an address (an IPv4-mapped IPv6 one, a
// scope) can make two connections look alike or one look like two.
struct TcpPeer
{
    QHostAddress address;
    quint16 port = 0;

    friend bool operator==(const TcpPeer &a, const TcpPeer &b)
    {
        return a.port == b.port && a.address == b.address;
    }
    friend size_t qHash(const TcpPeer &peer, size_t seed = 0)
    {
        return qHashMulti(seed, peer.address, peer.port);
    }
};

} // namespace lifeline::server
