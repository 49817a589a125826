// InboundSync without a server: a real message store in a temporary directory and a fake link,
// fed with frames the server's own encoders write.
#include "clientstore.h"
#include "fakemessagelink.h"
#include "inboundsync.h"

#include <QTemporaryDir>
#include <QTest>

using lifeline::testkit::FakeMessageLink;
using lifeline::testkit::serverFrame;
using namespace lifeline;

namespace {

QString message(qint64 seq, const QString &id, const QString &sender = QStringLiteral("bob"))
{
    return protocol::message(id, QStringLiteral("lobby"), sender, QStringLiteral("text ") + id, seq,
                             1700000000000 + seq);
}

} // namespace

class TestInboundSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void linkUpAsksForWhatCameAfterTheCursor();
    void newMessagesAreStoredOnceAndMoveTheCursor();
    void seqThatDoesNotRiseIsAViolation();
    void ownEchoesOnlyMoveTheCursor();
    void gapIsReportedAndSkipped();
    void syncedBelowTheCursorIsAServerThatLostItsHistory();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ClientStore> m_store;
    std::unique_ptr<FakeMessageLink> m_link;
    std::unique_ptr<InboundSync> m_inbound;
    QStringList m_claimable;
    QStringList m_claimed;
};

void TestInboundSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<ClientStore>();
    QVERIFY(m_store->open(m_dir->filePath(QStringLiteral("messages.db"))).isOk());
    m_link = std::make_unique<FakeMessageLink>();
    m_claimable.clear();
    m_claimed.clear();
    m_inbound = std::make_unique<InboundSync>(*m_store, *m_link, [this](const QString &id, qint64) {
        if (!m_claimable.contains(id))
            return false;
        m_claimed.append(id);
        return true;
    });
}

void TestInboundSync::cleanup()
{
    m_inbound.reset();
    m_store.reset();
    m_link.reset();
    m_dir.reset();
}

void TestInboundSync::linkUpAsksForWhatCameAfterTheCursor()
{
    m_inbound->linkUp();
    QCOMPARE(m_link->sent, QStringList {protocol::sync(0)});
    QVERIFY(m_inbound->receive(serverFrame(message(7, QStringLiteral("a")))));
    QVERIFY(m_store->commit().isOk());
    m_inbound->linkDown();
    m_inbound->linkUp();
    QCOMPARE(m_link->sent.last(), protocol::sync(7));
}

void TestInboundSync::newMessagesAreStoredOnceAndMoveTheCursor()
{
    m_inbound->linkUp();
    for (int seq = 1; seq <= 3; ++seq) {
        const std::optional<ChatMessage> received
            = m_inbound->receive(serverFrame(message(seq, QStringLiteral("id%1").arg(seq))));
        QVERIFY(received.has_value());
        QCOMPARE(received->seq, seq);
        QCOMPARE(received->sender, QStringLiteral("bob"));
        QCOMPARE(received->state, DeliveryState::Delivered);
    }
    QCOMPARE(m_store->cursor(), 3);
    QCOMPARE(m_store->history(QStringLiteral("lobby")).size(), 3);
    // An own message the store holds already (acknowledged on an earlier link, which ended
    // before its echo came) arrives in the next catch-up: known, so told as nobody's news.
    m_store->markDelivered({QStringLiteral("mine"),
                            QStringLiteral("lobby"),
                            QStringLiteral("hi"),
                            1700000000000,
                            false,
                            {},
                            {}},
                           QStringLiteral("alice"), 4);
    QVERIFY(m_store->commit().isOk());
    m_inbound->linkDown();
    m_inbound->linkUp();
    QVERIFY(!m_inbound->receive(
        serverFrame(message(4, QStringLiteral("mine"), QStringLiteral("alice")))));
    QVERIFY(m_link->violations.isEmpty());
    QCOMPARE(m_store->cursor(), 4);
    QCOMPARE(m_store->history(QStringLiteral("lobby")).size(), 4);
}

void TestInboundSync::seqThatDoesNotRiseIsAViolation()
{
    m_inbound->linkUp();
    QVERIFY(m_inbound->receive(serverFrame(message(5, QStringLiteral("a")))));
    QVERIFY(!m_inbound->receive(serverFrame(message(4, QStringLiteral("b")))));
    QCOMPARE(m_link->violations.size(), 1);
    QVERIFY2(m_link->violations.first().contains(QLatin1String("seq 4 after seq 5")),
             qPrintable(m_link->violations.first()));
    QCOMPARE(m_store->cursor(), 5);
}

void TestInboundSync::ownEchoesOnlyMoveTheCursor()
{
    m_inbound->linkUp();
    // Acknowledged on this link, so stored already: the echo is not someone else's message.
    m_inbound->expectEcho(QStringLiteral("mine"));
    QVERIFY(!m_inbound->receive(
        serverFrame(message(1, QStringLiteral("mine"), QStringLiteral("alice")))));
    QCOMPARE(m_store->cursor(), 1);
    // Still in the outbox (its acknowledgement was lost): the outbox claims it.
    m_claimable.append(QStringLiteral("lost ack"));
    QVERIFY(!m_inbound->receive(
        serverFrame(message(2, QStringLiteral("lost ack"), QStringLiteral("alice")))));
    QCOMPARE(m_claimed, QStringList {QStringLiteral("lost ack")});
    QCOMPARE(m_store->cursor(), 2);
    QVERIFY(m_store->history(QStringLiteral("lobby")).isEmpty());
}

void TestInboundSync::gapIsReportedAndSkipped()
{
    m_inbound->linkUp();
    QVERIFY(m_inbound->receive(serverFrame(message(2, QStringLiteral("a")))));
    const auto [from, to] = m_inbound->skipGap(serverFrame(protocol::gap(3, 7)));
    QCOMPARE(from, 3);
    QCOMPARE(to, 7);
    QCOMPARE(m_store->cursor(), 7);
    QVERIFY(!m_inbound->receive(serverFrame(message(6, QStringLiteral("inside the gap")))));
    QCOMPARE(m_link->violations.size(), 1);
    QVERIFY(m_inbound->receive(serverFrame(message(8, QStringLiteral("after")))));
}

void TestInboundSync::syncedBelowTheCursorIsAServerThatLostItsHistory()
{
    m_inbound->linkUp();
    QVERIFY(m_inbound->receive(serverFrame(message(10, QStringLiteral("old")))));
    m_inbound->linkDown();
    // The server's data directory was reset: it counts from 1 again.
    m_inbound->linkUp();
    m_inbound->catchUp(serverFrame(protocol::synced(2)));
    QVERIFY(!m_inbound->receive(serverFrame(message(3, QStringLiteral("reused")))));
    QVERIFY(m_link->violations.isEmpty()); // not going backwards
    QVERIFY(m_inbound->receive(serverFrame(message(11, QStringLiteral("new")))));
    QCOMPARE(m_store->cursor(), 11);
}

QTEST_GUILESS_MAIN(TestInboundSync)
#include "tst_inboundsync.moc"
