#pragma once

#include "portfolio/PortfolioSummary.h"

#include <QWidget>

class QAreaSeries;
class QButtonGroup;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace llamadesk::ui {

// The portfolio value over time with its range bar (1W 1M 3M 1Y All).
class ValueChart : public QWidget {
    Q_OBJECT
public:
    explicit ValueChart(QWidget* parent = nullptr);

    // The points of the chosen range (oldest first); downsampled here to the chart's width.
    void setPoints(const QList<portfolio::ValuePoint>& points);
    void clear();
    portfolio::ValueRange range() const { return m_range; }
    void setRange(portfolio::ValueRange range);
    int pointCount() const; // points in the series (after downsampling)
    QButtonGroup* rangeButtons() const { return m_buttons; }

signals:
    void rangeChanged(llamadesk::portfolio::ValueRange range);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    void restyle();

    portfolio::ValueRange m_range = portfolio::ValueRange::Month;
    QList<portfolio::ValuePoint> m_points;
    QButtonGroup* m_buttons = nullptr;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QLineSeries* m_line = nullptr;
    QLineSeries* m_base = nullptr;
    QAreaSeries* m_area = nullptr;
    QDateTimeAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    QLabel* m_empty = nullptr;
    int m_lastWidth = 0;
};

} // namespace llamadesk::ui
