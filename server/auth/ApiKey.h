#pragma once

#include <QByteArray>
#include <QString>

namespace llamadesk::server {

// API keys: "ldk_" + 8-character prefix + "_" + 43 characters of secret (32 random bytes,
// base64url). The full key is shown once; the server keeps only its SHA-256 (hex) and the
// prefix, which lets a person tell keys apart without revealing them.
class ApiKey {
public:
    QString prefix;  // 8 characters of [a-z0-9]
    QString fullKey; // shown once, never stored or logged
    QByteArray hashHex;

    static ApiKey generate();
    // The hash of a presented key, or empty when it is not shaped like one of ours.
    static QByteArray hashOf(const QByteArray& presented);
    static bool looksValid(const QByteArray& presented);
    static QByteArray prefixOf(const QByteArray& presented);
};

} // namespace llamadesk::server
