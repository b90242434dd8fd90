#include "SettingsView.h"

#include "app/AppController.h"
#include "app/Theme.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace llamadesk::ui {

SettingsView::SettingsView(AppController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 16);
    auto* title = new QLabel(tr("Settings"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    title->setFont(big);
    layout->addWidget(title);

    auto* appearance = new QGroupBox(tr("Appearance"), this);
    auto* a = new QFormLayout(appearance);
    a->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_theme = new QComboBox(appearance);
    m_theme->setObjectName(QStringLiteral("themeBox"));
    m_theme->addItem(tr("Follow the system"), int(Theme::Choice::System));
    m_theme->addItem(tr("Light"), int(Theme::Choice::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Choice::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(Theme::savedChoice())));
    a->addRow(tr("&Theme:"), m_theme);
    layout->addWidget(appearance);
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this] {
        const auto choice = Theme::Choice(m_theme->currentData().toInt());
        Theme::saveChoice(choice);
        Theme::apply(choice);
        emit themeChanged();
    });

    auto* security = new QGroupBox(tr("Security"), this);
    auto* s = new QFormLayout(security);
    s->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_autoLock = new QSpinBox(security);
    m_autoLock->setObjectName(QStringLiteral("autoLockBox"));
    m_autoLock->setRange(0, 24 * 60);
    m_autoLock->setSuffix(tr(" min"));
    m_autoLock->setSpecialValueText(tr("Never"));
    m_autoLock->setValue(controller->autoLockMinutes());
    s->addRow(tr("&Lock after being idle for:"), m_autoLock);
    connect(m_autoLock, &QSpinBox::valueChanged, controller, &AppController::setAutoLockMinutes);
    auto* lockNow = new QPushButton(tr("Lock now"), security);
    connect(lockNow, &QPushButton::clicked, controller, &AppController::lock);
    s->addRow(QString(), lockNow);
    layout->addWidget(security);

    auto* vaultBox = new QGroupBox(tr("Vault"), this);
    auto* v = new QVBoxLayout(vaultBox);
    m_vault = new QLabel(vaultBox);
    m_vault->setWordWrap(true);
    m_vault->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_vault);
    layout->addWidget(vaultBox);
    layout->addStretch();
    for (QGroupBox* box : {appearance, security, vaultBox})
        box->setMaximumWidth(720); // a readable column, not stretched across a wide window
    connect(controller, &AppController::stateChanged, this, &SettingsView::refreshVault);
    refreshVault();
}

void SettingsView::refreshVault() {
    if (!m_controller->isUnlocked()) {
        m_vault->setText(tr("Locked."));
        return;
    }
    const vault::VaultInfo info = m_controller->info();
    QStringList methods;
    if (info.hasKeychain)
        methods << tr("system keychain");
    if (info.hasPassphrase)
        methods << tr("passphrase");
    if (info.hasRecoveryCode)
        methods << tr("recovery code");
    m_vault->setText(tr("File: %1\nEncrypted with SQLCipher %2, schema version %3, %4.\nUnlocks "
                        "with: %5.")
                         .arg(info.path, info.cipherVersion)
                         .arg(info.schemaVersion)
                         .arg(QLocale().formattedDataSize(info.databaseBytes))
                         .arg(methods.join(QStringLiteral(", "))));
}

} // namespace llamadesk::ui
