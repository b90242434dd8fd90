#include "Panel.h"

#include <QPainter>
#include <QVBoxLayout>

namespace llamadesk::ui {

Panel::Panel(QWidget* parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("panel"));
    m_body = new QVBoxLayout(this);
    m_body->setContentsMargins(14, 12, 14, 12);
    m_body->setSpacing(8);
}

void Panel::paintEvent(QPaintEvent* event) {
    // Painted from the palette rather than a style sheet: style sheets stop palette changes from
    // reaching the children, and the charts inside follow the theme through them.
    Q_UNUSED(event);
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10);
}

} // namespace llamadesk::ui
