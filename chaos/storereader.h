#pragma once

#include <QList>
#include <QString>
#include <QUrl>

namespace lifeline::chaos {

// What the server stored, read through the protocol: a user of its own syncs from seq 0 with the
// test kit's session client and collects every `message` frame until `synced`. Without the SDK
// on purpose: it recognises repeated ids and would hide a duplicate the checker has to see.
class StoreReader
{
public:
    struct Stored
    {
        QString id;
        QString sender;
        QString text;
        qint64 seq = 0;
    };

    // Runs the event loop until the catch-up is complete; false with the reason in *error on a
    // timeout, a `gap` (the server lost messages) or a link that closes first.
    bool fetch(const QUrl &serverUrl, int timeoutMs, QString *error);
    // In the order the server sent them, which is seq order.
    QList<Stored> messages() const { return m_messages; }

private:
    QList<Stored> m_messages;
};

} // namespace lifeline::chaos
