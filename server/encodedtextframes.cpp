#include "encodedtextframes.h"

#include "websocketframe.h"

namespace lifeline::server {

namespace {

void appendFrame(const QString &text, QByteArray *bytes)
{
    const QByteArray payload = text.toUtf8();
    char header[websocketframe::MaxHeaderBytes];
    bytes->append(
        header, websocketframe::writeHeader(header, websocketframe::Text, quint64(payload.size())));
    bytes->append(payload);
}

} // namespace

EncodedTextFrames::EncodedTextFrames(const QString &text)
{
    append(text);
}

void EncodedTextFrames::append(const QString &text)
{
    m_texts.append(text);
}

const QByteArray &EncodedTextFrames::bytes() const
{
    for (; m_encodedCount < m_texts.size(); ++m_encodedCount)
        appendFrame(m_texts.at(m_encodedCount), &m_bytes);
    return m_bytes;
}

} // namespace lifeline::server
