#pragma once

#include <QString>
#include <QtGlobal>

namespace llamadesk::store {

// SQLCipher 3.4's OpenSSL provider sets up its cipher and HMAC objects from scratch for every
// page: a new EVP_CIPHER_CTX with a fresh AES key schedule, a new HMAC_CTX keyed again, and a
// RAND_bytes call under a global mutex for each page's IV. With OpenSSL 3 each of those also
// looks the algorithm up again. That setup costs about as much as the encryption itself.
//
// This provider keeps that setup per SQLCipher cipher context (one per connection and direction):
// the AES-256-CBC key schedules, the HMAC-SHA1 hash states after the key, and a buffer of random
// bytes for the IVs. Where the processor has AES and SHA instructions it computes the cipher and
// the MAC with them (HardwarePageCrypto), hashing each page's ciphertext while it is encrypted;
// elsewhere with OpenSSL's EVP functions on the kept objects. Either way it computes exactly what
// the stock provider computes (same algorithms, same inputs, same bytes on disk); only the setup
// is not repeated. Everything else (key derivation, cipher settings, anything but AES-256-CBC
// with a 32-byte key) goes to the stock provider unchanged.
//
// It is installed only where its layout is known to match: SQLCipher 3.4.1 with the OpenSSL
// provider, OpenSSL 3 at build time, on a platform where the provider symbols can be looked up.
// Anywhere else (SQLCipher 4, another crypto library, Windows) the stock provider stays and
// nothing changes. The environment variable LLAMADESK_STOCK_CIPHER_PROVIDER=1 keeps the stock
// provider too (for comparisons and for tests that write with one and read with the other).
class CachedCryptoProvider {
public:
    // Installs the provider for every connection keyed from now on (connections already open keep
    // theirs). Safe to call from any thread, any number of times; only the first call does work.
    // Returns whether the cached provider is in use; why (optional) says why not.
    static bool ensureInstalled(QString* why = nullptr);

    // Whether connections keyed now get the cached provider.
    static bool isInstalled();

    // Puts the stock provider back for connections keyed from now on. For tests that check the
    // two providers read each other's files. Returns false when the cached one was not installed.
    static bool restoreStock();

    // Re-installs the cached provider after restoreStock(). Returns false where it cannot be used.
    static bool reinstall();

    // Whether contexts created from now on may use the processor's AES and SHA instructions
    // (HardwarePageCrypto) where it has them; otherwise they use OpenSSL's EVP functions. On by
    // default; off only to test and measure the OpenSSL path on a processor that has them.
    static void setHardwareAllowed(bool allowed);

    // Pages encrypted and decrypted by the cached path so far in this process (tests, benchmarks).
    struct PageCounts {
        quint64 encrypted = 0;
        quint64 decrypted = 0;
    };
    static PageCounts pageCounts();
};

} // namespace llamadesk::store
