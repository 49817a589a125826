// Writes the protocol fuzzer's seed corpus and dictionary from the protocol's encoders, at build
// time:
//   fuzz_protocol_seeds SEED_DIRECTORY DICTIONARY_FILE
// Fails if Frame::decode() refuses a frame an encoder wrote: the seeds must be valid frames.

#include "sampleframes.h"

#include <protocol.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cstdio>

using namespace lifeline;

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(content) == content.size())
        return true;
    std::fprintf(stderr, "fuzz_protocol_seeds: cannot write %s: %s\n", qUtf8Printable(path),
                 qUtf8Printable(file.errorString()));
    return false;
}

// A libFuzzer dictionary entry: the token as it stands in a frame, in JSON quotes.
QByteArray dictionaryEntry(const QString &token)
{
    QByteArray escaped;
    for (const char c : token.toUtf8()) {
        if (c == '"' || c == '\\')
            escaped += '\\';
        escaped += c;
    }
    return "\"\\\"" + escaped + "\\\"\"\n";
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: fuzz_protocol_seeds SEED_DIRECTORY DICTIONARY_FILE\n");
        return 2;
    }
    const QDir seeds(QString::fromLocal8Bit(argv[1]));
    if (!seeds.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "fuzz_protocol_seeds: cannot create %s\n", argv[1]);
        return 1;
    }
    QSet<QString> tokens;
    const QStringList frames = sampleFrames();
    for (qsizetype i = 0; i < frames.size(); ++i) {
        protocol::DecodeError error;
        const protocol::Frame frame = protocol::Frame::decode(frames.at(i), &error);
        if (!frame.isValid()) {
            std::fprintf(stderr,
                         "fuzz_protocol_seeds: Frame::decode() refuses what an encoder "
                         "wrote (%s): %s\n",
                         qUtf8Printable(error.reason), qUtf8Printable(frames.at(i).left(200)));
            return 1;
        }
        const QString name
            = QStringLiteral("%1-%2.json").arg(i, 2, 10, QLatin1Char('0')).arg(frame.type());
        if (!writeFile(seeds.filePath(name), frames.at(i).toUtf8()))
            return 1;
        tokens.insert(frame.type());
        const QStringList keys = QJsonDocument::fromJson(frames.at(i).toUtf8()).object().keys();
        for (const QString &key : keys)
            tokens.insert(key);
    }
    QStringList sorted(tokens.begin(), tokens.end());
    std::sort(sorted.begin(), sorted.end());
    QByteArray dictionary = "# Written by fuzz_protocol_seeds: frame types and field names.\n";
    for (const QString &token : std::as_const(sorted))
        dictionary += dictionaryEntry(token);
    return writeFile(QString::fromLocal8Bit(argv[2]), dictionary) ? 0 : 1;
}
