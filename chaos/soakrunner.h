#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>
#include <QStringList>

#include <functional>
#include <memory>

namespace lifeline::testkit {
class PostgresCluster;
}
namespace lifeline::harness {
class BundledServer;
class FaultProxy;
} // namespace lifeline::harness

class QTimer;

namespace lifeline::chaos {

class ClientProcess;

// The chaos soak: clients (each a process of its own) send continuously through fault proxies
// to a real lifeline-server while faults hit the server, the network and the clients at random
// intervals. Then the faults stop, every client must come back to Connected with everything
// delivered, and SoakChecker checks every message. The random choices come from one seed, so
// a failing run can be replayed with the same fault sequence (the timing of the processes
// still varies).
class SoakRunner : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int durationSeconds = 60;
        quint32 seed = 0;
        // Holds the server's and the clients' data, the journals and the logs.
        QString workDirectory;
        int clients = 3;
        int sendIntervalMs = 100;
        // Print every fault as it is injected, not only to faults.log.
        bool verbose = false;
        // Three instances on a PostgreSQL of the soak's own, each client with the URLs of all
        // three (docs/scaling.md); the faults then also hit single instances, their LISTEN
        // connections and PostgreSQL.
        bool cluster = false;
    };

    enum class Fault {
        ServerKill,
        ServerFreeze,
        ProxyReset,
        ProxyBlackHole,
        ProxyRefuse,
        ClientKill,
        // Cluster only:
        ListenKill, // pg_terminate_backend of an instance's LISTEN connection
        PostgresRestart,
    };
    Q_ENUM(Fault)

    explicit SoakRunner(const Options &options, QObject *parent = nullptr);
    ~SoakRunner() override;

    // Runs the whole soak and prints the figures; the process exit code (0: every check passed).
    int run();

private:
    // A fault that lasts: its targets stay out of the draw until end() ran.
    struct Episode
    {
        int id = 0;
        QStringList targets;
        std::function<void()> end;
    };

    bool setUp();
    void scheduleNextFault();
    void injectFault();
    // Each fault that has a free target now, with those targets (server or client numbers).
    QMap<Fault, QList<int>> availableFaults() const;
    void hold(const QStringList &targets, int durationMs, std::function<void()> end);
    void endEpisode(int id);
    void killClient(int client);
    // Lets client's network take connections again after refuseAll().
    void acceptAgain(int client);
    bool startServers(const QString &workDirectory);
    // Runs a PostgreSQL program without waiting; done() gets whether it succeeded.
    void runPostgres(const QString &program, const QStringList &arguments,
                     std::function<void(bool)> done);
    bool settle();
    bool waitUntil(const std::function<bool()> &condition, int timeoutMs, const QString &what);
    QString journalPath(const QString &client) const;
    int draw(int lowest, int highest);
    void note(const QString &line);
    void fail(const QString &problem);
    int finish(bool checked);

    Options m_options;
    QRandomGenerator m_random;
    std::unique_ptr<lifeline::testkit::PostgresCluster> m_postgres;
    // One server, or the instances of a cluster.
    QList<lifeline::harness::BundledServer *> m_servers;
    // Each client's fault proxies, one per server: its network.
    QList<QList<lifeline::harness::FaultProxy *>> m_proxies;
    bool m_postgresRestarting = false;
    QElapsedTimer m_sincePostgresRestart;
    QList<ClientProcess *> m_clients;
    QList<Episode> m_episodes;
    int m_episodeCount = 0;
    QTimer *m_faultTimer;
    QFile m_faultLog;
    QElapsedTimer m_clock;
    // The faults stopped: clients send no more, everything pending must arrive.
    bool m_settling = false;
    QHash<Fault, int> m_injected;
    // Ids a client had queued (journalled as sent, not yet delivered) when it was killed.
    QSet<QString> m_queuedAtKill;
    int m_killsWithQueue = 0;
    QStringList m_failures;
};

} // namespace lifeline::chaos
