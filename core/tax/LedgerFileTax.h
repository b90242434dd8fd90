#pragma once

#include "Result.h"
#include "domain/TaxTransaction.h"
#include "import/ImportProblem.h"
#include "import/LedgerReader.h"
#include "tax/TaxOptions.h"
#include "tax/TaxResult.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace llamadesk::tax {

// What reading the ledger file found.
struct LedgerFileOutcome {
    qint64 rows = 0;       // good rows fed to the engine
    bool streamed = false; // the file was in time order and never held in memory
    qint64 recordsRead = 0;
    qint64 badRecords = 0;
    qint64 problemCount = 0;
    QList<import::ImportProblem> problems; // the first ones (ReadOptions::maxProblems)
};

// A tax run over a ledger CSV without a vault (`tax --ledger`). Each row gets its stable id
// (LedgerIds). A file in time order (the usual export) is streamed: rows of one instant are
// gathered, given their ids and fed in (timestamp, id) order, so a million-row file is never
// held in memory. A file out of time order is read whole and sorted instead. A file with any bad
// row gives no result: its problems are in the outcome and compute() fails.
class LedgerFileTax {
    Q_DECLARE_TR_FUNCTIONS(LedgerFileTax)

public:
    // Turns the names of a Specific-ID input into lot selections once the rows are known (ids
    // assigned); only called when given, which makes the run read the file whole.
    using SelectionResolver = std::function<Result<QHash<QString, QList<LotSelection>>>(
        const QList<TaxTransaction>& rows)>;

    static Result<TaxResult> compute(const QString& path, TaxOptions options,
                                     const import::ReadOptions& read, LedgerFileOutcome* outcome,
                                     const SelectionResolver& resolver = {});
};

} // namespace llamadesk::tax
