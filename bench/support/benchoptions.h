#pragma once

class QCommandLineOption;
class QCommandLineParser;

namespace lifeline::bench {

// Reads `option` as a whole number of at least min into *value. Anything else is said on stderr,
// naming the program, the option and the value given, and gives false: the benchmark then exits
// with code 2, its setup error.
bool readWholeNumber(const QCommandLineParser &parser, const QCommandLineOption &option, int min,
                     int *value);

} // namespace lifeline::bench
