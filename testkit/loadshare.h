#pragma once

#include "loadclient.h"

#include <QList>

#include <deque>

class QUrl;

namespace lifeline::testkit {

// A load generator's share of the clients: LoadClients opened a batch at a time, at most
// connectBurst of them under way at once, for a burst of SYNs over the server's listen backlog
// would be dropped and retried after a second, which measures TCP, not the server. It tells its
// owner when every client of a batch is Live or has failed, and passes on what the clients tell.
class LoadShare : private LoadClient::Owner
{
public:
    // Called as LoadClient::Owner's are; settled() also from inside open() when there is
    // nothing to connect.
    class Owner
    {
    public:
        virtual ~Owner() = default;
        // Every client of the last open() is Live or failed; firstError says why the first
        // failed ("UID: why").
        virtual void settled(int live, int failed, const QString &firstError) = 0;
        virtual void frameReceived(LoadClient &client, QByteArrayView frame, qint64 receivedUs) = 0;
        virtual void allAcknowledged(LoadClient &client) = 0;
        // Every end, before or after Live (the client's state() says which).
        virtual void ended(LoadClient &client, RawWebSocketPeer::End end, int closeCode,
                           const QString &why)
            = 0;
    };

    // Client INDEX is uidPrefix + INDEX and connects to urls[INDEX % urls.size()]: with several
    // instances of one service, the clients spread over all of them.
    LoadShare(Owner *owner, const QList<QUrl> &urls, const QString &uidPrefix, int connectBurst);
    ~LoadShare() override;
    Q_DISABLE_COPY_MOVE(LoadShare)

    // Opens clients first ... first + count - 1 with session; settled() follows.
    void open(int first, int count, const LoadClient::Session &session);

    // Why no client can connect (a URL that does not resolve), or empty.
    QString endpointError() const { return m_endpointError; }
    // The clients, numbered (id()) from 0 in the order they were asked for, whatever their state.
    std::deque<LoadClient> &clients() { return m_clients; }
    int instances() const { return int(m_endpoints.size()); }
    // Clients Live now.
    int live() const { return m_live; }

private:
    // LoadClient::Owner
    void live(LoadClient &client) override;
    void frameReceived(LoadClient &client, QByteArrayView frame, qint64 receivedUs) override;
    void allAcknowledged(LoadClient &client) override;
    void ended(LoadClient &client, RawWebSocketPeer::End end, int closeCode,
               const QString &why) override;

    void openNext();
    void settleOne();

    Owner *m_owner;
    // Resolved once; m_endpointError says why they could not be.
    QList<RawWebSocketPeer::Endpoint> m_endpoints;
    QString m_endpointError;
    QString m_uidPrefix;
    int m_connectBurst;
    // A deque: clients keep their address as more are added.
    std::deque<LoadClient> m_clients;
    int m_live = 0;

    // The batch under way.
    LoadClient::Session m_session;
    int m_next = 0;
    int m_end = 0;
    int m_underWay = 0;
    int m_batchLive = 0;
    int m_batchFailed = 0;
    QString m_batchError;
};

} // namespace lifeline::testkit
