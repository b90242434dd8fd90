#include "store/CachedCryptoProvider.h"

#include "Logging.h"
#include "store/HardwarePageCrypto.h"

#include <QByteArray>
#include <QMutex>
#include <QMutexLocker>
#include <QtGlobal>

#include <sqlite3.h>

#include <atomic>
#include <cstring>

#if defined(LLAMADESK_HAVE_OPENSSL3) && defined(Q_OS_UNIX)
#define LLAMADESK_CACHED_PROVIDER 1
#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#endif

namespace llamadesk::store {

namespace {

constexpr char kStockOnlyVariable[] = "LLAMADESK_STOCK_CIPHER_PROVIDER";

#ifdef LLAMADESK_CACHED_PROVIDER

// The only SQLCipher release whose provider table this file knows: sqlcipher.h of 3.4.1 has these
// twenty entries in this order (SQLCipher 4 changed the table). Checked against the library at
// install time through its cipher_version and provider name.
constexpr char kKnownCipherVersion[] = "3.4.1";
constexpr char kKnownProviderName[] = "openssl";

extern "C" {
struct ProviderTable {
    int (*activate)(void* ctx);
    int (*deactivate)(void* ctx);
    const char* (*getProviderName)(void* ctx);
    int (*addRandom)(void* ctx, void* buffer, int length);
    int (*random)(void* ctx, void* buffer, int length);
    int (*hmac)(void* ctx, unsigned char* hmacKey, int keySize, unsigned char* in, int inSize,
                unsigned char* in2, int in2Size, unsigned char* out);
    int (*kdf)(void* ctx, const unsigned char* pass, int passSize, unsigned char* salt,
               int saltSize, int workFactor, int keySize, unsigned char* key);
    int (*cipher)(void* ctx, int mode, unsigned char* key, int keySize, unsigned char* iv,
                  unsigned char* in, int inSize, unsigned char* out);
    int (*setCipher)(void* ctx, const char* cipherName);
    const char* (*getCipher)(void* ctx);
    int (*getKeySize)(void* ctx);
    int (*getIvSize)(void* ctx);
    int (*getBlockSize)(void* ctx);
    int (*getHmacSize)(void* ctx);
    int (*ctxCopy)(void* target, void* source);
    int (*ctxCompare)(void* c1, void* c2);
    int (*ctxInit)(void** ctx);
    int (*ctxFree)(void** ctx);
    int (*fipsStatus)(void* ctx);
    const char* (*getProviderVersion)(void* ctx);
};
}
static_assert(sizeof(ProviderTable) == 20 * sizeof(void*), "SQLCipher 3.4.1 provider table");

using ActivateFunction = void (*)();
using GetProviderFunction = ProviderTable* (*)();
using RegisterProviderFunction = int (*)(ProviderTable*);
using MallocFunction = void* (*)(int);
using FreeFunction = void (*)(void*, int);

constexpr int kEncrypt = 1; // SQLCipher's CIPHER_ENCRYPT; CIPHER_DECRYPT is 0
constexpr int kAesKeySize = 32;
constexpr int kAesBlockSize = 16;
constexpr int kShaBlockSize = 64;
constexpr int kRandomBufferSize = 4096;
constexpr int kPageBufferSize = 4096; // the vault's page size; bigger pages are not stitched

// Set once under g_mutex before the first cached context exists, read-only afterwards.
struct Globals {
    ProviderTable stock{};
    RegisterProviderFunction registerProvider = nullptr;
    MallocFunction allocate = nullptr;
    FreeFunction release = nullptr;
    EVP_CIPHER* aes256Cbc = nullptr;
    EVP_MD* sha1 = nullptr;
};
Globals g;
QMutex g_mutex;
std::atomic<bool> g_hardwareAllowed{true};
bool g_attempted = false;
bool g_usable = false;
bool g_installed = false;
QString g_why;

// One per SQLCipher cipher context. Allocated with sqlcipher_malloc (zeroed, locked in memory
// like SQLCipher's own key buffers) and wiped by sqlcipher_free.
struct CachedContext {
    void* stock;      // the stock provider's context, for everything not done here
    int aes256Cbc;    // the cipher set on this context is AES-256-CBC
    int hardware;     // HardwarePageCrypto instead of OpenSSL's EVP functions
    int encryptKeyed; // encryptKey is the key of the schedule in encryptCtx (or aesKeys)
    int decryptKeyed;
    int macKeySize; // -1 until the HMAC states are set up
    int randomLeft; // unused bytes at the front of randomBytes
    // The HMAC's inner hash over the whole 64-byte blocks of the page just encrypted (hardware
    // path): the next hmac() call finishes it when it is asked for that page.
    int pendingValid;
    const unsigned char* pendingOut;
    int pendingHashed;
    HardwarePageCrypto::Sha1State pendingState;
    // The page the last hmac() call verified, decrypted in the same pass (hardware path):
    // SQLCipher decrypts a page right after checking its MAC.
    int decryptedValid;
    int decryptedSize;
    const unsigned char* decryptedFrom;
    unsigned char decryptedIv[kAesBlockSize];
    EVP_CIPHER_CTX* encryptCtx;
    EVP_CIPHER_CTX* decryptCtx;
    EVP_MD_CTX* macInner; // SHA-1 state after (key XOR ipad)
    EVP_MD_CTX* macOuter; // SHA-1 state after (key XOR opad)
    EVP_MD_CTX* macWork;
    HardwarePageCrypto::AesKeys aesKeys; // both schedules of encryptKey (hardware path)
    HardwarePageCrypto::HmacKey hmacKey; // the states of macKey (hardware path)
    unsigned char encryptKey[kAesKeySize];
    unsigned char decryptKey[kAesKeySize];
    unsigned char macKey[kShaBlockSize];
    unsigned char randomBytes[kRandomBufferSize];
    unsigned char decrypted[kPageBufferSize];
};

CachedContext* cached(void* ctx) {
    return static_cast<CachedContext*>(ctx);
}

void* stockOf(void* ctx) {
    return ctx ? cached(ctx)->stock : nullptr;
}

int cachedActivate(void* ctx) {
    return g.stock.activate(stockOf(ctx));
}
int cachedDeactivate(void* ctx) {
    return g.stock.deactivate(stockOf(ctx));
}
const char* cachedProviderName(void* ctx) {
    return g.stock.getProviderName(stockOf(ctx));
}
int cachedAddRandom(void* ctx, void* buffer, int length) {
    return g.stock.addRandom(stockOf(ctx), buffer, length);
}
int cachedKdf(void* ctx, const unsigned char* pass, int passSize, unsigned char* salt, int saltSize,
              int workFactor, int keySize, unsigned char* key) {
    return g.stock.kdf(stockOf(ctx), pass, passSize, salt, saltSize, workFactor, keySize, key);
}
const char* cachedGetCipher(void* ctx) {
    return g.stock.getCipher(stockOf(ctx));
}
int cachedKeySize(void* ctx) {
    return g.stock.getKeySize(stockOf(ctx));
}
int cachedIvSize(void* ctx) {
    return g.stock.getIvSize(stockOf(ctx));
}
int cachedBlockSize(void* ctx) {
    return g.stock.getBlockSize(stockOf(ctx));
}
int cachedHmacSize(void* ctx) {
    return g.stock.getHmacSize(stockOf(ctx));
}
int cachedFipsStatus(void* ctx) {
    return g.stock.fipsStatus(stockOf(ctx));
}
const char* cachedProviderVersion(void* ctx) {
    return g.stock.getProviderVersion(stockOf(ctx));
}
int cachedCompare(void* c1, void* c2) {
    return g.stock.ctxCompare(stockOf(c1), stockOf(c2));
}

void forgetKeys(CachedContext* c) {
    c->encryptKeyed = 0;
    c->decryptKeyed = 0;
    c->macKeySize = -1;
    c->pendingValid = 0;
    c->decryptedValid = 0;
    OPENSSL_cleanse(&c->aesKeys, sizeof c->aesKeys);
    OPENSSL_cleanse(&c->hmacKey, sizeof c->hmacKey);
    OPENSSL_cleanse(c->encryptKey, sizeof c->encryptKey);
    OPENSSL_cleanse(c->decryptKey, sizeof c->decryptKey);
    OPENSSL_cleanse(c->macKey, sizeof c->macKey);
}

int cachedSetCipher(void* ctx, const char* cipherName) {
    CachedContext* c = cached(ctx);
    const int rc = g.stock.setCipher(c->stock, cipherName);
    const char* name = g.stock.getCipher(c->stock);
    c->aes256Cbc = name && qstricmp(name, "aes-256-cbc") == 0 ? 1 : 0;
    forgetKeys(c);
    return rc;
}

int cachedCopy(void* target, void* source) {
    CachedContext* t = cached(target);
    const int rc = g.stock.ctxCopy(t->stock, cached(source)->stock);
    t->aes256Cbc = cached(source)->aes256Cbc;
    forgetKeys(t);
    return rc;
}

int cachedInit(void** ctx) {
    auto* c = static_cast<CachedContext*>(g.allocate(int(sizeof(CachedContext))));
    if (!c)
        return SQLITE_NOMEM;
    c->macKeySize = -1;
    c->hardware = g_hardwareAllowed.load() && HardwarePageCrypto::available() ? 1 : 0;
    const int rc = g.stock.ctxInit(&c->stock);
    if (rc != SQLITE_OK) {
        g.release(c, int(sizeof(CachedContext)));
        return rc;
    }
    *ctx = c;
    return SQLITE_OK;
}

int cachedFree(void** ctx) {
    CachedContext* c = cached(*ctx);
    if (!c)
        return SQLITE_OK;
    const int rc = g.stock.ctxFree(&c->stock);
    EVP_CIPHER_CTX_free(c->encryptCtx); // both wipe the key schedule
    EVP_CIPHER_CTX_free(c->decryptCtx);
    EVP_MD_CTX_free(c->macInner);
    EVP_MD_CTX_free(c->macOuter);
    EVP_MD_CTX_free(c->macWork);
    g.release(c, int(sizeof(CachedContext))); // wipes the keys and the random bytes
    *ctx = nullptr;
    return rc;
}

// The reserve at the end of each page (IV, HMAC space) gets fresh random bytes on every write.
// RAND_bytes is asked for a buffer's worth at a time instead of 48 bytes per page; the bytes are
// the same CSPRNG output and each is handed out once.
int cachedRandom(void* ctx, void* buffer, int length) {
    CachedContext* c = cached(ctx);
    if (length < 0 || length > kRandomBufferSize)
        return g.stock.random(c->stock, buffer, length);
    if (c->randomLeft < length) {
        if (RAND_bytes(c->randomBytes, kRandomBufferSize) != 1) {
            c->randomLeft = 0;
            return g.stock.random(c->stock, buffer, length);
        }
        c->randomLeft = kRandomBufferSize;
    }
    c->randomLeft -= length;
    unsigned char* from = c->randomBytes + c->randomLeft;
    std::memcpy(buffer, from, size_t(length));
    OPENSSL_cleanse(from, size_t(length));
    return SQLITE_OK;
}

bool setUpMac(CachedContext* c, const unsigned char* key, int keySize) {
    if (!c->macInner && !(c->macInner = EVP_MD_CTX_new()))
        return false;
    if (!c->macOuter && !(c->macOuter = EVP_MD_CTX_new()))
        return false;
    if (!c->macWork && !(c->macWork = EVP_MD_CTX_new()))
        return false;
    unsigned char pad[kShaBlockSize];
    bool ok = true;
    for (const unsigned char fill : {static_cast<unsigned char>(0x36),    // RFC 2104 ipad
                                     static_cast<unsigned char>(0x5c)}) { // and opad
        std::memset(pad, fill, sizeof pad);
        for (int i = 0; i < keySize; ++i)
            pad[i] ^= key[i];
        EVP_MD_CTX* state = fill == 0x36 ? c->macInner : c->macOuter;
        ok = ok && EVP_DigestInit_ex(state, g.sha1, nullptr) == 1 &&
             EVP_DigestUpdate(state, pad, sizeof pad) == 1;
    }
    OPENSSL_cleanse(pad, sizeof pad);
    if (!ok)
        return false;
    std::memcpy(c->macKey, key, size_t(keySize));
    c->macKeySize = keySize;
    return true;
}

// HMAC-SHA1(key, in || in2), as the stock provider computes it, from the states saved after the
// key instead of keying a new HMAC context for every page.
int cachedHmac(void* ctx, unsigned char* hmacKey, int keySize, unsigned char* in, int inSize,
               unsigned char* in2, int in2Size, unsigned char* out) {
    CachedContext* c = cached(ctx);
    const int pending = c->pendingValid;
    c->pendingValid = 0;
    c->decryptedValid = 0;
    if (keySize < 0 || keySize > kShaBlockSize || inSize < 0 || in2Size < 0)
        return g.stock.hmac(c->stock, hmacKey, keySize, in, inSize, in2, in2Size, out);
    const bool sameKey =
        c->macKeySize == keySize && CRYPTO_memcmp(c->macKey, hmacKey, size_t(keySize)) == 0;
    if (c->hardware) {
        if (!sameKey) {
            HardwarePageCrypto::setHmacKey(hmacKey, size_t(keySize), &c->hmacKey);
            std::memcpy(c->macKey, hmacKey, size_t(keySize));
            c->macKeySize = keySize;
        } else if (pending && in == c->pendingOut && inSize >= c->pendingHashed) {
            // The page encrypted just before: its whole blocks are already in the inner hash.
            HardwarePageCrypto::finishHmac(c->hmacKey, c->pendingState, in + c->pendingHashed,
                                           size_t(inSize - c->pendingHashed), in2, size_t(in2Size),
                                           out);
            return SQLITE_OK;
        }
        // A page read checks the MAC over ciphertext || IV, then decrypts the ciphertext with that
        // IV: decrypt it now, in the same pass, and hand it over if cipher() asks for it.
        const int cipherSize = inSize - kAesBlockSize;
        if (!pending && c->encryptKeyed && cipherSize >= kAesBlockSize &&
            cipherSize % kAesBlockSize == 0 && cipherSize <= kPageBufferSize) {
            HardwarePageCrypto::hashAndDecrypt(c->aesKeys, c->hmacKey, in, size_t(inSize), in2,
                                               size_t(in2Size), size_t(cipherSize), in + cipherSize,
                                               c->decrypted, out);
            std::memcpy(c->decryptedIv, in + cipherSize, kAesBlockSize);
            c->decryptedFrom = in;
            c->decryptedSize = cipherSize;
            c->decryptedValid = 1;
            return SQLITE_OK;
        }
        HardwarePageCrypto::hmac(c->hmacKey, in, size_t(inSize), in2, size_t(in2Size), out);
        return SQLITE_OK;
    }
    if (!sameKey && !setUpMac(c, hmacKey, keySize)) {
        c->macKeySize = -1;
        return g.stock.hmac(c->stock, hmacKey, keySize, in, inSize, in2, in2Size, out);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestSize = 0;
    unsigned int outSize = 0;
    const bool ok = EVP_MD_CTX_copy_ex(c->macWork, c->macInner) == 1 &&
                    EVP_DigestUpdate(c->macWork, in, size_t(inSize)) == 1 &&
                    EVP_DigestUpdate(c->macWork, in2, size_t(in2Size)) == 1 &&
                    EVP_DigestFinal_ex(c->macWork, digest, &digestSize) == 1 &&
                    EVP_MD_CTX_copy_ex(c->macWork, c->macOuter) == 1 &&
                    EVP_DigestUpdate(c->macWork, digest, digestSize) == 1 &&
                    EVP_DigestFinal_ex(c->macWork, out, &outSize) == 1;
    OPENSSL_cleanse(digest, sizeof digest);
    if (!ok) {
        c->macKeySize = -1;
        return g.stock.hmac(c->stock, hmacKey, keySize, in, inSize, in2, in2Size, out);
    }
    return SQLITE_OK;
}

std::atomic<quint64> g_encryptedPages{0};
std::atomic<quint64> g_decryptedPages{0};

// AES-256-CBC without padding over whole blocks, as the stock provider does, but the key schedule
// is made once per key and direction; each page only sets its IV.
int cachedCipher(void* ctx, int mode, unsigned char* key, int keySize, unsigned char* iv,
                 unsigned char* in, int inSize, unsigned char* out) {
    CachedContext* c = cached(ctx);
    if (!c->aes256Cbc || keySize != kAesKeySize || inSize <= 0 || inSize % kAesBlockSize != 0)
        return g.stock.cipher(c->stock, mode, key, keySize, iv, in, inSize, out);
    const int encrypt = mode == kEncrypt ? 1 : 0;
    const int decrypted = c->decryptedValid;
    c->pendingValid = 0;
    c->decryptedValid = 0;
    if (c->hardware) {
        // One schedule pair per key: the key is the same for both directions.
        if (!c->encryptKeyed || CRYPTO_memcmp(c->encryptKey, key, kAesKeySize) != 0) {
            HardwarePageCrypto::expandKey(key, &c->aesKeys);
            std::memcpy(c->encryptKey, key, kAesKeySize);
            c->encryptKeyed = 1;
        } else if (!encrypt && decrypted && in == c->decryptedFrom && inSize == c->decryptedSize &&
                   std::memcmp(iv, c->decryptedIv, kAesBlockSize) == 0) {
            // Decrypted with this key, from these bytes and this IV, by the hmac() just before.
            std::memcpy(out, c->decrypted, size_t(inSize));
            g_decryptedPages.fetch_add(1, std::memory_order_relaxed);
            return SQLITE_OK;
        }
        if (!encrypt) {
            HardwarePageCrypto::cbcDecrypt(c->aesKeys, iv, in, size_t(inSize), out);
        } else if (c->macKeySize >= 0) {
            // SQLCipher MACs the ciphertext next, with the key this context has used so far.
            HardwarePageCrypto::encryptAndHash(c->aesKeys, c->hmacKey, iv, in, size_t(inSize), out,
                                               &c->pendingState);
            c->pendingOut = out;
            c->pendingHashed = inSize / kShaBlockSize * kShaBlockSize;
            c->pendingValid = 1;
        } else {
            HardwarePageCrypto::cbcEncrypt(c->aesKeys, iv, in, size_t(inSize), out);
        }
        (encrypt ? g_encryptedPages : g_decryptedPages).fetch_add(1, std::memory_order_relaxed);
        return SQLITE_OK;
    }
    EVP_CIPHER_CTX*& cipherCtx = encrypt ? c->encryptCtx : c->decryptCtx;
    int& keyed = encrypt ? c->encryptKeyed : c->decryptKeyed;
    unsigned char* cachedKey = encrypt ? c->encryptKey : c->decryptKey;
    if (!cipherCtx && !(cipherCtx = EVP_CIPHER_CTX_new()))
        return g.stock.cipher(c->stock, mode, key, keySize, iv, in, inSize, out);

    bool ok;
    if (keyed && CRYPTO_memcmp(cachedKey, key, kAesKeySize) == 0) {
        ok = EVP_CipherInit_ex2(cipherCtx, nullptr, nullptr, iv, encrypt, nullptr) == 1;
    } else {
        keyed = 0;
        ok = EVP_CipherInit_ex2(cipherCtx, g.aes256Cbc, key, iv, encrypt, nullptr) == 1 &&
             EVP_CIPHER_CTX_set_padding(cipherCtx, 0) == 1;
        if (ok) {
            std::memcpy(cachedKey, key, kAesKeySize);
            keyed = 1;
        }
    }
    int written = 0;
    int tail = 0;
    ok = ok && EVP_CipherUpdate(cipherCtx, out, &written, in, inSize) == 1 && written == inSize &&
         EVP_CipherFinal_ex(cipherCtx, out + written, &tail) == 1 && tail == 0;
    if (!ok) {
        keyed = 0;
        return g.stock.cipher(c->stock, mode, key, keySize, iv, in, inSize, out);
    }
    (encrypt ? g_encryptedPages : g_decryptedPages).fetch_add(1, std::memory_order_relaxed);
    return SQLITE_OK;
}

// A new table for sqlcipher_register_provider, which takes ownership (SQLCipher frees the table it
// replaces with sqlcipher_free).
ProviderTable* newTable(bool cachedTable) {
    auto* table = static_cast<ProviderTable*>(g.allocate(int(sizeof(ProviderTable))));
    if (!table)
        return nullptr;
    *table = g.stock;
    if (!cachedTable)
        return table;
    table->activate = cachedActivate;
    table->deactivate = cachedDeactivate;
    table->getProviderName = cachedProviderName;
    table->addRandom = cachedAddRandom;
    table->random = cachedRandom;
    table->hmac = cachedHmac;
    table->kdf = cachedKdf;
    table->cipher = cachedCipher;
    table->setCipher = cachedSetCipher;
    table->getCipher = cachedGetCipher;
    table->getKeySize = cachedKeySize;
    table->getIvSize = cachedIvSize;
    table->getBlockSize = cachedBlockSize;
    table->getHmacSize = cachedHmacSize;
    table->ctxCopy = cachedCopy;
    table->ctxCompare = cachedCompare;
    table->ctxInit = cachedInit;
    table->ctxFree = cachedFree;
    table->fipsStatus = cachedFipsStatus;
    table->getProviderVersion = cachedProviderVersion;
    return table;
}

QString libraryCipherVersion() {
    sqlite3* probe = nullptr;
    QString version;
    if (sqlite3_open_v2(":memory:", &probe, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) ==
        SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(probe, "PRAGMA cipher_version", -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW)
            version =
                QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(probe);
    return version;
}

template <typename Function> Function lookUp(const char* name) {
    return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

// Called once, under g_mutex. Leaves the stock provider registered; says why when it is unusable.
bool prepare(QString* why) {
    if (sqlite3_initialize() != SQLITE_OK) {
        *why = QStringLiteral("SQLite did not initialise");
        return false;
    }
    const QString version = libraryCipherVersion();
    if (version != QLatin1String(kKnownCipherVersion)) {
        *why = QStringLiteral("SQLCipher %1 (the cached provider knows %2 only)")
                   .arg(version.isEmpty() ? QStringLiteral("?") : version,
                        QLatin1String(kKnownCipherVersion));
        return false;
    }
    if (OpenSSL_version_num() < 0x30000000UL) {
        *why = QStringLiteral("OpenSSL older than 3 at run time");
        return false;
    }
    const auto activate = lookUp<ActivateFunction>("sqlcipher_activate");
    const auto getProvider = lookUp<GetProviderFunction>("sqlcipher_get_provider");
    g.registerProvider = lookUp<RegisterProviderFunction>("sqlcipher_register_provider");
    g.allocate = lookUp<MallocFunction>("sqlcipher_malloc");
    g.release = lookUp<FreeFunction>("sqlcipher_free");
    if (!activate || !getProvider || !g.registerProvider || !g.allocate || !g.release) {
        *why = QStringLiteral("the SQLCipher library does not export its provider interface");
        return false;
    }
    // Registers the stock provider if none is yet, and keeps SQLCipher's activation count above
    // zero for good, so that SQLCipher never frees the table registered below on its own.
    activate();
    ProviderTable* current = getProvider();
    const char* name =
        current && current->getProviderName ? current->getProviderName(nullptr) : nullptr;
    if (!name || std::strcmp(name, kKnownProviderName) != 0) {
        *why = QStringLiteral("SQLCipher's crypto provider is not %1")
                   .arg(QLatin1String(kKnownProviderName));
        return false;
    }
    g.aes256Cbc = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
    g.sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    if (!g.aes256Cbc || !g.sha1) {
        EVP_CIPHER_free(g.aes256Cbc);
        EVP_MD_free(g.sha1);
        g.aes256Cbc = nullptr;
        g.sha1 = nullptr;
        *why = QStringLiteral("OpenSSL offers no AES-256-CBC or SHA-1");
        return false;
    }
    g.stock = *current;
    return true;
}

bool registerTable(bool cachedTable) {
    ProviderTable* table = newTable(cachedTable);
    if (!table)
        return false;
    g.registerProvider(table);
    g_installed = cachedTable;
    return true;
}

#endif // LLAMADESK_CACHED_PROVIDER

} // namespace

bool CachedCryptoProvider::ensureInstalled(QString* why) {
    QMutexLocker lock(&g_mutex);
    if (!g_attempted) {
        g_attempted = true;
        if (qEnvironmentVariableIntValue(kStockOnlyVariable) == 1) {
            g_why = QStringLiteral("%1=1").arg(QLatin1String(kStockOnlyVariable));
        } else {
#ifdef LLAMADESK_CACHED_PROVIDER
            g_usable = prepare(&g_why);
            if (g_usable && !registerTable(true)) {
                g_usable = false;
                g_why = QStringLiteral("out of memory");
            }
#else
            g_why = QStringLiteral("not built for this platform (needs OpenSSL 3 and SQLCipher "
                                   "3.4.1's provider interface)");
#endif
        }
        if (g_installed)
            qCDebug(lcStore, "SQLCipher: cached OpenSSL provider installed");
        else
            qCDebug(lcStore, "SQLCipher: stock crypto provider (%s)", qUtf8Printable(g_why));
    }
    if (why)
        *why = g_why;
    return g_installed;
}

bool CachedCryptoProvider::isInstalled() {
    QMutexLocker lock(&g_mutex);
    return g_installed;
}

bool CachedCryptoProvider::restoreStock() {
    QMutexLocker lock(&g_mutex);
#ifdef LLAMADESK_CACHED_PROVIDER
    if (!g_installed)
        return false;
    return registerTable(false);
#else
    return false;
#endif
}

bool CachedCryptoProvider::reinstall() {
    QMutexLocker lock(&g_mutex);
#ifdef LLAMADESK_CACHED_PROVIDER
    if (!g_usable)
        return false;
    return g_installed || registerTable(true);
#else
    return false;
#endif
}

void CachedCryptoProvider::setHardwareAllowed(bool allowed) {
#ifdef LLAMADESK_CACHED_PROVIDER
    g_hardwareAllowed.store(allowed);
#else
    Q_UNUSED(allowed)
#endif
}

CachedCryptoProvider::PageCounts CachedCryptoProvider::pageCounts() {
    PageCounts counts;
#ifdef LLAMADESK_CACHED_PROVIDER
    counts.encrypted = g_encryptedPages.load(std::memory_order_relaxed);
    counts.decrypted = g_decryptedPages.load(std::memory_order_relaxed);
#endif
    return counts;
}

} // namespace llamadesk::store
