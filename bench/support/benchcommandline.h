#pragma once

#include "commandline.h"

#include <QStringList>
#include <QUrl>

namespace lifeline::bench {

// The command line every benchmark shares: the test kit's, with --json FILE, and for a benchmark
// with workers the hidden options by which it starts itself again as one.
// WorkerPool::startShares() writes --first and --count.
class BenchCommandLine : public testkit::CommandLine
{
public:
    // withJson false for a benchmark that only prints its table.
    explicit BenchCommandLine(const QString &description, bool withJson = true);

    // --worker, --url, --first, --count and --data-dir, hidden: for a benchmark that runs its
    // clients in WorkerPool's workers, before process().
    void addWorkerOptions();
    // CommandLine::process() with --json last in --help; on false the benchmark exits with
    // SetupFailedExit.
    bool process(const QCoreApplication &app);

    QString jsonPath() const { return value(QStringLiteral("json")); }

    // Started by WorkerPool for a share of the clients, and what it was given (addWorkerOptions()).
    bool isWorker() const { return isSet(QStringLiteral("worker")); }
    // The same from main()'s arguments, before the application object exists: a worker may
    // need another event loop, which must be installed first.
    static bool isWorker(int argc, char **argv);
    int workerFirst() const { return value(QStringLiteral("first")).toInt(); }
    int workerCount() const { return value(QStringLiteral("count")).toInt(); }
    // --url: one or several, comma-separated.
    QList<QUrl> workerUrls() const;
    QString workerDataDir() const { return value(QStringLiteral("data-dir")); }
    // The start of a worker's arguments: --worker, --url urls and, when given, --data-dir.
    static QStringList workerArguments(const QStringList &urls, const QString &dataDir = {});

private:
    bool m_withJson;
};

} // namespace lifeline::bench
