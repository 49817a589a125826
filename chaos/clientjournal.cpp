#include "clientjournal.h"

#include <cstdio>

namespace lifeline::chaos {

namespace {

const QByteArray StartTag = QByteArrayLiteral("start");
const QByteArray SentTag = QByteArrayLiteral("sent");
const QByteArray DeliveredTag = QByteArrayLiteral("delivered");
const QByteArray ReceivedTag = QByteArrayLiteral("received");
// Appended to a line the restarted client took from its store instead of from a live event.
const QByteArray RecoveredTag = QByteArrayLiteral("recovered");

} // namespace

ClientJournal::ClientJournal(const QString &path)
    : m_file(path)
{ }

bool ClientJournal::open(QString *error)
{
    // Unbuffered: every write() below is one write(2), in the kernel before the client goes on.
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::Unbuffered)) {
        *error = QStringLiteral("cannot open the journal %1: %2")
                     .arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    // A SIGKILL in the middle of a write would leave a partial last line, which could even
    // parse with a wrong number; it goes, and the restarted client recovers that event from its
    // store.
    m_file.seek(0);
    const QByteArray all = m_file.readAll();
    const qsizetype complete = all.lastIndexOf('\n') + 1;
    if (complete != all.size() && !m_file.resize(complete)) {
        *error = QStringLiteral("cannot cut the partial last line of the journal %1: %2")
                     .arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    return true;
}

void ClientJournal::recordStart(qint64 pid)
{
    write({StartTag, QByteArray::number(pid)});
}

void ClientJournal::recordSent(const QString &id, qint64 index, bool recovered)
{
    write({SentTag, id.toUtf8(), QByteArray::number(index)}, recovered);
}

void ClientJournal::recordDelivered(const QString &id, qint64 seq)
{
    write({DeliveredTag, id.toUtf8(), QByteArray::number(seq)});
}

void ClientJournal::recordReceived(const QString &id, const QString &sender, qint64 index,
                                   qint64 seq, bool recovered)
{
    write({ReceivedTag, id.toUtf8(), sender.toUtf8(), QByteArray::number(index),
           QByteArray::number(seq)},
          recovered);
}

void ClientJournal::write(QByteArrayList fields, bool recovered)
{
    if (recovered)
        fields.append(RecoveredTag);
    // One call, so that the line reaches the kernel whole or (at a SIGKILL) not at all.
    const QByteArray line = fields.join(' ') + '\n';
    if (m_file.write(line) != line.size()) {
        std::fprintf(stderr, "chaos client: cannot write the journal %s: %s\n",
                     qUtf8Printable(m_file.fileName()), qUtf8Printable(m_file.errorString()));
        std::fflush(stderr);
    }
}

bool ClientJournal::read(const QString &path, Contents *contents, QString *error)
{
    *contents = Contents();
    QFile file(path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the journal %1: %2").arg(path, file.errorString());
        return false;
    }
    const QList<QByteArray> lines = file.readAll().split('\n');
    int lineNumber = 0;
    for (const QByteArray &line : lines) {
        ++lineNumber;
        if (line.isEmpty())
            continue;
        // A partial last line (no newline yet) is being written or was cut by a SIGKILL.
        if (lineNumber == lines.size())
            break;
        const QList<QByteArray> fields = line.split(' ');
        const QByteArray &tag = fields.constFirst();
        const bool recovered = fields.constLast() == RecoveredTag;
        const qsizetype size = fields.size() - (recovered ? 1 : 0);
        bool ok = true;
        if (tag == StartTag && size == 2) {
            // Only the pid, for whoever reads the journal after a failed run.
        } else if (tag == SentTag && size == 3) {
            contents->sent.append({QString::fromUtf8(fields.at(1)), fields.at(2).toLongLong(&ok)});
        } else if (tag == DeliveredTag && size == 3) {
            contents->delivered.insert(QString::fromUtf8(fields.at(1)),
                                       fields.at(2).toLongLong(&ok));
        } else if (tag == ReceivedTag && size == 5) {
            bool seqOk = false;
            contents->received.append(
                {QString::fromUtf8(fields.at(1)), QString::fromUtf8(fields.at(2)),
                 fields.at(3).toLongLong(&ok), fields.at(4).toLongLong(&seqOk)});
            ok = ok && seqOk;
        } else {
            ok = false;
        }
        if (!ok) {
            *error = QStringLiteral("%1 line %2 is not a journal line: %3")
                         .arg(path)
                         .arg(lineNumber)
                         .arg(QString::fromUtf8(line));
            return false;
        }
        if (recovered)
            ++contents->recovered;
    }
    return true;
}

} // namespace lifeline::chaos
