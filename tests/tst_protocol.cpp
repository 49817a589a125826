// The wire codec shared by client and server (core/protocol): every frame the encoders write
// decodes to what went in, and every malformed input is refused with an error that names the
// problem.

#include <protocol.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace lifeline;

namespace {

QJsonObject parseObject(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QByteArray toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// What a frame of each type looks like when it is valid, for the tables to break one field at a
// time.
QList<QJsonObject> validFrames()
{
    return {
        parseObject(protocol::hello(QStringLiteral("app"), QStringLiteral("alice"),
                                    QStringLiteral("secret"))),
        parseObject(protocol::welcome(QStringLiteral("alice"), {QStringLiteral("typing")})),
        parseObject(protocol::ping(1)),
        parseObject(protocol::pong(1)),
        parseObject(protocol::throttle({QStringLiteral("typing")})),
        parseObject(protocol::error(QStringLiteral("ERR_PROTOCOL"), QStringLiteral("m"),
                                    QStringLiteral("d"))),
        parseObject(protocol::sync(42)),
        parseObject(protocol::send(QStringLiteral("id-1"), QStringLiteral("lobby"),
                                   QStringLiteral("hi"), 1700000000000)),
        parseObject(protocol::typing(QStringLiteral("lobby"), true)),
        parseObject(protocol::ack(QStringLiteral("id-1"), 7)),
        parseObject(protocol::nack(QStringLiteral("id-1"), QStringLiteral("ERR_MESSAGE_TOO_LARGE"),
                                   QStringLiteral("m"))),
        parseObject(protocol::retry(QStringLiteral("id-1"), 250)),
        parseObject(protocol::message(QStringLiteral("id-1"), QStringLiteral("lobby"),
                                      QStringLiteral("bob"), QStringLiteral("hi"), 7,
                                      1700000000000)),
        parseObject(protocol::gap(1, 99)),
        parseObject(protocol::synced(7)),
        parseObject(protocol::typists(QStringLiteral("lobby"), {QStringLiteral("bob")})),
        parseObject(protocol::presence({QStringLiteral("alice"), QStringLiteral("bob")})),
        parseObject(protocol::presenceDiff({QStringLiteral("carol")}, {QStringLiteral("bob")})),
    };
}

} // namespace

class tst_Protocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodersRoundTrip_data();
    void encodersRoundTrip();
    void acceptsWhatThePeerMayWrite_data();
    void acceptsWhatThePeerMayWrite();
    void refusesMalformedInput_data();
    void refusesMalformedInput();
    void byteAndStringOverloadsAgree();
    void everyFrameTypeDecodesWithItsFields();
};

void tst_Protocol::encodersRoundTrip_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<QJsonObject>("expected"); // every field, "type" included

    const auto object = [](const QString &type, QJsonObject fields) {
        fields.insert(QStringLiteral("type"), type);
        return fields;
    };
    const QString unicode = QStringLiteral("J\u00fcrgen \u2603 \U0001F600 \"quoted\" \\ \n");

    QTest::newRow("hello") << protocol::hello(QStringLiteral("org.lifeline.app"),
                                              QStringLiteral("alice"), QStringLiteral("t0k3n"))
                           << object(protocol::type::Hello,
                                     {{QStringLiteral("version"), 1},
                                      {QStringLiteral("appId"), QStringLiteral("org.lifeline.app")},
                                      {QStringLiteral("uid"), QStringLiteral("alice")},
                                      {QStringLiteral("token"), QStringLiteral("t0k3n")}});
    QTest::newRow("hello with unicode and empty strings")
        << protocol::hello(QString(), unicode, QString())
        << object(protocol::type::Hello,
                  {{QStringLiteral("version"), 1},
                   {QStringLiteral("appId"), QString()},
                   {QStringLiteral("uid"), unicode},
                   {QStringLiteral("token"), QString()}});
    QTest::newRow("welcome, nothing throttled")
        << protocol::welcome(QStringLiteral("bob"), {})
        << object(protocol::type::Welcome,
                  {{QStringLiteral("version"), 1},
                   {QStringLiteral("uid"), QStringLiteral("bob")},
                   {QStringLiteral("throttled"), QJsonArray()}});
    QTest::newRow("welcome, two throttled")
        << protocol::welcome(QStringLiteral("bob"),
                             {QStringLiteral("typing"), QStringLiteral("presence")})
        << object(protocol::type::Welcome,
                  {{QStringLiteral("version"), 1},
                   {QStringLiteral("uid"), QStringLiteral("bob")},
                   {QStringLiteral("throttled"),
                    QJsonArray {QStringLiteral("typing"), QStringLiteral("presence")}}});
    for (const qint64 id :
         {qint64(0), qint64(1), qint64(-1), qint64(1) << 31, qint64(1) << 53, -(qint64(1) << 53)}) {
        QTest::addRow("ping %lld", static_cast<long long>(id))
            << protocol::ping(id) << object(protocol::type::Ping, {{QStringLiteral("id"), id}});
        QTest::addRow("pong %lld", static_cast<long long>(id))
            << protocol::pong(id) << object(protocol::type::Pong, {{QStringLiteral("id"), id}});
    }
    QTest::newRow("throttle, empty")
        << protocol::throttle({})
        << object(protocol::type::Throttle, {{QStringLiteral("features"), QJsonArray()}});
    QTest::newRow("throttle, unicode")
        << protocol::throttle({unicode, QString()})
        << object(protocol::type::Throttle,
                  {{QStringLiteral("features"), QJsonArray {unicode, QString()}}});
    QTest::newRow("error") << protocol::error(QStringLiteral("ERR_AUTH_FAILED"), unicode,
                                              QStringLiteral("log in again"))
                           << object(protocol::type::Error,
                                     {{QStringLiteral("code"), QStringLiteral("ERR_AUTH_FAILED")},
                                      {QStringLiteral("message"), unicode},
                                      {QStringLiteral("details"), QStringLiteral("log in again")}});
    QTest::newRow("presence") << protocol::presence({QStringLiteral("alice"), unicode})
                              << object(protocol::type::Presence,
                                        {{QStringLiteral("users"),
                                          QJsonArray {QStringLiteral("alice"), unicode}}});
    QTest::newRow("presenceDiff, both")
        << protocol::presenceDiff({QStringLiteral("alice"), QStringLiteral("bob")}, {unicode})
        << object(protocol::type::PresenceDiff,
                  {{QStringLiteral("online"),
                    QJsonArray {QStringLiteral("alice"), QStringLiteral("bob")}},
                   {QStringLiteral("offline"), QJsonArray {unicode}}});
    QTest::newRow("presenceDiff, online only")
        << protocol::presenceDiff({QStringLiteral("alice")}, {})
        << object(protocol::type::PresenceDiff,
                  {{QStringLiteral("online"), QJsonArray {QStringLiteral("alice")}},
                   {QStringLiteral("offline"), QJsonArray()}});
    QTest::newRow("presenceDiff, offline only")
        << protocol::presenceDiff({}, {QStringLiteral("bob")})
        << object(protocol::type::PresenceDiff,
                  {{QStringLiteral("online"), QJsonArray()},
                   {QStringLiteral("offline"), QJsonArray {QStringLiteral("bob")}}});
}

void tst_Protocol::encodersRoundTrip()
{
    QFETCH(QString, encoded);
    QFETCH(QJsonObject, expected);

    // The encoders write exactly the documented fields, as one compact line.
    QCOMPARE(parseObject(encoded), expected);
    QVERIFY(!encoded.contains(QLatin1Char('\n')));

    protocol::DecodeError error;
    const protocol::Frame frame = protocol::Frame::decode(encoded, &error);
    QVERIFY2(frame.isValid(), qPrintable(error.reason));
    QCOMPARE(frame.type(), expected.value(QStringLiteral("type")).toString());
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        const QString field = it.key();
        switch (it.value().type()) {
        case QJsonValue::String:
            QCOMPARE(frame.text(field), it.value().toString());
            break;
        case QJsonValue::Double:
            QCOMPARE(frame.integer(field), it.value().toInteger());
            break;
        case QJsonValue::Array: {
            QStringList list;
            for (const QJsonValue &item : it.value().toArray())
                list.append(item.toString());
            QCOMPARE(frame.stringList(field), list);
            break;
        }
        case QJsonValue::Null:
        case QJsonValue::Bool:
        case QJsonValue::Object:
        case QJsonValue::Undefined:
            QFAIL("the table holds only strings, integers and string arrays");
        }
    }
}

void tst_Protocol::acceptsWhatThePeerMayWrite_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("type");

    QTest::newRow("unknown extra fields are ignored")
        << QByteArray(R"({"type":"ping","id":3,"future":{"nested":[1,2]},"x":null})")
        << protocol::type::Ping;
    QTest::newRow("white space and field order")
        << QByteArray(" {\n \"id\" : 3 ,\t\"type\" : \"pong\" }\n") << protocol::type::Pong;
    QTest::newRow("integer written with a zero fraction")
        << QByteArray(R"({"type":"ping","id":3.0})") << protocol::type::Ping;
    QTest::newRow("integer in exponent form")
        << QByteArray(R"({"type":"ping","id":1e3})") << protocol::type::Ping;
    QTest::newRow("2^53") << QByteArray(R"({"type":"ping","id":9007199254740992})")
                          << protocol::type::Ping;
    QTest::newRow("-2^53") << QByteArray(R"({"type":"ping","id":-9007199254740992})")
                           << protocol::type::Ping;
    QTest::newRow("escaped unicode")
        << QByteArray(R"({"type":"throttle","features":["\u00fc"]})") << protocol::type::Throttle;
}

void tst_Protocol::acceptsWhatThePeerMayWrite()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, type);
    protocol::DecodeError error {protocol::DecodeError::Kind::Malformed, QStringLiteral("unset")};
    const protocol::Frame frame = protocol::Frame::decode(input, &error);
    QVERIFY2(frame.isValid(), qPrintable(error.reason));
    QCOMPARE(frame.type(), type);
    QCOMPARE(error.kind, protocol::DecodeError::Kind::None);
}

void tst_Protocol::refusesMalformedInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("problem"); // a part of the error message

    const QString invalidJson = QStringLiteral("invalid JSON");
    const QString notObject = QStringLiteral("must be a JSON object");
    const QString typeNotString = QStringLiteral("field \"type\" must be a string");

    QTest::newRow("empty") << QByteArray() << invalidJson;
    QTest::newRow("white space only") << QByteArray(" \n\t") << invalidJson;
    QTest::newRow("not JSON") << QByteArray("hello") << invalidJson;
    QTest::newRow("truncated") << QByteArray(R"({"type":"ping","id":1)") << invalidJson;
    QTest::newRow("trailing garbage") << QByteArray(R"({"type":"ping","id":1}x)") << invalidJson;
    QTest::newRow("two objects") << QByteArray(R"({"type":"ping","id":1}{"type":"ping","id":2})")
                                 << invalidJson;
    QTest::newRow("single quotes") << QByteArray("{'type':'ping','id':1}") << invalidJson;
    QTest::newRow("invalid UTF-8")
        << QByteArray("{\"type\":\"p\xC3\x28ng\",\"id\":1}") << invalidJson;
    QTest::newRow("NaN") << QByteArray(R"({"type":"ping","id":NaN})") << invalidJson;
    QTest::newRow("Infinity") << QByteArray(R"({"type":"ping","id":Infinity})") << invalidJson;
    QTest::newRow("array") << QByteArray(R"([{"type":"ping","id":1}])") << notObject;
    QTest::newRow("empty array") << QByteArray("[]") << notObject;
    QTest::newRow("deeply nested arrays")
        << QByteArray(10000, '[') + QByteArray(10000, ']') << invalidJson;
    QTest::newRow("deeply nested field") << QByteArray(R"({"type":"ping","id":1,"x":)")
            + QByteArray(10000, '[') + QByteArray(10000, ']')
            + '}' << invalidJson;
    QTest::newRow("deeply nested, unterminated") << QByteArray(10000, '[') << invalidJson;

    QTest::newRow("missing type") << QByteArray(R"({"id":1})") << typeNotString;
    QTest::newRow("empty object") << QByteArray("{}") << typeNotString;
    QTest::newRow("type is a number") << QByteArray(R"({"type":1})") << typeNotString;
    QTest::newRow("type is null") << QByteArray(R"({"type":null})") << typeNotString;
    QTest::newRow("type is an array") << QByteArray(R"({"type":["ping"]})") << typeNotString;
    QTest::newRow("type is an object") << QByteArray(R"({"type":{}})") << typeNotString;
    QTest::newRow("unknown type") << QByteArray(R"({"type":"surprise"})")
                                  << QStringLiteral("unknown frame type \"surprise\"");
    QTest::newRow("empty type") << QByteArray(R"({"type":""})")
                                << QStringLiteral("unknown frame type");
    QTest::newRow("type in upper case")
        << QByteArray(R"({"type":"PING","id":1})") << QStringLiteral("unknown frame type");

    // Each field of each type, missing and with every wrong JSON type.
    const QJsonValue wrongForString[] = {1, QJsonValue::Null, true, QJsonArray(), QJsonObject()};
    const QJsonValue wrongForInteger[] = {
        QStringLiteral("1"),
        QJsonValue::Null,
        true,
        QJsonArray {1},
        QJsonObject(),
        1.5,
        -0.25,
        9007199254740994.0, // 2^53 + 2, the first double above 2^53
        -9007199254740994.0,
        1e300,
    };
    const QJsonValue wrongForBoolean[]
        = {1, 0, QStringLiteral("true"), QJsonValue::Null, QJsonArray(), QJsonObject()};
    const QJsonValue wrongForList[] = {
        QStringLiteral("typing"),
        1,
        QJsonValue::Null,
        QJsonObject(),
        QJsonArray {1},
        QJsonArray {QStringLiteral("a"), QJsonValue::Null},
        // Wrapped: clang reads QJsonArray {QJsonArray {...}} as a copy of the inner array.
        QJsonArray {QJsonValue(QJsonArray {QStringLiteral("a")})},
    };
    for (const QJsonObject &valid : validFrames()) {
        const QString type = valid.value(QStringLiteral("type")).toString();
        for (auto it = valid.constBegin(); it != valid.constEnd(); ++it) {
            const QString field = it.key();
            if (field == QLatin1String("type"))
                continue;
            const QString problem
                = QStringLiteral("field \"%1\" of a \"%2\" frame must be").arg(field, type);
            QJsonObject missing = valid;
            missing.remove(field);
            QTest::addRow("%s without %s", qPrintable(type), qPrintable(field))
                << toJson(missing) << problem;

            const QJsonValue *begin = nullptr;
            const QJsonValue *end = nullptr;
            if (it.value().isString()) {
                begin = std::begin(wrongForString);
                end = std::end(wrongForString);
            } else if (it.value().isDouble()) {
                begin = std::begin(wrongForInteger);
                end = std::end(wrongForInteger);
            } else if (it.value().isBool()) {
                begin = std::begin(wrongForBoolean);
                end = std::end(wrongForBoolean);
            } else {
                begin = std::begin(wrongForList);
                end = std::end(wrongForList);
            }
            for (const QJsonValue *wrong = begin; wrong != end; ++wrong) {
                QJsonObject broken = valid;
                broken.insert(field, *wrong);
                const QByteArray json = toJson(broken);
                QTest::addRow("%s with %s", qPrintable(type), json.constData()) << json << problem;
            }
        }
    }

    // Numbers a double cannot hold are refused by Qt's JSON parser, not read as infinity.
    QTest::newRow("number too large for a double")
        << QByteArray(R"({"type":"ping","id":1e400})") << invalidJson;

    // Huge input must not make the error message huge.
    QTest::newRow("huge type name") << QByteArray(R"({"type":")") + QByteArray(1024 * 1024, 'x')
            + QByteArray("\"}") << QStringLiteral("unknown frame type");
    QTest::newRow("huge string as id")
        << QByteArray(R"({"type":"ping","id":")") + QByteArray(1024 * 1024, '1') + QByteArray("\"}")
        << QStringLiteral("field \"id\" of a \"ping\" frame must be an integer");
    QTest::newRow("huge number as id")
        << QByteArray(R"({"type":"ping","id":)") + QByteArray(1000, '9') + '}' << invalidJson;
}

void tst_Protocol::refusesMalformedInput()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, problem);
    protocol::DecodeError decodeError;
    const protocol::Frame frame = protocol::Frame::decode(input, &decodeError);
    const QString &error = decodeError.reason;
    QVERIFY(!frame.isValid());
    QVERIFY(frame.type().isEmpty());
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(problem), qPrintable(error));
    QVERIFY2(error.size() < 300, "the error message grows with the input");
    // A receiver may skip a well-formed frame of a type a newer peer added, never a broken one.
    QCOMPARE(decodeError.kind,
             problem.startsWith(QLatin1String("unknown frame type"))
                 ? protocol::DecodeError::Kind::UnknownType
                 : protocol::DecodeError::Kind::Malformed);
}

void tst_Protocol::byteAndStringOverloadsAgree()
{
    protocol::DecodeError fromBytes;
    protocol::DecodeError fromText;
    const QByteArray bytes = R"({"type":"throttle","features":["typing",7]})";
    QVERIFY(!protocol::Frame::decode(bytes, &fromBytes).isValid());
    QVERIFY(!protocol::Frame::decode(QString::fromUtf8(bytes), &fromText).isValid());
    QCOMPARE(fromText.reason, fromBytes.reason);
    QCOMPARE(fromText.kind, fromBytes.kind);

    const QString unicode = protocol::throttle({QStringLiteral("\u2603")});
    QCOMPARE(protocol::Frame::decode(unicode, &fromText).stringList(QStringLiteral("features")),
             protocol::Frame::decode(unicode.toUtf8(), &fromBytes)
                 .stringList(QStringLiteral("features")));
}

void tst_Protocol::everyFrameTypeDecodesWithItsFields()
{
    for (const QJsonObject &valid : validFrames()) {
        protocol::DecodeError error;
        const protocol::Frame frame = protocol::Frame::decode(toJson(valid), &error);
        QVERIFY2(frame.isValid(), qPrintable(error.reason));
        QCOMPARE(frame.type(), valid.value(QStringLiteral("type")).toString());
    }
    protocol::DecodeError error;
    const protocol::Frame typing
        = protocol::Frame::decode(protocol::typing(QStringLiteral("lobby"), false), &error);
    QCOMPARE(typing.boolean(QStringLiteral("typing")), false);
    const protocol::Frame message = protocol::Frame::decode(
        protocol::message(QStringLiteral("id"), QStringLiteral("r"), QStringLiteral("bob"),
                          QStringLiteral("héllo ✓"), 9007199254740992LL, 1700000000123LL),
        &error);
    QCOMPARE(message.text(QStringLiteral("text")), QStringLiteral("héllo ✓"));
    QCOMPARE(message.integer(QStringLiteral("seq")), 9007199254740992LL);
    QCOMPARE(message.integer(QStringLiteral("sentAt")), 1700000000123LL);
}

QTEST_GUILESS_MAIN(tst_Protocol)
#include "tst_protocol.moc"
