#pragma once

#include <QByteArray>

class QString;

// A text message encoded once as the WebSocket frame a server sends (RFC 6455 section 5.2:
// final, unmasked), header and all. A broadcast hands the same bytes to every connection, so
// that each recipient costs one write and no conversion or framing of its own.
class EncodedTextFrame
{
public:
    explicit EncodedTextFrame(const QString &text);

    const QByteArray &bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};
