#include "nodepeer.h"

#include "bundledserver.h"
#include "referencepeer.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace lifeline::bench {

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

} // namespace lifeline::bench
