#include "AllocationChart.h"

#include "ChartStyle.h"
#include "HoldingsModel.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "portfolio/ChainNames.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPieSeries>
#include <QPieSlice>
#include <QVBoxLayout>

namespace llamadesk::ui {

using app::MoneyFormat;
using portfolio::AllocationBy;

AllocationChart::AllocationChart(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    auto* title = new QLabel(tr("Allocation"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    bar->addWidget(title);
    bar->addStretch();
    m_grouping = new QComboBox(this);
    m_grouping->setObjectName(QStringLiteral("allocationGrouping"));
    m_grouping->addItem(tr("By asset type"), int(AllocationBy::AssetType));
    m_grouping->addItem(tr("By chain"), int(AllocationBy::Chain));
    m_grouping->addItem(tr("By protocol"), int(AllocationBy::Protocol));
    connect(m_grouping, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_by = AllocationBy(m_grouping->itemData(index).toInt());
        rebuild();
    });
    bar->addWidget(m_grouping);
    layout->addLayout(bar);

    auto* body = new QVBoxLayout;
    m_chart = new QChart;
    m_chart->legend()->hide();
    m_series = new QPieSeries(m_chart);
    m_series->setHoleSize(0.58);
    m_series->setPieSize(0.92);
    m_chart->addSeries(m_series);
    m_view = new QChartView(m_chart, this);
    m_view->setMinimumSize(160, 170);
    m_view->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    ChartStyle::prepareView(m_view);
    body->addWidget(m_view, 3);
    m_legend = new QWidget(this);
    m_legend->setObjectName(QStringLiteral("allocationLegend"));
    m_legendLayout = new QGridLayout(m_legend);
    m_legendLayout->setContentsMargins(4, 4, 4, 4);
    m_legendLayout->setHorizontalSpacing(10);
    m_legendLayout->setVerticalSpacing(4);
    body->addWidget(m_legend, 0);
    layout->addLayout(body, 1);
    ChartStyle::apply(m_chart);
    clear();
}

void AllocationChart::setAssets(const QList<PortfolioAsset>& assets) {
    m_assets = assets;
    rebuild();
}

void AllocationChart::clear() {
    m_assets = QList<PortfolioAsset>();
    rebuild();
}

void AllocationChart::setGrouping(AllocationBy by) {
    const int index = m_grouping->findData(int(by));
    if (index >= 0)
        m_grouping->setCurrentIndex(index);
}

QString AllocationChart::label(const QString& key) const {
    switch (m_by) {
    case AllocationBy::AssetType:
        if (const auto type = assetTypeFromString(key))
            return HoldingsModel::typeLabel(*type);
        return key;
    case AllocationBy::Chain:
        return portfolio::ChainNames::name(key.toLongLong());
    case AllocationBy::Protocol:
        return key.isEmpty() ? tr("Wallet (no protocol)") : key;
    }
    return key;
}

QStringList AllocationChart::legendTexts() const {
    QStringList out;
    for (int r = 0; r < m_legendLayout->rowCount(); ++r) {
        QStringList cells;
        for (int c = 1; c < 4; ++c) {
            if (QLayoutItem* item = m_legendLayout->itemAtPosition(r, c)) {
                if (auto* l = qobject_cast<QLabel*>(item->widget()))
                    cells.append(l->text());
            }
        }
        if (!cells.isEmpty())
            out.append(cells.join(QStringLiteral("  ")));
    }
    return out;
}

void AllocationChart::rebuild() {
    m_series->clear();
    while (QLayoutItem* item = m_legendLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    QList<portfolio::AllocationSlice> slices =
        portfolio::PortfolioSummary::allocation(m_assets, m_by);
    if (slices.size() > kMaxSlices) {
        portfolio::AllocationSlice other;
        other.key = QStringLiteral("\x01other");
        for (qsizetype i = kMaxSlices - 1; i < slices.size(); ++i) {
            other.value += slices.at(i).value;
            other.ratio += slices.at(i).ratio;
        }
        slices = slices.mid(0, kMaxSlices - 1);
        slices.append(other);
    }
    const QList<QColor> colors = ChartStyle::palette();
    const QColor base = palette().color(QPalette::Base);
    const QString muted = Theme::mutedText().name();
    int row = 0;
    for (const portfolio::AllocationSlice& s : std::as_const(slices)) {
        const QColor color = colors.at(row % colors.size());
        const QString name = s.key == QStringLiteral("\x01other") ? tr("Other") : label(s.key);
        if (s.value.isPositive()) {
            // Plot size only: the exact share is in the legend next to it.
            auto* slice = m_series->append(name, s.ratio.toString().toDouble());
            slice->setColor(color);
            slice->setBorderColor(base);
            slice->setBorderWidth(2);
        }
        auto* swatch = new QLabel(m_legend);
        swatch->setFixedSize(10, 10);
        swatch->setStyleSheet(
            QStringLiteral("background: %1; border-radius: 5px;").arg(color.name()));
        auto* nameLabel = new QLabel(name, m_legend);
        auto* percent = new QLabel(MoneyFormat::percent(s.ratio), m_legend);
        percent->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QFont bold = percent->font();
        bold.setBold(true);
        percent->setFont(bold);
        auto* value = new QLabel(MoneyFormat::money(s.value), m_legend);
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        value->setStyleSheet(QStringLiteral("color: %1;").arg(muted));
        m_legendLayout->addWidget(swatch, row, 0);
        m_legendLayout->addWidget(nameLabel, row, 1);
        m_legendLayout->addWidget(percent, row, 2);
        m_legendLayout->addWidget(value, row, 3);
        ++row;
    }
    if (row == 0) {
        auto* none = new QLabel(tr("No holdings"), m_legend);
        none->setStyleSheet(QStringLiteral("color: %1;").arg(muted));
        m_legendLayout->addWidget(none, 0, 1);
    }
    m_legendLayout->setColumnStretch(1, 1);
    m_legendLayout->setRowStretch(m_legendLayout->rowCount(), 1);
}

void AllocationChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        ChartStyle::apply(m_chart);
        ChartStyle::prepareView(m_view);
        // Later: the legend's labels are children that Qt is notifying right now.
        QMetaObject::invokeMethod(this, &AllocationChart::rebuild, Qt::QueuedConnection);
    }
    QWidget::changeEvent(event);
}

} // namespace llamadesk::ui
