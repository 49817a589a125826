#pragma once

#include <lifeline/chaterror.h>

#include <QWidget>

class QLabel;
class QPushButton;
namespace lifeline {
class ConnectionManager;
} // namespace lifeline

namespace lifeline::ui {

// Connect, Disconnect and Ping by hand, for manual mode (autoEstablishSocketConnection off),
// with the outcome of the last click in words. The shell shows it only in manual mode.
class ManualControls : public QWidget
{
    Q_OBJECT
public:
    explicit ManualControls(lifeline::ConnectionManager *connection, QWidget *parent = nullptr);
    ~ManualControls() override;

    QPushButton *connectButton() const { return m_connectButton; }
    QPushButton *disconnectButton() const { return m_disconnectButton; }
    QPushButton *pingButton() const { return m_pingButton; }
    // The outcome of the last action as shown; its tooltip holds an error's details.
    QString resultText() const;

Q_SIGNALS:
    // An action finished; action is "connect", "disconnect" or "ping" (stable, for the log),
    // text is what the result line shows.
    void resultReported(const QString &action, bool ok, const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    // What the last click came to; the result line is said from it in the current language.
    enum class Outcome { None, Connected, Disconnected, PingAnswered, Failed };

    void retranslateUi();
    void connectNow();
    void disconnectNow();
    void pingNow();
    void report(const QString &action, Outcome outcome, qint64 pingMs = 0);
    void reportError(const QString &action, const lifeline::ChatError &error);
    QString resultLine() const;

    lifeline::ConnectionManager *m_connection;
    QPushButton *m_connectButton;
    QPushButton *m_disconnectButton;
    QPushButton *m_pingButton;
    QLabel *m_resultLabel;
    Outcome m_outcome = Outcome::None;
    qint64 m_pingMs = 0; // PingAnswered
    lifeline::ChatError m_error; // Failed
};

} // namespace lifeline::ui
