#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace lifeline::testkit {
class PostgresCluster;
}
namespace lifeline::harness {
class BundledServer;
} // namespace lifeline::harness

namespace lifeline::bench {

// Starts count lifeline-server instances (named a, b, c, ...) on a new, empty database of
// postgres, each with arguments besides --database and --instance and with a data directory
// under dataDir, and waits until all listen. Empty, with the reason in *error, if one does not.
std::vector<std::unique_ptr<lifeline::harness::BundledServer>>
startOnPostgres(testkit::PostgresCluster *postgres, int count, const QString &dataDir,
                const QStringList &arguments, QString *error);

// --max-connections and --max-connections-per-ip, both at count: every client of a benchmark
// comes from 127.0.0.1, and the server's limits must not be what stops them.
QStringList connectionLimits(int count);

// startOnPostgres(), or with no postgres one lifeline-server on SQLite in dataDir with
// arguments: the deployments the benchmarks compare.
std::vector<std::unique_ptr<lifeline::harness::BundledServer>>
startDeployment(testkit::PostgresCluster *postgres, int count, const QString &dataDir,
                const QStringList &arguments, QString *error);

} // namespace lifeline::bench
