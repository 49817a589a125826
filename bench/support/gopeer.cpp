#include "gopeer.h"

#include "bundledserver.h"
#include "referencepeer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace lifeline::bench {

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
