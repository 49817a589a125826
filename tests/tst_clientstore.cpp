#include "clientstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeline;

namespace {

OutgoingMessage outgoing(const QString &id, const QString &text,
                         const QString &room = QStringLiteral("r"))
{
    return {id, room, text, 1700000000000 + text.size(), false, {}, {}};
}

ChatMessage received(qint64 seq, const QString &id, const QString &room = QStringLiteral("r"))
{
    ChatMessage message;
    message.seq = seq;
    message.id = id;
    message.room = room;
    message.sender = QStringLiteral("bob");
    message.text = QStringLiteral("text ") + id;
    message.sentAt = QDateTime::fromMSecsSinceEpoch(1700000000000 + seq);
    message.state = DeliveryState::Delivered;
    return message;
}

// Success, or a warning with the error and false.
bool succeeded(const Result<> &result)
{
    if (!result)
        qWarning() << result.error();
    return result.isOk();
}

} // namespace

class TestClientStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void enqueuedMessagesSurviveReopenInOrder();
    void deliveredMessagesMoveToHistory();
    void failedMessagesStayAndCanBeRequeued();
    void receivedMessagesAreStoredOnce();
    void cursorOnlyMovesForwardAndPersists();
    void uncommittedBatchIsNotOnDisk();
    void fileIsReadableByOwnerOnly();
    void damagedFileIsReportedNotCrashedOn();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("messages.db")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestClientStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestClientStore::enqueuedMessagesSurviveReopenInOrder()
{
    {
        ClientStore store;
        QVERIFY(succeeded(store.open(path())));
        for (int i = 0; i < 5; ++i)
            QVERIFY(succeeded(store.enqueue(
                outgoing(QStringLiteral("id%1").arg(i), QStringLiteral("m%1").arg(i)))));
    }
    ClientStore store;
    QVERIFY(succeeded(store.open(path())));
    const QList<OutgoingMessage> outbox = store.outbox();
    QCOMPARE(outbox.size(), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(outbox.at(i).id, QStringLiteral("id%1").arg(i));
        QCOMPARE(outbox.at(i).text, QStringLiteral("m%1").arg(i));
        QVERIFY(!outbox.at(i).failed);
    }
    // The same id twice is refused: an id is the message's identity.
    QVERIFY(!store.enqueue(outgoing(QStringLiteral("id0"), QStringLiteral("again"))).isOk());
    QCOMPARE(store.outbox().size(), 5);
}

void TestClientStore::deliveredMessagesMoveToHistory()
{
    ClientStore store;
    QVERIFY(succeeded(store.open(path())));
    const OutgoingMessage first = outgoing(QStringLiteral("a"), QStringLiteral("first"));
    const OutgoingMessage second = outgoing(QStringLiteral("b"), QStringLiteral("second"));
    QVERIFY(succeeded(store.enqueue(first)));
    QVERIFY(succeeded(store.enqueue(second)));
    store.markDelivered(first, QStringLiteral("alice"), 7);
    QVERIFY(succeeded(store.commit()));
    QCOMPARE(store.outbox().size(), 1);
    QCOMPARE(store.outbox().first().id, QStringLiteral("b"));
    const QList<ChatMessage> history = store.history(QStringLiteral("r"));
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().seq, 7);
    QCOMPARE(history.first().sender, QStringLiteral("alice"));
    QCOMPARE(history.first().text, QStringLiteral("first"));
    // Its echo from the server is recognised as known.
    ChatMessage echo = received(7, QStringLiteral("a"));
    QVERIFY(!store.storeReceived(echo));
}

void TestClientStore::failedMessagesStayAndCanBeRequeued()
{
    ClientStore store;
    QVERIFY(succeeded(store.open(path())));
    QVERIFY(succeeded(store.enqueue(outgoing(QStringLiteral("x"), QStringLiteral("too long")))));
    store.markFailed(QStringLiteral("x"), QStringLiteral("ERR_MESSAGE_TOO_LARGE"),
                     QStringLiteral("why"));
    QVERIFY(succeeded(store.commit()));
    store.close();
    QVERIFY(succeeded(store.open(path())));
    QCOMPARE(store.outbox().size(), 1);
    QVERIFY(store.outbox().first().failed);
    QCOMPARE(store.outbox().first().failureCode, QStringLiteral("ERR_MESSAGE_TOO_LARGE"));
    QVERIFY(succeeded(store.requeue(QStringLiteral("x"))));
    QVERIFY(!store.outbox().first().failed);
}

void TestClientStore::receivedMessagesAreStoredOnce()
{
    ClientStore store;
    QVERIFY(succeeded(store.open(path())));
    QVERIFY(store.storeReceived(received(3, QStringLiteral("m3"))));
    QVERIFY(store.storeReceived(received(1, QStringLiteral("m1"))));
    QVERIFY(store.storeReceived(received(2, QStringLiteral("m2"), QStringLiteral("other"))));
    QVERIFY(!store.storeReceived(received(3, QStringLiteral("m3"))));
    QVERIFY(succeeded(store.commit()));
    const QList<ChatMessage> history = store.history(QStringLiteral("r"));
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).seq, 1); // server order, whatever the arrival order
    QCOMPARE(history.at(1).seq, 3);
    QCOMPARE(store.history(QStringLiteral("other")).size(), 1);
}

void TestClientStore::cursorOnlyMovesForwardAndPersists()
{
    {
        ClientStore store;
        QVERIFY(succeeded(store.open(path())));
        QCOMPARE(store.cursor(), 0);
        store.advanceCursor(10);
        store.advanceCursor(4);
        QCOMPARE(store.cursor(), 10);
        QVERIFY(succeeded(store.commit()));
    }
    ClientStore store;
    QVERIFY(succeeded(store.open(path())));
    QCOMPARE(store.cursor(), 10);
}

void TestClientStore::uncommittedBatchIsNotOnDisk()
{
    ClientStore store;
    QVERIFY(succeeded(store.open(path())));
    QVERIFY(store.storeReceived(received(1, QStringLiteral("m1"))));
    QVERIFY(store.hasUncommitted());
    {
        // What another process would see after a crash right now: nothing of the batch.
        ClientStore other;
        QVERIFY(succeeded(other.open(path())));
        QCOMPARE(other.history(QStringLiteral("r")).size(), 0);
    }
    QVERIFY(succeeded(store.commit()));
    ClientStore other;
    QVERIFY(succeeded(other.open(path())));
    QCOMPARE(other.history(QStringLiteral("r")).size(), 1);
}

void TestClientStore::fileIsReadableByOwnerOnly()
{
    ClientStore store;
    QVERIFY(succeeded(store.open(path())));
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
        | QFileDevice::WriteOther;
    QCOMPARE(QFile::permissions(path()) & others, QFileDevice::Permissions());
}

void TestClientStore::damagedFileIsReportedNotCrashedOn()
{
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    ClientStore store;
    const Result<> opened = store.open(path());
    const QString error = opened.error().details;
    QVERIFY2(!opened.isOk(), "a damaged database must be reported");
    QCOMPARE(opened.error().code, QStringLiteral("ERR_STORAGE"));
    QVERIFY2(error.contains(path()), qPrintable(error));
    QVERIFY(!store.isOpen());
    QVERIFY(!store.enqueue(outgoing(QStringLiteral("a"), QStringLiteral("b"))).isOk());
}

QTEST_GUILESS_MAIN(TestClientStore)
#include "tst_clientstore.moc"
