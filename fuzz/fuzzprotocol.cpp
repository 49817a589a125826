// libFuzzer target for the wire codec (core/protocol) as both ends of a link use it: the server
// decodes what a client sends (server/clientconnection.cpp), the client what the server sends
// (core/src/connectionmanager.cpp, messenger.cpp), and each then reads the fields of the frame's
// type with the typed getters. Every input is decoded from its bytes and from the QString that
// QWebSocket hands both ends, and every frame that decodes is read the way its receiver reads it.
//
// Besides crashes, sanitizer reports, timeouts and allocations over the limit
// (run-fuzz-protocol.in), an input fails (abort, saved as an artifact) when
// - decode() refuses it without a reason, or with one that quotes too much of it back: the server
//   logs that reason and sends it to the client;
// - decode() accepts it although a field that the encoders write for its type, and so its
//   receiver reads, is missing or of another kind (an integer beyond 2^53 included: the readers
//   count on seq + 1 not overflowing). The getters would then return a made-up 0 or "";
// - decode() accepts a type that no encoder writes, so that the reads below would miss it.

#include "framemutator.h"
#include "sampleframes.h"

#include <protocol.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace lifeline;

namespace {

enum class Getter { Text, Integer, Boolean, StringList };

struct FieldRead
{
    QString name;
    Getter getter;
};

// docs/protocol.md: integers are carried exactly up to 2^53.
constexpr double MaxExactInteger = 9007199254740992.0;
// decode()'s own sentences are far shorter; what it quotes of the input is cut at 64 characters.
constexpr qsizetype MaxErrorLength = 200;

[[noreturn]] void fail(const char *what, const QString &detail)
{
    std::fprintf(stderr, "fuzz_protocol: %s: %s\n", what, qUtf8Printable(detail.left(300)));
    std::abort();
}

Getter getterFor(const QJsonValue &value, const QString &frame)
{
    if (value.isString())
        return Getter::Text;
    if (value.isDouble())
        return Getter::Integer;
    if (value.isBool())
        return Getter::Boolean;
    if (value.isArray())
        return Getter::StringList;
    fail("an encoder wrote a field that no getter reads", frame);
}

// For each frame type, its fields and the getter a receiver reads each with, learnt from the
// frames the encoders write: a field added to the protocol is read here without a change.
QHash<QString, QList<FieldRead>> learnFieldReads()
{
    QHash<QString, QList<FieldRead>> reads;
    const QString typeKey = QStringLiteral("type");
    for (const QString &frame : sampleFrames()) {
        const QJsonObject object = QJsonDocument::fromJson(frame.toUtf8()).object();
        QList<FieldRead> fields;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() != typeKey)
                fields.append({it.key(), getterFor(it.value(), frame)});
        }
        reads.insert(object.value(typeKey).toString(), fields);
    }
    return reads;
}

const QHash<QString, QList<FieldRead>> &fieldReads()
{
    static const QHash<QString, QList<FieldRead>> reads = learnFieldReads();
    return reads;
}

// Every type and every field name the encoders write, for the mutator.
struct Vocabulary
{
    QStringList types;
    QStringList fieldNames;
};

const Vocabulary &vocabulary()
{
    static const Vocabulary words = [] {
        Vocabulary learnt;
        learnt.types = fieldReads().keys();
        for (const QList<FieldRead> &fields : fieldReads()) {
            for (const FieldRead &field : fields)
                learnt.fieldNames.append(field.name);
        }
        learnt.fieldNames.append(QStringLiteral("type"));
        learnt.fieldNames.removeDuplicates();
        return learnt;
    }();
    return words;
}

// What the getter may read from value without making anything up.
bool fits(const QJsonValue &value, Getter getter)
{
    switch (getter) {
    case Getter::Text:
        return value.isString();
    case Getter::Integer: {
        const double number = value.toDouble();
        return value.isDouble() && std::trunc(number) == number
            && std::fabs(number) <= MaxExactInteger;
    }
    case Getter::Boolean:
        return value.isBool();
    case Getter::StringList: {
        const QJsonArray array = value.toArray();
        return value.isArray()
            && std::all_of(array.begin(), array.end(),
                           [](const QJsonValue &item) { return item.isString(); });
    }
    }
    return false;
}

// Keeps the getters' results alive, so that no call can be optimised away.
volatile qsizetype sink = 0;

// raw is the frame as parsed apart from decode(), to check what decode() let through.
void readLikeTheReceiver(const protocol::Frame &frame, const QJsonObject &raw)
{
    const auto reads = fieldReads().constFind(frame.type());
    if (reads == fieldReads().constEnd())
        fail("decode() accepted a type that no encoder writes; add a frame of it to "
             "fuzz/sampleframes.cpp",
             frame.type());
    for (const FieldRead &field : *reads) {
        if (!fits(raw.value(field.name), field.getter))
            fail("decode() accepted a frame whose receiver reads a missing or mistyped field",
                 frame.type() + QLatin1Char('.') + field.name);
        switch (field.getter) {
        case Getter::Text:
            sink = sink + frame.text(field.name).size();
            break;
        case Getter::Integer:
            sink = sink + qsizetype(frame.integer(field.name) & 1);
            break;
        case Getter::Boolean:
            sink = sink + qsizetype(frame.boolean(field.name));
            break;
        case Getter::StringList:
            for (const QString &item : frame.stringList(field.name))
                sink = sink + item.size();
            break;
        }
    }
}

void decodeAndRead(const QByteArray &utf8, const protocol::Frame &frame,
                   const protocol::DecodeError &decodeError)
{
    const QString &error = decodeError.reason;
    if (frame.isValid()) {
        readLikeTheReceiver(frame, QJsonDocument::fromJson(utf8).object());
        return;
    }
    if (error.isEmpty())
        fail("decode() refused a frame without saying why", QString());
    if (error.size() > MaxErrorLength)
        fail("decode()'s reason quotes too much of the frame back", error);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // Learnt once, before the first input, so that its allocations count for none of them.
    vocabulary();
    return 0;
}

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t *data, std::size_t size, std::size_t maxSize);

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t *data, std::size_t size,
                                               std::size_t maxSize, unsigned int seed)
{
    // Every other mutation works on the JSON (framemutator.h); libFuzzer's own ones on the bytes
    // find what the parser and the UTF-8 handling make of broken input.
    if (seed % 2 == 0) {
        const std::size_t mutated = mutateFrameAsJson(data, size, maxSize, seed / 2,
                                                      vocabulary().types, vocabulary().fieldNames);
        if (mutated > 0)
            return mutated;
    }
    return LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    protocol::DecodeError error;
    decodeAndRead(bytes, protocol::Frame::decode(bytes, &error), error);
    // QWebSocket refuses text frames that are not UTF-8, but any QString can still arrive; this
    // is the overload both ends call.
    const QString text = QString::fromUtf8(bytes);
    error = {};
    decodeAndRead(text.toUtf8(), protocol::Frame::decode(text, &error), error);
    return 0;
}
