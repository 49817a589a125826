#pragma once

#include <QHash>
#include <QHostAddress>

namespace lifeline::server {

// Counts the open TCP connections, in total and per peer address, against two limits, so that
// one address (or everyone together) cannot take all of the server's sockets and memory. No
// QObject and no timers: ChatServer adds a connection when it accepts it and removes it when
// its socket is destroyed.
class ConnectionCounter
{
public:
    enum class Verdict {
        Admitted,
        OverAddressLimit, // the peer's address has maxPerAddress connections open already
        OverTotalLimit, // the server has maxTotal connections open already
    };

    ConnectionCounter(int maxTotal, int maxPerAddress);

    int maxTotal() const { return m_maxTotal; }
    int maxPerAddress() const { return m_maxPerAddress; }
    int total() const { return m_total; }
    int count(const QHostAddress &address) const;

    // Counts a new connection from address, admitted or not: every open socket costs the same,
    // so a refused one counts until it is gone too. The verdict says whether it is one too many.
    Verdict add(const QHostAddress &address);
    // The connection from address that add() counted is gone.
    void remove(const QHostAddress &address);
    // A connection whose address is not known yet (behind a load balancer, until its PROXY
    // header says) counts against the total alone; false, and not counted, if that is full.
    // removeUnattributed() when it is gone or add() counts it with its address.
    bool addUnattributed();
    void removeUnattributed();

private:
    static QHostAddress key(const QHostAddress &address);

    int m_maxTotal;
    int m_maxPerAddress;
    int m_total = 0;
    QHash<QHostAddress, int> m_perAddress;
};

} // namespace lifeline::server
