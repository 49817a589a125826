// PresenceList without a server: the full list and the changes after it, as the server's
// encoders write them, through a fake link that records violations.
#include "fakemessagelink.h"
#include "presencelist.h"

#include <QTest>

using lifeline::testkit::FakeMessageLink;
using lifeline::testkit::serverFrame;
using namespace lifeline;

namespace {

QStringList users(std::initializer_list<const char *> names)
{
    QStringList list;
    for (const char *name : names)
        list.append(QString::fromLatin1(name));
    return list;
}

} // namespace

class TestPresenceList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullListIsSortedWithEachUserOnce();
    void changesApplyToTheList();
    void changeBeforeTheListIsAViolation();
    void changeOnALinkJoinedLateIsIgnored();
    void changeThatDoesNotFitIsAViolation_data();
    void changeThatDoesNotFitIsAViolation();
    void lostLinkForgetsTheList();
};

void TestPresenceList::fullListIsSortedWithEachUserOnce()
{
    FakeMessageLink link;
    PresenceList presence(link);
    QVERIFY(
        presence.apply(serverFrame(protocol::presence(users({"carol", "alice", "bob", "alice"})))));
    QCOMPARE(presence.online(), users({"alice", "bob", "carol"}));
    QVERIFY(!presence.apply(serverFrame(protocol::presence(users({"bob", "carol", "alice"})))));
}

void TestPresenceList::changesApplyToTheList()
{
    FakeMessageLink link;
    PresenceList presence(link);
    QVERIFY(presence.apply(serverFrame(protocol::presence(users({"alice", "bob", "carol"})))));
    QVERIFY(presence.applyDiff(
        serverFrame(protocol::presenceDiff(users({"dave", "aaron"}), users({"bob"})))));
    QCOMPARE(presence.online(), users({"aaron", "alice", "carol", "dave"}));
    QVERIFY(link.violations.isEmpty());
}

void TestPresenceList::changeBeforeTheListIsAViolation()
{
    FakeMessageLink link;
    PresenceList presence(link);
    QVERIFY(!presence.applyDiff(serverFrame(protocol::presenceDiff(users({"bob"}), {}))));
    QCOMPARE(link.violations.size(), 1);
    QVERIFY(presence.online().isEmpty());
}

void TestPresenceList::changeOnALinkJoinedLateIsIgnored()
{
    // The server did nothing wrong: the list went by before this Messenger listened.
    FakeMessageLink link;
    PresenceList presence(link);
    presence.joinLiveLink();
    QVERIFY(!presence.applyDiff(serverFrame(protocol::presenceDiff(users({"bob"}), {}))));
    QVERIFY(link.violations.isEmpty());
    QVERIFY(presence.online().isEmpty());
    // The next link's list is taken, and its changes apply.
    presence.linkDown();
    QVERIFY(presence.apply(serverFrame(protocol::presence(users({"bob"})))));
    QVERIFY(presence.applyDiff(serverFrame(protocol::presenceDiff(users({"carol"}), {}))));
    QCOMPARE(presence.online(), users({"bob", "carol"}));
}

void TestPresenceList::changeThatDoesNotFitIsAViolation_data()
{
    QTest::addColumn<QStringList>("cameOnline");
    QTest::addColumn<QStringList>("wentOffline");
    QTest::addColumn<QString>("says");
    QTest::newRow("came online, but was")
        << users({"bob"}) << QStringList() << QStringLiteral("\"bob\" came online");
    QTest::newRow("went offline, but was not")
        << QStringList() << users({"zoe"}) << QStringLiteral("\"zoe\" went offline");
}

void TestPresenceList::changeThatDoesNotFitIsAViolation()
{
    QFETCH(QStringList, cameOnline);
    QFETCH(QStringList, wentOffline);
    QFETCH(QString, says);
    FakeMessageLink link;
    PresenceList presence(link);
    QVERIFY(presence.apply(serverFrame(protocol::presence(users({"alice", "bob"})))));
    QVERIFY(!presence.applyDiff(serverFrame(protocol::presenceDiff(cameOnline, wentOffline))));
    QCOMPARE(link.violations.size(), 1);
    QVERIFY2(link.violations.first().contains(says), qPrintable(link.violations.first()));
    QCOMPARE(presence.online(), users({"alice", "bob"})); // not applied
}

void TestPresenceList::lostLinkForgetsTheList()
{
    FakeMessageLink link;
    PresenceList presence(link);
    QVERIFY(!presence.linkDown()); // nothing known, nothing to tell
    QVERIFY(presence.apply(serverFrame(protocol::presence(users({"alice"})))));
    QVERIFY(presence.linkDown());
    QVERIFY(presence.online().isEmpty());
    // The next link starts with its full list again.
    QVERIFY(!presence.applyDiff(serverFrame(protocol::presenceDiff(users({"bob"}), {}))));
    QCOMPARE(link.violations.size(), 1);
}

QTEST_GUILESS_MAIN(TestPresenceList)
#include "tst_presencelist.moc"
