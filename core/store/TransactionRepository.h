#pragma once

#include "domain/TaxTransaction.h"
#include "store/SqlRepository.h"
#include "store/TaxInputRecord.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace llamadesk::store {

// Which rows a query sees with respect to soft deletion.
enum class DeletedRows { Exclude, Include, Only };

// Filters of the transactions view and of the tax engine. Empty members do not filter.
struct TransactionFilter {
    QString userId;
    QList<TransactionType> types;
    QStringList assets;  // asset_in_symbol or asset_out_symbol is one of these
    QStringList wallets; // wallet is one of these
    std::optional<qint64> chainId;
    std::optional<Timestamp> from;  // timestamp >= from
    std::optional<Timestamp> until; // timestamp < until
    // A prefix of the transaction hash (lowercase, "0x" optional), of either asset symbol
    // (case-insensitive) or of the wallet: every alternative is an index range, so a search stays
    // fast on millions of rows (notes and tax categories are not searched).
    QString search;
    DeletedRows deleted = DeletedRows::Exclude;
};

// How much of each row a read fills in.
enum class TransactionColumns {
    All,
    // What the tax engine reads (id, wallet, hash, time, type, both sides with their values, a
    // side's price only where its value is NULL, the fee, cost_basis_usd as a gift's donor basis,
    // deleted_at); every other member is left at its default. Saves converting half of the
    // columns on the engine's full reads.
    TaxInputs
};

// Position of a row in the (timestamp, id) order that every listing uses.
struct TransactionKey {
    Timestamp timestamp;
    QString id;
    static TransactionKey of(const TaxTransaction& t) { return {t.timestamp, t.id}; }
    friend bool operator==(const TransactionKey& a, const TransactionKey& b) {
        return a.timestamp == b.timestamp && a.id == b.id;
    }
};

enum class PageDirection {
    Forward, // the rows after the key (from the start without a key)
    Backward // the rows before the key (up to the end without a key)
};

// Rowids from first to last, both included.
struct RowidRange {
    qint64 first = 0;
    qint64 last = 0;
};

struct TransactionPage {
    QList<TaxTransaction> rows; // always in ascending (timestamp, id) order
    bool hasMore = false;       // more rows exist beyond this page in the paging direction
};

// Outcome of an import batch that skips rows already present.
struct ImportOutcome {
    int inserted = 0;
    QList<int> skipped; // indices (into the batch) of the duplicates left out
};

// The only place that reads and writes tax_transactions. Every write validates its rows
// (TaxTransaction::validate) and runs in one transaction; a failing row leaves nothing behind.
class TransactionRepository : public SqlRepository {
public:
    explicit TransactionRepository(QSqlDatabase db);

    Status insert(const TaxTransaction& transaction);
    // All rows or none, through one reused prepared statement. created_at and updated_at left
    // empty are set to the time of the call.
    Status insertBatch(const QList<TaxTransaction>& rows);
    // Like insertBatch, but rows whose dedupeKey matches a live row (or an earlier row of the
    // same batch) are skipped instead of inserted.
    Result<ImportOutcome> importBatch(const QList<TaxTransaction>& rows);

    // Replaces every editable column of a live row; updated_at becomes now. Fails when the row
    // does not exist or is soft deleted.
    Status update(const TaxTransaction& transaction);
    // Soft delete (deleted_at = now) of the live rows among ids, in one transaction; returns how
    // many were deleted. restore() undoes it for those ids.
    Result<int> softDelete(const QStringList& ids);
    Result<int> restore(const QStringList& ids);
    // Removes rows for good (a soft delete is what sync expects for user deletions).
    Result<int> hardDelete(const QStringList& ids);

    // The row with this id (soft-deleted rows included); nullopt when there is none.
    Result<std::optional<TaxTransaction>> get(const QString& id);

    // Streams the matching rows in (timestamp, id) order, ascending or descending, without
    // holding them: the visitor sees one row at a time and returns false to stop early.
    using Visitor = std::function<bool(const TaxTransaction&)>;
    Status forEach(const TransactionFilter& filter, const Visitor& visitor, bool descending = false,
                   TransactionColumns columns = TransactionColumns::All);
    // The matching rows in ascending (timestamp, id) order into rows[0 .. *count): elements
    // already in the vector are assigned over (so a vector handed back and forth between threads
    // keeps its memory), more are appended. Stops early (and succeeds) once *stop becomes true.
    Status readRows(const TransactionFilter& filter, std::vector<TaxTransaction>* rows,
                    size_t* count, TransactionColumns columns,
                    const std::atomic<bool>* stop = nullptr);
    // Whether the table's rowid order is its (timestamp, id) order, as the ledger-order columns
    // of tax_ledger_changes record it (kept by triggers since migration 006). When it is, the
    // rows of a time range are the rows of one rowid range and can be read without the time
    // index (readRowidRange).
    Result<bool> rowsInTimeOrder();
    // The rowids of the rows with from <= timestamp < until (either bound optional), every user
    // and deleted row included; nullopt when there are none. Only meaningful while
    // rowsInTimeOrder() holds.
    Result<std::optional<RowidRange>> rowidRangeOf(const std::optional<Timestamp>& from,
                                                   const std::optional<Timestamp>& until);
    // readRows for the rows of `range` that match the filter, read in rowid order straight
    // from the table (no index): while rowsInTimeOrder() holds, the same rows in the same order
    // as readRows over the range's time span. The filter may not have assets or a search.
    Status readRowidRange(const TransactionFilter& filter, const RowidRange& range,
                          std::vector<TaxTransaction>* rows, size_t* count,
                          TransactionColumns columns, const std::atomic<bool>* stop = nullptr);
    // How many tax_transactions rows have no tax_inputs record or one that differs from what
    // their columns give now, plus records without a row: 0 while the triggers of migration 007
    // keep the records (Vault::verify asks). Reads the whole table.
    Result<qint64> taxInputsOutOfStep();
    // Every matching row in a list; for small result sets (prefer forEach for a whole vault).
    Result<QList<TaxTransaction>> list(const TransactionFilter& filter);

    // Keyset paging in (timestamp, id) order: stable under inserts and deletes, and as fast on
    // the last page as on the first.
    Result<TransactionPage> page(const TransactionFilter& filter,
                                 const std::optional<TransactionKey>& key, int limit,
                                 PageDirection direction = PageDirection::Forward);
    Result<qint64> count(const TransactionFilter& filter);

    // Import deduplication: the same transaction hash, type, time and amounts.
    static QString dedupeKey(const TaxTransaction& transaction);
    // Whether a live row of the same user has this row's dedupe key.
    Result<bool> existsDuplicate(const TaxTransaction& transaction);

private:
    // Fills t from the current row of a SELECT of every column; false with the reason otherwise.
    static bool readRow(const QSqlQuery& query, TaxTransaction* t, QString* error);
    // The columns both readers take alike (TransactionColumns::TaxInputs but the prices).
    static void readTaxColumns(Row& r, TaxTransaction* t);
    // The same for TransactionColumns::TaxInputs: the other members are reset to their defaults.
    static bool readTaxInputs(const QSqlQuery& query, TaxTransaction* t, QString* error);
    // Runs the ordered SELECT of forEach: for each row, reads it into *slot() and calls
    // sink(row), stopping when sink returns false. slot() may hand out the same row every time
    // or a new one (readRows fills its vector in place: no copy or move per row).
    // The first row's first column of a query as an integer; nullopt when there is no row or
    // it is NULL.
    Result<std::optional<qint64>> firstInteger(const QString& sql, const QVariantList& values,
                                               const QString& what);
    // readRows, or readRowidRange when rowids is set.
    Status readInto(const TransactionFilter& filter, const RowidRange* rowids,
                    std::vector<TaxTransaction>* rows, size_t* count, TransactionColumns columns,
                    const std::atomic<bool>* stop);
    // With `rowids`, the rows of that rowid range in rowid order instead (readRowidRange).
    template <typename Slot, typename Sink>
    Status readOrdered(const TransactionFilter& filter, bool descending, TransactionColumns columns,
                       Slot&& slot, Sink&& sink, const RowidRange* rowids = nullptr);
    static void bindRow(QSqlQuery& query, int offset, const TaxTransaction& t, const QString& now);
    // Inserts rows[i] for every i in `which` (validated already) inside the caller's transaction,
    // in (timestamp, id) order; a failure names the row.
    Status insertRows(const QList<TaxTransaction>& rows, const QList<qsizetype>& which,
                      const QString& now, const QString& what);
    // After a read loop: finishes the query; a failed step (which ended the loop as the last row
    // would) is the failure.
    Status endOfRead(QSqlQuery& q, const QString& what);
    // readRowidRange of TransactionColumns::TaxInputs from the table tax_inputs (migration 007):
    // one record per row instead of the row's columns. The filter may have a user, a time range
    // and the deleted rows' choice.
    Status readInputRecords(const TransactionFilter& filter, const RowidRange& range,
                            std::vector<TaxTransaction>* rows, size_t* count,
                            const std::atomic<bool>* stop);
    // Whether the connection keeps temporary tables in memory (checked once).
    bool stagingIsInMemory();
    // The same straight into a table, many rows per statement.
    Status insertDirect(const QList<TaxTransaction>& rows, const QList<qsizetype>& which,
                        const QString& now, const QString& oneSql, const QString& manySql,
                        const QString& what);
    Result<bool> duplicateQuery(const TaxTransaction& t, const QString& what);
    Result<int> setDeleted(const QStringList& ids, bool deleted, const QString& what);
    // The WHERE clause of a filter (starting with " WHERE ") and its values in order.
    static QString whereClause(const TransactionFilter& filter, QVariantList* values);
    // Runs a SELECT of every column with the filter, an optional extra condition (with its
    // values) and a tail (ORDER BY, LIMIT; with its values), in a shape the indexes can serve in
    // (timestamp, id) order.
    // With `tableOnly`, no index may be used (rowid ranges still seek): a rowid-order read.
    // With TransactionColumns::TaxInputs the columns the engine does not read are NULL.
    Result<QSqlQuery*> select(const TransactionFilter& filter, const QString& extraCondition,
                              const QVariantList& extraValues, const QString& tail,
                              const QVariantList& tailValues, const QString& what,
                              bool tableOnly = false,
                              TransactionColumns columns = TransactionColumns::All);

    // Whether a search filter matches so many rows that walking the time index beats sorting
    // the matches; asked once per filter (a count that stops early) and remembered.
    bool searchIsBroad(const TransactionFilter& filter);

    std::optional<bool> m_stagingInMemory;
    std::unique_ptr<TaxInputDecoder> m_inputDecoder; // for readInputRecords, made on first use
    QHash<QString, bool> m_searchBreadth;
};

} // namespace llamadesk::store
