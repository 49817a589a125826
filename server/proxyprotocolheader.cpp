#include "proxyprotocolheader.h"

#include <QtEndian>

namespace lifeline::server {

namespace {

const QByteArray V1Prefix = QByteArrayLiteral("PROXY ");
// "\r\n\r\n\0\r\nQUIT\n", version 2's signature.
const QByteArray V2Signature = QByteArray("\x0D\x0A\x0D\x0A\x00\x0D\x0A\x51\x55\x49\x54\x0A", 12);
constexpr qsizetype V1MaxLength = 107;

ProxyProtocolHeader invalid(const QString &why)
{
    ProxyProtocolHeader header;
    header.status = ProxyProtocolHeader::Status::Invalid;
    header.error = why;
    return header;
}

bool parsePort(const QByteArray &text, quint16 *port)
{
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value > 65535 || text.startsWith('+') || (text.size() > 1 && text.startsWith('0')))
        return false;
    *port = quint16(value);
    return true;
}

ProxyProtocolHeader parseV1(const QByteArray &data)
{
    const qsizetype end = data.indexOf("\r\n");
    if (end < 0) {
        if (data.size() >= V1MaxLength)
            return invalid(QStringLiteral("a version 1 header without its end within %1 bytes")
                               .arg(V1MaxLength));
        return {};
    }
    if (end + 2 > V1MaxLength)
        return invalid(QStringLiteral("a version 1 header over %1 bytes").arg(V1MaxLength));
    const QList<QByteArray> fields = data.left(end).split(' ');
    ProxyProtocolHeader header;
    header.status = ProxyProtocolHeader::Status::Complete;
    header.length = end + 2;
    if (fields.value(1) == "UNKNOWN")
        return header;
    if (fields.size() != 6 || (fields.at(1) != "TCP4" && fields.at(1) != "TCP6"))
        return invalid(QStringLiteral("a version 1 header that is neither TCP4, TCP6 nor UNKNOWN "
                                      "with two addresses and two ports"));
    const QHostAddress source(QString::fromLatin1(fields.at(2)));
    const QAbstractSocket::NetworkLayerProtocol family
        = fields.at(1) == "TCP4" ? QAbstractSocket::IPv4Protocol : QAbstractSocket::IPv6Protocol;
    quint16 sourcePort = 0;
    quint16 destinationPort = 0;
    if (source.isNull() || source.protocol() != family
        || QHostAddress(QString::fromLatin1(fields.at(3))).protocol() != family
        || !parsePort(fields.at(4), &sourcePort) || !parsePort(fields.at(5), &destinationPort))
        return invalid(QStringLiteral("a version 1 header with a bad address or port"));
    header.sourceAddress = source;
    header.sourcePort = sourcePort;
    return header;
}

ProxyProtocolHeader parseV2(const QByteArray &data)
{
    if (data.size() < 16)
        return {};
    const quint8 versionAndCommand = quint8(data.at(12));
    const quint8 familyAndProtocol = quint8(data.at(13));
    const quint16 addressLength = qFromBigEndian<quint16>(data.constData() + 14);
    if ((versionAndCommand >> 4) != 2)
        return invalid(
            QStringLiteral("a version 2 signature with version %1").arg(versionAndCommand >> 4));
    if (16 + qsizetype(addressLength) > ProxyProtocolHeader::MaxLength)
        return invalid(QStringLiteral("a version 2 header of %1 bytes").arg(16 + addressLength));
    if (data.size() < 16 + addressLength)
        return {};
    ProxyProtocolHeader header;
    header.status = ProxyProtocolHeader::Status::Complete;
    header.length = 16 + addressLength;
    const quint8 command = versionAndCommand & 0x0F;
    if (command == 0x0) // LOCAL: the balancer's own connection
        return header;
    if (command != 0x1)
        return invalid(QStringLiteral("a version 2 header with command %1").arg(command));
    const uchar *addresses = reinterpret_cast<const uchar *>(data.constData()) + 16;
    switch (familyAndProtocol) {
    case 0x11: // TCP over IPv4
        if (addressLength < 12)
            return invalid(QStringLiteral("a version 2 IPv4 header too short for its addresses"));
        header.sourceAddress = QHostAddress(qFromBigEndian<quint32>(addresses));
        header.sourcePort = qFromBigEndian<quint16>(addresses + 8);
        return header;
    case 0x21: { // TCP over IPv6
        if (addressLength < 36)
            return invalid(QStringLiteral("a version 2 IPv6 header too short for its addresses"));
        header.sourceAddress = QHostAddress(addresses);
        header.sourcePort = qFromBigEndian<quint16>(addresses + 32);
        return header;
    }
    default:
        // UNSPEC, UDP or Unix sockets: nothing a WebSocket client comes over; the connection's
        // own peer stands.
        return header;
    }
}

} // namespace

ProxyProtocolHeader ProxyProtocolHeader::parse(const QByteArray &data)
{
    const qsizetype v1 = qMin(data.size(), V1Prefix.size());
    if (data.left(v1) == V1Prefix.left(v1))
        return data.size() < V1Prefix.size() ? ProxyProtocolHeader() : parseV1(data);
    const qsizetype v2 = qMin(data.size(), V2Signature.size());
    if (data.left(v2) == V2Signature.left(v2))
        return data.size() < V2Signature.size() ? ProxyProtocolHeader() : parseV2(data);
    return invalid(QStringLiteral("the connection did not start with a PROXY protocol header "
                                  "(is the load balancer set to send one?)"));
}

} // namespace lifeline::server
