#include "PortfolioView.h"

#include "AllocationChart.h"
#include "HoldingsModel.h"
#include "MonthlyPnlChart.h"
#include "Panel.h"
#include "PortfolioCards.h"
#include "app/AppController.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "portfolio/ChainNames.h"
#include "widgets/EmptyState.h"
#include "widgets/SummaryCard.h"
#include "widgets/ViewPage.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace llamadesk::ui {

using app::MoneyFormat;

namespace {

QLabel* sectionTitle(const QString& text, QWidget* parent) {
    auto* title = new QLabel(text, parent);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    return title;
}

} // namespace

PortfolioView::PortfolioView(AppController* controller, PortfolioLoader* loader, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_loader(loader ? loader : new PortfolioLoader(this)) {
    m_model = new HoldingsModel(this);
    m_filter = new HoldingsFilterModel(this);
    m_filter->setSourceModel(m_model);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    auto* scroll = new QScrollArea(m_stack);
    QVBoxLayout* layout = ViewPage::makeScrollingPage(scroll);
    QWidget* page = layout->parentWidget();

    auto* header = new QHBoxLayout;
    auto* title = ViewPage::makeTitle(tr("Portfolio"), page);
    header->addWidget(title);
    m_updated = new QLabel(page);
    m_updated->setObjectName(QStringLiteral("updatedLabel"));
    header->addSpacing(12);
    header->addWidget(m_updated, 0, Qt::AlignBottom);
    header->addStretch();
    m_record = new QPushButton(tr("Record snapshot"), page);
    m_record->setObjectName(QStringLiteral("recordSnapshot"));
    m_record->setToolTip(tr("Save the current value of your holdings to the value history now. "
                            "One snapshot is also recorded automatically every day."));
    connect(m_record, &QPushButton::clicked, this, &PortfolioView::recordSnapshot);
    header->addWidget(m_record);
    layout->addLayout(header);

    m_cards = new PortfolioCards(tr("Change (30 days)"), page);
    layout->addWidget(m_cards);

    // Holdings table with its filters, and the allocation beside it.
    auto* middle = new QHBoxLayout;
    middle->setSpacing(12);
    auto* holdings = new Panel(page);
    auto* filters = new QHBoxLayout;
    filters->addWidget(sectionTitle(tr("Holdings"), holdings));
    filters->addStretch();
    auto combo = [holdings](const QString& name) {
        auto* c = new QComboBox(holdings);
        c->setObjectName(name);
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        return c;
    };
    m_chain = combo(QStringLiteral("chainFilter"));
    m_wallet = combo(QStringLiteral("walletFilter"));
    m_protocol = combo(QStringLiteral("protocolFilter"));
    m_type = combo(QStringLiteral("typeFilter"));
    for (QComboBox* c : {m_chain, m_wallet, m_protocol, m_type}) {
        filters->addWidget(c);
        connect(c, &QComboBox::activated, this, &PortfolioView::applyFilters);
    }
    holdings->body()->addLayout(filters);
    m_table = new QTableView(holdings);
    m_table->setObjectName(QStringLiteral("holdingsTable"));
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(HoldingsModel::ValueColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setFrameShape(QFrame::NoFrame);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 12);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(HoldingsModel::AssetColumn,
                                                      QHeaderView::Stretch);
    m_table->setMinimumHeight(300);
    holdings->body()->addWidget(m_table, 1);
    m_count = new QLabel(holdings);
    m_count->setObjectName(QStringLiteral("countLabel"));
    holdings->body()->addWidget(m_count);

    layout->addWidget(holdings, 1);
    auto* side = new QVBoxLayout;
    side->setSpacing(12);
    auto* allocationPanel = new Panel(page);
    m_allocation = new AllocationChart(allocationPanel);
    allocationPanel->body()->addWidget(m_allocation);
    allocationPanel->setMinimumHeight(380);
    middle->addWidget(allocationPanel, 2);

    auto* riskPanel = new Panel(page);
    riskPanel->body()->addWidget(sectionTitle(tr("Risk (last 365 days)"), riskPanel));
    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(16);
    auto riskRow = [&](int row, const QString& name, const QString& tip, const QString& key) {
        auto* label = new QLabel(name, riskPanel);
        label->setToolTip(tip);
        auto* value = new QLabel(QStringLiteral("—"), riskPanel);
        value->setObjectName(key);
        value->setToolTip(tip);
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QFont f = value->font();
        f.setBold(true);
        value->setFont(f);
        grid->addWidget(label, row, 0);
        grid->addWidget(value, row, 1);
        return value;
    };
    m_volatility =
        riskRow(0, tr("Volatility (annualized)"), portfolio::RiskMetrics::volatilityDefinition(),
                QStringLiteral("volatility"));
    m_sharpe = riskRow(1, tr("Sharpe ratio"), portfolio::RiskMetrics::sharpeDefinition(),
                       QStringLiteral("sharpe"));
    m_drawdown = riskRow(2, tr("Maximum drawdown"), portfolio::RiskMetrics::drawdownDefinition(),
                         QStringLiteral("drawdown"));
    riskPanel->body()->addLayout(grid);
    m_riskNote = new QLabel(riskPanel);
    m_riskNote->setWordWrap(true);
    riskPanel->body()->addWidget(m_riskNote);
    auto* pnlPanel = new Panel(page);
    m_pnl = new MonthlyPnlChart(pnlPanel);
    pnlPanel->body()->addWidget(m_pnl);
    side->addWidget(pnlPanel, 1);
    side->addWidget(riskPanel, 0);
    middle->addLayout(side, 3);
    layout->addLayout(middle);

    m_stack->addWidget(scroll);
    m_empty = new EmptyState(QStringLiteral("portfolio"), tr("Portfolio"),
                             tr("Your holdings, their cost basis and unrealized gains will "
                                "appear here once the vault is unlocked and has holdings."),
                             m_stack);
    m_stack->addWidget(m_empty);
    m_stack->setCurrentWidget(m_empty);

    connect(m_loader, &PortfolioLoader::loaded, this, &PortfolioView::showData);
    connect(m_loader, &PortfolioLoader::loadFailed, this, [this](const QString& message) {
        m_updated->setText(tr("Could not load the portfolio."));
        emit statusMessage(tr("Could not load the portfolio: %1").arg(message));
        m_record->setEnabled(m_controller->isUnlocked());
    });
    connect(m_loader, &PortfolioLoader::snapshotRecorded, this, &PortfolioView::statusMessage);
    connect(m_loader, &PortfolioLoader::realizedSaved, m_cards, &PortfolioCards::showRealizedSaved);
    connect(m_loader, &PortfolioLoader::realizedReady, this, &PortfolioView::showRealized);
    connect(m_loader, &PortfolioLoader::realizedFailed, this, [this](const QString& message) {
        m_cards->showRealizedUnavailable();
        m_pnl->setMessage(tr("The realized PnL could not be computed: %1").arg(message));
    });
    connect(controller, &AppController::unlocked, this, &PortfolioView::attach);
    connect(controller, &AppController::aboutToLock, this, &PortfolioView::detach);
    if (controller->isUnlocked())
        attach();
    else
        detach();
}

QLabel* PortfolioView::riskLabel(const QString& which) const {
    if (which == QLatin1String("volatility"))
        return m_volatility;
    if (which == QLatin1String("sharpe"))
        return m_sharpe;
    if (which == QLatin1String("drawdown"))
        return m_drawdown;
    return nullptr;
}

void PortfolioView::attach() {
    m_updated->setText(tr("Loading…"));
    m_cards->showRealizedComputing();
    m_pnl->setMessage(tr("Computing realized gains with the tax engine…"));
    m_loader->ensureLoaded(m_controller->vault());
    if (m_loader->data())
        showData(m_loader->data());
    if (m_loader->realized())
        showRealized(*m_loader->realized());
}

void PortfolioView::reload() {
    if (m_controller->isUnlocked())
        m_loader->load(m_controller->vault(), false);
}

void PortfolioView::recordSnapshot() {
    if (!m_controller->isUnlocked())
        return;
    m_record->setEnabled(false);
    m_loader->recordSnapshot(m_controller->vault());
}

void PortfolioView::detach() {
    // Drop every decrypted value: the loader's jobs, the rows, the figures and the charts.
    m_loader->cancel();
    m_data.reset();
    m_model->clear();
    for (QComboBox* c : {m_chain, m_wallet, m_protocol, m_type})
        c->clear();
    m_filter->setChain(std::nullopt);
    m_filter->setWallet(QString());
    m_filter->setProtocol(std::nullopt);
    m_filter->setType(QString());
    m_cards->clear();
    m_allocation->clear();
    m_pnl->clear();
    for (QLabel* l : {m_volatility, m_sharpe, m_drawdown})
        l->setText(QStringLiteral("—"));
    m_riskNote->clear();
    m_updated->clear();
    m_count->clear();
    m_record->setEnabled(false);
    m_stack->setCurrentWidget(m_empty);
}

void PortfolioView::showData(std::shared_ptr<const PortfolioData> loaded) {
    m_data = std::move(loaded);
    m_record->setEnabled(true);
    const PortfolioData& d = *m_data;
    m_model->setAssets(d.assets);
    fillFilters();
    applyFilters();
    m_allocation->setAssets(d.assets);

    const portfolio::PortfolioSummary s = portfolio::PortfolioSummary::compute(
        d.assets, d.history, portfolio::ValueRange::Month, d.loadedAt);
    m_cards->showSummary(s, true);

    const portfolio::RiskMetrics& r = d.risk;
    m_volatility->setText(r.volatility ? MoneyFormat::percent(*r.volatility) : QStringLiteral("—"));
    m_sharpe->setText(r.sharpeRatio ? r.sharpeRatio->round(2, RoundingMode::HalfEven).toString(2)
                                    : QStringLiteral("—"));
    m_drawdown->setText(r.maxDrawdown ? MoneyFormat::percent(-*r.maxDrawdown)
                                      : QStringLiteral("—"));
    m_riskNote->setText(
        tr("From %n daily return(s). Hover a figure for its definition.", nullptr, r.returnCount));
    m_riskNote->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    m_updated->setText(tr("Updated %1")
                           .arg(QLocale().toString(d.loadedAt.toDateTime().toLocalTime().time(),
                                                   QLocale::ShortFormat)));
    m_updated->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    m_stack->setCurrentIndex(d.assets.isEmpty() ? 1 : 0);
    if (d.assets.isEmpty())
        m_empty->setText(tr("No holdings yet. Import your transactions, or explore with sample "
                            "data, and your portfolio will appear here."));
}

void PortfolioView::showRealized(const portfolio::RealizedPnl& pnl) {
    m_cards->showRealized(pnl, tr("Tax year %1, from the tax engine").arg(pnl.taxYear));
    m_pnl->setMonths(pnl.months);
}

void PortfolioView::fillFilters() {
    QSet<qint64> chains;
    QSet<QString> wallets;
    QSet<QString> protocols;
    QSet<QString> types;
    bool noProtocol = false;
    for (const PortfolioAsset& a : m_model->assets()) {
        chains.insert(a.chainId);
        for (const QString& w : portfolio::PortfolioSummary::walletsOf(a))
            wallets.insert(w);
        if (a.protocolName && !a.protocolName->isEmpty())
            protocols.insert(*a.protocolName);
        else
            noProtocol = true;
        types.insert(toString(a.assetType));
    }
    m_chain->clear();
    m_chain->addItem(tr("All chains"));
    QList<qint64> chainList(chains.begin(), chains.end());
    std::sort(chainList.begin(), chainList.end());
    for (qint64 c : chainList)
        m_chain->addItem(portfolio::ChainNames::name(c), QVariant::fromValue(c));
    m_wallet->clear();
    m_wallet->addItem(tr("All wallets"));
    QStringList walletList(wallets.begin(), wallets.end());
    walletList.sort(Qt::CaseInsensitive);
    for (const QString& w : walletList)
        m_wallet->addItem(w, w);
    m_protocol->clear();
    m_protocol->addItem(tr("All protocols"));
    QStringList protocolList(protocols.begin(), protocols.end());
    protocolList.sort(Qt::CaseInsensitive);
    if (noProtocol)
        m_protocol->addItem(tr("No protocol"), QString(QLatin1Char(' ')));
    for (const QString& p : protocolList)
        m_protocol->addItem(p, p);
    m_type->clear();
    m_type->addItem(tr("All types"));
    for (AssetType t : {AssetType::Token, AssetType::Nft, AssetType::LpPosition, AssetType::Staked,
                        AssetType::Lending, AssetType::Borrowing}) {
        if (types.contains(toString(t)))
            m_type->addItem(HoldingsModel::typeLabel(t), toString(t));
    }
}

void PortfolioView::applyFilters() {
    m_filter->setChain(m_chain->currentIndex() > 0
                           ? std::optional<qint64>(m_chain->currentData().toLongLong())
                           : std::nullopt);
    m_filter->setWallet(m_wallet->currentIndex() > 0 ? m_wallet->currentData().toString()
                                                     : QString());
    if (m_protocol->currentIndex() > 0) {
        const QString p = m_protocol->currentData().toString();
        m_filter->setProtocol(p == QLatin1String(" ") ? QString() : p);
    } else {
        m_filter->setProtocol(std::nullopt);
    }
    m_filter->setType(m_type->currentIndex() > 0 ? m_type->currentData().toString() : QString());
    updateCount();
}

void PortfolioView::updateCount() {
    if (!m_data) {
        m_count->clear();
        return;
    }
    Decimal shown;
    for (int r = 0; r < m_filter->rowCount(); ++r)
        shown += m_filter->index(r, HoldingsModel::ValueColumn)
                     .data(HoldingsModel::DecimalRole)
                     .value<Decimal>();
    m_count->setText(m_filter->isFiltered()
                         ? tr("%n of %1 holding(s) · %2", nullptr, m_filter->rowCount())
                               .arg(m_model->rowCount())
                               .arg(MoneyFormat::money(shown))
                         : tr("%n holding(s) · %1", nullptr, m_model->rowCount())
                               .arg(MoneyFormat::money(shown)));
    m_count->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
}

void PortfolioView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        // Later: the labels to recolour are children that Qt is notifying right now.
        QMetaObject::invokeMethod(
            this,
            [this] {
                const QString muted = QStringLiteral("color: %1;").arg(Theme::mutedText().name());
                for (QLabel* l : {m_count, m_updated, m_riskNote})
                    l->setStyleSheet(muted);
            },
            Qt::QueuedConnection);
    }
    QWidget::changeEvent(event);
}

SummaryCard* PortfolioView::totalCard() const {
    return m_cards->total();
}

SummaryCard* PortfolioView::changeCard() const {
    return m_cards->change();
}

SummaryCard* PortfolioView::unrealizedCard() const {
    return m_cards->unrealized();
}

SummaryCard* PortfolioView::realizedCard() const {
    return m_cards->realized();
}

} // namespace llamadesk::ui
