// TimelineWidget recording what a real ConnectionManager did against the real lifeline-server.
#include "clientserverfixture.h"
#include "faultproxy.h"
#include "statusindicator.h"
#include "testsetup.h"
#include "timelinewidget.h"

#include <lifeline/connectionmanager.h>

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
} // namespace

class TestTimelineWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void segmentPerStatusAndErrorMarks();
    void paintsStatusColour();
    void sizeHintIsAStrip();
    void movesWithEachHeartbeatWhileUp();
    void movesEverySecondWhileDown();
    void restsWhileHidden();

protected:
    // Counts the strip's paints and the ticks of its timers.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool initAndLogin();
    bool connectThenDropAndReconnect();
    void showTimeline();

    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<TimelineWidget> m_timeline;
    int m_paints = 0;
    int m_timerTicks = 0;
};

void TestTimelineWidget::init()
{
    QVERIFY(m_fixture.start());
    m_timeline = std::make_unique<TimelineWidget>(m_fixture.manager());
    m_paints = 0;
    m_timerTicks = 0;
    qApp->installEventFilter(this);
}

void TestTimelineWidget::cleanup()
{
    qApp->removeEventFilter(this);
    m_timeline.reset();
    m_fixture.stop();
}

bool TestTimelineWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (m_timeline && watched == m_timeline.get() && event->type() == QEvent::Paint)
        ++m_paints;
    if (m_timeline && watched->parent() == m_timeline.get() && event->type() == QEvent::Timer)
        ++m_timerTicks;
    return QObject::eventFilter(watched, event);
}

void TestTimelineWidget::showTimeline()
{
    m_timeline->resize(m_timeline->sizeHint());
    m_timeline->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_timeline.get()));
}

bool TestTimelineWidget::initAndLogin()
{
    AppSettingsBuilder builder = m_fixture.fastSettings();
    return m_fixture.initAndLogin(builder.build());
}

bool TestTimelineWidget::connectThenDropAndReconnect()
{
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);
    if (!initAndLogin() || !connected.wait(Soon))
        return false;
    m_fixture.proxy()->resetAll();
    return connected.wait(Soon);
}

void TestTimelineWidget::segmentPerStatusAndErrorMarks()
{
    QVERIFY(connectThenDropAndReconnect());
    const QList<TimelineWidget::Segment> segments = m_timeline->segments();
    QList<ConnectionStatus> statuses;
    for (const TimelineWidget::Segment &segment : segments)
        statuses.append(segment.status);
    QCOMPARE(statuses,
             (QList<ConnectionStatus> {ConnectionStatus::Disconnected, ConnectionStatus::Connecting,
                                       ConnectionStatus::Connected, ConnectionStatus::Reconnecting,
                                       ConnectionStatus::Connecting, ConnectionStatus::Connected}));
    // Runs follow each other without gaps; the last one lasts until now.
    for (int i = 0; i < segments.size(); ++i) {
        QVERIFY(segments.at(i).start <= segments.at(i).end);
        if (i > 0)
            QCOMPARE(segments.at(i).start, segments.at(i - 1).end);
    }
    QVERIFY(segments.last().end.msecsTo(QDateTime::currentDateTime()) < 1000);

    const QList<QDateTime> marks = m_timeline->errorMarks();
    QCOMPARE(marks.size(), 1);
    // The error is the drop: it lies where the connected run ends.
    QVERIFY(marks.first() >= segments.at(2).start);
    QVERIFY(marks.first() <= segments.at(3).start);
}

void TestTimelineWidget::paintsStatusColour()
{
    QVERIFY(connectThenDropAndReconnect());
    m_timeline->resize(m_timeline->sizeHint());
    const QImage image = m_timeline->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QRgb green = StatusIndicator::colorFor(StatusIndicator::Level::Green).rgb();
    const QRgb red = StatusIndicator::colorFor(StatusIndicator::Level::Red).rgb();
    int greenPixels = 0;
    int redPixels = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            greenPixels += image.pixel(x, y) == green;
            redPixels += image.pixel(x, y) == red;
        }
    }
    QVERIFY2(greenPixels > 0, "the connected run is not painted");
    QVERIFY2(redPixels > 0, "neither the offline run nor the error mark is painted");
}

void TestTimelineWidget::sizeHintIsAStrip()
{
    const QSize hint = m_timeline->sizeHint();
    QVERIFY(hint.width() >= 400);
    QVERIFY(hint.height() <= 40);
}

void TestTimelineWidget::movesWithEachHeartbeatWhileUp()
{
    // Longer than the 1 s a ticking strip would repaint at, so that the two differ.
    constexpr auto interval = 5s;
    showTimeline();
    QSignalSpy acknowledged(m_fixture.manager(), &ConnectionManager::heartbeatAcknowledged);
    AppSettingsBuilder builder = m_fixture.fastSettings();
    builder.setHeartbeatInterval(interval);
    QVERIFY(m_fixture.initAndLogin(builder.build()));
    const int intervalMs = int(std::chrono::milliseconds(interval).count());
    QVERIFY(acknowledged.wait(intervalMs + Soon));
    QTRY_VERIFY_WITH_TIMEOUT(m_paints > 0, Soon);

    for (int heartbeat = 0; heartbeat < 2; ++heartbeat) {
        m_paints = 0;
        QVERIFY(acknowledged.wait(intervalMs + Soon));
        // The connected run grew with the heartbeat that came back...
        QTRY_VERIFY_WITH_TIMEOUT(m_paints >= 1, Soon);
        // ...and in between the strip rested, but for a minute label that may have changed.
        QVERIFY2(m_paints <= 2,
                 qPrintable(QStringLiteral("%1 repaints in one heartbeat interval of %2 ms")
                                .arg(m_paints)
                                .arg(intervalMs)));
    }
}

void TestTimelineWidget::movesEverySecondWhileDown()
{
    // Never connected: the offline run grows, second by second.
    showTimeline();
    m_paints = 0;
    QTRY_VERIFY_WITH_TIMEOUT(m_paints >= 3, 3 * Soon);
}

void TestTimelineWidget::restsWhileHidden()
{
    showTimeline();
    m_timeline->hide();
    m_timerTicks = 0;
    // A strip that ticks while down would have ticked twice.
    QTest::qWait(2500);
    QCOMPARE(m_timerTicks, 0);

    // Shown again, it moves again.
    showTimeline();
    m_paints = 0;
    QTRY_VERIFY_WITH_TIMEOUT(m_paints >= 2, 3 * Soon);
}

QTEST_MAIN(TestTimelineWidget)
#include "tst_timelinewidget.moc"
