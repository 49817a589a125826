#pragma once

#include <QtGlobal>

#include <optional>

// The frame format of RFC 6455 section 5.2, written and read in one place: by the server for
// the frames it encodes itself (EncodedTextFrames), and by the test kit's raw peers
// (RawWebSocket, RawWebSocketPeer), which frame by hand what QWebSocket would not let them.
namespace lifeline::server::websocketframe {

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Two bytes, an eight-byte length, a four-byte masking key.
inline constexpr qsizetype MaxHeaderBytes = 14;
inline constexpr quint8 FinalBit = 0x80;
inline constexpr quint8 ReservedBits = 0x70;
inline constexpr quint8 OpcodeBits = 0x0f;

// Writes a frame's header to out, which has room for MaxHeaderBytes, and returns its size: FIN
// (when fin) and the opcode, the payload length in the shortest of the three forms, and the
// masking key when there is one. A client masks every frame it sends; a server never does.
qsizetype writeHeader(char *out, quint8 opcode, quint64 payloadLength, bool fin = true,
                      const char *mask = nullptr);

// A frame's header as read off the wire.
struct Header
{
    quint8 firstByte = 0; // FIN, the three reserved bits, the opcode
    bool masked = false;
    quint64 payloadLength = 0;
    qsizetype size = 0; // of the header, masking key included
    const char *mask = nullptr; // into the bytes read, when masked

    quint8 opcode() const { return firstByte & OpcodeBits; }
    bool isFinal() const { return firstByte & FinalBit; }
    quint8 reservedBits() const { return firstByte & ReservedBits; }
};

// The header at the front of data; nothing while it has not all arrived.
std::optional<Header> readHeader(const char *data, qsizetype size);

} // namespace lifeline::server::websocketframe
