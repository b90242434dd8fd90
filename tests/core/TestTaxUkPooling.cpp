// UK matching rules beyond HMRC's published examples (those are in TestTaxGolden): the same-day
// rule's priority over an earlier disposal's 30-day match, the day in Europe/London, one row per
// token and day across wallets, the 30 days reaching past the end of the tax year, shortfalls,
// gifts and tokens of unknown cost.

#include "tax/TaxEngine.h"

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

Decimal dec(const char* s) {
    return Decimal::parse(QByteArrayView(s)).value();
}

TaxTransaction trade(const char* id, const char* when, TransactionType type, const char* asset,
                     const char* amount, const char* gbp, const char* wallet = "default") {
    TaxTransaction t;
    t.id = QLatin1String(id);
    t.timestamp = Timestamp::parse(QString::fromLatin1(when)).value();
    t.transactionType = type;
    t.wallet = QLatin1String(wallet);
    const bool buying = type == TransactionType::Buy;
    (buying ? t.assetInSymbol : t.assetOutSymbol) = QLatin1String(asset);
    (buying ? t.assetInAmount : t.assetOutAmount) = dec(amount);
    (buying ? t.assetOutSymbol : t.assetInSymbol) = QStringLiteral("GBP");
    (buying ? t.assetOutAmount : t.assetInAmount) = dec(gbp);
    return t;
}

TaxTransaction buy(const char* id, const char* when, const char* amount, const char* gbp,
                   const char* wallet = "default") {
    return trade(id, when, TransactionType::Buy, "TOK", amount, gbp, wallet);
}

TaxTransaction sell(const char* id, const char* when, const char* amount, const char* gbp,
                    const char* wallet = "default") {
    return trade(id, when, TransactionType::Sell, "TOK", amount, gbp, wallet);
}

TaxOptions uk() {
    TaxOptions o;
    o.jurisdiction = Jurisdiction::UnitedKingdom;
    o.timeZone = QTimeZone(QByteArrayLiteral("Europe/London"));
    o.currency = QStringLiteral("GBP");
    return o;
}

QStringList rules(const Disposal& d) {
    QStringList list;
    for (const LotMatch& m : d.lots)
        list << toString(m.rule) + QLatin1Char(':') + m.amount.toString() + QLatin1Char('@') +
                    m.costBasis.toString();
    return list;
}

} // namespace

class TestTaxUkPooling : public QObject {
    Q_OBJECT

private slots:
    void sameDayRuleComesBeforeAnEarlierThirtyDayMatch();
    void dayIsTakenInTheTaxZone_data();
    void dayIsTakenInTheTaxZone();
    void oneRowPerTokenAndDayAcrossWallets();
    void thirtyDaysReachPastTheTaxYear();
    void shortfallIsReportedNotFatal();
    void giftsAreAtMarketValue();
    void unknownCostIsFlagged();
};

void TestTaxUkPooling::sameDayRuleComesBeforeAnEarlierThirtyDayMatch() {
    // Day 5's acquisition of 100 is first matched with day 5's own disposal of 60; only the other
    // 40 can go to day 1's disposal under the 30-day rule, the rest of which comes from the pool.
    const QList<TaxTransaction> ledger = {
        buy("p", "2024-05-01T10:00:00Z", "1000", "1000"),
        sell("s1", "2024-06-01T10:00:00Z", "100", "200"),
        buy("b5", "2024-06-05T09:00:00Z", "100", "150"),
        sell("s5", "2024-06-05T15:00:00Z", "60", "100"),
    };
    const Result<TaxResult> r = TaxEngine::run(ledger, uk());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->disposalCount(), 2);
    const Disposal day1 = r->disposal(0);
    QCOMPARE(day1.transactionId, QStringLiteral("s1"));
    QCOMPARE(rules(day1), QStringList({QStringLiteral("thirty_day:40@60"),
                                       QStringLiteral("section_104:60@60")}));
    QCOMPARE(day1.gain, dec("80"));
    const Disposal day5 = r->disposal(1);
    QCOMPARE(rules(day5), QStringList({QStringLiteral("same_day:60@90")}));
    QCOMPARE(day5.gain, dec("10"));
    QCOMPARE(r->holdings().size(), 1);
    QCOMPARE(r->holdings()[0].amount, dec("940"));
    QCOMPARE(r->holdings()[0].costBasis, dec("940"));
}

void TestTaxUkPooling::dayIsTakenInTheTaxZone_data() {
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QDate>("dateSold");
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    QTest::newRow("London") << QStringLiteral("Europe/London") << QStringLiteral("same_day")
                            << QDate(2024, 7, 1);
    QTest::newRow("UTC") << QStringLiteral("UTC") << QStringLiteral("thirty_day")
                         << QDate(2024, 6, 30);
}

void TestTaxUkPooling::dayIsTakenInTheTaxZone() {
    QFETCH(QString, zone);
    QFETCH(QString, rule);
    QFETCH(QDate, dateSold);
    TaxOptions options = uk();
    options.timeZone = QTimeZone(zone.toUtf8());
    const Result<TaxResult> r = TaxEngine::run({buy("p", "2024-05-01T10:00:00Z", "10", "10"),
                                                sell("s", "2024-06-30T23:30:00Z", "5", "50"),
                                                buy("b", "2024-07-01T10:00:00+01:00", "5", "40")},
                                               options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->disposalCount(), 1);
    QCOMPARE(r->disposal(0).dateSold, dateSold);
    QCOMPARE(toString(r->disposal(0).lots[0].rule), rule);
    QCOMPARE(r->disposal(0).costBasis, dec("40"));
}

void TestTaxUkPooling::oneRowPerTokenAndDayAcrossWallets() {
    const Result<TaxResult> r =
        TaxEngine::run({buy("a", "2024-05-01T10:00:00Z", "10", "100", "alpha"),
                        buy("b", "2024-05-02T10:00:00Z", "10", "300", "beta"),
                        sell("s1", "2024-08-01T09:00:00Z", "4", "100", "alpha"),
                        sell("s2", "2024-08-01T17:00:00Z", "6", "170", "beta")},
                       uk());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->disposalCount(), 1);
    const Disposal d = r->disposal(0);
    QCOMPARE(d.transactionCount, 2);
    QCOMPARE(d.transactionId, QStringLiteral("s1"));
    QVERIFY(d.wallet.isEmpty()); // several wallets
    QCOMPARE(d.amount, dec("10"));
    QCOMPARE(d.proceeds, dec("270"));
    QCOMPARE(d.costBasis, dec("200")); // half of the pool of 20 for 400
    QCOMPARE(toString(d.term), toString(Term::None));
}

void TestTaxUkPooling::thirtyDaysReachPastTheTaxYear() {
    // Sold on the last day of tax year 2024 (5 April 2025), bought back on 20 April 2025: the
    // match is the repurchase, although it falls in the next tax year.
    const QList<TaxTransaction> ledger = {
        buy("p", "2024-06-01T10:00:00Z", "100", "100"),
        sell("s", "2025-04-05T12:00:00+01:00", "10", "50"),
        sell("t", "2025-04-06T12:00:00+01:00", "10", "60"),
        buy("r", "2025-04-20T12:00:00+01:00", "10", "45"),
    };
    const Result<TaxResult> r =
        TaxEngine::run(ledger, TaxOptions::forTaxYear(Jurisdiction::UnitedKingdom, 2024));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->disposalCount(), 1);
    QCOMPARE(r->disposal(0).dateSold, QDate(2025, 4, 5));
    QCOMPARE(rules(r->disposal(0)), QStringList({QStringLiteral("thirty_day:10@45")}));
    QCOMPARE(r->summary().netCapitalGains, dec("5.00"));
    QCOMPARE(r->summary().totalTransactions, qint64(2));
    // Holdings at the end of the period: the pool, untouched by the matched disposal.
    QCOMPARE(r->holdings()[0].amount, dec("100"));

    const Result<TaxResult> next =
        TaxEngine::run(ledger, TaxOptions::forTaxYear(Jurisdiction::UnitedKingdom, 2025));
    QVERIFY2(next.ok(), qPrintable(next.error()));
    QCOMPARE(next->disposalCount(), 1);
    QCOMPARE(next->disposal(0).transactionId, QStringLiteral("t"));
    // The repurchase went to the earlier disposal, so this one comes from the pool.
    QCOMPARE(rules(next->disposal(0)), QStringList({QStringLiteral("section_104:10@10")}));
}

void TestTaxUkPooling::shortfallIsReportedNotFatal() {
    const Result<TaxResult> r = TaxEngine::run({buy("p", "2024-06-01T10:00:00Z", "5", "50"),
                                                sell("s", "2024-07-01T10:00:00Z", "8", "120")},
                                               uk());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Disposal d = r->disposal(0);
    QCOMPARE(rules(d),
             QStringList({QStringLiteral("section_104:5@50"), QStringLiteral("shortfall:3@0")}));
    QCOMPARE(d.gain, dec("70"));
    QCOMPARE(r->warnings().size(), 1);
    QCOMPARE(toString(r->warnings()[0].code), toString(WarningCode::MissingCostBasis));
    QCOMPARE(r->warnings()[0].amount, dec("3"));
    QVERIFY(r->holdings().isEmpty());
}

void TestTaxUkPooling::giftsAreAtMarketValue() {
    TaxTransaction received;
    received.id = QStringLiteral("g1");
    received.timestamp = Timestamp::parse(QStringLiteral("2024-06-01T10:00:00Z")).value();
    received.transactionType = TransactionType::Gift;
    received.assetInSymbol = QStringLiteral("TOK");
    received.assetInAmount = dec("10");
    received.assetInValueUsd = dec("300"); // market value (the report currency's column)
    received.costBasisUsd = dec("100");    // the donor's cost: irrelevant in the UK
    TaxTransaction given = received;
    given.id = QStringLiteral("g2");
    given.timestamp = Timestamp::parse(QStringLiteral("2024-09-01T10:00:00Z")).value();
    given.assetInSymbol.reset();
    given.assetInAmount.reset();
    given.assetInValueUsd.reset();
    given.costBasisUsd.reset();
    given.assetOutSymbol = QStringLiteral("TOK");
    given.assetOutAmount = dec("4");
    given.assetOutValueUsd = dec("200");
    const Result<TaxResult> r = TaxEngine::run({received, given}, uk());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->disposalCount(), 1);
    QCOMPARE(toString(r->disposal(0).kind), toString(DisposalKind::Gift));
    QCOMPARE(r->disposal(0).proceeds, dec("200"));
    QCOMPARE(r->disposal(0).costBasis, dec("120"));
    QCOMPARE(r->incomeCount(), 0);
}

void TestTaxUkPooling::unknownCostIsFlagged() {
    TaxTransaction in;
    in.id = QStringLiteral("in");
    in.timestamp = Timestamp::parse(QStringLiteral("2024-06-01T10:00:00Z")).value();
    in.transactionType = TransactionType::TransferIn;
    in.assetInSymbol = QStringLiteral("TOK");
    in.assetInAmount = dec("10");
    const Result<TaxResult> r =
        TaxEngine::run({in, sell("s", "2024-09-01T10:00:00Z", "4", "40")}, uk());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->warnings().size(), 2);
    QCOMPARE(toString(r->warnings()[0].code), toString(WarningCode::MissingCostBasis));
    QCOMPARE(r->warnings()[0].transactionId, QStringLiteral("in"));
    QCOMPARE(toString(r->warnings()[1].code), toString(WarningCode::MissingCostBasis));
    QCOMPARE(r->warnings()[1].transactionId, QStringLiteral("s"));
    QVERIFY(r->disposal(0).lots[0].unknownBasis);
    QCOMPARE(r->disposal(0).gain, dec("40"));
}

QTEST_GUILESS_MAIN(TestTaxUkPooling)
#include "TestTaxUkPooling.moc"
