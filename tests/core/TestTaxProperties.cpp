// Properties of the engine on random ledgers (LedgerGenerator, data-driven over seeds): units
// and basis are conserved, proceeds are what the ledger says, the printed totals are the sums
// of the printed rows, and a ledger that ends fully sold has the same total gain whatever the
// lot method or scope. The expected figures come from the ledger itself, by the documented
// rules, not from the engine.

#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"

#include <QHash>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

using Key = QPair<QString, QString>; // (asset, wallet)

bool isCash(const std::optional<QString>& symbol) {
    return symbol && *symbol == QLatin1String("USD");
}

// What the ledger itself says: units in and out per (asset, wallet), disposed units, basis of
// new lots and proceeds of disposals.
struct LedgerFigures {
    QHash<Key, Decimal> net;      // acquired + moved in - disposed - moved out
    QHash<Key, Decimal> disposed; // units disposed of (sales, swaps, expenses, fees)
    Decimal basis;
    Decimal proceeds;
};

LedgerFigures figuresOf(const QList<TaxTransaction>& ledger, bool ukGifts) {
    LedgerFigures f;
    for (const TaxTransaction& t : ledger) {
        const Decimal fee = t.feeValueUsd.value_or(Decimal());
        const bool cryptoIn = t.assetInSymbol && !isCash(t.assetInSymbol);
        const bool cryptoOut = t.assetOutSymbol && !isCash(t.assetOutSymbol);
        if (cryptoIn)
            f.net[{*t.assetInSymbol, t.wallet}] += *t.assetInAmount;
        if (cryptoOut)
            f.net[{*t.assetOutSymbol, t.wallet}] -= *t.assetOutAmount;
        if (t.feeSymbol && !isCash(t.feeSymbol)) {
            f.net[{*t.feeSymbol, t.wallet}] -= *t.feeAmount;
            f.disposed[{*t.feeSymbol, t.wallet}] += *t.feeAmount;
            f.proceeds += fee; // crypto spent on a fee: disposed of at its value
        }
        switch (t.transactionType) {
        case TransactionType::Buy:
            f.basis += *t.assetOutValueUsd + fee; // purchase fee: part of the basis
            break;
        case TransactionType::Sell:
        case TransactionType::Swap:
            f.disposed[{*t.assetOutSymbol, t.wallet}] += *t.assetOutAmount;
            f.proceeds += *t.assetInValueUsd - fee; // sale fee: less proceeds
            if (cryptoIn)
                f.basis += *t.assetOutValueUsd; // the new lot costs what was given
            break;
        case TransactionType::Expense:
            f.disposed[{*t.assetOutSymbol, t.wallet}] += *t.assetOutAmount;
            f.proceeds += *t.assetOutValueUsd;
            break;
        case TransactionType::StakingReward:
        case TransactionType::MiningReward:
        case TransactionType::Airdrop:
        case TransactionType::Income:
            f.basis += *t.assetInValueUsd;
            break;
        case TransactionType::Gift:
            if (cryptoIn)
                f.basis += ukGifts ? *t.assetInValueUsd : *t.costBasisUsd;
            break;
        default:
            break; // transfers: moves, or from outside at basis 0
        }
    }
    return f;
}

LedgerGeneratorOptions ledgerOptions(quint64 seed, int transactions, bool sellEverything) {
    LedgerGeneratorOptions o;
    o.seed = seed;
    o.transactions = transactions;
    o.days = 3 * 365;
    o.departures = false;
    o.lossBasisGifts = false;
    o.shortTransfers = false;
    o.sellEverything = sellEverything;
    return o;
}

TaxOptions usOptions(CostBasisMethod method, LotScope scope) {
    TaxOptions o;
    o.method = method;
    o.scope = scope;
    return o;
}

Decimal sumOfCosts(const TaxResult& r) {
    Decimal sum;
    for (int i = 0; i < r.disposalCount(); ++i)
        sum += r.disposal(i).costBasis;
    return sum;
}

Decimal sumOfProceeds(const TaxResult& r) {
    Decimal sum;
    for (int i = 0; i < r.disposalCount(); ++i)
        sum += r.disposal(i).proceeds;
    return sum;
}

int shortfalls(const TaxResult& r) {
    int n = 0;
    for (int i = 0; i < r.disposalCount(); ++i) {
        for (const LotMatch& m : r.disposal(i).lots)
            n += m.rule == MatchRule::Shortfall ? 1 : 0;
    }
    return n;
}

const quint64 kSeeds[] = {1, 2, 3, 7, 42, 1234, 99991, 20250101};

} // namespace

class TestTaxProperties : public QObject {
    Q_OBJECT

private slots:
    void seeds_data();
    void conservationPerWallet_data() { seeds_data(); }
    void conservationPerWallet();
    void conservationUk_data() { seeds_data(); }
    void conservationUk();
    void fullySoldGainIndependentOfMethod_data() { seeds_data(); }
    void fullySoldGainIndependentOfMethod();
    void printedTotalsAreSumsOfPrintedRows_data();
    void printedTotalsAreSumsOfPrintedRows();
};

void TestTaxProperties::seeds_data() {
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("transactions");
    int size = 300;
    for (quint64 seed : kSeeds) {
        QTest::newRow(qPrintable(QStringLiteral("seed %1, %2 rows").arg(seed).arg(size)))
            << seed << size;
        size += 250;
    }
}

void TestTaxProperties::conservationPerWallet() {
    QFETCH(quint64, seed);
    QFETCH(int, transactions);
    const QList<TaxTransaction> ledger =
        LedgerGenerator::generate(ledgerOptions(seed, transactions, false));
    const LedgerFigures expected = figuresOf(ledger, false);

    for (CostBasisMethod method :
         {CostBasisMethod::Fifo, CostBasisMethod::Lifo, CostBasisMethod::Hifo}) {
        const Result<TaxResult> run = TaxEngine::run(ledger, usOptions(method, LotScope::Wallet));
        QVERIFY2(run.ok(), qPrintable(run.error()));
        const TaxResult& r = run.value();
        QCOMPARE(shortfalls(r), 0);

        // Units: what remains in each wallet is what came in minus what went out, and the
        // disposals per wallet are the ledger's.
        QHash<Key, Decimal> remaining;
        for (const Holding& h : r.holdings()) {
            QVERIFY(!h.wallet.isEmpty());
            remaining[{h.asset, h.wallet}] = h.amount;
        }
        for (auto it = expected.net.cbegin(); it != expected.net.cend(); ++it) {
            QVERIFY2(!it.value().isNegative(), "the generator oversold a wallet");
            QCOMPARE(remaining.value(it.key()).toString(), it.value().toString());
        }
        QHash<Key, Decimal> disposed;
        for (int i = 0; i < r.disposalCount(); ++i) {
            const Disposal d = r.disposal(i);
            disposed[{d.asset, d.wallet}] += d.amount;
        }
        QCOMPARE(disposed.size(), expected.disposed.size());
        for (auto it = expected.disposed.cbegin(); it != expected.disposed.cend(); ++it)
            QCOMPARE(disposed.value(it.key()).toString(), it.value().toString());

        // Basis: every unit of basis acquired is either disposed of or still held.
        Decimal held;
        for (const Holding& h : r.holdings())
            held += h.costBasis;
        QCOMPARE((sumOfCosts(r) + held).toString(), expected.basis.toString());
        QCOMPARE(sumOfProceeds(r).toString(), expected.proceeds.toString());
    }
}

void TestTaxProperties::conservationUk() {
    QFETCH(quint64, seed);
    QFETCH(int, transactions);
    const QList<TaxTransaction> ledger =
        LedgerGenerator::generate(ledgerOptions(seed, transactions, false));
    const LedgerFigures expected = figuresOf(ledger, true);
    TaxOptions options;
    options.jurisdiction = Jurisdiction::UnitedKingdom;
    options.timeZone = QTimeZone(QByteArrayLiteral("Europe/London"));
    const Result<TaxResult> run = TaxEngine::run(ledger, options);
    QVERIFY2(run.ok(), qPrintable(run.error()));
    const TaxResult& r = run.value();
    QCOMPARE(shortfalls(r), 0);

    // One pool per token: per asset, acquired = disposed + pooled.
    QHash<QString, Decimal> net;
    for (auto it = expected.net.cbegin(); it != expected.net.cend(); ++it)
        net[it.key().first] += it.value();
    QHash<QString, Decimal> pooled;
    Decimal pooledCost;
    for (const Holding& h : r.holdings()) {
        QVERIFY(h.wallet.isEmpty());
        pooled[h.asset] = h.amount;
        pooledCost += h.costBasis;
    }
    for (auto it = net.cbegin(); it != net.cend(); ++it)
        QCOMPARE(pooled.value(it.key()).toString(), it.value().toString());
    Decimal disposedUnits;
    for (int i = 0; i < r.disposalCount(); ++i)
        disposedUnits += r.disposal(i).amount;
    Decimal expectedDisposed;
    for (const Decimal& d : expected.disposed)
        expectedDisposed += d;
    QCOMPARE(disposedUnits.toString(), expectedDisposed.toString());
    QCOMPARE((sumOfCosts(r) + pooledCost).toString(), expected.basis.toString());
    QCOMPARE(sumOfProceeds(r).toString(), expected.proceeds.toString());
}

void TestTaxProperties::fullySoldGainIndependentOfMethod() {
    QFETCH(quint64, seed);
    QFETCH(int, transactions);
    const QList<TaxTransaction> ledger =
        LedgerGenerator::generate(ledgerOptions(seed, transactions, true));
    const LedgerFigures expected = figuresOf(ledger, false);
    const Decimal gain = expected.proceeds - expected.basis;

    int runs = 0;
    for (LotScope scope : {LotScope::Universal, LotScope::Wallet, LotScope::Auto}) {
        for (CostBasisMethod method :
             {CostBasisMethod::Fifo, CostBasisMethod::Lifo, CostBasisMethod::Hifo}) {
            const Result<TaxResult> run = TaxEngine::run(ledger, usOptions(method, scope));
            QVERIFY2(run.ok(), qPrintable(run.error()));
            const TaxResult& r = run.value();
            QVERIFY(r.holdings().isEmpty());
            QCOMPARE(shortfalls(r), 0);
            const TaxSummary s = r.exactSummary();
            QCOMPARE(s.netCapitalGains.toString(), gain.toString());
            QCOMPARE((s.shortTermGains + s.longTermGains).toString(), gain.toString());
            ++runs;
        }
    }
    QCOMPARE(runs, 9);
}

void TestTaxProperties::printedTotalsAreSumsOfPrintedRows_data() {
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("transactions");
    QTest::addColumn<bool>("wholeLedger"); // else the report covers 2022
    int size = 300;
    for (quint64 seed : kSeeds) {
        QTest::newRow(qPrintable(QStringLiteral("seed %1, %2 rows").arg(seed).arg(size)))
            << seed << size << false;
        size += 250;
    }
    // More than TaxResult::kParallelFinalizeDisposals disposals: the summary is then added up
    // in two halves on two threads.
    QTest::newRow("seed 5, 300000 rows, whole ledger") << quint64(5) << 300000 << true;
}

void TestTaxProperties::printedTotalsAreSumsOfPrintedRows() {
    QFETCH(quint64, seed);
    QFETCH(int, transactions);
    QFETCH(bool, wholeLedger);
    LedgerGeneratorOptions g = ledgerOptions(seed, transactions, false);
    g.departures = true; // every kind of row
    g.lossBasisGifts = true;
    g.shortTransfers = true;
    const QList<TaxTransaction> ledger = LedgerGenerator::generate(g);
    TaxOptions options = usOptions(CostBasisMethod::Hifo, LotScope::Auto);
    if (!wholeLedger) {
        options.periodStart = QDate(2022, 1, 1);
        options.periodEnd = QDate(2022, 12, 31);
    }
    const Result<TaxResult> run = TaxEngine::run(ledger, options);
    QVERIFY2(run.ok(), qPrintable(run.error()));
    const TaxResult& r = run.value();
    QVERIFY(r.disposalCount() > 0);
    if (wholeLedger) {
        // The rows of one disposal are consecutive, one per term in rising order: a row that
        // names another transaction or does not rise in term starts another disposal.
        quint32 disposals = 1;
        for (int i = 1; i < r.disposalCount(); ++i) {
            const Disposal a = r.disposal(i - 1);
            const Disposal b = r.disposal(i);
            disposals += a.transactionId != b.transactionId || b.term <= a.term ? 1 : 0;
        }
        QVERIFY2(disposals >= TaxResult::kParallelFinalizeDisposals,
                 qPrintable(QString::number(disposals)));
    }

    TaxSummary sum;
    const Decimal oneCent = Decimal::fromScaled(1, 2);
    for (int i = 0; i < r.disposalCount(); ++i) {
        const Disposal p = r.printedDisposal(i);
        if (!wholeLedger)
            QCOMPARE(p.dateSold.year(), 2022);
        QCOMPARE(p.proceeds, p.proceeds.round(2, RoundingMode::HalfUp));
        QCOMPARE(p.gain, p.proceeds - p.costBasis);
        Decimal lotCost;
        Decimal lotProceeds;
        for (const LotMatch& m : p.lots) {
            QCOMPARE(m.costBasis.scale() <= 2, true);
            lotCost += m.costBasis;
            lotProceeds += m.proceeds;
        }
        QCOMPARE(lotCost, p.costBasis);
        QCOMPARE(lotProceeds, p.proceeds);
        // Printing moves a row by less than a cent from its exact value.
        const Disposal e = r.disposal(i);
        QVERIFY((e.costBasis - p.costBasis).abs() < oneCent);
        (p.term == Term::Short ? sum.shortTermGains : sum.longTermGains) += p.gain;
        if (p.gain.isPositive())
            sum.totalCapitalGains += p.gain;
        else
            sum.totalCapitalLosses -= p.gain;
    }
    for (int i = 0; i < r.incomeCount(); ++i)
        sum.totalIncome += r.printedIncome(i).value;
    for (int i = 0; i < r.expenseCount(); ++i)
        sum.totalExpenses += r.printedExpense(i).value;
    sum.netCapitalGains = sum.totalCapitalGains - sum.totalCapitalLosses;
    sum.totalTransactions = r.summary().totalTransactions;
    QCOMPARE(r.summary(), sum);
    QVERIFY(r.summary().totalTransactions > 0);
    QCOMPARE(r.summary().netCapitalGains, r.summary().shortTermGains + r.summary().longTermGains);
}

QTEST_GUILESS_MAIN(TestTaxProperties)
#include "TestTaxProperties.moc"
