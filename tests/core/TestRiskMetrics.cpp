#include "portfolio/RiskMetrics.h"

#include <QtTest>

using namespace llamadesk;
using llamadesk::portfolio::RiskMetrics;

// Volatility, Sharpe ratio and maximum drawdown of known series, worked out by hand (and checked
// with a 60-digit decimal calculator), compared at the 6 digits portfolio_snapshots keeps.
class TestRiskMetrics : public QObject {
    Q_OBJECT

private slots:
    void knownSeries_data();
    void knownSeries();
    void riskFreeRateLowersSharpe();
};

namespace {

QList<Decimal> series(const QString& text) {
    QList<Decimal> out;
    for (const QString& part : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out.append(Decimal::parse(part).value());
    return out;
}

QString six(const std::optional<Decimal>& v) {
    return v ? v->round(6, RoundingMode::HalfEven).toString(6) : QStringLiteral("none");
}

} // namespace

void TestRiskMetrics::knownSeries_data() {
    QTest::addColumn<QString>("values");
    QTest::addColumn<int>("returns");
    QTest::addColumn<QString>("volatility");
    QTest::addColumn<QString>("sharpe");
    QTest::addColumn<QString>("drawdown");
    // Returns +10 %, -10 %, +10 %: mean 1/30, sample deviation sqrt(0.04/3) = 0.115470...,
    // volatility 0.115470 * sqrt(365) = 2.206052, Sharpe (1/30) / 0.115470 * sqrt(365).
    QTest::newRow("up down up") << "100 110 99 108.9" << 3 << "2.206052"
                                << "5.515131"
                                << "0.100000";
    // Constant growth: no deviation, so no Sharpe ratio and no drawdown.
    QTest::newRow("steady growth") << "100 101 102.01 103.0301" << 3 << "0.000000"
                                   << "none"
                                   << "0.000000";
    // Peak 200, trough 90: drawdown 110 / 200.
    QTest::newRow("deep fall") << "200 150 180 90 120" << 4 << "7.414724"
                               << "-2.666429"
                               << "0.550000";
    QTest::newRow("small moves") << "1000 1010 1005 1020 990 1000.5" << 5 << "0.347656"
                                 << "0.245501"
                                 << "0.029412";
    QTest::newRow("one value") << "500" << 0 << "none"
                               << "none"
                               << "0.000000";
    QTest::newRow("one return") << "500 550" << 1 << "none"
                                << "none"
                                << "0.000000";
    QTest::newRow("empty") << "" << 0 << "none"
                           << "none"
                           << "none";
    // The fall to zero is a -100 % return; the day after a zero value has none.
    QTest::newRow("zero day skipped") << "100 0 50 60 54" << 3 << "11.931052"
                                      << "-9.177732"
                                      << "1.000000";
}

void TestRiskMetrics::knownSeries() {
    QFETCH(QString, values);
    QFETCH(int, returns);
    QFETCH(QString, volatility);
    QFETCH(QString, sharpe);
    QFETCH(QString, drawdown);
    const RiskMetrics m = RiskMetrics::compute(series(values));
    QCOMPARE(m.returnCount, returns);
    QCOMPARE(six(m.volatility), volatility);
    QCOMPARE(six(m.sharpeRatio), sharpe);
    QCOMPARE(six(m.maxDrawdown), drawdown);
}

void TestRiskMetrics::riskFreeRateLowersSharpe() {
    const QList<Decimal> values = series(QStringLiteral("100 110 99 108.9"));
    const RiskMetrics none = RiskMetrics::compute(values);
    // A daily risk-free rate equal to the mean return leaves no excess return.
    const Decimal mean =
        Decimal::fromInt(1).divided(Decimal::fromInt(30), 18, RoundingMode::HalfEven);
    const RiskMetrics some = RiskMetrics::compute(values, mean);
    QVERIFY(none.sharpeRatio && some.sharpeRatio);
    QVERIFY(*some.sharpeRatio < *none.sharpeRatio);
    QCOMPARE(six(some.sharpeRatio), QStringLiteral("0.000000"));
    QCOMPARE(some.volatility, none.volatility);
}

QTEST_APPLESS_MAIN(TestRiskMetrics)
#include "TestRiskMetrics.moc"
