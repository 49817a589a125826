#pragma once

#include <QColor>

class QPainter;
class QRectF;
class QString;

namespace lifeline::ui {

// The window's icons: SVG files from resources/icons, compiled in under :/icons.
//
// Rendered pixmaps are kept in QPixmapCache, so a list with thousands of delivery marks parses
// each file once per size rather than once per row.
class SvgIcon
{
public:
    // ":/icons/<name>.svg"
    static QString path(const QString &name);
    // Draws the icon scaled into rect at the painter's device pixel ratio. A valid tint paints
    // every opaque pixel in that colour: one-colour marks follow the palette (dark themes too).
    static void paint(QPainter *painter, const QRectF &rect, const QString &name,
                      const QColor &tint = QColor());
};

} // namespace lifeline::ui
