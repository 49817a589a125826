#pragma once

#include <lifeline/chaterror.h>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace lifeline {
class ConnectionManager;
}

// Everything that happened to the link, one row per event, with millisecond times: what a
// user attaches to a bug report ("it said offline at 10:42") and what support reads.
//
// Status changes, errors, planned reconnects and app state switches are recorded by
// themselves; the window adds the rest (pings, manual actions, simulated faults) with record().
class EventLog : public QAbstractTableModel
{
    Q_OBJECT
    // How many of the oldest rows were dropped to stay within MaxRows.
    Q_PROPERTY(int droppedCount READ droppedCount NOTIFY droppedCountChanged)
public:
    enum class Column { Time, Kind, Text };
    Q_ENUM(Column)

    // Kinds recorded by the log itself; record() may use any other.
    static inline const QString StatusKind = QStringLiteral("status");
    static inline const QString ErrorKind = QStringLiteral("error");
    static inline const QString ReconnectingKind = QStringLiteral("reconnecting");
    static inline const QString AppStateKind = QStringLiteral("appState");

    // A day of a flapping link at a few events a second; older rows go first.
    static constexpr int MaxRows = 10000;

    struct Entry
    {
        QDateTime time;
        QString kind;
        QString text;
        lifeline::ChatError error; // set for ErrorKind only
    };

    explicit EventLog(lifeline::ConnectionManager *connection, QObject *parent = nullptr);
    ~EventLog() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    Entry entry(int row) const { return m_entries.at(row); }
    int droppedCount() const { return m_dropped; }

    // Adds a row now; kind is a short stable word ("ping", "manual", "simulate").
    void record(const QString &kind, const QString &text);

    // One JSON object per line: time (ISO 8601 with ms), kind, text, and code/message/details
    // for errors. If rows were dropped, a first line of kind "dropped" says how many.
    bool exportJsonLines(const QString &path, QString *error) const;

Q_SIGNALS:
    // droppedCount() changed.
    void droppedCountChanged(int count);

private:
    void append(Entry entry);

    QList<Entry> m_entries;
    int m_dropped = 0;
};
