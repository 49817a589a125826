#pragma once

#include <QStringList>

namespace lifeline {

// The link as the parts of a Messenger see it: frames go out on it, and a part that finds the
// server breaking the protocol says so, which drops the link and makes a new one. The real one
// is a connection's SessionLink; the parts' unit tests use a fake.
class MessageLink
{
public:
    virtual ~MessageLink() = default;
    // Whether the session is up, so that frames may go out.
    virtual bool isUp() const = 0;
    // Writes a frame on the live link; false (and nothing written) unless the session is up.
    virtual bool send(const QString &frame) = 0;
    // The server broke the protocol; details say how, for ERR_PROTOCOL.
    virtual void reportViolation(const QString &details) = 0;
    // The features the server throttles on this link.
    virtual QStringList throttledFeatures() const = 0;
};

} // namespace lifeline
