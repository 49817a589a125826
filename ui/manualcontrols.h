#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace lifeline {
class ConnectionManager;
struct ChatError;
} // namespace lifeline

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

private:
    void connectNow();
    void disconnectNow();
    void pingNow();
    void report(const QString &action, const QString &text);
    void reportError(const QString &action, const lifeline::ChatError &error);

    lifeline::ConnectionManager *m_connection;
    QPushButton *m_connectButton;
    QPushButton *m_disconnectButton;
    QPushButton *m_pingButton;
    QLabel *m_resultLabel;
};
