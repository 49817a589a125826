#pragma once

#include <lifeline/enums.h>

#include <QDateTime>
#include <QList>
#include <QWidget>

class QTimer;

namespace lifeline {
class ConnectionManager;
}

// The last ten minutes of the link as a strip: one run per status, coloured and patterned
// (solid when up, dense hatch when trying, cross hatch when down, so it reads without colour),
// with a small red triangle at each error.
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

private:
    void retranslateUi();
    void onStatusChanged(lifeline::ConnectionStatus status);
    void prune();

    QList<Segment> m_segments;
    QList<QDateTime> m_errorMarks;
    QTimer *m_repaintTimer;
};
