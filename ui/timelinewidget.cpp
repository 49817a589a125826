#include "timelinewidget.h"

#include "statusindicator.h"

#include <lifeline/connectionmanager.h>

#include <QEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTime>
#include <QTimer>

namespace lifeline::ui {

using lifeline::ChatError;
using lifeline::ConnectionManager;
using lifeline::ConnectionStatus;

TimelineWidget::TimelineWidget(ConnectionManager *connection, QWidget *parent)
    : QWidget(parent)
    , m_repaintTimer(new QTimer(this))
{
    m_segments.append({QDateTime::currentDateTime(), QDateTime(), connection->connectionStatus()});
    connect(connection, &ConnectionManager::connectionStatusChanged, this,
            &TimelineWidget::onStatusChanged);
    connect(connection, &ConnectionManager::connectionError, this, [this](const ChatError &) {
        m_errorMarks.append(QDateTime::currentDateTime());
        update();
    });
    // The app wakes up for each heartbeat anyway; moving the strip then costs no wake-up.
    connect(connection, &ConnectionManager::heartbeatAcknowledged, this, [this] {
        prune();
        update();
    });
    m_repaintTimer->setSingleShot(true);
    // A minute label must change on the minute, not up to 5 % of the wait later.
    m_repaintTimer->setTimerType(Qt::PreciseTimer);
    connect(m_repaintTimer, &QTimer::timeout, this, &TimelineWidget::refresh);
    retranslateUi();
}

void TimelineWidget::retranslateUi()
{
    setToolTip(tr("Connection over the last 10 minutes: solid green connected, dotted yellow "
                  "connecting, cross-hatched red offline; red triangles are errors"));
}

void TimelineWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TimelineWidget::showEvent(QShowEvent *event)
{
    // The picture is drawn for now on the paint that follows showing; the plan starts from now.
    prune();
    scheduleRefresh();
    QWidget::showEvent(event);
}

void TimelineWidget::hideEvent(QHideEvent *event)
{
    m_repaintTimer->stop();
    QWidget::hideEvent(event);
}

TimelineWidget::~TimelineWidget() = default;

QList<TimelineWidget::Segment> TimelineWidget::segments() const
{
    QList<Segment> list = m_segments;
    if (!list.isEmpty())
        list.last().end = QDateTime::currentDateTime();
    return list;
}

QSize TimelineWidget::sizeHint() const
{
    return {600, 28};
}

QSize TimelineWidget::minimumSizeHint() const
{
    return {200, 28};
}

void TimelineWidget::onStatusChanged(ConnectionStatus status)
{
    const QDateTime now = QDateTime::currentDateTime();
    if (!m_segments.isEmpty())
        m_segments.last().end = now;
    m_segments.append({now, QDateTime(), status});
    refresh();
}

void TimelineWidget::refresh()
{
    prune();
    update();
    scheduleRefresh();
}

void TimelineWidget::scheduleRefresh()
{
    if (!isVisible()) {
        m_repaintTimer->stop();
        return;
    }
    const bool up
        = StatusIndicator::levelFor(m_segments.last().status) == StatusIndicator::Level::Green;
    if (!up) {
        m_repaintTimer->start(1000);
        return;
    }
    // Heartbeats move the strip; only the labels need the clock, once a minute.
    const QTime now = QTime::currentTime();
    m_repaintTimer->start(60 * 1000 - (now.second() * 1000 + now.msec()));
}

void TimelineWidget::prune()
{
    const QDateTime horizon = QDateTime::currentDateTime().addMSecs(-WindowMs);
    // The current segment stays however old it is: it is still going on.
    while (m_segments.size() > 1 && m_segments.first().end < horizon)
        m_segments.removeFirst();
    while (!m_errorMarks.isEmpty() && m_errorMarks.first() < horizon)
        m_errorMarks.removeFirst();
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime from = now.addMSecs(-WindowMs);
    const QFontMetrics metrics = fontMetrics();
    // Minutes: the strip moves in heartbeats while the link is up, so seconds would claim a
    // precision the picture does not have, and would wake the app every second.
    const QString fromLabel = from.toString(QStringLiteral("HH:mm"));
    const QString toLabel = now.toString(QStringLiteral("HH:mm"));
    const int margin = 4;
    const int leftLabelWidth = metrics.horizontalAdvance(fromLabel);
    const int rightLabelWidth = metrics.horizontalAdvance(toLabel);
    const QRect strip
        = rect().adjusted(leftLabelWidth + 2 * margin, 2, -(rightLabelWidth + 2 * margin), -2);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(margin, 0, leftLabelWidth, height()), Qt::AlignVCenter, fromLabel);
    painter.drawText(QRect(width() - margin - rightLabelWidth, 0, rightLabelWidth, height()),
                     Qt::AlignVCenter, toLabel);
    if (strip.width() <= 0)
        return;

    // The frame goes around the strip, never over it: a run of one pixel at the edge is the
    // status right now.
    painter.setPen(palette().color(QPalette::Mid));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(strip.adjusted(-1, -1, 0, 0));
    painter.fillRect(strip, palette().color(QPalette::Base));
    const auto xFor = [&](const QDateTime &time) {
        const qint64 ms = qBound<qint64>(0, from.msecsTo(time), WindowMs);
        return strip.left() + int(ms * strip.width() / WindowMs);
    };
    // Exact colours (no antialiasing): the patterns stay crisp and the tests can find them.
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (const Segment &segment : std::as_const(m_segments)) {
        const QDateTime end = segment.end.isValid() ? segment.end : now;
        if (end < from)
            continue;
        const int left = xFor(segment.start);
        // Every run gets at least a pixel, so a short blip still shows.
        const int right = qMax(left + 1, xFor(end));
        const QRect area(left, strip.top(), right - left, strip.height());
        const StatusIndicator::Level level = StatusIndicator::levelFor(segment.status);
        const QColor color = StatusIndicator::colorFor(level);
        switch (level) {
        case StatusIndicator::Level::Green:
            painter.fillRect(area, color);
            break;
        case StatusIndicator::Level::Yellow:
            painter.fillRect(area, color.lighter(170));
            painter.fillRect(area, QBrush(color, Qt::Dense4Pattern));
            break;
        case StatusIndicator::Level::Red:
            painter.fillRect(area, color.lighter(170));
            painter.fillRect(area, QBrush(color, Qt::DiagCrossPattern));
            break;
        }
    }

    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(Qt::white, 1));
    painter.setBrush(StatusIndicator::colorFor(StatusIndicator::Level::Red));
    const int size = qMin(8, strip.height() / 2);
    for (const QDateTime &mark : std::as_const(m_errorMarks)) {
        if (mark < from)
            continue;
        const int x = xFor(mark);
        QPainterPath triangle;
        triangle.moveTo(x - size / 2.0, strip.top());
        triangle.lineTo(x + size / 2.0, strip.top());
        triangle.lineTo(x, strip.top() + size);
        triangle.closeSubpath();
        painter.drawPath(triangle);
    }
}

} // namespace lifeline::ui
