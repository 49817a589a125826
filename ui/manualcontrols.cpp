#include "manualcontrols.h"

#include <lifeline/connectionmanager.h>

#include <QElapsedTimer>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>

#include <memory>

namespace lifeline::ui {

using lifeline::ChatError;
using lifeline::ConnectionManager;

ManualControls::ManualControls(ConnectionManager *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_connectButton(new QPushButton(this))
    , m_disconnectButton(new QPushButton(this))
    , m_pingButton(new QPushButton(this))
    , m_resultLabel(new QLabel(this))
{
    m_resultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *row = new QHBoxLayout(this);
    row->addWidget(m_connectButton);
    row->addWidget(m_disconnectButton);
    row->addWidget(m_pingButton);
    row->addWidget(m_resultLabel, 1);

    connect(m_connectButton, &QPushButton::clicked, this, &ManualControls::connectNow);
    connect(m_disconnectButton, &QPushButton::clicked, this, &ManualControls::disconnectNow);
    connect(m_pingButton, &QPushButton::clicked, this, &ManualControls::pingNow);
    retranslateUi();
}

ManualControls::~ManualControls() = default;

void ManualControls::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ManualControls::retranslateUi()
{
    m_connectButton->setText(tr("Connect"));
    m_disconnectButton->setText(tr("Disconnect"));
    m_pingButton->setText(tr("Ping"));
    m_resultLabel->setText(resultLine());
}

QString ManualControls::resultText() const
{
    return m_resultLabel->text();
}

void ManualControls::connectNow()
{
    // The callbacks may come after this widget is gone (the window closed mid-attempt).
    QPointer<ManualControls> guard(this);
    const QString action = QStringLiteral("connect");
    m_connection->connectToServer(
        [guard, action](const QString &) {
            if (guard)
                guard->report(action, Outcome::Connected);
        },
        [guard, action](const ChatError &error) {
            if (guard)
                guard->reportError(action, error);
        });
}

void ManualControls::disconnectNow()
{
    QPointer<ManualControls> guard(this);
    const QString action = QStringLiteral("disconnect");
    m_connection->disconnectFromServer(
        [guard, action](const QString &) {
            if (guard)
                guard->report(action, Outcome::Disconnected);
        },
        [guard, action](const ChatError &error) {
            if (guard)
                guard->reportError(action, error);
        });
}

void ManualControls::pingNow()
{
    QPointer<ManualControls> guard(this);
    const QString action = QStringLiteral("ping");
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_connection->ping(
        [guard, action, clock] {
            if (guard)
                guard->report(action, Outcome::PingAnswered, clock->elapsed());
        },
        [guard, action](const ChatError &error) {
            if (guard)
                guard->reportError(action, error);
        });
}

void ManualControls::report(const QString &action, Outcome outcome, qint64 pingMs)
{
    m_outcome = outcome;
    m_pingMs = pingMs;
    m_error = {};
    const QString text = resultLine();
    m_resultLabel->setText(text);
    m_resultLabel->setToolTip(QString());
    Q_EMIT resultReported(action, true, text);
}

void ManualControls::reportError(const QString &action, const ChatError &error)
{
    m_outcome = Outcome::Failed;
    m_error = error;
    const QString text = resultLine();
    m_resultLabel->setText(text);
    // The details say what to do; too long for the line, one hover away.
    m_resultLabel->setToolTip(error.details);
    Q_EMIT resultReported(action, false, text);
}

QString ManualControls::resultLine() const
{
    switch (m_outcome) {
    case Outcome::None:
        return {};
    case Outcome::Connected:
        return tr("Web socket connection successful");
    case Outcome::Disconnected:
        return tr("Web socket disconnection successful");
    case Outcome::PingAnswered:
        return tr("Ping answered in %1 ms").arg(m_pingMs);
    case Outcome::Failed:
        return QStringLiteral("%1: %2").arg(m_error.code, m_error.message);
    }
    return {};
}

} // namespace lifeline::ui
