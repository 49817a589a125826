#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace lifeline::server {

// The PROXY protocol header (versions 1 and 2) that a load balancer such as HAProxy sends
// first on each connection it forwards, naming the client it came from. Without it, every
// per-address limit and log line would see the balancer.
struct ProxyProtocolHeader
{
    enum class Status {
        Incomplete, // more bytes are needed to tell
        Invalid, // not a PROXY header, or a broken one: the connection must be dropped
        Complete,
    };

    Status status = Status::Incomplete;
    // How many bytes of the data the header took (Complete).
    qsizetype length = 0;
    // The client's address and port; null for a LOCAL (v2) or UNKNOWN (v1) header, which the
    // balancer sends for its own connections (health checks): the connection's own peer is
    // the one to use then.
    QHostAddress sourceAddress;
    quint16 sourcePort = 0;
    // Invalid: what is wrong, for the log.
    QString error;

    // Reads a header at the start of data.
    static ProxyProtocolHeader parse(const QByteArray &data);

    // The longest header this accepts: v1's 107 bytes, or v2's 16-byte preamble and 216 bytes of
    // addresses and extensions (TLVs) HAProxy may add.
    static constexpr qsizetype MaxLength = 16 + 216;
};

} // namespace lifeline::server
