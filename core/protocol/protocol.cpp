#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <cmath>

namespace lifeline::protocol {

namespace {

enum class FieldKind { String, Integer, Boolean, StringList };

struct Field
{
    const char *name;
    FieldKind kind;
};

struct Schema
{
    const QString &type;
    Field fields[6]; // unused entries have no name
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
    {type::Sync, {{"since", FieldKind::Integer}}},
    {type::Send,
     {{"id", FieldKind::String},
      {"room", FieldKind::String},
      {"text", FieldKind::String},
      {"sentAt", FieldKind::Integer}}},
    {type::Typing, {{"room", FieldKind::String}, {"typing", FieldKind::Boolean}}},
    {type::Ack, {{"id", FieldKind::String}, {"seq", FieldKind::Integer}}},
    {type::Nack,
     {{"id", FieldKind::String}, {"code", FieldKind::String}, {"message", FieldKind::String}}},
    {type::Retry, {{"id", FieldKind::String}, {"afterMs", FieldKind::Integer}}},
    {type::Message,
     {{"id", FieldKind::String},
      {"room", FieldKind::String},
      {"sender", FieldKind::String},
      {"text", FieldKind::String},
      {"seq", FieldKind::Integer},
      {"sentAt", FieldKind::Integer}}},
    {type::Gap, {{"from", FieldKind::Integer}, {"to", FieldKind::Integer}}},
    {type::Synced, {{"seq", FieldKind::Integer}}},
    {type::Typists, {{"room", FieldKind::String}, {"users", FieldKind::StringList}}},
    {type::Presence, {{"users", FieldKind::StringList}}},
    {type::PresenceDiff, {{"online", FieldKind::StringList}, {"offline", FieldKind::StringList}}},
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
    case FieldKind::Boolean:
        return value.isBool();
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
    case FieldKind::Boolean:
        return "true or false";
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

Frame Frame::decode(const QString &text, DecodeError *error)
{
    return decode(text.toUtf8(), error);
}

Frame Frame::decode(const QByteArray &utf8, DecodeError *error)
{
    const auto refuse
        = [error](QString reason, DecodeError::Kind kind = DecodeError::Kind::Malformed) {
              *error = {kind, std::move(reason)};
              return Frame();
          };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return refuse(QStringLiteral("invalid JSON at offset %1: %2")
                          .arg(parseError.offset)
                          .arg(parseError.errorString()));
    }
    if (!document.isObject()) {
        return refuse(QStringLiteral("a frame must be a JSON object"));
    }
    const QJsonObject object = document.object();
    const QJsonValue typeValue = object.value(QStringLiteral("type"));
    if (!typeValue.isString()) {
        return refuse(QStringLiteral("field \"type\" must be a string"));
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
                return refuse(QStringLiteral("field \"%1\" of a \"%2\" frame must be %3")
                                  .arg(name, frameType, QString::fromLatin1(kindName(field.kind))));
            }
        }
        *error = {};
        return Frame(frameType, object);
    }
    return refuse(QStringLiteral("unknown frame type \"%1\"").arg(frameType.left(64)),
                  DecodeError::Kind::UnknownType);
}

QString Frame::text(const QString &field) const
{
    return m_fields.value(field).toString();
}

qint64 Frame::integer(const QString &field) const
{
    return static_cast<qint64>(m_fields.value(field).toDouble());
}

bool Frame::boolean(const QString &field) const
{
    return m_fields.value(field).toBool();
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

QString sync(qint64 since)
{
    return encode(type::Sync, {{QStringLiteral("since"), since}});
}

QString send(const QString &id, const QString &room, const QString &text, qint64 sentAt)
{
    return encode(type::Send,
                  {{QStringLiteral("id"), id},
                   {QStringLiteral("room"), room},
                   {QStringLiteral("text"), text},
                   {QStringLiteral("sentAt"), sentAt}});
}

QString typing(const QString &room, bool typing)
{
    return encode(type::Typing,
                  {{QStringLiteral("room"), room}, {QStringLiteral("typing"), typing}});
}

QString ack(const QString &id, qint64 seq)
{
    return encode(type::Ack, {{QStringLiteral("id"), id}, {QStringLiteral("seq"), seq}});
}

QString nack(const QString &id, const QString &code, const QString &message)
{
    return encode(type::Nack,
                  {{QStringLiteral("id"), id},
                   {QStringLiteral("code"), code},
                   {QStringLiteral("message"), message}});
}

QString retry(const QString &id, qint64 afterMs)
{
    return encode(type::Retry, {{QStringLiteral("id"), id}, {QStringLiteral("afterMs"), afterMs}});
}

QString message(const QString &id, const QString &room, const QString &sender, const QString &text,
                qint64 seq, qint64 sentAt)
{
    return encode(type::Message,
                  {{QStringLiteral("id"), id},
                   {QStringLiteral("room"), room},
                   {QStringLiteral("sender"), sender},
                   {QStringLiteral("text"), text},
                   {QStringLiteral("seq"), seq},
                   {QStringLiteral("sentAt"), sentAt}});
}

QString gap(qint64 from, qint64 to)
{
    return encode(type::Gap, {{QStringLiteral("from"), from}, {QStringLiteral("to"), to}});
}

QString synced(qint64 seq)
{
    return encode(type::Synced, {{QStringLiteral("seq"), seq}});
}

QString typists(const QString &room, const QStringList &users)
{
    return encode(type::Typists,
                  {{QStringLiteral("room"), room},
                   {QStringLiteral("users"), QJsonArray::fromStringList(users)}});
}

QString presence(const QStringList &users)
{
    return encode(type::Presence, {{QStringLiteral("users"), QJsonArray::fromStringList(users)}});
}

QString presenceDiff(const QStringList &online, const QStringList &offline)
{
    return encode(type::PresenceDiff,
                  {{QStringLiteral("online"), QJsonArray::fromStringList(online)},
                   {QStringLiteral("offline"), QJsonArray::fromStringList(offline)}});
}

} // namespace lifeline::protocol
