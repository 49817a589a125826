// TypingStatus without a server: own typing through a fake link that records the frames, with
// short intervals (starts at most every 300 ms, a stop after 500 ms idle), and others' typing
// from frames the server's encoders write.
#include "fakemessagelink.h"
#include "typingstatus.h"

#include <QElapsedTimer>
#include <QTest>

using lifeline::testkit::FakeMessageLink;
using lifeline::testkit::serverFrame;
using namespace lifeline;

namespace {

constexpr TypingStatus::Timing Fast {300, 500};
const QString Room = QStringLiteral("lobby");

// The typing frames written, as "start" and "stop".
QStringList typingFrames(const FakeMessageLink &link)
{
    QStringList frames;
    for (const protocol::Frame &frame : link.sentFrames()) {
        if (frame.type() == protocol::type::Typing)
            frames.append(frame.boolean(QStringLiteral("typing")) ? QStringLiteral("start")
                                                                  : QStringLiteral("stop"));
    }
    return frames;
}

} // namespace

class TestTypingStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startGoesOutAtMostEveryRepeatInterval();
    void stopFollowsAfterTheIdleInterval();
    void explicitStopGoesOutOnce();
    void nothingGoesOutWhileDownOrThrottled();
    void othersTypingLeavesOutTheUserAndIsSorted();
    void lostLinkForgetsEverybody();
};

void TestTypingStatus::startGoesOutAtMostEveryRepeatInterval()
{
    FakeMessageLink link;
    TypingStatus typing(link, Fast);
    typing.linkUp();
    QElapsedTimer clock;
    clock.start();
    for (int keystroke = 0; keystroke < 5; ++keystroke)
        typing.setTyping(Room, true);
    QCOMPARE(typingFrames(link), QStringList {QStringLiteral("start")});
    // Keystrokes every 50 ms: the next start goes out once the repeat interval has passed.
    QTRY_COMPARE_WITH_TIMEOUT(
        [&] {
            typing.setTyping(Room, true);
            return typingFrames(link).size();
        }(),
        2, 5000);
    QVERIFY2(clock.elapsed() >= Fast.repeatMs,
             qPrintable(QStringLiteral("second start after %1 ms").arg(clock.elapsed())));
    QCOMPARE(typingFrames(link), (QStringList {QStringLiteral("start"), QStringLiteral("start")}));
}

void TestTypingStatus::stopFollowsAfterTheIdleInterval()
{
    FakeMessageLink link;
    TypingStatus typing(link, Fast);
    typing.linkUp();
    QElapsedTimer clock;
    clock.start();
    typing.setTyping(Room, true);
    QTRY_COMPARE_WITH_TIMEOUT(typingFrames(link).size(), 2, 5000);
    QCOMPARE(typingFrames(link).last(), QStringLiteral("stop"));
    QVERIFY2(clock.elapsed() >= Fast.idleMs,
             qPrintable(QStringLiteral("stopped after %1 ms").arg(clock.elapsed())));
}

void TestTypingStatus::explicitStopGoesOutOnce()
{
    FakeMessageLink link;
    TypingStatus typing(link, Fast);
    typing.linkUp();
    typing.setTyping(Room, true);
    typing.setTyping(Room, false);
    typing.setTyping(Room, false);
    QCOMPARE(typingFrames(link), (QStringList {QStringLiteral("start"), QStringLiteral("stop")}));
    // And no stop from the idle timer later.
    QTest::qWait(Fast.idleMs + 200);
    QCOMPARE(typingFrames(link).size(), 2);
}

void TestTypingStatus::nothingGoesOutWhileDownOrThrottled()
{
    FakeMessageLink link;
    TypingStatus typing(link, Fast);
    typing.setTyping(Room, true); // volatile: nothing is kept for when the link comes up
    typing.linkUp();
    QVERIFY(typingFrames(link).isEmpty());
    link.throttled = QStringList {QStringLiteral("typing")};
    typing.setTyping(Room, true);
    typing.setTyping(Room, false);
    QVERIFY(link.sent.isEmpty());
}

void TestTypingStatus::othersTypingLeavesOutTheUserAndIsSorted()
{
    FakeMessageLink link;
    TypingStatus typing(link, Fast);
    typing.setUser(QStringLiteral("alice"));
    const QStringList everybody
        = {QStringLiteral("carol"), QStringLiteral("alice"), QStringLiteral("bob")};
    QVERIFY(typing.apply(serverFrame(protocol::typists(Room, everybody))));
    QCOMPARE(typing.typists(Room), (QStringList {QStringLiteral("bob"), QStringLiteral("carol")}));
    QVERIFY(!typing.apply(serverFrame(protocol::typists(Room, everybody))));
    QVERIFY(typing.typists(QStringLiteral("elsewhere")).isEmpty());
    QVERIFY(typing.apply(serverFrame(protocol::typists(Room, {}))));
    QVERIFY(typing.typists(Room).isEmpty());
}

void TestTypingStatus::lostLinkForgetsEverybody()
{
    FakeMessageLink link;
    TypingStatus typing(link, Fast);
    typing.linkUp();
    typing.setTyping(Room, true);
    QVERIFY(typing.apply(serverFrame(protocol::typists(Room, {QStringLiteral("bob")}))));
    QCOMPARE(typing.linkDown(), QStringList {Room});
    QVERIFY(typing.typists(Room).isEmpty());
    // The own typing ended with the link: on the next one the first keystroke starts again.
    typing.linkUp();
    typing.setTyping(Room, true);
    QCOMPARE(typingFrames(link), (QStringList {QStringLiteral("start"), QStringLiteral("start")}));
}

QTEST_GUILESS_MAIN(TestTypingStatus)
#include "tst_typingstatus.moc"
