#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <QTcpSocket>

#include <optional>

namespace lifeline::testkit {

// The client half of RFC 6455 by hand over a QTcpSocket, for what QWebSocket refuses to send
// (invalid UTF-8, unmasked or truncated frames, lies about lengths) or never finishes (a
// handshake). Blocking calls with timeouts, for tests.
struct RawWebSocket
{
    static constexpr int TimeoutMs = 5000;

    // Connects to 127.0.0.1:port, from the loopback address from if given (any of 127.0.0.0/8
    // works on Linux), to look like a second host.
    bool connectTcp(quint16 port, const QHostAddress &from = QHostAddress());
    // Connects and completes the WebSocket handshake; true on "101 Switching Protocols".
    // extraHeaders are "Name: value\r\n" lines added to the request.
    bool handshake(quint16 port, const QByteArray &extraHeaders = QByteArray(),
                   const QHostAddress &from = QHostAddress());
    // The first line of the server's HTTP answer to a handshake with extraHeaders, or an empty
    // one if the connection ended without an answer.
    QByteArray handshakeAnswer(quint16 port, const QByteArray &extraHeaders,
                               const QHostAddress &from = QHostAddress());
    // A masked frame with the FIN bit set, as a client must send (RFC 6455 section 5.3).
    void sendFrame(quint8 opcode, const QByteArray &payload);
    // The bytes of that frame; without fin, the first fragment of a message.
    static QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true);
    // The header of a frame: FIN and opcode, then the length in the shortest form (7 bits, 16
    // bits or 64 bits), then the mask; without one (a null mask), the header of a frame no
    // client may send.
    static QByteArray frameHeader(quint8 opcode, quint64 length, const char mask[4],
                                  bool fin = true);
    // One frame as it came from the server.
    struct ServerFrame
    {
        quint8 firstByte = 0; // FIN, the three RSV bits, the opcode
        bool masked = false; // a server must never mask (RFC 6455 section 5.1)
        QByteArray payload;

        quint8 opcode() const { return firstByte & 0x0f; }
        bool isFinal() const { return firstByte & 0x80; }
        bool hasReservedBits() const { return firstByte & 0x70; }
    };
    // Takes the first whole frame off the front of bytes; nothing while it is incomplete.
    static std::optional<ServerFrame> takeFrame(QByteArray *bytes);
    // Reads server frames (never masked) until one of opcode arrives; returns its payload, or a
    // null QByteArray if the connection ended first.
    QByteArray readFrame(quint8 opcode);
    // The code of the close frame the server sends, or -1 if none came.
    int readCloseCode();
    // Whether the server closed the TCP connection within timeout.
    bool waitClosedByPeer(int timeout = TimeoutMs);

    // "127.0.0.1:PORT" as the server's log lines name this client.
    QString peer() const { return peerInServerLog; }

    // Written right after the TCP connection is up, before anything else: a load balancer's
    // PROXY protocol header, say.
    QByteArray prelude;
    QTcpSocket socket;
    QByteArray buffer;
    QString peerInServerLog;
};

} // namespace lifeline::testkit
