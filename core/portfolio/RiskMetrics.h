#pragma once

#include "money/Decimal.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace llamadesk::portfolio {

// Risk figures of a daily value series, all exact decimals (18 fractional digits; round to the
// column's 6 for portfolio_snapshots). Crypto trades every day, so a year has 365 periods.
struct RiskMetrics {
    Q_DECLARE_TR_FUNCTIONS(RiskMetrics)

public:
    static constexpr int kPeriodsPerYear = 365;

    int returnCount = 0; // daily returns the figures are based on
    // Sample standard deviation of the daily returns times sqrt(365). Needs two returns.
    std::optional<Decimal> volatility;
    // (mean daily return - daily risk-free rate) / standard deviation * sqrt(365). Needs two
    // returns and a non-zero deviation.
    std::optional<Decimal> sharpeRatio;
    // Largest fall from a running peak, as a fraction of that peak (0.25 = 25 %). Needs one
    // value.
    std::optional<Decimal> maxDrawdown;

    // `values` oldest first, one per day. r_i = v_i / v_{i-1} - 1; a day after a zero or
    // negative value has no return (it is skipped). `dailyRiskFree` is a rate per day.
    static RiskMetrics compute(const QList<Decimal>& values, const Decimal& dailyRiskFree = {});

    // The definitions, for tooltips (translated).
    static QString volatilityDefinition();
    static QString sharpeDefinition();
    static QString drawdownDefinition();
};

} // namespace llamadesk::portfolio
