#include "clientserverfixture.h"
#include "testsetup.h"

#include "bundledserver.h"
#include "faultproxy.h"

#include <lifeline/connectionmanager.h>

#include <QTemporaryDir>

namespace lifeline::testkit {

ClientServerFixture::ClientServerFixture() = default;
ClientServerFixture::~ClientServerFixture() = default;

bool ClientServerFixture::start(Layer top)
{
    stop();
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        qWarning("could not make a temporary directory: %s", qUtf8Printable(m_dir->errorString()));
        return false;
    }
    if (top == Layer::Directory)
        return true;
    if (!startServer())
        return false;
    if (top == Layer::Server)
        return true;
    if (!startProxy())
        return false;
    if (top == Layer::Proxy)
        return true;
    m_manager = std::make_unique<ConnectionManager>();
    return true;
}

void ClientServerFixture::stop()
{
    m_manager.reset();
    m_proxy.reset();
    m_server.reset();
    m_dir.reset();
}

bool ClientServerFixture::startServer(const QStringList &arguments)
{
    m_server.reset(); // it locks its data directory: the old one goes first
    m_server = testkit::startServer(filePath(QStringLiteral("server")), arguments);
    return m_server != nullptr;
}

bool ClientServerFixture::startProxy()
{
    m_proxy = std::make_unique<harness::FaultProxy>();
    if (m_proxy->start(m_server->url()))
        return true;
    qWarning("the fault proxy could not listen on 127.0.0.1");
    return false;
}

QString ClientServerFixture::path() const
{
    return m_dir->path();
}

QString ClientServerFixture::filePath(const QString &name) const
{
    return m_dir->filePath(name);
}

QUrl ClientServerFixture::serverUrl() const
{
    return m_server->url();
}

QUrl ClientServerFixture::proxyUrl() const
{
    return m_proxy->url();
}

AppSettingsBuilder ClientServerFixture::fastSettings() const
{
    return testkit::fastSettings(proxyUrl(), filePath(QStringLiteral("client")));
}

bool ClientServerFixture::initAndLogin(const AppSettings &settings)
{
    return testkit::initAndLogin(*m_manager, settings);
}

} // namespace lifeline::testkit
