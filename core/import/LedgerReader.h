#pragma once

#include "Result.h"
#include "domain/TaxTransaction.h"
#include "import/ImportProblem.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <atomic>
#include <functional>
#include <memory>

namespace llamadesk::import {

// The layouts a ledger CSV may have; detected from its header row (docs/import.md).
enum class SourceFormat {
    Canonical,  // the tax_transactions column names (+ wallet), any order
    Koinly,     // Koinly universal CSV
    CoinTracker // CoinTracker CSV
};
QString toString(SourceFormat format); // "canonical", "koinly", "cointracker"

struct ReadOptions {
    // Copied into every row's user_id (the vault's owner); may stay empty without a vault.
    QString userId;
    // The wallet of rows whose file has no wallet column or leaves it empty.
    QString defaultWallet = QStringLiteral("default");
    // The fiat the value columns are in (the `_usd` columns keep their names, docs/import.md).
    // Koinly's Net Worth must be in this currency.
    QString valueCurrency = QStringLiteral("USD");
    // Symbols that are cash: with one on a side a Koinly or CoinTracker trade is a buy or sell.
    QStringList fiatCurrencies = defaultFiatCurrencies();
    // The zone of CoinTracker dates, which carry none (canonical timestamps must carry theirs).
    QTimeZone sourceTimeZone = QTimeZone::utc();
    // Limits so that a hostile file cannot exhaust memory: one field, one record (all its
    // physical lines), and the number of problems kept (the count goes on beyond it).
    qint64 maxFieldBytes = 64 * 1024;
    qint64 maxRecordBytes = 1024 * 1024;
    int maxProblems = 1000;
    // Called every few thousand rows with the bytes consumed and the file size (0 when unknown).
    std::function<void(qint64 bytesDone, qint64 bytesTotal)> progress;
    // Checked between rows; when it becomes true the read stops and fails as cancelled.
    const std::atomic<bool>* cancel = nullptr;

    static QStringList defaultFiatCurrencies();
};

// One good row and the physical line (1-based) where its record starts.
struct LedgerRow {
    TaxTransaction transaction;
    qint64 line = 0;
};

// A whole ledger file read into memory: the good rows and every problem found.
struct LedgerFile {
    QString path;
    SourceFormat format = SourceFormat::Canonical;
    qint64 recordsRead = 0;        // data records (rows after the header) seen, good or bad
    qint64 badRecords = 0;         // records with at least one problem
    QList<TaxTransaction> rows;    // the good rows, in file order, each with a new random id
    QList<qint64> lines;           // lines[i] is the line of rows[i]
    QList<ImportProblem> problems; // file-level and row-level problems, at most maxProblems
    qint64 problemCount = 0;       // every problem, also those beyond maxProblems
};

// Reads a ledger CSV without a vault (for `tax --ledger`): detects the format, parses and
// validates every row. Fails only when the file cannot be read at all or the read was
// cancelled; problems with the content (unrecognized header, bad rows, bad UTF-8, ...) are in
// LedgerFile::problems, and a caller that needs a clean ledger checks that it is empty.
Result<LedgerFile> readLedgerFile(const QString& path, const ReadOptions& options = {});

// The same, one row at a time, for files too big to hold (the importer streams with it).
class LedgerReader {
    Q_DECLARE_TR_FUNCTIONS(LedgerReader)

public:
    explicit LedgerReader(ReadOptions options = {});
    ~LedgerReader();
    LedgerReader(const LedgerReader&) = delete;
    LedgerReader& operator=(const LedgerReader&) = delete;

    // Opens the file and reads its header. Fails when the file cannot be opened; a header that
    // is not a known format is a problem (see problems()) and next() then returns false.
    Status open(const QString& path);
    // The same over a device that the caller keeps open; `name` is the file name in problems.
    Status open(QIODevice* device, const QString& name);

    SourceFormat format() const;
    bool headerOk() const; // a known format was detected from a well-formed header

    // The next good row; bad rows are recorded as problems and skipped. False at the end of the
    // file, after a problem that makes the rest unreadable (unterminated quote), on a read error
    // or on cancel (then status() says why).
    bool next(LedgerRow* row);

    // Not ok after a read error or a cancel.
    const Status& status() const;
    bool cancelled() const;

    const QList<ImportProblem>& problems() const;
    qint64 problemCount() const;
    qint64 recordsRead() const;
    qint64 badRecords() const;
    qint64 bytesRead() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace llamadesk::import
