#include "store/HardwarePageCrypto.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QTest>

#ifdef LLAMADESK_TEST_WITH_OPENSSL
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

using llamadesk::store::HardwarePageCrypto;

namespace {

QByteArray randomBytes(int size, quint32 seed) {
    QRandomGenerator rng(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char& b : bytes)
        b = char(rng.bounded(256));
    return bytes;
}

const unsigned char* bytesOf(const QByteArray& b) {
    return reinterpret_cast<const unsigned char*>(b.constData());
}

unsigned char* bytesOf(QByteArray& b) {
    return reinterpret_cast<unsigned char*>(b.data());
}

HardwarePageCrypto::AesKeys keysOf(const QByteArray& key) {
    HardwarePageCrypto::AesKeys keys;
    HardwarePageCrypto::expandKey(bytesOf(key), &keys);
    return keys;
}

HardwarePageCrypto::HmacKey hmacKeyOf(const QByteArray& key) {
    HardwarePageCrypto::HmacKey hmacKey;
    HardwarePageCrypto::setHmacKey(bytesOf(key), size_t(key.size()), &hmacKey);
    return hmacKey;
}

QByteArray hmacOf(const QByteArray& key, const QByteArray& a, const QByteArray& b) {
    QByteArray digest(HardwarePageCrypto::kDigestSize, '\0');
    HardwarePageCrypto::hmac(hmacKeyOf(key), bytesOf(a), size_t(a.size()), bytesOf(b),
                             size_t(b.size()), bytesOf(digest));
    return digest;
}

// Random keys, IV and page-number trailer for one round of a page test, from one seed.
struct PageMaterial {
    explicit PageMaterial(quint32 seed)
        : key(randomBytes(32, seed))
        , macKey(randomBytes(32, seed + 50))
        , iv(randomBytes(16, seed + 100))
        , trailer(randomBytes(4, seed + 300))
        , keys(keysOf(key))
        , hmacKey(hmacKeyOf(macKey)) {}

    QByteArray key;
    QByteArray macKey;
    QByteArray iv;
    QByteArray trailer;
    HardwarePageCrypto::AesKeys keys;
    HardwarePageCrypto::HmacKey hmacKey;
};

#ifdef LLAMADESK_TEST_WITH_OPENSSL
QByteArray opensslCbc(bool encrypt, const QByteArray& key, const QByteArray& iv,
                      const QByteArray& in) {
    QByteArray out(in.size(), '\0');
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int written = 0;
    int tail = 0;
    const bool ok =
        EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, bytesOf(key), bytesOf(iv),
                          encrypt ? 1 : 0) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
        EVP_CipherUpdate(ctx, bytesOf(out), &written, bytesOf(in), int(in.size())) == 1 &&
        EVP_CipherFinal_ex(ctx, bytesOf(out) + written, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok && written + tail == in.size() ? out : QByteArray();
}

QByteArray opensslHmac(const QByteArray& key, const QByteArray& message) {
    QByteArray digest(EVP_MAX_MD_SIZE, '\0');
    unsigned int size = 0;
    if (!HMAC(EVP_sha1(), key.constData(), int(key.size()), bytesOf(message),
              size_t(message.size()), bytesOf(digest), &size))
        return QByteArray();
    digest.resize(int(size));
    return digest;
}
#endif

} // namespace

class TestHardwarePageCrypto : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void aesKnownAnswer();
    void hmacKnownAnswers_data();
    void hmacKnownAnswers();
    void cbcMatchesOpenSsl_data();
    void cbcMatchesOpenSsl();
    void hmacMatchesOpenSsl_data();
    void hmacMatchesOpenSsl();
    void encryptAndHashMatchesSeparateSteps_data();
    void encryptAndHashMatchesSeparateSteps();
    void hashAndDecryptMatchesSeparateSteps_data();
    void hashAndDecryptMatchesSeparateSteps();
};

void TestHardwarePageCrypto::initTestCase() {
    if (!HardwarePageCrypto::available())
        QSKIP("this build or processor has no AES and SHA instructions");
}

// FIPS-197 appendix C.3: AES-256 on one block (CBC with a zero IV is the bare cipher).
void TestHardwarePageCrypto::aesKnownAnswer() {
    const QByteArray key =
        QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const QByteArray plain = QByteArray::fromHex("00112233445566778899aabbccddeeff");
    const QByteArray iv(16, '\0');
    QByteArray cipher(16, '\0');
    const HardwarePageCrypto::AesKeys keys = keysOf(key);
    HardwarePageCrypto::cbcEncrypt(keys, bytesOf(iv), bytesOf(plain), 16, bytesOf(cipher));
    QCOMPARE(cipher.toHex(), QByteArray("8ea2b7ca516745bfeafc49904b496089"));
    QByteArray back(16, '\0');
    HardwarePageCrypto::cbcDecrypt(keys, bytesOf(iv), bytesOf(cipher), 16, bytesOf(back));
    QCOMPARE(back, plain);
}

void TestHardwarePageCrypto::hmacKnownAnswers_data() {
    // RFC 2202, HMAC-SHA1 test cases 1 to 4 and 7 (keys up to the 64-byte block).
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("digest");
    QTest::newRow("case 1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                            << QByteArray("b617318655057264e28bc0b6fb378c8ef146be00");
    QTest::newRow("case 2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                            << QByteArray("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    QTest::newRow("case 3") << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
                            << QByteArray("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    QTest::newRow("case 4") << QByteArray::fromHex(
                                   "0102030405060708090a0b0c0d0e0f10111213141516171819")
                            << QByteArray(50, '\xcd')
                            << QByteArray("4c9007f4026250c6bc8414f9bf50c86c2d7235da");
    QTest::newRow("case 5") << QByteArray(20, '\x0c') << QByteArray("Test With Truncation")
                            << QByteArray("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
}

void TestHardwarePageCrypto::hmacKnownAnswers() {
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, digest);
    QCOMPARE(hmacOf(key, data, QByteArray()).toHex(), digest);
    // The same message split between the two parts at every point.
    for (int split = 0; split <= data.size(); ++split)
        QCOMPARE(hmacOf(key, data.left(split), data.mid(split)).toHex(), digest);
}

void TestHardwarePageCrypto::cbcMatchesOpenSsl_data() {
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("inPlace");
    for (const int size : {16, 32, 48, 64, 80, 1008, 4032, 4048, 4096}) {
        QTest::addRow("%d bytes", size) << size << false;
        QTest::addRow("%d bytes in place", size) << size << true;
    }
}

void TestHardwarePageCrypto::cbcMatchesOpenSsl() {
#ifndef LLAMADESK_TEST_WITH_OPENSSL
    QSKIP("built without OpenSSL to compare with");
#else
    QFETCH(int, size);
    QFETCH(bool, inPlace);
    for (quint32 seed = 1; seed <= 20; ++seed) {
        const QByteArray key = randomBytes(32, seed);
        const QByteArray iv = randomBytes(16, seed + 1000);
        const QByteArray plain = randomBytes(size, seed + 2000);
        const HardwarePageCrypto::AesKeys keys = keysOf(key);
        const QByteArray expected = opensslCbc(true, key, iv, plain);
        QCOMPARE(expected.size(), size);

        QByteArray cipher = inPlace ? plain : QByteArray(size, '\0');
        cipher.detach();
        HardwarePageCrypto::cbcEncrypt(keys, bytesOf(iv), bytesOf(inPlace ? cipher : plain),
                                       size_t(size), bytesOf(cipher));
        QCOMPARE(cipher, expected);

        QByteArray back = inPlace ? cipher : QByteArray(size, '\0');
        back.detach();
        HardwarePageCrypto::cbcDecrypt(keys, bytesOf(iv), bytesOf(inPlace ? back : cipher),
                                       size_t(size), bytesOf(back));
        QCOMPARE(back, plain);
        QCOMPARE(opensslCbc(false, key, iv, cipher), plain);
    }
#endif
}

void TestHardwarePageCrypto::hmacMatchesOpenSsl_data() {
    QTest::addColumn<int>("keySize");
    QTest::addColumn<int>("aSize");
    QTest::addColumn<int>("bSize");
    for (const int keySize : {0, 1, 20, 32, 63, 64}) {
        // Around the 55/56/64-byte padding boundaries, and SQLCipher's page (4064 + 4).
        for (const auto& sizes : {std::pair{0, 0},
                                  {1, 0},
                                  {55, 0},
                                  {56, 0},
                                  {63, 1},
                                  {64, 0},
                                  {64, 56},
                                  {119, 1},
                                  {4064, 4},
                                  {4032, 36},
                                  {100, 200}})
            QTest::addRow("key %d, %d + %d bytes", keySize, sizes.first, sizes.second)
                << keySize << sizes.first << sizes.second;
    }
}

void TestHardwarePageCrypto::hmacMatchesOpenSsl() {
#ifndef LLAMADESK_TEST_WITH_OPENSSL
    QSKIP("built without OpenSSL to compare with");
#else
    QFETCH(int, keySize);
    QFETCH(int, aSize);
    QFETCH(int, bSize);
    for (quint32 seed = 1; seed <= 10; ++seed) {
        const QByteArray key = randomBytes(keySize, seed);
        const QByteArray a = randomBytes(aSize, seed + 100);
        const QByteArray b = randomBytes(bSize, seed + 200);
        QCOMPARE(hmacOf(key, a, b).toHex(), opensslHmac(key, a + b).toHex());
    }
#endif
}

void TestHardwarePageCrypto::encryptAndHashMatchesSeparateSteps_data() {
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("extra"); // bytes after the ciphertext inside the MAC (SQLCipher: IV)
    for (const int size : {16, 48, 64, 80, 4032, 4048, 4080})
        for (const int extra : {0, 16})
            QTest::addRow("%d bytes + %d", size, extra) << size << extra;
}

// The interleaved encrypt-then-hash gives the ciphertext of cbcEncrypt and, finished, the HMAC
// of the ciphertext, the extra bytes after it and a trailer (SQLCipher's page number).
void TestHardwarePageCrypto::encryptAndHashMatchesSeparateSteps() {
    QFETCH(int, size);
    QFETCH(int, extra);
    for (quint32 seed = 1; seed <= 10; ++seed) {
        const PageMaterial m(seed);
        const QByteArray plain = randomBytes(size, seed + 200);

        QByteArray expected(size, '\0');
        HardwarePageCrypto::cbcEncrypt(m.keys, bytesOf(m.iv), bytesOf(plain), size_t(size),
                                       bytesOf(expected));
        expected += randomBytes(extra, seed + 400);

        QByteArray page(size, '\0');
        page += expected.mid(size); // the extra bytes, as SQLCipher's IV sits after the data
        HardwarePageCrypto::Sha1State state;
        HardwarePageCrypto::encryptAndHash(m.keys, m.hmacKey, bytesOf(m.iv), bytesOf(plain),
                                           size_t(size), bytesOf(page), &state);
        QCOMPARE(page, expected);
        const int hashed =
            size / HardwarePageCrypto::kShaBlockSize * HardwarePageCrypto::kShaBlockSize;
        QCOMPARE(state.bytes, quint64(HardwarePageCrypto::kShaBlockSize + hashed));

        QByteArray digest(HardwarePageCrypto::kDigestSize, '\0');
        HardwarePageCrypto::finishHmac(m.hmacKey, state, bytesOf(page) + hashed,
                                       size_t(page.size() - hashed), bytesOf(m.trailer),
                                       size_t(m.trailer.size()), bytesOf(digest));
        QCOMPARE(digest, hmacOf(m.macKey, expected, m.trailer));
#ifdef LLAMADESK_TEST_WITH_OPENSSL
        QCOMPARE(expected.left(size), opensslCbc(true, m.key, m.iv, plain));
        QCOMPARE(digest.toHex(), opensslHmac(m.macKey, expected + m.trailer).toHex());
#endif
    }
}

void TestHardwarePageCrypto::hashAndDecryptMatchesSeparateSteps_data() {
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("extra"); // bytes under the MAC after the ciphertext (SQLCipher: IV)
    QTest::addColumn<bool>("inPlace");
    for (const int size : {16, 48, 64, 80, 4032, 4048, 4080})
        for (const int extra : {0, 16})
            for (const bool inPlace : {false, true})
                QTest::addRow("%d bytes + %d%s", size, extra, inPlace ? " in place" : "")
                    << size << extra << inPlace;
}

// The MAC-and-decrypt pass gives the HMAC of hmac() and the plaintext of cbcDecrypt.
void TestHardwarePageCrypto::hashAndDecryptMatchesSeparateSteps() {
    QFETCH(int, size);
    QFETCH(int, extra);
    QFETCH(bool, inPlace);
    for (quint32 seed = 1; seed <= 10; ++seed) {
        const PageMaterial m(seed);
        const QByteArray page = randomBytes(size + extra, seed + 200); // ciphertext, then extra

        QByteArray expectedPlain(size, '\0');
        HardwarePageCrypto::cbcDecrypt(m.keys, bytesOf(m.iv), bytesOf(page), size_t(size),
                                       bytesOf(expectedPlain));
        const QByteArray expectedDigest = hmacOf(m.macKey, page, m.trailer);

        QByteArray input = page;
        input.detach();
        QByteArray separate(size, '\0');
        QByteArray digest(HardwarePageCrypto::kDigestSize, '\0');
        unsigned char* plain = inPlace ? bytesOf(input) : bytesOf(separate);
        HardwarePageCrypto::hashAndDecrypt(m.keys, m.hmacKey, bytesOf(input), size_t(input.size()),
                                           bytesOf(m.trailer), size_t(m.trailer.size()),
                                           size_t(size), bytesOf(m.iv), plain, bytesOf(digest));
        QCOMPARE(digest, expectedDigest);
        QCOMPARE(inPlace ? input.left(size) : separate, expectedPlain);
#ifdef LLAMADESK_TEST_WITH_OPENSSL
        QCOMPARE(expectedPlain, opensslCbc(false, m.key, m.iv, page.left(size)));
        QCOMPARE(digest.toHex(), opensslHmac(m.macKey, page + m.trailer).toHex());
#endif
    }
}

QTEST_GUILESS_MAIN(TestHardwarePageCrypto)
#include "TestHardwarePageCrypto.moc"
