#pragma once

#include <QCommandLineOption>
#include <QString>

#include <memory>

namespace lifeline::harness {
class BundledServer;
}

// The Go peer in bench/peer-go (gorilla/websocket, a goroutine per connection reading and one
// writing), the second baseline bench_fanout measures lifeline-server against. It speaks the
// Node.js peer's frames and, like it, stores nothing.
namespace lifeline::bench {

// --go-peer FILE: the peer's program, by default bin/peer-go beside this benchmark's.
QCommandLineOption goPeerOption();

// Why the peer at program cannot run, with what to do about it; empty if it can.
QString goPeerProblem(const QString &program);

// The peer at program, started and listening; null with the reason in *error.
std::unique_ptr<harness::BundledServer> startGoPeer(const QString &program, QString *error);

} // namespace lifeline::bench
