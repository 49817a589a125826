#include "encodedtextframes.h"

#include <QtEndian>

namespace lifeline::server {

namespace {

constexpr char FinalTextFrame = char(0x81); // FIN set, opcode 1 (text)
// Payload lengths up to 125 fit in the second byte; 126 announces a 16-bit length and 127 a
// 64-bit one, both in network byte order.
constexpr qsizetype MaxShortLength = 125;
constexpr char Length16 = char(126);
constexpr char Length64 = char(127);

void appendFrame(const QString &text, QByteArray *bytes)
{
    const QByteArray payload = text.toUtf8();
    const auto length = quint64(payload.size());
    bytes->append(FinalTextFrame);
    if (length <= MaxShortLength) {
        bytes->append(char(length));
    } else if (length <= 0xFFFF) {
        bytes->append(Length16);
        char field[2];
        qToBigEndian(quint16(length), field);
        bytes->append(field, sizeof field);
    } else {
        bytes->append(Length64);
        char field[8];
        qToBigEndian(length, field);
        bytes->append(field, sizeof field);
    }
    bytes->append(payload);
}

} // namespace

EncodedTextFrames::EncodedTextFrames(const QString &text)
{
    append(text);
}

void EncodedTextFrames::append(const QString &text)
{
    m_texts.append(text);
}

const QByteArray &EncodedTextFrames::bytes() const
{
    for (; m_encodedCount < m_texts.size(); ++m_encodedCount)
        appendFrame(m_texts.at(m_encodedCount), &m_bytes);
    return m_bytes;
}

} // namespace lifeline::server
