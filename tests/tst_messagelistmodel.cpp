// MessageListModel against a real lifeline-server: the first load, rows that follow the
// Messenger's signals one by one, delivery states that change a row in place, and a large room.
#include "chatclient.h"
#include "clientserverfixture.h"
#include "messagelistmodel.h"
#include "testsetup.h"

#include <lifeline/messenger.h>

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using lifeline::testkit::ChatClient;
using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {

using testkit::Soon;

const QString Room = QStringLiteral("lobby");

} // namespace

class TestMessageListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void initialLoadIsInServerOrderOwnPendingLast();
    void receivedAndQueuedAreAppended();
    void deliveryStatesChangeTheSameRow();
    void receivedGoBeforeUndeliveredOwn();
    void tenThousandRowsLoadAndIndex();

private:
    QString dir(const QString &name) const { return m_fixture.filePath(name); }
    QUrl url() const { return m_fixture.serverUrl(); }

    testkit::ClientServerFixture m_fixture;
};

namespace {

QStringList texts(const QAbstractItemModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, 0).data().toString());
    return result;
}

DeliveryState stateAt(const QAbstractItemModel &model, int row)
{
    return model.index(row, 0)
        .data(int(MessageListModel::Role::DeliveryState))
        .value<DeliveryState>();
}

} // namespace

void TestMessageListModel::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
}

void TestMessageListModel::init()
{
    // Each test starts the server with its own arguments; the clients talk to it directly.
    QVERIFY(m_fixture.start(testkit::ClientServerFixture::Layer::Directory));
}

void TestMessageListModel::cleanup()
{
    m_fixture.stop();
}

void TestMessageListModel::initialLoadIsInServerOrderOwnPendingLast()
{
    QVERIFY(m_fixture.startServer());
    ChatClient alice(QStringLiteral("alice"), url(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), url(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    QSignalSpy received(&alice.messenger, &Messenger::messageReceived);
    bob.messenger.sendMessage(Room, QStringLiteral("b1"));
    QVERIFY(received.wait(Soon));
    alice.messenger.sendMessage(Room, QStringLiteral("a1"));
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.pendingCount(), 0, Soon);
    bob.messenger.sendMessage(Room, QStringLiteral("b2"));
    QVERIFY(received.wait(Soon));
    alice.connection.disconnectFromServer();
    const QString pending = alice.messenger.sendMessage(Room, QStringLiteral("a2"));
    QVERIFY(!pending.isEmpty());

    MessageListModel model(&alice.messenger, Room);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setOwnUser(QStringLiteral("alice"));
    QCOMPARE(texts(model),
             (QStringList {QStringLiteral("b1"), QStringLiteral("a1"), QStringLiteral("b2"),
                           QStringLiteral("a2")}));
    using Role = MessageListModel::Role;
    QCOMPARE(model.index(0, 0).data(int(Role::IsOwn)).toBool(), false);
    QCOMPARE(model.index(0, 0).data(int(Role::Sender)).toString(), QStringLiteral("bob"));
    QCOMPARE(model.index(1, 0).data(int(Role::IsOwn)).toBool(), true);
    QCOMPARE(stateAt(model, 1), DeliveryState::Delivered);
    QCOMPARE(stateAt(model, 3), DeliveryState::Queued);
    QCOMPARE(model.index(3, 0).data(int(Role::Id)).toString(), pending);
    QCOMPARE(model.index(3, 0).data(Qt::ToolTipRole).toString(), QStringLiteral("Waiting to send"));
    QCOMPARE(model.index(3, 0).data(int(Role::Seq)).toLongLong(), 0);
    QVERIFY(model.index(0, 0).data(int(Role::Seq)).toLongLong()
            < model.index(2, 0).data(int(Role::Seq)).toLongLong());
    QVERIFY(model.index(0, 0).data(int(Role::SentAt)).toDateTime().isValid());
    QCOMPARE(model.rowOf(pending), 3);
}

void TestMessageListModel::receivedAndQueuedAreAppended()
{
    QVERIFY(m_fixture.startServer());
    ChatClient alice(QStringLiteral("alice"), url(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), url(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    MessageListModel model(&alice.messenger, Room);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    bob.messenger.sendMessage(Room, QStringLiteral("from bob"));
    QVERIFY(inserted.wait(Soon));
    QCOMPARE(texts(model), QStringList {QStringLiteral("from bob")});

    const QString id = alice.messenger.sendMessage(Room, QStringLiteral("from alice"));
    // Queued rows come in at once: the user sees what they sent without a round trip.
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.last().at(1).toInt(), 1);
    QCOMPARE(model.rowOf(id), 1);
    QCOMPARE(model.ownUser(), QStringLiteral("alice"));
    QVERIFY(model.index(1, 0).data(int(MessageListModel::Role::IsOwn)).toBool());

    bob.messenger.sendMessage(Room, QStringLiteral("again"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, Soon);
    QCOMPARE(texts(model),
             (QStringList {QStringLiteral("from bob"), QStringLiteral("from alice"),
                           QStringLiteral("again")}));
    QCOMPARE(reset.size(), 0);
}

void TestMessageListModel::deliveryStatesChangeTheSameRow()
{
    using Role = MessageListModel::Role;
    QVERIFY(m_fixture.startServer());
    ChatClient alice(QStringLiteral("alice"), url(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    MessageListModel model(&alice.messenger, Room);
    QList<DeliveryState> states;
    connect(&model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &, int first) { states.append(stateAt(model, first)); });
    int seqChanges = 0;
    connect(
        &model, &QAbstractItemModel::dataChanged, this,
        [&](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
            QCOMPARE(topLeft.row(), 0);
            QCOMPARE(bottomRight.row(), 0);
            if (roles.contains(int(Role::DeliveryState)))
                states.append(stateAt(model, 0));
            if (roles.contains(int(Role::Seq)))
                ++seqChanges;
        });
    const QString id = alice.messenger.sendMessage(Room, QStringLiteral("hello"));
    QCOMPARE(model.index(0, 0).data(int(Role::Seq)).toLongLong(), 0); // no place in order yet
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.pendingCount(), 0, Soon);
    QCOMPARE(states,
             (QList<DeliveryState> {DeliveryState::Queued, DeliveryState::Sent,
                                    DeliveryState::Delivered}));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(id), 0);
    QCOMPARE(model.index(0, 0).data(Qt::ToolTipRole).toString(), QStringLiteral("Delivered"));
    // Delivered with the seq the server gave it, without reloading the room.
    QCOMPARE(seqChanges, 1);
    QCOMPARE(model.index(0, 0).data(int(Role::Seq)).toLongLong(),
             alice.messenger.messages(Room).first().seq);
    QVERIFY(model.index(0, 0).data(int(Role::Seq)).toLongLong() > 0);
}

void TestMessageListModel::receivedGoBeforeUndeliveredOwn()
{
    // A server stricter than the client refuses the long text for good: it stays Failed, last.
    QVERIFY(m_fixture.startServer({QStringLiteral("--max-text-bytes"), QStringLiteral("10")}));
    ChatClient alice(QStringLiteral("alice"), url(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), url(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    MessageListModel model(&alice.messenger, Room);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("refused a message for good")));
    const QString ok = alice.messenger.sendMessage(Room, QStringLiteral("short"));
    const QString refused
        = alice.messenger.sendMessage(Room, QStringLiteral("much longer than ten bytes"));
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(model, 1), DeliveryState::Failed, Soon);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(model, 0), DeliveryState::Delivered, Soon);
    QVERIFY(model.index(1, 0)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(QStringLiteral("Not delivered: ")));

    bob.messenger.sendMessage(Room, QStringLiteral("reply"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, Soon);
    QCOMPARE(texts(model),
             (QStringList {QStringLiteral("short"), QStringLiteral("reply"),
                           QStringLiteral("much longer than ten bytes")}));
    QCOMPARE(model.rowOf(ok), 0);
    QCOMPARE(model.rowOf(refused), 2);
}

void TestMessageListModel::tenThousandRowsLoadAndIndex()
{
    constexpr int Count = 10000;
    QVERIFY(m_fixture.startServer({QStringLiteral("--rate"), QStringLiteral("0")}));
    ChatClient alice(QStringLiteral("alice"), url(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), url(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    MessageListModel following(&alice.messenger, Room);
    QSignalSpy inserted(&following, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < Count; ++i)
        bob.messenger.sendMessage(Room, QStringLiteral("m%1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(following.rowCount(), Count, 30000);
    // Rows arrive in batches, not one insert per message.
    QVERIFY2(inserted.size() < Count, qPrintable(QString::number(inserted.size())));

    MessageListModel loaded(&alice.messenger, Room);
    QCOMPARE(loaded.rowCount(), Count);
    using Role = MessageListModel::Role;
    qint64 previousSeq = 0;
    for (int row = 0; row < Count; ++row) {
        const QModelIndex index = loaded.index(row, 0);
        const QString id = index.data(int(Role::Id)).toString();
        QCOMPARE(loaded.rowOf(id), row);
        QCOMPARE(following.rowOf(id), row);
        QCOMPARE(index.data().toString(), QStringLiteral("m%1").arg(row));
        const qint64 seq = index.data(int(Role::Seq)).toLongLong();
        QVERIFY(seq > previousSeq);
        previousSeq = seq;
    }
}

QTEST_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
