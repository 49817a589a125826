#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

// The Lifeline wire protocol (docs/protocol.md): JSON text frames, one object each, with a
// "type". Client and server share this codec so that both sides accept exactly the same frames.
namespace lifeline::protocol {

inline constexpr int Version = 1;
// Server side limit for one frame and one message.
inline constexpr quint64 MaxServerIncomingBytes = 64 * 1024;
// Client side limit. Larger than the server's because legitimate frames from the server can
// exceed 64 KiB: a `presence` list grows with the users online, and a `message` frame repeats a
// `send` of up to 64 KiB with `sender` and `seq` added. A frame over it is a protocol error.
inline constexpr quint64 MaxClientIncomingBytes = 1024 * 1024;
// A message's text, counted in UTF-8 bytes; the frame around it stays under the server limit.
inline constexpr int MaxTextBytes = 16 * 1024;
// Message ids are client-made UUIDs; rooms are short names.
inline constexpr int MaxIdLength = 64;
inline constexpr int MaxRoomLength = 64;

// Close codes the server uses; 4000-4999 are private to Lifeline (RFC 6455 section 7.4.2).
enum class CloseCode : quint16 {
    Normal = 1000,
    GoingAway = 1001,
    UnsupportedData = 1003,
    MessageTooBig = 1009,
    ProtocolViolation = 4000,
    AuthFailed = 4001,
    HelloTimeout = 4002,
    UnsupportedVersion = 4003,
    IdleTimeout = 4004, // nothing received, not even a WebSocket ping, for the idle timeout
    // Over a connection limit; the client retries with backoff. RFC 6455's 1013 means the same,
    // but Qt 6.4's QWebSocket takes 1012-2999 for invalid and reports 1002 without the reason.
    TryAgainLater = 4005,
};

namespace type {
inline const QString Hello = QStringLiteral("hello");
inline const QString Welcome = QStringLiteral("welcome");
inline const QString Ping = QStringLiteral("ping");
inline const QString Pong = QStringLiteral("pong");
inline const QString Throttle = QStringLiteral("throttle");
inline const QString Error = QStringLiteral("error");
// Messages ("Messages are never lost"): client to server
inline const QString Sync = QStringLiteral("sync");
inline const QString Send = QStringLiteral("send");
inline const QString Typing = QStringLiteral("typing");
// Messages: server to client
inline const QString Ack = QStringLiteral("ack");
inline const QString Nack = QStringLiteral("nack");
inline const QString Retry = QStringLiteral("retry");
inline const QString Message = QStringLiteral("message");
inline const QString Gap = QStringLiteral("gap");
inline const QString Synced = QStringLiteral("synced");
inline const QString Typists = QStringLiteral("typists");
inline const QString Presence = QStringLiteral("presence");
inline const QString PresenceDiff = QStringLiteral("presenceDiff");
} // namespace type

// Codes the server puts in `error` frames; the client reacts to each by name.
namespace code {
inline const QString Protocol = QStringLiteral("ERR_PROTOCOL");
inline const QString AuthFailed = QStringLiteral("ERR_AUTH_FAILED");
inline const QString UnsupportedVersion = QStringLiteral("ERR_UNSUPPORTED_VERSION");
inline const QString InvalidArgument = QStringLiteral("ERR_INVALID_ARGUMENT");
inline const QString MessageTooLarge = QStringLiteral("ERR_MESSAGE_TOO_LARGE");
} // namespace code

// Why Frame::decode() refused a frame: the codec's own error, since the server links the codec
// without the client SDK (the SDK turns it into a ChatError in one place, errors.cpp).
struct DecodeError
{
    // A receiver may ignore a well-formed frame of a type a newer peer added, but never a
    // broken one.
    enum class Kind { None, Malformed, UnknownType };

    Kind kind = Kind::None;
    // What is wrong, in one phrase that quotes at most 64 characters of the frame.
    QString reason;

    bool isNull() const { return kind == Kind::None; }
};

// A frame that passed the schema check of its type: every field the schema names is present
// with the right JSON type, so the getters never need to guess.
class Frame
{
public:
    Frame() = default;

    // Parses one text frame. On failure returns an invalid Frame and says why in *error.
    static Frame decode(const QByteArray &utf8, DecodeError *error);
    static Frame decode(const QString &text, DecodeError *error);

    bool isValid() const { return !m_type.isEmpty(); }
    QString type() const { return m_type; }
    QString text(const QString &field) const;
    qint64 integer(const QString &field) const;
    bool boolean(const QString &field) const;
    QStringList stringList(const QString &field) const;

private:
    Frame(QString type, QJsonObject fields);

    QString m_type;
    QJsonObject m_fields;
};

QString hello(const QString &appId, const QString &uid, const QString &token);
QString welcome(const QString &uid, const QStringList &throttled);
QString ping(qint64 id);
QString pong(qint64 id);
QString throttle(const QStringList &features);
QString error(const QString &code, const QString &message, const QString &details);

// since: the highest seq the client has seen (0: none).
QString sync(qint64 since);
// sentAt: milliseconds since the epoch, when the user sent it.
QString send(const QString &id, const QString &room, const QString &text, qint64 sentAt);
QString typing(const QString &room, bool typing);
QString ack(const QString &id, qint64 seq);
QString nack(const QString &id, const QString &code, const QString &message);
QString retry(const QString &id, qint64 afterMs);
QString message(const QString &id, const QString &room, const QString &sender, const QString &text,
                qint64 seq, qint64 sentAt);
QString gap(qint64 from, qint64 to);
QString synced(qint64 seq);
QString typists(const QString &room, const QStringList &users);
QString presence(const QStringList &users);
// Who came online and who went offline since the last `presence` or `presenceDiff`.
QString presenceDiff(const QStringList &online, const QStringList &offline);

} // namespace lifeline::protocol
