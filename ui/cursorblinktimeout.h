#pragma once

#include <QObject>

class QTimer;

namespace lifeline::ui {

// Stops the text cursor's blinking after a while without input, as GNOME does
// (cursor-blink-timeout, 10 s): the cursor then stays shown, steady, and the app stops waking up
// twice a second for a focused field nobody types into. Any key, click or focus change makes
// every cursor blink again and starts the wait anew.
//
// It works through the application's cursor flash time, so it covers every text field of the
// app at once. With blinking turned off on the desktop (flash time 0) it does nothing.
class CursorBlinkTimeout : public QObject
{
    Q_OBJECT
    // Whether text cursors blink now.
    Q_PROPERTY(bool blinking READ isBlinking NOTIFY blinkingChanged)
public:
    // GNOME's default.
    static constexpr int DefaultTimeoutMs = 10000;

    // Watches the input of the whole application; needs a QApplication.
    explicit CursorBlinkTimeout(QObject *parent = nullptr);
    // Gives the cursors their blinking back.
    ~CursorBlinkTimeout() override;

    bool isBlinking() const { return m_blinking; }
    // How long cursors blink after the last input.
    int timeout() const { return m_timeoutMs; }
    void setTimeout(int ms);

Q_SIGNALS:
    // isBlinking() changed.
    void blinkingChanged(bool blinking);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setBlinking(bool blinking);

    QTimer *m_timer;
    // The desktop's flash time, given back whenever the cursors blink.
    int m_flashTimeMs;
    int m_timeoutMs = DefaultTimeoutMs;
    bool m_blinking;
};

} // namespace lifeline::ui
