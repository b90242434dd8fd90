#include "Icons.h"

#include "Theme.h"

#include <QApplication>
#include <QFile>
#include <QPainter>
#include <QPalette>
#include <QSvgRenderer>

namespace llamadesk::ui {

QPixmap Icons::pixmap(const QString& name, int size, qreal devicePixelRatio, const QColor& color) {
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return QPixmap();
    QByteArray svg = file.readAll();
    const QColor ink =
        color.isValid() ? color : QApplication::palette().color(QPalette::WindowText);
    // The sources are drawn in black; recolour them for the theme.
    svg.replace("#000000", ink.name().toLatin1());
    QSvgRenderer renderer(svg);
    const int pixels = qRound(size * devicePixelRatio);
    QPixmap result(pixels, pixels);
    result.fill(Qt::transparent);
    QPainter painter(&result);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    result.setDevicePixelRatio(devicePixelRatio);
    return result;
}

QIcon Icons::icon(const QString& name, const QColor& color) {
    QIcon result;
    for (const int size : {16, 20, 24, 32, 48, 64}) {
        result.addPixmap(pixmap(name, size, 1.0, color), QIcon::Normal);
        result.addPixmap(pixmap(name, size, 2.0, color), QIcon::Normal);
        result.addPixmap(pixmap(name, size, 1.0, Qt::white), QIcon::Selected);
        result.addPixmap(pixmap(name, size, 2.0, Qt::white), QIcon::Selected);
    }
    return result;
}

} // namespace llamadesk::ui
