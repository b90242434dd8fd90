#include "Vault.h"

#include "Logging.h"
#include "domain/Timestamp.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

namespace llamadesk::vault {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("llamadesk::vault::Vault", text);
}

QString newConnectionName() {
    static QAtomicInt counter;
    return QStringLiteral("llamadesk-vault-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}

// The first 16 bytes of a database file: "SQLite format 3" for a plain file, SQLCipher's random
// salt for an encrypted one.
QByteArray fileHeader(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.read(16);
}

bool looksLikePlainSqlite(const QString& path) {
    return fileHeader(path) == QByteArray("SQLite format 3\0", 16);
}

VaultError fromKeyFileError(KeyFile::Error error) {
    switch (error) {
    case KeyFile::Error::None:
        return VaultError::None;
    case KeyFile::Error::NotFound:
    case KeyFile::Error::NotAVault:
    case KeyFile::Error::Tampered:
    case KeyFile::Error::KeyMismatch:
        return VaultError::NotAVault;
    case KeyFile::Error::UnsupportedVersion:
        return VaultError::NewerVersion;
    case KeyFile::Error::WrongPassphrase:
        return VaultError::WrongPassphrase;
    case KeyFile::Error::WrongRecoveryCode:
        return VaultError::WrongRecoveryCode;
    case KeyFile::Error::KeychainUnavailable:
        return VaultError::KeychainUnavailable;
    case KeyFile::Error::KeychainEntryMissing:
        return VaultError::KeychainEntryMissing;
    case KeyFile::Error::MethodNotConfigured:
        return VaultError::MethodNotConfigured;
    case KeyFile::Error::IoError:
        return VaultError::Io;
    case KeyFile::Error::LastMethod:
    case KeyFile::Error::Other:
        return VaultError::Other;
    }
    return VaultError::Other;
}

void setError(VaultError* error, QString* message, VaultError code,
              const QString& text = QString()) {
    if (error)
        *error = code;
    if (message)
        *message = text.isEmpty() ? describe(code) : text;
}

void removeVaultFiles(const QString& path) {
    for (const QString& suffix :
         {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        QFile::remove(path + suffix);
}

} // namespace

QString describe(VaultError error) {
    switch (error) {
    case VaultError::None:
        return QString();
    case VaultError::NotFound:
        return tr("There is no vault at this location.");
    case VaultError::AlreadyExists:
        return tr("A vault already exists at this location; it was left untouched.");
    case VaultError::NotAVault:
        return tr("This file is not a LlamaDesk vault, or its key file is missing or belongs to "
                  "another vault.");
    case VaultError::WrongPassphrase:
        return tr("The passphrase is not correct.");
    case VaultError::WrongRecoveryCode:
        return tr("The recovery code is not correct.");
    case VaultError::KeychainUnavailable:
        return tr("The system keychain is not available (it may be locked or not running). Unlock "
                  "it, or use "
                  "the passphrase or the recovery code.");
    case VaultError::KeychainEntryMissing:
        return tr(
            "The system keychain works but holds no key for this vault. Use the passphrase or the "
            "recovery code.");
    case VaultError::MethodNotConfigured:
        return tr("This vault cannot be unlocked that way.");
    case VaultError::DatabaseDamaged:
        return tr("The key is correct but the database is damaged and cannot be read.");
    case VaultError::NewerVersion:
        return tr("This vault was made by a newer version of LlamaDesk; it was left untouched.");
    case VaultError::Io:
        return tr("The vault's files could not be read or written.");
    case VaultError::Other:
        return tr("The vault could not be opened.");
    }
    return QString();
}

Vault::Vault(QString path, SecureBytes key, KeyFile keys)
    : m_path(std::move(path))
    , m_key(std::move(key))
    , m_keys(std::move(keys))
    , m_connectionName(newConnectionName()) {}

Vault::~Vault() {
    close();
}

QString Vault::defaultPath() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir).filePath(QStringLiteral("vault.llamadesk"));
}

std::unique_ptr<Vault> Vault::create(const QString& path, const CreateOptions& options,
                                     SecretStore& secrets, RecoveryCode* recoveryCode,
                                     VaultError* error, QString* message) {
    const QString sidecar = KeyFile::sidecarPath(path);
    if (QFileInfo::exists(path) || QFileInfo::exists(sidecar)) {
        setError(error, message, VaultError::AlreadyExists);
        return nullptr;
    }
    if (!options.useKeychain && options.passphrase.isEmpty()) {
        setError(error, message, VaultError::MethodNotConfigured,
                 tr("A new vault needs the keychain or a passphrase."));
        return nullptr;
    }
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        setError(error, message, VaultError::Io,
                 tr("Cannot create the folder %1.").arg(info.absolutePath()));
        return nullptr;
    }

    SecureBytes key = SecureBytes::random(32);
    KeyFile keys = KeyFile::create(QUuid::createUuid());
    keys.setKeyCheck(key);
    if (!options.passphrase.isEmpty()) {
        const Status status = keys.setPassphrase(key, options.passphrase, options.kdf);
        if (!status) {
            setError(error, message, VaultError::Other, status.error());
            return nullptr;
        }
    }
    const RecoveryCode recovery = RecoveryCode::generate();
    if (const Status status = keys.setRecoveryCode(key, recovery, options.kdf); !status) {
        setError(error, message, VaultError::Other, status.error());
        return nullptr;
    }
    if (options.useKeychain) {
        const Status status = keys.setKeychain(key, secrets);
        if (!status) {
            if (options.passphrase.isEmpty()) {
                setError(error, message, VaultError::KeychainUnavailable, status.error());
                return nullptr;
            }
            qCWarning(lcVault)
                << "keychain unavailable at creation; the vault uses its passphrase only";
        }
    }

    // The key file first: a database without its key file would be unreadable.
    if (const Status status = keys.save(sidecar); !status) {
        setError(error, message, VaultError::Io, status.error());
        return nullptr;
    }
    {
        // Encrypted or not, the vault is the user's alone: create the file owner-only before SQLite
        // opens it (SQLite gives -wal and -shm the database file's mode).
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                       QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
            QFile::remove(sidecar);
            setError(error, message, VaultError::Io,
                     tr("Cannot create %1: %2").arg(path, file.errorString()));
            return nullptr;
        }
    }
    QString openMessage;
    VaultError openError = VaultError::None;
    auto vault = openWithKey(path, std::move(key), std::move(keys), &openError, &openMessage);
    if (!vault) {
        removeVaultFiles(path);
        QFile::remove(sidecar);
        setError(error, message, openError, openMessage);
        return nullptr;
    }
    {
        QSqlQuery query(vault->database());
        // Move the first page out of the WAL so the file carries its salt, then pair the key file
        // with it.
        query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        vault->m_keys.setDatabaseSalt(fileHeader(path));
        if (const Status status = vault->saveKeys(); !status) {
            vault->close();
            removeVaultFiles(path);
            QFile::remove(sidecar);
            setError(error, message, VaultError::Io, status.error());
            return nullptr;
        }
        query.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)"));
        query.addBindValue(QStringLiteral("vault_id"));
        query.addBindValue(vault->vaultId().toString(QUuid::WithoutBraces));
        query.addBindValue(Timestamp::now().toString());
        if (!query.exec()) {
            const QString text = query.lastError().text();
            vault->close();
            removeVaultFiles(path);
            QFile::remove(sidecar);
            setError(error, message, VaultError::Other,
                     tr("Cannot initialise the vault: %1").arg(text));
            return nullptr;
        }
    }
    if (recoveryCode)
        *recoveryCode = recovery.clone();
    qCInfo(lcVault) << "created vault" << path;
    return vault;
}

std::unique_ptr<Vault> Vault::open(const QString& path, const UnlockRequest& unlock,
                                   SecretStore& secrets, VaultError* error, QString* message) {
    if (!QFileInfo::exists(path)) {
        setError(error, message, VaultError::NotFound, tr("There is no vault at %1.").arg(path));
        return nullptr;
    }
    if (looksLikePlainSqlite(path)) {
        setError(error, message, VaultError::NotAVault,
                 tr("%1 is an unencrypted SQLite database, not a LlamaDesk vault.").arg(path));
        return nullptr;
    }
    KeyFile::Error loadError = KeyFile::Error::None;
    auto loaded = KeyFile::load(KeyFile::sidecarPath(path), &loadError);
    if (!loaded) {
        const VaultError code = fromKeyFileError(loadError);
        setError(error, message, code,
                 tr("%1 is not a usable LlamaDesk vault: %2").arg(path, loaded.error()));
        return nullptr;
    }
    KeyFile keys = std::move(loaded).value();
    if (!keys.databaseSalt().isEmpty() && keys.databaseSalt() != fileHeader(path)) {
        setError(error, message, VaultError::NotAVault,
                 tr("The key file next to %1 belongs to another vault.").arg(path));
        return nullptr;
    }

    KeyFile::Error keyError = KeyFile::Error::None;
    Result<SecureBytes> key = Result<SecureBytes>::failure(QString());
    switch (unlock.method) {
    case UnlockRequest::Method::Keychain:
        key = keys.unlockWithKeychain(secrets, &keyError);
        break;
    case UnlockRequest::Method::Passphrase:
        key = keys.unlockWithPassphrase(unlock.secret, &keyError);
        break;
    case UnlockRequest::Method::RecoveryCode: {
        auto code = RecoveryCode::parse(unlock.secret);
        if (!code) {
            setError(error, message, VaultError::WrongRecoveryCode, code.error());
            return nullptr;
        }
        key = keys.unlockWithRecoveryCode(*code, &keyError);
        break;
    }
    }
    if (!key) {
        const VaultError code = fromKeyFileError(
            keyError == KeyFile::Error::None ? KeyFile::Error::NotAVault : keyError);
        setError(error, message, code, key.error().isEmpty() ? describe(code) : key.error());
        return nullptr;
    }
    if (!keys.verifyKeyCheck(*key)) {
        setError(error, message, VaultError::NotAVault,
                 tr("The key file of %1 is damaged.").arg(path));
        return nullptr;
    }
    return openWithKey(path, std::move(key).value(), std::move(keys), error, message);
}

std::unique_ptr<Vault> Vault::openWithKey(const QString& path, SecureBytes key, KeyFile keys,
                                          VaultError* error, QString* message) {
    std::unique_ptr<Vault> vault(new Vault(path, std::move(key), std::move(keys)));
    QString driverMessage;
    QSqlDatabase db = vault->openConnection(vault->m_connectionName, &driverMessage);
    if (!db.isOpen()) {
        // The key was verified against the key file, so a database that will not read with it is
        // damaged (or belongs to another key file).
        setError(error, message,
                 driverMessage.isEmpty() ? VaultError::Other : VaultError::DatabaseDamaged,
                 tr("%1: %2").arg(describe(VaultError::DatabaseDamaged), driverMessage));
        closeConnection(vault->m_connectionName);
        vault->m_key.clear();
        return nullptr;
    }
    store::Migrator migrator(db);
    if (migrator.currentVersion() > store::Migrator::latestVersion()) {
        setError(error, message, VaultError::NewerVersion);
        vault->close();
        return nullptr;
    }
    if (const Status status = migrator.migrate(); !status) {
        setError(error, message, VaultError::Other,
                 tr("Cannot upgrade the vault: %1").arg(status.error()));
        vault->close();
        return nullptr;
    }
    // A key file paired with a different database (both valid) must not pass silently.
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    query.addBindValue(QStringLiteral("vault_id"));
    if (query.exec() && query.next() &&
        query.value(0).toString() != vault->vaultId().toString(QUuid::WithoutBraces)) {
        setError(error, message, VaultError::NotAVault,
                 tr("The key file next to %1 belongs to another vault.").arg(path));
        query.finish();
        vault->close();
        return nullptr;
    }
    query.finish();
    return vault;
}

QSqlDatabase Vault::database() const {
    return QSqlDatabase::database(m_connectionName, false);
}

QSqlDatabase Vault::openConnection(const QString& connectionName, QString* message) const {
    QByteArray raw;
    {
        const QMutexLocker lock(&m_mutex);
        if (m_key.isEmpty()) {
            if (message)
                *message = tr("the vault is locked");
            return QSqlDatabase();
        }
        raw = m_key.toByteArray();
    }
    store::SqlCipherDriver::OpenFailure failure = store::SqlCipherDriver::OpenFailure::None;
    QString error;
    QSqlDatabase db = store::SqlCipherDriver::openDatabase(
        connectionName, m_path, raw, QStringLiteral("CREATE=1"), &failure, &error);
    wipe(raw);
    if (!db.isOpen() && message)
        *message = error;
    return db;
}

void Vault::closeConnection(const QString& connectionName) {
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

QUuid Vault::vaultId() const {
    const QMutexLocker lock(&m_mutex);
    return m_keys.vaultId();
}

VaultInfo Vault::info() const {
    VaultInfo info;
    info.path = m_path;
    {
        const QMutexLocker lock(&m_mutex);
        info.vaultId = m_keys.vaultId();
        info.hasKeychain = m_keys.hasKeychain();
        info.hasPassphrase = m_keys.hasPassphrase();
        info.hasRecoveryCode = m_keys.hasRecovery();
    }
    QSqlDatabase db = database();
    info.schemaVersion = store::Migrator(db).currentVersion();
    if (auto* driver = qobject_cast<store::SqlCipherDriver*>(db.driver()))
        info.cipherVersion = driver->cipherVersion();
    info.databaseBytes =
        QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
    return info;
}

Status Vault::saveKeys() {
    const QMutexLocker lock(&m_mutex);
    return m_keys.save(KeyFile::sidecarPath(m_path));
}

Status Vault::changePassphrase(const QString& oldPassphrase, const QString& newPassphrase,
                               const KdfParams& kdf) {
    const QMutexLocker lock(&m_mutex);
    KeyFile updated = m_keys;
    if (const Status status = updated.changePassphrase(oldPassphrase, newPassphrase, kdf); !status)
        return status;
    if (const Status status = updated.save(KeyFile::sidecarPath(m_path)); !status)
        return status;
    m_keys = std::move(updated);
    return Status::success();
}

Status Vault::setPassphrase(const QString& newPassphrase, const KdfParams& kdf) {
    const QMutexLocker lock(&m_mutex);
    if (newPassphrase.isEmpty())
        return Status::failure(tr("The passphrase is empty."));
    KeyFile updated = m_keys;
    if (const Status status = updated.setPassphrase(m_key, newPassphrase, kdf); !status)
        return status;
    if (const Status status = updated.save(KeyFile::sidecarPath(m_path)); !status)
        return status;
    m_keys = std::move(updated);
    return Status::success();
}

Status Vault::enableKeychain(SecretStore& secrets) {
    const QMutexLocker lock(&m_mutex);
    KeyFile updated = m_keys;
    if (const Status status = updated.setKeychain(m_key, secrets); !status)
        return status;
    if (const Status status = updated.save(KeyFile::sidecarPath(m_path)); !status)
        return status;
    m_keys = std::move(updated);
    return Status::success();
}

Status Vault::disableKeychain(SecretStore& secrets) {
    const QMutexLocker lock(&m_mutex);
    KeyFile updated = m_keys;
    if (const Status status = updated.removeKeychain(secrets); !status)
        return status;
    if (const Status status = updated.save(KeyFile::sidecarPath(m_path)); !status)
        return status;
    m_keys = std::move(updated);
    return Status::success();
}

Result<RecoveryCode> Vault::regenerateRecoveryCode(const KdfParams& kdf) {
    const QMutexLocker lock(&m_mutex);
    const RecoveryCode code = RecoveryCode::generate();
    KeyFile updated = m_keys;
    if (const Status status = updated.setRecoveryCode(m_key, code, kdf); !status)
        return Result<RecoveryCode>::failure(status.error());
    if (const Status status = updated.save(KeyFile::sidecarPath(m_path)); !status)
        return Result<RecoveryCode>::failure(status.error());
    m_keys = std::move(updated);
    return Result<RecoveryCode>(code.clone());
}

Result<QStringList> Vault::verify() const {
    QSqlQuery query(database());
    query.setForwardOnly(true);
    QStringList problems;
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
        return Result<QStringList>::failure(
            tr("integrity check failed to run: %1").arg(query.lastError().text()));
    while (query.next()) {
        const QString line = query.value(0).toString();
        if (line != QLatin1String("ok"))
            problems << line;
    }
    if (!query.exec(QStringLiteral("PRAGMA foreign_key_check")))
        return Result<QStringList>::failure(
            tr("foreign key check failed to run: %1").arg(query.lastError().text()));
    while (query.next()) {
        problems << tr("foreign key violation in %1 row %2 (refers to %3)")
                        .arg(query.value(0).toString(), query.value(1).toString(),
                             query.value(2).toString());
    }
    // The tax engine's records (migration 007) must say what their rows say.
    const Result<qint64> stale = store::TransactionRepository(database()).taxInputsOutOfStep();
    if (!stale)
        return Result<QStringList>::failure(
            tr("tax input check failed to run: %1").arg(stale.error()));
    if (*stale != 0)
        problems << QCoreApplication::translate(
            "llamadesk::vault::Vault",
            "%n tax_transactions row(s) with a missing or stale tax_inputs record", nullptr,
            int(*stale));
    return problems;
}

void Vault::close() {
    if (QSqlDatabase::contains(m_connectionName))
        closeConnection(m_connectionName);
    const QMutexLocker lock(&m_mutex);
    m_key.clear();
}

bool Vault::isClosed() const {
    const QMutexLocker lock(&m_mutex);
    return m_key.isEmpty();
}

} // namespace llamadesk::vault
