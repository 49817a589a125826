#pragma once

#include "clientjournal.h"

#include <QHash>
#include <QStringList>

namespace lifeline::chaos {

// Checks every message of a soak against what the server stored and what each client saw:
// stored exactly once, received exactly once by every other client, each sender's order kept.
class SoakChecker
{
public:
    // A message as the server stored it.
    struct Stored
    {
        QString id;
        QString sender;
        QString text;
        qint64 seq = 0;
    };

    struct Result
    {
        // Messages the server stored, each checked on the server and at every other client.
        qint64 checked = 0;
        qint64 lost = 0;
        qint64 duplicated = 0;
        qint64 reordered = 0;
        // Stored or received messages no client ever sent (not soak messages, or ids the sender
        // never got from sendMessage()).
        qint64 unexpected = 0;
        // The first problems found, each in a sentence with the ids, for the report.
        QStringList problems;

        bool passed() const
        {
            return lost == 0 && duplicated == 0 && reordered == 0 && unexpected == 0;
        }
    };

    // journals: each client's journal by uid; stored in the server's (seq) order.
    static Result check(const QHash<QString, ClientJournal::Contents> &journals,
                        const QList<Stored> &stored);
};

} // namespace lifeline::chaos
