#pragma once

#include <QPointer>
#include <QWidget>

class QFrame;
class QLabel;
class QListView;
class QMenu;
class QModelIndex;
class QToolButton;
namespace lifeline {
class ConnectionManager;
class Messenger;
} // namespace lifeline

namespace lifeline::ui {

class ComposerWidget;
class MessageListModel;

// One room: the message list, what is still waiting to go out, who is typing, gaps the server
// could not fill, and the composer. Everything shown comes from the Messenger's properties and
// signals; the panel decides nothing about the connection.
class ChatPanel : public QWidget
{
    Q_OBJECT
public:
    ChatPanel(lifeline::Messenger *messenger, lifeline::ConnectionManager *connection,
              const QString &room, QWidget *parent = nullptr);
    ~ChatPanel() override;

    QListView *view() const { return m_view; }
    QLabel *queueBadge() const { return m_queueBadge; }
    QLabel *typingLabel() const { return m_typingLabel; }
    // The text of the gap banner; the banner itself is its parent frame.
    QLabel *gapNotice() const { return m_gapText; }
    ComposerWidget *composer() const { return m_composer; }
    MessageListModel *model() const { return m_model; }

    // The context menu for a message (Retry for an own Failed one); nullptr when there is
    // nothing to offer. The caller owns the menu.
    QMenu *createContextMenu(const QModelIndex &index, QWidget *parent = nullptr);
    // Whether the gap banner is up (it hides when dismissed).
    bool isGapNoticeShown() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateQueueBadge(int pending);
    void updateTypingLine(const QString &room, const QStringList &users);
    void showGap(qint64 firstMissing, qint64 lastMissing);
    void updateGapText();
    void showContextMenu(const QPoint &position);

    QPointer<lifeline::Messenger> m_messenger;
    QString m_room;
    MessageListModel *m_model;
    QListView *m_view;
    QFrame *m_gapBanner;
    QLabel *m_gapText;
    QToolButton *m_dismissButton;
    // The messages the gap banner names; 0 before the first gap.
    qint64 m_gapFirst = 0;
    qint64 m_gapLast = 0;
    QLabel *m_queueBadge;
    QLabel *m_typingLabel;
    ComposerWidget *m_composer;
    // Whether the user is at the newest message: only then does the view follow new ones.
    bool m_followBottom = true;
};

} // namespace lifeline::ui
