#pragma once

#include "money/Decimal.h"

#include <QString>
#include <QWidget>

namespace llamadesk::portfolio {
struct PortfolioSummary;
struct RealizedPnl;
} // namespace llamadesk::portfolio

namespace llamadesk::ui {

class SummaryCard;

// The four headline cards the Dashboard and the Portfolio share: total value, change over a
// range, unrealized PnL and realized PnL for the tax year to date.
class PortfolioCards : public QWidget {
    Q_OBJECT
public:
    explicit PortfolioCards(const QString& changeCaption, QWidget* parent = nullptr);

    SummaryCard* total() const { return m_total; }
    SummaryCard* change() const { return m_change; }
    SummaryCard* unrealized() const { return m_unrealized; }
    SummaryCard* realized() const { return m_realized; }

    // `withCostBasis`: the unrealized card names the cost basis it is measured against.
    void showSummary(const portfolio::PortfolioSummary& summary, bool withCostBasis);
    void showRealizedComputing();
    void showRealizedSaved(const Decimal& yearToDate, int taxYear);
    void showRealized(const portfolio::RealizedPnl& pnl, const QString& detail);
    void showRealizedUnavailable();
    void clear();

    // Green for a gain, red for a loss, the text colour for zero.
    static QColor signColor(const Decimal& value);

private:
    SummaryCard* m_total = nullptr;
    SummaryCard* m_change = nullptr;
    SummaryCard* m_unrealized = nullptr;
    SummaryCard* m_realized = nullptr;
};

} // namespace llamadesk::ui
