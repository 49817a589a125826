#include "statusindicator.h"

#include "svgicon.h"

#include <lifeline/connectionmanager.h>

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace lifeline::ui {

using lifeline::ConnectionManager;
using lifeline::ConnectionStatus;
using lifeline::DisconnectReason;

namespace {
constexpr int ShapeSize = 16;
}

StatusIndicator::StatusIndicator(ConnectionManager *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_shapeLabel(new QLabel(this))
    , m_textLabel(new QLabel(this))
    , m_detailLabel(new QLabel(this))
    , m_button(new QPushButton(this))
    , m_blipTimer(new QTimer(this))
    , m_countdownTimer(new QTimer(this))
    , m_shownStatus(connection->connectionStatus())
{
    m_shapeLabel->setObjectName(QStringLiteral("statusShape"));
    m_shapeLabel->setFixedSize(ShapeSize, ShapeSize);
    QFont bold = m_textLabel->font();
    bold.setBold(true);
    m_textLabel->setFont(bold);
    m_detailLabel->setWordWrap(true);

    auto *texts = new QVBoxLayout;
    texts->setContentsMargins(0, 0, 0, 0);
    texts->setSpacing(0);
    texts->addWidget(m_textLabel);
    texts->addWidget(m_detailLabel);
    auto *row = new QHBoxLayout(this);
    row->addWidget(m_shapeLabel, 0, Qt::AlignTop);
    row->addLayout(texts, 1);
    row->addWidget(m_button, 0, Qt::AlignVCenter);

    m_blipTimer->setSingleShot(true);
    connect(m_blipTimer, &QTimer::timeout, this,
            [this] { showStatus(m_connection->connectionStatus()); });
    m_countdownTimer->setSingleShot(true);
    connect(m_countdownTimer, &QTimer::timeout, this, &StatusIndicator::refresh);
    connect(m_button, &QPushButton::clicked, this, &StatusIndicator::onButtonClicked);

    connect(connection, &ConnectionManager::connectionStatusChanged, this,
            &StatusIndicator::onStatusChanged);
    // These change the words of the state already shown, never which state is shown.
    connect(connection, &ConnectionManager::featureThrottled, this, &StatusIndicator::refresh);
    connect(connection, &ConnectionManager::reconnecting, this, &StatusIndicator::refresh);
    connect(connection, &ConnectionManager::disconnectReasonChanged, this,
            &StatusIndicator::refresh);
    connect(connection, &ConnectionManager::connectedServerUrlChanged, this,
            &StatusIndicator::refresh);
    refresh();
}

StatusIndicator::~StatusIndicator() = default;

QString StatusIndicator::text() const
{
    return m_textLabel->text();
}

QString StatusIndicator::detail() const
{
    return m_detailLabel->text();
}

QString StatusIndicator::buttonText() const
{
    return m_button->text();
}

bool StatusIndicator::isButtonVisible() const
{
    return !m_button->isHidden();
}

QAbstractButton *StatusIndicator::button() const
{
    return m_button;
}

void StatusIndicator::setBlipDelay(int ms)
{
    m_blipDelay = qMax(0, ms);
}

StatusIndicator::Level StatusIndicator::levelFor(ConnectionStatus status)
{
    switch (status) {
    case ConnectionStatus::Connected:
    case ConnectionStatus::FeatureThrottled:
        return Level::Green;
    case ConnectionStatus::Connecting:
    case ConnectionStatus::Reconnecting:
        return Level::Yellow;
    case ConnectionStatus::Disconnected:
        return Level::Red;
    }
    return Level::Red;
}

QColor StatusIndicator::colorFor(Level level)
{
    // Darker than pure hues, so that they stay readable on light and dark backgrounds.
    switch (level) {
    case Level::Green:
        return QColor(0x1e, 0x8e, 0x3e);
    case Level::Yellow:
        return QColor(0xe0, 0xa8, 0x00);
    case Level::Red:
        return QColor(0xd9, 0x30, 0x25);
    }
    return {};
}

void StatusIndicator::changeEvent(QEvent *event)
{
    // Every text is computed from the state shown, so recomputing it translates it.
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QWidget::changeEvent(event);
}

QString StatusIndicator::iconFor(Level level)
{
    switch (level) {
    case Level::Green:
        return QStringLiteral("status-connected");
    case Level::Yellow:
        return QStringLiteral("status-connecting");
    case Level::Red:
        return QStringLiteral("status-offline");
    }
    return {};
}

void StatusIndicator::paintShape(QPainter *painter, const QRectF &rect, Level level)
{
    SvgIcon::paint(painter, rect, iconFor(level));
}

bool StatusIndicator::isUp(ConnectionStatus status)
{
    return status == ConnectionStatus::Connected || status == ConnectionStatus::FeatureThrottled;
}

void StatusIndicator::onStatusChanged(ConnectionStatus status)
{
    if (isUp(status)) {
        m_blipTimer->stop();
        m_connectError.clear();
        showStatus(status);
        return;
    }
    // The user asked for this one; hiding it would look like the click did nothing.
    const bool deliberate = status == ConnectionStatus::Disconnected
        && (m_connection->disconnectReason() == DisconnectReason::UserDisconnected
            || m_connection->disconnectReason() == DisconnectReason::LoggedOut);
    if (deliberate) {
        m_blipTimer->stop();
        showStatus(status);
        return;
    }
    if (isUp(m_shownStatus) && m_blipDelay > 0) {
        // Keep showing the link as up; the real state follows if it is still down then.
        if (!m_blipTimer->isActive())
            m_blipTimer->start(m_blipDelay);
        return;
    }
    if (m_blipTimer->isActive())
        return;
    showStatus(status);
}

void StatusIndicator::showStatus(ConnectionStatus status)
{
    m_shownStatus = status;
    refresh();
}

void StatusIndicator::refresh()
{
    const Level level = levelFor(m_shownStatus);
    QString text;
    QString detail;
    QString button;
    m_countdownTimer->stop();

    // With the instances of a service to choose from, which one the app is on matters; with
    // one server, the window already names it.
    const QUrl server = m_connection->connectedServerUrl();
    if (m_connection->settings().serverUrls().size() > 1 && !server.isEmpty()
        && (m_shownStatus == ConnectionStatus::Connected
            || m_shownStatus == ConnectionStatus::FeatureThrottled))
        detail = tr("Server: %1").arg(server.toDisplayString());

    switch (m_shownStatus) {
    case ConnectionStatus::Connected:
        text = tr("Connected");
        break;
    case ConnectionStatus::FeatureThrottled: {
        const QStringList features = m_connection->throttledFeatures();
        if (features.isEmpty())
            text = tr("Connected");
        else if (features.contains(QLatin1String("typing")))
            text = tr("Connected, typing paused by the server");
        else
            text = tr("Connected, %1 paused by the server").arg(features.join(tr(", ")));
        break;
    }
    case ConnectionStatus::Connecting:
        text = tr("Connecting…");
        break;
    case ConnectionStatus::Reconnecting: {
        const int attempt = m_connection->reconnectAttempt();
        const int maxAttempts = m_connection->settings().maxReconnectAttempts();
        const qint64 remainingMs = m_connection->reconnectRemainingMs();
        if (remainingMs >= 0) {
            const qint64 seconds = (remainingMs + 999) / 1000;
            text = maxAttempts > 0
                ? tr("Reconnecting in %1 s (attempt %2 of %3)")
                      .arg(seconds)
                      .arg(attempt)
                      .arg(maxAttempts)
                : tr("Reconnecting in %1 s (attempt %2)").arg(seconds).arg(attempt);
            // Wake up when the shown number of seconds changes, not on an arbitrary phase.
            const qint64 untilNextSecond = remainingMs % 1000;
            m_countdownTimer->start(int(untilNextSecond > 0 ? untilNextSecond + 1 : 1000));
        } else {
            // No timer runs: the attempt waits for the network to come back.
            text = maxAttempts > 0
                ? tr("Reconnecting (attempt %1 of %2)").arg(attempt).arg(maxAttempts)
                : tr("Reconnecting (attempt %1)").arg(attempt);
        }
        const lifeline::ChatError error = m_connection->lastError();
        if (!error.isNull())
            detail = error.message;
        button = tr("Retry now");
        break;
    }
    case ConnectionStatus::Disconnected:
        text = tr("Offline");
        detail = m_connectError.isEmpty() ? reasonText() : m_connectError;
        button = tr("Connect");
        break;
    }

    const bool changed = level != m_level || text != m_textLabel->text()
        || detail != m_detailLabel->text() || button != m_button->text()
        || button.isEmpty() != m_button->isHidden();
    if (level != m_level || m_shapeLabel->pixmap().isNull()) {
        QPixmap pixmap(ShapeSize * devicePixelRatio(), ShapeSize * devicePixelRatio());
        pixmap.setDevicePixelRatio(devicePixelRatio());
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paintShape(&painter, QRectF(0, 0, ShapeSize, ShapeSize), level);
        painter.end();
        m_shapeLabel->setPixmap(pixmap);
    }
    m_level = level;
    m_textLabel->setText(text);
    m_detailLabel->setText(detail);
    m_detailLabel->setHidden(detail.isEmpty());
    m_button->setText(button);
    m_button->setHidden(button.isEmpty());
    // Screen readers hear what the colour and shape say.
    setAccessibleName(text);
    setAccessibleDescription(detail);
    if (changed)
        Q_EMIT displayChanged();
}

QString StatusIndicator::reasonText() const
{
    switch (m_connection->disconnectReason()) {
    case DisconnectReason::NotStarted:
        return tr("Not connected");
    case DisconnectReason::UserDisconnected:
        return tr("You disconnected");
    case DisconnectReason::LoggedOut:
        return tr("Logged out");
    case DisconnectReason::Background:
        return tr("Disconnected in background");
    case DisconnectReason::ReconnectFailed:
        return tr("Connection failed after %n attempts", nullptr,
                  m_connection->settings().maxReconnectAttempts());
    case DisconnectReason::AuthFailed:
        return tr("Token rejected");
    case DisconnectReason::ProtocolMismatch:
        return tr("The server speaks another protocol version");
    case DisconnectReason::TlsFailed:
        // Not retried by itself: the user has to see that a certificate is the problem.
        return tr("Secure connection failed: the server's certificate was refused");
    }
    return {};
}

void StatusIndicator::onButtonClicked()
{
    if (m_shownStatus == ConnectionStatus::Reconnecting) {
        m_connection->connectToServer();
        return;
    }
    m_connectError.clear();
    // The callbacks may come after this widget is gone (the window closed mid-attempt).
    QPointer<StatusIndicator> guard(this);
    m_connection->connectToServer(
        [guard](const QString &) {
            if (guard)
                guard->m_connectError.clear();
        },
        [guard](const lifeline::ChatError &error) {
            if (!guard)
                return;
            guard->m_connectError = QStringLiteral("%1: %2").arg(error.code, error.message);
            guard->refresh();
        });
    refresh();
}

} // namespace lifeline::ui
