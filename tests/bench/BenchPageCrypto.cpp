// Cost of encrypting and of checking one vault page (4,048 bytes of AES-256-CBC ciphertext, a
// 16-byte IV and the page number under HMAC-SHA1, as SQLCipher lays out a 4,096-byte page), in
// microseconds per page:
//   openssl per page  new cipher and MAC contexts for every page, keyed every time (how
//                     SQLCipher 3.4's stock provider calls OpenSSL)
//   openssl kept      the contexts and the keyed MAC state kept between pages
//                     (CachedCryptoProvider where the processor lacks AES or SHA instructions)
//   hardware          HardwarePageCrypto: the same with the AES and SHA instructions, the MAC
//                     computed in the same pass as the cipher (CachedCryptoProvider's default)
// The figures feed docs/benchmarks.md ("The page cipher").
#include "store/HardwarePageCrypto.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>

using llamadesk::store::HardwarePageCrypto;

namespace {

constexpr int kCipherSize = 4048;
constexpr int kMacSize = kCipherSize + 16;

unsigned char g_key[32];
unsigned char g_macKey[32];
unsigned char g_iv[16];
unsigned char g_page[4096];
unsigned char g_out[4096];
unsigned char g_digest[64];
const unsigned char g_pageNumber[4] = {7, 0, 0, 0};

double microsecondsPerPage(int pages, const std::function<void()>& work) {
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < pages; ++i)
        work();
    return double(timer.nsecsElapsed()) / 1000.0 / pages;
}

void opensslCipherPerPage(int encrypt) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int written = 0;
    int tail = 0;
    EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, nullptr, nullptr, encrypt);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EVP_CipherInit_ex(ctx, nullptr, nullptr, g_key, g_iv, encrypt);
    EVP_CipherUpdate(ctx, encrypt ? g_out : g_page, &written, encrypt ? g_page : g_out,
                     kCipherSize);
    EVP_CipherFinal_ex(ctx, (encrypt ? g_out : g_page) + written, &tail);
    EVP_CIPHER_CTX_free(ctx);
}

void opensslMacPerPage(const unsigned char* data) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char digestName[] = "SHA1";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0),
        OSSL_PARAM_construct_end()};
    size_t size = 0;
    EVP_MAC_init(ctx, g_macKey, sizeof g_macKey, params);
    EVP_MAC_update(ctx, data, kMacSize);
    EVP_MAC_update(ctx, g_pageNumber, sizeof g_pageNumber);
    EVP_MAC_final(ctx, g_digest, &size, sizeof g_digest);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

struct KeptOpenSsl {
    EVP_CIPHER_CTX* encrypt = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX* decrypt = EVP_CIPHER_CTX_new();
    EVP_MD_CTX* inner = EVP_MD_CTX_new();
    EVP_MD_CTX* outer = EVP_MD_CTX_new();
    EVP_MD_CTX* work = EVP_MD_CTX_new();

    KeptOpenSsl() {
        EVP_CipherInit_ex(encrypt, EVP_aes_256_cbc(), nullptr, g_key, g_iv, 1);
        EVP_CIPHER_CTX_set_padding(encrypt, 0);
        EVP_CipherInit_ex(decrypt, EVP_aes_256_cbc(), nullptr, g_key, g_iv, 0);
        EVP_CIPHER_CTX_set_padding(decrypt, 0);
        unsigned char pad[64];
        for (const unsigned char fill :
             {static_cast<unsigned char>(0x36), static_cast<unsigned char>(0x5c)}) {
            std::memset(pad, fill, sizeof pad);
            for (size_t i = 0; i < sizeof g_macKey; ++i)
                pad[i] ^= g_macKey[i];
            EVP_MD_CTX* state = fill == 0x36 ? inner : outer;
            EVP_DigestInit_ex(state, EVP_sha1(), nullptr);
            EVP_DigestUpdate(state, pad, sizeof pad);
        }
    }
    ~KeptOpenSsl() {
        EVP_CIPHER_CTX_free(encrypt);
        EVP_CIPHER_CTX_free(decrypt);
        EVP_MD_CTX_free(inner);
        EVP_MD_CTX_free(outer);
        EVP_MD_CTX_free(work);
    }
    void cipher(EVP_CIPHER_CTX* ctx, const unsigned char* in, unsigned char* out) {
        int written = 0;
        int tail = 0;
        EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, g_iv, -1);
        EVP_CipherUpdate(ctx, out, &written, in, kCipherSize);
        EVP_CipherFinal_ex(ctx, out + written, &tail);
    }
    void mac(const unsigned char* data) {
        unsigned char innerDigest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        EVP_MD_CTX_copy_ex(work, inner);
        EVP_DigestUpdate(work, data, kMacSize);
        EVP_DigestUpdate(work, g_pageNumber, sizeof g_pageNumber);
        EVP_DigestFinal_ex(work, innerDigest, &size);
        EVP_MD_CTX_copy_ex(work, outer);
        EVP_DigestUpdate(work, innerDigest, size);
        EVP_DigestFinal_ex(work, g_digest, &size);
    }
};

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int pages = 200000;
    const QStringList args = app.arguments();
    if (args.size() == 3 && args[1] == QLatin1String("--pages"))
        pages = args[2].toInt();
    QRandomGenerator rng(42);
    const auto fill = [&rng](unsigned char* buffer, size_t size) {
        for (size_t i = 0; i < size; ++i)
            buffer[i] = static_cast<unsigned char>(rng.bounded(256));
    };
    fill(g_key, sizeof g_key);
    fill(g_macKey, sizeof g_macKey);
    fill(g_iv, sizeof g_iv);
    fill(g_page, sizeof g_page);

    std::printf("BenchPageCrypto: %d pages of 4096 bytes (4048 encrypted, MAC over 4068), "
                "microseconds per page, best of 3\n",
                pages);
    std::printf("%-20s %18s %18s\n", "", "encrypt + MAC", "MAC + decrypt");
    const auto report = [&](const char* name, const std::function<void()>& write,
                            const std::function<void()>& read) {
        double bestWrite = 1e9;
        double bestRead = 1e9;
        for (int run = 0; run < 3; ++run) {
            bestWrite = std::min(bestWrite, microsecondsPerPage(pages, write));
            bestRead = std::min(bestRead, microsecondsPerPage(pages, read));
        }
        std::printf("%-20s %18.2f %18.2f\n", name, bestWrite, bestRead);
    };

    report(
        "openssl per page",
        [] {
            opensslCipherPerPage(1);
            opensslMacPerPage(g_out);
        },
        [] {
            opensslMacPerPage(g_out);
            opensslCipherPerPage(0);
        });

    KeptOpenSsl kept;
    report(
        "openssl kept",
        [&kept] {
            kept.cipher(kept.encrypt, g_page, g_out);
            kept.mac(g_out);
        },
        [&kept] {
            kept.mac(g_out);
            kept.cipher(kept.decrypt, g_out, g_page);
        });

    if (!HardwarePageCrypto::available()) {
        std::printf("%-20s %18s %18s\n", "hardware", "n/a", "n/a");
        return 0;
    }
    HardwarePageCrypto::AesKeys keys;
    HardwarePageCrypto::HmacKey macKey;
    HardwarePageCrypto::expandKey(g_key, &keys);
    HardwarePageCrypto::setHmacKey(g_macKey, sizeof g_macKey, &macKey);
    report(
        "hardware, separate",
        [&] {
            HardwarePageCrypto::cbcEncrypt(keys, g_iv, g_page, kCipherSize, g_out);
            HardwarePageCrypto::hmac(macKey, g_out, kMacSize, g_pageNumber, sizeof g_pageNumber,
                                     g_digest);
        },
        [&] {
            HardwarePageCrypto::hmac(macKey, g_out, kMacSize, g_pageNumber, sizeof g_pageNumber,
                                     g_digest);
            HardwarePageCrypto::cbcDecrypt(keys, g_iv, g_out, kCipherSize, g_page);
        });
    report(
        "hardware, one pass",
        [&] {
            HardwarePageCrypto::Sha1State state;
            HardwarePageCrypto::encryptAndHash(keys, macKey, g_iv, g_page, kCipherSize, g_out,
                                               &state);
            const size_t hashed = kCipherSize / 64 * 64;
            HardwarePageCrypto::finishHmac(macKey, state, g_out + hashed, kMacSize - hashed,
                                           g_pageNumber, sizeof g_pageNumber, g_digest);
        },
        [&] {
            HardwarePageCrypto::hashAndDecrypt(keys, macKey, g_out, kMacSize, g_pageNumber,
                                               sizeof g_pageNumber, kCipherSize, g_iv, g_page,
                                               g_digest);
        });
    return 0;
}
