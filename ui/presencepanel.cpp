#include "presencepanel.h"

#include <lifeline/messenger.h>

#include <QEvent>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace lifeline::ui {

using lifeline::Messenger;

PresencePanel::PresencePanel(Messenger *messenger, QWidget *parent)
    : QWidget(parent)
    , m_messenger(messenger)
    , m_title(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_placeholder(new QLabel(this))
{
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_placeholder->setObjectName(QStringLiteral("presencePlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_placeholder, 1);

    if (m_messenger)
        connect(m_messenger, &Messenger::presenceChanged, this, &PresencePanel::showUsers);
    showUsers(m_messenger ? m_messenger->onlineUsers() : QStringList());
    retranslateUi();
}

PresencePanel::~PresencePanel() = default;

void PresencePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PresencePanel::retranslateUi()
{
    updateTitle();
    m_placeholder->setText(tr("Nobody — offline"));
}

QStringList PresencePanel::shownUsers() const
{
    QStringList users;
    users.reserve(m_list->count());
    for (int i = 0; i < m_list->count(); ++i)
        users.append(m_list->item(i)->text());
    return users;
}

QString PresencePanel::title() const
{
    return m_title->text();
}

void PresencePanel::showUsers(const QStringList &users)
{
    m_list->clear();
    m_list->addItems(users);
    updateTitle();
    m_list->setVisible(!users.isEmpty());
    m_placeholder->setVisible(users.isEmpty());
}

void PresencePanel::updateTitle()
{
    m_title->setText(tr("Online (%1)").arg(m_list->count()));
}

} // namespace lifeline::ui
