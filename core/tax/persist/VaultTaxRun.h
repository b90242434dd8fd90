#pragma once

#include "Result.h"
#include "domain/CostBasisLot.h"
#include "domain/TaxReport.h"
#include "domain/Timestamp.h"
#include "store/ParallelTransactionReader.h"
#include "tax/TaxOptions.h"
#include "tax/TaxResult.h"
#include "tax/persist/TaxStateRepository.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <optional>

namespace llamadesk::tax {

struct VaultRunOptions {
    // Resume from the latest saved checkpoint that no ledger change since has invalidated and
    // that is not later than the start of the reported period; false: start from the beginning.
    bool incremental = true;
    // Save checkpoints at the start of every N-th month (in the tax zone) and of every tax year.
    int checkpointMonths = 1;
    // Called from compute() every few thousand rows fed, on the caller's thread, with the rows fed
    // so far and the instant of the latest; returning false stops the run (compute() fails).
    std::function<bool(qint64 rowsFed, const Timestamp& at)> progress;
    // Opens more connections to the same vault (see store::ParallelTransactionReader): with it,
    // the ledger is read and decoded on readerThreads threads beside the engine; without it, on
    // the run's own connection.
    store::ParallelTransactionReader::ConnectionFactory openReader;
    // How the reading is spread (threads, chunk size, the least rows worth it); the columns are
    // always the engine's (TransactionColumns::TaxInputs).
    store::ParallelTransactionReader::Options reading;
};

// What a run did, for callers that show or test it.
struct VaultRunStats {
    qint64 rowsFed = 0;                   // transactions read from the vault into the engine
    int readerThreads = 0;                // threads that read them (0: the run's own connection)
    std::optional<Timestamp> resumedFrom; // the checkpoint's instant; nullopt: from the start
    int checkpointsSaved = 0;
    int checkpointsInvalidated = 0;
    int lotsSaved = 0;
    QString reportId;
};

// The written report, for its tax_reports row.
struct ReportFileInfo {
    std::optional<ReportFormat> format;
    QString fileUrl;
    std::optional<qint64> sizeBytes;
};

// A tax run over the vault: streams tax_transactions through TransactionRepository::forEach into
// the engine (never a list of the whole ledger), resuming from a saved checkpoint when the
// ledger changes allow it, then saves, in ONE transaction, the new checkpoints (exact state),
// the open lots in cost_basis_lots (rounded as the seed defines), the summary in tax_reports,
// and acknowledges the ledger changes it has taken into account.
class VaultTaxRun {
    Q_DECLARE_TR_FUNCTIONS(VaultTaxRun)

public:
    VaultTaxRun(QSqlDatabase db, TaxOptions options, VaultRunOptions run = {});

    Result<TaxResult> compute();
    Status save(const TaxResult& result, const ReportFileInfo& file = {});

    const VaultRunStats& stats() const { return m_stats; }
    const QString& userId() const { return m_userId; }

    // The wallet written to cost_basis_lots for lots that belong to no single wallet (universal
    // scope, UK pools).
    static QString allWallets();

private:
    Result<std::optional<LotState>> chooseCheckpoint(TaxStateRepository& repo, const QString& key);
    QList<Timestamp> checkpointInstants(const Timestamp& after, const Timestamp& first,
                                        const Timestamp& last) const;
    Result<QList<CostBasisLot>> lotsOf(const LotState& state);
    Status saveReport(const TaxResult& result, const ReportFileInfo& file);

    QSqlDatabase m_db;
    TaxOptions m_options;
    VaultRunOptions m_run;
    VaultRunStats m_stats;
    QString m_userId;
    QString m_settingsKey;
    LedgerChanges m_changes;
    std::optional<Timestamp> m_firstRow;
    std::optional<Timestamp> m_lastRow;
    bool m_computed = false;
};

} // namespace llamadesk::tax
