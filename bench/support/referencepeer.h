#pragma once

#include <QCommandLineOption>
#include <QString>

#include <memory>

namespace lifeline::harness {
class BundledServer;
}

// The reference peers the server benchmarks measure lifeline-server against, pure broadcasters
// that store nothing and speak the same frames: the Node.js ws peer in bench/peer and the Go peer
// in bench/peer-go (gorilla/websocket, a goroutine per connection reading and one writing).
namespace lifeline::bench {

// --peer DIR: where the Node.js peer's server.js and node_modules are, by default this source
// tree's.
QCommandLineOption nodePeerOption();
// Why the Node.js peer in dir cannot run, with what to do about it; empty if it can.
QString nodePeerProblem(const QString &dir);
// The Node.js peer in dir, started and listening; null with the reason in *error.
std::unique_ptr<harness::BundledServer> startNodePeer(const QString &dir, QString *error);

// --go-peer FILE: the Go peer's program, by default bin/peer-go beside this benchmark's.
QCommandLineOption goPeerOption();
// Why the Go peer at program cannot run, with what to do about it; empty if it can.
QString goPeerProblem(const QString &program);
// The Go peer at program, started and listening; null with the reason in *error.
std::unique_ptr<harness::BundledServer> startGoPeer(const QString &program, QString *error);

} // namespace lifeline::bench
