#include "simulatemenu.h"

#include "bundledserver.h"
#include "faultproxy.h"

#include <QAction>
#include <QEvent>

namespace lifeline::ui {

using lifeline::harness::BundledServer;
using lifeline::harness::FaultProxy;

namespace {

const QString ThrottleCommand = QStringLiteral("throttle typing presence");
const QString UnthrottleCommand = QStringLiteral("unthrottle");
const QString KickCommand = QStringLiteral("kick");

void describe(QAction *action, const QString &text, const QString &tip)
{
    action->setText(text);
    action->setToolTip(tip);
}

} // namespace

SimulateMenu::SimulateMenu(BundledServer *server, FaultProxy *proxy, QWidget *parent)
    : QMenu(parent)
    , m_server(server)
    , m_proxy(proxy)
    , m_stopServer(addAction(QString()))
    , m_startServer(addAction(QString()))
    , m_freezeServer(addAction(QString()))
    , m_thawServer(addAction(QString()))
    , m_kick(addAction(QString()))
    , m_throttle(addAction(QString()))
    , m_unthrottle(addAction(QString()))
    , m_cutNetwork(addAction(QString()))
    , m_restoreNetwork(addAction(QString()))
{
    setObjectName(QStringLiteral("simulateMenu"));
    // Disabled actions explain themselves in their tooltips; QMenu hides tooltips by default.
    setToolTipsVisible(true);

    insertSeparator(m_kick);
    insertSeparator(m_cutNetwork);
    retranslateUi();

    if (!m_server) {
        for (QAction *action : simulationActions())
            action->setEnabled(false);
        return;
    }

    connect(m_stopServer, &QAction::triggered, this, [this] {
        m_server->stop();
        Q_EMIT simulated(tr("Server stopped"));
    });
    connect(m_startServer, &QAction::triggered, this, [this] {
        m_server->start();
        Q_EMIT simulated(tr("Server starting"));
    });
    connect(m_freezeServer, &QAction::triggered, this, [this] {
        m_server->freeze();
        Q_EMIT simulated(tr("Server frozen (SIGSTOP)"));
    });
    connect(m_thawServer, &QAction::triggered, this, [this] {
        m_server->thaw();
        Q_EMIT simulated(tr("Server thawed (SIGCONT)"));
    });
    connect(m_kick, &QAction::triggered, this, [this] {
        m_server->sendCommand(KickCommand);
        Q_EMIT simulated(tr("Server kicks all connections"));
    });
    connect(m_throttle, &QAction::triggered, this, [this] {
        m_server->sendCommand(ThrottleCommand);
        Q_EMIT simulated(tr("Server throttles typing and presence"));
    });
    connect(m_unthrottle, &QAction::triggered, this, [this] {
        m_server->sendCommand(UnthrottleCommand);
        Q_EMIT simulated(tr("Server lifts throttling"));
    });
    connect(m_server, &BundledServer::runningChanged, this, [this](bool running) {
        if (!running)
            m_throttled = false;
        updateActions();
    });
    connect(m_server, &BundledServer::frozenChanged, this, &SimulateMenu::updateActions);
    connect(m_server, &BundledServer::commandDone, this, &SimulateMenu::onCommandDone);
    // A start that fails (the port was taken meanwhile, the binary is gone) says so here.
    connect(m_server, &BundledServer::errorOccurred, this, &SimulateMenu::simulated);
    connect(m_server, &BundledServer::commandFailed, this, [this](const QString &command) {
        Q_EMIT simulated(tr("The server refused \"%1\"").arg(command));
    });

    if (m_proxy) {
        connect(m_cutNetwork, &QAction::triggered, this, [this] {
            // A black hole, not a reset: the link stays open and silent, so only the heartbeat
            // can tell, as on a train entering a tunnel.
            m_proxy->setBlackHole(true);
            updateActions();
            Q_EMIT simulated(tr("Network cut"));
        });
        connect(m_restoreNetwork, &QAction::triggered, this, [this] {
            m_proxy->setBlackHole(false);
            updateActions();
            Q_EMIT simulated(tr("Network restored"));
        });
    }
    updateActions();
}

SimulateMenu::~SimulateMenu() = default;

void SimulateMenu::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMenu::changeEvent(event);
}

void SimulateMenu::retranslateUi()
{
    setTitle(tr("&Simulate"));
    describe(m_stopServer, tr("Stop server"),
             tr("Shut the server down cleanly; clients get a close frame."));
    describe(m_startServer, tr("Start server"), tr("Start the server again, same port."));
    describe(m_freezeServer, tr("Freeze server"),
             tr("SIGSTOP: the server keeps the link open and answers nothing, a real half-open "
                "link."));
    describe(m_thawServer, tr("Thaw server"), tr("SIGCONT: the server answers again."));
    describe(m_kick, tr("Kick all connections"),
             tr("The server drops every client without a close frame."));
    describe(m_throttle, tr("Throttle typing and presence"),
             tr("The server stops sending typing and presence updates."));
    describe(m_unthrottle, tr("Lift throttling"), tr("The server lifts the throttle."));
    describe(m_cutNetwork, tr("Cut network"),
             tr("Nothing gets through either way, yet the link stays open."));
    describe(m_restoreNetwork, tr("Restore network"), tr("Bytes flow again."));

    // What cannot work here says why in its tooltip instead.
    if (!m_server) {
        const QString why = tr("Simulation needs the bundled server; the app was started with "
                               "--server and connects to a server it does not control.");
        for (QAction *action : simulationActions())
            action->setToolTip(why);
    } else if (!m_proxy) {
        const QString why = tr("Cutting the network needs the fault proxy in front of the "
                               "bundled server.");
        m_cutNetwork->setToolTip(why);
        m_restoreNetwork->setToolTip(why);
    }
}

QList<QAction *> SimulateMenu::simulationActions() const
{
    return {m_stopServer, m_startServer, m_freezeServer, m_thawServer,    m_kick,
            m_throttle,   m_unthrottle,  m_cutNetwork,   m_restoreNetwork};
}

void SimulateMenu::onCommandDone(const QString &command)
{
    // The server answers with the command word only ("ok throttle").
    if (command == QLatin1String("throttle"))
        m_throttled = true;
    else if (command == QLatin1String("unthrottle"))
        m_throttled = false;
    updateActions();
}

void SimulateMenu::updateActions()
{
    const bool running = m_server->isRunning();
    const bool frozen = m_server->isFrozen();
    // A frozen server reads no commands; stopping it is fine (stop() thaws it first).
    const bool answering = running && !frozen;
    m_stopServer->setEnabled(running);
    m_startServer->setEnabled(!running);
    m_freezeServer->setEnabled(answering);
    m_thawServer->setEnabled(running && frozen);
    m_kick->setEnabled(answering);
    m_throttle->setEnabled(answering && !m_throttled);
    m_unthrottle->setEnabled(answering && m_throttled);
    m_cutNetwork->setEnabled(m_proxy && !m_proxy->isBlackHole());
    m_restoreNetwork->setEnabled(m_proxy && m_proxy->isBlackHole());
}

} // namespace lifeline::ui
