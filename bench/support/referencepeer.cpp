#include "referencepeer.h"

#include "bundledserver.h"
#include "serverwaits.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace lifeline::bench {

namespace {

// Generous for a loaded 2-core machine; either peer starts in well under a second.
constexpr int StartTimeoutMs = 15000;

// The peer at program, started and listening; null with the reason in *error, which names the
// peer as `name`.
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

} // namespace

QCommandLineOption nodePeerOption()
{
    return {QStringLiteral("peer"),
            QStringLiteral("The Node.js ws peer's directory, with server.js and node_modules "
                           "(default: %1).")
                .arg(QStringLiteral(LIFELINE_PEER_DIR)),
            QStringLiteral("dir"), QStringLiteral(LIFELINE_PEER_DIR)};
}

QString nodePeerProblem(const QString &dir)
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        return QStringLiteral("node is not installed; run: apt-get install nodejs npm && npm ci "
                              "--prefix bench/peer");
    if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("node_modules/ws/package.json"))))
        return QStringLiteral("the peer's ws package is not installed in %1; run: npm ci --prefix "
                              "bench/peer")
            .arg(dir);
    // Started through its #! line (BundledServer puts its own options first, before any
    // arguments that could name the script for node), so the pid is node's.
    const QFileInfo script(QDir(dir).filePath(QStringLiteral("server.js")));
    if (!script.isExecutable())
        return QStringLiteral("%1 is missing or not executable; run: chmod +x %1")
            .arg(script.filePath());
    return {};
}

std::unique_ptr<harness::BundledServer> startNodePeer(const QString &dir, QString *error)
{
    return startReferencePeer(QDir(dir).filePath(QStringLiteral("server.js")),
                              QStringLiteral("Node.js ws peer"), error);
}

QCommandLineOption goPeerOption()
{
    // The build puts it beside the benchmarks (bench/peer-go.cmake).
    const QString beside
        = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("peer-go"));
    return {QStringLiteral("go-peer"),
            QStringLiteral("The Go peer's program (default: %1).").arg(beside),
            QStringLiteral("file"), beside};
}

QString goPeerProblem(const QString &program)
{
    if (!QFileInfo(program).isExecutable())
        return QStringLiteral("the Go peer %1 is not built; run tools/dev bench, or install "
                              "golang-go and golang-github-gorilla-websocket-dev and build the "
                              "target bench_peer_go")
            .arg(program);
    return {};
}

std::unique_ptr<harness::BundledServer> startGoPeer(const QString &program, QString *error)
{
    return startReferencePeer(program, QStringLiteral("Go peer"), error);
}

} // namespace lifeline::bench
