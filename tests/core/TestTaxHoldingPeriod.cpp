// The US holding period (IRS Publication 544): long term when held more than one year,
// counting from the day after the acquisition; our leap-day rule; dates in the tax time zone.

#include "tax/HoldingPeriod.h"
#include "tax/TaxEngine.h"

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

Decimal dec(const char* s) {
    return Decimal::parse(QByteArrayView(s)).value();
}

TaxTransaction row(const QString& id, const QString& when, TransactionType type) {
    TaxTransaction t;
    t.id = id;
    t.timestamp = Timestamp::parse(when).value();
    t.transactionType = type;
    return t;
}

// Buys 1 BTC for 1000 USD at `acquiredAt` and sells it for 1500 USD at `soldAt`.
QList<TaxTransaction> roundTrip(const QString& acquiredAt, const QString& soldAt) {
    TaxTransaction buy = row(QStringLiteral("buy"), acquiredAt, TransactionType::Buy);
    buy.assetInSymbol = QStringLiteral("BTC");
    buy.assetInAmount = dec("1");
    buy.assetOutSymbol = QStringLiteral("USD");
    buy.assetOutAmount = dec("1000");
    TaxTransaction sell = row(QStringLiteral("sell"), soldAt, TransactionType::Sell);
    sell.assetOutSymbol = QStringLiteral("BTC");
    sell.assetOutAmount = dec("1");
    sell.assetInSymbol = QStringLiteral("USD");
    sell.assetInAmount = dec("1500");
    return {buy, sell};
}

} // namespace

class TestTaxHoldingPeriod : public QObject {
    Q_OBJECT

private slots:
    void longTerm_data();
    void longTerm();
    void engineTerm_data() { longTerm_data(); }
    void engineTerm();
    void timeZoneDecidesTheDates_data();
    void timeZoneDecidesTheDates();
};

void TestTaxHoldingPeriod::longTerm_data() {
    QTest::addColumn<QDate>("acquired");
    QTest::addColumn<QDate>("disposed");
    QTest::addColumn<bool>("isLong");
    QTest::addColumn<qint64>("days");
    // The example: exactly one year is short, one year and a day is long.
    QTest::newRow("one year: short")
        << QDate(2024, 3, 15) << QDate(2025, 3, 15) << false << qint64(365);
    QTest::newRow("one year and a day: long")
        << QDate(2024, 3, 15) << QDate(2025, 3, 16) << true << qint64(366);
    QTest::newRow("a day short of a year")
        << QDate(2024, 3, 15) << QDate(2025, 3, 14) << false << qint64(364);
    QTest::newRow("same day") << QDate(2024, 3, 15) << QDate(2024, 3, 15) << false << qint64(0);
    // Leap day: the anniversary of 29 February is 28 February.
    QTest::newRow("leap day acquired, sold 28 Feb: short")
        << QDate(2024, 2, 29) << QDate(2025, 2, 28) << false << qint64(365);
    QTest::newRow("leap day acquired, sold 1 Mar: long")
        << QDate(2024, 2, 29) << QDate(2025, 3, 1) << true << qint64(366);
    // A year containing 29 February is still one year: 366 days and short.
    QTest::newRow("across a leap day, one year: short")
        << QDate(2023, 3, 1) << QDate(2024, 3, 1) << false << qint64(366);
    QTest::newRow("across a leap day, a year and a day: long")
        << QDate(2023, 3, 1) << QDate(2024, 3, 2) << true << qint64(367);
    QTest::newRow("sold on a leap day after 28 Feb acquisition: long")
        << QDate(2023, 2, 28) << QDate(2024, 2, 29) << true << qint64(366);
    QTest::newRow("year end") << QDate(2024, 12, 31) << QDate(2025, 12, 31) << false << qint64(365);
    QTest::newRow("year end plus one")
        << QDate(2024, 12, 31) << QDate(2026, 1, 1) << true << qint64(366);
}

void TestTaxHoldingPeriod::longTerm() {
    QFETCH(QDate, acquired);
    QFETCH(QDate, disposed);
    QFETCH(bool, isLong);
    QFETCH(qint64, days);
    QCOMPARE(HoldingPeriod::isLongTerm(acquired, disposed), isLong);
    QCOMPARE(HoldingPeriod::daysHeld(acquired, disposed), days);
    QCOMPARE(disposed >= HoldingPeriod::longTermFrom(acquired), isLong);
}

void TestTaxHoldingPeriod::engineTerm() {
    QFETCH(QDate, acquired);
    QFETCH(QDate, disposed);
    QFETCH(bool, isLong);
    QFETCH(qint64, days);
    const QString at = QStringLiteral("T12:00:00Z");
    TaxOptions options;
    options.scope = LotScope::Universal;
    const Result<TaxResult> r = TaxEngine::run(
        roundTrip(acquired.toString(Qt::ISODate) + at, disposed.toString(Qt::ISODate) + at),
        options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->disposalCount(), 1);
    const Disposal d = r->disposal(0);
    QCOMPARE(toString(d.term), toString(isLong ? Term::Long : Term::Short));
    QCOMPARE(d.lots.size(), 1);
    QCOMPARE(d.lots[0].holdingDays, days);
    QCOMPARE(d.dateAcquired, acquired);
    QCOMPARE(d.dateSold, disposed);
    const TaxSummary s = r->summary();
    QCOMPARE(s.longTermGains, isLong ? dec("500") : Decimal());
    QCOMPARE(s.shortTermGains, isLong ? Decimal() : dec("500"));
}

void TestTaxHoldingPeriod::timeZoneDecidesTheDates_data() {
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QDate>("acquired");
    QTest::addColumn<QDate>("sold");
    QTest::addColumn<bool>("isLong");
    // Bought 2024-03-15 23:30 UTC, sold 2025-03-16 02:00 UTC.
    QTest::newRow("UTC") << QStringLiteral("UTC") << QDate(2024, 3, 15) << QDate(2025, 3, 16)
                         << true;
    QTest::newRow("New York") << QStringLiteral("America/New_York") << QDate(2024, 3, 15)
                              << QDate(2025, 3, 15) << false;
    QTest::newRow("Tokyo") << QStringLiteral("Asia/Tokyo") << QDate(2024, 3, 16)
                           << QDate(2025, 3, 16) << false;
}

void TestTaxHoldingPeriod::timeZoneDecidesTheDates() {
    QFETCH(QString, zone);
    QFETCH(QDate, acquired);
    QFETCH(QDate, sold);
    QFETCH(bool, isLong);
    TaxOptions options;
    options.timeZone = QTimeZone(zone.toUtf8());
    QVERIFY(options.timeZone.isValid());
    const Result<TaxResult> r = TaxEngine::run(
        roundTrip(QStringLiteral("2024-03-15T23:30:00Z"), QStringLiteral("2025-03-16T02:00:00Z")),
        options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const Disposal d = r->disposal(0);
    QCOMPARE(d.dateAcquired, acquired);
    QCOMPARE(d.dateSold, sold);
    QCOMPARE(toString(d.term), toString(isLong ? Term::Long : Term::Short));
}

QTEST_GUILESS_MAIN(TestTaxHoldingPeriod)
#include "TestTaxHoldingPeriod.moc"
