#pragma once

#include <QtGlobal>

#include <cstddef>

namespace llamadesk::store {

// AES-256-CBC and HMAC-SHA1 for the vault's pages, on the processor's AES and SHA instructions
// (x86-64 AES-NI and SHA extensions), for CachedCryptoProvider. The same functions as OpenSSL's
// (TestHardwarePageCrypto compares them on random inputs), without OpenSSL's per-call setup: the
// key schedules and the HMAC key's hash states are made once per key and kept by the caller.
// Encrypting a page and hashing its ciphertext are interleaved (encryptAndHash): CBC encryption
// waits on each block's AES rounds, and the SHA-1 rounds of the previous ciphertext run meanwhile.
//
// available() says whether this build and processor have them; where not, nothing here may be
// called (the provider then uses OpenSSL). The structures hold key material: callers keep them
// in locked memory and wipe them (CachedCryptoProvider allocates them with SQLCipher's allocator).
class HardwarePageCrypto {
public:
    static constexpr int kKeySize = 32;
    static constexpr int kBlockSize = 16;
    static constexpr int kDigestSize = 20;
    static constexpr int kShaBlockSize = 64;

    struct AesKeys {
        unsigned char encrypt[15 * 16]; // round keys
        unsigned char decrypt[15 * 16]; // inverse-cipher round keys, in use order
    };

    // SHA-1 chaining value after a whole number of 64-byte blocks.
    struct Sha1State {
        quint32 h[5];
        quint64 bytes; // hashed so far
    };

    struct HmacKey {
        Sha1State inner; // after (key XOR ipad)
        Sha1State outer; // after (key XOR opad)
    };

    static bool available();

    static void expandKey(const unsigned char* key, AesKeys* keys);
    // size: a multiple of kBlockSize. in and out may be the same buffer.
    static void cbcEncrypt(const AesKeys& keys, const unsigned char* iv, const unsigned char* in,
                           std::size_t size, unsigned char* out);
    static void cbcDecrypt(const AesKeys& keys, const unsigned char* iv, const unsigned char* in,
                           std::size_t size, unsigned char* out);

    // keySize at most kShaBlockSize.
    static void setHmacKey(const unsigned char* key, std::size_t keySize, HmacKey* hmacKey);
    // HMAC-SHA1(key, a || b).
    static void hmac(const HmacKey& key, const unsigned char* a, std::size_t aSize,
                     const unsigned char* b, std::size_t bSize, unsigned char* digest);

    // cbcEncrypt, and the HMAC's inner hash carried over the whole 64-byte blocks of the
    // ciphertext as they are made: *state becomes key.inner advanced by (size / 64) * 64 bytes of
    // out. finishHmac() then completes HMAC-SHA1(key, out[0, size) || c || d) from there.
    static void encryptAndHash(const AesKeys& keys, const HmacKey& key, const unsigned char* iv,
                               const unsigned char* in, std::size_t size, unsigned char* out,
                               Sha1State* state);
    static void finishHmac(const HmacKey& key, const Sha1State& state, const unsigned char* rest,
                           std::size_t restSize, const unsigned char* d, std::size_t dSize,
                           unsigned char* digest);

    // HMAC-SHA1(key, in[0, macSize) || trailer) into digest and, in the same pass, the CBC
    // decryption of in[0, cipherSize) (a multiple of kBlockSize, at most macSize) with iv into
    // plain (which may be in): the AES unit and the SHA unit work side by side.
    static void hashAndDecrypt(const AesKeys& keys, const HmacKey& key, const unsigned char* in,
                               std::size_t macSize, const unsigned char* trailer,
                               std::size_t trailerSize, std::size_t cipherSize,
                               const unsigned char* iv, unsigned char* plain,
                               unsigned char* digest);
};

} // namespace llamadesk::store
