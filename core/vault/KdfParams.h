#pragma once

#include "Result.h"
#include "vault/SecureBytes.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QtGlobal>

namespace llamadesk::vault {

// Cost of the memory-hard key derivation (Argon2id, version 1.3) that turns a passphrase or a
// recovery code into a key-wrapping key. Stored next to each wrapped key, so the defaults can
// grow in later versions without breaking existing vaults.
struct KdfParams {
    Q_DECLARE_TR_FUNCTIONS(KdfParams)

public:
    quint64 opsLimit = 0;      // passes over memory
    quint64 memLimitBytes = 0; // memory used by one derivation

    // Interactive unlock: 64 MiB, 2 passes (about 0.1 s on a current desktop core).
    static KdfParams defaults();
    // The cheapest settings the algorithm accepts. Tests only: no protection at all.
    static KdfParams fastForTests();

    // Bounds accepted when reading a key file, so that a damaged or hostile file cannot ask for
    // absurd amounts of memory or time.
    static constexpr quint64 kMinOps = 1;
    static constexpr quint64 kMaxOps = 64;
    static constexpr quint64 kMinMemBytes = 8 * 1024;
    static constexpr quint64 kMaxMemBytes = quint64(2) * 1024 * 1024 * 1024;
    bool isWithinBounds() const;

    // Derives `keyBytes` bytes from `secret` (UTF-8 text) and `salt`. Fails with a message when
    // the parameters are out of bounds or the memory cannot be allocated.
    Result<SecureBytes> derive(const QByteArray& secret, const QByteArray& salt,
                               qsizetype keyBytes) const;
    Result<SecureBytes> derive(const SecureBytes& secret, const QByteArray& salt,
                               qsizetype keyBytes) const;

    bool operator==(const KdfParams& other) const {
        return opsLimit == other.opsLimit && memLimitBytes == other.memLimitBytes;
    }
    bool operator!=(const KdfParams& other) const { return !(*this == other); }

private:
    Result<SecureBytes> deriveRaw(const char* secret, qsizetype secretSize, const QByteArray& salt,
                                  qsizetype keyBytes) const;
};

} // namespace llamadesk::vault
