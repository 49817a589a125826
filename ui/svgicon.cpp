#include "svgicon.h"

#include "loggingcategories_p.h"

#include <QPainter>
#include <QPixmap>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace lifeline::ui {

QString SvgIcon::path(const QString &name)
{
    return QStringLiteral(":/icons/%1.svg").arg(name);
}

void SvgIcon::paint(QPainter *painter, const QRectF &rect, const QString &name, const QColor &tint)
{
    const qreal ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    const QSize pixels = (rect.size() * ratio).toSize();
    if (pixels.isEmpty())
        return;
    const QString key = QStringLiteral("lifeline-icon:%1:%2x%3:%4")
                            .arg(name)
                            .arg(pixels.width())
                            .arg(pixels.height())
                            .arg(tint.isValid() ? tint.name(QColor::HexArgb) : QString());
    QPixmap pixmap;
    if (!QPixmapCache::find(key, &pixmap)) {
        QSvgRenderer renderer(path(name));
        if (!renderer.isValid()) {
            // Only a build that lost its resources gets here; an empty square beats a crash.
            qCWarning(lcUi, "icon %s is missing or not valid SVG", qUtf8Printable(path(name)));
            return;
        }
        pixmap = QPixmap(pixels);
        pixmap.fill(Qt::transparent);
        QPainter iconPainter(&pixmap);
        iconPainter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&iconPainter, QRectF(QPointF(0, 0), QSizeF(pixels)));
        if (tint.isValid()) {
            // Keeps the icon's alpha, replaces its colour.
            iconPainter.setCompositionMode(QPainter::CompositionMode_SourceIn);
            iconPainter.fillRect(pixmap.rect(), tint);
        }
        iconPainter.end();
        QPixmapCache::insert(key, pixmap);
    }
    pixmap.setDevicePixelRatio(ratio);
    painter->drawPixmap(rect.topLeft(), pixmap);
}

} // namespace lifeline::ui
