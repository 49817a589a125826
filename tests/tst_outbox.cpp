// Outbox without a server: a real message store in a temporary directory and a fake link that
// records what goes out, answered with frames the server's own encoders write.
#include "clientstore.h"
#include "fakemessagelink.h"
#include "outbox.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using lifeline::testkit::FakeMessageLink;
using lifeline::testkit::serverFrame;
using namespace lifeline;

namespace {

OutgoingMessage outgoing(const QString &id, const QString &room = QStringLiteral("lobby"))
{
    return {id, room, QStringLiteral("text of ") + id, 1700000000000, false, {}, {}};
}

// The ids of the `send` frames written, in order.
QStringList sentIds(const FakeMessageLink &link)
{
    QStringList ids;
    for (const protocol::Frame &frame : link.sentFrames()) {
        if (frame.type() == protocol::type::Send)
            ids.append(frame.text(QStringLiteral("id")));
    }
    return ids;
}

QStringList ids(const QString &prefix, int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list.append(QStringLiteral("%1%2").arg(prefix).arg(i));
    return list;
}

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void queuedMessagesGoOutInOrderOnceTheLinkIsUp();
    void nothingIsQueuedWithoutAStore();
    void acknowledgementDeliversWithTheServersSeq();
    void answerToNothingSentIsAViolation_data();
    void answerToNothingSentIsAViolation();
    void refusedMessageFailsAndTheOthersGoOn();
    void retryHoldsBackInOrderUntilThePauseEnds();
    void windowLimitsWhatIsUnacknowledged();
    void lostLinkSendsEverythingAgain();
    void echoDeliversWhenTheAcknowledgementWasLost();
    void refusingLinkStopsThePump();
    void failedMessagesComeBackAsFailed();

private:
    void sendAll(int count);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ClientStore> m_store;
    std::unique_ptr<FakeMessageLink> m_link;
    std::unique_ptr<Outbox> m_outbox;
};

void TestOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<ClientStore>();
    QVERIFY(m_store->open(m_dir->filePath(QStringLiteral("messages.db"))).isOk());
    m_link = std::make_unique<FakeMessageLink>();
    m_outbox = std::make_unique<Outbox>(*m_store, *m_link);
    m_outbox->load(QStringLiteral("alice"));
}

void TestOutbox::cleanup()
{
    m_outbox.reset();
    m_store.reset();
    m_link.reset();
    m_dir.reset();
}

void TestOutbox::sendAll(int count)
{
    for (const QString &id : ids(QStringLiteral("m"), count))
        QVERIFY(m_outbox->enqueue(outgoing(id)).isOk());
    m_outbox->linkUp();
    QCOMPARE(m_outbox->pump(), ids(QStringLiteral("m"), count));
}

void TestOutbox::queuedMessagesGoOutInOrderOnceTheLinkIsUp()
{
    const QStringList queued = ids(QStringLiteral("m"), 3);
    for (const QString &id : queued) {
        const Result<ChatMessage> message = m_outbox->enqueue(outgoing(id));
        QVERIFY(message.isOk());
        QCOMPARE(message.value().state, DeliveryState::Queued);
        QCOMPARE(message.value().sender, QStringLiteral("alice"));
    }
    QVERIFY(m_outbox->pump().isEmpty()); // no link yet
    QVERIFY(m_link->sent.isEmpty());
    QCOMPARE(m_outbox->pendingCount(), 3);

    m_outbox->linkUp();
    QCOMPARE(m_outbox->pump(), queued);
    QCOMPARE(sentIds(*m_link), queued);
    QCOMPARE(m_outbox->pendingCount(), 3); // sent, not delivered
    const QList<ChatMessage> waiting = m_outbox->messages(QStringLiteral("lobby"));
    QCOMPARE(waiting.size(), 3);
    QCOMPARE(waiting.first().state, DeliveryState::Sent);
    QVERIFY(m_outbox->pump().isEmpty()); // each goes out once per link
}

void TestOutbox::nothingIsQueuedWithoutAStore()
{
    m_store->close();
    const Result<ChatMessage> refused = m_outbox->enqueue(outgoing(QStringLiteral("m0")));
    QVERIFY(!refused.isOk());
    QCOMPARE(refused.error().code, QStringLiteral("ERR_STORAGE"));
    QVERIFY2(refused.error().details.contains(QLatin1String("nothing was queued")),
             qPrintable(refused.error().details));
    QCOMPARE(m_outbox->pendingCount(), 0);
}

void TestOutbox::acknowledgementDeliversWithTheServersSeq()
{
    sendAll(2);
    const std::optional<ChatMessage> delivered
        = m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("m0"), 41)));
    QVERIFY(delivered.has_value());
    QCOMPARE(delivered->id, QStringLiteral("m0"));
    QCOMPARE(delivered->seq, 41);
    QCOMPARE(delivered->state, DeliveryState::Delivered);
    QCOMPARE(delivered->sender, QStringLiteral("alice"));
    QCOMPARE(m_outbox->pendingCount(), 1);
    // In the history from now on, and out of the outbox once committed.
    const QList<ChatMessage> history = m_store->history(QStringLiteral("lobby"));
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().seq, 41);
    QVERIFY(m_store->commit().isOk());
    QCOMPARE(m_store->outbox().size(), 1);
    QVERIFY(m_link->violations.isEmpty());
}

void TestOutbox::answerToNothingSentIsAViolation_data()
{
    QTest::addColumn<QString>("answer");
    QTest::newRow("ack") << protocol::ack(QStringLiteral("stranger"), 1);
    QTest::newRow("nack") << protocol::nack(QStringLiteral("stranger"), QStringLiteral("ERR_X"),
                                            QStringLiteral("no"));
    QTest::newRow("retry") << protocol::retry(QStringLiteral("stranger"), 10);
    QTest::newRow("second ack of one send") << protocol::ack(QStringLiteral("m0"), 1);
}

void TestOutbox::answerToNothingSentIsAViolation()
{
    QFETCH(QString, answer);
    sendAll(1);
    QVERIFY(m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("m0"), 1))));
    const protocol::Frame frame = serverFrame(answer);
    if (frame.type() == protocol::type::Ack)
        QVERIFY(!m_outbox->acknowledge(frame));
    else if (frame.type() == protocol::type::Nack)
        QVERIFY(!m_outbox->refuse(frame));
    else
        QVERIFY(m_outbox->defer(frame).isEmpty());
    QCOMPARE(m_link->violations.size(), 1);
    QVERIFY2(m_link->violations.first().contains(QLatin1String("did not send on this link")),
             qPrintable(m_link->violations.first()));
}

void TestOutbox::refusedMessageFailsAndTheOthersGoOn()
{
    sendAll(3);
    const std::optional<QString> failed = m_outbox->refuse(serverFrame(protocol::nack(
        QStringLiteral("m1"), QStringLiteral("ERR_MESSAGE_TOO_LARGE"), QStringLiteral("long"))));
    QCOMPARE(failed, std::optional<QString>(QStringLiteral("m1")));
    QCOMPARE(m_outbox->failure(QStringLiteral("m1")).code, QStringLiteral("ERR_MESSAGE_TOO_LARGE"));
    QCOMPARE(m_outbox->failure(QStringLiteral("m0")), ChatError());
    QCOMPARE(m_outbox->pendingCount(), 2);
    QCOMPARE(m_outbox->failedCount(), 1);
    QVERIFY(m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("m2"), 3))));
    QCOMPARE(m_outbox->pendingCount(), 1);

    // Tried again: queued, and out on the link once more.
    QVERIFY(m_outbox->requeue(QStringLiteral("m1")));
    QVERIFY(!m_outbox->requeue(QStringLiteral("m1"))); // not failed any more
    QCOMPARE(m_outbox->failedCount(), 0);
    QCOMPARE(m_outbox->pump(), QStringList {QStringLiteral("m1")});
}

void TestOutbox::retryHoldsBackInOrderUntilThePauseEnds()
{
    sendAll(3);
    QSignalSpy resumed(m_outbox.get(), &Outbox::resumed);
    const QStringList requeued
        = m_outbox->defer(serverFrame(protocol::retry(QStringLiteral("m0"), 50)));
    QCOMPARE(requeued, ids(QStringLiteral("m"), 3));
    // The server stored none of them: they wait until the pause it asked for is over.
    QVERIFY(m_outbox->pump().isEmpty());
    // The answers to the later sends still come, and are counted, not violations.
    QVERIFY(m_outbox->defer(serverFrame(protocol::retry(QStringLiteral("m1"), 50))).isEmpty());
    QVERIFY(m_link->violations.isEmpty());
    QVERIFY(resumed.wait(5000));
    // One at a time at first, in the order they were sent; each acknowledgement widens it.
    QCOMPARE(m_outbox->pump(), QStringList {QStringLiteral("m0")});
    QVERIFY(m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("m0"), 1))));
    QCOMPARE(m_outbox->pump(), (QStringList {QStringLiteral("m1"), QStringLiteral("m2")}));
}

void TestOutbox::windowLimitsWhatIsUnacknowledged()
{
    const QStringList all = ids(QStringLiteral("w"), 1030);
    for (const QString &id : all)
        QVERIFY(m_outbox->enqueue(outgoing(id)).isOk());
    m_outbox->linkUp();
    QCOMPARE(m_outbox->pump(), all.mid(0, 1024));
    // One acknowledged frees one place and widens the window by one: two more go out.
    QVERIFY(m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("w0"), 1))));
    QCOMPARE(m_outbox->pump(), all.mid(1024, 2));
}

void TestOutbox::lostLinkSendsEverythingAgain()
{
    sendAll(3);
    QVERIFY(m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("m0"), 1))));
    const QStringList requeued = m_outbox->linkDown();
    QCOMPARE(requeued, (QStringList {QStringLiteral("m1"), QStringLiteral("m2")}));
    QCOMPARE(m_outbox->messages(QStringLiteral("lobby")).first().state, DeliveryState::Queued);
    QVERIFY(m_outbox->pump().isEmpty());
    m_link->sent.clear();
    m_outbox->linkUp();
    QCOMPARE(m_outbox->pump(), requeued);
    QCOMPARE(sentIds(*m_link), requeued);
    // An answer that belonged to the old link is nothing this link carried.
    QVERIFY(m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("m1"), 2))));
    QVERIFY(m_link->violations.isEmpty());
}

void TestOutbox::echoDeliversWhenTheAcknowledgementWasLost()
{
    sendAll(1);
    const std::optional<ChatMessage> delivered = m_outbox->claimEcho(QStringLiteral("m0"), 7);
    QVERIFY(delivered.has_value());
    QCOMPARE(delivered->seq, 7);
    QCOMPARE(m_outbox->pendingCount(), 0);
    QVERIFY(!m_outbox->claimEcho(QStringLiteral("m0"), 7)); // once
    QVERIFY(!m_outbox->claimEcho(QStringLiteral("someone else's"), 8));
    // The acknowledgement that comes late answers the send; it delivers nothing twice.
    QVERIFY(!m_outbox->acknowledge(serverFrame(protocol::ack(QStringLiteral("m0"), 7))));
    QVERIFY(m_link->violations.isEmpty());
}

void TestOutbox::refusingLinkStopsThePump()
{
    QVERIFY(m_outbox->enqueue(outgoing(QStringLiteral("m0"))).isOk());
    m_outbox->linkUp();
    m_link->up = false; // the session went away under the outbox
    QVERIFY(m_outbox->pump().isEmpty());
    QCOMPARE(m_outbox->messages(QStringLiteral("lobby")).first().state, DeliveryState::Queued);
    m_link->up = true;
    QCOMPARE(m_outbox->pump(), QStringList {QStringLiteral("m0")});
}

void TestOutbox::failedMessagesComeBackAsFailed()
{
    sendAll(2);
    QVERIFY(m_outbox->refuse(serverFrame(
        protocol::nack(QStringLiteral("m0"), QStringLiteral("ERR_X"), QStringLiteral("no")))));
    QVERIFY(m_store->commit().isOk());
    // The app restarts: what the store holds comes back, the failed one still failed.
    Outbox restarted(*m_store, *m_link);
    restarted.load(QStringLiteral("alice"));
    QCOMPARE(restarted.pendingCount(), 1);
    QCOMPARE(restarted.failedCount(), 1);
    QCOMPARE(restarted.failure(QStringLiteral("m0")).code, QStringLiteral("ERR_X"));
    const QList<ChatMessage> waiting = restarted.messages(QStringLiteral("lobby"));
    QCOMPARE(waiting.size(), 2);
    QCOMPARE(waiting.at(0).state, DeliveryState::Failed);
    QCOMPARE(waiting.at(1).state, DeliveryState::Queued);
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
