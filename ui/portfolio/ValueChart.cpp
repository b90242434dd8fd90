#include "ValueChart.h"

#include "ChartStyle.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"

#include <QAreaSeries>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QStackedLayout>
#include <QVBoxLayout>
#include <QValueAxis>

namespace llamadesk::ui {

using portfolio::ValueRange;

namespace {

// Chart coordinates only: the display Decimal is already rounded to cents, and this number is
// never shown or stored, it only places a point on screen.
qreal plotY(const Decimal& usd) {
    return app::MoneyFormat::convert(usd).toString().toDouble();
}

} // namespace

ValueChart::ValueChart(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    auto* bar = new QHBoxLayout;
    auto* title = new QLabel(tr("Portfolio value"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    bar->addWidget(title);
    bar->addStretch();
    m_buttons = new QButtonGroup(this);
    m_buttons->setExclusive(true);
    const std::pair<ValueRange, QString> ranges[] = {
        {ValueRange::Week, tr("1W")},    {ValueRange::Month, tr("1M")},
        {ValueRange::Quarter, tr("3M")}, {ValueRange::Year, tr("1Y")},
        {ValueRange::All, tr("All")},
    };
    for (const auto& [range, text] : ranges) {
        auto* b = new QPushButton(text, this);
        b->setCheckable(true);
        b->setFlat(true);
        b->setObjectName(QStringLiteral("range") + text);
        b->setMinimumWidth(b->fontMetrics().horizontalAdvance(QStringLiteral("All")) + 22);
        b->setCursor(Qt::PointingHandCursor);
        m_buttons->addButton(b, int(range));
        bar->addWidget(b);
    }
    m_buttons->button(int(m_range))->setChecked(true);
    connect(m_buttons, &QButtonGroup::idClicked, this, [this](int id) {
        if (ValueRange(id) == m_range)
            return;
        m_range = ValueRange(id);
        emit rangeChanged(m_range);
    });
    layout->addLayout(bar);

    m_chart = new QChart;
    m_chart->legend()->hide();
    m_line = new QLineSeries(m_chart);
    m_base = new QLineSeries(m_chart);
    m_area = new QAreaSeries(m_line, m_base);
    m_chart->addSeries(m_area);
    m_x = new QDateTimeAxis(m_chart);
    m_y = new QValueAxis(m_chart);
    m_x->setTickCount(6);
    m_y->setTickCount(5);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_area->attachAxis(m_x);
    m_area->attachAxis(m_y);
    m_view = new QChartView(m_chart, this);
    m_view->setObjectName(QStringLiteral("valueChartView"));
    m_view->setMinimumHeight(220);
    ChartStyle::prepareView(m_view);

    auto* stack = new QStackedLayout;
    stack->setStackingMode(QStackedLayout::StackAll);
    m_empty = new QLabel(tr("No value history yet: a snapshot is recorded every day."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    stack->addWidget(m_empty);
    stack->addWidget(m_view);
    layout->addLayout(stack, 1);
    restyle();
    clear();
}

void ValueChart::setRange(ValueRange range) {
    if (QAbstractButton* b = m_buttons->button(int(range)))
        b->setChecked(true);
    if (range != m_range) {
        m_range = range;
        emit rangeChanged(range);
    }
}

void ValueChart::setPoints(const QList<portfolio::ValuePoint>& points) {
    m_points = points;
    rebuild();
}

void ValueChart::clear() {
    m_points = QList<portfolio::ValuePoint>();
    rebuild();
}

int ValueChart::pointCount() const {
    return int(m_line->count());
}

void ValueChart::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    // One or two points per pixel column: rebuild when the width changes a lot.
    if (std::abs(width() - m_lastWidth) > 80)
        rebuild();
}

void ValueChart::rebuild() {
    m_lastWidth = width();
    const int columns = std::max(200, m_view->width());
    const QList<portfolio::ValuePoint> shown =
        portfolio::PortfolioSummary::downsample(m_points, columns * 2);
    QList<QPointF> line;
    QList<QPointF> base;
    line.reserve(shown.size());
    qreal lo = 0;
    qreal hi = 0;
    for (const portfolio::ValuePoint& p : shown) {
        const qreal x = qreal(p.at.microsecondsSinceEpoch() / 1000);
        const qreal y = plotY(p.value);
        if (line.isEmpty()) {
            lo = y;
            hi = y;
        }
        lo = std::min(lo, y);
        hi = std::max(hi, y);
        line.append(QPointF(x, y));
    }
    const qreal pad = std::max((hi - lo) * 0.08, 1.0);
    qreal floor = std::max<qreal>(0, lo - pad);
    m_y->setRange(floor, hi + pad);
    m_y->applyNiceNumbers();
    // The fill's lower edge lies on the axis minimum, so its outline is the axis itself.
    floor = m_y->min();
    for (const QPointF& p : std::as_const(line))
        base.append(QPointF(p.x(), floor));
    // replace() once: appending point by point is quadratic in Qt Charts.
    m_line->replace(line);
    m_base->replace(base);
    const bool empty = line.size() < 2;
    m_empty->setVisible(empty);
    m_view->setVisible(!empty);
    if (!empty) {
        m_x->setRange(shown.first().at.toDateTime().toLocalTime(),
                      shown.last().at.toDateTime().toLocalTime());
        const qint64 spanDays =
            (shown.last().at.microsecondsSinceEpoch() - shown.first().at.microsecondsSinceEpoch()) /
            (86400LL * 1000000);
        m_x->setFormat(spanDays > 400 ? QStringLiteral("MMM yyyy") : QStringLiteral("d MMM"));
        m_y->setLabelFormat(app::MoneyFormat::symbol(app::MoneyFormat::currency().code) +
                            QStringLiteral("%.0f"));
    }
}

void ValueChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QWidget::changeEvent(event);
}

void ValueChart::restyle() {
    ChartStyle::apply(m_chart);
    ChartStyle::prepareView(m_view);
    const QColor accent = Theme::accent();
    QPen pen(accent);
    pen.setWidthF(2.0);
    m_area->setPen(pen);
    QLinearGradient fill(QPointF(0, 0), QPointF(0, 1));
    fill.setCoordinateMode(QGradient::ObjectMode);
    QColor top = accent;
    top.setAlpha(Theme::isDark() ? 110 : 80);
    QColor bottom = accent;
    bottom.setAlpha(0);
    fill.setColorAt(0, top);
    fill.setColorAt(1, bottom);
    m_area->setBrush(fill);
    m_empty->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    const QString checked = accent.name();
    for (QAbstractButton* b : m_buttons->buttons())
        b->setStyleSheet(QStringLiteral("QPushButton { border: none; border-radius: 6px; padding: "
                                        "3px 8px; } QPushButton:checked { background: %1; color: "
                                        "white; font-weight: bold; }")
                             .arg(checked));
}

} // namespace llamadesk::ui
