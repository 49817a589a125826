#include "appstatecontroller.h"

#include "loggingcategories_p.h"

#include <lifeline/connectionmanager.h>

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace lifeline::ui {

using lifeline::AppState;
using lifeline::ChatError;
using lifeline::ConnectionManager;
using lifeline::ConnectionStatus;

AppStateController::AppStateController(ConnectionManager *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_countdownTimer(new QTimer(this))
    , m_keepAliveTimer(new QTimer(this))
{
    m_countdownTimer->setSingleShot(true);
    connect(m_countdownTimer, &QTimer::timeout, this, &AppStateController::updateStatusText);
    connect(m_keepAliveTimer, &QTimer::timeout, this, &AppStateController::sendKeepAlive);

    // Only changes are forwarded: at start the window may not be active yet (no focus on
    // some platforms), and the manager already starts in foreground.
    if (qGuiApp) {
        connect(qGuiApp, &QGuiApplication::applicationStateChanged, this,
                &AppStateController::applyApplicationState);
    }
    connect(connection, &ConnectionManager::appStateChanged, this, [this] {
        updateStatusText();
        updateKeepAlive();
    });
    connect(connection, &ConnectionManager::connectionStatusChanged, this, [this] {
        updateStatusText();
        updateKeepAlive();
    });
    updateStatusText();
}

AppStateController::~AppStateController() = default;

void AppStateController::setSimulateBackground(bool on)
{
    if (m_simulateBackground == on)
        return;
    m_simulateBackground = on;
    Q_EMIT simulateBackgroundChanged(on);
    pushState();
}

void AppStateController::setKeepAlive(bool on, int intervalMs)
{
    m_keepAlive = on;
    m_keepAliveIntervalMs = qMax(1, intervalMs);
    m_keepAliveTimer->stop();
    updateKeepAlive();
}

void AppStateController::applyApplicationState(Qt::ApplicationState state)
{
    m_applicationState = state;
    pushState();
}

void AppStateController::retranslate()
{
    updateStatusText();
}

void AppStateController::pushState()
{
    // Inactive (another window has focus) and Hidden/Suspended all mean nobody is looking.
    const AppState state = m_simulateBackground || m_applicationState != Qt::ApplicationActive
        ? AppState::Background
        : AppState::Foreground;
    m_connection->setAppState(state);
    updateStatusText();
    updateKeepAlive();
}

void AppStateController::updateStatusText()
{
    m_countdownTimer->stop();
    QString text;
    if (m_connection->appState() == AppState::Foreground) {
        text = tr("Foreground");
    } else {
        const qint64 remainingMs = m_connection->backgroundGraceRemainingMs();
        if (remainingMs >= 0) {
            const qint64 seconds = (remainingMs + 999) / 1000;
            text = tr("Background: closing in %1 s").arg(seconds);
            // Wake up when the shown number changes; a ping restarts the grace, and the
            // status change at its end refreshes the text as well.
            const qint64 untilNextSecond = remainingMs % 1000;
            m_countdownTimer->start(int(untilNextSecond > 0 ? untilNextSecond + 1 : 1000));
        } else {
            text = tr("Background");
        }
    }
    if (text == m_statusText)
        return;
    m_statusText = text;
    Q_EMIT statusTextChanged(text);
}

void AppStateController::updateKeepAlive()
{
    const ConnectionStatus status = m_connection->connectionStatus();
    const bool linkUp
        = status == ConnectionStatus::Connected || status == ConnectionStatus::FeatureThrottled;
    const bool wanted = m_keepAlive && linkUp && m_connection->appState() == AppState::Background;
    if (!wanted) {
        m_keepAliveTimer->stop();
        return;
    }
    if (!m_keepAliveTimer->isActive())
        m_keepAliveTimer->start(m_keepAliveIntervalMs);
}

void AppStateController::sendKeepAlive()
{
    QPointer<AppStateController> guard(this);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_connection->ping(
        [guard, clock] {
            if (!guard)
                return;
            // The ping restarted the grace period: show the new countdown.
            guard->updateStatusText();
            Q_EMIT guard->keepAlivePinged(true, tr("Ping answered in %1 ms").arg(clock->elapsed()));
        },
        [guard](const ChatError &error) {
            if (!guard)
                return;
            qCInfo(lcUi, "keep-alive ping failed: %s", qUtf8Printable(error.code));
            Q_EMIT guard->keepAlivePinged(false,
                                          QStringLiteral("%1: %2").arg(error.code, error.message));
        });
    // ping() restarts the grace period at once, not only when answered.
    updateStatusText();
}

} // namespace lifeline::ui
