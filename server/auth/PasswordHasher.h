#pragma once

#include <QByteArray>
#include <QString>

namespace llamadesk::server {

// Argon2id password hashes in libsodium's encoded form ($argon2id$v=19$m=...,t=...,p=...$...),
// which carries its own salt and cost, so old hashes keep verifying after the cost changes.
class PasswordHasher {
public:
    PasswordHasher(qint64 opsLimit, qint64 memLimitKiB);

    // Empty on failure (out of memory for the chosen cost).
    QByteArray hash(const QString& password) const;
    bool verify(const QByteArray& encodedHash, const QString& password) const;
    // True when a hash was made with another cost than the current one (rehash on sign-in).
    bool needsRehash(const QByteArray& encodedHash) const;
    // Costs the same as a real verification, for unknown accounts (no timing difference).
    void burn(const QString& password) const;

private:
    unsigned long long m_opsLimit;
    size_t m_memLimitBytes;
};

} // namespace llamadesk::server
