#include "vault/SecureBytes.h"

#include <QTest>

#include <type_traits>
#include <utility>

using llamadesk::vault::SecureBytes;
using llamadesk::vault::wipe;

static_assert(!std::is_copy_constructible_v<SecureBytes>, "key material must not be copied");
static_assert(!std::is_copy_assignable_v<SecureBytes>, "key material must not be copied");
static_assert(std::is_nothrow_move_constructible_v<SecureBytes>, "moves must be cheap and safe");

class TestSecureBytes : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void allocatesZeroedMemory_data();
    void allocatesZeroedMemory();
    void randomBytesDiffer();
    void copiesAreIndependent();
    void moveLeavesSourceEmpty();
    void equals_data();
    void equals();
    void toHex_data();
    void toHex();
    void clearEmpties();
    void wipeZeroesAnOwnedByteArray();
    void wipeLeavesSharedAndStaticDataAlone();
    void wipeZeroesAnOwnedString();
};

void TestSecureBytes::initTestCase() {
    QVERIFY(llamadesk::vault::ensureSodium());
}

void TestSecureBytes::allocatesZeroedMemory_data() {
    QTest::addColumn<qsizetype>("size");
    QTest::newRow("none") << qsizetype(0);
    QTest::newRow("one") << qsizetype(1);
    QTest::newRow("key") << qsizetype(32);
    QTest::newRow("several pages") << qsizetype(3 * 4096 + 7);
}

void TestSecureBytes::allocatesZeroedMemory() {
    QFETCH(qsizetype, size);
    SecureBytes bytes(size);
    QCOMPARE(bytes.size(), size);
    QCOMPARE(bytes.isEmpty(), size == 0);
    QCOMPARE(bytes.data() == nullptr, size == 0);
    for (qsizetype i = 0; i < size; ++i) {
        QCOMPARE(int(bytes.data()[i]), 0);
    }
    if (size > 0) {
        // The whole block is writable.
        bytes.data()[0] = 0xAB;
        bytes.data()[size - 1] = 0xCD;
        QCOMPARE(int(bytes.data()[size - 1]), 0xCD);
    }
}

void TestSecureBytes::randomBytesDiffer() {
    const SecureBytes a = SecureBytes::random(32);
    const SecureBytes b = SecureBytes::random(32);
    QCOMPARE(a.size(), 32);
    QCOMPARE(b.size(), 32);
    QVERIFY(!a.equals(b));
    QVERIFY(!a.equals(SecureBytes(32)));
}

void TestSecureBytes::copiesAreIndependent() {
    QByteArray source("0123456789abcdef0123456789abcdef");
    SecureBytes copy = SecureBytes::fromBytes(source);
    QCOMPARE(copy.toByteArray(), source);
    QVERIFY(static_cast<const void*>(copy.data()) != static_cast<const void*>(source.constData()));
    source[0] = 'X';
    QCOMPARE(char(copy.data()[0]), '0');

    SecureBytes clone = copy.clone();
    QVERIFY(clone.equals(copy));
    QVERIFY(clone.data() != copy.data());
    clone.data()[1] = 'Y';
    QCOMPARE(char(copy.data()[1]), '1');
}

void TestSecureBytes::moveLeavesSourceEmpty() {
    SecureBytes a = SecureBytes::random(16);
    const unsigned char* block = a.data();
    SecureBytes b(std::move(a));
    QVERIFY(a.isEmpty()); // NOLINT(bugprone-use-after-move): checking the moved-from state
    QVERIFY(a.data() == nullptr);
    QCOMPARE(b.data(), block);
    QCOMPARE(b.size(), 16);

    SecureBytes c = SecureBytes::random(8);
    c = std::move(b);
    QCOMPARE(c.data(), block);
    QCOMPARE(c.size(), 16);
    QVERIFY(b.isEmpty()); // NOLINT(bugprone-use-after-move)
}

void TestSecureBytes::equals_data() {
    QTest::addColumn<QByteArray>("left");
    QTest::addColumn<QByteArray>("right");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << QByteArray("abcdef") << QByteArray("abcdef") << true;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("last byte differs") << QByteArray("abcdef") << QByteArray("abcdeg") << false;
    QTest::newRow("first byte differs") << QByteArray("abcdef") << QByteArray("bbcdef") << false;
    QTest::newRow("prefix") << QByteArray("abcdef") << QByteArray("abcde") << false;
    QTest::newRow("empty and not") << QByteArray() << QByteArray("a") << false;
}

void TestSecureBytes::equals() {
    QFETCH(QByteArray, left);
    QFETCH(QByteArray, right);
    QFETCH(bool, equal);
    QCOMPARE(SecureBytes::fromBytes(left).equals(SecureBytes::fromBytes(right)), equal);
    QCOMPARE(SecureBytes::fromBytes(right).equals(SecureBytes::fromBytes(left)), equal);
}

void TestSecureBytes::toHex_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("all values") << [] {
        QByteArray all;
        for (int i = 0; i < 256; ++i) {
            all.append(char(i));
        }
        return all;
    }();
    QTest::newRow("key-sized") << QByteArray::fromHex(
        "00ff10ef20df30cf40bf50af609f708f807f906fa05fb04fc03fd02fe01ff00e");
}

void TestSecureBytes::toHex() {
    QFETCH(QByteArray, bytes);
    const SecureBytes secure = SecureBytes::fromBytes(bytes);
    QCOMPARE(secure.toHex(), bytes.toHex());
    QCOMPARE(secure.toHex().size(), bytes.size() * 2);
}

void TestSecureBytes::clearEmpties() {
    SecureBytes bytes = SecureBytes::random(32);
    bytes.clear();
    QVERIFY(bytes.isEmpty());
    QVERIFY(bytes.data() == nullptr);
    QVERIFY(bytes.toByteArray().isEmpty());
    bytes.clear(); // twice is fine
    QVERIFY(bytes.isEmpty());
}

void TestSecureBytes::wipeZeroesAnOwnedByteArray() {
    QByteArray secret(64, 'k');
    secret.detach();
    const char* buffer = secret.constData();
    wipe(secret);
    QVERIFY(secret.isEmpty());
    // wipe() keeps the zeroed buffer allocated, so it may still be looked at here.
    for (int i = 0; i < 64; ++i) {
        QCOMPARE(int(buffer[i]), 0);
    }
}

void TestSecureBytes::wipeLeavesSharedAndStaticDataAlone() {
    // Writing into a buffer shared with another array would corrupt that array; writing into
    // static data would crash.
    QByteArray original(32, 's');
    QByteArray alias = original;
    wipe(alias);
    QVERIFY(alias.isEmpty());
    QCOMPARE(original, QByteArray(32, 's'));

    QByteArray literal = QByteArrayLiteral("a literal in read-only memory");
    wipe(literal);
    QVERIFY(literal.isEmpty());

    QString text = QStringLiteral("static text");
    wipe(text);
    QVERIFY(text.isEmpty());
}

void TestSecureBytes::wipeZeroesAnOwnedString() {
    QString passphrase = QString(40, QLatin1Char('p'));
    passphrase.detach();
    const QChar* buffer = passphrase.constData();
    wipe(passphrase);
    QVERIFY(passphrase.isEmpty());
    for (int i = 0; i < 40; ++i) {
        QCOMPARE(buffer[i].unicode(), char16_t(0));
    }
}

QTEST_GUILESS_MAIN(TestSecureBytes)
#include "TestSecureBytes.moc"
