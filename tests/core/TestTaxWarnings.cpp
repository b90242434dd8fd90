// What the engine does with rows it can only use with an assumption (a warning with a code, the
// report goes on) and with input it must refuse (out of order, unusable options).

#include "tax/TaxEngine.h"

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

Decimal dec(const char* s) {
    return Decimal::parse(QByteArrayView(s)).value();
}

TaxTransaction at(const char* id, const char* when, TransactionType type) {
    TaxTransaction t;
    t.id = QLatin1String(id);
    t.timestamp = Timestamp::parse(QString::fromLatin1(when)).value();
    t.transactionType = type;
    return t;
}

TaxTransaction buy(const char* id, const char* when, const char* amount, const char* usd) {
    TaxTransaction t = at(id, when, TransactionType::Buy);
    t.assetInSymbol = QStringLiteral("SOL");
    t.assetInAmount = dec(amount);
    t.assetOutSymbol = QStringLiteral("USD");
    t.assetOutAmount = dec(usd);
    return t;
}

TaxTransaction sell(const char* id, const char* when, const char* amount, const char* usd) {
    TaxTransaction t = at(id, when, TransactionType::Sell);
    t.assetOutSymbol = QStringLiteral("SOL");
    t.assetOutAmount = dec(amount);
    if (usd) {
        t.assetInSymbol = QStringLiteral("USD");
        t.assetInAmount = dec(usd);
    }
    return t;
}

QStringList codes(const TaxResult& r) {
    QStringList list;
    for (const TaxWarning& w : r.warnings()) {
        list << toString(w.code) + QLatin1Char('@') + w.transactionId;
        if (w.message.isEmpty())
            list << QStringLiteral("empty message");
    }
    return list;
}

} // namespace

class TestTaxWarnings : public QObject {
    Q_OBJECT

private slots:
    void assumptions_data();
    void assumptions();
    void specificIdentification_data();
    void specificIdentification();
    void outOfOrderRowStopsTheRun();
    void unusableOptionsStopTheRun();
    void softDeletedRowsAreIgnored();
};

void TestTaxWarnings::assumptions_data() {
    QTest::addColumn<QList<TaxTransaction>>("rows");
    QTest::addColumn<QStringList>("warnings");
    QTest::addColumn<QString>("gain"); // of the last disposal row

    TaxTransaction noValue = sell("s", "2024-05-01T10:00:00Z", "1", nullptr);
    QTest::newRow("sale without any value")
        << QList<TaxTransaction>{buy("b", "2024-01-01T10:00:00Z", "1", "100"), noValue}
        << QStringList{QStringLiteral("missing_value@s")} << QStringLiteral("-100");

    QTest::newRow("sale larger than the lots")
        << QList<TaxTransaction>{buy("b", "2024-01-01T10:00:00Z", "1", "100"),
                                 sell("s", "2024-05-01T10:00:00Z", "3", "600")}
        << QStringList{QStringLiteral("missing_cost_basis@s")} << QStringLiteral("500");

    TaxTransaction fee = at("f", "2024-05-01T10:00:00Z", TransactionType::Fee);
    fee.feeSymbol = QStringLiteral("SOL");
    fee.feeAmount = dec("0.5");
    QTest::newRow("crypto fee without a value")
        << QList<TaxTransaction>{buy("b", "2024-01-01T10:00:00Z", "1", "100"), fee}
        << QStringList{QStringLiteral("missing_fee_value@f")} << QStringLiteral("-50");

    TaxTransaction cash = at("c", "2024-05-01T10:00:00Z", TransactionType::Buy);
    cash.assetInSymbol = QStringLiteral("EUR");
    cash.assetInAmount = dec("90");
    cash.assetOutSymbol = QStringLiteral("USD");
    cash.assetOutAmount = dec("100");
    QTest::newRow("fiat for fiat")
        << QList<TaxTransaction>{buy("b", "2024-01-01T10:00:00Z", "1", "100"), cash,
                                 sell("s", "2024-06-01T10:00:00Z", "1", "150")}
        << QStringList{QStringLiteral("unsupported_transaction@c")} << QStringLiteral("50");

    TaxTransaction negative = buy("n", "2024-02-01T10:00:00Z", "1", "100");
    negative.assetInAmount = dec("-1");
    QTest::newRow("negative amount: row left out")
        << QList<TaxTransaction>{buy("b", "2024-01-01T10:00:00Z", "1", "100"), negative,
                                 sell("s", "2024-06-01T10:00:00Z", "1", "150")}
        << QStringList{QStringLiteral("unsupported_transaction@n")} << QStringLiteral("50");

    TaxTransaction reward = at("r", "2024-02-01T10:00:00Z", TransactionType::StakingReward);
    reward.assetInSymbol = QStringLiteral("SOL");
    reward.assetInAmount = dec("1");
    QTest::newRow("income without a value")
        << QList<TaxTransaction>{reward, sell("s", "2024-06-01T10:00:00Z", "1", "150")}
        << QStringList{QStringLiteral("missing_value@r"), QStringLiteral("missing_cost_basis@s")}
        << QStringLiteral("150");

    TaxTransaction gift = at("g", "2024-02-01T10:00:00Z", TransactionType::Gift);
    gift.assetInSymbol = QStringLiteral("SOL");
    gift.assetInAmount = dec("1");
    gift.assetInValueUsd = dec("120");
    QTest::newRow("gift without the donor's basis")
        << QList<TaxTransaction>{gift, sell("s", "2024-06-01T10:00:00Z", "1", "150")}
        << QStringList{QStringLiteral("missing_cost_basis@g"),
                       QStringLiteral("missing_cost_basis@s")}
        << QStringLiteral("150");
}

void TestTaxWarnings::assumptions() {
    QFETCH(QList<TaxTransaction>, rows);
    QFETCH(QStringList, warnings);
    QFETCH(QString, gain);
    const Result<TaxResult> r = TaxEngine::run(rows, TaxOptions());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(codes(r.value()), warnings);
    QVERIFY(r->disposalCount() > 0);
    QCOMPARE(r->disposal(r->disposalCount() - 1).gain.toString(), gain);
}

void TestTaxWarnings::specificIdentification_data() {
    QTest::addColumn<QList<LotSelection>>("selections");
    QTest::addColumn<QStringList>("lots"); // lot:amount of the sale
    QTest::addColumn<int>("warnings");
    const auto pick = [](const char* lot, const char* amount) {
        return LotSelection{QLatin1String(lot), dec(amount)};
    };
    QTest::newRow("as named") << QList<LotSelection>{pick("b2", "1"), pick("b3", "0.5")}
                              << QStringList{QStringLiteral("b2:1"), QStringLiteral("b3:0.5")} << 0;
    QTest::newRow("nothing named: first in, first out")
        << QList<LotSelection>{} << QStringList{QStringLiteral("b1:1"), QStringLiteral("b2:0.5")}
        << 1;
    QTest::newRow("a lot that does not exist")
        << QList<LotSelection>{pick("zz", "1.5")}
        << QStringList{QStringLiteral("b1:1"), QStringLiteral("b2:0.5")} << 2;
    QTest::newRow("more than the lot holds")
        << QList<LotSelection>{pick("b3", "1.5")}
        << QStringList{QStringLiteral("b3:1"), QStringLiteral("b1:0.5")} << 2;
    QTest::newRow("more than the sale")
        << QList<LotSelection>{pick("b3", "1"), pick("b2", "1")}
        << QStringList{QStringLiteral("b3:1"), QStringLiteral("b2:0.5")} << 1;
}

void TestTaxWarnings::specificIdentification() {
    QFETCH(QList<LotSelection>, selections);
    QFETCH(QStringList, lots);
    QFETCH(int, warnings);
    TaxOptions options;
    options.method = CostBasisMethod::Specific;
    if (!selections.isEmpty())
        options.lotSelections.insert(QStringLiteral("s"), selections);
    const Result<TaxResult> r = TaxEngine::run({buy("b1", "2024-01-01T10:00:00Z", "1", "100"),
                                                buy("b2", "2024-02-01T10:00:00Z", "1", "200"),
                                                buy("b3", "2024-03-01T10:00:00Z", "1", "300"),
                                                sell("s", "2024-06-01T10:00:00Z", "1.5", "600")},
                                               options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QStringList got;
    for (const Disposal& d : r->disposals()) {
        for (const LotMatch& m : d.lots)
            got << m.lotId + QLatin1Char(':') + m.amount.toString();
    }
    QCOMPARE(got, lots);
    QCOMPARE(int(r->warnings().size()), warnings);
    for (const TaxWarning& w : r->warnings())
        QCOMPARE(toString(w.code), toString(WarningCode::LotSelectionMismatch));
}

void TestTaxWarnings::outOfOrderRowStopsTheRun() {
    TaxEngine engine{TaxOptions()};
    QVERIFY(engine.add(buy("b", "2024-02-01T10:00:00Z", "1", "100")).ok());
    const Status late = engine.add(buy("a", "2024-01-01T10:00:00Z", "1", "100"));
    QVERIFY(!late.ok());
    QVERIFY2(late.error().contains(QLatin1String("order")), qPrintable(late.error()));
    const Status same = engine.add(buy("b", "2024-02-01T10:00:00Z", "1", "100"));
    QVERIFY(!same.ok());
    const Result<TaxResult> r = engine.finish();
    QVERIFY(!r.ok());
    QCOMPARE(r.error(), late.error());
}

void TestTaxWarnings::unusableOptionsStopTheRun() {
    TaxOptions options;
    options.periodStart = QDate(2024, 12, 31);
    options.periodEnd = QDate(2024, 1, 1);
    const Result<TaxResult> r =
        TaxEngine::run({buy("b", "2024-02-01T10:00:00Z", "1", "100")}, options);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QLatin1String("2024-01-01")), qPrintable(r.error()));
}

void TestTaxWarnings::softDeletedRowsAreIgnored() {
    TaxTransaction gone = buy("b2", "2024-02-01T10:00:00Z", "1", "900");
    gone.deletedAt = Timestamp::parse(QStringLiteral("2024-03-01T10:00:00Z")).value();
    const Result<TaxResult> r = TaxEngine::run({buy("b1", "2024-01-01T10:00:00Z", "1", "100"), gone,
                                                sell("s", "2024-06-01T10:00:00Z", "1", "150")},
                                               TaxOptions());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->summary().totalTransactions, qint64(2));
    QCOMPARE(r->disposal(0).costBasis, dec("100"));
    QVERIFY(r->holdings().isEmpty());
}

QTEST_GUILESS_MAIN(TestTaxWarnings)
#include "TestTaxWarnings.moc"
