#include "sampleframes.h"

#include <protocol.h>

using namespace lifeline;

QStringList sampleFrames()
{
    // The largest integer the protocol carries exactly (docs/protocol.md): where overflows hide.
    constexpr qint64 maxInteger = qint64(1) << 53;
    constexpr qint64 sentAt = 1700000000000;
    const QString id = QStringLiteral("0b6e3cbe-5d4c-4f4e-9a57-2f3f4c1b2a10");
    const QString room = QStringLiteral("lobby");
    const QString alice = QStringLiteral("alice");
    const QString bob = QStringLiteral("bob");
    const QStringList features = {QStringLiteral("typing"), QStringLiteral("presence")};
    // Non-ASCII, a surrogate pair, and characters JSON has to escape.
    const QString unusualText = QStringLiteral("Grüße \U0001F44B \"quoted\" \\ \t\n\u0001");
    // A text as long as the server takes, in multi-byte characters.
    const QString longestText = QString(protocol::MaxTextBytes / 2, QChar(0x00E9));

    return {
        protocol::hello(QStringLiteral("lifeline"), alice, QStringLiteral("secret-token")),
        protocol::welcome(alice, {}),
        protocol::welcome(alice, features),
        protocol::ping(1),
        protocol::ping(maxInteger),
        protocol::pong(1),
        protocol::throttle({}),
        protocol::throttle(features),
        protocol::error(protocol::code::Protocol, QStringLiteral("a frame must be a JSON object"),
                        QStringLiteral("The frame was ignored.")),
        protocol::sync(0),
        protocol::sync(maxInteger),
        protocol::send(id, room, QStringLiteral("hello"), sentAt),
        protocol::send(id, room, unusualText, sentAt),
        protocol::send(id, room, longestText, sentAt),
        protocol::typing(room, true),
        protocol::typing(room, false),
        protocol::ack(id, 1),
        protocol::ack(id, maxInteger),
        protocol::nack(id, protocol::code::MessageTooLarge,
                       QStringLiteral("the text is 20000 bytes of UTF-8")),
        protocol::retry(id, 1),
        protocol::message(id, room, bob, QStringLiteral("hi"), 1, sentAt),
        protocol::message(id, room, bob, unusualText, maxInteger, -sentAt),
        protocol::gap(1, 99),
        protocol::synced(0),
        protocol::typists(room, {bob, alice}),
        protocol::typists(room, {}),
        protocol::presence({alice, bob}),
        protocol::presence({}),
        protocol::presenceDiff({alice, bob}, {}),
        protocol::presenceDiff({}, {bob}),
        protocol::presenceDiff({alice}, {bob, unusualText}),
    };
}
