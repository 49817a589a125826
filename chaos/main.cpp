// lifeline-chaos: the chaos soak (see SoakRunner and docs/reliability.md).
//
//   lifeline-chaos [--duration SECONDS] [--seed N] [--work-dir DIR] [--verbose]
//
// Exit code 0 when every message was stored once, received once by every other client in its
// sender's order, and every client came back to Connected; 1 otherwise; 2 for bad arguments.
#include "commandline.h"
#include "soakrunner.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cstdio>

using namespace lifeline::chaos;
using namespace lifeline::testkit;

namespace {

int usageError(const QString &message)
{
    std::fprintf(stderr, "lifeline-chaos: %s (see --help)\n", qUtf8Printable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    CommandLine commandLine(QStringLiteral(
        "Chaos soak: three clients send through fault proxies to lifeline-server while the "
        "server is killed, frozen, the links reset, black-holed and refused, and the clients "
        "killed. Then every message is checked. docs/reliability.md says more."));
    SoakRunner::Options options;
    commandLine.addNumber(QStringLiteral("duration"), QStringLiteral("Seconds of faults"),
                          &options.durationSeconds, QStringLiteral("seconds"));
    commandLine.addOption({QStringLiteral("seed"),
                           QStringLiteral("Seed of the fault sequence; the run prints the one it "
                                          "used (default: random)."),
                           QStringLiteral("n")});
    commandLine.addOption({QStringLiteral("work-dir"),
                           QStringLiteral("Directory for data, journals and logs; it must not "
                                          "exist yet (default: a temporary one, removed after a "
                                          "passing run)."),
                           QStringLiteral("dir")});
    commandLine.addOption(
        {QStringLiteral("verbose"), QStringLiteral("Print every fault as it happens.")});
    commandLine.addOption(
        {QStringLiteral("cluster"),
         QStringLiteral("Three lifeline-server instances on a PostgreSQL the soak starts itself, "
                        "each client with the URLs of all three; faults also kill and freeze "
                        "single instances, terminate their LISTEN connections and restart "
                        "PostgreSQL.")});
    if (!commandLine.process(app))
        return 2;

    options.cluster = commandLine.isSet(QStringLiteral("cluster"));
    options.verbose = commandLine.isSet(QStringLiteral("verbose"));
    options.seed = QRandomGenerator::system()->generate();
    if (commandLine.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        options.seed = commandLine.value(QStringLiteral("seed")).toUInt(&ok);
        if (!ok)
            return usageError(QStringLiteral("--seed must be a number from 0 to 4294967295"));
    }

    // Info lines of every client and of the server would drown the report; warnings stay.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qputenv("QT_LOGGING_RULES", "lifeline.server.info=false");

    QTemporaryDir temporary;
    if (commandLine.isSet(QStringLiteral("work-dir"))) {
        options.workDirectory = commandLine.value(QStringLiteral("work-dir"));
        if (QFileInfo::exists(options.workDirectory))
            return usageError(QStringLiteral("--work-dir %1 exists already; a soak starts "
                                             "from empty data")
                                  .arg(options.workDirectory));
    } else {
        if (!temporary.isValid())
            return usageError(QStringLiteral("cannot create a temporary directory: %1")
                                  .arg(temporary.errorString()));
        options.workDirectory = temporary.path();
    }

    int exitCode = 0;
    {
        SoakRunner runner(options);
        exitCode = runner.run();
    }
    // Kept for the post-mortem: the journals, the logs and the fault sequence.
    temporary.setAutoRemove(exitCode == 0);
    return exitCode;
}
