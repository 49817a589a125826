#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>

class QTimer;

namespace lifeline::server {

class ClientConnection;

// Who is typing where. A connection types in one room at a time (one text field has the focus);
// its typing ends when it says so, when it starts typing in another room, when it sent no
// typing for timeout() milliseconds, or when it goes away. Each change of a room's list comes
// out as typistsChanged().
class TypingTracker : public QObject
{
    Q_OBJECT
public:
    explicit TypingTracker(QObject *parent = nullptr);
    ~TypingTracker() override;

    // After this long without a new typing frame a typer counts as stopped; 6000 unless set.
    int timeout() const { return m_timeoutMs; }
    void setTimeout(int ms);

    // connection, logged in as uid, started (typing true; again to keep it going) or stopped
    // typing in room.
    void setTyping(const ClientConnection *connection, const QString &uid, const QString &room,
                   bool typing);
    // connection went away or may no longer type.
    void remove(const ClientConnection *connection);

    // The users typing in room, sorted, each once however many connections it types on.
    QStringList typists(const QString &room) const;

Q_SIGNALS:
    // The users typing in room went from previous to current (both as typists() gives them).
    void typistsChanged(const QString &room, const QStringList &previous,
                        const QStringList &current);

private:
    struct Typing
    {
        QString uid;
        QString room;
        qint64 deadlineMs;
    };

    // Runs change(), then reports each room whose list it changed.
    template<typename Change> void changeRooms(const QStringList &rooms, Change change);
    void expire();
    void scheduleExpiry();

    QHash<const ClientConnection *, Typing> m_typing;
    QTimer *m_expiryTimer;
    QElapsedTimer m_clock;
    int m_timeoutMs = 6000;
};

} // namespace lifeline::server
