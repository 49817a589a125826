#pragma once

#include <lifeline/enums.h>

#include <QColor>
#include <QWidget>

class QAbstractButton;
class QLabel;
class QPainter;
class QPushButton;
class QRectF;
class QTimer;
namespace lifeline {
class ConnectionManager;
}

namespace lifeline::ui {

// The connection as the user sees it: a coloured shape (never colour alone), a line saying
// what is going on, a line saying why, and the one action that helps right now.
//
// A link that drops and comes back within the blip delay is never shown as lost: flickering
// to yellow for a few hundred milliseconds tells the user nothing they could act on.
class StatusIndicator : public QWidget
{
    Q_OBJECT
    // The level shown, which lags the connection by up to the blip delay when a link drops.
    Q_PROPERTY(Level level READ level NOTIFY displayChanged)
    // The main line, e.g. "Connected" or "Reconnecting in 3 s (attempt 2 of 5)".
    Q_PROPERTY(QString text READ text NOTIFY displayChanged)
    // The line under it: why the link is down, or the error of the last Connect click.
    Q_PROPERTY(QString detail READ detail NOTIFY displayChanged)
public:
    enum class Level { Green, Yellow, Red };
    Q_ENUM(Level)

    explicit StatusIndicator(lifeline::ConnectionManager *connection, QWidget *parent = nullptr);
    ~StatusIndicator() override;

    Level level() const { return m_level; }
    QString text() const;
    QString detail() const;
    QString buttonText() const;
    bool isButtonVisible() const;
    QAbstractButton *button() const;

    // How long a drop is hidden behind the connected state; 0 shows every change at once.
    int blipDelay() const { return m_blipDelay; }
    void setBlipDelay(int ms);

    // Shared with the tray icon and the timeline, so that a level looks the same everywhere.
    static Level levelFor(lifeline::ConnectionStatus status);
    static QColor colorFor(Level level);
    // Green filled circle, yellow triangle, red square: the shape tells the level without colour.
    // The name of its SVG in resources/icons (see SvgIcon).
    static QString iconFor(Level level);
    static void paintShape(QPainter *painter, const QRectF &rect, Level level);

Q_SIGNALS:
    // What the widget shows changed (level, text, detail or button).
    void displayChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    static bool isUp(lifeline::ConnectionStatus status);
    void onStatusChanged(lifeline::ConnectionStatus status);
    void showStatus(lifeline::ConnectionStatus status);
    void refresh();
    void onButtonClicked();
    QString reasonText() const;

    lifeline::ConnectionManager *m_connection;
    QLabel *m_shapeLabel;
    QLabel *m_textLabel;
    QLabel *m_detailLabel;
    QPushButton *m_button;
    QTimer *m_blipTimer;
    QTimer *m_countdownTimer;
    lifeline::ConnectionStatus m_shownStatus;
    Level m_level = Level::Red;
    int m_blipDelay = 1000;
    QString m_connectError;
};

} // namespace lifeline::ui
