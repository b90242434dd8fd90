#include "EmptyState.h"

#include "app/Icons.h"
#include "app/Theme.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace llamadesk::ui {

EmptyState::EmptyState(const QString& icon, const QString& title, const QString& text,
                       QWidget* parent)
    : QWidget(parent)
    , m_iconName(icon) {
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(3);
    m_icon = new QLabel(this);
    m_icon->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_icon);
    layout->addSpacing(12);
    m_title = new QLabel(title, this);
    m_title->setAlignment(Qt::AlignCenter);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    m_title->setFont(big);
    layout->addWidget(m_title);
    m_text = new QLabel(text, this);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    // A fixed width lets the wrapped text ask for the height it needs.
    m_text->setFixedWidth(460);
    m_text->setMinimumHeight(m_text->heightForWidth(460));
    layout->addWidget(m_text, 0, Qt::AlignHCenter);
    layout->addStretch(4);
    refreshIcon();
}

void EmptyState::setText(const QString& text) {
    m_text->setText(text);
    m_text->setMinimumHeight(m_text->heightForWidth(m_text->width()));
}

QString EmptyState::text() const {
    return m_text->text();
}

void EmptyState::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange)
        refreshIcon();
    QWidget::changeEvent(event);
}

void EmptyState::refreshIcon() {
    m_icon->setPixmap(Icons::pixmap(m_iconName, 64, devicePixelRatioF(), Theme::mutedText()));
    QPalette muted = m_text->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText());
    m_text->setPalette(muted);
}

} // namespace llamadesk::ui
