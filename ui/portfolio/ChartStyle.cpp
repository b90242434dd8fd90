#include "ChartStyle.h"

#include "app/Theme.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QPalette>

namespace llamadesk::ui {

void ChartStyle::apply(QChart* chart) {
    const QPalette p = QApplication::palette();
    chart->setTheme(Theme::isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(p.color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setLabelColor(p.color(QPalette::Text));
    chart->setTitleBrush(p.color(QPalette::Text));
    for (QAbstractAxis* axis : chart->axes())
        applyAxis(axis);
}

void ChartStyle::applyAxis(QAbstractAxis* axis) {
    const QPalette p = QApplication::palette();
    axis->setLabelsColor(Theme::mutedText());
    QColor grid = p.color(QPalette::Mid);
    grid.setAlpha(Theme::isDark() ? 150 : 190);
    axis->setGridLineColor(grid);
    axis->setLinePenColor(grid);
    axis->setMinorGridLineVisible(false);
    QFont f = axis->labelsFont();
    f.setPointSizeF(QApplication::font().pointSizeF() * 0.85);
    axis->setLabelsFont(f);
}

void ChartStyle::prepareView(QChartView* view) {
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
    view->setBackgroundBrush(QApplication::palette().color(QPalette::Base));
}

QList<QColor> ChartStyle::palette() {
    return {QColor(0x3d, 0x7e, 0xf0), QColor(0x2e, 0xb8, 0x8a), QColor(0xf2, 0xa5, 0x3a),
            QColor(0x9b, 0x6b, 0xe8), QColor(0xe8, 0x5d, 0x75), QColor(0x36, 0xb5, 0xd8),
            QColor(0xc9, 0xb0, 0x3c), QColor(0x8a, 0x93, 0xa0)};
}

} // namespace llamadesk::ui
