#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QListWidget;
namespace lifeline {
class Messenger;
}

namespace lifeline::ui {

// Who is online, as the Messenger last heard from the server.
class PresencePanel : public QWidget
{
    Q_OBJECT
public:
    explicit PresencePanel(lifeline::Messenger *messenger, QWidget *parent = nullptr);
    ~PresencePanel() override;

    // The users the list shows, in order.
    QStringList shownUsers() const;
    QString title() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showUsers(const QStringList &users);
    void updateTitle();

    QPointer<lifeline::Messenger> m_messenger;
    QLabel *m_title;
    QListWidget *m_list;
    QLabel *m_placeholder;
};

} // namespace lifeline::ui
