#include "connectioncounter.h"

namespace lifeline::server {

ConnectionCounter::ConnectionCounter(int maxTotal, int maxPerAddress)
    : m_maxTotal(maxTotal)
    , m_maxPerAddress(maxPerAddress)
{ }

int ConnectionCounter::count(const QHostAddress &address) const
{
    return m_perAddress.value(key(address));
}

ConnectionCounter::Verdict ConnectionCounter::add(const QHostAddress &address)
{
    // The limits compare with the connections open before this one.
    int &fromAddress = m_perAddress[key(address)];
    const bool overTotal = m_total >= m_maxTotal;
    const bool overAddress = fromAddress >= m_maxPerAddress;
    ++m_total;
    ++fromAddress;
    if (overTotal)
        return Verdict::OverTotalLimit;
    if (overAddress)
        return Verdict::OverAddressLimit;
    return Verdict::Admitted;
}

void ConnectionCounter::remove(const QHostAddress &address)
{
    const auto it = m_perAddress.find(key(address));
    if (it == m_perAddress.end())
        return;
    --m_total;
    if (--it.value() == 0)
        m_perAddress.erase(it);
}

bool ConnectionCounter::addUnattributed()
{
    if (m_total >= m_maxTotal)
        return false;
    ++m_total;
    return true;
}

void ConnectionCounter::removeUnattributed()
{
    --m_total;
}

QHostAddress ConnectionCounter::key(const QHostAddress &address)
{
    // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d; both forms are one address.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

} // namespace lifeline::server
