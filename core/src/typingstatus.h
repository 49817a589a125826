#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>

class QTimer;

namespace lifeline {

class MessageLink;
namespace protocol {
class Frame;
}

// Typing, both ways, volatile (never queued, never stored): the user's own, sent as a start at
// most every repeat interval while the user types and a stop after the idle interval without
// typing, never while the server throttles typing; and who else types in each room.
class TypingStatus : public QObject
{
    Q_OBJECT

public:
    struct Timing
    {
        // A start goes out at most this often, so the server can forget a typer that vanished.
        int repeatMs = 3000;
        // Typing that just stops is reported as stopped after this long.
        int idleMs = 5000;
    };

    explicit TypingStatus(MessageLink &link, QObject *parent = nullptr);
    TypingStatus(MessageLink &link, Timing timing, QObject *parent = nullptr);

    // The user, whom typists() never names.
    void setUser(const QString &uid) { m_user = uid; }
    void linkUp() { m_up = true; }
    // Forgets own typing and everybody else's; the rooms that had typists.
    QStringList linkDown();

    void setTyping(const QString &room, bool typing);
    // `typists`: true when the list of `room` changed.
    bool apply(const protocol::Frame &typists);
    QStringList typists(const QString &room) const { return m_typists.value(room); }

private:
    struct Own
    {
        QElapsedTimer lastStart;
        bool active = false;
        QTimer *idle = nullptr;
    };

    MessageLink &m_link;
    const Timing m_timing;
    QString m_user;
    bool m_up = false;
    QHash<QString, Own> m_own;
    QHash<QString, QStringList> m_typists;
};

} // namespace lifeline
