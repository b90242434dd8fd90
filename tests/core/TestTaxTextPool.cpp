// TextPool: every kind of text comes back as it went in, and the cache of recent texts answers
// by content, whatever buffer the text arrives in.

#include "tax/OwnedText.h"
#include "tax/TextPool.h"

#include <QtTest>

using namespace llamadesk::tax;

class TestTaxTextPool : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void recentTextsAreFoundByContent();
    void reusedBufferIsNotMistakenForItsOldText();
    void assignOwnedCopiesIntoOwnBuffer_data();
    void assignOwnedCopiesIntoOwnBuffer();
};

void TestTaxTextPool::roundTrip_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("uuid") << QStringLiteral("0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e");
    QTest::newRow("uuid in capitals stays as written")
        << QStringLiteral("0B6F3C1E-8A2D-4F5B-9C7E-1D2A3B4C5D6E");
    QTest::newRow("hash") << QStringLiteral(
        "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060");
    QTest::newRow("odd hex") << QStringLiteral("0xabc");
    QTest::newRow("plain") << QStringLiteral("lot 7 of wallet A");
    QTest::newRow("not ASCII") << QStringLiteral("Br\u00fccke \u20ac");
    // Hex-like text with one character just outside the lowercase hex digits, at every kind of
    // position of the sixteen-character blocks: stored as written, never as wrong bytes.
    const QString hash =
        QStringLiteral("0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060");
    const QString uuid = QStringLiteral("0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e");
    const QList<QChar> outside = {QLatin1Char('/'),     QLatin1Char(':'), QLatin1Char('`'),
                                  QLatin1Char('g'),     QLatin1Char('A'), QLatin1Char('F'),
                                  QChar(0x0130),        QChar(0xff10),    QChar(0x8030),
                                  QChar(0x0030 + 0x100)};
    for (int at : {2, 3, 9, 17, 18, 25, 33, 40, 49, 57, 65}) {
        for (const QChar ch : outside) {
            QString text = hash;
            text[at] = ch;
            QTest::addRow("hash, U+%04X at %d", ch.unicode(), at) << text;
        }
    }
    for (int at : {0, 7, 9, 12, 14, 20, 24, 30, 35}) {
        for (const QChar ch : outside) {
            QString text = uuid;
            text[at] = ch;
            QTest::addRow("uuid, U+%04X at %d", ch.unicode(), at) << text;
        }
    }
    // Every digit in every position of a block, so a swapped nibble or byte shows.
    const QString allDigits = QStringLiteral("0123456789abcdef");
    for (int digits : {2, 14, 16, 18, 30, 32, 34, 62, 64, 66, 128, 510}) {
        QString text = QStringLiteral("0x");
        for (int i = 0; i < digits; ++i)
            text += allDigits[(i * 7 + digits) % 16];
        QTest::addRow("0x and %d digits", digits) << text;
    }
}

void TestTaxTextPool::roundTrip() {
    QFETCH(QString, text);
    TextPool pool;
    const TextPool::Handle viaView = pool.add(QStringView(text));
    const TextPool::Handle viaString = pool.add(text);
    QCOMPARE(pool.text(viaView), text);
    QCOMPARE(pool.text(viaString), text);
    QVERIFY(pool.equals(viaString, text));
    QCOMPARE(pool.text(TextPool::kNone), QString());
}

void TestTaxTextPool::recentTextsAreFoundByContent() {
    TextPool pool;
    const QString id = QStringLiteral("0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e");
    const TextPool::Handle first = pool.add(id);
    // The same characters in another buffer: the same entry, nothing new stored.
    QString copy;
    assignOwned(&copy, id);
    QVERIFY(copy.constData() != id.constData());
    const qsizetype before = pool.bytesReserved();
    QCOMPARE(pool.add(copy), first);
    QCOMPARE(pool.bytesReserved(), before);
    // Other text gets another entry.
    const TextPool::Handle other = pool.add(QStringLiteral("another"));
    QVERIFY(other != first);
    QCOMPARE(pool.text(other), QStringLiteral("another"));
}

void TestTaxTextPool::reusedBufferIsNotMistakenForItsOldText() {
    // The engine refills the same strings row after row: a buffer that held one id and now
    // holds the next must not be taken for the first.
    TextPool pool;
    QString buffer;
    assignOwned(&buffer, QStringLiteral("11111111-1111-4111-8111-111111111111"));
    const TextPool::Handle first = pool.add(buffer);
    const QChar* storage = buffer.constData();
    assignOwned(&buffer, QStringLiteral("22222222-2222-4222-8222-222222222222"));
    QCOMPARE(buffer.constData(), storage); // the same buffer, refilled
    const TextPool::Handle second = pool.add(buffer);
    QVERIFY(second != first);
    QCOMPARE(pool.text(first), QStringLiteral("11111111-1111-4111-8111-111111111111"));
    QCOMPARE(pool.text(second), QStringLiteral("22222222-2222-4222-8222-222222222222"));
}

void TestTaxTextPool::assignOwnedCopiesIntoOwnBuffer_data() {
    QTest::addColumn<QString>("from");
    QTest::newRow("null") << QString();
    QTest::newRow("empty") << QStringLiteral("");
    QTest::newRow("shorter") << QStringLiteral("abc");
    QTest::newRow("same length") << QStringLiteral("0123456789");
    QTest::newRow("longer") << QStringLiteral("0123456789 and more");
}

void TestTaxTextPool::assignOwnedCopiesIntoOwnBuffer() {
    QFETCH(QString, from);
    QString to = QStringLiteral("0123456789");
    to.detach();
    assignOwned(&to, from);
    QCOMPARE(to, from);
    QCOMPARE(to.isNull(), from.isNull());
    if (!from.isEmpty()) {
        QVERIFY(to.isDetached()); // not shared with `from`
        QVERIFY(to.constData() != from.constData());
    }
    // A shared target is copied, never written through.
    QString shared = QStringLiteral("shared text");
    shared.detach();
    QString alias = shared;
    assignOwned(&alias, from);
    QCOMPARE(shared, QStringLiteral("shared text"));
    QCOMPARE(alias, from);
}

QTEST_APPLESS_MAIN(TestTaxTextPool)
#include "TestTaxTextPool.moc"
