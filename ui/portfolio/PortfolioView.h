#pragma once

#include "portfolio/PortfolioLoader.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace llamadesk::ui {

class AllocationChart;
class AppController;
class EmptyState;
class HoldingsFilterModel;
class HoldingsModel;
class MonthlyPnlChart;
class PortfolioCards;
class SummaryCard;

// Holdings, allocation, value history and risk metrics.
class PortfolioView : public QWidget {
    Q_OBJECT
public:
    // `loader`: the one the Dashboard shares (the window's); a view of its own when null.
    explicit PortfolioView(AppController* controller, PortfolioLoader* loader = nullptr,
                           QWidget* parent = nullptr);

    HoldingsModel* holdingsModel() const { return m_model; }
    HoldingsFilterModel* filterModel() const { return m_filter; }
    QTableView* table() const { return m_table; }
    QComboBox* chainFilter() const { return m_chain; }
    QComboBox* walletFilter() const { return m_wallet; }
    QComboBox* protocolFilter() const { return m_protocol; }
    QComboBox* typeFilter() const { return m_type; }
    SummaryCard* totalCard() const;
    SummaryCard* unrealizedCard() const;
    SummaryCard* realizedCard() const;
    SummaryCard* changeCard() const;
    AllocationChart* allocationChart() const { return m_allocation; }
    MonthlyPnlChart* pnlChart() const { return m_pnl; }
    PortfolioLoader* loader() const { return m_loader; }
    // "volatility", "sharpe", "drawdown" value labels.
    QLabel* riskLabel(const QString& which) const;
    bool hasData() const { return bool(m_data); }

public slots:
    void recordSnapshot();
    void reload();

signals:
    void statusMessage(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void attach();
    void detach();
    void showData(std::shared_ptr<const PortfolioData> loaded);
    void fillFilters();
    void applyFilters();
    void updateCount();
    void showRealized(const portfolio::RealizedPnl& pnl);

    AppController* m_controller;
    PortfolioLoader* m_loader = nullptr;
    std::shared_ptr<const PortfolioData> m_data;
    HoldingsModel* m_model = nullptr;
    HoldingsFilterModel* m_filter = nullptr;
    QStackedWidget* m_stack = nullptr;
    EmptyState* m_empty = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_chain = nullptr;
    QComboBox* m_wallet = nullptr;
    QComboBox* m_protocol = nullptr;
    QComboBox* m_type = nullptr;
    QLabel* m_count = nullptr;
    QLabel* m_updated = nullptr;
    QPushButton* m_record = nullptr;
    PortfolioCards* m_cards = nullptr;
    AllocationChart* m_allocation = nullptr;
    MonthlyPnlChart* m_pnl = nullptr;
    QLabel* m_volatility = nullptr;
    QLabel* m_sharpe = nullptr;
    QLabel* m_drawdown = nullptr;
    QLabel* m_riskNote = nullptr;
};

} // namespace llamadesk::ui
