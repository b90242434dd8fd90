#pragma once

#include "domain/TaxTransaction.h"
#include "import/ImportProblem.h"
#include "import/LedgerReader.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace llamadesk::ui {

// One data record of a file as the preview shows it.
struct PreviewRow {
    enum class State : quint8 {
        Ready,     // parses and is not in the vault yet
        Duplicate, // parses, but the vault (or an earlier row of this import) already has it
        Problem,   // refused: see the problems
    };
    qint64 line = 0; // 1-based physical line where the record starts
    State state = State::Ready;
    int transaction = -1;  // index into PreviewFile::transactions (Ready and Duplicate)
    int firstProblem = -1; // index into PreviewFile::problems (Problem)
    int problemCount = 0;
};

// What reading one file found, before anything is written.
struct PreviewFile {
    QString path;
    qint64 bytes = 0;
    import::SourceFormat format = import::SourceFormat::Canonical;
    bool formatKnown = false;
    qint64 records = 0; // data records, good or bad
    qint64 ready = 0;
    qint64 duplicates = 0;
    qint64 bad = 0;
    QList<PreviewRow> rows;                    // file order; at most kMaxRows of them
    QList<TaxTransaction> transactions;        // the good rows of `rows`
    QList<import::ImportProblem> problems;     // row problems, in file order
    QList<import::ImportProblem> fileProblems; // the header's, or the whole file's
    qint64 problemCount = 0;                   // also those beyond what is kept
    bool truncated = false; // more records than the preview keeps (the counts are complete)
    QString error;          // the file could not be read at all
};

struct PreviewResult {
    QList<PreviewFile> files;
    QString error; // the vault could not be read (the preview has no duplicate counts then)
    bool cancelled = false;

    qint64 records() const;
    qint64 ready() const;
    qint64 duplicates() const;
    qint64 bad() const;
    bool hasFileProblems() const;
};

// Reads the chosen files the way the importer will (import::LedgerReader) and checks every good
// row against the vault for duplicates, so the user sees the verdict of each row before anything
// is written. Runs on a worker thread with its own connection.
class ImportPreview {
    Q_DECLARE_TR_FUNCTIONS(ImportPreview)

public:
    // Rows kept per file for the table; 40 bytes of index plus the parsed row each. The counts
    // always cover the whole file.
    static constexpr int kMaxRows = 250000;

    struct Options {
        import::ReadOptions read; // user id, currencies and zone as the import will use them
        std::atomic<qint64>* bytesDone = nullptr; // across all files, for a progress bar
        const std::atomic<bool>* cancel = nullptr;
        int maxRows = kMaxRows;
    };

    // `db` is a vault connection of the calling thread; an invalid one skips the duplicate check.
    static PreviewResult build(const QStringList& paths, const QSqlDatabase& db,
                               const Options& options);
};

} // namespace llamadesk::ui
