// Transfers between the user's own wallets: one move when both sides share a hash (or, without
// one, the same asset and amount within the window), whichever side comes first; lots keep
// their basis and date; what does not pair is reported.

#include "tax/TaxEngine.h"

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

Decimal dec(const char* s) {
    return Decimal::parse(QByteArrayView(s)).value();
}

TaxTransaction at(const char* id, const char* when, TransactionType type, const char* wallet) {
    TaxTransaction t;
    t.id = QLatin1String(id);
    t.timestamp = Timestamp::parse(QString::fromLatin1(when)).value();
    t.transactionType = type;
    t.wallet = QLatin1String(wallet);
    return t;
}

TaxTransaction buy(const char* id, const char* when, const char* wallet, const char* amount,
                   const char* usd) {
    TaxTransaction t = at(id, when, TransactionType::Buy, wallet);
    t.assetInSymbol = QStringLiteral("ETH");
    t.assetInAmount = dec(amount);
    t.assetOutSymbol = QStringLiteral("USD");
    t.assetOutAmount = dec(usd);
    return t;
}

TaxTransaction sell(const char* id, const char* when, const char* wallet, const char* amount,
                    const char* usd) {
    TaxTransaction t = at(id, when, TransactionType::Sell, wallet);
    t.assetOutSymbol = QStringLiteral("ETH");
    t.assetOutAmount = dec(amount);
    t.assetInSymbol = QStringLiteral("USD");
    t.assetInAmount = dec(usd);
    return t;
}

TaxTransaction move(const char* id, const char* when, TransactionType type, const char* wallet,
                    const char* amount, const char* hash) {
    TaxTransaction t = at(id, when, type, wallet);
    if (type == TransactionType::TransferOut) {
        t.assetOutSymbol = QStringLiteral("ETH");
        t.assetOutAmount = dec(amount);
    } else {
        t.assetInSymbol = QStringLiteral("ETH");
        t.assetInAmount = dec(amount);
    }
    t.transactionHash = QLatin1String(hash);
    return t;
}

TaxOptions walletScope() {
    TaxOptions o;
    o.scope = LotScope::Wallet;
    return o;
}

QStringList codes(const TaxResult& r) {
    QStringList list;
    for (const TaxWarning& w : r.warnings())
        list << toString(w.code) + QLatin1Char('@') + w.transactionId;
    return list;
}

} // namespace

class TestTaxTransfers : public QObject {
    Q_OBJECT

private slots:
    void pairs_data();
    void pairs();
    void unpairedSidesAreReported();
    void shortArrivalDisposesOfTheDifference();
    void longArrivalHasNoBasisForTheExtra();
    void universalScopeKeepsOneSetOfLots();
};

void TestTaxTransfers::pairs_data() {
    QTest::addColumn<QList<TaxTransaction>>("moves");
    const QList<TaxTransaction> base;
    QTest::newRow("same hash, out first") << QList<TaxTransaction>{
        move("o", "2024-03-01T10:00:00Z", TransactionType::TransferOut, "hot", "1", "0xaa"),
        move("i", "2024-03-01T10:20:00Z", TransactionType::TransferIn, "cold", "1", "0xaa")};
    QTest::newRow("same hash, in first (clock skew)") << QList<TaxTransaction>{
        move("i", "2024-03-01T09:58:00Z", TransactionType::TransferIn, "cold", "1", "0xaa"),
        move("o", "2024-03-01T10:00:00Z", TransactionType::TransferOut, "hot", "1", "0xaa")};
    QTest::newRow("same instant, ids in the other order") << QList<TaxTransaction>{
        move("b-out", "2024-03-01T10:00:00Z", TransactionType::TransferOut, "hot", "1", "0xaa"),
        move("a-in", "2024-03-01T10:00:00Z", TransactionType::TransferIn, "cold", "1", "0xaa")};
    QTest::newRow("different hashes, same amount within the window") << QList<TaxTransaction>{
        move("o", "2024-03-01T10:00:00Z", TransactionType::TransferOut, "hot", "1",
             "exchange-withdrawal-77"),
        move("i", "2024-03-01T16:00:00Z", TransactionType::TransferIn, "cold", "1", "0xbb")};
}

void TestTaxTransfers::pairs() {
    QFETCH(QList<TaxTransaction>, moves);
    // Bought in "hot" in 2023; moved to "cold"; sold from "cold" more than a year after the
    // purchase: the lot kept its basis and its date, so the gain is long term.
    QList<TaxTransaction> ledger = {buy("b", "2023-01-10T10:00:00Z", "hot", "1", "1200")};
    ledger += moves;
    ledger << sell("s", "2024-06-01T10:00:00Z", "cold", "1", "3000");
    const Result<TaxResult> r = TaxEngine::run(ledger, walletScope());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(codes(r.value()), QStringList());
    QCOMPARE(r->disposalCount(), 1);
    const Disposal d = r->disposal(0);
    QCOMPARE(d.wallet, QStringLiteral("cold"));
    QCOMPARE(d.costBasis, dec("1200"));
    QCOMPARE(d.dateAcquired, QDate(2023, 1, 10));
    QCOMPARE(d.lots[0].lotId, QStringLiteral("b"));
    QCOMPARE(toString(d.term), toString(Term::Long));
    QVERIFY(r->holdings().isEmpty());
}

void TestTaxTransfers::unpairedSidesAreReported() {
    // Two days apart with a one-day window: the out left for somewhere unknown (its lot leaves
    // without gain), the in came from somewhere unknown (basis 0).
    const QList<TaxTransaction> ledger = {
        buy("b", "2024-01-10T10:00:00Z", "hot", "1", "1000"),
        move("o", "2024-03-01T10:00:00Z", TransactionType::TransferOut, "hot", "1", "0x01"),
        move("i", "2024-03-03T10:00:00Z", TransactionType::TransferIn, "cold", "1", "0x02"),
        sell("s", "2024-06-01T10:00:00Z", "cold", "1", "3000"),
    };
    const Result<TaxResult> r = TaxEngine::run(ledger, walletScope());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(codes(r.value()), QStringList({QStringLiteral("unmatched_transfer_out@o"),
                                            QStringLiteral("missing_cost_basis@i"),
                                            QStringLiteral("missing_cost_basis@s")}));
    QCOMPARE(r->disposal(0).costBasis, Decimal());
    QVERIFY(r->disposal(0).lots[0].unknownBasis);
    QCOMPARE(r->disposal(0).gain, dec("3000"));

    // With a window of three days they are one move again.
    TaxOptions wide = walletScope();
    wide.transferWindowSeconds = 3 * 24 * 3600;
    const Result<TaxResult> paired = TaxEngine::run(ledger, wide);
    QVERIFY2(paired.ok(), qPrintable(paired.error()));
    QCOMPARE(codes(paired.value()), QStringList());
    QCOMPARE(paired->disposal(0).costBasis, dec("1000"));
}

void TestTaxTransfers::shortArrivalDisposesOfTheDifference() {
    TaxTransaction out =
        move("o", "2024-03-01T10:00:00Z", TransactionType::TransferOut, "hot", "1", "0xaa");
    out.assetOutValueUsd = dec("2500"); // the units' value at the time
    const QList<TaxTransaction> ledger = {
        buy("b", "2024-01-10T10:00:00Z", "hot", "1", "2000"), out,
        move("i", "2024-03-01T10:05:00Z", TransactionType::TransferIn, "cold", "0.99", "0xaa")};
    const Result<TaxResult> r = TaxEngine::run(ledger, walletScope());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(codes(r.value()), QStringList({QStringLiteral("transfer_amount_mismatch@o")}));
    QCOMPARE(r->disposalCount(), 1);
    const Disposal d = r->disposal(0);
    QCOMPARE(toString(d.kind), toString(DisposalKind::TransferLoss));
    QCOMPARE(d.wallet, QStringLiteral("hot"));
    QCOMPARE(d.amount, dec("0.01"));
    QCOMPARE(d.proceeds, dec("25"));
    QCOMPARE(d.costBasis, dec("20"));
    QCOMPARE(r->holdings().size(), 1);
    QCOMPARE(r->holdings()[0].wallet, QStringLiteral("cold"));
    QCOMPARE(r->holdings()[0].amount, dec("0.99"));
    QCOMPARE(r->holdings()[0].costBasis, dec("1980"));
}

void TestTaxTransfers::longArrivalHasNoBasisForTheExtra() {
    const QList<TaxTransaction> ledger = {
        buy("b", "2024-01-10T10:00:00Z", "hot", "1", "2000"),
        move("o", "2024-03-01T10:00:00Z", TransactionType::TransferOut, "hot", "1", "0xaa"),
        move("i", "2024-03-01T10:05:00Z", TransactionType::TransferIn, "cold", "1.5", "0xaa")};
    const Result<TaxResult> r = TaxEngine::run(ledger, walletScope());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(codes(r.value()), QStringList({QStringLiteral("missing_cost_basis@i")}));
    QCOMPARE(r->holdings().size(), 1);
    QCOMPARE(r->holdings()[0].amount, dec("1.5"));
    QCOMPARE(r->holdings()[0].costBasis, dec("2000"));
    QCOMPARE(r->holdings()[0].lots, 2);
}

void TestTaxTransfers::universalScopeKeepsOneSetOfLots() {
    // Universal: a sale from any wallet takes the first lot of all, moves change nothing.
    const QList<TaxTransaction> ledger = {
        buy("b1", "2024-01-10T10:00:00Z", "hot", "1", "1000"),
        buy("b2", "2024-02-10T10:00:00Z", "cold", "1", "5000"),
        sell("s", "2024-06-01T10:00:00Z", "cold", "1", "3000"),
    };
    TaxOptions universal;
    universal.scope = LotScope::Universal;
    const Result<TaxResult> r = TaxEngine::run(ledger, universal);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->disposal(0).lots[0].lotId, QStringLiteral("b1"));
    QCOMPARE(r->holdings().size(), 1);
    QVERIFY(r->holdings()[0].wallet.isEmpty());

    const Result<TaxResult> perWallet = TaxEngine::run(ledger, walletScope());
    QVERIFY2(perWallet.ok(), qPrintable(perWallet.error()));
    QCOMPARE(perWallet->disposal(0).lots[0].lotId, QStringLiteral("b2"));
    QCOMPARE(perWallet->holdings()[0].wallet, QStringLiteral("hot"));
}

QTEST_GUILESS_MAIN(TestTaxTransfers)
#include "TestTaxTransfers.moc"
