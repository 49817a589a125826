#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace lifeline::harness {
class BundledServer;
}

// The deployments the benchmarks compare and the chaos soak runs: lifeline-server instances on a
// throwaway PostgreSQL, or one on SQLite.
namespace lifeline::testkit {

class PostgresCluster;

// Starts count lifeline-server instances (named a, b, c, ...) on a new, empty database of
// postgres, each with arguments besides --database and --instance and with a data directory
// under dataDir, and waits until all listen. Empty, with the reason in *error, if one does not.
std::vector<std::unique_ptr<lifeline::harness::BundledServer>>
startOnPostgres(PostgresCluster *postgres, int count, const QString &dataDir,
                const QStringList &arguments, QString *error);

// startOnPostgres(), or with no postgres one lifeline-server on SQLite in dataDir with
// arguments.
std::vector<std::unique_ptr<lifeline::harness::BundledServer>>
startDeployment(PostgresCluster *postgres, int count, const QString &dataDir,
                const QStringList &arguments, QString *error);

} // namespace lifeline::testkit
