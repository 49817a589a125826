#pragma once

#include <QByteArrayView>
#include <QString>

namespace lifeline::bench {

// The text of a benchmark message: what a receiver needs to time and check it, written so that
// it is found in a `message` frame without parsing the JSON (a worker takes 200,000 frames a
// second; see --parse-cost). Padded to about 100 bytes, the size of a typical chat message.
//
//   @L SLOT N SENT_US MEASURED pad...   fan-out latency: sender slot, its Nth message
//   @C STEP K SENT_US 1 pad...          capacity: step, sample K of the step
struct FanoutText
{
    enum class Kind : char { Latency = 'L', Capacity = 'C' };

    Kind kind = Kind::Latency;
    int first = 0;
    int second = 0;
    qint64 sentUs = 0;
    bool measured = true;

    QString toText() const;
    // The benchmark text in a frame as the servers send it (UTF-8, as it came off the socket),
    // where `"text":"@` starts it (both servers write the text field unescaped, as it holds only
    // ASCII letters, digits and spaces). False if the frame holds none, or a malformed one.
    static bool find(QByteArrayView frame, FanoutText *text);
};

} // namespace lifeline::bench
