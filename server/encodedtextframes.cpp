#include "encodedtextframes.h"

#include <QString>
#include <QtEndian>

namespace {

constexpr char FinalTextFrame = char(0x81); // FIN set, opcode 1 (text)
// Payload lengths up to 125 fit in the second byte; 126 announces a 16-bit length and 127 a
// 64-bit one, both in network byte order.
constexpr qsizetype MaxShortLength = 125;
constexpr char Length16 = char(126);
constexpr char Length64 = char(127);

} // namespace

EncodedTextFrames::EncodedTextFrames(const QString &text)
{
    append(text);
}

void EncodedTextFrames::append(const QString &text)
{
    const QByteArray payload = text.toUtf8();
    const auto length = quint64(payload.size());
    m_bytes.append(FinalTextFrame);
    if (length <= MaxShortLength) {
        m_bytes.append(char(length));
    } else if (length <= 0xFFFF) {
        m_bytes.append(Length16);
        char field[2];
        qToBigEndian(quint16(length), field);
        m_bytes.append(field, sizeof field);
    } else {
        m_bytes.append(Length64);
        char field[8];
        qToBigEndian(length, field);
        m_bytes.append(field, sizeof field);
    }
    m_bytes.append(payload);
}
