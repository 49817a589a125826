#pragma once

#include <lifeline/chatmessage.h>

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPointer>

namespace lifeline {
class Messenger;
}

namespace lifeline::ui {

// The messages of one room for a QListView: loaded once from the Messenger, then kept up to date
// from its signals, one row at a time (received ones in batches), never by reloading.
//
// Order is the Messenger's: received and delivered messages in server order, the user's own
// undelivered ones (Queued, Sent, Failed) last. Received messages go in before that tail; an own
// message that becomes Delivered keeps its place.
class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
    // The user whose messages are "own" (IsOwn, painted on the right).
    Q_PROPERTY(QString ownUser READ ownUser WRITE setOwnUser NOTIFY ownUserChanged)

public:
    enum class Role {
        Id = Qt::UserRole + 1, ///< QString: the message id (a UUID)
        Text, ///< QString: the message text (also Qt::DisplayRole)
        Sender, ///< QString: the sender's user id
        SentAt, ///< QDateTime: when the sender sent it
        IsOwn, ///< bool: sent by ownUser
        DeliveryState, ///< lifeline::DeliveryState (others' messages are always Delivered)
        Seq, ///< qint64: the server's order number; 0 while unknown
        FailureText, ///< QString: why a Failed message failed, in words; empty otherwise
    };
    Q_ENUM(Role)

    MessageListModel(lifeline::Messenger *messenger, const QString &room,
                     QObject *parent = nullptr);
    ~MessageListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The row of a message; -1 if the model does not show it (yet).
    int rowOf(const QString &id) const;
    QString room() const { return m_room; }

    QString ownUser() const { return m_ownUser; }
    void setOwnUser(const QString &user);

    // The tooltips were translated again. A QObject gets no LanguageChange of its own: the
    // panel that shows the model calls this from its changeEvent().
    void retranslate();

Q_SIGNALS:
    // ownUser() changed.
    void ownUserChanged(const QString &user);

private:
    void onMessageReceived(const lifeline::ChatMessage &message);
    void onMessageQueued(const lifeline::ChatMessage &message);
    void onDeliveryStateChanged(const QString &id, lifeline::DeliveryState state);
    void onMessageDelivered(const lifeline::ChatMessage &message);
    void flushReceived();
    void reindexFrom(int row);
    void advanceTailStart();

    QPointer<lifeline::Messenger> m_messenger;
    QString m_room;
    QString m_ownUser;
    QList<lifeline::ChatMessage> m_messages;
    QHash<QString, int> m_rowById;
    // Received messages that arrived since the last flush; inserted together so that a burst of
    // a thousand messages costs one beginInsertRows, not a thousand.
    QList<lifeline::ChatMessage> m_incoming;
    bool m_flushScheduled = false;
    // The first row that is an own undelivered message (or rowCount()): received ones go here.
    int m_tailStart = 0;
};

} // namespace lifeline::ui
