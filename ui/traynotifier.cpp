#include "traynotifier.h"

#include "statusindicator.h"

#include <lifeline/connectionmanager.h>

#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>
#include <QTimer>

namespace lifeline::ui {

using lifeline::ConnectionManager;
using lifeline::ConnectionStatus;

TrayNotifier::TrayNotifier(ConnectionManager *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_downTimer(new QTimer(this))
{
    m_downTimer->setSingleShot(true);
    connect(m_downTimer, &QTimer::timeout, this, &TrayNotifier::onDownTooLong);
    connect(connection, &ConnectionManager::connectionStatusChanged, this,
            &TrayNotifier::onStatusChanged);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        updateIcon(connection->connectionStatus());
        m_tray->show();
    }
}

TrayNotifier::~TrayNotifier() = default;

void TrayNotifier::setDownNoticeDelay(int ms)
{
    m_downNoticeDelay = qMax(0, ms);
}

bool TrayNotifier::isUp(ConnectionStatus status)
{
    return status == ConnectionStatus::Connected || status == ConnectionStatus::FeatureThrottled;
}

void TrayNotifier::onStatusChanged(ConnectionStatus status)
{
    updateIcon(status);
    if (isUp(status)) {
        m_downTimer->stop();
        if (m_downNoticeShown) {
            m_downNoticeShown = false;
            notify(tr("Connection is back"));
        }
        return;
    }
    // Counted from the moment the link went down, not from the latest of its many retries.
    if (!m_downNoticeShown && !m_downTimer->isActive())
        m_downTimer->start(m_downNoticeDelay);
}

void TrayNotifier::onDownTooLong()
{
    const ConnectionStatus status = m_connection->connectionStatus();
    // "Keeps trying" would be false once the manager stopped (user disconnect, give-up, bad
    // token): the window says why in that case.
    if (status != ConnectionStatus::Connecting && status != ConnectionStatus::Reconnecting)
        return;
    m_downNoticeShown = true;
    notify(tr("Connection lost — Lifeline keeps trying"));
}

void TrayNotifier::notify(const QString &text)
{
    const QString title = tr("Lifeline");
    if (m_tray)
        m_tray->showMessage(title, text, QSystemTrayIcon::Information);
    Q_EMIT noticeShown(title, text);
}

void TrayNotifier::retranslate()
{
    updateIcon(m_connection->connectionStatus());
}

void TrayNotifier::updateIcon(ConnectionStatus status)
{
    if (!m_tray)
        return;
    const StatusIndicator::Level level = StatusIndicator::levelFor(status);
    QIcon icon;
    for (const int size : {16, 22, 32, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        StatusIndicator::paintShape(&painter, QRectF(0, 0, size, size), level);
        painter.end();
        icon.addPixmap(pixmap);
    }
    m_tray->setIcon(icon);
    switch (level) {
    case StatusIndicator::Level::Green:
        m_tray->setToolTip(tr("Lifeline: connected"));
        break;
    case StatusIndicator::Level::Yellow:
        m_tray->setToolTip(tr("Lifeline: connecting"));
        break;
    case StatusIndicator::Level::Red:
        m_tray->setToolTip(tr("Lifeline: offline"));
        break;
    }
}

} // namespace lifeline::ui
