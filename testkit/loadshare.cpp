#include "loadshare.h"

#include <QUrl>

namespace lifeline::testkit {

LoadShare::LoadShare(Owner *owner, const QList<QUrl> &urls, const QString &uidPrefix,
                     int connectBurst)
    : m_owner(owner)
    , m_uidPrefix(uidPrefix)
    , m_connectBurst(connectBurst)
{
    for (const QUrl &url : urls) {
        RawWebSocketPeer::Endpoint endpoint;
        if (!RawWebSocketPeer::resolve(url, &endpoint, &m_endpointError)) {
            m_endpoints.clear();
            break;
        }
        m_endpoints.append(endpoint);
    }
}

LoadShare::~LoadShare() = default;

void LoadShare::open(int first, int count, const LoadClient::Session &session)
{
    m_session = session;
    m_next = first;
    m_end = first + count;
    m_batchLive = 0;
    m_batchFailed = 0;
    m_batchError.clear();
    if (count <= 0) {
        m_owner->settled(0, 0, QString());
        return;
    }
    if (m_endpoints.isEmpty()) {
        m_next = m_end;
        m_owner->settled(0, count, m_endpointError);
        return;
    }
    while (m_underWay < m_connectBurst && m_next < m_end)
        openNext();
}

void LoadShare::openNext()
{
    const int index = m_next++;
    LoadClient &client
        = m_clients.emplace_back(static_cast<LoadClient::Owner *>(this), int(m_clients.size()),
                                 m_uidPrefix + QString::number(index), m_session);
    ++m_underWay;
    client.open(m_endpoints.at(index % m_endpoints.size()));
}

void LoadShare::live(LoadClient &)
{
    ++m_live;
    ++m_batchLive;
    settleOne();
}

void LoadShare::frameReceived(LoadClient &client, QByteArrayView frame, qint64 receivedUs)
{
    m_owner->frameReceived(client, frame, receivedUs);
}

void LoadShare::allAcknowledged(LoadClient &client)
{
    m_owner->allAcknowledged(client);
}

void LoadShare::ended(LoadClient &client, RawWebSocketPeer::End end, int closeCode,
                      const QString &why)
{
    if (client.state() == LoadClient::State::Lost) {
        --m_live;
        m_owner->ended(client, end, closeCode, why);
        return;
    }
    ++m_batchFailed;
    if (m_batchError.isEmpty())
        m_batchError = QStringLiteral("%1: %2").arg(client.uid(), why);
    m_owner->ended(client, end, closeCode, why);
    settleOne();
}

void LoadShare::settleOne()
{
    --m_underWay;
    if (m_next < m_end)
        openNext();
    if (m_underWay == 0 && m_next == m_end)
        m_owner->settled(m_batchLive, m_batchFailed, m_batchError);
}

} // namespace lifeline::testkit
