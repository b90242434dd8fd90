#include "auth/Totp.h"

#include <QtTest>

#include <sodium.h>

using llamadesk::server::Totp;

// RFC 6238 / RFC 4226 codes and RFC 4648 base32, against the RFCs' own test vectors.
class TestServerTotp : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(sodium_init() >= 0); }
    void rfc6238Vectors_data();
    void rfc6238Vectors();
    void base32_data();
    void base32();
    void base32Lenient_data();
    void base32Lenient();
    void verifyWindow_data();
    void verifyWindow();
    void secretsAreRandom();
};

void TestServerTotp::rfc6238Vectors_data() {
    QTest::addColumn<qint64>("time");
    QTest::addColumn<QString>("eightDigits");
    // RFC 6238 appendix B, SHA-1 column.
    QTest::newRow("59") << qint64(59) << QStringLiteral("94287082");
    QTest::newRow("1111111109") << qint64(1111111109) << QStringLiteral("07081804");
    QTest::newRow("1111111111") << qint64(1111111111) << QStringLiteral("14050471");
    QTest::newRow("1234567890") << qint64(1234567890) << QStringLiteral("89005924");
    QTest::newRow("2000000000") << qint64(2000000000) << QStringLiteral("69279037");
    QTest::newRow("20000000000") << qint64(20000000000) << QStringLiteral("65353130");
}

void TestServerTotp::rfc6238Vectors() {
    QFETCH(qint64, time);
    QFETCH(QString, eightDigits);
    const QByteArray secret = "12345678901234567890";
    QCOMPARE(Totp::hotp(secret, static_cast<quint64>(time / 30), 8), eightDigits);
    // Authenticator apps show six digits: the same number modulo 10^6.
    QCOMPARE(Totp::code(secret, time), eightDigits.right(6));
}

void TestServerTotp::base32_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    // RFC 4648 section 10, without padding.
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("f") << QByteArray("f") << QStringLiteral("MY");
    QTest::newRow("fo") << QByteArray("fo") << QStringLiteral("MZXQ");
    QTest::newRow("foo") << QByteArray("foo") << QStringLiteral("MZXW6");
    QTest::newRow("foob") << QByteArray("foob") << QStringLiteral("MZXW6YQ");
    QTest::newRow("fooba") << QByteArray("fooba") << QStringLiteral("MZXW6YTB");
    QTest::newRow("foobar") << QByteArray("foobar") << QStringLiteral("MZXW6YTBOI");
}

void TestServerTotp::base32() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    QCOMPARE(Totp::toBase32(bytes), text);
    QCOMPARE(Totp::fromBase32(text), bytes);
}

void TestServerTotp::base32Lenient_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("padding") << QStringLiteral("MZXW6YQ=") << QByteArray("foob");
    QTest::newRow("lower case and spaces")
        << QStringLiteral("mzxw 6ytb oi") << QByteArray("foobar");
    QTest::newRow("not base32") << QStringLiteral("MZ1W") << QByteArray();
}

void TestServerTotp::base32Lenient() {
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    QCOMPARE(Totp::fromBase32(text), bytes);
}

void TestServerTotp::verifyWindow_data() {
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("now") << qint64(0) << true;
    QTest::newRow("one step ago") << qint64(-30) << true;
    QTest::newRow("one step ahead") << qint64(30) << true;
    QTest::newRow("two steps ago") << qint64(-60) << false;
    QTest::newRow("two steps ahead") << qint64(60) << false;
}

void TestServerTotp::verifyWindow() {
    QFETCH(qint64, offset);
    QFETCH(bool, accepted);
    const QByteArray secret = "12345678901234567890";
    const qint64 now = 1700000015; // mid-step
    QCOMPARE(Totp::verify(secret, Totp::code(secret, now + offset), now), accepted);
    QVERIFY(!Totp::verify(secret, QStringLiteral("12345"), now));
    QVERIFY(!Totp::verify(QByteArray(), Totp::code(secret, now), now));
}

void TestServerTotp::secretsAreRandom() {
    const QByteArray a = Totp::generateSecret();
    const QByteArray b = Totp::generateSecret();
    QCOMPARE(a.size(), 20);
    QVERIFY(a != b);
    QVERIFY(Totp::provisioningUri(QStringLiteral("LlamaDesk"), QStringLiteral("a@b.example"), a)
                .startsWith(QStringLiteral("otpauth://totp/LlamaDesk%3Aa%40b.example?secret=")));
}

QTEST_GUILESS_MAIN(TestServerTotp)
#include "TestServerTotp.moc"
