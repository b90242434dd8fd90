#include "RiskMetrics.h"

#include "portfolio/DecimalSqrt.h"

namespace llamadesk::portfolio {

namespace {
constexpr int kDigits = Decimal::kScale;
constexpr RoundingMode kRound = RoundingMode::HalfEven;
} // namespace

RiskMetrics RiskMetrics::compute(const QList<Decimal>& values, const Decimal& dailyRiskFree) {
    RiskMetrics out;
    QList<Decimal> returns;
    returns.reserve(values.size());
    for (qsizetype i = 1; i < values.size(); ++i) {
        const Decimal& previous = values.at(i - 1);
        if (!previous.isPositive() || !values.at(i).isValid())
            continue;
        const Decimal r = values.at(i).divided(previous, kDigits, kRound) - Decimal::fromInt(1);
        if (r.isValid())
            returns.append(r);
    }
    out.returnCount = int(returns.size());

    Decimal peak;
    Decimal worst;
    bool any = false;
    for (const Decimal& v : values) {
        if (!v.isValid())
            continue;
        any = true;
        if (v > peak)
            peak = v;
        if (peak.isPositive()) {
            const Decimal dd = (peak - v).divided(peak, kDigits, kRound);
            if (dd > worst)
                worst = dd;
        }
    }
    if (any)
        out.maxDrawdown = worst;

    if (returns.size() < 2)
        return out;
    Decimal sum;
    for (const Decimal& r : returns)
        sum += r;
    const Decimal n = Decimal::fromInt(returns.size());
    const Decimal mean = sum.divided(n, kDigits, kRound);
    Decimal squares;
    for (const Decimal& r : returns) {
        const Decimal d = r - mean;
        squares += d * d;
    }
    const Decimal variance = squares.divided(Decimal::fromInt(returns.size() - 1), kDigits, kRound);
    const Decimal deviation = DecimalSqrt::of(variance);
    const Decimal yearRoot = DecimalSqrt::of(Decimal::fromInt(kPeriodsPerYear));
    if (!deviation.isValid() || !yearRoot.isValid())
        return out;
    out.volatility = deviation * yearRoot;
    if (deviation.isPositive()) {
        const Decimal sharpe =
            (mean - dailyRiskFree).divided(deviation, kDigits, kRound) * yearRoot;
        if (sharpe.isValid())
            out.sharpeRatio = sharpe;
    }
    return out;
}

QString RiskMetrics::volatilityDefinition() {
    return tr("Volatility: the sample standard deviation of the daily returns of your portfolio "
              "value, annualized with the square root of 365 (crypto markets trade every day).");
}

QString RiskMetrics::sharpeDefinition() {
    return tr("Sharpe ratio: the mean daily return minus the risk-free rate (0 here), divided by "
              "the standard deviation of the daily returns, annualized with the square root of "
              "365. Higher means more return per unit of risk.");
}

QString RiskMetrics::drawdownDefinition() {
    return tr("Maximum drawdown: the largest fall of the portfolio value from a previous peak, "
              "as a share of that peak.");
}

} // namespace llamadesk::portfolio
