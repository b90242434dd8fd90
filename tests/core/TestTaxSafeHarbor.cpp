// The switch from universal to per-wallet lots on 1 January 2025 (Rev. Proc. 2024-28): the
// remaining basis is allocated to the wallets by a standing rule (lots in acquisition order fill
// the wallets in name order), recorded in the result, the same on every run, and a recorded
// allocation passed back in is applied again as it was.

#include "tax/TaxEngine.h"

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

Decimal dec(const char* s) {
    return Decimal::parse(QByteArrayView(s)).value();
}

TaxTransaction trade(const char* id, const char* when, const char* wallet, bool buying,
                     const char* amount, const char* usd) {
    TaxTransaction t;
    t.id = QLatin1String(id);
    t.timestamp = Timestamp::parse(QString::fromLatin1(when)).value();
    t.transactionType = buying ? TransactionType::Buy : TransactionType::Sell;
    t.wallet = QLatin1String(wallet);
    (buying ? t.assetInSymbol : t.assetOutSymbol) = QStringLiteral("BTC");
    (buying ? t.assetInAmount : t.assetOutAmount) = dec(amount);
    (buying ? t.assetOutSymbol : t.assetInSymbol) = QStringLiteral("USD");
    (buying ? t.assetOutAmount : t.assetInAmount) = dec(usd);
    return t;
}

// 2024 (universal): b1 bought in wallet "b", b2 in wallet "a", then half a coin sold from "a"
// takes the first lot of all (b1). On 1 January 2025 "a" holds 0.5 and "b" holds 1.
QList<TaxTransaction> ledger() {
    return {trade("b1", "2024-01-01T12:00:00Z", "b", true, "1", "10000"),
            trade("b2", "2024-02-01T12:00:00Z", "a", true, "1", "20000"),
            trade("s1", "2024-03-01T12:00:00Z", "a", false, "0.5", "15000"),
            trade("s2", "2025-03-01T12:00:00Z", "b", false, "0.5", "40000")};
}

QStringList lines(const QList<SafeHarborEntry>& entries) {
    QStringList list;
    for (const SafeHarborEntry& e : entries)
        list << e.asset + QLatin1Char(' ') + e.wallet + QLatin1Char(' ') + e.lotId +
                    QLatin1Char(' ') + e.amount.toString() + QLatin1Char(' ') +
                    e.costBasis.toString();
    return list;
}

} // namespace

class TestTaxSafeHarbor : public QObject {
    Q_OBJECT

private slots:
    void allocationByTheStandingRule();
    void allocationIsRepeatable();
    void recordedAllocationIsAppliedAgain();
    void recordedAllocationThatNoLongerFits();
    void explicitScopesNeverAllocate_data();
    void explicitScopesNeverAllocate();
};

void TestTaxSafeHarbor::allocationByTheStandingRule() {
    const Result<TaxResult> r = TaxEngine::run(ledger(), TaxOptions());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    // "a" (first by name) gets the first lot's remaining half, "b" the second lot.
    QCOMPARE(lines(r->safeHarborAllocation()), QStringList({QStringLiteral("BTC a b1 0.5 5000"),
                                                            QStringLiteral("BTC b b2 1 20000")}));
    QCOMPARE(r->safeHarborAllocation()[0].acquiredAt,
             Timestamp::parse(QStringLiteral("2024-01-01T12:00:00Z")).value());
    QCOMPARE(r->disposalCount(), 2);
    QCOMPARE(r->disposal(0).lots[0].lotId, QStringLiteral("b1")); // 2024: universal
    const Disposal in2025 = r->disposal(1);
    QCOMPARE(in2025.wallet, QStringLiteral("b"));
    QCOMPARE(in2025.lots[0].lotId, QStringLiteral("b2")); // 2025: the wallet's own lots
    QCOMPARE(in2025.costBasis, dec("10000"));
    QCOMPARE(toString(in2025.term), toString(Term::Long));
    QVERIFY(r->warnings().isEmpty());
    QCOMPARE(r->holdings().size(), 2);
    QCOMPARE(r->holdings()[0].wallet, QStringLiteral("a"));
    QCOMPARE(r->holdings()[0].costBasis, dec("5000"));
    QCOMPARE(r->holdings()[1].wallet, QStringLiteral("b"));
    QCOMPARE(r->holdings()[1].costBasis, dec("10000"));
}

void TestTaxSafeHarbor::allocationIsRepeatable() {
    const Result<TaxResult> first = TaxEngine::run(ledger(), TaxOptions());
    QList<TaxTransaction> shuffled = ledger();
    std::reverse(shuffled.begin(), shuffled.end()); // run() sorts; the allocation must not move
    const Result<TaxResult> second = TaxEngine::run(shuffled, TaxOptions());
    QVERIFY(first.ok() && second.ok());
    QCOMPARE(first->safeHarborAllocation(), second->safeHarborAllocation());
    QVERIFY(!first->safeHarborAllocation().isEmpty());
}

void TestTaxSafeHarbor::recordedAllocationIsAppliedAgain() {
    // Recorded earlier (for example before a later edit of 2024): the first lot all to "b", the
    // second split.
    TaxOptions options;
    const Timestamp t1 = Timestamp::parse(QStringLiteral("2024-01-01T12:00:00Z")).value();
    const Timestamp t2 = Timestamp::parse(QStringLiteral("2024-02-01T12:00:00Z")).value();
    options.safeHarborAllocation = {
        {QStringLiteral("BTC"), QStringLiteral("b"), QStringLiteral("b1"), t1, dec("0.5"),
         dec("5000")},
        {QStringLiteral("BTC"), QStringLiteral("a"), QStringLiteral("b2"), t2, dec("0.5"),
         dec("10000")},
        {QStringLiteral("BTC"), QStringLiteral("b"), QStringLiteral("b2"), t2, dec("0.5"),
         dec("10000")},
    };
    const Result<TaxResult> r = TaxEngine::run(ledger(), options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->safeHarborAllocation(), options.safeHarborAllocation);
    QVERIFY(r->warnings().isEmpty());
    // Wallet "b" now holds b1 (earliest) first: FIFO sells it.
    const Disposal in2025 = r->disposal(1);
    QCOMPARE(in2025.lots[0].lotId, QStringLiteral("b1"));
    QCOMPARE(in2025.costBasis, dec("5000"));
}

void TestTaxSafeHarbor::recordedAllocationThatNoLongerFits() {
    TaxOptions options;
    options.safeHarborAllocation = {
        {QStringLiteral("BTC"), QStringLiteral("a"), QStringLiteral("gone"),
         Timestamp::parse(QStringLiteral("2024-01-01T12:00:00Z")).value(), dec("0.5"),
         dec("5000")}};
    const Result<TaxResult> r = TaxEngine::run(ledger(), options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->warnings().size(), 1);
    QCOMPARE(toString(r->warnings()[0].code), toString(WarningCode::SafeHarborMismatch));
    QCOMPARE(r->warnings()[0].date, QDate(2025, 1, 1)); // the day of the allocation
    // The standing rule allocates what the record could not.
    QCOMPARE(lines(r->safeHarborAllocation()), QStringList({QStringLiteral("BTC a b1 0.5 5000"),
                                                            QStringLiteral("BTC b b2 1 20000")}));
}

void TestTaxSafeHarbor::explicitScopesNeverAllocate_data() {
    QTest::addColumn<int>("scope");
    QTest::addColumn<QString>("lotSold2025");
    QTest::newRow("universal") << int(LotScope::Universal) << QStringLiteral("b1");
    QTest::newRow("wallet") << int(LotScope::Wallet) << QStringLiteral("b1");
}

void TestTaxSafeHarbor::explicitScopesNeverAllocate() {
    QFETCH(int, scope);
    QFETCH(QString, lotSold2025);
    TaxOptions options;
    options.scope = LotScope(scope);
    const Result<TaxResult> r = TaxEngine::run(ledger(), options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QVERIFY(r->safeHarborAllocation().isEmpty());
    QCOMPARE(r->disposal(1).lots[0].lotId, lotSold2025);
}

QTEST_GUILESS_MAIN(TestTaxSafeHarbor)
#include "TestTaxSafeHarbor.moc"
