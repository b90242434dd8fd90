#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

#include <functional>

namespace llamadesk::app {

struct SampleDataOptions {
    qint64 transactions = 2000;
    quint64 seed = 20240101;
};

// "Explore with sample data": the demo vault content (demo::DemoData: a ledger of several
// wallets, chains and years, prices, holdings, snapshots, alert rules and history, gas and
// prediction data) written into the vault for its owner in one transaction. Runs on any thread
// with that thread's connection.
class SampleData {
    Q_DECLARE_TR_FUNCTIONS(SampleData)

public:
    // Called as the work advances with the share done (in rows of the ledger) and the rows
    // planned; returning false cancels: nothing is written and the result is 0.
    using Progress = std::function<bool(qint64 done, qint64 total)>;

    // The number of rows written.
    static Result<qint64> generate(const QSqlDatabase& db, const SampleDataOptions& options,
                                   const Progress& progress = {});
};

} // namespace llamadesk::app
