#include "manualcontrols.h"

#include <lifeline/connectionmanager.h>

#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>

#include <memory>

using lifeline::ChatError;
using lifeline::ConnectionManager;

ManualControls::ManualControls(ConnectionManager *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_connectButton(new QPushButton(tr("Connect"), this))
    , m_disconnectButton(new QPushButton(tr("Disconnect"), this))
    , m_pingButton(new QPushButton(tr("Ping"), this))
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
}

ManualControls::~ManualControls() = default;

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
                guard->report(action, tr("Web socket connection successful"));
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
                guard->report(action, tr("Web socket disconnection successful"));
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
                guard->report(action, tr("Ping answered in %1 ms").arg(clock->elapsed()));
        },
        [guard, action](const ChatError &error) {
            if (guard)
                guard->reportError(action, error);
        });
}

void ManualControls::report(const QString &action, const QString &text)
{
    m_resultLabel->setText(text);
    m_resultLabel->setToolTip(QString());
    Q_EMIT resultReported(action, true, text);
}

void ManualControls::reportError(const QString &action, const ChatError &error)
{
    const QString text = QStringLiteral("%1: %2").arg(error.code, error.message);
    m_resultLabel->setText(text);
    // The details say what to do; too long for the line, one hover away.
    m_resultLabel->setToolTip(error.details);
    Q_EMIT resultReported(action, false, text);
}
