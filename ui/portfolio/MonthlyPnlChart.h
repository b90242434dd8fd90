#pragma once

#include "portfolio/RealizedPnl.h"

#include <QWidget>

class QBarCategoryAxis;
class QChart;
class QChartView;
class QLabel;
class QStackedBarSeries;
class QValueAxis;

namespace llamadesk::ui {

// Realized PnL by month: gains and losses as bars in the positive and negative colours.
class MonthlyPnlChart : public QWidget {
    Q_OBJECT
public:
    explicit MonthlyPnlChart(QWidget* parent = nullptr);

    void setMonths(const QList<portfolio::MonthlyPnl>& months);
    // A line in place of the chart ("Computing…", an error); empty shows the chart.
    void setMessage(const QString& text);
    void clear();
    int monthCount() const { return int(m_months.size()); }
    bool isShowingChart() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    QList<portfolio::MonthlyPnl> m_months;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace llamadesk::ui
