#include "DashboardView.h"

#include "app/AppController.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "portfolio/AllocationChart.h"
#include "portfolio/Panel.h"
#include "portfolio/PortfolioCards.h"
#include "portfolio/ValueChart.h"
#include "widgets/EmptyState.h"
#include "widgets/SummaryCard.h"
#include "widgets/ViewPage.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace llamadesk::ui {

using app::MoneyFormat;
using portfolio::PortfolioSummary;
using portfolio::ValueRange;

namespace {

constexpr int kListRows = 5;

QColor signColor(const Decimal& v) {
    return PortfolioCards::signColor(v);
}

QLabel* cell(const QString& text, QWidget* parent, bool right = false, bool bold = false,
             const QColor& color = QColor()) {
    auto* l = new QLabel(text, parent);
    if (right)
        l->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (bold) {
        QFont f = l->font();
        f.setBold(true);
        l->setFont(f);
    }
    if (color.isValid())
        l->setStyleSheet(QStringLiteral("color: %1;").arg(color.name()));
    return l;
}

QString rangeText(ValueRange range) {
    switch (range) {
    case ValueRange::Week:
        return DashboardView::tr("Change (1 week)");
    case ValueRange::Month:
        return DashboardView::tr("Change (1 month)");
    case ValueRange::Quarter:
        return DashboardView::tr("Change (3 months)");
    case ValueRange::Year:
        return DashboardView::tr("Change (1 year)");
    case ValueRange::All:
        return DashboardView::tr("Change (all time)");
    }
    return QString();
}

QString typeText(TransactionType type) {
    QString text = toString(type);
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

DashboardView::DashboardView(AppController* controller, PortfolioLoader* loader, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_loader(loader ? loader : new PortfolioLoader(this)) {
    m_loader->setRecentTransactionCount(std::max(kListRows, m_loader->recentTransactionCount()));

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);
    auto* scroll = new QScrollArea(m_stack);
    QVBoxLayout* layout = ViewPage::makeScrollingPage(scroll);
    QWidget* page = layout->parentWidget();

    auto* header = new QHBoxLayout;
    auto* title = ViewPage::makeTitle(tr("Dashboard"), page);
    header->addWidget(title);
    header->addSpacing(12);
    m_updated = new QLabel(page);
    m_updated->setObjectName(QStringLiteral("updatedLabel"));
    header->addWidget(m_updated, 0, Qt::AlignBottom);
    header->addStretch();
    layout->addLayout(header);

    m_cards = new PortfolioCards(rangeText(ValueRange::Month), page);
    layout->addWidget(m_cards);

    auto* charts = new QHBoxLayout;
    charts->setSpacing(12);
    auto* valuePanel = new Panel(page);
    m_chart = new ValueChart(valuePanel);
    valuePanel->body()->addWidget(m_chart);
    valuePanel->setMinimumHeight(300);
    charts->addWidget(valuePanel, 3);
    auto* allocationPanel = new Panel(page);
    m_allocation = new AllocationChart(allocationPanel);
    allocationPanel->body()->addWidget(m_allocation);
    charts->addWidget(allocationPanel, 2);
    layout->addLayout(charts, 1);

    auto* lists = new QHBoxLayout;
    lists->setSpacing(12);
    auto listPanel = [&](const QString& text, QGridLayout** grid) {
        auto* panel = new Panel(page);
        auto* t = new QLabel(text, panel);
        QFont bold = t->font();
        bold.setBold(true);
        t->setFont(bold);
        panel->body()->addWidget(t);
        *grid = new QGridLayout;
        (*grid)->setHorizontalSpacing(12);
        (*grid)->setVerticalSpacing(6);
        panel->body()->addLayout(*grid);
        panel->body()->addStretch();
        lists->addWidget(panel, 1);
    };
    listPanel(tr("Top holdings"), &m_top);
    listPanel(tr("Top movers (unrealized)"), &m_movers);
    listPanel(tr("Recent transactions"), &m_recent);
    layout->addLayout(lists);

    m_stack->addWidget(scroll);
    m_empty = new EmptyState(
        QStringLiteral("dashboard"), tr("Dashboard"),
        tr("Your total value, today's change and recent activity will appear here."), m_stack);
    m_stack->addWidget(m_empty);
    m_stack->setCurrentWidget(m_empty);

    connect(m_chart, &ValueChart::rangeChanged, this, &DashboardView::showRange);
    connect(m_loader, &PortfolioLoader::loaded, this, &DashboardView::showData);
    connect(m_loader, &PortfolioLoader::loadFailed, this, [this](const QString& message) {
        m_updated->setText(tr("Could not load the portfolio."));
        emit statusMessage(tr("Could not load the portfolio: %1").arg(message));
    });
    connect(m_loader, &PortfolioLoader::realizedSaved, m_cards, &PortfolioCards::showRealizedSaved);
    connect(m_loader, &PortfolioLoader::realizedReady, this, &DashboardView::showRealized);
    connect(m_loader, &PortfolioLoader::realizedFailed, m_cards,
            &PortfolioCards::showRealizedUnavailable);
    connect(controller, &AppController::unlocked, this, &DashboardView::attach);
    connect(controller, &AppController::aboutToLock, this, &DashboardView::detach);
    if (controller->isUnlocked())
        attach();
}

void DashboardView::attach() {
    m_updated->setText(tr("Loading…"));
    m_cards->showRealizedComputing();
    m_loader->ensureLoaded(m_controller->vault());
    if (m_loader->data())
        showData(m_loader->data());
    if (m_loader->realized())
        showRealized(*m_loader->realized());
}

void DashboardView::showRealized(const portfolio::RealizedPnl& pnl) {
    m_cards->showRealized(pnl, tr("Tax year %1").arg(pnl.taxYear));
}

void DashboardView::detach() {
    m_loader->cancel();
    m_data.reset();
    m_cards->clear();
    m_chart->clear();
    m_allocation->clear();
    clearGrid(m_top);
    clearGrid(m_movers);
    clearGrid(m_recent);
    m_updated->clear();
    m_stack->setCurrentWidget(m_empty);
}

void DashboardView::clearGrid(QGridLayout* grid) {
    while (QLayoutItem* item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

int DashboardView::topHoldingRows() const {
    return m_top->count() / 3;
}

int DashboardView::recentTransactionRows() const {
    return m_recent->count() / 3;
}

void DashboardView::showData(std::shared_ptr<const PortfolioData> loaded) {
    m_data = std::move(loaded);
    const PortfolioData& d = *m_data;
    m_updated->setText(tr("Updated %1")
                           .arg(QLocale().toString(d.loadedAt.toDateTime().toLocalTime().time(),
                                                   QLocale::ShortFormat)));
    m_updated->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    m_allocation->setAssets(d.assets);
    showRange();
    fillLists();
    const bool empty = d.assets.isEmpty() && d.history.isEmpty();
    m_stack->setCurrentIndex(empty ? 1 : 0);
    if (empty)
        m_empty->setText(tr("No holdings yet. Import your transactions, or explore with sample "
                            "data, and your overview will appear here."));
}

void DashboardView::showRange() {
    if (!m_data)
        return;
    const PortfolioData& d = *m_data;
    const ValueRange range = m_chart->range();
    const PortfolioSummary s = PortfolioSummary::compute(d.assets, d.history, range, d.loadedAt);
    m_cards->change()->setCaption(rangeText(range));
    m_cards->showSummary(s, false);
    // The chart ends at the current value of the holdings.
    QList<portfolio::ValuePoint> points = PortfolioSummary::inRange(d.history, range, d.loadedAt);
    if (!d.assets.isEmpty() && (points.isEmpty() || points.last().at < d.loadedAt))
        points.append(portfolio::ValuePoint{d.loadedAt, s.totalValue});
    m_chart->setPoints(points);
}

void DashboardView::fillLists() {
    clearGrid(m_top);
    clearGrid(m_movers);
    clearGrid(m_recent);
    const PortfolioData& d = *m_data;
    const QColor muted = Theme::mutedText();
    QWidget* host = m_top->parentWidget();
    Decimal total;
    for (const PortfolioAsset& a : d.assets)
        total += a.balanceUsd;
    QList<PortfolioAsset> byValue = d.assets;
    std::stable_sort(byValue.begin(), byValue.end(),
                     [](const PortfolioAsset& a, const PortfolioAsset& b) {
                         return a.balanceUsd > b.balanceUsd;
                     });
    for (int i = 0; i < std::min<int>(kListRows, int(byValue.size())); ++i) {
        const PortfolioAsset& a = byValue.at(i);
        const Decimal share = total.isPositive()
                                  ? a.balanceUsd.divided(total, 18, RoundingMode::HalfEven)
                                  : Decimal();
        m_top->addWidget(cell(a.assetSymbol.value_or(QStringLiteral("?")), host, false, true), i,
                         0);
        m_top->addWidget(cell(MoneyFormat::percent(share), host, true, false, muted), i, 1);
        m_top->addWidget(cell(MoneyFormat::money(a.balanceUsd), host, true), i, 2);
    }
    m_top->setColumnStretch(0, 1);

    QList<std::pair<Decimal, const PortfolioAsset*>> moves;
    for (const PortfolioAsset& a : d.assets) {
        if (const auto r = PortfolioSummary::pnlRatio(a))
            moves.append({*r, &a});
    }
    std::stable_sort(moves.begin(), moves.end(),
                     [](const auto& x, const auto& y) { return x.first.abs() > y.first.abs(); });
    for (int i = 0; i < std::min<int>(kListRows, int(moves.size())); ++i) {
        const PortfolioAsset& a = *moves.at(i).second;
        const Decimal pnl = a.balanceUsd - a.costBasisUsd.value_or(a.balanceUsd);
        m_movers->addWidget(cell(a.assetSymbol.value_or(QStringLiteral("?")), host, false, true), i,
                            0);
        m_movers->addWidget(cell(MoneyFormat::percent(moves.at(i).first, true), host, true, true,
                                 signColor(moves.at(i).first)),
                            i, 1);
        m_movers->addWidget(cell(MoneyFormat::signedMoney(pnl), host, true, false, muted), i, 2);
    }
    m_movers->setColumnStretch(0, 1);

    for (int i = 0; i < int(d.recentTransactions.size()); ++i) {
        const TaxTransaction& t = d.recentTransactions.at(i);
        QString asset = t.assetInSymbol.value_or(t.assetOutSymbol.value_or(QString()));
        const std::optional<Decimal> value =
            t.assetInValueUsd ? t.assetInValueUsd : t.assetOutValueUsd;
        m_recent->addWidget(cell(QLocale().toString(t.timestamp.toDateTime().toLocalTime().date(),
                                                    QLocale::ShortFormat),
                                 host, false, false, muted),
                            i, 0);
        m_recent->addWidget(cell(typeText(t.transactionType) + QStringLiteral(" ") + asset, host),
                            i, 1);
        m_recent->addWidget(
            cell(value ? MoneyFormat::money(*value) : QStringLiteral("—"), host, true), i, 2);
    }
    if (d.recentTransactions.isEmpty())
        m_recent->addWidget(cell(tr("No transactions yet"), host, false, false, muted), 0, 0);
    m_recent->setColumnStretch(1, 1);
}

void DashboardView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        // Later: the labels to recolour are children that Qt is notifying right now.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_data) {
                    fillLists();
                    m_updated->setStyleSheet(
                        QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
                }
            },
            Qt::QueuedConnection);
    }
    QWidget::changeEvent(event);
}

SummaryCard* DashboardView::totalCard() const {
    return m_cards->total();
}

SummaryCard* DashboardView::changeCard() const {
    return m_cards->change();
}

SummaryCard* DashboardView::unrealizedCard() const {
    return m_cards->unrealized();
}

SummaryCard* DashboardView::realizedCard() const {
    return m_cards->realized();
}

} // namespace llamadesk::ui
