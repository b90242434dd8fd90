#pragma once

#include "Result.h"
#include "vault/KeyFile.h"
#include "vault/RecoveryCode.h"
#include "vault/SecretStore.h"
#include "vault/SecureBytes.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>
#include <QUuid>

#include <memory>

namespace llamadesk::vault {

// Why opening or creating a vault failed. Each case has its own words for the user and none of
// them modifies the database file or its key file.
enum class VaultError {
    None,
    NotFound,             // no database at that path
    AlreadyExists,        // create() refuses to overwrite
    NotAVault,            // not an encrypted LlamaDesk vault, or the key file is missing or foreign
    WrongPassphrase,      // the passphrase does not unwrap the key
    WrongRecoveryCode,    // the recovery code does not unwrap the key
    KeychainUnavailable,  // no working keychain (locked, missing, no service): never "first run"
    KeychainEntryMissing, // the keychain works but holds no key for this vault
    MethodNotConfigured,  // e.g. a passphrase was given but the vault has none
    DatabaseDamaged,      // the key is right but the database cannot be read
    NewerVersion,         // made by a newer LlamaDesk; left untouched
    Io,                   // file system error
    Other,
};

QString describe(VaultError error);

// How to unlock an existing vault.
struct UnlockRequest {
    enum class Method { Keychain, Passphrase, RecoveryCode };
    Method method = Method::Keychain;
    QString secret; // passphrase or recovery code text; unused for the keychain

    static UnlockRequest keychain() { return {Method::Keychain, {}}; }
    static UnlockRequest passphrase(const QString& p) { return {Method::Passphrase, p}; }
    static UnlockRequest recoveryCode(const QString& c) { return {Method::RecoveryCode, c}; }
};

struct CreateOptions {
    bool useKeychain = true; // wrap the key in the OS keychain
    QString passphrase;      // empty: no passphrase method
    KdfParams kdf = KdfParams::defaults();
};

struct VaultInfo {
    QString path;
    QUuid vaultId;
    int schemaVersion = 0;
    QString cipherVersion;
    bool hasKeychain = false;
    bool hasPassphrase = false;
    bool hasRecoveryCode = false;
    qint64 databaseBytes = 0;
};

// An unlocked, encrypted local database: the SQLCipher file, its key file ("<path>.keys") and the
// schema brought up to date. Holds the data key in locked memory until close().
class Vault {
public:
    ~Vault();
    Vault(const Vault&) = delete;
    Vault& operator=(const Vault&) = delete;

    static QString defaultPath();

    // Creates a new vault with a random 256-bit data key. `recoveryCode` receives the one-time
    // recovery code that must be shown to the user once.
    static std::unique_ptr<Vault> create(const QString& path, const CreateOptions& options,
                                         SecretStore& secrets, RecoveryCode* recoveryCode,
                                         VaultError* error, QString* message = nullptr);

    static std::unique_ptr<Vault> open(const QString& path, const UnlockRequest& unlock,
                                       SecretStore& secrets, VaultError* error,
                                       QString* message = nullptr);

    // The main connection (thread of the caller of open/create).
    QSqlDatabase database() const;
    // A new connection to the same vault for another thread; close it with closeConnection().
    QSqlDatabase openConnection(const QString& connectionName, QString* message = nullptr) const;
    static void closeConnection(const QString& connectionName);

    QString path() const { return m_path; }
    QUuid vaultId() const;
    VaultInfo info() const;

    // Unlock-method management. Each rewrites the key file atomically; the database is untouched.
    Status changePassphrase(const QString& oldPassphrase, const QString& newPassphrase,
                            const KdfParams& kdf = KdfParams::defaults());
    Status setPassphrase(const QString& newPassphrase,
                         const KdfParams& kdf = KdfParams::defaults());
    Status enableKeychain(SecretStore& secrets);
    Status disableKeychain(SecretStore& secrets);
    Result<RecoveryCode> regenerateRecoveryCode(const KdfParams& kdf = KdfParams::defaults());

    // Full check: SQLite integrity_check and foreign_key_check. Returns the problems found.
    Result<QStringList> verify() const;

    // Closes every connection and wipes the key from memory. Safe while other threads open
    // connections: those opened after it fail with "the vault is locked".
    void close();
    bool isClosed() const;

private:
    Vault(QString path, SecureBytes key, KeyFile keys);
    Status saveKeys();
    static std::unique_ptr<Vault> openWithKey(const QString& path, SecureBytes key, KeyFile keys,
                                              VaultError* error, QString* message);

    QString m_path;
    // Guards m_key and m_keys: workers open connections while the GUI thread may lock, and the
    // unlock methods change on a worker while views keep reading.
    mutable QMutex m_mutex;
    SecureBytes m_key;
    KeyFile m_keys;
    QString m_connectionName;
};

} // namespace llamadesk::vault
