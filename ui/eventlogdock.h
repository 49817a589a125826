#pragma once

#include <QDockWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace lifeline::ui {

class EventLog;

// The event log as a table that follows the newest row, and an Export… button that writes
// it as JSON lines for a bug report.
class EventLogDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit EventLogDock(EventLog *log, QWidget *parent = nullptr);
    ~EventLogDock() override;

    QTableView *view() const { return m_view; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void exportLog();
    void updateExportResult();

    EventLog *m_log;
    QTableView *m_view;
    QPushButton *m_exportButton;
    QLabel *m_exportResult;
    bool m_followNewest = true;
    // The last export: where it went and how many rows, or why it failed.
    QString m_exportedPath;
    int m_exportedCount = 0;
    QString m_exportError;
};

} // namespace lifeline::ui
