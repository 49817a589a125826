#pragma once

#include "messagelink.h"
#include "protocol.h"

#include <QStringList>

namespace lifeline::testkit {

// A link for the Messenger's parts without a connection: it records what they write and the
// violations they report, and is up, down or throttled as the test says.
class FakeMessageLink : public lifeline::MessageLink
{
public:
    bool isUp() const override { return up; }
    bool send(const QString &frame) override
    {
        if (!up)
            return false;
        sent.append(frame);
        return true;
    }
    void reportViolation(const QString &details) override { violations.append(details); }
    QStringList throttledFeatures() const override { return throttled; }

    // The frames written so far, decoded.
    QList<lifeline::protocol::Frame> sentFrames() const
    {
        QList<lifeline::protocol::Frame> frames;
        for (const QString &text : sent) {
            lifeline::protocol::DecodeError error;
            frames.append(lifeline::protocol::Frame::decode(text, &error));
        }
        return frames;
    }

    bool up = true;
    QStringList sent;
    QStringList violations;
    QStringList throttled;
};

// A frame as the server's encoders write it, decoded as the client reads it.
inline lifeline::protocol::Frame serverFrame(const QString &text)
{
    lifeline::protocol::DecodeError error;
    return lifeline::protocol::Frame::decode(text, &error);
}

} // namespace lifeline::testkit
