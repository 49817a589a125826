#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <cmath>

namespace lifeline::protocol {

namespace {

enum class FieldKind { String, Integer, StringList };

struct Field
{
    const char *name;
    FieldKind kind;
};

struct Schema
{
    const QString &type;
    Field fields[4]; // unused entries have no name
};

// The one table that says what each frame must carry. Unknown extra fields are ignored so
// that a newer peer can add fields without breaking an older one.
const Schema schemas[] = {
    {type::Hello,
     {{"version", FieldKind::Integer},
      {"appId", FieldKind::String},
      {"uid", FieldKind::String},
      {"token", FieldKind::String}}},
    {type::Welcome,
     {{"version", FieldKind::Integer},
      {"uid", FieldKind::String},
      {"throttled", FieldKind::StringList}}},
    {type::Ping, {{"id", FieldKind::Integer}}},
    {type::Pong, {{"id", FieldKind::Integer}}},
    {type::Throttle, {{"features", FieldKind::StringList}}},
    {type::Error,
     {{"code", FieldKind::String}, {"message", FieldKind::String}, {"details", FieldKind::String}}},
};

// Integers travel as JSON numbers (doubles); beyond 2^53 they are no longer exact.
constexpr double MaxExactInteger = 9007199254740992.0;

bool isInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    return std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= MaxExactInteger;
}

bool isStringList(const QJsonValue &value)
{
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    return std::all_of(array.begin(), array.end(),
                       [](const QJsonValue &item) { return item.isString(); });
}

bool hasKind(const QJsonValue &value, FieldKind kind)
{
    switch (kind) {
    case FieldKind::String:
        return value.isString();
    case FieldKind::Integer:
        return isInteger(value);
    case FieldKind::StringList:
        return isStringList(value);
    }
    return false;
}

const char *kindName(FieldKind kind)
{
    switch (kind) {
    case FieldKind::String:
        return "a string";
    case FieldKind::Integer:
        return "an integer";
    case FieldKind::StringList:
        return "an array of strings";
    }
    return "";
}

QString encode(const QString &type, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), type);
    return QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact));
}

} // namespace

Frame::Frame(QString type, QJsonObject fields)
    : m_type(std::move(type))
    , m_fields(std::move(fields))
{ }

Frame Frame::decode(const QString &text, QString *error)
{
    return decode(text.toUtf8(), error);
}

Frame Frame::decode(const QByteArray &utf8, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("invalid JSON at offset %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return {};
    }
    if (!document.isObject()) {
        *error = QStringLiteral("a frame must be a JSON object");
        return {};
    }
    const QJsonObject object = document.object();
    const QJsonValue typeValue = object.value(QStringLiteral("type"));
    if (!typeValue.isString()) {
        *error = QStringLiteral("field \"type\" must be a string");
        return {};
    }
    const QString frameType = typeValue.toString();
    for (const Schema &schema : schemas) {
        if (schema.type != frameType)
            continue;
        for (const Field &field : schema.fields) {
            if (!field.name)
                break;
            const QString name = QString::fromLatin1(field.name);
            if (!hasKind(object.value(name), field.kind)) {
                *error = QStringLiteral("field \"%1\" of a \"%2\" frame must be %3")
                             .arg(name, frameType, QString::fromLatin1(kindName(field.kind)));
                return {};
            }
        }
        return Frame(frameType, object);
    }
    *error = QStringLiteral("unknown frame type \"%1\"").arg(frameType.left(64));
    return {};
}

QString Frame::text(const QString &field) const
{
    return m_fields.value(field).toString();
}

qint64 Frame::integer(const QString &field) const
{
    return static_cast<qint64>(m_fields.value(field).toDouble());
}

QStringList Frame::stringList(const QString &field) const
{
    QStringList list;
    const QJsonArray array = m_fields.value(field).toArray();
    list.reserve(array.size());
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

QString hello(const QString &appId, const QString &uid, const QString &token)
{
    return encode(type::Hello,
                  {{QStringLiteral("version"), Version},
                   {QStringLiteral("appId"), appId},
                   {QStringLiteral("uid"), uid},
                   {QStringLiteral("token"), token}});
}

QString welcome(const QString &uid, const QStringList &throttled)
{
    return encode(type::Welcome,
                  {{QStringLiteral("version"), Version},
                   {QStringLiteral("uid"), uid},
                   {QStringLiteral("throttled"), QJsonArray::fromStringList(throttled)}});
}

QString ping(qint64 id)
{
    return encode(type::Ping, {{QStringLiteral("id"), id}});
}

QString pong(qint64 id)
{
    return encode(type::Pong, {{QStringLiteral("id"), id}});
}

QString throttle(const QStringList &features)
{
    return encode(type::Throttle,
                  {{QStringLiteral("features"), QJsonArray::fromStringList(features)}});
}

QString error(const QString &code, const QString &message, const QString &details)
{
    return encode(type::Error,
                  {{QStringLiteral("code"), code},
                   {QStringLiteral("message"), message},
                   {QStringLiteral("details"), details}});
}

} // namespace lifeline::protocol
