#pragma once

#include <QCommandLineOption>
#include <QString>

#include <memory>

namespace lifeline::harness {
class BundledServer;
}

// The Node.js ws peer in bench/peer, a pure broadcaster that stores nothing: the baseline the
// server benchmarks measure lifeline-server against.
namespace lifeline::bench {

// --peer DIR: where the peer's server.js and node_modules are, by default this source tree's.
QCommandLineOption nodePeerOption();

// Why the peer in dir cannot run, with what to do about it; empty if it can.
QString nodePeerProblem(const QString &dir);

// The peer in dir, started and listening; null with the reason in *error.
std::unique_ptr<harness::BundledServer> startNodePeer(const QString &dir, QString *error);

} // namespace lifeline::bench
