#include "app/MoneyFormat.h"

#include <QtTest>

using namespace llamadesk;

// Money as every screen shows it: converted to the display currency, rounded to cents, with the
// locale's separators and the currency's symbol.
class TestMoneyFormat : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanupTestCase();
    void money_data();
    void money();
    void percent_data();
    void percent();
    void amountKeepsEveryDigit();
    void invalidRateFallsBackToDollars();
};

namespace {

Decimal dec(const char* text) {
    return Decimal::parse(QByteArrayView(text)).value();
}

} // namespace

void TestMoneyFormat::init() {
    app::MoneyFormat::setCurrency(app::DisplayCurrency());
    app::MoneyFormat::setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestMoneyFormat::cleanupTestCase() {
    init();
}

void TestMoneyFormat::money_data() {
    QTest::addColumn<QString>("usd");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("usdPerUnit");
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("expectedSigned");
    QTest::newRow("dollars") << QStringLiteral("1234.5") << QStringLiteral("USD")
                             << QStringLiteral("1") << QStringLiteral("en_US")
                             << QStringLiteral("$1,234.50") << QStringLiteral("+$1,234.50");
    QTest::newRow("negative") << QStringLiteral("-12") << QStringLiteral("USD")
                              << QStringLiteral("1") << QStringLiteral("en_US")
                              << QStringLiteral("-$12.00") << QStringLiteral("-$12.00");
    QTest::newRow("zero") << QStringLiteral("0") << QStringLiteral("USD") << QStringLiteral("1")
                          << QStringLiteral("en_US") << QStringLiteral("$0.00")
                          << QStringLiteral("$0.00");
    QTest::newRow("half-even down")
        << QStringLiteral("0.125") << QStringLiteral("USD") << QStringLiteral("1")
        << QStringLiteral("en_US") << QStringLiteral("$0.12") << QStringLiteral("+$0.12");
    QTest::newRow("half-even up") << QStringLiteral("0.135") << QStringLiteral("USD")
                                  << QStringLiteral("1") << QStringLiteral("en_US")
                                  << QStringLiteral("$0.14") << QStringLiteral("+$0.14");
    QTest::newRow("euro, German separators")
        << QStringLiteral("1100") << QStringLiteral("EUR") << QStringLiteral("1.1")
        << QStringLiteral("de_DE") << QStringLiteral("€1.000,00") << QStringLiteral("+€1.000,00");
    QTest::newRow("pound") << QStringLiteral("127") << QStringLiteral("GBP")
                           << QStringLiteral("1.27") << QStringLiteral("en_GB")
                           << QStringLiteral("£100.00") << QStringLiteral("+£100.00");
    QTest::newRow("code after digits")
        << QStringLiteral("2250") << QStringLiteral("CHF") << QStringLiteral("1.125")
        << QStringLiteral("de_CH") << QStringLiteral("2’000.00 CHF")
        << QStringLiteral("+2’000.00 CHF");
    QTest::newRow("largest") << QStringLiteral("99999999999999999999.99") << QStringLiteral("USD")
                             << QStringLiteral("1") << QStringLiteral("en_US")
                             << QStringLiteral("$99,999,999,999,999,999,999.99")
                             << QStringLiteral("+$99,999,999,999,999,999,999.99");
}

void TestMoneyFormat::money() {
    QFETCH(QString, usd);
    QFETCH(QString, currency);
    QFETCH(QString, usdPerUnit);
    QFETCH(QString, locale);
    QFETCH(QString, expected);
    QFETCH(QString, expectedSigned);
    app::DisplayCurrency display;
    display.code = currency;
    display.usdPerUnit = Decimal::parse(QStringView(usdPerUnit)).value();
    app::MoneyFormat::setCurrency(display);
    app::MoneyFormat::setLocale(QLocale(locale));
    const Decimal value = Decimal::parse(QStringView(usd)).value();
    QCOMPARE(app::MoneyFormat::money(value), expected);
    QCOMPARE(app::MoneyFormat::signedMoney(value), expectedSigned);
}

void TestMoneyFormat::percent_data() {
    QTest::addColumn<QString>("ratio");
    QTest::addColumn<bool>("withSign");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("0.1234") << false << QStringLiteral("12.34%");
    QTest::newRow("signed gain") << QStringLiteral("0.1234") << true << QStringLiteral("+12.34%");
    QTest::newRow("signed loss") << QStringLiteral("-0.5") << true << QStringLiteral("-50.00%");
    QTest::newRow("tie to even") << QStringLiteral("0.000125") << false << QStringLiteral("0.01%");
    QTest::newRow("zero has no sign") << QStringLiteral("0") << true << QStringLiteral("0.00%");
}

void TestMoneyFormat::percent() {
    QFETCH(QString, ratio);
    QFETCH(bool, withSign);
    QFETCH(QString, expected);
    QCOMPARE(app::MoneyFormat::percent(Decimal::parse(QStringView(ratio)).value(), withSign),
             expected);
}

void TestMoneyFormat::amountKeepsEveryDigit() {
    QCOMPARE(app::MoneyFormat::amount(dec("1234.000000000000000001")),
             QStringLiteral("1,234.000000000000000001"));
    QCOMPARE(app::MoneyFormat::money(Decimal::invalid()), QStringLiteral("—"));
}

void TestMoneyFormat::invalidRateFallsBackToDollars() {
    app::DisplayCurrency display;
    display.code = QStringLiteral("EUR");
    display.usdPerUnit = Decimal::fromInt(0);
    app::MoneyFormat::setCurrency(display);
    QCOMPARE(app::MoneyFormat::currency().code, QStringLiteral("USD"));
    QCOMPARE(app::MoneyFormat::money(dec("5")), QStringLiteral("$5.00"));
}

QTEST_GUILESS_MAIN(TestMoneyFormat)
#include "TestMoneyFormat.moc"
