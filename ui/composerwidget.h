#pragma once

#include <lifeline/chaterror.h>

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
namespace lifeline {
class ConnectionManager;
class Messenger;
} // namespace lifeline

namespace lifeline::ui {

// Where the user writes a message: Enter sends, Shift+Enter starts a new line. The Send button
// follows Messenger::sendAvailability() and says in words why it cannot send; a refused message
// stays in the editor with the SDK's error shown inline.
class ComposerWidget : public QWidget
{
    Q_OBJECT
public:
    // `connection` only explains an Unavailable button (offline, logged out, queue full).
    ComposerWidget(lifeline::Messenger *messenger, lifeline::ConnectionManager *connection,
                   const QString &room, QWidget *parent = nullptr);
    ~ComposerWidget() override;

    QPlainTextEdit *editor() const { return m_editor; }
    QPushButton *sendButton() const { return m_sendButton; }
    // "CODE: message" of the last refused send; empty once a send succeeded.
    QString errorText() const;

public Q_SLOTS:
    // Sends what the editor holds, unless sending is unavailable.
    void send();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateSendButton();
    void showError(const lifeline::ChatError &error);
    void clearError();
    void updateErrorLabel();
    void onTextChanged();

    QPointer<lifeline::Messenger> m_messenger;
    QPointer<lifeline::ConnectionManager> m_connection;
    QString m_room;
    QPlainTextEdit *m_editor;
    QPushButton *m_sendButton;
    QLabel *m_errorLabel;
    // The last refused send, shown above the editor; null once a send succeeded.
    lifeline::ChatError m_error;
    bool m_typing = false;
};

} // namespace lifeline::ui
