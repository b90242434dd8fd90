#pragma once

#include "Result.h"
#include "vault/KdfParams.h"
#include "vault/RecoveryCode.h"
#include "vault/SecretStore.h"
#include "vault/SecureBytes.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <optional>

namespace llamadesk::vault {

// The key file beside a vault database ("<database>.keys"). The database is encrypted with a
// random 256-bit data key; this file keeps that key wrapped by each unlock method the user has
// turned on, and never the key itself:
//   - passphrase: wrapped with a key derived from the passphrase by Argon2id;
//   - recovery:   the same with the one-time recovery code;
//   - keychain:   the raw key lives in the OS keychain; the file only says where.
// Changing the passphrase re-wraps the key (two derivations), whatever the size of the database.
//
// Format (JSON, versioned):
//   {"format":"llamadesk-vault-keys","version":1,"vault_id":"<uuid>","key_check":"<base64>",
//    "methods":[{"type":"passphrase","kdf":"argon2id13","ops":2,"mem":67108864,
//                "salt":"<base64>","nonce":"<base64>","wrapped":"<base64>"},
//               {"type":"recovery", ...same fields...},
//               {"type":"keychain","service":"LlamaDesk","account":"vault-<uuid>"}],
//    "database_salt":"<base64 of the database's first 16 bytes>",
//    "created_at":"<ISO 8601 UTC>","updated_at":"...","checksum":"<base64>"}
// Wrapping is XChaCha20-Poly1305 with the format, version, vault id and method type as
// associated data, so a wrapped key moved to another vault or method does not open. The
// key check is a keyed BLAKE2b of a constant and the vault id under the data key: it tells a
// wrong key from a damaged database. The checksum (BLAKE2b over all other fields) catches a
// file changed outside the app before any key is tried.
class KeyFile {
    Q_DECLARE_TR_FUNCTIONS(KeyFile)

public:
    enum class Error {
        None,
        NotFound,             // no file at that path
        NotAVault,            // unreadable, not JSON, another format, malformed fields
        UnsupportedVersion,   // written by a newer version (format version, method or KDF)
        WrongPassphrase,      // the passphrase does not unwrap the key
        WrongRecoveryCode,    // the recovery code does not unwrap the key
        KeychainUnavailable,  // keychain locked, missing or not answering: never "first run"
        KeychainEntryMissing, // the keychain works but has no entry for this vault
        MethodNotConfigured,  // e.g. unlock by passphrase on a vault without one
        IoError,              // the file exists but cannot be read or written
        Tampered,             // checksum mismatch: changed outside the app or damaged
        KeyMismatch,          // a key was obtained but fails the key check of this vault
        LastMethod,           // refusing to remove the only remaining unlock method
        Other,                // out of (secure) memory, cryptography library unusable
    };

    static constexpr qsizetype kDataKeyBytes = 32;
    static constexpr int kFormatVersion = 1;
    static QString formatName() { return QStringLiteral("llamadesk-vault-keys"); }
    // A short English name of the error for logs ("WrongPassphrase", ...).
    static QString errorName(Error error);

    KeyFile() = default; // null: no vault id, no methods
    // A new key file without unlock methods. A null `vaultId` gets a fresh random one.
    static KeyFile create(const QUuid& vaultId);

    static QString sidecarPath(const QString& databasePath); // databasePath + ".keys"

    // Reading never modifies the file. `*error` says which case a failure is.
    static Result<KeyFile> load(const QString& path, Error* error = nullptr);
    static Result<KeyFile> fromJson(const QByteArray& json, Error* error = nullptr);
    // Atomic replace (see AtomicFile): the old file survives any failure.
    Status save(const QString& path) const;
    QByteArray toJson() const;

    bool isNull() const { return m_vaultId.isNull(); }
    QUuid vaultId() const { return m_vaultId; }
    QDateTime createdAt() const;
    QDateTime updatedAt() const;

    bool hasPassphrase() const { return m_passphrase.has_value(); }
    bool hasRecovery() const { return m_recovery.has_value(); }
    bool hasKeychain() const { return !m_keychainAccount.isEmpty(); }
    int methodCount() const;
    QString keychainService() const { return m_keychainService; }
    QString keychainAccount() const { return m_keychainAccount; }
    // Cost settings of the stored passphrase wrap (to offer an upgrade when defaults grow).
    std::optional<KdfParams> passphraseKdf() const;

    // Add or replace a method that wraps `dataKey` (32 bytes). The first method also records
    // the key check; later ones refuse a key that does not match it.
    Status setPassphrase(const SecureBytes& dataKey, const QString& passphrase,
                         const KdfParams& kdf = KdfParams::defaults());
    Status setRecoveryCode(const SecureBytes& dataKey, const RecoveryCode& code,
                           const KdfParams& kdf = KdfParams::defaults());
    // Stores the raw key in `store` under keychainAccountFor(vaultId()) and reads it back:
    // a keychain that accepts a key but cannot return it (locked) is refused.
    Status setKeychain(const SecureBytes& dataKey, SecretStore& store, Error* error = nullptr);
    // Each refuses to remove the last remaining method (Error::LastMethod).
    Status removePassphrase(Error* error = nullptr);
    Status removeRecoveryCode(Error* error = nullptr);
    // Also deletes the keychain entry; fails (KeychainUnavailable) if the keychain cannot.
    Status removeKeychain(SecretStore& store, Error* error = nullptr);

    // The key check tells "wrong key" from "damaged database": a key that passes it is this
    // vault's key. The first set* call records it; setKeyCheck() records it directly.
    // The first 16 bytes of the encrypted database (SQLCipher's random per-file salt, not secret):
    // they pair this key file with its database, so a key file next to another vault's database
    // is reported as foreign instead of as a damaged database.
    static constexpr qsizetype kDatabaseSaltBytes = 16;
    QByteArray databaseSalt() const { return m_databaseSalt; }
    void setDatabaseSalt(const QByteArray& salt) { m_databaseSalt = salt; }

    bool hasKeyCheck() const { return !m_keyCheck.isEmpty(); }
    void setKeyCheck(const SecureBytes& dataKey);
    bool verifyKeyCheck(const SecureBytes& dataKey) const;

    // Unwrap the data key. On failure `*error` says which distinct case it is.
    Result<SecureBytes> unlockWithPassphrase(const QString& passphrase,
                                             Error* error = nullptr) const;
    Result<SecureBytes> unlockWithRecoveryCode(const RecoveryCode& code,
                                               Error* error = nullptr) const;
    // A "not found" from the keychain is checked with probe(): KeychainEntryMissing only when
    // the keychain demonstrably works, KeychainUnavailable otherwise.
    Result<SecureBytes> unlockWithKeychain(SecretStore& store, Error* error = nullptr) const;

    // Unwraps with the old passphrase and wraps with the new one. The database is untouched.
    Status changePassphrase(const QString& oldPassphrase, const QString& newPassphrase,
                            const KdfParams& kdf = KdfParams::defaults(), Error* error = nullptr);

    static QString keychainAccountFor(const QUuid& vaultId);
    // The integrity checksum of a key file's JSON object (all fields except "checksum").
    static QString checksumFor(const QJsonObject& fileObject);

private:
    struct WrappedKey {
        KdfParams kdf;
        QByteArray salt;
        QByteArray nonce;
        QByteArray wrapped;
    };

    Result<WrappedKey> wrap(const SecureBytes& dataKey, const SecureBytes& secret,
                            const QString& method, const KdfParams& kdf) const;
    Result<SecureBytes> unwrap(const WrappedKey& wrapped, const SecureBytes& secret,
                               const QString& method, Error wrongSecret, Error* error) const;
    Status checkDataKey(const SecureBytes& dataKey) const;
    QByteArray associatedData(const QString& method) const;
    QByteArray computeKeyCheck(const SecureBytes& dataKey) const;
    void touch();

    QUuid m_vaultId;
    QByteArray m_keyCheck;
    QByteArray m_databaseSalt;
    std::optional<WrappedKey> m_passphrase;
    std::optional<WrappedKey> m_recovery;
    QString m_keychainService;
    QString m_keychainAccount;
    QString m_createdAt; // ISO 8601 text as stored, so the checksum covers exactly what is read
    QString m_updatedAt;
};

} // namespace llamadesk::vault
