#pragma once

#include <QStringList>

namespace lifeline {

class MessageLink;
namespace protocol {
class Frame;
}

// Who is online: the full list the server sends once per link (`presence`), changed by the
// `presenceDiff`s after it. Unknown while the link is down. A change that does not fit the list
// is a protocol violation: applied anyway, the app would show a wrong list for as long as the
// link lasts.
class PresenceList
{
public:
    explicit PresenceList(MessageLink &link);

    // Joined a link that was up already: its full list may have gone by unseen, and changes
    // are ignored until the next link brings one.
    void joinLiveLink() { m_base = Base::Missed; }
    // Forgets the list, whose next link starts with a full one; true if it was not empty.
    bool linkDown();

    // Each returns true when the list changed.
    bool apply(const protocol::Frame &presence);
    bool applyDiff(const protocol::Frame &presenceDiff);

    // Sorted, each user once.
    QStringList online() const { return m_online; }

private:
    // What the list is worth on this link.
    enum class Base {
        Awaited, // the full list comes before any change
        Missed, // the full list may have gone by unseen
        Held, // m_online is the server's list, and changes apply to it
    };

    MessageLink &m_link;
    Base m_base = Base::Awaited;
    QStringList m_online;
};

} // namespace lifeline
