#include "eventlog.h"

#include <lifeline/connectionmanager.h>

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QSaveFile>

namespace lifeline::ui {

using lifeline::AppState;
using lifeline::ChatError;
using lifeline::ConnectionManager;
using lifeline::ConnectionStatus;
using lifeline::DisconnectReason;

namespace {

constexpr int Columns = 3;

template<typename Enum> QString keyOf(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

// All arguments in one pass, so that a "%1" inside an argument is never replaced again.
QString fillIn(const QString &pattern, const QStringList &arguments)
{
    switch (arguments.size()) {
    case 0:
        return pattern;
    case 1:
        return pattern.arg(arguments.at(0));
    case 2:
        return pattern.arg(arguments.at(0), arguments.at(1));
    default:
        Q_ASSERT_X(arguments.size() == 3, "EventLog", "at most three arguments");
        return pattern.arg(arguments.at(0), arguments.at(1), arguments.at(2));
    }
}

} // namespace

EventLog::EventLog(ConnectionManager *connection, QObject *parent)
    : QAbstractTableModel(parent)
{
    connect(connection, &ConnectionManager::connectionStatusChanged, this,
            [this, connection](ConnectionStatus status) {
                Entry entry = makeEntry(StatusKind, keyOf(status));
                entry.status = status;
                // The reason is set before the status changes, so it is current here.
                if (status == ConnectionStatus::Disconnected) {
                    entry.reason = connection->disconnectReason();
                    entry.text = QStringLiteral("%1 (%2)").arg(entry.text, keyOf(entry.reason));
                } else if (status == ConnectionStatus::FeatureThrottled) {
                    entry.features = connection->throttledFeatures();
                    entry.text = QStringLiteral("%1 (%2)").arg(
                        entry.text, entry.features.join(QLatin1String(", ")));
                }
                // Which instance of the service the app is on, when it has several to choose
                // from: a failover shows as Connected to another one.
                if (connection->settings().serverUrls().size() > 1
                    && !connection->connectedServerUrl().isEmpty()) {
                    entry.server = connection->connectedServerUrl();
                    entry.text += QStringLiteral(" to ") + entry.server.toDisplayString();
                }
                append(std::move(entry));
            });
    connect(connection, &ConnectionManager::connectionError, this, [this](const ChatError &error) {
        Entry entry = makeEntry(ErrorKind, QStringLiteral("%1: %2").arg(error.code, error.message));
        entry.error = error;
        append(std::move(entry));
    });
    connect(connection, &ConnectionManager::reconnecting, this, [this](int attempt, int delayMs) {
        Entry entry = makeEntry(ReconnectingKind,
                                QStringLiteral("Attempt %1 in %2 ms").arg(attempt).arg(delayMs));
        entry.attempt = attempt;
        entry.delayMs = delayMs;
        append(std::move(entry));
    });
    connect(connection, &ConnectionManager::appStateChanged, this, [this](AppState state) {
        Entry entry = makeEntry(AppStateKind, keyOf(state));
        entry.appState = state;
        append(std::move(entry));
    });
}

EventLog::~EventLog() = default;

int EventLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int EventLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : Columns;
}

QVariant EventLog::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    if (role == Qt::ToolTipRole && !entry.error.isNull())
        return entry.error.details;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Column::Time:
        return entry.time.toString(QStringLiteral("HH:mm:ss.zzz"));
    case Column::Kind:
        return kindText(entry.kind);
    case Column::Text:
        return displayText(entry);
    }
    return {};
}

QVariant EventLog::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Time:
        return tr("Time");
    case Column::Kind:
        return tr("Kind");
    case Column::Text:
        return tr("Text");
    }
    return {};
}

void EventLog::record(const QString &kind, const QString &text)
{
    append(makeEntry(kind, text));
}

void EventLog::record(const QString &kind, const TranslatableText &text)
{
    Entry entry = makeEntry(kind, fillIn(QString::fromUtf8(text.source), text.arguments));
    entry.translatable = text;
    append(std::move(entry));
}

void EventLog::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, Columns - 1);
    if (m_entries.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, int(Column::Kind)),
                       index(int(m_entries.size()) - 1, int(Column::Text)), {Qt::DisplayRole});
}

EventLog::Entry EventLog::makeEntry(const QString &kind, const QString &text) const
{
    Entry entry;
    entry.time = QDateTime::currentDateTime();
    entry.kind = kind;
    entry.text = text;
    return entry;
}

void EventLog::append(Entry entry)
{
    if (m_entries.size() >= MaxRows) {
        beginRemoveRows({}, 0, 0);
        m_entries.removeFirst();
        endRemoveRows();
        ++m_dropped;
        Q_EMIT droppedCountChanged(m_dropped);
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append(std::move(entry));
    endInsertRows();
}

QString EventLog::kindText(const QString &kind) const
{
    // In English the table shows the keys the export writes; other languages translate them.
    if (kind == StatusKind)
        return tr("status", "event log kind");
    if (kind == ErrorKind)
        return tr("error", "event log kind");
    if (kind == ReconnectingKind)
        return tr("reconnecting", "event log kind");
    if (kind == AppStateKind)
        return tr("appState", "event log kind");
    if (kind == PingKind)
        return tr("ping", "event log kind");
    if (kind == ManualKind)
        return tr("manual", "event log kind");
    if (kind == SimulateKind)
        return tr("simulate", "event log kind");
    if (kind == SettingsKind)
        return tr("settings", "event log kind");
    return kind;
}

QString EventLog::displayText(const Entry &entry) const
{
    if (entry.kind == StatusKind)
        return statusText(entry);
    // The SDK words its errors when they happen; the message keeps that language.
    if (entry.kind == ErrorKind)
        return tr("%1: %2").arg(entry.error.code, entry.error.message);
    if (entry.kind == ReconnectingKind)
        return tr("Attempt %1 in %2 ms").arg(entry.attempt).arg(entry.delayMs);
    if (entry.kind == AppStateKind) {
        switch (entry.appState) {
        case AppState::Foreground:
            return tr("Foreground");
        case AppState::Background:
            return tr("Background");
        }
    }
    if (entry.translatable.source) {
        return fillIn(
            QCoreApplication::translate(entry.translatable.context, entry.translatable.source),
            entry.translatable.arguments);
    }
    return entry.text;
}

QString EventLog::statusText(const Entry &entry) const
{
    switch (entry.status) {
    case ConnectionStatus::Disconnected:
        return tr("Disconnected: %1").arg(reasonText(entry.reason));
    case ConnectionStatus::Connecting:
        return tr("Connecting");
    case ConnectionStatus::Connected:
        return entry.server.isEmpty() ? tr("Connected")
                                      : tr("Connected to %1").arg(entry.server.toDisplayString());
    case ConnectionStatus::Reconnecting:
        return tr("Reconnecting");
    case ConnectionStatus::FeatureThrottled:
        return entry.server.isEmpty()
            ? tr("Connected, %1 paused by the server").arg(entry.features.join(tr(", ")))
            : tr("Connected to %1, %2 paused by the server")
                  .arg(entry.server.toDisplayString(), entry.features.join(tr(", ")));
    }
    return {};
}

QString EventLog::reasonText(DisconnectReason reason) const
{
    switch (reason) {
    case DisconnectReason::NotStarted:
        return tr("not started yet");
    case DisconnectReason::UserDisconnected:
        return tr("you disconnected");
    case DisconnectReason::LoggedOut:
        return tr("logged out");
    case DisconnectReason::Background:
        return tr("in background");
    case DisconnectReason::ReconnectFailed:
        return tr("every reconnect attempt failed");
    case DisconnectReason::AuthFailed:
        return tr("token rejected");
    case DisconnectReason::ProtocolMismatch:
        return tr("the server speaks another protocol version");
    case DisconnectReason::TlsFailed:
        return tr("the secure connection failed");
    }
    return {};
}

bool EventLog::exportJsonLines(const QString &path, QString *error) const
{
    // All or nothing: a half-written log attached to a bug report misleads.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const auto writeLine = [&file](const QJsonObject &object) {
        file.write(QJsonDocument(object).toJson(QJsonDocument::Compact));
        file.write("\n");
    };
    if (m_dropped > 0) {
        const QDateTime first
            = m_entries.isEmpty() ? QDateTime::currentDateTime() : m_entries.first().time;
        writeLine({{QStringLiteral("time"), first.toString(Qt::ISODateWithMs)},
                   {QStringLiteral("kind"), QStringLiteral("dropped")},
                   {QStringLiteral("text"),
                    QStringLiteral("%1 older events were dropped").arg(m_dropped)},
                   {QStringLiteral("count"), m_dropped}});
    }
    for (const Entry &entry : m_entries) {
        QJsonObject object {{QStringLiteral("time"), entry.time.toString(Qt::ISODateWithMs)},
                            {QStringLiteral("kind"), entry.kind},
                            {QStringLiteral("text"), entry.text}};
        if (!entry.error.isNull()) {
            object.insert(QStringLiteral("code"), entry.error.code);
            object.insert(QStringLiteral("message"), entry.error.message);
            object.insert(QStringLiteral("details"), entry.error.details);
        }
        writeLine(object);
    }
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace lifeline::ui
