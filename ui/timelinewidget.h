#pragma once

#include <lifeline/enums.h>

#include <QDateTime>
#include <QList>
#include <QWidget>

class QTimer;
namespace lifeline {
class ConnectionManager;
}

namespace lifeline::ui {

// The last ten minutes of the link as a strip: one run per status, coloured and patterned
// (solid when up, dense hatch when trying, cross hatch when down, so it reads without colour),
// with a small red triangle at each error.
//
// The strip moves only when the app is awake anyway or the picture changes: while the link is
// up, with each heartbeat that comes back (the connected run grows by what was confirmed) and
// when the clock labels change their minute; while the link is down or on its way up, every
// second; while hidden, never.
class TimelineWidget : public QWidget
{
    Q_OBJECT
public:
    struct Segment
    {
        QDateTime start;
        QDateTime end;
        lifeline::ConnectionStatus status;
    };

    // What the strip shows; older history is dropped.
    static constexpr qint64 WindowMs = 10 * 60 * 1000;

    explicit TimelineWidget(lifeline::ConnectionManager *connection, QWidget *parent = nullptr);
    ~TimelineWidget() override;

    // Oldest first; the last one is the current status and ends now.
    QList<Segment> segments() const;
    QList<QDateTime> errorMarks() const { return m_errorMarks; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void retranslateUi();
    void onStatusChanged(lifeline::ConnectionStatus status);
    void prune();
    // Repaints with the time now and plans the next repaint.
    void refresh();
    void scheduleRefresh();

    QList<Segment> m_segments;
    QList<QDateTime> m_errorMarks;
    QTimer *m_repaintTimer;
};

} // namespace lifeline::ui
