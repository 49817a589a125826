#pragma once

#include <QCommandLineParser>
#include <QList>

class QCoreApplication;

namespace lifeline::testkit {

// The command line of the benchmarks and the chaos soak's programs: --help and a description,
// whole-number options whose help gives their default and whose values are checked, and any
// other option, hidden from --help when only the program itself passes it.
class CommandLine
{
public:
    explicit CommandLine(const QString &description);

    // --name N, at least min, whose help is "description (default: *value)."; process() puts
    // what was given in *value.
    void addNumber(const QString &name, const QString &description, int *value,
                   const QString &valueName = QStringLiteral("n"), int min = 1);
    // Anything else; hidden from --help when internal (the program passes it to itself).
    void addOption(QCommandLineOption option, bool internal = false);

    // Parses (exits on --help or an unknown option) and reads every number; false after saying
    // on stderr which one is wrong, with the value given and what it must be.
    bool process(const QCoreApplication &app);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }

private:
    QCommandLineParser m_parser;
    struct Number
    {
        QCommandLineOption option;
        int *value;
        int min;
    };
    QList<Number> m_numbers;
};

} // namespace lifeline::testkit
