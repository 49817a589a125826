#include "presencelist.h"

#include "loggingcategories_p.h"
#include "messagelink.h"
#include "protocol.h"

#include <algorithm>
#include <iterator>

namespace lifeline {

namespace {

// How much of a user id from the server an error message quotes.
constexpr int MaxQuotedUid = 64;

} // namespace

PresenceList::PresenceList(MessageLink &link)
    : m_link(link)
{ }

bool PresenceList::linkDown()
{
    m_base = Base::Awaited;
    const bool hadUsers = !m_online.isEmpty();
    m_online.clear();
    return hadUsers;
}

bool PresenceList::apply(const protocol::Frame &presence)
{
    m_base = Base::Held;
    QStringList users = presence.stringList(QStringLiteral("users"));
    users.sort();
    users.removeDuplicates();
    if (users == m_online)
        return false;
    m_online = users;
    return true;
}

bool PresenceList::applyDiff(const protocol::Frame &presenceDiff)
{
    switch (m_base) {
    case Base::Awaited:
        m_link.reportViolation(QStringLiteral("The server sent a change of the users online "
                                              "(\"presenceDiff\") before their list "
                                              "(\"presence\") on this link."));
        return false;
    case Base::Missed:
        // Not the server's fault; the list this change needs comes again on the next link.
        qCDebug(lcOutbox,
                "presence change ignored: the list went by before this Messenger "
                "listened");
        return false;
    case Base::Held:
        break;
    }
    QStringList cameOnline = presenceDiff.stringList(QStringLiteral("online"));
    QStringList wentOffline = presenceDiff.stringList(QStringLiteral("offline"));
    const auto isOnline = [this](const QString &user) {
        return std::binary_search(m_online.cbegin(), m_online.cend(), user);
    };
    const auto onlineAlready = std::find_if(cameOnline.cbegin(), cameOnline.cend(), isOnline);
    if (onlineAlready != cameOnline.cend()) {
        m_link.reportViolation(QStringLiteral("The server said that \"%1\" came online, who was "
                                              "online already.")
                                   .arg(onlineAlready->left(MaxQuotedUid)));
        return false;
    }
    const auto notOnline = std::find_if_not(wentOffline.cbegin(), wentOffline.cend(), isOnline);
    if (notOnline != wentOffline.cend()) {
        m_link.reportViolation(QStringLiteral("The server said that \"%1\" went offline, who was "
                                              "not online.")
                                   .arg(notOnline->left(MaxQuotedUid)));
        return false;
    }
    cameOnline.sort();
    wentOffline.sort();
    QStringList stayed;
    std::set_difference(m_online.cbegin(), m_online.cend(), wentOffline.cbegin(),
                        wentOffline.cend(), std::back_inserter(stayed));
    QStringList users;
    users.reserve(stayed.size() + cameOnline.size());
    std::set_union(stayed.cbegin(), stayed.cend(), cameOnline.cbegin(), cameOnline.cend(),
                   std::back_inserter(users));
    users.erase(std::unique(users.begin(), users.end()), users.end());
    if (users == m_online)
        return false;
    m_online = users;
    return true;
}

} // namespace lifeline
