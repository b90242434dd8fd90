#include "AlertBanner.h"

#include "app/Theme.h"

#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace llamadesk::ui {

AlertBanner::AlertBanner(QWidget* parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("alertBanner"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(14, 10, 8, 10);
    auto* text = new QVBoxLayout;
    text->setSpacing(2);
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    text->addWidget(m_title);
    text->addWidget(m_message);
    row->addLayout(text, 1);
    auto* close = new QToolButton(this);
    close->setText(tr("Dismiss"));
    close->setAutoRaise(true);
    connect(close, &QToolButton::clicked, this, [this] {
        m_count = 0;
        hide();
    });
    row->addWidget(close, 0, Qt::AlignTop);
    hide();
}

void AlertBanner::restyle() {
    const QColor edge = m_severity == Severity::Critical  ? Theme::negative()
                        : m_severity == Severity::Warning ? Theme::warning()
                                                          : Theme::accent();
    QColor fill = edge;
    fill.setAlpha(Theme::isDark() ? 60 : 34);
    // The text colour is explicit: a style sheet on the frame would otherwise keep the colours of
    // the theme it was set under.
    m_restyling = true;
    setStyleSheet(
        QStringLiteral("#alertBanner { background: rgba(%1, %2, %3, %4); border-left: "
                       "4px solid %5; border-radius: 6px; } #alertBanner QLabel { "
                       "color: %6; }")
            .arg(fill.red())
            .arg(fill.green())
            .arg(fill.blue())
            .arg(fill.alpha())
            .arg(edge.name(), QGuiApplication::palette().color(QPalette::WindowText).name()));
    m_restyling = false;
}

void AlertBanner::changeEvent(QEvent* event) {
    QFrame::changeEvent(event);
    if ((event->type() == QEvent::PaletteChange ||
         event->type() == QEvent::ApplicationPaletteChange) &&
        !m_restyling && isVisible())
        restyle();
}

void AlertBanner::notify(const QString& title, const QString& message, Severity severity) {
    m_severity = severity;
    restyle();
    ++m_count;
    m_title->setText(
        m_count > 1 ? tr("%1 (and %n earlier alert(s))", nullptr, m_count - 1).arg(title) : title);
    m_message->setText(message);
    show();
}

QString AlertBanner::title() const {
    return m_title->text();
}

QString AlertBanner::message() const {
    return m_message->text();
}

} // namespace llamadesk::ui
