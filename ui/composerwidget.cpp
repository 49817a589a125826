#include "composerwidget.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lifeline::ui {

using lifeline::ConnectionManager;
using lifeline::ConnectionStatus;
using lifeline::Messenger;
using lifeline::SendAvailability;

ComposerWidget::ComposerWidget(Messenger *messenger, ConnectionManager *connection,
                               const QString &room, QWidget *parent)
    : QWidget(parent)
    , m_messenger(messenger)
    , m_connection(connection)
    , m_room(room)
    , m_editor(new QPlainTextEdit(this))
    , m_sendButton(new QPushButton(this))
    , m_errorLabel(new QLabel(this))
{
    m_editor->setTabChangesFocus(true);
    m_editor->installEventFilter(this);
    // Three lines are enough to see what one writes; longer texts scroll.
    m_editor->setMaximumHeight(m_editor->fontMetrics().lineSpacing() * 4);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setForegroundRole(QPalette::BrightText);
    m_errorLabel->hide();

    auto *row = new QHBoxLayout;
    row->addWidget(m_editor, 1);
    row->addWidget(m_sendButton, 0, Qt::AlignBottom);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_errorLabel);
    layout->addLayout(row);

    connect(m_sendButton, &QPushButton::clicked, this, &ComposerWidget::send);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &ComposerWidget::onTextChanged);
    if (m_messenger) {
        connect(m_messenger, &Messenger::sendAvailabilityChanged, this,
                &ComposerWidget::updateSendButton);
        connect(m_messenger, &Messenger::pendingCountChanged, this,
                &ComposerWidget::updateSendButton);
    }
    if (m_connection) {
        connect(m_connection, &ConnectionManager::connectionStatusChanged, this,
                &ComposerWidget::updateSendButton);
        connect(m_connection, &ConnectionManager::loggedInUserChanged, this,
                &ComposerWidget::updateSendButton);
    }
    retranslateUi();
}

ComposerWidget::~ComposerWidget() = default;

QString ComposerWidget::errorText() const
{
    return m_errorLabel->isHidden() ? QString() : m_errorLabel->text();
}

void ComposerWidget::send()
{
    if (!m_messenger || m_messenger->sendAvailability() == SendAvailability::Unavailable)
        return;
    QPointer<ComposerWidget> self(this);
    lifeline::ChatError refusal;
    const QString id = m_messenger->sendMessage(
        m_room, m_editor->toPlainText(),
        [&refusal](const lifeline::ChatError &error) { refusal = error; });
    if (!self)
        return;
    if (id.isEmpty()) {
        showError(refusal);
        return;
    }
    clearError();
    m_editor->clear();
}

bool ComposerWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                // A plain newline, not the line separator QPlainTextEdit would insert.
                m_editor->insertPlainText(QStringLiteral("\n"));
            else
                send();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ComposerWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ComposerWidget::retranslateUi()
{
    m_editor->setPlaceholderText(tr("Write a message…"));
    updateSendButton();
    updateErrorLabel();
}

void ComposerWidget::updateSendButton()
{
    const SendAvailability availability
        = m_messenger ? m_messenger->sendAvailability() : SendAvailability::Unavailable;
    switch (availability) {
    case SendAvailability::SendNow:
        m_sendButton->setEnabled(true);
        m_sendButton->setText(tr("Send"));
        m_sendButton->setToolTip(tr("Send the message now (Enter)"));
        return;
    case SendAvailability::QueueOnly:
        m_sendButton->setEnabled(true);
        m_sendButton->setText(tr("Queue"));
        m_sendButton->setToolTip(tr("Goes out as soon as the connection is back"));
        return;
    case SendAvailability::Unavailable:
        break;
    }
    m_sendButton->setEnabled(false);
    m_sendButton->setText(tr("Send"));
    // The Messenger says only "unavailable"; the connection and the queue say why.
    QString reason = tr("Offline — connect first");
    if (m_connection && m_connection->loggedInUser().isEmpty())
        reason = tr("Log in first");
    else if (m_connection && m_connection->connectionStatus() != ConnectionStatus::Disconnected)
        reason = tr("Too many messages are waiting to be sent");
    m_sendButton->setToolTip(reason);
}

void ComposerWidget::showError(const lifeline::ChatError &error)
{
    m_error = error;
    updateErrorLabel();
}

void ComposerWidget::clearError()
{
    m_error = {};
    updateErrorLabel();
}

void ComposerWidget::updateErrorLabel()
{
    if (m_error.isNull()) {
        m_errorLabel->clear();
        m_errorLabel->setToolTip({});
        m_errorLabel->hide();
        return;
    }
    m_errorLabel->setText(tr("%1: %2").arg(m_error.code, m_error.message));
    m_errorLabel->setToolTip(m_error.details);
    m_errorLabel->show();
}

void ComposerWidget::onTextChanged()
{
    if (!m_messenger)
        return;
    const bool typing = !m_editor->document()->isEmpty();
    // Every keystroke says "typing" again; the Messenger sends at most one start every 3 s.
    if (typing || m_typing)
        m_messenger->setTyping(m_room, typing);
    m_typing = typing;
}

} // namespace lifeline::ui
