#pragma once

#include <lifeline/chaterror.h>
#include <lifeline/enums.h>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QStringList>
#include <QUrl>

namespace lifeline {
class ConnectionManager;
}

namespace lifeline::ui {

// Everything that happened to the link, one row per event, with millisecond times: what a
// user attaches to a bug report ("it said offline at 10:42") and what support reads.
//
// Status changes, errors, planned reconnects and app state switches are recorded by
// themselves; the window adds the rest (pings, manual actions, simulated faults) with record().
//
// A row keeps the facts, not the words: the table says them in the language of the moment
// (retranslate() after a language change), while the export writes the same English keys and
// enum names in every language, for whoever reads it by machine.
class EventLog : public QAbstractTableModel
{
    Q_OBJECT
    // How many of the oldest rows were dropped to stay within MaxRows.
    Q_PROPERTY(int droppedCount READ droppedCount NOTIFY droppedCountChanged)
public:
    enum class Column { Time, Kind, Text };
    Q_ENUM(Column)

    // Kinds recorded by the log itself.
    static inline const QString StatusKind = QStringLiteral("status");
    static inline const QString ErrorKind = QStringLiteral("error");
    static inline const QString ReconnectingKind = QStringLiteral("reconnecting");
    static inline const QString AppStateKind = QStringLiteral("appState");
    // Kinds the window records; record() may use any other.
    static inline const QString PingKind = QStringLiteral("ping");
    static inline const QString ManualKind = QStringLiteral("manual");
    static inline const QString SimulateKind = QStringLiteral("simulate");
    static inline const QString SettingsKind = QStringLiteral("settings");

    // A day of a flapping link at a few events a second; older rows go first.
    static constexpr int MaxRows = 10000;

    // A text translated each time it is shown: source is marked with QT_TR_NOOP() in the class
    // whose tr() context is context; %1, %2, ... are filled in from arguments.
    struct TranslatableText
    {
        const char *context = nullptr;
        const char *source = nullptr;
        QStringList arguments;
    };

    struct Entry
    {
        QDateTime time;
        QString kind;
        // What the export writes, the same in every language: "Disconnected (Background)",
        // "Attempt 1 in 100 ms", the English source of a TranslatableText, or the text given
        // to record().
        QString text;
        lifeline::ChatError error; // ErrorKind only

        // The facts the table's text is built from, each for the kinds named.
        lifeline::ConnectionStatus status = lifeline::ConnectionStatus::Disconnected; // status
        lifeline::DisconnectReason reason = lifeline::DisconnectReason::NotStarted; // status
        QStringList features; // status, FeatureThrottled
        QUrl server; // status, Connected and FeatureThrottled, with several server URLs
        int attempt = 0; // reconnecting
        int delayMs = 0; // reconnecting
        lifeline::AppState appState = lifeline::AppState::Foreground; // appState
        TranslatableText translatable; // record() with a TranslatableText
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

    // Adds a row now; kind is a short stable word ("ping", "manual", "simulate"). The text is
    // shown and exported as it is.
    void record(const QString &kind, const QString &text);
    // Adds a row now whose text follows the language: translated when shown, exported in
    // English.
    void record(const QString &kind, const TranslatableText &text);

    // The texts of every row and the headers were translated again: a QObject gets no
    // LanguageChange of its own, so the window that shows the log calls this.
    void retranslate();

    // One JSON object per line: time (ISO 8601 with ms), kind, text, and code/message/details
    // for errors. If rows were dropped, a first line of kind "dropped" says how many.
    bool exportJsonLines(const QString &path, QString *error) const;

Q_SIGNALS:
    // droppedCount() changed.
    void droppedCountChanged(int count);

private:
    Entry makeEntry(const QString &kind, const QString &text) const;
    void append(Entry entry);
    QString kindText(const QString &kind) const;
    QString displayText(const Entry &entry) const;
    QString statusText(const Entry &entry) const;
    QString reasonText(lifeline::DisconnectReason reason) const;

    QList<Entry> m_entries;
    int m_dropped = 0;
};

} // namespace lifeline::ui
