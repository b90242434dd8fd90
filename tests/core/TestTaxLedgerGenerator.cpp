// The benchmark and property ledgers: deterministic, valid rows of the schema, in order, with
// every transaction type.

#include "tax/LedgerGenerator.h"

#include <QSet>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

class TestTaxLedgerGenerator : public QObject {
    Q_OBJECT

private slots:
    void deterministic_data();
    void deterministic();
    void validOrderedAndComplete_data() { deterministic_data(); }
    void validOrderedAndComplete();
    void endsFullySold();
};

void TestTaxLedgerGenerator::deterministic_data() {
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("transactions");
    QTest::newRow("seed 1") << quint64(1) << 3000;
    QTest::newRow("seed 77") << quint64(77) << 5000;
}

void TestTaxLedgerGenerator::deterministic() {
    QFETCH(quint64, seed);
    QFETCH(int, transactions);
    LedgerGeneratorOptions o;
    o.seed = seed;
    o.transactions = transactions;
    const QList<TaxTransaction> a = LedgerGenerator::generate(o);
    const QList<TaxTransaction> b = LedgerGenerator::generate(o);
    QCOMPARE(a.size(), b.size());
    QCOMPARE(a, b);
    o.seed = seed + 1;
    const QList<TaxTransaction> c = LedgerGenerator::generate(o);
    QVERIFY(a.first().id != c.first().id);
}

void TestTaxLedgerGenerator::validOrderedAndComplete() {
    QFETCH(quint64, seed);
    QFETCH(int, transactions);
    LedgerGeneratorOptions o;
    o.seed = seed;
    o.transactions = transactions;
    LedgerGenerator generator(o);
    TaxTransaction t;
    TaxTransaction previous;
    QSet<int> types;
    QSet<QString> assets;
    QSet<QString> wallets;
    int sharedHashes = 0;
    QSet<QString> hashes;
    qint64 count = 0;
    while (generator.next(&t)) {
        const QStringList problems = t.validate();
        QVERIFY2(problems.isEmpty(),
                 qPrintable(t.id + QLatin1String(": ") + problems.join(QLatin1Char(' '))));
        if (count > 0) {
            QVERIFY(previous.timestamp < t.timestamp ||
                    (previous.timestamp == t.timestamp && previous.id < t.id));
        }
        types.insert(int(t.transactionType));
        if (t.assetInSymbol)
            assets.insert(*t.assetInSymbol);
        wallets.insert(t.wallet);
        if (hashes.contains(t.transactionHash))
            ++sharedHashes;
        hashes.insert(t.transactionHash);
        previous = t;
        ++count;
    }
    QCOMPARE(count, qint64(transactions));
    QCOMPARE(generator.produced(), count);
    QCOMPARE(types.size(), 12);  // every transaction type
    QCOMPARE(assets.size(), 21); // 20 assets and the currency
    QCOMPARE(wallets.size(), 6);
    QVERIFY(sharedHashes > transactions / 50); // transfers with one hash on both sides
}

void TestTaxLedgerGenerator::endsFullySold() {
    LedgerGeneratorOptions o;
    o.transactions = 2000;
    o.sellEverything = true;
    const QList<TaxTransaction> rows = LedgerGenerator::generate(o);
    QVERIFY(rows.size() > 2000);
    // The closing sales come last and each empties one (asset, wallet).
    QCOMPARE(toString(rows.last().transactionType), QStringLiteral("sell"));
}

QTEST_GUILESS_MAIN(TestTaxLedgerGenerator)
#include "TestTaxLedgerGenerator.moc"
