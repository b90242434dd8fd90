#include "PassphraseForm.h"

#include "app/PassphraseStrength.h"
#include "app/Theme.h"
#include "vault/SecureBytes.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>

namespace llamadesk::ui {

using app::PassphraseStrength;

PassphraseForm::PassphraseForm(QWidget* parent)
    : QWidget(parent) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_first = new QLineEdit(this);
    m_first->setObjectName(QStringLiteral("newPassphrase"));
    m_first->setEchoMode(QLineEdit::Password);
    m_first->setPlaceholderText(tr("Several words are easy to remember and hard to guess"));
    form->addRow(tr("&Passphrase:"), m_first);
    m_meter = new QProgressBar(this);
    m_meter->setRange(0, 100);
    m_meter->setTextVisible(false);
    m_meter->setFixedHeight(6);
    form->addRow(QString(), m_meter);
    m_strength = new QLabel(this);
    m_strength->setObjectName(QStringLiteral("strengthLabel"));
    m_strength->setWordWrap(true);
    form->addRow(QString(), m_strength);
    m_second = new QLineEdit(this);
    m_second->setObjectName(QStringLiteral("confirmPassphrase"));
    m_second->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&Confirm:"), m_second);
    m_match = new QLabel(this);
    m_match->setWordWrap(true);
    form->addRow(QString(), m_match);
    connect(m_first, &QLineEdit::textChanged, this, &PassphraseForm::update);
    connect(m_second, &QLineEdit::textChanged, this, &PassphraseForm::update);
    update();
}

PassphraseForm::~PassphraseForm() {
    clear();
}

QString PassphraseForm::passphrase() const {
    return m_first->text();
}

bool PassphraseForm::isAcceptable() const {
    return problem().isEmpty();
}

QString PassphraseForm::problem() const {
    const PassphraseStrength s = PassphraseStrength::estimate(m_first->text());
    if (!s.acceptable())
        return s.reason();
    if (m_first->text() != m_second->text())
        return tr("The two passphrases are not the same.");
    return QString();
}

void PassphraseForm::clear() {
    m_first->clear();
    m_second->clear();
}

void PassphraseForm::update() {
    const PassphraseStrength s = PassphraseStrength::estimate(m_first->text());
    QColor color = Theme::mutedText();
    int fill = 0;
    switch (s.level()) {
    case PassphraseStrength::Level::Empty:
        break;
    case PassphraseStrength::Level::Weak:
        color = Theme::negative();
        fill = 25;
        break;
    case PassphraseStrength::Level::Fair:
        color = Theme::warning();
        fill = 60;
        break;
    case PassphraseStrength::Level::Strong:
        color = Theme::positive();
        fill = 100;
        break;
    }
    m_meter->setValue(fill);
    QPalette meter = m_meter->palette();
    meter.setColor(QPalette::Highlight, color);
    m_meter->setPalette(meter);
    m_strength->setText(s.level() == PassphraseStrength::Level::Empty
                            ? s.reason()
                            : tr("<b>%1.</b> %2").arg(s.levelText(), s.reason().toHtmlEscaped()));
    QPalette label = m_strength->palette();
    label.setColor(QPalette::WindowText,
                   s.level() == PassphraseStrength::Level::Empty ? Theme::mutedText() : color);
    m_strength->setPalette(label);
    if (!m_second->text().isEmpty() && m_second->text() != m_first->text())
        m_match->setText(tr("The two passphrases are not the same."));
    else
        m_match->clear();
    emit changed();
}

} // namespace llamadesk::ui
