#pragma once

#include "Result.h"
#include "import/ImportProblem.h"
#include "import/LedgerReader.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace llamadesk::import {

struct ImportProgress {
    int fileIndex = 0; // 0-based, of fileCount
    int fileCount = 0;
    QString file;
    qint64 bytesDone = 0;  // of this file
    qint64 bytesTotal = 0; // of this file, 0 when unknown
};

struct ImportOptions {
    // Import the good rows even when some rows (or files) are bad. Without it a single bad row in
    // any file means nothing is imported.
    bool partial = false;
    // How the files are read; user_id is always the importer's.
    ReadOptions read;
    // Rows per importBatch call (all batches share one transaction).
    int batchSize = 20000;
    // Called on the importing thread now and then. The GUI runs the import off its thread and
    // forwards this with a queued signal.
    std::function<void(const ImportProgress&)> progress;
    // Checked between rows: when set, the import stops and nothing is imported.
    const std::atomic<bool>* cancel = nullptr;
};

struct FileSummary {
    QString path;
    SourceFormat format = SourceFormat::Canonical;
    bool formatKnown = false;
    qint64 recordsRead = 0; // data records, good or bad
    qint64 imported = 0;
    qint64 duplicates = 0; // good rows already in the vault (or earlier in the import)
    qint64 badRecords = 0;
};

struct ImportSummary {
    QList<FileSummary> files;
    qint64 recordsRead = 0;
    qint64 imported = 0;
    qint64 duplicates = 0;
    qint64 badRecords = 0;
    QList<ImportProblem> problems; // at most ReadOptions::maxProblems per file
    qint64 problemCount = 0;       // all of them
    // Whether the import was written. False when bad rows (without `partial`) left nothing
    // imported; imported and duplicates are then 0.
    bool committed = false;
};

// Imports ledger CSV files into a vault's tax_transactions: every file is streamed in batches
// through TransactionRepository::importBatch (which skips duplicates), all in one transaction,
// so a bad row, an error or a cancel leaves the vault as it was.
class Importer {
    Q_DECLARE_TR_FUNCTIONS(Importer)

public:
    // `db` is an open vault connection used on this thread only; `userId` the vault's owner.
    Importer(QSqlDatabase db, QString userId);

    // Fails (nothing imported) when a file cannot be read, on a database error and on cancel
    // (then cancelled() is true). Bad rows are not a failure: see ImportSummary::committed.
    Result<ImportSummary> run(const QStringList& paths, const ImportOptions& options);
    bool cancelled() const { return m_cancelled; }

private:
    QSqlDatabase m_db;
    QString m_userId;
    bool m_cancelled = false;
};

} // namespace llamadesk::import
