#pragma once

#include "Result.h"
#include "money/Decimal.h"
#include "tax/TaxOptions.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace llamadesk::portfolio {

// Realized gains of one calendar month (net: gains minus losses, as printed in cents).
struct MonthlyPnl {
    QDate month; // the first day of the month
    Decimal gain;
};

// Realized PnL from the tax engine: year to date (the current tax year) and by month.
struct RealizedPnl {
    Q_DECLARE_TR_FUNCTIONS(RealizedPnl)

public:
    int taxYear = 0;
    Decimal yearToDate;
    QList<MonthlyPnl> months; // oldest first, every month of the window, zero when quiet

    // The tax defaults from the app-wide settings ("tax/jurisdiction", "tax/method",
    // "tax/scope", "tax/timezone"), for the tax year that contains `today`. The ledger's value
    // columns are in US dollars, so the currency stays USD whatever the jurisdiction.
    static tax::TaxOptions optionsFromSettings(const QDate& today);

    // The net capital gains of the newest completed saved report of that tax year
    // (tax_reports), when the vault has one: shown at once while the engine runs.
    static Result<std::optional<Decimal>> savedYearToDate(const QSqlDatabase& db, int taxYear);

    // Runs the tax engine over the vault (store::VaultTaxRun, resuming from a saved checkpoint
    // when possible, saving nothing) and sums the disposals of the last `monthCount` months and
    // of the tax year that contains `today`. Slow on a big ledger: call it on a worker thread
    // with its own connection.
    static Result<RealizedPnl> compute(const QSqlDatabase& db, tax::TaxOptions options,
                                       const QDate& today, int monthCount = 12);
};

} // namespace llamadesk::portfolio
