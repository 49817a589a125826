#pragma once

#include <lifeline/appsettingsbuilder.h>

#include <QStringList>

#include <memory>

namespace lifeline {
class ConnectionManager;
}
namespace lifeline::harness {
class BundledServer;
}

// What the tests share: short timings, a started server and a logged-in connection.
namespace lifeline::testkit {

// Generous bound for "this happens soon" on a loaded 2-core machine.
inline constexpr int Soon = 10000;

// The timings of fastSettings(), for tests that assert on them.
inline constexpr int HeartbeatMs = 300;
inline constexpr int HeartbeatTimeoutMs = 300;
inline constexpr int ConnectTimeoutMs = 1000;
inline constexpr int GraceMs = 600;

// Timings short enough for tests and long enough for a busy machine: heartbeat 300 ms + 300 ms,
// connect timeout 1 s, reconnect 100 ms to 800 ms without jitter, 3 attempts, grace 600 ms.
lifeline::AppSettingsBuilder fastSettings(const QUrl &url, const QString &dataDir);

// A real lifeline-server with its data in dataDir, listening; null (and a warning) otherwise.
std::unique_ptr<lifeline::harness::BundledServer> startServer(const QString &dataDir,
                                                              const QStringList &arguments = {});

// init() and then login() as `uid` with a dev-mode token; true when both succeeded.
bool initAndLogin(lifeline::ConnectionManager &manager, const lifeline::AppSettings &settings,
                  const QString &uid = QStringLiteral("alice"));

} // namespace lifeline::testkit
