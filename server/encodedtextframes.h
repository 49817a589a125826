#pragma once

#include <QByteArray>

class QString;

// Text messages encoded once as the WebSocket frames a server sends (RFC 6455 section 5.2:
// final, unmasked), headers and all, one after the other. A broadcast hands the same bytes to
// every connection, so that each recipient costs one write, however many messages it carries,
// and no conversion or framing of its own.
class EncodedTextFrames
{
public:
    EncodedTextFrames() = default;
    explicit EncodedTextFrames(const QString &text);

    // Adds text as the next frame.
    void append(const QString &text);

    bool isEmpty() const { return m_bytes.isEmpty(); }
    const QByteArray &bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};
