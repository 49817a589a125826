#include "postgresinstances.h"

#include "bundledserver.h"
#include "postgrescluster.h"
#include "serverwaits.h"
#include "testsetup.h"

namespace lifeline::testkit {

using namespace lifeline::harness;

namespace {

// Generous for a loaded 2-core machine: instances set up the schema one after the other.
constexpr int StartTimeoutMs = 30000;

} // namespace

std::vector<std::unique_ptr<BundledServer>> startOnPostgres(PostgresCluster *postgres, int count,
                                                            const QString &dataDir,
                                                            const QStringList &arguments,
                                                            QString *error)
{
    // Every deployment gets a database of its own, so that none starts with another's messages.
    static int databases = 0;
    const QString url = postgres->createDatabase(QStringLiteral("deployment%1").arg(++databases));
    if (url.isEmpty()) {
        *error = postgres->errorString();
        return {};
    }
    std::vector<std::unique_ptr<BundledServer>> servers;
    for (int i = 0; i < count; ++i) {
        auto server = std::make_unique<BundledServer>();
        server->setDataDirectory(QStringLiteral("%1/%2").arg(dataDir).arg(i));
        server->setExtraArguments(QStringList {QStringLiteral("--database"), url,
                                               QStringLiteral("--instance"),
                                               QString(QChar(u'a' + i))}
                                  + arguments);
        server->start();
        servers.push_back(std::move(server));
    }
    for (const auto &server : servers) {
        if (!waitForStarted(*server, StartTimeoutMs)) {
            *error = QStringLiteral("a lifeline-server instance on PostgreSQL did not start "
                                    "within %1 s")
                         .arg(StartTimeoutMs / 1000);
            return {};
        }
    }
    return servers;
}

std::vector<std::unique_ptr<BundledServer>> startDeployment(PostgresCluster *postgres, int count,
                                                            const QString &dataDir,
                                                            const QStringList &arguments,
                                                            QString *error)
{
    if (postgres)
        return startOnPostgres(postgres, count, dataDir, arguments, error);
    std::vector<std::unique_ptr<BundledServer>> servers;
    if (auto server = startServer(dataDir, arguments))
        servers.push_back(std::move(server));
    else
        *error = QStringLiteral("lifeline-server did not start listening");
    return servers;
}

} // namespace lifeline::testkit
