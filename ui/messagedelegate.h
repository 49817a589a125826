#pragma once

#include <lifeline/enums.h>

#include <QFont>
#include <QHash>
#include <QStyledItemDelegate>

class QPainter;

namespace lifeline::ui {

// Paints one chat message as a bubble: others' on the left under their name and time, the
// user's own on the right with the time and a delivery mark whose shape says the state (clock,
// one tick, two ticks, exclamation in a circle), so colour is never the only cue.
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The name of the mark's SVG in resources/icons (see SvgIcon).
    static QString iconFor(lifeline::DeliveryState state);
    // Draws the mark for `state` inside `rect` (a square); public so that legends can reuse it.
    static void paintDeliveryMark(QPainter *painter, const QRectF &rect,
                                  lifeline::DeliveryState state, const QColor &ink);

private:
    struct Layout;
    struct CachedSize
    {
        QSize size;
        bool own = false;
    };
    Layout layoutFor(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    // QListView lays out every row again on each insert; measuring wrapped text for 100,000
    // rows each time would stall the window, so sizes are kept per message id for one width
    // and font (a message's text never changes).
    mutable QHash<QString, CachedSize> m_sizeCache;
    mutable int m_cacheWidth = -1;
    mutable QFont m_cacheFont;
};

} // namespace lifeline::ui
