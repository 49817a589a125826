#include "testsetup.h"
#include "serverwaits.h"

#include "bundledserver.h"

#include <lifeline/connectionmanager.h>

using lifeline::harness::BundledServer;

using namespace std::chrono_literals;

namespace lifeline::testkit {

lifeline::AppSettingsBuilder fastSettings(const QUrl &url, const QString &dataDir)
{
    lifeline::AppSettingsBuilder builder;
    builder.setServerUrl(url)
        .setDataDirectory(dataDir)
        .setHeartbeatInterval(std::chrono::milliseconds(HeartbeatMs))
        .setHeartbeatTimeout(std::chrono::milliseconds(HeartbeatTimeoutMs))
        .setConnectTimeout(std::chrono::milliseconds(ConnectTimeoutMs))
        .setReconnectDelay(100ms, 800ms)
        .setReconnectJitter(0.0)
        .setMaxReconnectAttempts(3)
        .setBackgroundGrace(std::chrono::milliseconds(GraceMs));
    return builder;
}

std::unique_ptr<BundledServer> startServer(const QString &dataDir, const QStringList &arguments)
{
    auto server = std::make_unique<BundledServer>();
    server->setDataDirectory(dataDir);
    server->setExtraArguments(arguments);
    server->start();
    if (!waitForStarted(*server)) {
        qWarning("lifeline-server did not start with the arguments \"%s\"",
                 qUtf8Printable(arguments.join(QLatin1Char(' '))));
        return nullptr;
    }
    return server;
}

bool initAndLogin(lifeline::ConnectionManager &manager, const lifeline::AppSettings &settings,
                  const QString &uid)
{
    bool ok = false;
    manager.init(QStringLiteral("lifeline-test"), settings, [&ok](const QString &) { ok = true; });
    if (!ok)
        return false;
    ok = false;
    manager.login(uid, QStringLiteral("secret-token"), [&ok](const QString &) { ok = true; });
    return ok;
}

} // namespace lifeline::testkit
