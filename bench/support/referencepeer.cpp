#include "referencepeer.h"

#include "bundledserver.h"
#include "serverwaits.h"

namespace lifeline::bench {

namespace {

// Generous for a loaded 2-core machine; either peer starts in well under a second.
constexpr int StartTimeoutMs = 15000;

} // namespace

std::unique_ptr<harness::BundledServer> startReferencePeer(const QString &program,
                                                           const QString &name, QString *error)
{
    auto peer = std::make_unique<harness::BundledServer>();
    peer->setProgram(program);
    *error = QStringLiteral("no \"listening\" line within %1 s").arg(StartTimeoutMs / 1000);
    const QMetaObject::Connection watch
        = QObject::connect(peer.get(), &harness::BundledServer::errorOccurred, peer.get(),
                           [error](const QString &message) { *error = message; });
    peer->start();
    const bool started = testkit::waitForStarted(*peer, StartTimeoutMs);
    QObject::disconnect(watch);
    if (!started) {
        *error = QStringLiteral("the %1 did not start: %2").arg(name, *error);
        return nullptr;
    }
    error->clear();
    return peer;
}

} // namespace lifeline::bench
