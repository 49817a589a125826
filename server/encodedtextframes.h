#pragma once

#include <QByteArray>
#include <QStringList>

namespace lifeline::server {

// Text messages to send, one after the other, and the same encoded once as the WebSocket frames
// a server sends (RFC 6455 section 5.2: final, unmasked), headers and all. A broadcast hands the
// same object to every connection: the raw transport (RawFrameTransport) writes bytes(), so
// each recipient costs one write however many messages it carries, and no conversion or framing
// of its own; Qt's transport (QtFrameTransport) hands texts() to QWebSocket. bytes() encodes on
// first use, so a server on Qt's transport never encodes.
class EncodedTextFrames
{
public:
    EncodedTextFrames() = default;
    explicit EncodedTextFrames(const QString &text);

    // Adds text as the next frame.
    void append(const QString &text);

    bool isEmpty() const { return m_texts.isEmpty(); }
    const QStringList &texts() const { return m_texts; }
    const QByteArray &bytes() const;

private:
    QStringList m_texts;
    // The frames of m_texts up to m_encodedCount, filled by bytes().
    mutable QByteArray m_bytes;
    mutable qsizetype m_encodedCount = 0;
};

} // namespace lifeline::server
