#include "PortfolioCards.h"

#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "portfolio/PortfolioSummary.h"
#include "portfolio/RealizedPnl.h"
#include "widgets/SummaryCard.h"

#include <QHBoxLayout>

namespace llamadesk::ui {

using app::MoneyFormat;

PortfolioCards::PortfolioCards(const QString& changeCaption, QWidget* parent)
    : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(12);
    m_total = new SummaryCard(tr("Total value"), this);
    m_change = new SummaryCard(changeCaption, this);
    m_unrealized = new SummaryCard(tr("Unrealized PnL"), this);
    m_realized = new SummaryCard(tr("Realized PnL (tax year to date)"), this);
    for (SummaryCard* c : {m_total, m_change, m_unrealized, m_realized})
        row->addWidget(c);
}

QColor PortfolioCards::signColor(const Decimal& value) {
    if (value.isPositive())
        return Theme::positive();
    if (value.isNegative())
        return Theme::negative();
    return QColor();
}

void PortfolioCards::showSummary(const portfolio::PortfolioSummary& s, bool withCostBasis) {
    m_total->setValue(MoneyFormat::money(s.totalValue));
    m_total->setDetail(tr("%n holding(s) on %1 chain(s)", nullptr, s.assetCount).arg(s.chainCount));
    if (s.change) {
        m_change->setValue(MoneyFormat::signedMoney(*s.change), signColor(*s.change));
        m_change->setDetail(s.changeRatio ? MoneyFormat::percent(*s.changeRatio, true) : QString(),
                            signColor(*s.change));
    } else {
        m_change->setValue(QStringLiteral("—"));
        m_change->setDetail(tr("No value history yet"));
    }
    m_unrealized->setValue(MoneyFormat::signedMoney(s.unrealizedPnl), signColor(s.unrealizedPnl));
    if (!s.unrealizedRatio)
        m_unrealized->setDetail(tr("No cost basis known"));
    else if (withCostBasis)
        m_unrealized->setDetail(tr("%1 on a cost basis of %2")
                                    .arg(MoneyFormat::percent(*s.unrealizedRatio, true),
                                         MoneyFormat::money(s.costBasis)));
    else
        m_unrealized->setDetail(MoneyFormat::percent(*s.unrealizedRatio, true),
                                signColor(s.unrealizedPnl));
}

void PortfolioCards::showRealizedComputing() {
    m_realized->setValue(QStringLiteral("…"));
    m_realized->setDetail(tr("Computing…"));
}

void PortfolioCards::showRealizedSaved(const Decimal& yearToDate, int taxYear) {
    m_realized->setValue(MoneyFormat::signedMoney(yearToDate), signColor(yearToDate));
    m_realized->setDetail(tr("Saved %1 report · updating…").arg(taxYear));
}

void PortfolioCards::showRealized(const portfolio::RealizedPnl& pnl, const QString& detail) {
    m_realized->setValue(MoneyFormat::signedMoney(pnl.yearToDate), signColor(pnl.yearToDate));
    m_realized->setDetail(detail);
}

void PortfolioCards::showRealizedUnavailable() {
    m_realized->setDetail(tr("Not available"));
}

void PortfolioCards::clear() {
    for (SummaryCard* c : {m_total, m_change, m_unrealized, m_realized})
        c->clear();
}

} // namespace llamadesk::ui
