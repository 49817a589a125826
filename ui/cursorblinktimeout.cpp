#include "cursorblinktimeout.h"

#include <QApplication>
#include <QEvent>
#include <QTimer>

namespace lifeline::ui {

CursorBlinkTimeout::CursorBlinkTimeout(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
    , m_flashTimeMs(QApplication::cursorFlashTime())
    , m_blinking(m_flashTimeMs > 0)
{
    m_timer->setSingleShot(true);
    // A second more or less does not matter here; the coarse timer lets the system batch it.
    m_timer->setTimerType(Qt::VeryCoarseTimer);
    connect(m_timer, &QTimer::timeout, this, [this] { setBlinking(false); });
    if (m_flashTimeMs <= 0)
        return;
    qApp->installEventFilter(this);
    m_timer->start(m_timeoutMs);
}

CursorBlinkTimeout::~CursorBlinkTimeout()
{
    setBlinking(true);
}

void CursorBlinkTimeout::setTimeout(int ms)
{
    ms = qMax(0, ms);
    if (ms == m_timeoutMs)
        return;
    m_timeoutMs = ms;
    if (m_timer->isActive())
        m_timer->start(m_timeoutMs);
}

bool CursorBlinkTimeout::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::InputMethod:
    case QEvent::MouseButtonPress:
    case QEvent::FocusIn:
        setBlinking(true);
        m_timer->start(m_timeoutMs);
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void CursorBlinkTimeout::setBlinking(bool blinking)
{
    if (m_blinking == blinking || m_flashTimeMs <= 0)
        return;
    m_blinking = blinking;
    // Text fields follow the flash time as it changes: 0 shows their cursor steadily.
    QApplication::setCursorFlashTime(blinking ? m_flashTimeMs : 0);
    Q_EMIT blinkingChanged(blinking);
}

} // namespace lifeline::ui
