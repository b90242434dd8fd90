#pragma once

#include "portfolio/PortfolioLoader.h"

#include <QWidget>

#include <memory>

class QGridLayout;
class QLabel;
class QStackedWidget;

namespace llamadesk::ui {

class AllocationChart;
class AppController;
class EmptyState;
class PortfolioCards;
class SummaryCard;
class ValueChart;

// The overview: total value, change, PnL and the value chart.
class DashboardView : public QWidget {
    Q_OBJECT
public:
    // `loader`: the one the Portfolio view shares (the window's); a view of its own when null.
    explicit DashboardView(AppController* controller, PortfolioLoader* loader = nullptr,
                           QWidget* parent = nullptr);

    SummaryCard* totalCard() const;
    SummaryCard* changeCard() const;
    SummaryCard* unrealizedCard() const;
    SummaryCard* realizedCard() const;
    ValueChart* valueChart() const { return m_chart; }
    AllocationChart* allocationChart() const { return m_allocation; }
    PortfolioLoader* loader() const { return m_loader; }
    bool hasData() const { return bool(m_data); }
    // Rows shown in the top holdings, top movers and recent transactions lists.
    int topHoldingRows() const;
    int recentTransactionRows() const;

signals:
    void statusMessage(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void attach();
    void detach();
    void showData(std::shared_ptr<const PortfolioData> loaded);
    void showRange();
    void showRealized(const portfolio::RealizedPnl& pnl);
    void fillLists();
    static void clearGrid(QGridLayout* grid);

    AppController* m_controller;
    PortfolioLoader* m_loader = nullptr;
    std::shared_ptr<const PortfolioData> m_data;
    QStackedWidget* m_stack = nullptr;
    EmptyState* m_empty = nullptr;
    QLabel* m_updated = nullptr;
    PortfolioCards* m_cards = nullptr;
    ValueChart* m_chart = nullptr;
    AllocationChart* m_allocation = nullptr;
    QGridLayout* m_top = nullptr;
    QGridLayout* m_movers = nullptr;
    QGridLayout* m_recent = nullptr;
};

} // namespace llamadesk::ui
