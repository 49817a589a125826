// ChatPanel against a real lifeline-server: the queue badge and the delivery marks while the
// network is cut and restored, the typing line, the gap banner, and Retry for a refused message.
#include "chatclient.h"
#include "chatpanel.h"
#include "clientserverfixture.h"
#include "composerwidget.h"
#include "faultproxy.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "presencepanel.h"
#include "svgicon.h"
#include "testsetup.h"

#include <lifeline/messenger.h>

#include <QAction>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPainter>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTest>
#include <QToolButton>

using lifeline::testkit::ChatClient;
using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {

using testkit::Soon;

const QString Room = QStringLiteral("lobby");

} // namespace

class TestChatPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void badgeAndMarksFollowTheNetwork();
    void typingLineNamesWhoTypes();
    void gapNoticeAppearsAndDismisses();
    void failedMessageOffersRetry();
    void viewFollowsNewMessagesOnlyAtTheBottom();
    // PresencePanel and MessageDelegate have no test file of their own yet; they are checked
    // here, inside the panel they serve.
    void presencePanelFollowsWhoIsOnline();
    void delegateSizesFollowTextAndWidth();

private:
    // Each test starts the server with its own arguments, and the proxy in front of it.
    bool startServer(const QStringList &arguments = {});
    QString dir(const QString &name) const { return m_fixture.filePath(name); }

    testkit::ClientServerFixture m_fixture;
};

namespace {

DeliveryState stateOf(const MessageListModel *model, const QString &id)
{
    return model->index(model->rowOf(id), 0)
        .data(int(MessageListModel::Role::DeliveryState))
        .value<DeliveryState>();
}

} // namespace

void TestChatPanel::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
}

void TestChatPanel::init()
{
    QVERIFY(m_fixture.start(testkit::ClientServerFixture::Layer::Directory));
}

void TestChatPanel::cleanup()
{
    m_fixture.stop();
}

bool TestChatPanel::startServer(const QStringList &arguments)
{
    return m_fixture.startServer(arguments) && m_fixture.startProxy();
}

void TestChatPanel::badgeAndMarksFollowTheNetwork()
{
    QVERIFY(startServer());
    ChatClient alice(QStringLiteral("alice"), m_fixture.proxyUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    ChatPanel panel(&alice.messenger, &alice.connection, Room);
    panel.show();
    MessageListModel *model = panel.model();
    QVERIFY(panel.queueBadge()->isHidden());

    // Every state each message showed, in order.
    QHash<QString, QList<DeliveryState>> seen;
    const auto record = [&](int row) {
        const QModelIndex index = model->index(row, 0);
        QList<DeliveryState> &states = seen[index.data(int(MessageListModel::Role::Id)).toString()];
        const auto state
            = index.data(int(MessageListModel::Role::DeliveryState)).value<DeliveryState>();
        if (states.isEmpty() || states.last() != state)
            states.append(state);
    };
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row)
                    record(row);
            });
    connect(model, &QAbstractItemModel::dataChanged, this,
            [&](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
                    record(row);
            });

    // The network is cut: connections are refused and the open one is reset.
    QSignalSpy reconnecting(&alice.connection, &ConnectionManager::reconnecting);
    m_fixture.proxy()->refuse();
    m_fixture.proxy()->resetAll();
    QVERIFY(reconnecting.wait(Soon));
    QStringList ids;
    for (const QString &text :
         {QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")}) {
        panel.composer()->editor()->setPlainText(text);
        QTest::keyClick(panel.composer()->editor(), Qt::Key_Return);
        ids.append(model->index(model->rowCount() - 1, 0)
                       .data(int(MessageListModel::Role::Id))
                       .toString());
    }
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(!panel.queueBadge()->isHidden());
    // Without an English numerus translation loaded, the source text is what shows.
    QCOMPARE(panel.queueBadge()->text(),
             QCoreApplication::translate("lifeline::ui::ChatPanel", "%n message(s) waiting to send",
                                         nullptr, 3));
    QVERIFY(panel.queueBadge()->text().startsWith(QStringLiteral("3 message")));
    for (const QString &id : std::as_const(ids))
        QCOMPARE(stateOf(model, id), DeliveryState::Queued);

    // The network is back: each goes out and is acknowledged, in its own row.
    QVERIFY(m_fixture.proxy()->accept());
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.pendingCount(), 0, Soon);
    QVERIFY(panel.queueBadge()->isHidden());
    const auto checkStates = [&](const QString &id) {
        const QList<DeliveryState> &states = seen.value(id);
        QVERIFY(!states.isEmpty());
        QCOMPARE(states.first(), DeliveryState::Queued);
        QCOMPARE(states.last(), DeliveryState::Delivered);
        QVERIFY(states.contains(DeliveryState::Sent));
        QVERIFY(states.indexOf(DeliveryState::Sent) < states.indexOf(DeliveryState::Delivered));
        QVERIFY(!states.contains(DeliveryState::Failed));
        QCOMPARE(model->index(model->rowOf(id), 0).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Delivered"));
    };
    for (const QString &id : std::as_const(ids))
        checkStates(id);
    for (const QString &id : std::as_const(ids))
        QCOMPARE(seen.value(id),
                 (QList<DeliveryState> {DeliveryState::Queued, DeliveryState::Sent,
                                        DeliveryState::Delivered}));

    // A black hole on the live link: written to it, never acknowledged, until it clears.
    m_fixture.proxy()->setBlackHole(true);
    const QString lost = alice.messenger.sendMessage(Room, QStringLiteral("four"));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, lost), DeliveryState::Sent, Soon);
    QVERIFY(!panel.queueBadge()->isHidden());
    QCOMPARE(panel.queueBadge()->text(),
             QCoreApplication::translate("lifeline::ui::ChatPanel", "%n message(s) waiting to send",
                                         nullptr, 1));
    m_fixture.proxy()->setBlackHole(false);
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.pendingCount(), 0, Soon);
    QVERIFY(panel.queueBadge()->isHidden());
    checkStates(lost);
    QCOMPARE(model->rowOf(lost), 3);
    QCOMPARE(model->rowCount(), 4);
}

void TestChatPanel::typingLineNamesWhoTypes()
{
    QVERIFY(startServer());
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), m_fixture.serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    ChatPanel panel(&alice.messenger, &alice.connection, Room);
    panel.show();
    QVERIFY(panel.typingLabel()->isHidden());
    bob.messenger.setTyping(Room, true);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.typingLabel()->isHidden(), Soon);
    QCOMPARE(panel.typingLabel()->text(), QStringLiteral("bob is typing…"));

    ChatClient carol(QStringLiteral("carol"), m_fixture.serverUrl(), dir(QStringLiteral("carol")));
    QVERIFY(carol.waitConnected());
    carol.messenger.setTyping(Room, true);
    QTRY_COMPARE_WITH_TIMEOUT(panel.typingLabel()->text(),
                              QStringLiteral("bob and carol are typing…"), Soon);

    bob.messenger.setTyping(Room, false);
    carol.messenger.setTyping(Room, false);
    QTRY_VERIFY_WITH_TIMEOUT(panel.typingLabel()->isHidden(), Soon);
}

void TestChatPanel::gapNoticeAppearsAndDismisses()
{
    QVERIFY(startServer({QStringLiteral("--retain"), QStringLiteral("5")}));
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), m_fixture.serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    ChatPanel panel(&bob.messenger, &bob.connection, Room);
    panel.show();
    alice.messenger.sendMessage(Room, QStringLiteral("seen"));
    QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 1, Soon);
    const qint64 seen
        = panel.model()->index(0, 0).data(int(MessageListModel::Role::Seq)).toLongLong();
    QVERIFY(!panel.isGapNoticeShown());

    bob.connection.disconnectFromServer();
    for (int i = 0; i < 20; ++i)
        alice.messenger.sendMessage(Room, QStringLiteral("while away %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.pendingCount(), 0, Soon);
    QSignalSpy caughtUp(&bob.messenger, &Messenger::caughtUp);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("no longer keeps messages")));
    bob.connection.connectToServer();
    QVERIFY(caughtUp.wait(Soon));
    QTRY_VERIFY_WITH_TIMEOUT(panel.isGapNoticeShown(), Soon);
    QCOMPARE(panel.gapNotice()->text(),
             QStringLiteral("Messages %1 to %2 are no longer on the server and cannot be shown.")
                 .arg(seen + 1)
                 .arg(seen + 15));
    QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 6, Soon);

    auto *dismiss = panel.gapNotice()->parentWidget()->findChild<QToolButton *>();
    QVERIFY(dismiss);
    QTest::mouseClick(dismiss, Qt::LeftButton);
    QVERIFY(!panel.isGapNoticeShown());
}

void TestChatPanel::failedMessageOffersRetry()
{
    QVERIFY(startServer({QStringLiteral("--max-text-bytes"), QStringLiteral("10")}));
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    ChatPanel panel(&alice.messenger, &alice.connection, Room);
    panel.show();
    const QString ok = alice.messenger.sendMessage(Room, QStringLiteral("short"));
    const QString refused
        = alice.messenger.sendMessage(Room, QStringLiteral("longer than ten bytes"));
    MessageListModel *model = panel.model();
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("refused a message for good")));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, refused), DeliveryState::Failed, Soon);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, ok), DeliveryState::Delivered, Soon);

    const QModelIndex failedIndex = model->index(model->rowOf(refused), 0);
    const QString tip = failedIndex.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.startsWith(QStringLiteral("Not delivered: ")), qPrintable(tip));
    QVERIFY2(tip.endsWith(QStringLiteral(" — right-click to retry")), qPrintable(tip));

    std::unique_ptr<QMenu> none(panel.createContextMenu(model->index(model->rowOf(ok), 0)));
    QVERIFY(!none);
    std::unique_ptr<QMenu> menu(panel.createContextMenu(failedIndex));
    QVERIFY(menu);
    QCOMPARE(menu->actions().size(), 1);
    QAction *retry = menu->actions().first();
    QCOMPARE(retry->text(), QStringLiteral("Retry"));

    QSignalSpy states(&alice.messenger, &Messenger::deliveryStateChanged);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("refused a message for good")));
    retry->trigger();
    QVERIFY(!states.isEmpty());
    QCOMPARE(states.first().at(0).toString(), refused);
    QCOMPARE(states.first().at(1).value<DeliveryState>(), DeliveryState::Queued);
    // Still too long for this server: it fails again, in the same row.
    const int row = model->rowOf(refused);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, refused), DeliveryState::Failed, Soon);
    QCOMPARE(model->rowOf(refused), row);
}

void TestChatPanel::viewFollowsNewMessagesOnlyAtTheBottom()
{
    QVERIFY(startServer({QStringLiteral("--rate"), QStringLiteral("0")}));
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    ChatClient bob(QStringLiteral("bob"), m_fixture.serverUrl(), dir(QStringLiteral("bob")));
    QVERIFY(alice.waitConnected() && bob.waitConnected());
    ChatPanel panel(&alice.messenger, &alice.connection, Room);
    panel.resize(400, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QListView *view = panel.view();
    const auto lastRowVisible = [view] {
        const int last = view->model()->rowCount() - 1;
        return last >= 0
            && view->viewport()->rect().intersects(view->visualRect(view->model()->index(last, 0)));
    };
    for (int i = 0; i < 200; ++i)
        bob.messenger.sendMessage(Room, QStringLiteral("first %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 200, Soon);
    QTRY_VERIFY_WITH_TIMEOUT(lastRowVisible(), Soon);
    QVERIFY(view->verticalScrollBar()->value() > 0);

    // Scrolled up to read: new messages do not pull the view away.
    view->verticalScrollBar()->setValue(0);
    for (int i = 0; i < 50; ++i)
        bob.messenger.sendMessage(Room, QStringLiteral("second %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 250, Soon);
    QTRY_VERIFY_WITH_TIMEOUT(view->verticalScrollBar()->maximum() > 0, Soon);
    QCOMPARE(view->verticalScrollBar()->value(), 0);
}

void TestChatPanel::presencePanelFollowsWhoIsOnline()
{
    QVERIFY(startServer());
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")),
                     false);
    PresencePanel presence(&alice.messenger);
    presence.show();
    QCOMPARE(presence.shownUsers(), QStringList());
    QCOMPARE(presence.title(), QStringLiteral("Online (0)"));
    const auto placeholderShown = [&presence] {
        const QList<QLabel *> labels = presence.findChildren<QLabel *>();
        return std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *label) {
            return !label->isHidden() && label->text() == QStringLiteral("Nobody — offline");
        });
    };
    QVERIFY(placeholderShown());

    alice.connection.connectToServer();
    QVERIFY(alice.waitConnected());
    QTRY_COMPARE_WITH_TIMEOUT(presence.shownUsers(), QStringList {QStringLiteral("alice")}, Soon);
    QVERIFY(!placeholderShown());
    {
        ChatClient bob(QStringLiteral("bob"), m_fixture.serverUrl(), dir(QStringLiteral("bob")));
        QVERIFY(bob.waitConnected());
        QTRY_COMPARE_WITH_TIMEOUT(presence.shownUsers(),
                                  (QStringList {QStringLiteral("alice"), QStringLiteral("bob")}),
                                  Soon);
        QCOMPARE(presence.title(), QStringLiteral("Online (2)"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(presence.shownUsers(), QStringList {QStringLiteral("alice")}, Soon);
    alice.connection.disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(presence.shownUsers(), QStringList(), Soon);
    QCOMPARE(presence.title(), QStringLiteral("Online (0)"));
    QVERIFY(placeholderShown());
}

void TestChatPanel::delegateSizesFollowTextAndWidth()
{
    QVERIFY(startServer());
    ChatClient alice(QStringLiteral("alice"), m_fixture.serverUrl(), dir(QStringLiteral("alice")));
    QVERIFY(alice.waitConnected());
    ChatPanel panel(&alice.messenger, &alice.connection, Room);
    panel.resize(400, 600);
    panel.show();
    const QString shortId = alice.messenger.sendMessage(Room, QStringLiteral("hi"));
    const QString longId
        = alice.messenger.sendMessage(Room, QStringLiteral("word ").repeated(200).trimmed());
    const QString tallId = alice.messenger.sendMessage(Room, QStringLiteral("a\nb\nc\nd"));
    QTRY_COMPARE_WITH_TIMEOUT(alice.messenger.pendingCount(), 0, Soon);
    MessageListModel *model = panel.model();
    QAbstractItemDelegate *delegate = panel.view()->itemDelegate();
    QVERIFY(qobject_cast<MessageDelegate *>(delegate));
    QStyleOptionViewItem option;
    option.initFrom(panel.view());
    option.widget = panel.view();
    const auto hint = [&](const QString &id) {
        return delegate->sizeHint(option, model->index(model->rowOf(id), 0));
    };
    const QSize shortHint = hint(shortId);
    const QSize longHint = hint(longId);
    QVERIFY2(longHint.height() > 3 * shortHint.height(),
             qPrintable(QStringLiteral("%1 vs %2").arg(longHint.height()).arg(shortHint.height())));
    QVERIFY(hint(tallId).height() > shortHint.height());
    QVERIFY(longHint.width() <= panel.view()->viewport()->width());

    // Wrapping: a wider view needs fewer lines for the same text.
    panel.resize(900, 600);
    QTRY_VERIFY_WITH_TIMEOUT(panel.view()->viewport()->width() > 600, Soon);
    QVERIFY(hint(longId).height() < longHint.height());

    // Every mark is an SVG from resources/icons, stays inside its square, and has a shape of its
    // own. Clock and ticks take the ink they are given; the failed mark is red whatever the ink.
    const QColor ink(0x20, 0x40, 0x60);
    QList<QImage> marks;
    for (const DeliveryState state : {DeliveryState::Queued, DeliveryState::Sent,
                                      DeliveryState::Delivered, DeliveryState::Failed}) {
        QVERIFY(QSvgRenderer(SvgIcon::path(MessageDelegate::iconFor(state))).isValid());
        QImage image(32, 32, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        MessageDelegate::paintDeliveryMark(&painter, QRectF(8, 8, 16, 16), state, ink);
        painter.end();
        int inked = 0;
        int red = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor pixel = image.pixelColor(x, y);
                if (pixel.alpha() == 0)
                    continue;
                QVERIFY2(QRect(8, 8, 16, 16).contains(x, y),
                         qPrintable(QString::number(int(state))));
                // Antialiased edges are partly transparent; their colour is the same.
                if (pixel.alpha() < 128)
                    continue;
                const auto near = [](int a, int b) { return qAbs(a - b) <= 4; };
                if (near(pixel.red(), ink.red()) && near(pixel.green(), ink.green())
                    && near(pixel.blue(), ink.blue()))
                    ++inked;
                if (pixel.red() > 150 && pixel.green() < 80)
                    ++red;
            }
        }
        if (state == DeliveryState::Failed) {
            QVERIFY(red > 50);
            QCOMPARE(inked, 0);
        } else {
            QVERIFY2(inked > 10, qPrintable(QString::number(inked)));
            QCOMPARE(red, 0);
        }
        QVERIFY(!marks.contains(image));
        marks.append(image);
    }
    QImage row(panel.view()->viewport()->width(), hint(longId).height(), QImage::Format_ARGB32);
    row.fill(Qt::white);
    QPainter painter(&row);
    option.rect = row.rect();
    delegate->paint(&painter, option, model->index(model->rowOf(longId), 0));
}

QTEST_MAIN(TestChatPanel)
#include "tst_chatpanel.moc"
