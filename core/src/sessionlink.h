#pragma once

#include "messagelink.h"

#include <QList>
#include <QObject>

#include <functional>

namespace lifeline {

class ConnectionManager;
struct ConnectionState;
class LinkSocket;
namespace protocol {
class Frame;
}

// Takes the message-layer frames of a link (messages, acknowledgements, presence, typing).
class FrameHandler
{
public:
    virtual ~FrameHandler() = default;
    // A frame of a message-layer type arrived while the session was up.
    virtual void handleFrame(const protocol::Frame &frame) = 0;
};

// The link between a ConnectionManager and its Messenger: frames in and out, the link up or
// down with its generation, and protocol violations back to the manager. The Messenger reaches
// the connection only through it, never through the manager's private class.
class SessionLink : public QObject, public MessageLink
{
    Q_OBJECT

public:
    // The link of `manager`.
    static SessionLink *of(ConnectionManager *manager);

    // `dropLink` drops the link for a protocol violation (ERR_PROTOCOL) and reconnects.
    SessionLink(LinkSocket *socket, std::function<void(const QString &details)> dropLink,
                QObject *parent = nullptr);

    bool isUp() const override { return m_up; }
    bool send(const QString &frame) override;
    void reportViolation(const QString &details) override;
    QStringList throttledFeatures() const override { return m_throttled; }
    // Counts the links that came up; the current one's while it is up.
    quint64 generation() const { return m_generation; }

    void addFrameHandler(FrameHandler *handler);
    void removeFrameHandler(FrameHandler *handler);

    // For the ConnectionManager: the state it just took on, at once.
    void follow(const ConnectionState &state);
    // Tells the handlers, with up() and down(), whether the link is up now, if they have not
    // heard it yet; down() for an older link comes before up() for a newer one.
    void announce();
    // Hands a message-layer frame to each handler, until one of them drops the link.
    void deliver(const protocol::Frame &frame);

Q_SIGNALS:
    void up(quint64 generation);
    void down(quint64 generation);

private:
    LinkSocket *m_socket;
    std::function<void(const QString &)> m_dropLink;
    bool m_up = false;
    quint64 m_generation = 0;
    quint64 m_announced = 0;
    QStringList m_throttled;
    QList<FrameHandler *> m_handlers;
};

} // namespace lifeline
