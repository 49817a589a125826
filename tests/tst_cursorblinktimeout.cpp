// CursorBlinkTimeout with the kinds of text field the app has (the composer's QPlainTextEdit,
// the settings' QLineEdit), focused in a shown window: the cursor blinks, stops blinking after
// the timeout and stays shown, and blinks again on the next key.
#include "cursorblinktimeout.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QLineEdit>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace lifeline::ui;

namespace {

// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
// While the test watches the cursor blink: longer than any test.
constexpr int LongTimeoutMs = 120000;
// Then, so that the test does not wait GNOME's 10 s.
constexpr int ShortTimeoutMs = 300;

} // namespace

class TestCursorBlinkTimeout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void stopsBlinkingAndShowsTheCursor_data();
    void stopsBlinkingAndShowsTheCursor();
    void blinksAgainOnInput_data();
    void blinksAgainOnInput();
    void givesTheFlashTimeBack();
    void leavesBlinkingOffAlone();

protected:
    // Counts the timer events of the field: at rest, its only timer is the cursor's blink.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showFocusedField(const QString &kind);
    // The field's two looks while it blinks, the one with more dark pixels (the cursor) first.
    bool captureBlinkPhases(QImage *cursorOn);

    std::unique_ptr<QMainWindow> m_window;
    QWidget *m_field = nullptr;
    int m_fieldTimerEvents = 0;
    int m_desktopFlashTime = 0;
};

void TestCursorBlinkTimeout::init()
{
    m_desktopFlashTime = QApplication::cursorFlashTime();
    // The offscreen platform's default; a cursor that never blinks would prove nothing here.
    QVERIFY2(m_desktopFlashTime > 0, "the platform does not blink the text cursor");
    qApp->installEventFilter(this);
}

void TestCursorBlinkTimeout::cleanup()
{
    qApp->removeEventFilter(this);
    m_window.reset();
    m_field = nullptr;
    QApplication::setCursorFlashTime(m_desktopFlashTime);
}

bool TestCursorBlinkTimeout::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Timer && m_field) {
        for (QObject *object = watched; object; object = object->parent()) {
            if (object == m_field) {
                ++m_fieldTimerEvents;
                break;
            }
        }
    }
    return QObject::eventFilter(watched, event);
}

void TestCursorBlinkTimeout::showFocusedField(const QString &kind)
{
    m_window = std::make_unique<QMainWindow>();
    if (kind == QLatin1String("plain text edit"))
        m_field = new QPlainTextEdit(m_window.get());
    else
        m_field = new QLineEdit(m_window.get());
    m_window->setCentralWidget(m_field);
    m_window->resize(300, 120);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_field->setFocus();
    QTRY_VERIFY_WITH_TIMEOUT(m_field->hasFocus(), Soon);
}

bool TestCursorBlinkTimeout::captureBlinkPhases(QImage *cursorOn)
{
    const auto darkPixels = [](const QImage &image) {
        int dark = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                dark += qGray(image.pixel(x, y)) < 96;
        }
        return dark;
    };
    const QImage first = m_field->grab().toImage();
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < Soon) {
        QTest::qWait(50);
        const QImage other = m_field->grab().toImage();
        if (other != first) {
            *cursorOn = darkPixels(other) > darkPixels(first) ? other : first;
            return true;
        }
    }
    return false;
}

void TestCursorBlinkTimeout::stopsBlinkingAndShowsTheCursor_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("composer") << QStringLiteral("plain text edit");
    QTest::newRow("settings field") << QStringLiteral("line edit");
}

void TestCursorBlinkTimeout::stopsBlinkingAndShowsTheCursor()
{
    QFETCH(QString, kind);
    CursorBlinkTimeout limiter;
    limiter.setTimeout(LongTimeoutMs);
    QSignalSpy blinking(&limiter, &CursorBlinkTimeout::blinkingChanged);
    showFocusedField(kind);

    QImage cursorOn;
    QVERIFY2(captureBlinkPhases(&cursorOn), "the focused field never blinked");
    QVERIFY(limiter.isBlinking());
    limiter.setTimeout(ShortTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!limiter.isBlinking(), Soon);
    QCOMPARE(blinking.last().at(0).toBool(), false);

    m_fieldTimerEvents = 0;
    const QImage resting = m_field->grab().toImage();
    // Three blink periods of the platform's flash time: a blinking cursor would have ticked.
    QTest::qWait(3 * m_desktopFlashTime / 2);
    QCOMPARE(m_fieldTimerEvents, 0);
    QVERIFY2(resting == cursorOn, "the resting cursor is not shown");
    QVERIFY2(m_field->grab().toImage() == cursorOn, "the resting cursor does not stay shown");
}

void TestCursorBlinkTimeout::blinksAgainOnInput_data()
{
    stopsBlinkingAndShowsTheCursor_data();
}

void TestCursorBlinkTimeout::blinksAgainOnInput()
{
    QFETCH(QString, kind);
    CursorBlinkTimeout limiter;
    limiter.setTimeout(ShortTimeoutMs);
    showFocusedField(kind);
    QTRY_VERIFY_WITH_TIMEOUT(!limiter.isBlinking(), Soon);

    limiter.setTimeout(LongTimeoutMs);
    QTest::keyClick(m_field, Qt::Key_A);
    QVERIFY(limiter.isBlinking());
    QImage cursorOn;
    QVERIFY2(captureBlinkPhases(&cursorOn), "the cursor did not blink again after a key");
    // The key started the wait anew: once it is over, the cursor rests again.
    limiter.setTimeout(ShortTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!limiter.isBlinking(), Soon);
}

void TestCursorBlinkTimeout::givesTheFlashTimeBack()
{
    {
        CursorBlinkTimeout limiter;
        limiter.setTimeout(ShortTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!limiter.isBlinking(), Soon);
        QCOMPARE(QApplication::cursorFlashTime(), 0);
    }
    QCOMPARE(QApplication::cursorFlashTime(), m_desktopFlashTime);
}

void TestCursorBlinkTimeout::leavesBlinkingOffAlone()
{
    // Blinking turned off on the desktop: nothing to stop, and nothing to turn on on input.
    QApplication::setCursorFlashTime(0);
    CursorBlinkTimeout limiter;
    showFocusedField(QStringLiteral("line edit"));
    QVERIFY(!limiter.isBlinking());
    QTest::keyClick(m_field, Qt::Key_A);
    QVERIFY(!limiter.isBlinking());
    QCOMPARE(QApplication::cursorFlashTime(), 0);
}

QTEST_MAIN(TestCursorBlinkTimeout)
#include "tst_cursorblinktimeout.moc"
