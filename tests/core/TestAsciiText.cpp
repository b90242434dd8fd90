// AsciiText: the wide (SSE2) and the byte-at-a-time paths give the same answers at every length
// and with a non-ASCII byte at every position, and widening writes exactly `size` units.

#include "text/AsciiText.h"

#include <QtTest>

#include <vector>

using llamadesk::text::AsciiText;

class TestAsciiText : public QObject {
    Q_OBJECT

private slots:
    void isAscii_data();
    void isAscii();
    void widenMatchesByteByByte_data();
    void widenMatchesByteByByte();
    void widenIfAscii_data();
    void widenIfAscii();
    void assignUtf8MatchesQt_data();
    void assignUtf8MatchesQt();
};

namespace {

// Printable ASCII varying with the position, so a shifted or swapped byte shows.
QByteArray asciiOfLength(int length) {
    QByteArray bytes;
    for (int i = 0; i < length; ++i)
        bytes.append(char(0x20 + (i * 7) % 95));
    return bytes;
}

} // namespace

void TestAsciiText::isAscii_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("expected");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("zero byte") << QByteArray(1, '\0') << true;
    QTest::newRow("0x7f") << QByteArray(1, '\x7f') << true;
    QTest::newRow("0x80") << QByteArray(1, '\x80') << false;
    QTest::newRow("uuid") << QByteArray("0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e") << true;
    QTest::newRow("utf-8 euro at the end")
        << QByteArray("0.000000000000000001 \xe2\x82\xac") << false;
    for (int length : {1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 66}) {
        QTest::addRow("ascii of %d", length) << asciiOfLength(length) << true;
        for (int at = 0; at < length; ++at) {
            QByteArray bytes = asciiOfLength(length);
            bytes[at] = char(0xc3);
            QTest::addRow("%d bytes, high byte at %d", length, at) << bytes << false;
        }
    }
}

void TestAsciiText::isAscii() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, expected);
    QCOMPARE(AsciiText::isAscii(bytes.constData(), bytes.size()), expected);
    // An unaligned start must not change the answer.
    QByteArray shifted = QByteArray(1, 'x') + bytes;
    QCOMPARE(AsciiText::isAscii(shifted.constData() + 1, bytes.size()), expected);
}

void TestAsciiText::widenMatchesByteByByte_data() {
    QTest::addColumn<QByteArray>("bytes");
    for (int length = 0; length <= 70; ++length)
        QTest::addRow("%d bytes", length) << asciiOfLength(length);
    QTest::newRow("control characters") << QByteArray("\x01\x02\t\n\x7f\x00z", 7);
}

void TestAsciiText::widenMatchesByteByByte() {
    QFETCH(QByteArray, bytes);
    const qsizetype n = bytes.size();
    // Guard units after the output: nothing may be written past `size`.
    std::vector<char16_t> out(size_t(n) + 8, u'#');
    AsciiText::widen(bytes.constData(), n, out.data());
    for (qsizetype i = 0; i < n; ++i)
        QCOMPARE(int(out[size_t(i)]), int(static_cast<unsigned char>(bytes[i])));
    for (size_t i = size_t(n); i < out.size(); ++i)
        QCOMPARE(out[i], u'#');
    QCOMPARE(QString(reinterpret_cast<const QChar*>(out.data()), n), QString::fromLatin1(bytes));
}

void TestAsciiText::widenIfAscii_data() {
    isAscii_data();
}

// One pass must answer as isAscii does, and for ASCII write what widen writes, never past size.
void TestAsciiText::widenIfAscii() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, expected);
    for (int shift : {0, 1, 3}) { // unaligned starts too
        const QByteArray input = QByteArray(shift, 'x') + bytes;
        const qsizetype n = bytes.size();
        std::vector<char16_t> out(size_t(n) + 8, u'#');
        QCOMPARE(AsciiText::widenIfAscii(input.constData() + shift, n, out.data()), expected);
        for (size_t i = size_t(n); i < out.size(); ++i)
            QCOMPARE(out[i], u'#');
        if (expected) {
            for (qsizetype i = 0; i < n; ++i)
                QCOMPARE(int(out[size_t(i)]), int(static_cast<unsigned char>(bytes[i])));
        }
    }
}

void TestAsciiText::assignUtf8MatchesQt_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("null") << QByteArray();
    QTest::newRow("empty") << QByteArray("");
    for (int length : {1, 7, 8, 9, 15, 16, 17, 27, 36, 42, 66, 70})
        QTest::addRow("ascii of %d", length) << asciiOfLength(length);
    QTest::newRow("zero bytes inside") << QByteArray("a\0b\0c", 5);
    QTest::newRow("euro sign") << QByteArray("12.50 \xe2\x82\xac");
    QTest::newRow("long utf-8 wallet label")
        << QByteArray("Portefeuille \xc3\xa9pargne n\xc2\xb0 1 \xe2\x80\x94 cold storage");
    QTest::newRow("invalid utf-8") << QByteArray("abc\xff\xfe def ghi jkl mno");
    QTest::newRow("lone continuation at the end") << QByteArray("0123456789abcdef\x80");
    for (int at : {0, 7, 8, 15, 16, 20, 35}) {
        QByteArray bytes = asciiOfLength(36);
        bytes[at] = char(0xc3);
        bytes.insert(at + 1, char(0xa9)); // a valid two-byte sequence
        QTest::addRow("e-acute at %d of 37", at) << bytes;
    }
}

// The same string as QString::fromUtf8, whatever the target held: nothing, a buffer of its own big
// enough to be refilled, or a buffer another string shares (which must keep its value).
void TestAsciiText::assignUtf8MatchesQt() {
    QFETCH(QByteArray, bytes);
    const QString expected = QString::fromUtf8(QByteArrayView(bytes));

    QString fresh;
    AsciiText::assignUtf8(&fresh, QByteArrayView(bytes));
    QCOMPARE(fresh, expected);
    QCOMPARE(fresh.size(), expected.size());

    QString own;
    own.reserve(100);
    own.append(QLatin1String("previous value, longer than some of the new ones"));
    AsciiText::assignUtf8(&own, QByteArrayView(bytes));
    QCOMPARE(own, expected);

    const QString before = QString::fromLatin1("a value another reader holds");
    QString shared = before;
    const QString holder = shared;
    AsciiText::assignUtf8(&shared, QByteArrayView(bytes));
    QCOMPARE(shared, expected);
    QCOMPARE(holder, before);
}

QTEST_GUILESS_MAIN(TestAsciiText)
#include "TestAsciiText.moc"
