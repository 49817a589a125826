#include "fanouttext.h"

#include <climits>

namespace lifeline::bench {

namespace {

constexpr qsizetype TextLength = 100;
constexpr QByteArrayView Marker = "\"text\":\"@";

// Reads the decimal number at *at and the one space after it, if any; false if there is none.
bool readNumber(QByteArrayView frame, qsizetype *at, qint64 *value)
{
    qint64 number = 0;
    const qsizetype start = *at;
    while (*at < frame.size() && frame.at(*at) >= '0' && frame.at(*at) <= '9') {
        number = number * 10 + (frame.at(*at) - '0');
        ++*at;
    }
    if (*at == start || *at - start > 18)
        return false;
    *value = number;
    if (*at < frame.size() && frame.at(*at) == ' ')
        ++*at;
    return true;
}

} // namespace

QString FanoutText::toText() const
{
    QString text = QStringLiteral("@%1 %2 %3 %4 %5 ")
                       .arg(QChar::fromLatin1(char(kind)))
                       .arg(first)
                       .arg(second)
                       .arg(sentUs)
                       .arg(measured ? 1 : 0);
    const QString filler = QStringLiteral("the quick brown fox jumps over the lazy dog ");
    while (text.size() < TextLength)
        text += filler;
    text.truncate(TextLength);
    return text;
}

bool FanoutText::find(QByteArrayView frame, FanoutText *text)
{
    const qsizetype marker = frame.indexOf(Marker);
    if (marker < 0)
        return false;
    qsizetype at = marker + Marker.size();
    if (at + 1 >= frame.size() || frame.at(at + 1) != ' ')
        return false;
    const char kind = frame.at(at);
    if (kind != char(Kind::Latency) && kind != char(Kind::Capacity))
        return false;
    at += 2;
    qint64 first = 0;
    qint64 second = 0;
    qint64 sentUs = 0;
    qint64 measured = 0;
    if (!readNumber(frame, &at, &first) || !readNumber(frame, &at, &second)
        || !readNumber(frame, &at, &sentUs) || !readNumber(frame, &at, &measured) || first > INT_MAX
        || second > INT_MAX || measured > 1)
        return false;
    text->kind = Kind(kind);
    text->first = int(first);
    text->second = int(second);
    text->sentUs = sentUs;
    text->measured = measured == 1;
    return true;
}

} // namespace lifeline::bench
