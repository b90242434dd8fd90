#pragma once

#include "vault/Vault.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace llamadesk::ui {

class AppController;

// What the user sees while the vault is locked: the passphrase field (or the recovery code),
// plain-language errors, a wait after wrong attempts and a Caps Lock hint. After a recovery-code
// unlock it asks for a new passphrase and shows a new recovery code.
class UnlockScreen : public QWidget {
    Q_OBJECT
public:
    explicit UnlockScreen(AppController* controller, QWidget* parent = nullptr);

    // The sentence shown for an error of the vault.
    static QString messageFor(vault::VaultError error, const QString& detail);

    QLineEdit* passphraseEdit() const { return m_passphrase; }
    QLineEdit* recoveryEdit() const { return m_recovery; }
    QPushButton* unlockButton() const { return m_unlock; }
    QLabel* errorLabel() const { return m_error; }
    bool isRecoveryMode() const;
    void setRecoveryMode(bool recovery);
    void showError(const QString& text);
    void reset();

signals:
    // A recovery-code unlock succeeded: the caller asks for a new passphrase.
    void recoveredWithCode();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void submit();
    void updateRetry();
    void setBusy(bool busy, const QString& what);

    AppController* m_controller;
    QLabel* m_vaultName = nullptr;
    QStackedWidget* m_fields = nullptr;
    QLineEdit* m_passphrase = nullptr;
    QLineEdit* m_recovery = nullptr;
    QLabel* m_capsLock = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_unlock = nullptr;
    QPushButton* m_switchMode = nullptr;
    QProgressBar* m_busy = nullptr;
    QTimer m_retryTimer;
    bool m_pendingRecovery = false;
};

} // namespace llamadesk::ui
