#pragma once

#include <QSqlDatabase>
#include <QWidget>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace llamadesk::ui {

class AppController;
class DeleteDataDialog;

// The settings: appearance (language, theme), display (currency, number format), tax defaults,
// security (passphrase, keychain, auto-lock, recovery code), sync account, and data (export
// everything as JSON, delete all local data). App-wide choices live in QSettings under the
// shared keys, so every view reads the same values.
class SettingsView : public QWidget {
    Q_OBJECT
public:
    explicit SettingsView(AppController* controller, QWidget* parent = nullptr);
    ~SettingsView() override;

    QComboBox* themeBox() const { return m_theme; }
    QSpinBox* autoLockBox() const { return m_autoLock; }
    QComboBox* languageBox() const { return m_language; }
    QComboBox* currencyBox() const { return m_currency; }
    QComboBox* localeBox() const { return m_locale; }
    QComboBox* jurisdictionBox() const { return m_jurisdiction; }
    QComboBox* methodBox() const { return m_method; }
    QComboBox* scopeBox() const { return m_scope; }
    QComboBox* timeZoneBox() const { return m_timeZone; }
    QCheckBox* keychainBox() const { return m_keychain; }
    QLabel* currencyNote() const { return m_currencyNote; }

    // Applies "display/currency" and "display/locale" to app::MoneyFormat. A currency other
    // than USD needs its rate in the vault's prices (the fiat's symbol priced in USD); without
    // one amounts stay in USD and `note` says so. Returns whether the chosen currency is used.
    static bool applyDisplaySettings(const QSqlDatabase& db, QString* note = nullptr);

    // Writes the export on a worker thread; exportFinished() reports.
    void exportTo(const QString& path);
    bool isExporting() const { return bool(m_exportCancel); }
    // The typed-confirmation dialog (not shown); accepting it deletes the vault.
    DeleteDataDialog* deleteDialog();

public slots:
    void exportEverything();
    void deleteAllData();
    void changePassphrase();
    void newRecoveryCode();

signals:
    void themeChanged();
    // The display currency or number format changed: views showing money should refresh.
    void displaySettingsChanged();
    void exportFinished(bool ok, const QString& message);
    void statusMessage(const QString& text);

private:
    QWidget* buildAppearance();
    QWidget* buildDisplay();
    QWidget* buildTax();
    QWidget* buildSecurity();
    QWidget* buildSync();
    QWidget* buildData();
    void refreshVault();
    void refreshDisplay();
    void showRecoveryCode(const QString& code);

    AppController* m_controller;
    QComboBox* m_theme = nullptr;
    QSpinBox* m_autoLock = nullptr;
    QLabel* m_vault = nullptr;
    QComboBox* m_language = nullptr;
    QComboBox* m_currency = nullptr;
    QComboBox* m_locale = nullptr;
    QLabel* m_currencyNote = nullptr;
    QLabel* m_example = nullptr;
    QComboBox* m_jurisdiction = nullptr;
    QComboBox* m_method = nullptr;
    QComboBox* m_scope = nullptr;
    QComboBox* m_timeZone = nullptr;
    QCheckBox* m_keychain = nullptr;
    QPushButton* m_changePassphrase = nullptr;
    QPushButton* m_recovery = nullptr;
    QLabel* m_securityStatus = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_cancelExport = nullptr;
    QPushButton* m_delete = nullptr;
    QProgressBar* m_exportProgress = nullptr;
    QLabel* m_exportStatus = nullptr;
    std::shared_ptr<std::atomic<bool>> m_exportCancel;
};

} // namespace llamadesk::ui
