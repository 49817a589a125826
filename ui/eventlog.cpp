#include "eventlog.h"

#include <lifeline/connectionmanager.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QSaveFile>

using lifeline::AppState;
using lifeline::ChatError;
using lifeline::ConnectionManager;
using lifeline::ConnectionStatus;
using lifeline::DisconnectReason;

namespace {

template<typename Enum> QString keyOf(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

} // namespace

EventLog::EventLog(ConnectionManager *connection, QObject *parent)
    : QAbstractTableModel(parent)
{
    connect(connection, &ConnectionManager::connectionStatusChanged, this,
            [this, connection](ConnectionStatus status) {
                QString text = keyOf(status);
                // The reason is set before the status changes, so it is current here.
                if (status == ConnectionStatus::Disconnected)
                    text = tr("%1 (%2)").arg(text, keyOf(connection->disconnectReason()));
                else if (status == ConnectionStatus::FeatureThrottled)
                    text = tr("%1 (%2)").arg(
                        text, connection->throttledFeatures().join(QLatin1String(", ")));
                append({QDateTime::currentDateTime(), StatusKind, text, {}});
            });
    connect(connection, &ConnectionManager::connectionError, this, [this](const ChatError &error) {
        append({QDateTime::currentDateTime(), ErrorKind,
                QStringLiteral("%1: %2").arg(error.code, error.message), error});
    });
    connect(connection, &ConnectionManager::reconnecting, this, [this](int attempt, int delayMs) {
        append({QDateTime::currentDateTime(),
                ReconnectingKind,
                tr("Attempt %1 in %2 ms").arg(attempt).arg(delayMs),
                {}});
    });
    connect(connection, &ConnectionManager::appStateChanged, this, [this](AppState state) {
        append({QDateTime::currentDateTime(), AppStateKind, keyOf(state), {}});
    });
}

EventLog::~EventLog() = default;

int EventLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int EventLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 3;
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
        return entry.kind;
    case Column::Text:
        return entry.text;
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
    append({QDateTime::currentDateTime(), kind, text, {}});
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
