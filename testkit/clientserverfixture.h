#pragma once

#include <lifeline/appsettingsbuilder.h>

#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

class QTemporaryDir;

namespace lifeline {
class ConnectionManager;
}
namespace lifeline::harness {
class BundledServer;
class FaultProxy;
} // namespace lifeline::harness

namespace lifeline::testkit {

// What a test of the client needs around it: a temporary directory, the real lifeline-server
// with its data in that directory, the fault proxy in front of it and a ConnectionManager that
// nothing has initialised yet. A suite owns one, brings it up in init() and takes it down in
// cleanup(), so that each test function starts with no data, no link and no fault left over by
// the one before.
class ClientServerFixture
{
public:
    // The parts, in the order they come up; each later one needs those before it, except the
    // manager, which only a test's own settings point at the proxy or the server.
    enum class Layer { Directory, Server, Proxy, Manager };

    ClientServerFixture();
    ~ClientServerFixture();

    ClientServerFixture(const ClientServerFixture &) = delete;
    ClientServerFixture &operator=(const ClientServerFixture &) = delete;

    // For init(): takes down what a previous test left, then brings up every layer up to and
    // including `top`. A suite whose tests start the server with their own arguments stops at
    // Directory and calls startServer() itself. False, with a warning saying which layer, when
    // one did not come up.
    bool start(Layer top = Layer::Manager);
    // For cleanup(): the layers in the reverse order, so that nothing outlives what it talks to,
    // and the server's data goes last.
    void stop();

    // Starts the server with its data in filePath("server") and these arguments. A running one
    // is stopped first: it locks its data directory. A proxy keeps forwarding to the old address
    // until startProxy() replaces it.
    bool startServer(const QStringList &arguments = {});
    // Replaces the proxy by a new one, on a new port, in front of the server running now.
    bool startProxy();

    QString path() const;
    QString filePath(const QString &name) const;
    // Null until their layer came up.
    harness::BundledServer *server() const { return m_server.get(); }
    harness::FaultProxy *proxy() const { return m_proxy.get(); }
    ConnectionManager *manager() const { return m_manager.get(); }
    // Where the clients connect: straight to the server, or through the proxy.
    QUrl serverUrl() const;
    QUrl proxyUrl() const;
    // The test kit's short timings for a client that keeps its data in filePath("client") and
    // connects through the proxy.
    AppSettingsBuilder fastSettings() const;
    // The manager initialised with settings and logged in as alice; false if either failed.
    bool initAndLogin(const AppSettings &settings);

private:
    // In the order the layers come up, so that the destructor takes them down as stop() does.
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<harness::BundledServer> m_server;
    std::unique_ptr<harness::FaultProxy> m_proxy;
    std::unique_ptr<ConnectionManager> m_manager;
};

} // namespace lifeline::testkit
