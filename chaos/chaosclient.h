#pragma once

#include "clientjournal.h"

#include <QList>
#include <QObject>
#include <QUrl>

class QTimer;

namespace lifeline {
class ConnectionManager;
class Messenger;
} // namespace lifeline

namespace lifeline::chaos {

// One soak client: a real ConnectionManager and Messenger with their own data directory, in a
// process of its own so that the runner can SIGKILL it. It sends one message every interval
// and journals what the app sees: each id sendMessage() returned, each delivery, each message
// received. The runner steers it through stdin, one command a line:
//   stop-sending   no new messages from now on
//   report SERIAL  answers "status SERIAL STATUS pending N seen SEQ" on stdout
//   quit           exits with 0
// and it writes "ready" on stdout once it runs.
class ChaosClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        // The server's URL, or the URLs of a cluster's instances to fail over between.
        QList<QUrl> serverUrls;
        QString uid;
        QString dataDirectory;
        QString journalPath;
        QString room;
        int intervalMs = 100;
    };

    explicit ChaosClient(const Options &options, QObject *parent = nullptr);
    ~ChaosClient() override;

    // Opens the journal and the session, recovers what a SIGKILL kept out of the journal, and
    // starts sending. False with the reason in *error if the client cannot run.
    bool start(QString *error);

private:
    void recoverFromStore(const ClientJournal::Contents &journal);
    void sendNext();
    void runCommand(const QByteArray &command);
    void report(const QByteArray &serial);

    Options m_options;
    ClientJournal m_journal;
    lifeline::ConnectionManager *m_connection;
    lifeline::Messenger *m_messenger;
    QTimer *m_sendTimer;
    qint64 m_nextIndex = 1;
};

} // namespace lifeline::chaos
