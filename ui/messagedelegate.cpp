#include "messagedelegate.h"

#include "messagelistmodel.h"
#include "svgicon.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QPainter>

namespace lifeline::ui {

using lifeline::DeliveryState;

namespace {
constexpr int Margin = 4;
constexpr int Padding = 8;
constexpr int Radius = 8;
constexpr int MarkGap = 4;
// Bubbles stay narrower than the view so that the side says whose message it is.
constexpr qreal MaxBubbleShare = 0.75;
} // namespace

// Everything paint() draws, measured once by the same code that sizeHint() uses.
struct MessageDelegate::Layout
{
    bool own = false;
    QRect bubble;
    QRect header; // sender and time, others' messages only
    QRect text;
    QRect footer; // time and delivery mark, own messages only
    QString headerText;
    QString timeText;
    QSize size;
};

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

MessageDelegate::~MessageDelegate() = default;

MessageDelegate::Layout MessageDelegate::layoutFor(const QStyleOptionViewItem &option,
                                                   const QModelIndex &index) const
{
    using Role = MessageListModel::Role;
    Layout layout;
    layout.own = index.data(int(Role::IsOwn)).toBool();
    const QString text = index.data(int(Role::Text)).toString();
    layout.timeText = QLocale().toString(
        index.data(int(Role::SentAt)).toDateTime().toLocalTime().time(), QStringLiteral("HH:mm"));

    // The view's viewport, not option.rect: QListView asks for size hints with an empty rect.
    int available = option.rect.width();
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        available = view->viewport()->width();
    available = qMax(available, 120);
    const int maxText = qMax(60, int(available * MaxBubbleShare) - 2 * Padding);

    const QFontMetrics metrics(option.font);
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const QRect textBounds = metrics.boundingRect(QRect(0, 0, maxText, 1 << 20),
                                                  Qt::TextWordWrap | Qt::AlignLeft, text);
    int contentWidth = textBounds.width();
    int headerHeight = 0;
    int footerHeight = 0;
    if (layout.own) {
        footerHeight = metrics.height();
        contentWidth = qMax(contentWidth,
                            metrics.horizontalAdvance(layout.timeText) + MarkGap + footerHeight);
    } else {
        layout.headerText = index.data(int(Role::Sender)).toString();
        headerHeight = boldMetrics.height();
        contentWidth = qMax(contentWidth,
                            boldMetrics.horizontalAdvance(layout.headerText) + 2 * MarkGap
                                + metrics.horizontalAdvance(layout.timeText));
    }
    contentWidth = qMin(contentWidth, maxText);

    const int bubbleWidth = contentWidth + 2 * Padding;
    const int bubbleHeight = headerHeight + textBounds.height() + footerHeight + 2 * Padding;
    layout.size = QSize(available, bubbleHeight + 2 * Margin);

    const QRect cell = option.rect.isValid() ? option.rect : QRect(QPoint(0, 0), layout.size);
    const int left = layout.own ? cell.right() - Margin - bubbleWidth + 1 : cell.left() + Margin;
    layout.bubble = QRect(left, cell.top() + Margin, bubbleWidth, bubbleHeight);
    const QRect content = layout.bubble.adjusted(Padding, Padding, -Padding, -Padding);
    layout.header = QRect(content.topLeft(), QSize(content.width(), headerHeight));
    layout.text
        = QRect(content.left(), layout.header.bottom() + 1, content.width(), textBounds.height());
    layout.footer = QRect(content.left(), layout.text.bottom() + 1, content.width(), footerHeight);
    return layout;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using Role = MessageListModel::Role;
    const auto *view = qobject_cast<const QAbstractItemView *>(option.widget);
    const int width = view ? view->viewport()->width() : option.rect.width();
    if (width != m_cacheWidth || option.font != m_cacheFont) {
        m_sizeCache.clear();
        m_cacheWidth = width;
        m_cacheFont = option.font;
    }
    const QString id = index.data(int(Role::Id)).toString();
    const bool own = index.data(int(Role::IsOwn)).toBool();
    const auto cached = m_sizeCache.constFind(id);
    if (cached != m_sizeCache.cend() && cached->own == own && !id.isEmpty())
        return cached->size;

    // Only the font matters for the size; initStyleOption() would ask the model for much more.
    QStyleOptionViewItem measured = option;
    measured.rect = QRect();
    const QSize size = layoutFor(measured, index).size;
    if (!id.isEmpty())
        m_sizeCache.insert(id, {size, own});
    return size;
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Layout layout = layoutFor(opt, index);
    const QPalette &palette = opt.palette;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (opt.state & QStyle::State_Selected)
        painter->fillRect(opt.rect, palette.color(QPalette::Highlight).lighter(170));

    const QColor fill
        = layout.own ? palette.color(QPalette::AlternateBase) : palette.color(QPalette::Base);
    painter->setPen(QPen(palette.color(QPalette::Mid), 1));
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(layout.bubble).adjusted(0.5, 0.5, -0.5, -0.5), Radius, Radius);

    const QColor ink = palette.color(QPalette::Text);
    const QColor faint = palette.color(QPalette::PlaceholderText);
    if (!layout.own) {
        QFont bold = opt.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(ink);
        painter->drawText(layout.header, Qt::AlignLeft | Qt::AlignVCenter, layout.headerText);
        painter->setFont(opt.font);
        painter->setPen(faint);
        painter->drawText(layout.header, Qt::AlignRight | Qt::AlignVCenter, layout.timeText);
    }

    painter->setFont(opt.font);
    painter->setPen(ink);
    painter->drawText(layout.text, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop,
                      index.data(int(MessageListModel::Role::Text)).toString());

    if (layout.own) {
        const int side = layout.footer.height();
        const QRect mark(layout.footer.right() - side + 1, layout.footer.top(), side, side);
        painter->setPen(faint);
        painter->drawText(layout.footer.adjusted(0, 0, -(side + MarkGap), 0),
                          Qt::AlignRight | Qt::AlignVCenter, layout.timeText);
        const auto state = index.data(int(MessageListModel::Role::DeliveryState))
                               .value<lifeline::DeliveryState>();
        paintDeliveryMark(painter, QRectF(mark), state, faint);
    }
    painter->restore();
}

QString MessageDelegate::iconFor(DeliveryState state)
{
    switch (state) {
    case DeliveryState::Queued:
        return QStringLiteral("delivery-queued");
    case DeliveryState::Sent:
        return QStringLiteral("delivery-sent");
    case DeliveryState::Delivered:
        return QStringLiteral("delivery-delivered");
    case DeliveryState::Failed:
        return QStringLiteral("delivery-failed");
    }
    return {};
}

void MessageDelegate::paintDeliveryMark(QPainter *painter, const QRectF &rect, DeliveryState state,
                                        const QColor &ink)
{
    // Clock and ticks take the text's colour; the failed mark keeps its red, and its
    // exclamation mark says "failed" to those who cannot see red.
    SvgIcon::paint(painter, rect, iconFor(state), state == DeliveryState::Failed ? QColor() : ink);
}

} // namespace lifeline::ui
