#pragma once

#include <lifeline/chatmessage.h>

#include <QSet>
#include <QString>

#include <functional>
#include <optional>
#include <utility>

namespace lifeline {

class ClientStore;
class MessageLink;
namespace protocol {
class Frame;
}

// The messages of others (and the user's own, sent from another device) in server order, each
// once: after every connect the server sends what came after the client's cursor, then live
// traffic. Keeps the cursor (in ClientStore, committed with the messages it covers), reports
// what the server no longer keeps, and recognises the echoes of the user's own messages.
class InboundSync
{
public:
    // Whether the outbox takes message `id` as its own, delivered with `seq`.
    using ClaimOwn = std::function<bool(const QString &id, qint64 seq)>;

    InboundSync(ClientStore &store, MessageLink &link, ClaimOwn claimOwn);

    // Asks the server for everything after the cursor.
    void linkUp();
    void linkDown();
    // An own message acknowledged on this link: its echo in the stream only moves the cursor.
    void expectEcho(const QString &id);

    // `message`: a message to tell (once committed), or nothing (an own echo, a repeat of what
    // is stored, or a message that broke the order, which is reported as a violation).
    std::optional<ChatMessage> receive(const protocol::Frame &message);
    // `gap`: the first and last seq the server no longer keeps.
    std::pair<qint64, qint64> skipGap(const protocol::Frame &gap);
    // `synced`: everything missed has arrived; live messages follow.
    void catchUp(const protocol::Frame &synced);

private:
    ClientStore &m_store;
    MessageLink &m_link;
    ClaimOwn m_claimOwn;
    // The highest seq the server has told on this link; a `message` must come above it.
    qint64 m_linkSeq = 0;
    // Own messages delivered on this link whose echo in the message stream is still to come:
    // their rows are stored already, so the echo only moves the cursor.
    QSet<QString> m_awaitingEcho;
};

} // namespace lifeline
