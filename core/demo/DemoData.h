#pragma once

#include "Result.h"
#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <functional>

namespace llamadesk::demo {

struct DemoOptions {
    qint64 transactions = 5000; // ledger rows (tax_transactions)
    quint64 seed = 1;
    // The clock: the data set ends at this moment (the last transaction a few hours before it,
    // today's snapshot and prices on its day). Invalid: the system clock.
    Timestamp now;
    int ledgerDays = 3 * 365; // span of the ledger, ending at `now`
    int snapshotDays = 730;   // daily portfolio snapshots up to today
    // Add to a vault that already has transactions (otherwise such a vault is refused). Days that
    // already have a snapshot keep it; ids come from the seed, so adding the same seed twice
    // fails on the duplicate ids and changes nothing.
    bool addToExisting = false;
    // Called as the work advances: percent 0..100 and what is being done.
    std::function<void(int percent, const QString& stage)> progress;
    // Checked between steps; when set the run stops and everything is rolled back.
    const std::atomic<bool>* cancel = nullptr;
};

// How many rows each table received.
struct DemoSummary {
    QString userId;
    qint64 transactions = 0;
    qint64 prices = 0;
    qint64 portfolioAssets = 0;
    qint64 snapshots = 0;
    qint64 alertRules = 0;
    qint64 alertHistory = 0;
    qint64 gasPredictions = 0;
    qint64 predictions = 0;
    qint64 protocolHealth = 0;
    Decimal portfolioValueUsd; // today's snapshot total (= the sum of portfolio_assets balance_usd)
};

// The sample vault content behind "explore with sample data" and `llamadesk-cli demo`: a ledger
// of several years on several wallets and chains (tax::LedgerGenerator), daily prices derived
// from it, the remaining holdings with their cost basis (tax::TaxEngine), daily portfolio
// snapshots, alert rules with a trigger history, gas predictions, forecasts and protocol health.
//
// Deterministic: the same options (seed and clock) give the same rows, ids included. Everything
// is written in one transaction, so a failure or a cancel leaves the vault as it was; the only
// exception is the owner's profile row (store::LocalUser::ensure), which is created first, in its
// own transaction, when the vault has none yet.
class DemoData {
    Q_DECLARE_TR_FUNCTIONS(DemoData)

public:
    static Result<DemoSummary> populate(const QSqlDatabase& db, const DemoOptions& options);

    // The chain a demo asset lives on (the ledger's rows take the chain of their main asset).
    static qint64 chainOf(const QString& assetSymbol);
    // Chain ids used by the demo data.
    static QList<qint64> chains();
};

} // namespace llamadesk::demo
