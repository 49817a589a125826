#include "chaosclient.h"

#include "messagetext.h"
#include "parentchannel.h"

#include <lifeline/messenger.h>

#include <QCoreApplication>
#include <QMetaEnum>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace lifeline;
using namespace lifeline::testkit;
using namespace std::chrono_literals;

namespace lifeline::chaos {

namespace {

// Short enough that a frozen server or a black hole is noticed within 2 s, so that a minute of
// soak sees many reconnects. No attempt limit: the soak checks that every client comes back by
// itself, and a client that gave up would wait for a user to press Retry.
AppSettings soakSettings(const ChaosClient::Options &options)
{
    return AppSettingsBuilder()
        .setServerUrls(options.serverUrls)
        .setDataDirectory(options.dataDirectory)
        .setHeartbeatInterval(1000ms)
        .setHeartbeatTimeout(1000ms)
        .setConnectTimeout(3000ms)
        .setReconnectDelay(250ms, 4000ms)
        .setMaxReconnectAttempts(0)
        .build();
}

void warn(const QString &message)
{
    std::fprintf(stderr, "chaos client: %s\n", qUtf8Printable(message));
    std::fflush(stderr);
}

} // namespace

ChaosClient::ChaosClient(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_journal(options.journalPath)
    , m_connection(new ConnectionManager(this))
    , m_messenger(new Messenger(m_connection, this))
    , m_sendTimer(new QTimer(this))
{
    connect(m_sendTimer, &QTimer::timeout, this, &ChaosClient::sendNext);
    connect(m_messenger, &Messenger::messageDelivered, this, [this](const ChatMessage &message) {
        m_journal.recordDelivered(message.id, message.seq);
    });
    connect(m_messenger, &Messenger::messageReceived, this, [this](const ChatMessage &message) {
        QString sender;
        qint64 index = 0;
        if (!parseMessageText(message.text, &sender, &index))
            warn(QStringLiteral("received %1, which is not a soak message").arg(message.id));
        m_journal.recordReceived(message.id, message.sender, index, message.seq, false);
    });
    connect(m_messenger, &Messenger::catchUpGap, this, [](qint64 first, qint64 last) {
        warn(QStringLiteral("the server no longer has messages %1 to %2").arg(first).arg(last));
    });
}

ChaosClient::~ChaosClient() = default;

bool ChaosClient::start(QString *error)
{
    ClientJournal::Contents journal;
    if (!ClientJournal::read(m_options.journalPath, &journal, error) || !m_journal.open(error))
        return false;
    m_journal.recordStart(QCoreApplication::applicationPid());

    bool ok = false;
    const auto fail
        = [error](const ChatError &e) { *error = e.code + QLatin1Char(' ') + e.details; };
    m_connection->init(
        QStringLiteral("lifeline-chaos"), soakSettings(m_options),
        [&ok](const QString &) { ok = true; }, fail);
    if (!ok)
        return false;
    // A restarted client has its session back from init(); only the first start logs in.
    if (m_connection->loggedInUser().isEmpty()) {
        ok = false;
        m_connection->login(
            m_options.uid, QStringLiteral("chaos-token"), [&ok](const QString &) { ok = true; },
            fail);
        if (!ok)
            return false;
    }
    // Before the event loop runs, so that no live event can come between.
    recoverFromStore(journal);

    auto *runner = new ParentChannel(this);
    connect(runner, &ParentChannel::lineReceived, this,
            [this](const QByteArray &line) { runCommand(line.trimmed()); });
    // The runner is gone; nobody is left to steer or to check this client.
    connect(runner, &ParentChannel::closed, this, [] { QCoreApplication::exit(0); });
    m_sendTimer->start(m_options.intervalMs);
    ParentChannel::send(QByteArrayLiteral("ready"));
    return true;
}

void ChaosClient::recoverFromStore(const ClientJournal::Contents &journal)
{
    // A SIGKILL between sendMessage() (or a received message's commit) and the journal line
    // leaves the event in the store only. What the user would see in the history counts.
    QSet<QString> sent;
    for (const ClientJournal::Sent &entry : journal.sent) {
        sent.insert(entry.id);
        m_nextIndex = std::max(m_nextIndex, entry.index + 1);
    }
    QSet<QString> received;
    for (const ClientJournal::Received &entry : journal.received)
        received.insert(entry.id);

    const QList<ChatMessage> history = m_messenger->messages(m_options.room);
    for (const ChatMessage &message : history) {
        QString sender;
        qint64 index = 0;
        if (!parseMessageText(message.text, &sender, &index)) {
            warn(QStringLiteral("the store holds %1, which is not a soak message").arg(message.id));
            continue;
        }
        if (sender == m_options.uid) {
            if (!sent.contains(message.id))
                m_journal.recordSent(message.id, index, true);
            m_nextIndex = std::max(m_nextIndex, index + 1);
        } else if (!received.contains(message.id)) {
            m_journal.recordReceived(message.id, message.sender, index, message.seq, true);
        }
    }
}

void ChaosClient::sendNext()
{
    const QString id = m_messenger->sendMessage(
        m_options.room, messageText(m_options.uid, m_nextIndex), [](const ChatError &e) {
            warn(QStringLiteral("sendMessage refused: %1 %2").arg(e.code, e.details));
        });
    if (id.isEmpty())
        return;
    m_journal.recordSent(id, m_nextIndex, false);
    ++m_nextIndex;
}

void ChaosClient::runCommand(const QByteArray &command)
{
    if (command == "stop-sending") {
        m_sendTimer->stop();
    } else if (command.startsWith("report ")) {
        report(command.mid(7));
    } else if (command == "quit") {
        QCoreApplication::exit(0);
    } else {
        warn(QStringLiteral("unknown command \"%1\" (stop-sending, report SERIAL, quit)")
                 .arg(QString::fromUtf8(command)));
    }
}

void ChaosClient::report(const QByteArray &serial)
{
    const char *status
        = QMetaEnum::fromType<ConnectionStatus>().valueToKey(int(m_connection->connectionStatus()));
    ParentChannel::send(QByteArrayLiteral("status ") + serial + ' ' + status + " pending "
                        + QByteArray::number(m_messenger->pendingCount()) + " seen "
                        + QByteArray::number(m_messenger->lastSeenSeq()));
}

} // namespace lifeline::chaos
