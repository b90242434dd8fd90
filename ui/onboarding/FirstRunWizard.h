#pragma once

#include <QWizard>

#include <atomic>
#include <memory>

class QButtonGroup;
class QLabel;
class QProgressBar;
class QRadioButton;

namespace llamadesk::ui {

class AppController;
class PassphraseForm;
class RecoveryCodePanel;

// First run: welcome, how the vault is protected (keychain or passphrase), the recovery code
// shown once, sync (later), and what to start with (empty, a CSV import, or sample data).
class FirstRunWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { WelcomePage, ProtectionPage, RecoveryPage, SyncPage, DataPage };
    enum class DataChoice { Empty, ImportCsv, Sample };

    explicit FirstRunWizard(AppController* controller, QWidget* parent = nullptr);
    ~FirstRunWizard() override;

    static QString dataChoiceSettingsKey() { return QStringLiteral("onboarding/dataChoice"); }
    // Rows of sample data "explore with sample data" writes.
    void setSampleSize(qint64 rows) { m_sampleRows = rows; }

    // For tests and screenshots.
    QRadioButton* keychainOption() const { return m_keychain; }
    QRadioButton* passphraseOption() const { return m_passphraseOption; }
    PassphraseForm* passphraseForm() const { return m_passphrase; }
    RecoveryCodePanel* recoveryPanel() const { return m_recovery; }
    QRadioButton* dataOption(DataChoice choice) const;
    QLabel* protectionStatus() const { return m_protectionStatus; }
    bool isWorking() const { return m_working; }
    qint64 sampleRowsWritten() const { return m_sampleWritten; }

    void done(int result) override;

private:
    friend class ProtectionPageImpl;
    friend class DataPageImpl;
    QWizardPage* makeWelcome();
    QWizardPage* makeProtection();
    QWizardPage* makeRecovery();
    QWizardPage* makeSync();
    QWizardPage* makeData();
    bool startCreate();
    bool startData();
    void setWorking(bool working, const QString& what);

    AppController* m_controller;
    QRadioButton* m_keychain = nullptr;
    QRadioButton* m_passphraseOption = nullptr;
    PassphraseForm* m_passphrase = nullptr;
    QLabel* m_keychainNote = nullptr;
    QLabel* m_protectionStatus = nullptr;
    QProgressBar* m_protectionBusy = nullptr;
    RecoveryCodePanel* m_recovery = nullptr;
    QButtonGroup* m_dataGroup = nullptr;
    QLabel* m_dataStatus = nullptr;
    QProgressBar* m_dataProgress = nullptr;
    bool m_created = false;
    bool m_working = false;
    bool m_dataDone = false;
    qint64 m_sampleRows = 2000;
    qint64 m_sampleWritten = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace llamadesk::ui
