#include "vault/KeyFile.h"

#include "Logging.h"
#include "vault/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <sodium.h>

#include <algorithm>
#include <utility>

namespace llamadesk::vault {

namespace {

const QString kPassphraseMethod = QStringLiteral("passphrase");
const QString kRecoveryMethod = QStringLiteral("recovery");
const QString kKeychainMethod = QStringLiteral("keychain");
const QString kKdfName = QStringLiteral("argon2id13");

// A key file is a few hundred bytes; anything much larger is some other file.
constexpr qint64 kMaxFileBytes = 64 * 1024;
constexpr qsizetype kKeyCheckBytes = 32;
constexpr qsizetype kChecksumBytes = 32;
constexpr qsizetype kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr qsizetype kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr qsizetype kWrapKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr qsizetype kWrappedBytes =
    KeyFile::kDataKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kWrapKeyBytes == KeyFile::kDataKeyBytes, "one key size throughout");

void setError(KeyFile::Error* error, KeyFile::Error value) {
    if (error != nullptr) {
        *error = value;
    }
}

QByteArray randomBytes(qsizetype n) {
    QByteArray bytes(n, '\0');
    randombytes_buf(bytes.data(), static_cast<size_t>(n));
    return bytes;
}

const unsigned char* bytesOf(const QByteArray& bytes) {
    return reinterpret_cast<const unsigned char*>(bytes.constData());
}

QString nowText() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// Passphrases are compared as NFC UTF-8 so that the same text typed on systems that compose
// accents differently gives the same key.
SecureBytes passphraseBytes(const QString& passphrase) {
    QString normalized = passphrase.normalized(QString::NormalizationForm_C);
    QByteArray utf8 = normalized.toUtf8();
    SecureBytes secret = SecureBytes::fromBytes(utf8);
    wipe(utf8);
    wipe(normalized);
    return secret;
}

// Strict base64 of an exact length; nullopt if the value is anything else.
std::optional<QByteArray> decodeBase64(const QJsonValue& value, qsizetype expectedSize) {
    if (!value.isString()) {
        return std::nullopt;
    }
    const QString text = value.toString();
    for (const QChar ch : text) {
        if (ch.unicode() > 0x7F) {
            return std::nullopt;
        }
    }
    auto decoded =
        QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != expectedSize) {
        return std::nullopt;
    }
    return decoded.decoded;
}

// A non-negative integer that JSON (a double) holds exactly.
std::optional<quint64> decodeUnsigned(const QJsonValue& value) {
    if (!value.isDouble()) {
        return std::nullopt;
    }
    const double number = value.toDouble();
    const qint64 integer = value.toInteger(-1);
    if (integer < 0 || static_cast<double>(integer) != number || integer > (qint64(1) << 53)) {
        return std::nullopt;
    }
    return static_cast<quint64>(integer);
}

void appendField(QByteArray& out, const QByteArray& bytes) {
    out += QByteArray::number(bytes.size());
    out += ':';
    out += bytes;
}

// An unambiguous, formatting-independent encoding of a JSON value: type tag, then
// length-prefixed content, object keys sorted. Whitespace, key order and number spelling in
// the file do not matter; every value does.
void appendCanonical(QByteArray& out, const QJsonValue& value) {
    switch (value.type()) {
    case QJsonValue::Null:
        out += 'n';
        break;
    case QJsonValue::Bool:
        out += value.toBool() ? 't' : 'f';
        break;
    case QJsonValue::Double: {
        const double number = value.toDouble();
        const qint64 integer = value.toInteger();
        if (static_cast<double>(integer) == number) {
            out += 'i';
            appendField(out, QByteArray::number(integer));
        } else {
            out += 'd';
            appendField(out, QByteArray::number(number, 'g', 17));
        }
        break;
    }
    case QJsonValue::String:
        out += 's';
        appendField(out, value.toString().toUtf8());
        break;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out += 'a';
        out += QByteArray::number(array.size());
        out += ':';
        for (const QJsonValue& element : array) {
            appendCanonical(out, element);
        }
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        QStringList keys = object.keys();
        std::sort(keys.begin(), keys.end());
        out += 'o';
        out += QByteArray::number(keys.size());
        out += ':';
        for (const QString& key : keys) {
            appendField(out, key.toUtf8());
            appendCanonical(out, object.value(key));
        }
        break;
    }
    case QJsonValue::Undefined:
        out += 'u';
        break;
    }
}

QJsonObject wrappedToJson(const QString& method, const KdfParams& kdf, const QByteArray& salt,
                          const QByteArray& nonce, const QByteArray& wrapped) {
    QJsonObject object;
    object.insert(QStringLiteral("type"), method);
    object.insert(QStringLiteral("kdf"), kKdfName);
    object.insert(QStringLiteral("ops"), static_cast<qint64>(kdf.opsLimit));
    object.insert(QStringLiteral("mem"), static_cast<qint64>(kdf.memLimitBytes));
    object.insert(QStringLiteral("salt"), QString::fromLatin1(salt.toBase64()));
    object.insert(QStringLiteral("nonce"), QString::fromLatin1(nonce.toBase64()));
    object.insert(QStringLiteral("wrapped"), QString::fromLatin1(wrapped.toBase64()));
    return object;
}

} // namespace

QString KeyFile::errorName(Error error) {
    switch (error) {
    case Error::None:
        return QStringLiteral("None");
    case Error::NotFound:
        return QStringLiteral("NotFound");
    case Error::NotAVault:
        return QStringLiteral("NotAVault");
    case Error::UnsupportedVersion:
        return QStringLiteral("UnsupportedVersion");
    case Error::WrongPassphrase:
        return QStringLiteral("WrongPassphrase");
    case Error::WrongRecoveryCode:
        return QStringLiteral("WrongRecoveryCode");
    case Error::KeychainUnavailable:
        return QStringLiteral("KeychainUnavailable");
    case Error::KeychainEntryMissing:
        return QStringLiteral("KeychainEntryMissing");
    case Error::MethodNotConfigured:
        return QStringLiteral("MethodNotConfigured");
    case Error::IoError:
        return QStringLiteral("IoError");
    case Error::Tampered:
        return QStringLiteral("Tampered");
    case Error::KeyMismatch:
        return QStringLiteral("KeyMismatch");
    case Error::LastMethod:
        return QStringLiteral("LastMethod");
    case Error::Other:
        return QStringLiteral("Other");
    }
    return QStringLiteral("Unknown");
}

KeyFile KeyFile::create(const QUuid& vaultId) {
    KeyFile file;
    file.m_vaultId = vaultId.isNull() ? QUuid::createUuid() : vaultId;
    file.m_createdAt = nowText();
    file.m_updatedAt = file.m_createdAt;
    return file;
}

QString KeyFile::sidecarPath(const QString& databasePath) {
    return databasePath + QStringLiteral(".keys");
}

QString KeyFile::keychainAccountFor(const QUuid& vaultId) {
    return QStringLiteral("vault-") + vaultId.toString(QUuid::WithoutBraces);
}

QDateTime KeyFile::createdAt() const {
    return QDateTime::fromString(m_createdAt, Qt::ISODateWithMs);
}

QDateTime KeyFile::updatedAt() const {
    return QDateTime::fromString(m_updatedAt, Qt::ISODateWithMs);
}

int KeyFile::methodCount() const {
    return (hasPassphrase() ? 1 : 0) + (hasRecovery() ? 1 : 0) + (hasKeychain() ? 1 : 0);
}

std::optional<KdfParams> KeyFile::passphraseKdf() const {
    if (!m_passphrase) {
        return std::nullopt;
    }
    return m_passphrase->kdf;
}

void KeyFile::touch() {
    m_updatedAt = nowText();
}

// ---- integrity -------------------------------------------------------------------------------

QString KeyFile::checksumFor(const QJsonObject& fileObject) {
    QJsonObject content = fileObject;
    content.remove(QStringLiteral("checksum"));
    QByteArray canonical("llamadesk-vault-keys/checksum/v1\n");
    appendCanonical(canonical, content);

    unsigned char digest[kChecksumBytes];
    ensureSodium();
    crypto_generichash(digest, sizeof digest, bytesOf(canonical),
                       static_cast<unsigned long long>(canonical.size()), nullptr, 0);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(digest), sizeof digest).toBase64());
}

QByteArray KeyFile::computeKeyCheck(const SecureBytes& dataKey) const {
    const QByteArray message = QByteArrayLiteral("llamadesk-vault-key-check/v1/") +
                               m_vaultId.toString(QUuid::WithoutBraces).toLatin1();
    QByteArray check(kKeyCheckBytes, '\0');
    ensureSodium();
    crypto_generichash(reinterpret_cast<unsigned char*>(check.data()),
                       static_cast<size_t>(check.size()), bytesOf(message),
                       static_cast<unsigned long long>(message.size()), dataKey.data(),
                       static_cast<size_t>(dataKey.size()));
    return check;
}

void KeyFile::setKeyCheck(const SecureBytes& dataKey) {
    if (dataKey.size() != kDataKeyBytes) {
        return;
    }
    m_keyCheck = computeKeyCheck(dataKey);
    touch();
}

bool KeyFile::verifyKeyCheck(const SecureBytes& dataKey) const {
    if (!hasKeyCheck() || dataKey.size() != kDataKeyBytes) {
        return false;
    }
    const QByteArray expected = computeKeyCheck(dataKey);
    return sodium_memcmp(expected.constData(), m_keyCheck.constData(),
                         static_cast<size_t>(kKeyCheckBytes)) == 0;
}

QByteArray KeyFile::associatedData(const QString& method) const {
    // Binds a wrapped key to this format, version, vault and method.
    return formatName().toLatin1() + '/' + QByteArray::number(kFormatVersion) + '/' +
           m_vaultId.toString(QUuid::WithoutBraces).toLatin1() + '/' + method.toLatin1();
}

// ---- serialisation ---------------------------------------------------------------------------

QByteArray KeyFile::toJson() const {
    QJsonObject object;
    object.insert(QStringLiteral("format"), formatName());
    object.insert(QStringLiteral("version"), kFormatVersion);
    object.insert(QStringLiteral("vault_id"), m_vaultId.toString(QUuid::WithoutBraces));
    if (hasKeyCheck()) {
        object.insert(QStringLiteral("key_check"), QString::fromLatin1(m_keyCheck.toBase64()));
    }
    if (!m_databaseSalt.isEmpty()) {
        object.insert(QStringLiteral("database_salt"),
                      QString::fromLatin1(m_databaseSalt.toBase64()));
    }
    QJsonArray methods;
    if (m_passphrase) {
        methods.append(wrappedToJson(kPassphraseMethod, m_passphrase->kdf, m_passphrase->salt,
                                     m_passphrase->nonce, m_passphrase->wrapped));
    }
    if (m_recovery) {
        methods.append(wrappedToJson(kRecoveryMethod, m_recovery->kdf, m_recovery->salt,
                                     m_recovery->nonce, m_recovery->wrapped));
    }
    if (hasKeychain()) {
        QJsonObject keychain;
        keychain.insert(QStringLiteral("type"), kKeychainMethod);
        keychain.insert(QStringLiteral("service"), m_keychainService);
        keychain.insert(QStringLiteral("account"), m_keychainAccount);
        methods.append(keychain);
    }
    object.insert(QStringLiteral("methods"), methods);
    object.insert(QStringLiteral("created_at"), m_createdAt);
    object.insert(QStringLiteral("updated_at"), m_updatedAt);
    object.insert(QStringLiteral("checksum"), checksumFor(object));
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

Result<KeyFile> KeyFile::fromJson(const QByteArray& json, Error* error) {
    auto fail = [error](Error kind, QString message) {
        setError(error, kind);
        return Result<KeyFile>::failure(std::move(message));
    };
    setError(error, Error::None);

    if (json.trimmed().isEmpty()) {
        return fail(Error::NotAVault, tr("The key file is empty."));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return fail(Error::NotAVault, tr("This is not a LlamaDesk key file (not a JSON object)."));
    }
    const QJsonObject object = document.object();
    if (object.value(QStringLiteral("format")).toString() != formatName()) {
        return fail(Error::NotAVault, tr("This is not a LlamaDesk key file (unknown format)."));
    }
    const std::optional<quint64> version = decodeUnsigned(object.value(QStringLiteral("version")));
    if (!version || *version < 1) {
        return fail(Error::NotAVault, tr("The key file has no valid format version."));
    }
    if (*version > static_cast<quint64>(kFormatVersion)) {
        return fail(Error::UnsupportedVersion,
                    tr("The key file was written by a newer version of LlamaDesk (format %1; "
                       "this version reads format %2). Update LlamaDesk to open this vault.")
                        .arg(*version)
                        .arg(kFormatVersion));
    }
    // Before any field is trusted: was the file changed outside the app?
    const QString checksum = object.value(QStringLiteral("checksum")).toString();
    if (checksum.isEmpty() || checksum != checksumFor(object)) {
        return fail(Error::Tampered,
                    tr("The key file has been changed outside LlamaDesk or is damaged: its "
                       "checksum does not match its contents."));
    }

    KeyFile file;
    file.m_vaultId = QUuid::fromString(object.value(QStringLiteral("vault_id")).toString());
    if (file.m_vaultId.isNull()) {
        return fail(Error::NotAVault, tr("The key file has no valid vault id."));
    }
    if (object.contains(QStringLiteral("key_check"))) {
        const auto keyCheck =
            decodeBase64(object.value(QStringLiteral("key_check")), kKeyCheckBytes);
        if (!keyCheck) {
            return fail(Error::NotAVault, tr("The key file has a malformed key check."));
        }
        file.m_keyCheck = *keyCheck;
    }
    if (object.contains(QStringLiteral("database_salt"))) {
        const auto salt =
            decodeBase64(object.value(QStringLiteral("database_salt")), kDatabaseSaltBytes);
        if (!salt) {
            return fail(Error::NotAVault, tr("The key file has a malformed database salt."));
        }
        file.m_databaseSalt = *salt;
    }
    file.m_createdAt = object.value(QStringLiteral("created_at")).toString();
    file.m_updatedAt = object.value(QStringLiteral("updated_at")).toString();

    const QJsonValue methodsValue = object.value(QStringLiteral("methods"));
    if (!methodsValue.isArray()) {
        return fail(Error::NotAVault, tr("The key file has no list of unlock methods."));
    }
    const QJsonArray methods = methodsValue.toArray();
    for (const QJsonValue& entry : methods) {
        if (!entry.isObject()) {
            return fail(Error::NotAVault, tr("The key file has a malformed unlock method."));
        }
        const QJsonObject method = entry.toObject();
        const QString type = method.value(QStringLiteral("type")).toString();
        if (type == kPassphraseMethod || type == kRecoveryMethod) {
            std::optional<WrappedKey>& slot =
                type == kPassphraseMethod ? file.m_passphrase : file.m_recovery;
            if (slot) {
                return fail(Error::NotAVault,
                            tr("The key file lists the unlock method \"%1\" twice.").arg(type));
            }
            if (method.value(QStringLiteral("kdf")).toString() != kKdfName) {
                return fail(Error::UnsupportedVersion,
                            tr("The key file uses a key derivation this version of LlamaDesk "
                               "does not know. Update LlamaDesk to open this vault."));
            }
            const auto ops = decodeUnsigned(method.value(QStringLiteral("ops")));
            const auto mem = decodeUnsigned(method.value(QStringLiteral("mem")));
            const auto salt = decodeBase64(method.value(QStringLiteral("salt")), kSaltBytes);
            const auto nonce = decodeBase64(method.value(QStringLiteral("nonce")), kNonceBytes);
            const auto wrapped =
                decodeBase64(method.value(QStringLiteral("wrapped")), kWrappedBytes);
            if (!ops || !mem || !salt || !nonce || !wrapped) {
                return fail(Error::NotAVault,
                            tr("The unlock method \"%1\" in the key file is malformed.").arg(type));
            }
            WrappedKey key;
            key.kdf.opsLimit = *ops;
            key.kdf.memLimitBytes = *mem;
            if (!key.kdf.isWithinBounds()) {
                return fail(Error::NotAVault,
                            tr("The unlock method \"%1\" in the key file asks for key derivation "
                               "settings outside the supported range.")
                                .arg(type));
            }
            key.salt = *salt;
            key.nonce = *nonce;
            key.wrapped = *wrapped;
            slot = std::move(key);
        } else if (type == kKeychainMethod) {
            if (file.hasKeychain()) {
                return fail(Error::NotAVault,
                            tr("The key file lists the unlock method \"%1\" twice.").arg(type));
            }
            const QString service = method.value(QStringLiteral("service")).toString();
            const QString account = method.value(QStringLiteral("account")).toString();
            if (service.isEmpty() || account.isEmpty()) {
                return fail(Error::NotAVault,
                            tr("The unlock method \"%1\" in the key file is malformed.").arg(type));
            }
            file.m_keychainService = service;
            file.m_keychainAccount = account;
        } else {
            return fail(Error::UnsupportedVersion,
                        tr("The key file uses an unlock method this version of LlamaDesk does "
                           "not know. Update LlamaDesk to open this vault."));
        }
    }
    return file;
}

Result<KeyFile> KeyFile::load(const QString& path, Error* error) {
    const QString shownPath = QDir::toNativeSeparators(path);
    auto fail = [error](Error kind, QString message) {
        setError(error, kind);
        return Result<KeyFile>::failure(std::move(message));
    };
    setError(error, Error::None);

    const QFileInfo info(path);
    if (!info.exists()) {
        return fail(Error::NotFound, tr("There is no key file at %1.").arg(shownPath));
    }
    if (!info.isFile()) {
        return fail(Error::NotAVault, tr("%1 is not a LlamaDesk key file.").arg(shownPath));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(Error::IoError,
                    tr("Cannot read the key file %1: %2").arg(shownPath, file.errorString()));
    }
    const QByteArray json = file.read(kMaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        return fail(Error::IoError,
                    tr("Cannot read the key file %1: %2").arg(shownPath, file.errorString()));
    }
    if (json.size() > kMaxFileBytes) {
        return fail(Error::NotAVault,
                    tr("%1 is not a LlamaDesk key file (far too large).").arg(shownPath));
    }
    Error kind = Error::None;
    Result<KeyFile> parsed = fromJson(json, &kind);
    if (!parsed) {
        return fail(kind, tr("Key file %1: %2").arg(shownPath, parsed.error()));
    }
    return parsed;
}

Status KeyFile::save(const QString& path) const {
    if (isNull()) {
        return Status::failure(tr("Cannot save a key file that belongs to no vault."));
    }
    return AtomicFile::write(path, toJson());
}

// ---- wrapping --------------------------------------------------------------------------------

Status KeyFile::checkDataKey(const SecureBytes& dataKey) const {
    if (isNull()) {
        return Status::failure(tr("The key file belongs to no vault."));
    }
    if (dataKey.size() != kDataKeyBytes) {
        return Status::failure(tr("The vault key has the wrong length."));
    }
    if (hasKeyCheck() && !verifyKeyCheck(dataKey)) {
        return Status::failure(tr("This key does not belong to this vault."));
    }
    return Status::success();
}

Result<KeyFile::WrappedKey> KeyFile::wrap(const SecureBytes& dataKey, const SecureBytes& secret,
                                          const QString& method, const KdfParams& kdf) const {
    if (!ensureSodium()) {
        return Result<WrappedKey>::failure(tr("The cryptography library is not usable."));
    }
    WrappedKey result;
    result.kdf = kdf;
    result.salt = randomBytes(kSaltBytes); // fresh salt and nonce for every wrap
    result.nonce = randomBytes(kNonceBytes);
    const Result<SecureBytes> wrapKey = kdf.derive(secret, result.salt, kWrapKeyBytes);
    if (!wrapKey) {
        return Result<WrappedKey>::failure(wrapKey.error());
    }
    const QByteArray ad = associatedData(method);
    result.wrapped = QByteArray(kWrappedBytes, '\0');
    unsigned long long wrappedLength = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        reinterpret_cast<unsigned char*>(result.wrapped.data()), &wrappedLength, dataKey.data(),
        static_cast<unsigned long long>(dataKey.size()), bytesOf(ad),
        static_cast<unsigned long long>(ad.size()), nullptr, bytesOf(result.nonce),
        wrapKey->data());
    if (wrappedLength != static_cast<unsigned long long>(kWrappedBytes)) {
        return Result<WrappedKey>::failure(tr("Wrapping the vault key failed."));
    }
    return result;
}

Result<SecureBytes> KeyFile::unwrap(const WrappedKey& wrapped, const SecureBytes& secret,
                                    const QString& method, Error wrongSecret, Error* error) const {
    const Result<SecureBytes> wrapKey = wrapped.kdf.derive(secret, wrapped.salt, kWrapKeyBytes);
    if (!wrapKey) {
        setError(error, Error::Other);
        return Result<SecureBytes>::failure(wrapKey.error());
    }
    SecureBytes dataKey(kDataKeyBytes);
    if (dataKey.size() != kDataKeyBytes) {
        setError(error, Error::Other);
        return Result<SecureBytes>::failure(tr("Out of secure memory while unlocking the vault."));
    }
    const QByteArray ad = associatedData(method);
    unsigned long long keyLength = 0;
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        dataKey.data(), &keyLength, nullptr, bytesOf(wrapped.wrapped),
        static_cast<unsigned long long>(wrapped.wrapped.size()), bytesOf(ad),
        static_cast<unsigned long long>(ad.size()), bytesOf(wrapped.nonce), wrapKey->data());
    if (rc != 0 || keyLength != static_cast<unsigned long long>(kDataKeyBytes)) {
        setError(error, wrongSecret);
        return Result<SecureBytes>::failure(
            wrongSecret == Error::WrongPassphrase
                ? tr("The passphrase is not correct.")
                : tr("The recovery code does not unlock this vault."));
    }
    if (hasKeyCheck() && !verifyKeyCheck(dataKey)) {
        setError(error, Error::KeyMismatch);
        return Result<SecureBytes>::failure(
            tr("The key file has been altered: the unlocked key does not match this vault."));
    }
    setError(error, Error::None);
    return Result<SecureBytes>(std::move(dataKey));
}

Status KeyFile::setPassphrase(const SecureBytes& dataKey, const QString& passphrase,
                              const KdfParams& kdf) {
    const Status keyOk = checkDataKey(dataKey);
    if (!keyOk) {
        return keyOk;
    }
    if (passphrase.isEmpty()) {
        return Status::failure(tr("The passphrase is empty."));
    }
    if (!kdf.isWithinBounds()) {
        return Status::failure(tr("The key derivation settings are outside the supported range."));
    }
    const SecureBytes secret = passphraseBytes(passphrase);
    Result<WrappedKey> wrapped = wrap(dataKey, secret, kPassphraseMethod, kdf);
    if (!wrapped) {
        return Status::failure(wrapped.error());
    }
    if (!hasKeyCheck()) {
        setKeyCheck(dataKey);
    }
    m_passphrase = std::move(wrapped).value();
    touch();
    return Status::success();
}

Status KeyFile::setRecoveryCode(const SecureBytes& dataKey, const RecoveryCode& code,
                                const KdfParams& kdf) {
    const Status keyOk = checkDataKey(dataKey);
    if (!keyOk) {
        return keyOk;
    }
    if (!code.isValid()) {
        return Status::failure(tr("The recovery code is not valid."));
    }
    if (!kdf.isWithinBounds()) {
        return Status::failure(tr("The key derivation settings are outside the supported range."));
    }
    Result<WrappedKey> wrapped = wrap(dataKey, code.symbols(), kRecoveryMethod, kdf);
    if (!wrapped) {
        return Status::failure(wrapped.error());
    }
    if (!hasKeyCheck()) {
        setKeyCheck(dataKey);
    }
    m_recovery = std::move(wrapped).value();
    touch();
    return Status::success();
}

Status KeyFile::setKeychain(const SecureBytes& dataKey, SecretStore& store, Error* error) {
    setError(error, Error::None);
    const Status keyOk = checkDataKey(dataKey);
    if (!keyOk) {
        setError(error, Error::KeyMismatch);
        return keyOk;
    }
    const QString account = keychainAccountFor(m_vaultId);
    QString detail;
    if (store.write(account, dataKey, &detail) != SecretStore::Error::None) {
        setError(error, Error::KeychainUnavailable);
        return Status::failure(
            tr("The key could not be stored in the system keychain. %1").arg(detail));
    }
    // A locked keyring may accept nothing yet say so only on the read: check the round trip.
    const SecretStore::ReadResult back = store.read(account);
    if (back.error != SecretStore::Error::None || !back.secret.equals(dataKey)) {
        store.remove(account);
        setError(error, Error::KeychainUnavailable);
        return Status::failure(tr("The system keychain does not return the key stored in it "
                                  "(it may be locked). %1")
                                   .arg(back.message));
    }
    if (!hasKeyCheck()) {
        setKeyCheck(dataKey);
    }
    m_keychainService = store.serviceName();
    m_keychainAccount = account;
    touch();
    return Status::success();
}

Status KeyFile::removePassphrase(Error* error) {
    setError(error, Error::None);
    if (!hasPassphrase()) {
        setError(error, Error::MethodNotConfigured);
        return Status::failure(tr("This vault has no passphrase."));
    }
    if (methodCount() == 1) {
        setError(error, Error::LastMethod);
        return Status::failure(
            tr("The passphrase is the only way left to unlock this vault; it cannot be removed."));
    }
    m_passphrase.reset();
    touch();
    return Status::success();
}

Status KeyFile::removeRecoveryCode(Error* error) {
    setError(error, Error::None);
    if (!hasRecovery()) {
        setError(error, Error::MethodNotConfigured);
        return Status::failure(tr("This vault has no recovery code."));
    }
    if (methodCount() == 1) {
        setError(error, Error::LastMethod);
        return Status::failure(tr(
            "The recovery code is the only way left to unlock this vault; it cannot be removed."));
    }
    m_recovery.reset();
    touch();
    return Status::success();
}

Status KeyFile::removeKeychain(SecretStore& store, Error* error) {
    setError(error, Error::None);
    if (!hasKeychain()) {
        setError(error, Error::MethodNotConfigured);
        return Status::failure(tr("This vault does not use the system keychain."));
    }
    if (methodCount() == 1) {
        setError(error, Error::LastMethod);
        return Status::failure(tr("The system keychain is the only way left to unlock this "
                                  "vault; set a passphrase first."));
    }
    QString detail;
    if (store.remove(m_keychainAccount, &detail) != SecretStore::Error::None) {
        setError(error, Error::KeychainUnavailable);
        return Status::failure(
            tr("The key could not be deleted from the system keychain. %1").arg(detail));
    }
    m_keychainService.clear();
    m_keychainAccount.clear();
    touch();
    return Status::success();
}

// ---- unlocking -------------------------------------------------------------------------------

Result<SecureBytes> KeyFile::unlockWithPassphrase(const QString& passphrase, Error* error) const {
    if (!m_passphrase) {
        setError(error, Error::MethodNotConfigured);
        return Result<SecureBytes>::failure(tr("This vault has no passphrase."));
    }
    const SecureBytes secret = passphraseBytes(passphrase);
    return unwrap(*m_passphrase, secret, kPassphraseMethod, Error::WrongPassphrase, error);
}

Result<SecureBytes> KeyFile::unlockWithRecoveryCode(const RecoveryCode& code, Error* error) const {
    if (!m_recovery) {
        setError(error, Error::MethodNotConfigured);
        return Result<SecureBytes>::failure(tr("This vault has no recovery code."));
    }
    if (!code.isValid()) {
        setError(error, Error::WrongRecoveryCode);
        return Result<SecureBytes>::failure(tr("The recovery code is not valid."));
    }
    return unwrap(*m_recovery, code.symbols(), kRecoveryMethod, Error::WrongRecoveryCode, error);
}

Result<SecureBytes> KeyFile::unlockWithKeychain(SecretStore& store, Error* error) const {
    if (!hasKeychain()) {
        setError(error, Error::MethodNotConfigured);
        return Result<SecureBytes>::failure(tr("This vault does not use the system keychain."));
    }
    if (store.serviceName() != m_keychainService) {
        qCWarning(lcVault, "keychain service differs from the one recorded in the key file");
    }
    SecretStore::ReadResult entry = store.read(m_keychainAccount);
    switch (entry.error) {
    case SecretStore::Error::None:
        if (entry.secret.size() != kDataKeyBytes ||
            (hasKeyCheck() && !verifyKeyCheck(entry.secret))) {
            setError(error, Error::KeyMismatch);
            return Result<SecureBytes>::failure(
                tr("The system keychain holds a key for this vault that does not open it. "
                   "Unlock with the passphrase or the recovery code."));
        }
        setError(error, Error::None);
        return Result<SecureBytes>(std::move(entry.secret));
    case SecretStore::Error::NotFound: {
        // A locked or missing keyring also says "not found": only a keychain that passes the
        // probe really has no entry for this vault.
        QString detail;
        if (store.probe(&detail) == SecretStore::Error::None) {
            setError(error, Error::KeychainEntryMissing);
            return Result<SecureBytes>::failure(
                tr("The system keychain works but holds no key for this vault. Unlock with the "
                   "passphrase or the recovery code, then turn the keychain on again."));
        }
        setError(error, Error::KeychainUnavailable);
        return Result<SecureBytes>::failure(
            tr("The system keychain is not available (%1). Unlock it, or unlock the vault with "
               "the passphrase or the recovery code.")
                .arg(detail));
    }
    case SecretStore::Error::Unavailable:
    case SecretStore::Error::Other:
        break;
    }
    setError(error, Error::KeychainUnavailable);
    return Result<SecureBytes>::failure(
        tr("The system keychain is not available (%1). Unlock it, or unlock the vault with the "
           "passphrase or the recovery code.")
            .arg(entry.message));
}

Status KeyFile::changePassphrase(const QString& oldPassphrase, const QString& newPassphrase,
                                 const KdfParams& kdf, Error* error) {
    Result<SecureBytes> dataKey = unlockWithPassphrase(oldPassphrase, error);
    if (!dataKey) {
        return Status::failure(dataKey.error());
    }
    const Status changed = setPassphrase(*dataKey, newPassphrase, kdf);
    if (!changed) {
        setError(error, Error::Other);
    }
    return changed;
}

} // namespace llamadesk::vault
