#include "frametransport.h"

#include "qtframetransport.h"
#include "rawframetransport.h"

namespace lifeline::server {

std::unique_ptr<FrameTransport> FrameTransport::create(Kind kind, QWebSocket *socket,
                                                       QTcpSocket *transport)
{
    switch (kind) {
    case Kind::Qt:
        return std::make_unique<QtFrameTransport>(socket);
    case Kind::Raw:
        return std::make_unique<RawFrameTransport>(transport);
    }
    Q_UNREACHABLE();
}

} // namespace lifeline::server
