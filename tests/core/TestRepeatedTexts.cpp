// RepeatedTexts: the strings it hands out equal QString::fromUtf8 of the bytes, values that share
// a cache slot are never mistaken for each other at any length, a string a reader keeps never
// changes, and the scratch buffer is refilled only when no reader holds it.

#include "store/RepeatedTexts.h"

#include <QtTest>

using llamadesk::store::RepeatedTexts;

class TestRepeatedTexts : public QObject {
    Q_OBJECT

private slots:
    void valuesInOneSlotStayApart_data();
    void valuesInOneSlotStayApart();
    void textMatchesQt_data();
    void textMatchesQt();
    void keptStringsNeverChange_data();
    void keptStringsNeverChange();
    void droppedBufferIsRefilled();
    void refilledBufferFitsTheValue();
};

namespace {

// Values longer than the cache keeps (64 bytes) always take the scratch path.
QByteArray longValue(int length, int seed) {
    QByteArray bytes;
    for (int i = 0; i < length; ++i)
        bytes.append(char('0' + (i * 13 + seed * 7) % 75));
    return bytes;
}

QString textOf(RepeatedTexts& texts, const QByteArray& bytes) {
    return texts.text(bytes.constData(), int(bytes.size()));
}

} // namespace

void TestRepeatedTexts::valuesInOneSlotStayApart_data() {
    // Two values of the same length with the same first, middle and last byte fall into the same
    // slot; they differ in one byte, at every position, for every length the cache keeps.
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("second");
    for (int length = 1; length <= 64; ++length) {
        const QByteArray base = longValue(length, length);
        for (int at = 0; at < length; ++at) {
            if (at == 0 || at == length / 2 || at == length - 1)
                continue; // those bytes choose the slot
            QByteArray other = base;
            other[at] = char(other[at] == 'z' ? 'y' : 'z');
            QTest::addRow("%d bytes, differing at %d", length, at) << base << other;
        }
        if (length <= 3) { // every byte chooses the slot: differ in the last one
            QByteArray other = base;
            other[length - 1] = char(other[length - 1] == 'z' ? 'y' : 'z');
            QTest::addRow("%d bytes, differing at the end", length) << base << other;
        }
    }
}

void TestRepeatedTexts::valuesInOneSlotStayApart() {
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    RepeatedTexts texts;
    // Alternate: each lookup finds the other value in the slot first.
    for (int round = 0; round < 3; ++round) {
        QCOMPARE(textOf(texts, first), QString::fromLatin1(first));
        QCOMPARE(textOf(texts, second), QString::fromLatin1(second));
    }
}

void TestRepeatedTexts::textMatchesQt_data() {
    QTest::addColumn<QList<QByteArray>>("column");
    QTest::newRow("empty and one value")
        << QList<QByteArray>{QByteArray(""), QByteArray("ETH"), QByteArray(""), QByteArray("ETH")};
    QTest::newRow("non-ASCII among ASCII")
        << QList<QByteArray>{QByteArray("caf\xc3\xa9"), QByteArray("cafe"),
                             QByteArray("\xe2\x82\xac 12.50"), QByteArray("cafe")};
    QTest::newRow("long non-ASCII between long ASCII")
        << QList<QByteArray>{longValue(80, 1), longValue(70, 2) + QByteArray("\xc3\xa9"),
                             longValue(80, 3), longValue(120, 4)};
    QList<QByteArray> unique; // turns the cache off after its probe
    for (int i = 0; i < 200; ++i)
        unique << QByteArray::number(i * 7919) + (i % 9 == 0 ? QByteArray(" \xc3\xa9") : "");
    QTest::newRow("never repeats, some non-ASCII") << unique;
}

void TestRepeatedTexts::textMatchesQt() {
    QFETCH(QList<QByteArray>, column);
    RepeatedTexts texts;
    for (const QByteArray& bytes : column) {
        const QString text = textOf(texts, bytes);
        QCOMPARE(text, QString::fromUtf8(bytes));
        QVERIFY(!text.isNull()); // stored text, even empty, is not NULL
    }
}

void TestRepeatedTexts::keptStringsNeverChange_data() {
    QTest::addColumn<bool>("cached");
    QTest::newRow("values the cache keeps") << true;
    QTest::newRow("values longer than it keeps") << false;
}

// A reader that keeps every other string: what it kept stays as it was, whatever is read after.
void TestRepeatedTexts::keptStringsNeverChange() {
    QFETCH(bool, cached);
    RepeatedTexts texts;
    QList<QString> kept;
    QList<QByteArray> keptBytes;
    for (int i = 0; i < 300; ++i) {
        const QByteArray bytes = cached ? QByteArray::number(i % 5) : longValue(90, i);
        const QString& text = texts.text(bytes.constData(), int(bytes.size()));
        QCOMPARE(text, QString::fromLatin1(bytes));
        if (i % 2 == 0) {
            kept << text;
            keptBytes << bytes;
        }
    }
    for (int i = 0; i < kept.size(); ++i)
        QCOMPARE(kept[i], QString::fromLatin1(keptBytes[i]));
}

// The point of the scratch string: a reader that lets go of each value before the next one
// costs no allocation per value. A reader that holds on gets a buffer of its own.
void TestRepeatedTexts::droppedBufferIsRefilled() {
    RepeatedTexts texts;
    const QByteArray a = longValue(90, 1);
    const QByteArray b = longValue(86, 2);
    const QByteArray c = longValue(88, 3);
    const QString& first = texts.text(a.constData(), int(a.size()));
    const QChar* buffer = first.constData();
    const qsizetype capacity = first.capacity();
    const QString& second = texts.text(b.constData(), int(b.size()));
    QCOMPARE(second, QString::fromLatin1(b));
    // Refilled: the same buffer with the capacity it had for the longer value (a new buffer for
    // 86 characters would be smaller, even where the allocator hands back the same address).
    QCOMPARE(second.constData(), buffer);
    QCOMPARE(second.capacity(), capacity);

    const QString held = second; // a reader keeps this one
    const QString& third = texts.text(c.constData(), int(c.size()));
    QCOMPARE(third, QString::fromLatin1(c));
    QVERIFY(third.constData() != held.constData());
    QCOMPARE(held, QString::fromLatin1(b));
}

// A reader that keeps a short value must not keep a buffer sized for a long one.
void TestRepeatedTexts::refilledBufferFitsTheValue() {
    RepeatedTexts texts;
    for (int i = 0; i < 100; ++i) { // never repeats: the cache turns itself off
        const QByteArray bytes = QByteArray::number(i * 104729);
        textOf(texts, bytes);
    }
    const QByteArray big = longValue(400, 5);
    QCOMPARE(textOf(texts, big).size(), big.size());
    for (int length : {0, 1, 3, 12, 36}) {
        const QByteArray small = longValue(length, length);
        const QString text = textOf(texts, small);
        QCOMPARE(text, QString::fromLatin1(small));
        QVERIFY2(
            text.capacity() <= 2 * length + 16,
            qPrintable(
                QStringLiteral("capacity %1 for %2 characters").arg(text.capacity()).arg(length)));
    }
}

QTEST_GUILESS_MAIN(TestRepeatedTexts)
#include "TestRepeatedTexts.moc"
