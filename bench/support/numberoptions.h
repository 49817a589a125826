#pragma once

#include <QCommandLineOption>
#include <QString>

#include <vector>

class QCommandLineParser;

namespace lifeline::bench {

// A benchmark's whole-number options, each declared once: its name, its help, where its value
// goes and its least value. The default is what the target holds when the option is added, and
// the help says it.
class NumberOptions
{
public:
    void add(const QString &name, const QString &help, int *target, int min = 1,
             const QString &valueName = QStringLiteral("n"));

    void addTo(QCommandLineParser *parser) const;

    // Reads every option into its target. A value that is not a whole number of at least the
    // option's least value is said on stderr, naming the program, the option and the value
    // given, and gives false: the benchmark then exits with code 2, its setup error.
    bool read(const QCommandLineParser &parser) const;

private:
    struct Number
    {
        QCommandLineOption option;
        int *target;
        int min;
    };
    std::vector<Number> m_numbers;
};

} // namespace lifeline::bench
