#pragma once

#include <protocol.h>

#include <QWebSocketProtocol>

namespace lifeline::server {

// Qt takes close codes as QWebSocketProtocol::CloseCode, whose enumerators stop at 1015; the
// private range 4000-4999 of RFC 6455 travels through the same type.
inline QWebSocketProtocol::CloseCode toQt(lifeline::protocol::CloseCode code)
{
    return static_cast<QWebSocketProtocol::CloseCode>(static_cast<quint16>(code));
}

} // namespace lifeline::server
