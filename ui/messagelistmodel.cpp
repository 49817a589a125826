#include "messagelistmodel.h"

#include <lifeline/messenger.h>

#include <QTimer>

namespace lifeline::ui {

using lifeline::ChatMessage;
using lifeline::DeliveryState;
using lifeline::Messenger;

MessageListModel::MessageListModel(Messenger *messenger, const QString &room, QObject *parent)
    : QAbstractListModel(parent)
    , m_messenger(messenger)
    , m_room(room)
{
    if (!m_messenger)
        return;
    m_messages = m_messenger->messages(m_room);
    m_rowById.reserve(m_messages.size());
    reindexFrom(0);
    m_tailStart = 0;
    advanceTailStart();

    connect(m_messenger, &Messenger::messageReceived, this, &MessageListModel::onMessageReceived);
    connect(m_messenger, &Messenger::messageQueued, this, &MessageListModel::onMessageQueued);
    connect(m_messenger, &Messenger::deliveryStateChanged, this,
            &MessageListModel::onDeliveryStateChanged);
    connect(m_messenger, &Messenger::messageDelivered, this, &MessageListModel::onMessageDelivered);
}

MessageListModel::~MessageListModel() = default;

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatMessage &message = m_messages.at(index.row());
    const bool own = !m_ownUser.isEmpty() && message.sender == m_ownUser;
    switch (role) {
    case Qt::DisplayRole:
        return message.text;
    case Qt::ToolTipRole: {
        if (!own)
            return tr("From %1, %2")
                .arg(message.sender, QLocale().toString(message.sentAt, QLocale::LongFormat));
        switch (message.state) {
        case DeliveryState::Queued:
            return tr("Waiting to send");
        case DeliveryState::Sent:
            return tr("Sent");
        case DeliveryState::Delivered:
            return tr("Delivered");
        case DeliveryState::Failed:
            return tr("Not delivered: %1 — right-click to retry")
                .arg(data(index, int(Role::FailureText)).toString());
        }
        return {};
    }
    default:
        break;
    }
    // The custom roles are an enum class; they are compared after the int switch above.
    switch (Role(role)) {
    case Role::Id:
        return message.id;
    case Role::Text:
        return message.text;
    case Role::Sender:
        return message.sender;
    case Role::SentAt:
        return message.sentAt;
    case Role::IsOwn:
        return own;
    case Role::DeliveryState:
        return QVariant::fromValue(message.state);
    case Role::Seq:
        return message.seq;
    case Role::FailureText: {
        if (message.state != DeliveryState::Failed || !m_messenger)
            return QString();
        // The server's own reason is in the details; the message only says "refused".
        const lifeline::ChatError error = m_messenger->failure(message.id);
        if (!error.details.isEmpty())
            return error.details;
        return error.message.isEmpty() ? error.code : error.message;
    }
    }
    return {};
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(int(Role::Id), "id");
    names.insert(int(Role::Text), "text");
    names.insert(int(Role::Sender), "sender");
    names.insert(int(Role::SentAt), "sentAt");
    names.insert(int(Role::IsOwn), "isOwn");
    names.insert(int(Role::DeliveryState), "deliveryState");
    names.insert(int(Role::Seq), "seq");
    names.insert(int(Role::FailureText), "failureText");
    return names;
}

int MessageListModel::rowOf(const QString &id) const
{
    return m_rowById.value(id, -1);
}

void MessageListModel::setOwnUser(const QString &user)
{
    if (m_ownUser == user)
        return;
    m_ownUser = user;
    if (!m_messages.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_messages.size()) - 1),
                           {int(Role::IsOwn), Qt::ToolTipRole});
    Q_EMIT ownUserChanged(m_ownUser);
}

void MessageListModel::retranslate()
{
    if (!m_messages.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_messages.size()) - 1), {Qt::ToolTipRole});
}

void MessageListModel::onMessageReceived(const ChatMessage &message)
{
    if (message.room != m_room)
        return;
    m_incoming.append(message);
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QTimer::singleShot(0, this, &MessageListModel::flushReceived);
}

void MessageListModel::flushReceived()
{
    m_flushScheduled = false;
    QList<ChatMessage> batch = std::exchange(m_incoming, {});
    batch.erase(std::remove_if(batch.begin(), batch.end(),
                               [this](const ChatMessage &m) { return m_rowById.contains(m.id); }),
                batch.end());
    if (batch.isEmpty())
        return;
    const int first = m_tailStart;
    const int count = int(batch.size());
    beginInsertRows({}, first, first + count - 1);
    m_messages.insert(first, count, ChatMessage());
    std::move(batch.begin(), batch.end(), m_messages.begin() + first);
    m_tailStart += count;
    reindexFrom(first);
    endInsertRows();
}

void MessageListModel::onMessageQueued(const ChatMessage &message)
{
    if (message.room != m_room || m_rowById.contains(message.id))
        return;
    // Whoever queues a message is the user; a model built before login learns it here.
    if (m_ownUser.isEmpty())
        setOwnUser(message.sender);
    const int row = int(m_messages.size());
    beginInsertRows({}, row, row);
    m_messages.append(message);
    m_rowById.insert(message.id, row);
    if (message.state == DeliveryState::Delivered && m_tailStart == row)
        ++m_tailStart;
    endInsertRows();
}

void MessageListModel::onMessageDelivered(const ChatMessage &delivered)
{
    // The row stays where the user saw it go out; only its place in the server's order is new.
    const int row = rowOf(delivered.id);
    if (row < 0 || m_messages.at(row).seq == delivered.seq)
        return;
    m_messages[row].seq = delivered.seq;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {int(Role::Seq)});
}

void MessageListModel::onDeliveryStateChanged(const QString &id, DeliveryState state)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    ChatMessage &message = m_messages[row];
    if (message.state == state)
        return;
    message.state = state;
    if (state != DeliveryState::Delivered && row < m_tailStart)
        m_tailStart = row;
    else if (row == m_tailStart)
        advanceTailStart();
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed,
                       {int(Role::DeliveryState), int(Role::FailureText), Qt::ToolTipRole});
}

void MessageListModel::reindexFrom(int row)
{
    for (int i = row; i < m_messages.size(); ++i)
        m_rowById.insert(m_messages.at(i).id, i);
}

void MessageListModel::advanceTailStart()
{
    while (m_tailStart < m_messages.size()
           && m_messages.at(m_tailStart).state == DeliveryState::Delivered)
        ++m_tailStart;
}

} // namespace lifeline::ui
