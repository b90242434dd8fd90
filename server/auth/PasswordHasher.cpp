#include "PasswordHasher.h"

#include <sodium.h>

namespace llamadesk::server {

PasswordHasher::PasswordHasher(qint64 opsLimit, qint64 memLimitKiB)
    : m_opsLimit(static_cast<unsigned long long>(opsLimit))
    , m_memLimitBytes(static_cast<size_t>(memLimitKiB) * 1024U) {}

QByteArray PasswordHasher::hash(const QString& password) const {
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), static_cast<unsigned long long>(utf8.size()),
                              m_opsLimit, m_memLimitBytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return QByteArray(out);
}

bool PasswordHasher::verify(const QByteArray& encodedHash, const QString& password) const {
    if (encodedHash.isEmpty() || encodedHash.size() >= crypto_pwhash_STRBYTES)
        return false;
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(encodedHash.constData(), utf8.constData(),
                                    static_cast<unsigned long long>(utf8.size())) == 0;
}

bool PasswordHasher::needsRehash(const QByteArray& encodedHash) const {
    return crypto_pwhash_str_needs_rehash(encodedHash.constData(), m_opsLimit, m_memLimitBytes) !=
           0;
}

void PasswordHasher::burn(const QString& password) const {
    // A hash with the current cost takes as long as verifying one of them.
    (void)hash(password);
}

} // namespace llamadesk::server
