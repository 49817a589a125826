#include "chatpanel.h"

#include "composerwidget.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QAction>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QScrollBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace lifeline::ui {

using lifeline::ConnectionManager;
using lifeline::DeliveryState;
using lifeline::Messenger;

ChatPanel::ChatPanel(Messenger *messenger, ConnectionManager *connection, const QString &room,
                     QWidget *parent)
    : QWidget(parent)
    , m_messenger(messenger)
    , m_room(room)
    , m_model(new MessageListModel(messenger, room, this))
    , m_view(new QListView(this))
    , m_gapBanner(new QFrame(this))
    , m_gapText(new QLabel(m_gapBanner))
    , m_dismissButton(new QToolButton(m_gapBanner))
    , m_queueBadge(new QLabel(this))
    , m_typingLabel(new QLabel(this))
    , m_composer(new ComposerWidget(messenger, connection, room, this))
{
    if (connection) {
        m_model->setOwnUser(connection->loggedInUser());
        connect(connection, &ConnectionManager::loggedInUserChanged, m_model,
                [this](const QString &uid) {
                    if (!uid.isEmpty())
                        m_model->setOwnUser(uid);
                });
    }

    m_view->setModel(m_model);
    m_view->setItemDelegate(new MessageDelegate(m_view));
    m_view->setUniformItemSizes(false);
    m_view->setWordWrap(true);
    m_view->setResizeMode(QListView::Adjust);
    // Laying out 100,000 rows of different heights at once would freeze the window.
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(500);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QListView::customContextMenuRequested, this, &ChatPanel::showContextMenu);

    // The banner has an icon and words; its frame is only decoration.
    m_gapBanner->setFrameShape(QFrame::StyledPanel);
    auto *icon = new QLabel(m_gapBanner);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize));
    m_gapText->setWordWrap(true);
    connect(m_dismissButton, &QToolButton::clicked, m_gapBanner, &QWidget::hide);
    auto *bannerLayout = new QHBoxLayout(m_gapBanner);
    bannerLayout->addWidget(icon, 0, Qt::AlignTop);
    bannerLayout->addWidget(m_gapText, 1);
    bannerLayout->addWidget(m_dismissButton, 0, Qt::AlignTop);
    m_gapBanner->hide();

    m_queueBadge->hide();
    m_typingLabel->hide();
    QFont italic = m_typingLabel->font();
    italic.setItalic(true);
    m_typingLabel->setFont(italic);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_gapBanner);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_typingLabel);
    layout->addWidget(m_queueBadge);
    layout->addWidget(m_composer);

    // Stick to the bottom while the user is there. The range grows in steps after each insert
    // (the view lays rows out in batches), so following the range, not the inserts, keeps it.
    QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_followBottom)
            bar->setValue(maximum);
    });
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_followBottom = value >= bar->maximum(); });

    if (m_messenger) {
        connect(m_messenger, &Messenger::pendingCountChanged, this, &ChatPanel::updateQueueBadge);
        connect(m_messenger, &Messenger::typingChanged, this, &ChatPanel::updateTypingLine);
        connect(m_messenger, &Messenger::catchUpGap, this, &ChatPanel::showGap);
    }
    retranslateUi();
    m_view->scrollToBottom();
}

ChatPanel::~ChatPanel() = default;

void ChatPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        m_model->retranslate();
    }
    QWidget::changeEvent(event);
}

void ChatPanel::retranslateUi()
{
    m_dismissButton->setText(tr("Dismiss"));
    m_dismissButton->setToolTip(tr("Hide this notice"));
    updateGapText();
    if (m_messenger) {
        updateQueueBadge(m_messenger->pendingCount());
        updateTypingLine(m_room, m_messenger->typingUsers(m_room));
    }
}

bool ChatPanel::isGapNoticeShown() const
{
    return !m_gapBanner->isHidden();
}

QMenu *ChatPanel::createContextMenu(const QModelIndex &index, QWidget *parent)
{
    using Role = MessageListModel::Role;
    if (!index.isValid() || !m_messenger || !index.data(int(Role::IsOwn)).toBool()
        || index.data(int(Role::DeliveryState)).value<DeliveryState>() != DeliveryState::Failed)
        return nullptr;
    auto *menu = new QMenu(parent);
    QAction *retry = menu->addAction(tr("Retry"));
    retry->setToolTip(tr("Send this message again"));
    const QString id = index.data(int(Role::Id)).toString();
    connect(retry, &QAction::triggered, this, [this, id] {
        if (m_messenger)
            m_messenger->retryMessage(id);
    });
    return menu;
}

void ChatPanel::updateQueueBadge(int pending)
{
    m_queueBadge->setText(tr("%n message(s) waiting to send", nullptr, pending));
    m_queueBadge->setVisible(pending > 0);
}

void ChatPanel::updateTypingLine(const QString &room, const QStringList &users)
{
    if (room != m_room)
        return;
    switch (users.size()) {
    case 0:
        m_typingLabel->clear();
        break;
    case 1:
        m_typingLabel->setText(tr("%1 is typing…").arg(users.at(0)));
        break;
    case 2:
        m_typingLabel->setText(tr("%1 and %2 are typing…").arg(users.at(0), users.at(1)));
        break;
    default:
        m_typingLabel->setText(tr("%n people are typing…", nullptr, int(users.size())));
        break;
    }
    m_typingLabel->setVisible(!users.isEmpty());
}

void ChatPanel::showGap(qint64 firstMissing, qint64 lastMissing)
{
    m_gapFirst = firstMissing;
    m_gapLast = lastMissing;
    updateGapText();
    m_gapBanner->show();
}

void ChatPanel::updateGapText()
{
    if (m_gapFirst == 0 && m_gapLast == 0)
        return;
    m_gapText->setText(tr("Messages %1 to %2 are no longer on the server and cannot be shown.")
                           .arg(m_gapFirst)
                           .arg(m_gapLast));
}

void ChatPanel::showContextMenu(const QPoint &position)
{
    QMenu *menu = createContextMenu(m_view->indexAt(position), this);
    if (!menu)
        return;
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_view->viewport()->mapToGlobal(position));
}

} // namespace lifeline::ui
