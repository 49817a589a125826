#include "rawwebsocket.h"

#include <QElapsedTimer>
#include <QtEndian>

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
    socket.write("GET / HTTP/1.1\r\n"
                 "Host: 127.0.0.1:"
                 + QByteArray::number(port)
                 + "\r\n"
                   "Upgrade: websocket\r\n"
                   "Connection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n"
                 + extraHeaders + "\r\n");
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
    QByteArray header;
    header.append(char((fin ? 0x80 : 0x00) | opcode));
    if (length < 126) {
        header.append(char(0x80 | length));
    } else if (length <= 0xffff) {
        header.append(char(0x80 | 126));
        const quint16 big = qToBigEndian(quint16(length));
        header.append(reinterpret_cast<const char *>(&big), 2);
    } else {
        header.append(char(0x80 | 127));
        const quint64 big = qToBigEndian(length);
        header.append(reinterpret_cast<const char *>(&big), 8);
    }
    header.append(mask, 4);
    return header;
}

QByteArray RawWebSocket::frame(quint8 opcode, const QByteArray &payload, bool fin)
{
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    QByteArray bytes = frameHeader(opcode, quint64(payload.size()), mask, fin);
    for (qsizetype i = 0; i < payload.size(); ++i)
        bytes.append(char(payload.at(i) ^ mask[i % 4]));
    return bytes;
}

void RawWebSocket::sendFrame(quint8 opcode, const QByteArray &payload)
{
    socket.write(frame(opcode, payload));
}

QByteArray RawWebSocket::readFrame(quint8 opcode)
{
    for (;;) {
        if (buffer.size() >= 2) {
            const quint8 op = quint8(buffer.at(0)) & 0x0f;
            qsizetype length = quint8(buffer.at(1)) & 0x7f;
            qsizetype header = 2;
            if (length == 126 && buffer.size() >= 4) {
                length = qFromBigEndian<quint16>(buffer.constData() + 2);
                header = 4;
            }
            if (length != 126 && buffer.size() >= header + length) {
                const QByteArray payload = buffer.mid(header, length);
                buffer.remove(0, header + length);
                if (op == opcode)
                    return payload.isNull() ? QByteArray("") : payload;
                continue;
            }
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
