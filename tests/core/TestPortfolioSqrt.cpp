#include "portfolio/DecimalSqrt.h"

#include <QtTest>

using namespace llamadesk;
using llamadesk::portfolio::DecimalSqrt;

// The exact square root behind the risk metrics: correctly rounded (half-even) to 18 digits.
class TestPortfolioSqrt : public QObject {
    Q_OBJECT

private slots:
    void roots_data();
    void roots();
    void refusesNegativeAndInvalid();
};

void TestPortfolioSqrt::roots_data() {
    QTest::addColumn<QString>("x");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << "0"
                          << "0";
    QTest::newRow("one") << "1"
                         << "1";
    QTest::newRow("four") << "4"
                          << "2";
    QTest::newRow("perfect square 144") << "144"
                                        << "12";
    QTest::newRow("perfect square fraction") << "0.0001"
                                             << "0.01";
    QTest::newRow("perfect square 2.25") << "2.25"
                                         << "1.5";
    QTest::newRow("two") << "2"
                         << "1.414213562373095049";
    QTest::newRow("three") << "3"
                           << "1.732050807568877294";
    QTest::newRow("half") << "0.5"
                          << "0.707106781186547524";
    QTest::newRow("365 (annualizing)") << "365"
                                       << "19.104973174542800179";
    QTest::newRow("smallest unit") << "0.000000000000000001"
                                   << "0.000000001";
    QTest::newRow("mixed") << "12345.6789"
                           << "111.111110605555554405";
    QTest::newRow("largest integer part") << "99999999999999999999"
                                          << "9999999999.99999999995";
}

void TestPortfolioSqrt::roots() {
    QFETCH(QString, x);
    QFETCH(QString, expected);
    const Decimal root = DecimalSqrt::of(Decimal::parse(x).value());
    QVERIFY(root.isValid());
    QCOMPARE(root.toString(), Decimal::parse(expected).value().toString());
}

void TestPortfolioSqrt::refusesNegativeAndInvalid() {
    QVERIFY(!DecimalSqrt::of(Decimal::fromInt(-1)).isValid());
    QVERIFY(!DecimalSqrt::of(Decimal::invalid()).isValid());
}

QTEST_APPLESS_MAIN(TestPortfolioSqrt)
#include "TestPortfolioSqrt.moc"
