#include "SettingsView.h"

#include "DeleteDataDialog.h"
#include "app/AppController.h"
#include "app/GdprExport.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "onboarding/RecoveryCodePanel.h"
#include "store/ReferenceDataRepository.h"
#include "widgets/PassphraseForm.h"
#include "widgets/ViewPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

namespace {

const QStringList kCurrencies = {QStringLiteral("USD"), QStringLiteral("EUR"),
                                 QStringLiteral("GBP"), QStringLiteral("CHF"),
                                 QStringLiteral("JPY")};
// Number formats offered besides the system's: the usual separators of the app's markets.
const QStringList kLocales = {
    QStringLiteral("en_US"), QStringLiteral("en_GB"), QStringLiteral("de_DE"),
    QStringLiteral("de_CH"), QStringLiteral("fr_FR"), QStringLiteral("es_ES"),
    QStringLiteral("it_IT"), QStringLiteral("nl_NL"), QStringLiteral("ja_JP")};

QString defaultTimeZone(const QString& jurisdiction) {
    return jurisdiction == QLatin1String("UK") ? QStringLiteral("Europe/London")
                                               : QStringLiteral("UTC");
}

QLabel* note(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    return label;
}

QFormLayout* formFor(QGroupBox* box) {
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setHorizontalSpacing(14);
    return form;
}

void selectData(QComboBox* box, const QVariant& value) {
    const int i = box->findData(value);
    box->setCurrentIndex(i >= 0 ? i : 0);
}

} // namespace

SettingsView::SettingsView(AppController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    auto* content = new QWidget(scroll);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(16, 14, 16, 16);
    layout->setSpacing(12);
    auto* title = ViewPage::makeTitle(tr("Settings"), content);
    layout->addWidget(title);

    QList<QWidget*> sections = {buildAppearance(), buildDisplay(), buildTax(),
                                buildSecurity(),   buildSync(),    buildData()};
    auto* vaultBox = new QGroupBox(tr("Vault"), content);
    auto* v = new QVBoxLayout(vaultBox);
    m_vault = new QLabel(vaultBox);
    m_vault->setWordWrap(true);
    m_vault->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_vault);
    sections.append(vaultBox);
    for (QWidget* section : std::as_const(sections)) {
        // One label column across the sections, and notes as wide as the column allows.
        if (auto* form = qobject_cast<QFormLayout*>(section->layout())) {
            for (int row = 0; row < form->rowCount(); ++row) {
                if (QLayoutItem* label = form->itemAt(row, QFormLayout::LabelRole);
                    label != nullptr && label->widget() != nullptr)
                    label->widget()->setMinimumWidth(190);
                if (QLayoutItem* field = form->itemAt(row, QFormLayout::FieldRole);
                    field != nullptr && qobject_cast<QLabel*>(field->widget()) != nullptr)
                    field->widget()->setMinimumWidth(460);
            }
        }
        section->setParent(content);
        section->setMaximumWidth(760); // a readable column, not stretched across a wide window
        layout->addWidget(section);
    }
    layout->addStretch();

    connect(controller, &AppController::stateChanged, this, &SettingsView::refreshVault);
    connect(controller, &AppController::unlocked, this, &SettingsView::refreshDisplay);
    connect(controller, &AppController::securityActionFinished, this,
            [this](bool ok, const QString& message) {
                m_securityStatus->setText(ok ? tr("Done.") : message);
                m_securityStatus->setStyleSheet(
                    QStringLiteral("color: %1;")
                        .arg((ok ? Theme::positive() : Theme::negative()).name()));
                refreshVault();
            });
    connect(controller, &AppController::recoveryCodeRegenerated, this,
            &SettingsView::showRecoveryCode);
    connect(controller, &AppController::aboutToLock, this, [this] {
        if (m_exportCancel)
            m_exportCancel->store(true);
    });
    refreshVault();
    if (controller->isUnlocked())
        refreshDisplay();
}

SettingsView::~SettingsView() {
    if (m_exportCancel)
        m_exportCancel->store(true);
}

QWidget* SettingsView::buildAppearance() {
    auto* box = new QGroupBox(tr("Appearance"));
    QFormLayout* form = formFor(box);
    m_language = new QComboBox(box);
    m_language->setObjectName(QStringLiteral("languageBox"));
    m_language->addItem(tr("Same as the system"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    // Translations shipped with the app, named llamadesk_<language>.qm.
    const QStringList shipped =
        QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("llamadesk_*.qm")}, QDir::Files);
    for (const QString& file : shipped) {
        const QString code = file.mid(10, file.size() - 13);
        if (code != QLatin1String("en"))
            m_language->addItem(QLocale(code).nativeLanguageName(), code);
    }
    QSettings settings;
    selectData(m_language, settings.value(QStringLiteral("display/language")).toString());
    form->addRow(tr("&Language:"), m_language);
    auto* languageNote = note(tr("A new language applies the next time LlamaDesk starts."), box);
    form->addRow(QString(), languageNote);
    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(QStringLiteral("display/language"), m_language->currentData());
        emit statusMessage(tr("The language changes the next time LlamaDesk starts."));
    });

    m_theme = new QComboBox(box);
    m_theme->setObjectName(QStringLiteral("themeBox"));
    m_theme->addItem(tr("Follow the system"), int(Theme::Choice::System));
    m_theme->addItem(tr("Light"), int(Theme::Choice::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Choice::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(Theme::savedChoice())));
    form->addRow(tr("&Theme:"), m_theme);
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this] {
        const auto choice = Theme::Choice(m_theme->currentData().toInt());
        Theme::saveChoice(choice);
        Theme::apply(choice);
        emit themeChanged();
    });
    return box;
}

QWidget* SettingsView::buildDisplay() {
    auto* box = new QGroupBox(tr("Display"));
    QFormLayout* form = formFor(box);
    QSettings settings;
    m_currency = new QComboBox(box);
    m_currency->setObjectName(QStringLiteral("currencyBox"));
    for (const QString& code : kCurrencies)
        m_currency->addItem(QStringLiteral("%1  %2").arg(code, app::MoneyFormat::symbol(code)),
                            code);
    selectData(
        m_currency,
        settings.value(QStringLiteral("display/currency"), QStringLiteral("USD")).toString());
    form->addRow(tr("&Currency:"), m_currency);
    m_currencyNote = note(QString(), box);
    form->addRow(QString(), m_currencyNote);
    m_locale = new QComboBox(box);
    m_locale->setObjectName(QStringLiteral("localeBox"));
    m_locale->addItem(tr("Same as the system (%1)").arg(QLocale::system().name()), QString());
    for (const QString& name : kLocales) {
        const QLocale l(name);
        m_locale->addItem(QStringLiteral("%1 (%2) — %3")
                              .arg(l.nativeLanguageName(), l.nativeTerritoryName(),
                                   l.toString(1234567.89, 'f', 2)), // a format sample, not money
                          name);
    }
    selectData(m_locale, settings.value(QStringLiteral("display/locale")).toString());
    form->addRow(tr("&Number format:"), m_locale);
    m_example = new QLabel(box);
    form->addRow(tr("Example:"), m_example);
    auto changed = [this] {
        QSettings s;
        s.setValue(QStringLiteral("display/currency"), m_currency->currentData());
        s.setValue(QStringLiteral("display/locale"), m_locale->currentData());
        refreshDisplay();
        emit displaySettingsChanged();
    };
    connect(m_currency, &QComboBox::currentIndexChanged, this, changed);
    connect(m_locale, &QComboBox::currentIndexChanged, this, changed);
    return box;
}

QWidget* SettingsView::buildTax() {
    auto* box = new QGroupBox(tr("Tax defaults"));
    QFormLayout* form = formFor(box);
    QSettings settings;
    m_jurisdiction = new QComboBox(box);
    m_jurisdiction->setObjectName(QStringLiteral("jurisdictionBox"));
    m_jurisdiction->addItem(tr("United States (IRS)"), QStringLiteral("US"));
    m_jurisdiction->addItem(tr("United Kingdom (HMRC)"), QStringLiteral("UK"));
    selectData(m_jurisdiction,
               settings.value(QStringLiteral("tax/jurisdiction"), QStringLiteral("US")).toString());
    form->addRow(tr("&Jurisdiction:"), m_jurisdiction);
    m_method = new QComboBox(box);
    m_method->setObjectName(QStringLiteral("methodBox"));
    m_method->addItem(tr("FIFO — first in, first out"), QStringLiteral("fifo"));
    m_method->addItem(tr("LIFO — last in, first out"), QStringLiteral("lifo"));
    m_method->addItem(tr("HIFO — highest cost first"), QStringLiteral("hifo"));
    m_method->addItem(tr("Specific identification"), QStringLiteral("specific"));
    selectData(m_method,
               settings.value(QStringLiteral("tax/method"), QStringLiteral("fifo")).toString());
    form->addRow(tr("Cost basis &method:"), m_method);
    m_scope = new QComboBox(box);
    m_scope->setObjectName(QStringLiteral("scopeBox"));
    m_scope->addItem(tr("Per wallet"), QStringLiteral("wallet"));
    m_scope->addItem(tr("Universal (all wallets together)"), QStringLiteral("universal"));
    selectData(m_scope,
               settings.value(QStringLiteral("tax/scope"), QStringLiteral("wallet")).toString());
    form->addRow(tr("Lot &scope:"), m_scope);
    m_timeZone = new QComboBox(box);
    m_timeZone->setObjectName(QStringLiteral("timeZoneBox"));
    m_timeZone->setEditable(true);
    m_timeZone->setInsertPolicy(QComboBox::NoInsert);
    for (const QByteArray& id : QTimeZone::availableTimeZoneIds())
        m_timeZone->addItem(QString::fromLatin1(id), QString::fromLatin1(id));
    const QString jurisdiction = m_jurisdiction->currentData().toString();
    selectData(
        m_timeZone,
        settings.value(QStringLiteral("tax/timezone"), defaultTimeZone(jurisdiction)).toString());
    form->addRow(tr("Tax &time zone:"), m_timeZone);
    auto* ukNote = note(tr("UK rules use share pooling (same day, 30 days, section 104): the "
                           "method and scope do not apply."),
                        box);
    form->addRow(QString(), ukNote);
    auto sync = [this, ukNote] {
        const bool uk = m_jurisdiction->currentData().toString() == QLatin1String("UK");
        m_method->setEnabled(!uk);
        m_scope->setEnabled(!uk);
        ukNote->setVisible(uk);
    };
    sync();
    connect(m_jurisdiction, &QComboBox::currentIndexChanged, this, [this, sync] {
        QSettings s;
        const QString previous =
            s.value(QStringLiteral("tax/jurisdiction"), QStringLiteral("US")).toString();
        const QString now = m_jurisdiction->currentData().toString();
        s.setValue(QStringLiteral("tax/jurisdiction"), now);
        // A time zone left at the old default follows the jurisdiction.
        if (m_timeZone->currentData().toString() == defaultTimeZone(previous))
            selectData(m_timeZone, defaultTimeZone(now));
        sync();
    });
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(QStringLiteral("tax/method"), m_method->currentData());
    });
    connect(m_scope, &QComboBox::currentIndexChanged, this,
            [this] { QSettings().setValue(QStringLiteral("tax/scope"), m_scope->currentData()); });
    connect(m_timeZone, &QComboBox::currentIndexChanged, this, [this] {
        if (m_timeZone->currentIndex() >= 0)
            QSettings().setValue(QStringLiteral("tax/timezone"), m_timeZone->currentData());
    });
    return box;
}

QWidget* SettingsView::buildSecurity() {
    auto* box = new QGroupBox(tr("Security"));
    QFormLayout* form = formFor(box);
    m_autoLock = new QSpinBox(box);
    m_autoLock->setObjectName(QStringLiteral("autoLockBox"));
    m_autoLock->setRange(0, 24 * 60);
    m_autoLock->setSuffix(tr(" min"));
    m_autoLock->setSpecialValueText(tr("Never"));
    m_autoLock->setValue(m_controller->autoLockMinutes());
    form->addRow(tr("&Lock after being idle for:"), m_autoLock);
    connect(m_autoLock, &QSpinBox::valueChanged, m_controller, &AppController::setAutoLockMinutes);
    auto* lockNow = new QPushButton(tr("Lock now"), box);
    connect(lockNow, &QPushButton::clicked, m_controller, &AppController::lock);
    form->addRow(QString(), lockNow);

    m_changePassphrase = new QPushButton(tr("Change passphrase…"), box);
    connect(m_changePassphrase, &QPushButton::clicked, this, &SettingsView::changePassphrase);
    form->addRow(tr("Passphrase:"), m_changePassphrase);
    m_keychain =
        new QCheckBox(tr("Keep the key in the system keychain (unlock without typing)"), box);
    m_keychain->setObjectName(QStringLiteral("keychainBox"));
    form->addRow(tr("Keychain:"), m_keychain);
    connect(m_keychain, &QCheckBox::clicked, this, [this](bool on) {
        m_securityStatus->setText(tr("Working…"));
        m_controller->setKeychainEnabled(on);
    });
    m_recovery = new QPushButton(tr("New recovery code…"), box);
    connect(m_recovery, &QPushButton::clicked, this, &SettingsView::newRecoveryCode);
    form->addRow(tr("Recovery code:"), m_recovery);
    m_securityStatus = new QLabel(box);
    m_securityStatus->setWordWrap(true);
    form->addRow(QString(), m_securityStatus);
    return box;
}

QWidget* SettingsView::buildSync() {
    auto* box = new QGroupBox(tr("Sync account"));
    auto* v = new QVBoxLayout(box);
    v->addWidget(note(tr("Syncing between your computers arrives with LlamaDesk sync. Until then "
                         "everything stays in the encrypted vault on this computer."),
                      box));
    auto* signIn = new QPushButton(tr("Sign in…"), box);
    signIn->setEnabled(false);
    v->addWidget(signIn, 0, Qt::AlignLeft);
    return box;
}

QWidget* SettingsView::buildData() {
    auto* box = new QGroupBox(tr("Your data"));
    auto* v = new QVBoxLayout(box);
    v->addWidget(note(tr("Export every table of your vault to one JSON file (decimal amounts as "
                         "exact text), for your records or another tool. The file is not "
                         "encrypted: keep it somewhere safe."),
                      box));
    auto* exportRow = new QHBoxLayout;
    m_export = new QPushButton(tr("Export everything (JSON)…"), box);
    m_cancelExport = new QPushButton(tr("Cancel"), box);
    m_cancelExport->hide();
    m_exportProgress = new QProgressBar(box);
    m_exportProgress->setRange(0, 100);
    m_exportProgress->setMaximumWidth(220);
    m_exportProgress->hide();
    exportRow->addWidget(m_export);
    exportRow->addWidget(m_exportProgress);
    exportRow->addWidget(m_cancelExport);
    exportRow->addStretch();
    v->addLayout(exportRow);
    m_exportStatus = new QLabel(box);
    m_exportStatus->setWordWrap(true);
    m_exportStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_exportStatus);
    connect(m_export, &QPushButton::clicked, this, &SettingsView::exportEverything);
    connect(m_cancelExport, &QPushButton::clicked, this, [this] {
        if (m_exportCancel)
            m_exportCancel->store(true);
    });

    auto* danger = new QFrame(box);
    danger->setFrameShape(QFrame::HLine);
    danger->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    v->addSpacing(6);
    v->addWidget(danger);
    v->addWidget(note(tr("Delete the vault, its key file and its keychain entry from this "
                         "computer, and start over."),
                      box));
    m_delete = new QPushButton(tr("Delete all local data…"), box);
    QPalette red = m_delete->palette(); // a palette role, so the native button look stays
    red.setColor(QPalette::Active, QPalette::ButtonText, Theme::negative());
    red.setColor(QPalette::Inactive, QPalette::ButtonText, Theme::negative());
    m_delete->setPalette(red);
    connect(m_delete, &QPushButton::clicked, this, &SettingsView::deleteAllData);
    v->addWidget(m_delete, 0, Qt::AlignLeft);
    return box;
}

bool SettingsView::applyDisplaySettings(const QSqlDatabase& db, QString* noteText) {
    QSettings settings;
    const QString localeName = settings.value(QStringLiteral("display/locale")).toString();
    app::MoneyFormat::setLocale(localeName.isEmpty() ? QLocale::system() : QLocale(localeName));
    const QString code =
        settings.value(QStringLiteral("display/currency"), QStringLiteral("USD")).toString();
    auto set = [&](const app::DisplayCurrency& c, const QString& text) {
        app::MoneyFormat::setCurrency(c);
        if (noteText != nullptr)
            *noteText = text;
    };
    if (code == QLatin1String("USD") || code.isEmpty()) {
        set(app::DisplayCurrency(), tr("Your vault keeps values in US dollars."));
        return true;
    }
    std::optional<PricePoint> rate;
    if (db.isOpen()) {
        store::ReferenceDataRepository prices(db);
        const auto found = prices.priceAt(code, Timestamp::now());
        if (found && found.value() && found.value()->priceUsd.isPositive())
            rate = found.value();
    }
    if (!rate) {
        set(app::DisplayCurrency(),
            tr("Your vault has no %1 exchange rate yet, so amounts stay in US dollars.").arg(code));
        return false;
    }
    app::DisplayCurrency c;
    c.code = code;
    c.usdPerUnit = rate->priceUsd;
    set(c,
        tr("1 %1 = %2 (rate of %3 from your vault's prices).")
            .arg(code,
                 QStringLiteral("$") + rate->priceUsd.round(4, RoundingMode::HalfEven).toString(2),
                 QLocale().toString(rate->timestamp.toDateTime().toLocalTime().date(),
                                    QLocale::ShortFormat)));
    return true;
}

void SettingsView::refreshDisplay() {
    QString text;
    const bool used = applyDisplaySettings(
        m_controller->isUnlocked() ? m_controller->database() : QSqlDatabase(), &text);
    m_currencyNote->setText(text);
    m_currencyNote->setStyleSheet(
        QStringLiteral("color: %1;").arg((used ? Theme::mutedText() : Theme::warning()).name()));
    m_example->setText(
        app::MoneyFormat::money(Decimal::fromScaled(123456789, 2)) + QStringLiteral("   ") +
        app::MoneyFormat::signedMoney(Decimal::fromScaled(-4250, 2)) + QStringLiteral("   ") +
        app::MoneyFormat::percent(Decimal::fromScaled(1234, 4), true));
}

void SettingsView::refreshVault() {
    const bool unlocked = m_controller->isUnlocked();
    for (QWidget* w : {static_cast<QWidget*>(m_changePassphrase), static_cast<QWidget*>(m_keychain),
                       static_cast<QWidget*>(m_recovery), static_cast<QWidget*>(m_export),
                       static_cast<QWidget*>(m_delete)})
        w->setEnabled(unlocked);
    if (!unlocked) {
        m_vault->setText(tr("Locked."));
        return;
    }
    const vault::VaultInfo info = m_controller->info();
    m_keychain->setChecked(info.hasKeychain);
    m_changePassphrase->setText(info.hasPassphrase ? tr("Change passphrase…")
                                                   : tr("Set a passphrase…"));
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

void SettingsView::changePassphrase() {
    if (!m_controller->isUnlocked())
        return;
    const bool has = m_controller->info().hasPassphrase;
    QDialog dialog(this);
    dialog.setWindowTitle(has ? tr("Change passphrase") : tr("Set a passphrase"));
    dialog.setMinimumWidth(440);
    auto* layout = new QVBoxLayout(&dialog);
    QLineEdit* current = nullptr;
    if (has) {
        layout->addWidget(new QLabel(tr("Current passphrase:"), &dialog));
        current = new QLineEdit(&dialog);
        current->setEchoMode(QLineEdit::Password);
        layout->addWidget(current);
    }
    layout->addWidget(new QLabel(tr("New passphrase:"), &dialog));
    auto* form = new PassphraseForm(&dialog);
    layout->addWidget(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(has ? tr("Change") : tr("Set"));
    auto refresh = [ok, form, current] {
        ok->setEnabled(form->isAcceptable() && (current == nullptr || !current->text().isEmpty()));
    };
    refresh();
    connect(form, &PassphraseForm::changed, &dialog, refresh);
    if (current != nullptr)
        connect(current, &QLineEdit::textChanged, &dialog, refresh);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_controller, &AppController::aboutToLock, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_securityStatus->setText(tr("Changing the passphrase…"));
    m_securityStatus->setStyleSheet(QString());
    m_controller->changePassphrase(current != nullptr ? current->text() : QString(),
                                   form->passphrase());
    if (current != nullptr)
        current->clear();
    form->clear();
}

void SettingsView::newRecoveryCode() {
    if (!m_controller->isUnlocked())
        return;
    if (QMessageBox::question(this, tr("New recovery code"),
                              tr("Make a new recovery code? The old one stops working.")) !=
        QMessageBox::Yes)
        return;
    m_securityStatus->setText(tr("Making a new recovery code…"));
    m_securityStatus->setStyleSheet(QString());
    m_controller->regenerateRecoveryCode();
}

void SettingsView::showRecoveryCode(const QString& code) {
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("recoveryCodeDialog"));
    dialog->setWindowTitle(tr("Your new recovery code"));
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(note(tr("Shown only this once. Keep it somewhere safe and away from this "
                              "computer: with it you can unlock the vault if you forget the "
                              "passphrase."),
                           dialog));
    auto* panel = new RecoveryCodePanel(dialog);
    panel->setCode(code);
    layout->addWidget(panel);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QPushButton* close = buttons->button(QDialogButtonBox::Close);
    close->setEnabled(false);
    connect(panel, &RecoveryCodePanel::confirmedChanged, close, &QPushButton::setEnabled);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::accept);
    connect(dialog, &QDialog::finished, panel, &RecoveryCodePanel::clear);
    connect(m_controller, &AppController::aboutToLock, dialog, &QDialog::accept);
    layout->addWidget(buttons);
    dialog->open();
}

void SettingsView::exportEverything() {
    if (!m_controller->isUnlocked() || m_exportCancel)
        return;
    const QString suggested =
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .filePath(QStringLiteral("llamadesk-export-%1.json")
                          .arg(QDate::currentDate().toString(Qt::ISODate)));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export everything"), suggested,
                                                      tr("JSON files (*.json)"));
    if (!path.isEmpty())
        exportTo(path);
}

void SettingsView::exportTo(const QString& path) {
    const std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    if (!vault || m_exportCancel)
        return;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto percent = std::make_shared<std::atomic<int>>(0);
    m_exportCancel = cancel;
    m_export->setEnabled(false);
    m_exportProgress->setValue(0);
    m_exportProgress->show();
    m_cancelExport->show();
    m_exportStatus->setText(tr("Exporting…"));
    // The worker only stores its progress; the GUI polls it.
    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this,
            [this, percent] { m_exportProgress->setValue(*percent); });
    poll->start(100);
    using Outcome = std::pair<bool, QString>;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, poll, cancel, path] {
        watcher->deleteLater();
        poll->deleteLater();
        if (m_exportCancel == cancel)
            m_exportCancel.reset();
        m_exportProgress->hide();
        m_cancelExport->hide();
        m_export->setEnabled(m_controller->isUnlocked());
        const Outcome outcome = watcher->result();
        m_exportStatus->setText(outcome.second);
        m_exportStatus->setStyleSheet(
            QStringLiteral("color: %1;")
                .arg((outcome.first ? Theme::positive() : Theme::negative()).name()));
        emit statusMessage(outcome.second);
        emit exportFinished(outcome.first, outcome.second);
    });
    watcher->setFuture(app::runInBackground([vault, path, cancel, percent]() -> Outcome {
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen())
            return {false, connection.error()};
        app::GdprExportOptions options;
        options.cancel = cancel.get();
        options.progress = [percent](int p, const QString&) {
            percent->store(p);
        };
        const auto written = app::GdprExport::write(connection.database(), path, options);
        if (!written)
            return {false, written.error()};
        return {true,
                tr("Exported %n row(s) from %1 tables to %2.", nullptr, int(written.value().rows))
                    .arg(written.value().tables.size())
                    .arg(QDir::toNativeSeparators(path))};
    }));
}

DeleteDataDialog* SettingsView::deleteDialog() {
    auto* dialog = new DeleteDataDialog(m_controller->vaultPath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, m_controller, &AppController::deleteVault);
    connect(m_controller, &AppController::aboutToLock, dialog, &QDialog::reject);
    return dialog;
}

void SettingsView::deleteAllData() {
    if (!m_controller->isUnlocked())
        return;
    deleteDialog()->open();
}

} // namespace llamadesk::ui
