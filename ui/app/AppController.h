#pragma once

#include "vault/KdfParams.h"
#include "vault/Vault.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSqlDatabase>
#include <QTimer>

#include <functional>
#include <memory>

namespace llamadesk::app {
class MainThreadSecretStore;
}

namespace llamadesk::ui {

// Owns the vault's lifecycle for the app: first run, unlock (keychain, passphrase, recovery
// code), creation, lock and auto-lock. Opening and creating run on a worker thread (the key
// derivation takes a noticeable fraction of a second); the keychain itself is asked on the main
// thread, which keeps its event loop running meanwhile. Views listen to aboutToLock() to drop
// every decrypted row they hold.
class AppController : public QObject {
    Q_OBJECT
public:
    enum class State {
        Idle,     // start() not called yet
        FirstRun, // no vault at the path: the wizard creates one
        Locked,   // a vault exists and waits for a passphrase or recovery code
        Busy,     // opening or creating
        Unlocked,
    };
    Q_ENUM(State)

    // `secrets` must outlive the controller and any open or create it started.
    explicit AppController(vault::SecretStore& secrets, QObject* parent = nullptr);
    ~AppController() override;

    void setVaultPath(const QString& path);
    QString vaultPath() const { return m_path; }
    // Key-derivation cost for new vaults and new passphrases (tests use the cheapest).
    void setKdf(const vault::KdfParams& kdf) { m_kdf = kdf; }
    vault::KdfParams kdf() const { return m_kdf; }
    // Delay before the next unlock attempt after `failures` wrong ones (0 for none).
    void setRetryDelayBase(int milliseconds) { m_retryBaseMs = milliseconds; }

    State state() const { return m_state; }
    bool isUnlocked() const { return m_state == State::Unlocked; }
    // "system keychain", "passphrase", "recovery code" (translated); empty when locked.
    QString unlockMethod() const { return m_method; }
    vault::VaultInfo info() const { return m_info; }
    // The GUI thread's connection; invalid while locked.
    QSqlDatabase database() const;
    // For work on other threads (app::WorkerConnection); null while locked.
    std::shared_ptr<const vault::Vault> vault() const { return m_vault; }
    vault::Vault* mutableVault() const { return m_vault.get(); }
    QString lastError() const { return m_lastError; }
    vault::VaultError lastErrorCode() const { return m_lastErrorCode; }

    // Milliseconds until unlock() accepts another attempt.
    qint64 retryWaitMs() const;

    // Auto-lock after this many minutes without input; 0 turns it off. Saved in the settings.
    void setAutoLockMinutes(int minutes);
    int autoLockMinutes() const { return m_autoLockMinutes; }
    static QString autoLockSettingsKey() { return QStringLiteral("security/autoLockMinutes"); }
    static constexpr int kDefaultAutoLockMinutes = 15;
    // The same in milliseconds, not saved: for tests and demonstrations.
    void setAutoLockMilliseconds(int milliseconds);

public slots:
    // Decides where to go: FirstRun, or an unlock through the keychain (then Locked if that
    // cannot work).
    void start();
    void unlockWithPassphrase(const QString& passphrase);
    void unlockWithRecoveryCode(const QString& code);
    // Creates the vault; created() carries the recovery code to show once.
    void create(bool useKeychain, const QString& passphrase);
    // Whether the OS keychain works here; answers with keychainChecked(). The keychain only
    // answers on the main thread, so this runs there from the event loop; the store's wait keeps
    // painting going meanwhile.
    void checkKeychain();
    void lock();

    // Security actions on the unlocked vault. Each runs off the GUI thread (key derivation takes
    // a noticeable fraction of a second) and answers with securityActionFinished(); one at a
    // time. `current` is the passphrase in use (empty when the vault has none yet).
    void changePassphrase(const QString& current, const QString& newPassphrase);
    void setKeychainEnabled(bool enabled);
    // A new recovery code replaces the old one; recoveryCodeRegenerated() carries it, once.
    void regenerateRecoveryCode();
    // Closes the vault and deletes it: the database with its WAL and SHM files, the key file and
    // the keychain entry. Back to the first-run state; vaultDeleted() reports how it went.
    void deleteVault();

signals:
    void stateChanged(llamadesk::ui::AppController::State state);
    void busyChanged(bool busy, const QString& what);
    void unlocked();
    void unlockFailed(llamadesk::vault::VaultError error, const QString& message);
    void created(const QString& recoveryCode);
    void createFailed(const QString& message);
    void keychainChecked(bool available, const QString& message);
    // Emitted before the vault closes: drop every decrypted value now.
    void aboutToLock();
    void lockedByIdle();
    void securityActionFinished(bool ok, const QString& message);
    void recoveryCodeRegenerated(const QString& code);
    void vaultDeleted(bool ok, const QString& message);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Outcome;
    void setState(State state);
    void runOpen(const vault::UnlockRequest& request, const QString& method, bool quietFailure);
    void finishOpen(const std::shared_ptr<Outcome>& outcome, const QString& method,
                    bool quietFailure);
    void restartIdleTimer();
    void runSecurityAction(const QString& what,
                           std::function<QString(vault::Vault&, QString* code)> work,
                           std::function<void()> onSuccess);

    vault::SecretStore& m_secrets;
    // Shared with running workers, so a job outlives a controller that goes away meanwhile.
    std::shared_ptr<app::MainThreadSecretStore> m_forwarding;
    QString m_path;
    vault::KdfParams m_kdf = vault::KdfParams::defaults();
    State m_state = State::Idle;
    std::shared_ptr<vault::Vault> m_vault;
    vault::VaultInfo m_info;
    QString m_method;
    QString m_uiConnection;
    QString m_lastError;
    vault::VaultError m_lastErrorCode = vault::VaultError::None;
    int m_failures = 0;
    int m_retryBaseMs = 1000;
    QElapsedTimer m_sinceFailure;
    QTimer m_idleTimer;
    int m_autoLockMinutes = kDefaultAutoLockMinutes;
    int m_autoLockMs = kDefaultAutoLockMinutes * 60 * 1000;
    bool m_securityBusy = false;
};

} // namespace llamadesk::ui
