#include "MonthlyPnlChart.h"

#include "ChartStyle.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLabel>
#include <QStackedBarSeries>
#include <QStackedLayout>
#include <QVBoxLayout>
#include <QValueAxis>

namespace llamadesk::ui {

MonthlyPnlChart::MonthlyPnlChart(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* title = new QLabel(tr("Realized PnL by month"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    layout->addWidget(title);
    m_chart = new QChart;
    m_chart->legend()->hide();
    m_view = new QChartView(m_chart, this);
    m_view->setMinimumHeight(180);
    ChartStyle::prepareView(m_view);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("pnlMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    auto* stack = new QStackedLayout;
    stack->setStackingMode(QStackedLayout::StackAll);
    stack->addWidget(m_message);
    stack->addWidget(m_view);
    layout->addLayout(stack, 1);
    clear();
}

void MonthlyPnlChart::setMonths(const QList<portfolio::MonthlyPnl>& months) {
    m_months = months;
    rebuild();
    setMessage(QString());
}

void MonthlyPnlChart::setMessage(const QString& text) {
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_view->setVisible(text.isEmpty());
}

bool MonthlyPnlChart::isShowingChart() const {
    return !m_view->isHidden();
}

void MonthlyPnlChart::clear() {
    m_months = QList<portfolio::MonthlyPnl>();
    rebuild();
    setMessage(QStringLiteral(" "));
}

void MonthlyPnlChart::rebuild() {
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes())
        m_chart->removeAxis(axis);
    auto* gains = new QBarSet(tr("Gains"));
    auto* losses = new QBarSet(tr("Losses"));
    gains->setColor(Theme::positive());
    gains->setBorderColor(Theme::positive());
    losses->setColor(Theme::negative());
    losses->setBorderColor(Theme::negative());
    QStringList categories;
    qreal lo = 0;
    qreal hi = 0;
    for (const portfolio::MonthlyPnl& m : std::as_const(m_months)) {
        // Bar heights only; the exact figure is in the tooltip of the realized card.
        const qreal v = app::MoneyFormat::convert(m.gain).toString().toDouble();
        gains->append(v > 0 ? v : 0);
        losses->append(v < 0 ? v : 0);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        categories.append(QLocale().monthName(m.month.month(), QLocale::ShortFormat));
    }
    auto* series = new QStackedBarSeries;
    series->append(gains);
    series->append(losses);
    series->setBarWidth(0.6);
    m_chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setGridLineVisible(false);
    auto* y = new QValueAxis;
    const qreal pad = std::max((hi - lo) * 0.1, 1.0);
    y->setRange(lo < 0 ? lo - pad : 0, hi + pad);
    y->setTickCount(5);
    y->applyNiceNumbers();
    y->setLabelFormat(app::MoneyFormat::symbol(app::MoneyFormat::currency().code) +
                      QStringLiteral("%.0f"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    ChartStyle::apply(m_chart);
    // The chart theme recolours the bars: the gain and loss colours go on last.
    for (QBarSet* set : {gains, losses}) {
        const QColor c = set == gains ? Theme::positive() : Theme::negative();
        set->setColor(c);
        set->setBorderColor(c);
    }
}

void MonthlyPnlChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        ChartStyle::prepareView(m_view);
        QMetaObject::invokeMethod(this, &MonthlyPnlChart::rebuild, Qt::QueuedConnection);
        m_message->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    }
    QWidget::changeEvent(event);
}

} // namespace llamadesk::ui
