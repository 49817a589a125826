#pragma once

#include <QCommandLineParser>
#include <QList>
#include <QStringList>
#include <QUrl>

class QCoreApplication;

namespace lifeline::bench {

// The command line every benchmark shares: --help and a description, whole-number options
// whose help gives their default, --json FILE, and the hidden options by which a benchmark
// starts itself again as a worker. WorkerPool::startShares() writes --first and --count.
class BenchCommandLine
{
public:
    // withJson false for a benchmark that only prints its table.
    explicit BenchCommandLine(const QString &description, bool withJson = true);

    // --name N, at least min, whose help is "description (default: *value)."; process() puts
    // what was given in *value.
    void addNumber(const QString &name, const QString &description, int *value,
                   const QString &valueName = QStringLiteral("n"), int min = 1);
    // Anything else; hidden from --help when internal (only workers get it).
    void addOption(QCommandLineOption option, bool internal = false);

    // Parses (exits on --help or an unknown option) and reads every number; false after saying
    // on stderr which one is wrong, with the value given and what it must be: the benchmark
    // then exits with code 2, its setup error.
    bool process(const QCoreApplication &app);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    QString jsonPath() const { return value(QStringLiteral("json")); }

    // Started by WorkerPool for a share of the clients, and what it was given.
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
    QCommandLineParser m_parser;
    bool m_withJson;
    struct Number
    {
        QCommandLineOption option;
        int *value;
        int min;
    };
    QList<Number> m_numbers;
};

} // namespace lifeline::bench
