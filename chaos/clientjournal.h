#pragma once

#include <QByteArrayList>
#include <QFile>
#include <QHash>
#include <QList>
#include <QString>

namespace lifeline::chaos {

// What one soak client did, one line per event. Each line goes to the kernel with one write(2)
// before the client goes on, so a SIGKILL of the client costs at most the line being written;
// the restarted client recovers such lines from its message store (see ChaosClient). The
// runner reads the journals back to check every message.
class ClientJournal
{
public:
    struct Sent
    {
        QString id;
        qint64 index = 0;
    };
    struct Received
    {
        QString id;
        QString sender;
        qint64 index = 0;
        qint64 seq = 0;
    };
    // What a journal holds, in the order it was written.
    struct Contents
    {
        // Every id sendMessage() returned, with the message's running number.
        QList<Sent> sent;
        // Every messageReceived(), in the order the app saw them.
        QList<Received> received;
        // Own messages reported Delivered, by id.
        QHash<QString, qint64> delivered;
        // Lines recovered from the message store after a SIGKILL cut them off.
        int recovered = 0;
    };

    explicit ClientJournal(const QString &path);

    // Opens for appending, without a partial last line a SIGKILL may have left.
    bool open(QString *error);
    void recordStart(qint64 pid);
    void recordSent(const QString &id, qint64 index, bool recovered);
    void recordDelivered(const QString &id, qint64 seq);
    void recordReceived(const QString &id, const QString &sender, qint64 index, qint64 seq,
                        bool recovered);

    // A missing file reads as empty: the client has not started yet.
    static bool read(const QString &path, Contents *contents, QString *error);

private:
    void write(QByteArrayList fields, bool recovered = false);

    QFile m_file;
};

} // namespace lifeline::chaos
