#include "rawwebsocket.h"

#include "rawwebsocketpeer.h"
#include "websocketframe.h"

#include <QElapsedTimer>
#include <QtEndian>

namespace websocketframe = lifeline::server::websocketframe;

namespace lifeline::testkit {

bool RawWebSocket::connectTcp(quint16 port, const QHostAddress &from)
{
    if (!from.isNull() && !socket.bind(from))
        return false;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(TimeoutMs))
        return false;
    if (!prelude.isEmpty())
        socket.write(prelude);
    peerInServerLog
        = QStringLiteral("%1:%2").arg(socket.localAddress().toString()).arg(socket.localPort());
    return true;
}

QByteArray RawWebSocket::handshakeAnswer(quint16 port, const QByteArray &extraHeaders,
                                         const QHostAddress &from)
{
    if (!connectTcp(port, from))
        return {};
    // The sample key of RFC 6455 section 4.1: these tests never check the server's answer to it.
    socket.write(RawWebSocketPeer::upgradeRequest("/", "127.0.0.1:" + QByteArray::number(port),
                                                  "dGhlIHNhbXBsZSBub25jZQ==", extraHeaders));
    while (!buffer.contains("\r\n\r\n")) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(TimeoutMs))
            return {};
        buffer += socket.readAll();
    }
    const qsizetype end = buffer.indexOf("\r\n\r\n") + 4;
    const QByteArray firstLine = buffer.left(buffer.indexOf("\r\n"));
    buffer.remove(0, end);
    return firstLine;
}

bool RawWebSocket::handshake(quint16 port, const QByteArray &extraHeaders, const QHostAddress &from)
{
    return handshakeAnswer(port, extraHeaders, from).startsWith("HTTP/1.1 101");
}

QByteArray RawWebSocket::frameHeader(quint8 opcode, quint64 length, const char mask[4], bool fin)
{
    char header[websocketframe::MaxHeaderBytes];
    return QByteArray(header, websocketframe::writeHeader(header, opcode, length, fin, mask));
}

QByteArray RawWebSocket::frame(quint8 opcode, const QByteArray &payload, bool fin)
{
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    QByteArray bytes;
    RawWebSocketPeer::appendFrame(&bytes, opcode, payload, mask, fin);
    return bytes;
}

void RawWebSocket::sendFrame(quint8 opcode, const QByteArray &payload)
{
    socket.write(frame(opcode, payload));
}

std::optional<RawWebSocket::ServerFrame> RawWebSocket::takeFrame(QByteArray *bytes)
{
    const auto header = websocketframe::readHeader(bytes->constData(), bytes->size());
    if (!header || quint64(bytes->size() - header->size) < header->payloadLength)
        return std::nullopt;
    ServerFrame frame;
    frame.firstByte = header->firstByte;
    frame.masked = header->masked;
    frame.payload = bytes->mid(header->size, qsizetype(header->payloadLength));
    if (frame.payload.isNull())
        frame.payload = QByteArray("");
    bytes->remove(0, header->size + qsizetype(header->payloadLength));
    return frame;
}

QByteArray RawWebSocket::readFrame(quint8 opcode)
{
    for (;;) {
        while (const std::optional<ServerFrame> frame = takeFrame(&buffer)) {
            if (frame->opcode() == opcode)
                return frame->payload;
        }
        // What came before a disconnect is still there to read.
        if (socket.bytesAvailable() == 0
            && (socket.state() != QAbstractSocket::ConnectedState
                || !socket.waitForReadyRead(TimeoutMs)))
            return {};
        buffer += socket.readAll();
    }
}

int RawWebSocket::readCloseCode()
{
    const QByteArray payload = readFrame(0x8);
    if (payload.size() < 2)
        return -1;
    return qFromBigEndian<quint16>(payload.constData());
}

bool RawWebSocket::waitClosedByPeer(int timeout)
{
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeout) {
        if (socket.waitForReadyRead(int(timeout - timer.elapsed())))
            buffer += socket.readAll();
    }
    return socket.state() != QAbstractSocket::ConnectedState;
}

} // namespace lifeline::testkit
