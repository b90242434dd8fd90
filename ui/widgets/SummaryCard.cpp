#include "SummaryCard.h"

#include "app/Theme.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace llamadesk::ui {

SummaryCard::SummaryCard(const QString& caption, QWidget* parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("summaryCard"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(2);
    m_caption = new QLabel(caption, this);
    m_value = new QLabel(this);
    m_value->setObjectName(QStringLiteral("cardValue"));
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.55);
    big.setBold(true);
    m_value->setFont(big);
    m_detail = new QLabel(this);
    m_detail->setObjectName(QStringLiteral("cardDetail"));
    m_detail->setWordWrap(true);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    layout->addStretch();
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setMinimumWidth(170);
    restyle();
    clear();
}

void SummaryCard::setCaption(const QString& caption) {
    m_caption->setText(caption);
}

void SummaryCard::setValue(const QString& value, const QColor& color) {
    m_value->setText(value);
    m_valueColor = color;
    restyle();
}

void SummaryCard::setDetail(const QString& detail, const QColor& color) {
    // A space keeps the card's height when there is no detail.
    m_detail->setText(detail.isEmpty() ? QStringLiteral(" ") : detail);
    m_detailColor = color;
    restyle();
}

void SummaryCard::clear() {
    m_value->setText(QStringLiteral("—"));
    m_detail->setText(QStringLiteral(" "));
    m_valueColor = QColor();
    m_detailColor = QColor();
    restyle();
}

QString SummaryCard::value() const {
    return m_value->text();
}

QString SummaryCard::detail() const {
    return m_detail->text().trimmed();
}

void SummaryCard::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange && !m_restyling)
        restyle();
    QFrame::changeEvent(event);
}

void SummaryCard::paintEvent(QPaintEvent* event) {
    // The card itself is painted, not styled: a style sheet here would keep palette changes from
    // reaching the labels.
    Q_UNUSED(event);
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10);
}

void SummaryCard::restyle() {
    // Style sheets do not follow palette changes by themselves: rebuilt on every theme change.
    m_restyling = true;
    const QPalette p = palette();
    const QString muted = Theme::mutedText().name();
    m_caption->setStyleSheet(QStringLiteral("color: %1;").arg(muted));
    m_value->setStyleSheet(
        QStringLiteral("color: %1;")
            .arg((m_valueColor.isValid() ? m_valueColor : p.color(QPalette::Text)).name()));
    m_detail->setStyleSheet(
        QStringLiteral("color: %1;")
            .arg((m_detailColor.isValid() ? m_detailColor : Theme::mutedText()).name()));
    m_restyling = false;
}

} // namespace llamadesk::ui
