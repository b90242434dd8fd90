#pragma once

#include "domain/TaxTransaction.h"
#include "domain/Timestamp.h"
#include "money/Decimal.h"
#include "tax/Disposal.h"
#include "tax/Holding.h"
#include "tax/IncomeLine.h"
#include "tax/LotState.h"
#include "tax/TaxOptions.h"
#include "tax/TaxSummary.h"
#include "tax/TaxWarning.h"

#include <QDate>
#include <QList>
#include <QString>

#include <memory>

namespace llamadesk::tax {

struct ResultStore;

// What a tax run found. Immutable and cheap to copy (the rows are shared). Rows come exact
// (18 fractional digits) or "printed": money rounded to cents (half up), the printed lots of a
// row adding up to the printed row, so that every total of summary() is the sum of the rows as
// printed.
class TaxResult {
public:
    TaxResult();
    explicit TaxResult(std::shared_ptr<const ResultStore> store);

    const TaxOptions& options() const;

    int disposalCount() const;
    Disposal disposal(int row) const;
    Disposal printedDisposal(int row) const;
    QList<Disposal> disposals() const; // every row, exact; for small reports and tests

    int incomeCount() const;
    IncomeLine income(int index) const;
    IncomeLine printedIncome(int index) const;
    QList<IncomeLine> incomeLines() const;

    int expenseCount() const;
    ExpenseLine expense(int index) const;
    ExpenseLine printedExpense(int index) const;
    QList<ExpenseLine> expenseLines() const;

    int warningCount() const;
    TaxWarning warning(int index) const;
    QList<TaxWarning> warnings() const; // every warning, built on demand
    // At the end of the period (of the ledger when the period has no end).
    const QList<Holding>& holdings() const;
    Holding printedHolding(int index) const;
    // The safe-harbor allocation made (or applied again) when lots became per wallet.
    const QList<SafeHarborEntry>& safeHarborAllocation() const;
    // States saved at TaxOptions::checkpointsAt, in order.
    const QList<LotState>& checkpoints() const;
    // The state after the last transaction, when TaxOptions::captureFinalState asked for it.
    const LotState& finalState() const;

    TaxSummary summary() const;      // the sums of the printed rows
    TaxSummary exactSummary() const; // the same totals without rounding

    // Money as printed: rounded to cents, half away from zero.
    static Decimal cents(const Decimal& value);
    // From this many disposals on, the summary is added up on two threads.
    static constexpr quint32 kParallelFinalizeDisposals = 100000;
    // Splits `total` (already in cents) over parts in proportion to their exact values: each
    // part rounded down to the cent, the missing cents given to the largest remainders (the
    // earlier part on a tie). The parts add up to `total` exactly.
    static QList<Decimal> allocateCents(const QList<Decimal>& exact, const Decimal& total);

    // Orders a finished store's rows (one per disposal and term) and computes its summaries.
    static void finalize(ResultStore* store);

private:
    Disposal makeDisposal(int row, bool printed) const;
    IncomeLine makeFlow(int index, bool income, bool printed) const;

    std::shared_ptr<const ResultStore> m_store;
};

} // namespace llamadesk::tax
