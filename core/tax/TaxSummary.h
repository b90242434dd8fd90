#pragma once

#include "money/Decimal.h"

#include <QtGlobal>

namespace llamadesk::tax {

// The totals of a report, named after the tax_reports columns (without "_usd": the currency is
// the report's). Losses are a positive magnitude: net = gains - losses. From
// TaxResult::summary() every figure is the sum of the rows as printed (rounded to cents).
// UK gains have no holding-period class: both term fields stay 0 for a UK report.
struct TaxSummary {
    qint64 totalTransactions = 0;
    Decimal shortTermGains;
    Decimal longTermGains;
    Decimal totalCapitalGains;
    Decimal totalCapitalLosses;
    Decimal netCapitalGains;
    Decimal totalIncome;
    Decimal totalExpenses;

    friend bool operator==(const TaxSummary& a, const TaxSummary& b) {
        return a.totalTransactions == b.totalTransactions && a.shortTermGains == b.shortTermGains &&
               a.longTermGains == b.longTermGains && a.totalCapitalGains == b.totalCapitalGains &&
               a.totalCapitalLosses == b.totalCapitalLosses &&
               a.netCapitalGains == b.netCapitalGains && a.totalIncome == b.totalIncome &&
               a.totalExpenses == b.totalExpenses;
    }
    friend bool operator!=(const TaxSummary& a, const TaxSummary& b) { return !(a == b); }
};

} // namespace llamadesk::tax
