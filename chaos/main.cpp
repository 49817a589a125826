// lifeline-chaos: the chaos soak (see SoakRunner and docs/reliability.md).
//
//   lifeline-chaos [--duration SECONDS] [--seed N] [--work-dir DIR] [--verbose]
//
// Exit code 0 when every message was stored once, received once by every other client in its
// sender's order, and every client came back to Connected; 1 otherwise; 2 for bad arguments.
#include "soakrunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cstdio>

using lifeline::chaos::SoakRunner;
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
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Chaos soak: three clients send through fault proxies to lifeline-server while the "
        "server is killed, frozen, the links reset, black-holed and refused, and the clients "
        "killed. Then every message is checked. docs/reliability.md says more."));
    parser.addHelpOption();
    const QCommandLineOption durationOption(QStringLiteral("duration"),
                                            QStringLiteral("Seconds of faults (default: 60)."),
                                            QStringLiteral("seconds"), QStringLiteral("60"));
    const QCommandLineOption seedOption(
        QStringLiteral("seed"),
        QStringLiteral("Seed of the fault sequence; the run prints the one it used (default: "
                       "random)."),
        QStringLiteral("n"));
    const QCommandLineOption workOption(
        QStringLiteral("work-dir"),
        QStringLiteral("Directory for data, journals and logs; it must not exist yet (default: "
                       "a temporary one, removed after a passing run)."),
        QStringLiteral("dir"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           QStringLiteral("Print every fault as it happens."));
    const QCommandLineOption clusterOption(
        QStringLiteral("cluster"),
        QStringLiteral("Three lifeline-server instances on a PostgreSQL the soak starts itself, "
                       "each client with the URLs of all three; faults also kill and freeze "
                       "single instances, terminate their LISTEN connections and restart "
                       "PostgreSQL."));
    parser.addOptions({durationOption, seedOption, workOption, verboseOption, clusterOption});
    parser.process(app);

    SoakRunner::Options options;
    bool ok = false;
    options.durationSeconds = parser.value(durationOption).toInt(&ok);
    if (!ok || options.durationSeconds < 1)
        return usageError(QStringLiteral("--duration must be a positive number of seconds"));
    options.cluster = parser.isSet(clusterOption);
    options.seed = QRandomGenerator::system()->generate();
    if (parser.isSet(seedOption)) {
        options.seed = parser.value(seedOption).toUInt(&ok);
        if (!ok)
            return usageError(QStringLiteral("--seed must be a number from 0 to 4294967295"));
    }
    options.verbose = parser.isSet(verboseOption);

    // Info lines of every client and of the server would drown the report; warnings stay.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qputenv("QT_LOGGING_RULES", "lifeline.server.info=false");

    QTemporaryDir temporary;
    if (parser.isSet(workOption)) {
        options.workDirectory = parser.value(workOption);
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
