#include "websocketframe.h"

#include <QtEndian>

#include <cstring>

namespace lifeline::server::websocketframe {

namespace {

constexpr quint8 MaskBit = 0x80;
// Lengths up to 125 fit in the second byte; 126 announces a 16-bit length and 127 a 64-bit
// one, both in network byte order.
constexpr quint64 MaxShortLength = 125;
constexpr quint8 Length16 = 126;
constexpr quint8 Length64 = 127;

} // namespace

qsizetype writeHeader(char *out, quint8 opcode, quint64 payloadLength, bool fin, const char *mask)
{
    auto *bytes = reinterpret_cast<uchar *>(out);
    bytes[0] = uchar((fin ? FinalBit : 0) | opcode);
    const uchar maskBit = mask ? MaskBit : 0;
    qsizetype size = 2;
    if (payloadLength <= MaxShortLength) {
        bytes[1] = uchar(maskBit | payloadLength);
    } else if (payloadLength <= 0xFFFF) {
        bytes[1] = uchar(maskBit | Length16);
        qToBigEndian(quint16(payloadLength), bytes + 2);
        size = 4;
    } else {
        bytes[1] = uchar(maskBit | Length64);
        qToBigEndian(payloadLength, bytes + 2);
        size = 10;
    }
    if (mask) {
        std::memcpy(bytes + size, mask, 4);
        size += 4;
    }
    return size;
}

std::optional<Header> readHeader(const char *data, qsizetype size)
{
    if (size < 2)
        return std::nullopt;
    const auto *bytes = reinterpret_cast<const uchar *>(data);
    Header header;
    header.firstByte = bytes[0];
    header.masked = bytes[1] & MaskBit;
    header.payloadLength = bytes[1] & ~MaskBit;
    header.size = 2;
    if (header.payloadLength == Length16) {
        if (size < 4)
            return std::nullopt;
        header.payloadLength = qFromBigEndian<quint16>(bytes + 2);
        header.size = 4;
    } else if (header.payloadLength == Length64) {
        if (size < 10)
            return std::nullopt;
        header.payloadLength = qFromBigEndian<quint64>(bytes + 2);
        header.size = 10;
    }
    if (header.masked) {
        if (size < header.size + 4)
            return std::nullopt;
        header.mask = data + header.size;
        header.size += 4;
    }
    return header;
}

} // namespace lifeline::server::websocketframe
