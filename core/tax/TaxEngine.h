#pragma once

#include "Result.h"
#include "domain/TaxTransaction.h"
#include "tax/LotState.h"
#include "tax/TaxOptions.h"
#include "tax/TaxResult.h"

#include <QCoreApplication>
#include <QList>

#include <memory>

namespace llamadesk::tax {

// The tax engine: a ledger in, a report out, no database. Feed the transactions in
// (timestamp, id) order with add() (one at a time, so a million rows streamed from the vault are
// never all in memory) and call finish(); or call run() with a list.
//
// Transactions become events for the jurisdiction's RuleSet: acquisitions with a basis,
// disposals with proceeds, moves between the user's wallets, income and expenses. The engine
// holds back the rows of the last `transferWindowSeconds` so that the two sides of a transfer
// find each other whichever comes first.
//
// Incremental recomputation: TaxOptions::checkpointsAt saves the lot state at given instants
// (best at the start of a day in the tax zone); resume() starts a new engine from one, to be fed
// only the transactions from that instant on.
class TaxEngine {
    Q_DECLARE_TR_FUNCTIONS(TaxEngine)

public:
    explicit TaxEngine(const TaxOptions& options);
    ~TaxEngine();
    TaxEngine(const TaxEngine&) = delete;
    TaxEngine& operator=(const TaxEngine&) = delete;

    // Starts from a saved state instead of empty holdings; only before the first add().
    Status resume(const LotState& state);
    // The next transaction. Soft-deleted rows are skipped. A row out of (timestamp, id) order,
    // or before the state resumed from, is refused and the run cannot finish.
    Status add(const TaxTransaction& transaction);
    // Matches what is still waiting and returns the report. The engine is spent afterwards.
    Result<TaxResult> finish();

    // Runs a whole ledger (sorted into (timestamp, id) order first).
    static Result<TaxResult> run(const QList<TaxTransaction>& ledger, const TaxOptions& options,
                                 const LotState* resumeFrom = nullptr);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace llamadesk::tax
