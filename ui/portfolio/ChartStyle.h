#pragma once

#include <QColor>
#include <QList>

class QAbstractAxis;
class QChart;
class QChartView;

namespace llamadesk::ui {

// The app's look for Qt Charts (light and dark from Theme), instead of the default grey.
class ChartStyle {
public:
    static void apply(QChart* chart);
    static void applyAxis(QAbstractAxis* axis);
    static void prepareView(QChartView* view);
    // Distinct slice colours that read well on both themes.
    static QList<QColor> palette();
};

} // namespace llamadesk::ui
