#include "eventlogdock.h"

#include "eventlog.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace lifeline::ui {

EventLogDock::EventLogDock(EventLog *log, QWidget *parent)
    : QDockWidget(parent)
    , m_log(log)
    , m_view(new QTableView)
    , m_exportButton(new QPushButton)
    , m_exportResult(new QLabel)
{
    // saveState()/restoreState() find docks by name.
    setObjectName(QStringLiteral("eventLogDock"));

    m_view->setModel(log);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);

    m_exportResult->setWordWrap(true);
    m_exportResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(m_view, 1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_exportButton);
    row->addWidget(m_exportResult, 1);
    column->addLayout(row);
    setWidget(content);

    // Follow the newest row only while the user is at the bottom: someone scrolled up to read
    // an old error must not be yanked away by the next status change.
    connect(log, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_followNewest = bar->value() == bar->maximum();
    });
    connect(log, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followNewest)
            m_view->scrollToBottom();
    });
    connect(m_exportButton, &QPushButton::clicked, this, &EventLogDock::exportLog);
    retranslateUi();
}

EventLogDock::~EventLogDock() = default;

void EventLogDock::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDockWidget::changeEvent(event);
}

void EventLogDock::retranslateUi()
{
    setWindowTitle(tr("Event log"));
    // After the title: a new title also renames the toggle action, dropping its mnemonic.
    toggleViewAction()->setText(tr("&Event log"));
    m_exportButton->setText(tr("Export…"));
    updateExportResult();
}

void EventLogDock::exportLog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export event log"),
        QDir::home().filePath(QStringLiteral("lifeline-events.jsonl")),
        tr("JSON lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    const bool exported = m_log->exportJsonLines(path, &error);
    m_exportedPath = exported ? path : QString();
    m_exportedCount = exported ? m_log->rowCount() : 0;
    m_exportError = error;
    updateExportResult();
}

void EventLogDock::updateExportResult()
{
    if (!m_exportedPath.isEmpty())
        m_exportResult->setText(
            tr("Exported %n events to %1", nullptr, m_exportedCount).arg(m_exportedPath));
    else
        m_exportResult->setText(m_exportError);
}

} // namespace lifeline::ui
