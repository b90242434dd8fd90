#pragma once

#include "domain/PortfolioAsset.h"
#include "portfolio/PortfolioSummary.h"

#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QGridLayout;
class QLabel;
class QPieSeries;

namespace llamadesk::ui {

// Allocation as a donut with a legend of exact percentages, by asset type, chain or protocol.
class AllocationChart : public QWidget {
    Q_OBJECT
public:
    explicit AllocationChart(QWidget* parent = nullptr);

    void setAssets(const QList<PortfolioAsset>& assets);
    void clear();
    void setGrouping(portfolio::AllocationBy by);
    portfolio::AllocationBy grouping() const { return m_by; }
    // The legend rows as shown: "name  percent  value".
    QStringList legendTexts() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    QString label(const QString& key) const;

    static constexpr int kMaxSlices = 7; // the rest is one "Other" slice
    portfolio::AllocationBy m_by = portfolio::AllocationBy::AssetType;
    QList<PortfolioAsset> m_assets;
    QComboBox* m_grouping = nullptr;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QPieSeries* m_series = nullptr;
    QWidget* m_legend = nullptr;
    QGridLayout* m_legendLayout = nullptr;
    QLabel* m_center = nullptr;
};

} // namespace llamadesk::ui
