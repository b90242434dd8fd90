#include "auth/ApiKey.h"
#include "auth/PasswordHasher.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QtTest>

#include <sodium.h>

using llamadesk::server::ApiKey;
using llamadesk::server::PasswordHasher;

// API keys (shape, hash, prefix) and Argon2id password hashes.
class TestServerCredentials : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(sodium_init() >= 0); }
    void keyShape();
    void presentedKeys_data();
    void presentedKeys();
    void passwordHashes();
    void rehashWhenTheCostChanges();
};

void TestServerCredentials::keyShape() {
    const ApiKey a = ApiKey::generate();
    const ApiKey b = ApiKey::generate();
    QVERIFY2(QRegularExpression(QStringLiteral("^ldk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$"))
                 .match(a.fullKey)
                 .hasMatch(),
             qPrintable(a.fullKey));
    QVERIFY(a.fullKey != b.fullKey);
    QCOMPARE(a.prefix, a.fullKey.mid(4, 8));
    // Only the SHA-256 of the whole key is kept.
    QCOMPARE(a.hashHex,
             QCryptographicHash::hash(a.fullKey.toLatin1(), QCryptographicHash::Sha256).toHex());
    QCOMPARE(ApiKey::hashOf(a.fullKey.toLatin1()), a.hashHex);
    QCOMPARE(ApiKey::prefixOf(a.fullKey.toLatin1()), a.prefix.toLatin1());
}

void TestServerCredentials::presentedKeys_data() {
    QTest::addColumn<QByteArray>("presented");
    QTest::addColumn<bool>("valid");
    const QByteArray secret(43, 'A');
    QTest::newRow("good") << QByteArray("ldk_abcd1234_" + secret) << true;
    QTest::newRow("wrong tag") << QByteArray("ldx_abcd1234_" + secret) << false;
    QTest::newRow("upper-case prefix") << QByteArray("ldk_ABCD1234_" + secret) << false;
    QTest::newRow("short secret") << QByteArray("ldk_abcd1234_" + secret.left(42)) << false;
    QTest::newRow("long secret") << QByteArray("ldk_abcd1234_" + secret + "A") << false;
    QTest::newRow("bad character") << QByteArray("ldk_abcd1234_" + secret.left(42) + "=") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestServerCredentials::presentedKeys() {
    QFETCH(QByteArray, presented);
    QFETCH(bool, valid);
    QCOMPARE(ApiKey::looksValid(presented), valid);
    QCOMPARE(ApiKey::hashOf(presented).isEmpty(), !valid);
}

void TestServerCredentials::passwordHashes() {
    const PasswordHasher hasher(1, 1024);
    const QByteArray h1 = hasher.hash(QStringLiteral("correct horse battery staple"));
    const QByteArray h2 = hasher.hash(QStringLiteral("correct horse battery staple"));
    QVERIFY(h1.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"));
    QVERIFY(h1 != h2); // salted
    QVERIFY(hasher.verify(h1, QStringLiteral("correct horse battery staple")));
    QVERIFY(!hasher.verify(h1, QStringLiteral("correct horse battery stapl")));
    QVERIFY(!hasher.verify(QByteArray(), QStringLiteral("")));
    QVERIFY(!hasher.verify("$argon2id$garbage", QStringLiteral("x")));
    QVERIFY(hasher.verify(hasher.hash(QStringLiteral("pässwörd ✓")), QStringLiteral("pässwörd ✓")));
}

void TestServerCredentials::rehashWhenTheCostChanges() {
    const PasswordHasher cheap(1, 1024);
    const PasswordHasher dearer(2, 2048);
    const QByteArray h = cheap.hash(QStringLiteral("a long enough password"));
    QVERIFY(!cheap.needsRehash(h));
    QVERIFY(dearer.needsRehash(h));
    QVERIFY(dearer.verify(h, QStringLiteral("a long enough password"))); // old hashes still verify
}

QTEST_GUILESS_MAIN(TestServerCredentials)
#include "TestServerCredentials.moc"
