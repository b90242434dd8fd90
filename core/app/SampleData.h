#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

#include <functional>

namespace llamadesk::app {

struct SampleDataOptions {
    qint64 transactions = 2000;
    quint64 seed = 20240101;
    int batchSize = 5000; // rows per write transaction
};

// "Explore with sample data": a realistic ledger (several wallets and years, every transaction
// type; tax::LedgerGenerator) written into the vault for its owner. Runs on any thread with that
// thread's connection.
class SampleData {
    Q_DECLARE_TR_FUNCTIONS(SampleData)

public:
    // Called after each batch with the rows written so far and the rows planned; returning
    // false stops after that batch (the batches already written stay).
    using Progress = std::function<bool(qint64 done, qint64 total)>;

    // The number of rows written.
    static Result<qint64> generate(const QSqlDatabase& db, const SampleDataOptions& options,
                                   const Progress& progress = {});
};

} // namespace llamadesk::app
