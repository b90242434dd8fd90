#include "LotDrillDown.h"

#include "DisposalTableModel.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace llamadesk::ui {

using app::MoneyFormat;

LotDrillDown::LotDrillDown(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* top = new QHBoxLayout;
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("drillHeadline"));
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    top->addWidget(m_headline, 1);
    m_choose = new QPushButton(tr("Choose lots…"), this);
    m_choose->setObjectName(QStringLiteral("chooseLots"));
    m_choose->setToolTip(tr("Specific identification: name the lots this disposal takes"));
    connect(m_choose, &QPushButton::clicked, this, &LotDrillDown::chooseLotsRequested);
    top->addWidget(m_choose);
    layout->addLayout(top);
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    layout->addWidget(m_explanation);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("lotTable"));
    m_table->setHorizontalHeaderLabels({tr("Matched by"), tr("Acquired"), tr("Amount"),
                                        tr("Cost basis"), tr("Proceeds share"), tr("Gain / loss"),
                                        tr("Held")});
    for (const int c : {int(AmountColumn), int(CostColumn), int(ProceedsColumn), int(GainColumn)})
        m_table->horizontalHeaderItem(c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    for (const int c : {int(RuleColumn), int(AcquiredColumn), int(HeldColumn)})
        m_table->horizontalHeaderItem(c)->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm = m_table->fontMetrics();
    const int widths[] = {fm.horizontalAdvance(QStringLiteral("Section 104 pool")) + 24,
                          fm.horizontalAdvance(QStringLiteral("0000-00-00")) + 24,
                          fm.horizontalAdvance(QStringLiteral("000,000.00000000")) + 24,
                          fm.horizontalAdvance(QStringLiteral("$000,000.00")) + 24,
                          fm.horizontalAdvance(QStringLiteral("Proceeds share")) + 24,
                          fm.horizontalAdvance(QStringLiteral("+$000,000.00")) + 24};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_table->horizontalHeader()->resizeSection(c, widths[c]);
    layout->addWidget(m_table, 1);
    clear();
}

QString LotDrillDown::ruleText(tax::MatchRule rule) {
    switch (rule) {
    case tax::MatchRule::Lot:
        return tr("Lot");
    case tax::MatchRule::SameDay:
        return tr("Same day");
    case tax::MatchRule::ThirtyDay:
        return tr("30-day rule");
    case tax::MatchRule::Pool:
        return tr("Section 104 pool");
    case tax::MatchRule::Shortfall:
        return tr("No lot left");
    }
    return {};
}

void LotDrillDown::clear() {
    m_headline->setText(tr("Select a disposal to see the lots behind it"));
    m_explanation->clear();
    m_explanation->hide();
    m_table->setRowCount(0);
    m_choose->setEnabled(false);
}

void LotDrillDown::showDisposal(const tax::Disposal& d, bool canChooseLots) {
    m_headline->setText(tr("%1 %2 on %3: %4 proceeds, %5 cost, %6")
                            .arg(DisposalTableModel::kindText(d.kind), d.description(),
                                 d.dateSold.toString(Qt::ISODate), MoneyFormat::money(d.proceeds),
                                 MoneyFormat::money(d.costBasis),
                                 d.gain.isNegative()
                                     ? tr("%1 loss").arg(MoneyFormat::money(-d.gain))
                                     : tr("%1 gain").arg(MoneyFormat::money(d.gain))));
    QStringList why;
    why << tr("The cost is the sum of the %n lot(s) below; each takes its share of the proceeds.",
              nullptr, int(d.lots.size()));
    if (d.transactionCount > 1)
        why << tr("UK rules report every disposal of a token on one day together (%n disposals).",
                  nullptr, d.transactionCount);
    m_explanation->setText(why.join(QLatin1Char(' ')));
    m_explanation->setVisible(true);
    QPalette muted = m_explanation->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText());
    m_explanation->setPalette(muted);

    m_table->setRowCount(int(d.lots.size()));
    for (int r = 0; r < int(d.lots.size()); ++r) {
        const tax::LotMatch& m = d.lots.at(r);
        const auto set = [&](int column, const QString& text, bool right = false) {
            auto* item = new QTableWidgetItem(text);
            item->setTextAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
            m_table->setItem(r, column, item);
            return item;
        };
        QTableWidgetItem* rule = set(RuleColumn, ruleText(m.rule));
        if (!m.lotId.isEmpty())
            rule->setToolTip(tr("Acquired by transaction %1").arg(m.lotId));
        rule->setData(Qt::UserRole, m.lotId);
        set(AcquiredColumn, m.acquired.isValid() ? m.acquired.toString(Qt::ISODate) : tr("—"));
        set(AmountColumn, MoneyFormat::amount(m.amount), true);
        QTableWidgetItem* cost = set(CostColumn, MoneyFormat::money(m.costBasis), true);
        if (m.unknownBasis)
            cost->setToolTip(tr("The cost of these units is not known; it counts as zero."));
        set(ProceedsColumn, MoneyFormat::money(m.proceeds), true);
        QTableWidgetItem* gain = set(GainColumn, MoneyFormat::signedMoney(m.gain()), true);
        if (m.gain().isNegative())
            gain->setForeground(Theme::negative());
        else if (m.gain().isPositive())
            gain->setForeground(Theme::positive());
        QString held = m.rule == tax::MatchRule::Pool || m.rule == tax::MatchRule::Shortfall
                           ? tr("—")
                           : tr("%n day(s)", nullptr, int(m.holdingDays));
        if (m.term != tax::Term::None)
            held = tr("%1 (%2 term)").arg(held, DisposalTableModel::termText(m.term).toLower());
        set(HeldColumn, held);
    }
    // Lot amounts keep all their digits: let the column grow to show them.
    const int amountWidth = m_table->horizontalHeader()->sectionSize(AmountColumn);
    m_table->resizeColumnToContents(AmountColumn);
    if (m_table->horizontalHeader()->sectionSize(AmountColumn) < amountWidth)
        m_table->horizontalHeader()->resizeSection(AmountColumn, amountWidth);
    m_choose->setEnabled(canChooseLots);
}

} // namespace llamadesk::ui
