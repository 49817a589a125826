#pragma once

#include <QMenu>

namespace lifeline::harness {
class BundledServer;
class FaultProxy;
} // namespace lifeline::harness
class QAction;

namespace lifeline::ui {

// Plays the network's bad days on the real bundled server and on the fault proxy in front of
// it, so anyone can watch the connection state react. Each action is enabled only when it can
// take effect now; without a bundled server (the app connects to a server given with --server)
// every action is disabled and its tooltip says why.
class SimulateMenu : public QMenu
{
    Q_OBJECT

public:
    // server and proxy may be null; the menu does not own them.
    explicit SimulateMenu(lifeline::harness::BundledServer *server,
                          lifeline::harness::FaultProxy *proxy, QWidget *parent = nullptr);
    ~SimulateMenu() override;

    // For tests.
    QAction *stopServerAction() const { return m_stopServer; }
    QAction *startServerAction() const { return m_startServer; }
    QAction *freezeServerAction() const { return m_freezeServer; }
    QAction *thawServerAction() const { return m_thawServer; }
    QAction *kickAction() const { return m_kick; }
    QAction *throttleAction() const { return m_throttle; }
    QAction *unthrottleAction() const { return m_unthrottle; }
    QAction *cutNetworkAction() const { return m_cutNetwork; }
    QAction *restoreNetworkAction() const { return m_restoreNetwork; }
    QList<QAction *> simulationActions() const;

Q_SIGNALS:
    // A fault was simulated or lifted; `what` says which, in words for the event log.
    void simulated(const QString &what);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateActions();
    void onCommandDone(const QString &command);

    lifeline::harness::BundledServer *m_server;
    lifeline::harness::FaultProxy *m_proxy;
    QAction *m_stopServer;
    QAction *m_startServer;
    QAction *m_freezeServer;
    QAction *m_thawServer;
    QAction *m_kick;
    QAction *m_throttle;
    QAction *m_unthrottle;
    QAction *m_cutNetwork;
    QAction *m_restoreNetwork;
    // The server forgets throttling when it restarts, so this follows its answers and its runs.
    bool m_throttled = false;
};

} // namespace lifeline::ui
