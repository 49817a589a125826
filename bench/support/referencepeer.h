#pragma once

#include <QString>

#include <memory>

namespace lifeline::harness {
class BundledServer;
}

namespace lifeline::bench {

// A reference peer (the Node.js one in bench/peer, the Go one in bench/peer-go), started from
// `program` and listening; null with the reason in *error, which names the peer as `name`.
std::unique_ptr<harness::BundledServer> startReferencePeer(const QString &program,
                                                           const QString &name, QString *error);

} // namespace lifeline::bench
