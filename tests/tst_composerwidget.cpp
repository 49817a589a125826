// ComposerWidget against a real lifeline-server: Enter and Shift+Enter, what the Send button
// offers in each connection state, and a refused message that stays in the editor.
#include "chatclient.h"
#include "clientserverfixture.h"
#include "composerwidget.h"
#include "faultproxy.h"
#include "testsetup.h"

#include <lifeline/messenger.h>

#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QPushButton>
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

class TestComposerWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void enterSends();
    void shiftEnterInsertsANewLine();
    void buttonFollowsSendAvailability();
    void refusedMessageStaysWithTheErrorInline_data();
    void refusedMessageStaysWithTheErrorInline();
    void typingIsReported();

private:
    QString dir(const QString &name) const { return m_fixture.filePath(name); }

    testkit::ClientServerFixture m_fixture;
};

void TestComposerWidget::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
}

void TestComposerWidget::init()
{
    QVERIFY(m_fixture.start(testkit::ClientServerFixture::Layer::Proxy));
}

void TestComposerWidget::cleanup()
{
    m_fixture.stop();
}

void TestComposerWidget::enterSends()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    ComposerWidget composer(&alice.messenger, &alice.connection, Room);
    composer.show();
    QSignalSpy queued(&alice.messenger, &Messenger::messageQueued);
    QTest::keyClicks(composer.editor(), QStringLiteral("hello"));
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().at(0).value<ChatMessage>().text, QStringLiteral("hello"));
    QCOMPARE(queued.first().at(0).value<ChatMessage>().room, Room);
    QVERIFY(composer.editor()->toPlainText().isEmpty());
    QVERIFY(composer.errorText().isEmpty());

    // The button does the same.
    QTest::keyClicks(composer.editor(), QStringLiteral("again"));
    QTest::mouseClick(composer.sendButton(), Qt::LeftButton);
    QCOMPARE(queued.size(), 2);
    QCOMPARE(queued.last().at(0).value<ChatMessage>().text, QStringLiteral("again"));
}

void TestComposerWidget::shiftEnterInsertsANewLine()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    ComposerWidget composer(&alice.messenger, &alice.connection, Room);
    composer.show();
    QSignalSpy queued(&alice.messenger, &Messenger::messageQueued);
    QTest::keyClicks(composer.editor(), QStringLiteral("one"));
    QTest::keyClick(composer.editor(), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(composer.editor(), QStringLiteral("two"));
    QCOMPARE(queued.size(), 0); // sendMessage() queues synchronously: nothing went out
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("one\ntwo"));
    QTest::keyClick(composer.editor(), Qt::Key_Enter); // the keypad's Enter sends too
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().at(0).value<ChatMessage>().text, QStringLiteral("one\ntwo"));
}

void TestComposerWidget::buttonFollowsSendAvailability()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.proxyUrl(), dir(QStringLiteral("alice")),
                     false);
    ComposerWidget composer(&alice.messenger, &alice.connection, Room);
    composer.show();
    QPushButton *button = composer.sendButton();

    // Manual mode, not connected.
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::Unavailable);
    QVERIFY(!button->isEnabled());
    QCOMPARE(button->toolTip(), QStringLiteral("Offline — connect first"));
    QSignalSpy queued(&alice.messenger, &Messenger::messageQueued);
    QTest::keyClicks(composer.editor(), QStringLiteral("not yet"));
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    QCOMPARE(queued.size(), 0);
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("not yet"));
    QVERIFY(composer.errorText().isEmpty());

    // Connecting through a black hole: the link never comes up, messages can only queue.
    m_fixture.proxy()->setBlackHole(true);
    alice.connection.connectToServer();
    QCOMPARE(alice.messenger.sendAvailability(), SendAvailability::QueueOnly);
    QVERIFY(button->isEnabled());
    QCOMPARE(button->text(), QStringLiteral("Queue"));
    QCOMPARE(button->toolTip(), QStringLiteral("Goes out as soon as the connection is back"));
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    QCOMPARE(queued.size(), 1);
    QVERIFY(composer.editor()->toPlainText().isEmpty());

    m_fixture.proxy()->setBlackHole(false);
    QVERIFY(alice.waitConnected());
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.pendingCount(), 0, Soon);
    QVERIFY(button->isEnabled());
    QCOMPARE(button->text(), QStringLiteral("Send"));

    alice.connection.disconnectFromServer();
    QVERIFY(!button->isEnabled());
    QCOMPARE(button->toolTip(), QStringLiteral("Offline — connect first"));

    alice.connection.logout();
    QVERIFY(!button->isEnabled());
    QCOMPARE(button->toolTip(), QStringLiteral("Log in first"));
}

void TestComposerWidget::refusedMessageStaysWithTheErrorInline_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << QStringLiteral("   ");
}

void TestComposerWidget::refusedMessageStaysWithTheErrorInline()
{
    QFETCH(QString, text);
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    ComposerWidget composer(&alice.messenger, &alice.connection, Room);
    composer.show();
    QSignalSpy queued(&alice.messenger, &Messenger::messageQueued);
    QTest::keyClicks(composer.editor(), text);
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    QCOMPARE(queued.size(), 0);
    QVERIFY2(composer.errorText().startsWith(QStringLiteral("ERR_INVALID_ARGUMENT: ")),
             qPrintable(composer.errorText()));
    QCOMPARE(composer.editor()->toPlainText(), text);

    // A later successful send clears the error.
    composer.editor()->setPlainText(QStringLiteral("fine"));
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    QCOMPARE(queued.size(), 1);
    QVERIFY(composer.errorText().isEmpty());
}

void TestComposerWidget::typingIsReported()
{
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), m_fixture.serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    ComposerWidget composer(&alice.messenger, &alice.connection, Room);
    composer.show();
    QSignalSpy typing(&bob.messenger, &Messenger::typingChanged);
    QTest::keyClicks(composer.editor(), QStringLiteral("hi"));
    QVERIFY(typing.wait(Soon));
    QCOMPARE(typing.last().at(1).toStringList(), QStringList {QStringLiteral("alice")});
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    QVERIFY(typing.wait(Soon));
    QCOMPARE(typing.last().at(1).toStringList(), QStringList());
}

QTEST_MAIN(TestComposerWidget)
#include "tst_composerwidget.moc"
