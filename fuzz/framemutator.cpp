#include "framemutator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>
#include <random>

namespace {

// Values at the edges of what each getter takes, and of the kinds no getter takes.
const QList<QJsonValue> &edgeValues()
{
    constexpr double maxExactInteger = 9007199254740992.0; // 2^53
    static const QList<QJsonValue> values = {
        QString(),
        QStringLiteral("x"),
        QString(100, QChar(0x00E9)),
        0,
        -1,
        maxExactInteger,
        -maxExactInteger,
        maxExactInteger + 2,
        1.5,
        1e300,
        -0.0,
        true,
        false,
        QJsonValue::Null,
        QJsonArray(),
        QJsonArray {QStringLiteral("a"), QStringLiteral("b")},
        QJsonArray {1},
        QJsonArray {QJsonValue(QJsonArray())}, // not QJsonArray {QJsonArray()}: clang copies that
        QJsonObject(),
    };
    return values;
}

} // namespace

std::size_t mutateFrameAsJson(std::uint8_t *data, std::size_t size, std::size_t maxSize,
                              unsigned int seed, const QStringList &types,
                              const QStringList &fieldNames)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return 0;
    QJsonObject frame = document.object();
    std::minstd_rand random(seed);
    const auto pick = [&random](const auto &list) { return list.at(random() % list.size()); };
    switch (random() % 3) {
    case 0:
        if (frame.isEmpty())
            return 0;
        frame.remove(pick(frame.keys()));
        break;
    case 1: {
        const QStringList keys = frame.keys();
        const QString key = keys.isEmpty() || random() % 2 ? pick(fieldNames) : pick(keys);
        frame.insert(key, pick(edgeValues()));
        break;
    }
    case 2:
        frame.insert(QStringLiteral("type"), pick(types));
        break;
    }
    const QByteArray mutated = QJsonDocument(frame).toJson(QJsonDocument::Compact);
    if (std::size_t(mutated.size()) > maxSize)
        return 0;
    std::memcpy(data, mutated.constData(), std::size_t(mutated.size()));
    return std::size_t(mutated.size());
}
