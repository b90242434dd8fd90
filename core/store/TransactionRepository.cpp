#include "TransactionRepository.h"

#include "domain/Uuid.h"
#include "store/SqlCipherDriver.h"

#include <QLatin1String>
#include <QSet>
#include <QSqlError>

#include <algorithm>
#include <numeric>

namespace llamadesk::store {

namespace {

// Column order of every SELECT and of the INSERT (row_version is the server's: never inserted).
const QLatin1String kColumns(
    "id, user_id, wallet, transaction_hash, block_number, chain_id, timestamp, transaction_type, "
    "asset_in_symbol, asset_in_amount, asset_in_price_usd, asset_in_value_usd, "
    "asset_out_symbol, asset_out_amount, asset_out_price_usd, asset_out_value_usd, "
    "fee_amount, fee_symbol, fee_value_usd, cost_basis_method, cost_basis_usd, capital_gain_usd, "
    "holding_period_days, is_long_term, tax_category, is_taxable, notes, created_at, updated_at, "
    "deleted_at, row_version");
// The positions in kColumns that readTaxColumns() and readTaxInputs() read.
constexpr int kTaxInputPositions[] = {0,  2,  3,  6,  7,  8,  9,  10, 11,
                                      12, 13, 14, 15, 16, 17, 18, 20, 29};
constexpr int kInsertedColumns = 30;
// Rows per INSERT statement in a batch. SQLite runs a statement with triggers (the outbox) inside
// a statement journal, and SQLCipher encrypts every page that enters that journal: one row per
// statement costs an encryption of every touched page per row. Many rows per statement pay that
// once per statement. 33 rows x 30 values stays under SQLite's default limit of 999 variables.
constexpr int kRowsPerStatement = 999 / kInsertedColumns;
// From this many rows on, a batch goes through the staging table (see insertRows).
constexpr int kStagingThreshold = 2 * kRowsPerStatement;
// Page cache for a connection that has written a big batch, in MiB. 128 keeps the pages of the
// two random-key indexes of a 1M-row vault that a batch comes back to: the encrypted insert of
// 1M rows re-reads (decrypts) 84,000 pages instead of 595,000 with 64 MiB (docs/benchmarks.md).
constexpr int kBulkWriteCacheMb = 128;

// Staging table for big batches (see insertRows): a TEMP table, so it lives in the connection's
// in-memory temporary database, never in the vault file.
const QLatin1String kStaging("temp.llamadesk_tax_transactions_staging");

// kColumns for TransactionColumns::TaxInputs: the same positions, with a constant NULL where the
// engine reads nothing. SQLite fetches every result column before it returns a row, read or not;
// a constant costs nothing.
const QString& taxInputColumns() {
    static const QString columns = [] {
        QStringList names = QString(kColumns).split(QStringLiteral(", "));
        for (qsizetype i = 0; i < names.size(); ++i) {
            if (std::find(std::begin(kTaxInputPositions), std::end(kTaxInputPositions), int(i)) ==
                std::end(kTaxInputPositions))
                names[i] = QStringLiteral("NULL");
        }
        return names.join(QStringLiteral(", "));
    }();
    return columns;
}

QString insertedColumns() {
    return QString(kColumns).section(QStringLiteral(", row_version"), 0, 0);
}

QString buildInsertSql(const QString& table, int rows) {
    QString row = QStringLiteral("(");
    for (int i = 0; i < kInsertedColumns; ++i)
        row += i == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
    row += QLatin1Char(')');
    QString values;
    for (int r = 0; r < rows; ++r)
        values += r == 0 ? row : QStringLiteral(", ") + row;
    return QStringLiteral("INSERT INTO ") + table + QStringLiteral(" (") + insertedColumns() +
           QStringLiteral(") VALUES ") + values;
}

const QString& insertOneSql() {
    static const QString sql = buildInsertSql(QStringLiteral("tax_transactions"), 1);
    return sql;
}

const QString& insertManySql() {
    static const QString sql =
        buildInsertSql(QStringLiteral("tax_transactions"), kRowsPerStatement);
    return sql;
}

const QString& stageOneSql() {
    static const QString sql = buildInsertSql(kStaging, 1);
    return sql;
}

const QString& stageManySql() {
    static const QString sql = buildInsertSql(kStaging, kRowsPerStatement);
    return sql;
}

QString placeholders(qsizetype n) {
    QString s;
    for (qsizetype i = 0; i < n; ++i)
        s += i == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
    return s;
}

QString validationFailure(const QStringList& errors) {
    return errors.join(QLatin1Char(' '));
}

} // namespace

TransactionRepository::TransactionRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "TransactionRepository") {}

void TransactionRepository::readTaxColumns(Row& r, TaxTransaction* t) {
    // Column numbers are those of kColumns. Ids and hashes never repeat: they go into the row's
    // own buffers. Wallets and symbols repeat: they come from the column's cache, shared.
    r.textInto(0, &t->id);
    t->wallet = r.text(2);
    r.textInto(3, &t->transactionHash);
    t->assetInSymbol = r.optText(8);
    t->assetOutSymbol = r.optText(12);
    t->feeSymbol = r.optText(17);
    t->timestamp = r.timestamp(6);
    t->transactionType = r.enumeration(7, &transactionTypeFromString, TransactionType::Buy);
    t->assetInAmount = r.optDecimal(9);
    t->assetInValueUsd = r.optDecimal(11);
    t->assetOutAmount = r.optDecimal(13);
    t->assetOutValueUsd = r.optDecimal(15);
    t->feeAmount = r.optDecimal(16);
    t->feeValueUsd = r.optDecimal(18);
    t->costBasisUsd = r.optDecimal(20);
    t->deletedAt = r.optTimestamp(29);
}

bool TransactionRepository::readRow(const QSqlQuery& query, TaxTransaction* t, QString* error) {
    Row r(query);
    readTaxColumns(r, t);
    t->assetInPriceUsd = r.optDecimal(10);
    t->assetOutPriceUsd = r.optDecimal(14);
    t->userId = r.text(1);
    t->blockNumber = r.integer(4);
    t->chainId = r.integer(5);
    t->costBasisMethod = r.enumeration(19, &costBasisMethodFromString, CostBasisMethod::Fifo);
    t->capitalGainUsd = r.optDecimal(21);
    t->holdingPeriodDays = r.optInteger(22);
    t->isLongTerm = r.optBoolean(23);
    t->taxCategory = r.optText(24);
    t->isTaxable = r.boolean(25, true);
    t->notes = r.optText(26);
    t->createdAt = r.optTimestamp(27);
    t->updatedAt = r.optTimestamp(28);
    t->rowVersion = r.integer(30);
    if (!r.ok()) {
        *error = tr("tax_transactions row %1, %2").arg(t->id, r.error());
        return false;
    }
    return true;
}

bool TransactionRepository::readTaxInputs(const QSqlQuery& query, TaxTransaction* t,
                                          QString* error) {
    // The SELECT of taxInputColumns(): the same positions as readRow's, NULL where unread. The
    // row may be reused from an earlier one.
    TaxInputDecoder::resetOtherMembers(t);
    Row r(query);
    readTaxColumns(r, t);
    // The engine prices a side only when its value is missing (value = price x amount).
    t->assetInPriceUsd = t->assetInValueUsd ? std::nullopt : r.optDecimal(10);
    t->assetOutPriceUsd = t->assetOutValueUsd ? std::nullopt : r.optDecimal(14);
    if (!r.ok()) {
        *error = tr("tax_transactions row %1, %2").arg(t->id, r.error());
        return false;
    }
    return true;
}

void TransactionRepository::bindRow(QSqlQuery& q, int offset, const TaxTransaction& t,
                                    const QString& now) {
    int i = offset;
    q.bindValue(i++, text(t.id));
    q.bindValue(i++, text(t.userId));
    q.bindValue(i++, text(t.wallet));
    q.bindValue(i++, text(t.transactionHash));
    q.bindValue(i++, integer(t.blockNumber));
    q.bindValue(i++, integer(t.chainId));
    q.bindValue(i++, timestamp(t.timestamp));
    q.bindValue(i++, toString(t.transactionType));
    q.bindValue(i++, text(t.assetInSymbol));
    q.bindValue(i++, decimal(t.assetInAmount));
    q.bindValue(i++, decimal(t.assetInPriceUsd));
    q.bindValue(i++, decimal(t.assetInValueUsd));
    q.bindValue(i++, text(t.assetOutSymbol));
    q.bindValue(i++, decimal(t.assetOutAmount));
    q.bindValue(i++, decimal(t.assetOutPriceUsd));
    q.bindValue(i++, decimal(t.assetOutValueUsd));
    q.bindValue(i++, decimal(t.feeAmount));
    q.bindValue(i++, text(t.feeSymbol));
    q.bindValue(i++, decimal(t.feeValueUsd));
    q.bindValue(i++, toString(t.costBasisMethod));
    q.bindValue(i++, decimal(t.costBasisUsd));
    q.bindValue(i++, decimal(t.capitalGainUsd));
    q.bindValue(i++, integer(t.holdingPeriodDays));
    q.bindValue(i++, boolean(t.isLongTerm));
    q.bindValue(i++, text(t.taxCategory));
    q.bindValue(i++, boolean(t.isTaxable));
    q.bindValue(i++, text(t.notes));
    q.bindValue(i++, t.createdAt ? timestamp(*t.createdAt) : QVariant(now));
    q.bindValue(i++, t.updatedAt ? timestamp(*t.updatedAt) : QVariant(now));
    q.bindValue(i++, timestamp(t.deletedAt));
    Q_ASSERT(i == offset + kInsertedColumns);
}

Status TransactionRepository::insertDirect(const QList<TaxTransaction>& rows,
                                           const QList<qsizetype>& which, const QString& now,
                                           const QString& oneSql, const QString& manySql,
                                           const QString& what) {
    Result<QSqlQuery*> one = statement(oneSql, what);
    if (!one)
        return Status::failure(one.error());
    Result<QSqlQuery*> many = statement(manySql, what);
    if (!many)
        return Status::failure(many.error());
    const auto insertOne = [&](qsizetype index) {
        bindRow(**one, 0, rows[index], now);
        if ((*one)->exec())
            return Status::success();
        return Status::failure(failure(what, tr("row %1 of %2: %3")
                                                 .arg(index + 1)
                                                 .arg(rows.size())
                                                 .arg(describe((*one)->lastError()))));
    };

    qsizetype next = 0;
    for (; next + kRowsPerStatement <= which.size(); next += kRowsPerStatement) {
        for (int r = 0; r < kRowsPerStatement; ++r)
            bindRow(**many, r * kInsertedColumns, rows[which[next + r]], now);
        if ((*many)->exec())
            continue;
        // SQLite has undone just this statement. Insert its rows one by one to name the row
        // that fails; the caller's transaction then rolls everything back.
        for (int r = 0; r < kRowsPerStatement; ++r) {
            if (Status s = insertOne(which[next + r]); !s)
                return s;
        }
        return Status::failure(failure(what, (*many)->lastError()));
    }
    for (; next < which.size(); ++next) {
        if (Status s = insertOne(which[next]); !s)
            return s;
    }
    return Status::success();
}

bool TransactionRepository::stagingIsInMemory() {
    // The staging table holds decrypted rows: only where temporary tables never reach the disk
    // (the driver sets temp_store = MEMORY; anything else and batches go the direct way).
    if (!m_stagingInMemory) {
        m_stagingInMemory = false;
        Result<QSqlQuery*> rq =
            statement(QStringLiteral("PRAGMA temp_store"), QStringLiteral("insertBatch"));
        if (rq && (*rq)->exec() && (*rq)->next())
            m_stagingInMemory = (*rq)->value(0).toInt() == 2;
        if (rq)
            (*rq)->finish();
    }
    return *m_stagingInMemory;
}

Status TransactionRepository::insertRows(const QList<TaxTransaction>& rows,
                                         const QList<qsizetype>& unordered, const QString& now,
                                         const QString& what) {
    // The rows go in in (timestamp, id) order: a batch of a ledger kept in time order then keeps
    // the table's rowid order equal to its time order (migration 006), which lets full reads
    // skip the time index. Files list the rows of one second (a trade and its fee) in any id
    // order, and some list the newest first.
    QList<qsizetype> which = unordered;
    std::stable_sort(which.begin(), which.end(), [&rows](qsizetype a, qsizetype b) {
        return TaxTransaction::ledgerOrderLess(rows[a], rows[b]);
    });
    // SQLite runs a statement that fires triggers (the outbox) with a statement journal, and
    // SQLCipher encrypts each page as it enters that journal: every statement pays one
    // encryption per page it touches. A big batch therefore goes through an unencrypted
    // in-memory staging table and reaches tax_transactions in ONE statement, so each page is
    // journaled once per batch instead of once per statement.
    if (which.size() < kStagingThreshold || !stagingIsInMemory())
        return insertDirect(rows, which, now, insertOneSql(), insertManySql(), what);
    // A big batch dirties pages all over the two random-key indexes (id, transaction_hash);
    // with SQLCipher each page that leaves the cache costs an encryption and each re-read a
    // decryption, so bulk writers get a larger page cache for the rest of the connection (see
    // docs/benchmarks.md). Readers keep the small default: filling a cache costs page faults.
    if (auto* driver = qobject_cast<SqlCipherDriver*>(m_db.driver())) {
        if (Status s = driver->growPageCache(kBulkWriteCacheMb); !s)
            return Status::failure(failure(what, s.error()));
    }

    Result<QSqlQuery*> create =
        statement(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS ") +
                      QString(kStaging).section(QLatin1Char('.'), 1) + QStringLiteral(" (") +
                      insertedColumns() + QLatin1Char(')'),
                  what);
    if (!create)
        return Status::failure(create.error());
    if (Status s = execute(**create, what); !s)
        return s;
    Result<QSqlQuery*> clear = statement(QStringLiteral("DELETE FROM ") + kStaging, what);
    if (!clear)
        return Status::failure(clear.error());
    if (Status s = execute(**clear, what); !s)
        return s;
    if (Status s = insertDirect(rows, which, now, stageOneSql(), stageManySql(), what); !s)
        return s;
    Result<QSqlQuery*> move =
        statement(QStringLiteral("INSERT INTO tax_transactions (") + insertedColumns() +
                      QStringLiteral(") SELECT ") + insertedColumns() + QStringLiteral(" FROM ") +
                      kStaging + QStringLiteral(" ORDER BY rowid"),
                  what);
    if (!move)
        return Status::failure(move.error());
    const bool moved = (*move)->exec();
    const QSqlError moveError = (*move)->lastError();
    if (Status s = execute(**clear, what); !s)
        return s;
    if (!moved) {
        // Find and name the row the database refuses (this statement was undone as a whole).
        if (Status s = insertDirect(rows, which, now, insertOneSql(), insertManySql(), what); !s)
            return s;
        return Status::failure(failure(what, moveError));
    }
    return Status::success();
}

Status TransactionRepository::insert(const TaxTransaction& transaction) {
    return insertBatch({transaction});
}

Status TransactionRepository::insertBatch(const QList<TaxTransaction>& rows) {
    const QString what = QStringLiteral("insertBatch");
    // Validate everything first: a bad row must not cost a rollback of thousands of inserts.
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QStringList errors = rows[i].validate();
        if (!errors.isEmpty()) {
            return Status::failure(failure(what, tr("row %1 of %2 is invalid: %3")
                                                     .arg(i + 1)
                                                     .arg(rows.size())
                                                     .arg(validationFailure(errors))));
        }
    }
    if (rows.isEmpty())
        return Status::success();

    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, tr("%1 rows").arg(rows.size()))); !s)
        return s;
    QList<qsizetype> all(rows.size());
    std::iota(all.begin(), all.end(), qsizetype(0));
    if (Status s = insertRows(rows, all, Timestamp::now().toString(), what); !s)
        return s; // tx rolls back
    return tx.commit();
}

Result<ImportOutcome> TransactionRepository::importBatch(const QList<TaxTransaction>& rows) {
    const QString what = QStringLiteral("importBatch");
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QStringList errors = rows[i].validate();
        if (!errors.isEmpty()) {
            return Result<ImportOutcome>::failure(
                failure(what, tr("row %1 of %2 is invalid: %3")
                                  .arg(i + 1)
                                  .arg(rows.size())
                                  .arg(validationFailure(errors))));
        }
    }
    ImportOutcome outcome;
    if (rows.isEmpty())
        return outcome;

    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, tr("%1 rows").arg(rows.size()))); !s)
        return Result<ImportOutcome>::failure(s.error());
    QSet<QString> seen;
    QList<qsizetype> fresh;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const TaxTransaction& t = rows[i];
        const QString key = t.userId + QLatin1Char('|') + dedupeKey(t);
        bool duplicate = seen.contains(key);
        if (!duplicate) {
            Result<bool> found = duplicateQuery(t, what);
            if (!found)
                return Result<ImportOutcome>::failure(found.error());
            duplicate = *found;
        }
        if (duplicate) {
            outcome.skipped.append(int(i));
            continue;
        }
        seen.insert(key);
        fresh.append(i);
    }
    // Imported rows carry stable ids (the same file always names a row alike). A row deleted
    // here and imported again keeps its deleted twin's id, so that one gets a fresh id instead.
    QList<TaxTransaction> renamed;
    for (const qsizetype i : fresh) {
        Result<QSqlQuery*> taken =
            statement(QStringLiteral("SELECT 1 FROM tax_transactions WHERE id = ?"), what);
        if (!taken)
            return Result<ImportOutcome>::failure(taken.error());
        (*taken)->bindValue(0, text(rows[i].id));
        if (Status s = execute(**taken, what); !s)
            return Result<ImportOutcome>::failure(s.error());
        const bool exists = (*taken)->next();
        (*taken)->finish();
        if (!exists)
            continue;
        if (renamed.isEmpty())
            renamed = rows;
        renamed[i].id = newUuid();
    }
    if (Status s = insertRows(renamed.isEmpty() ? rows : renamed, fresh,
                              Timestamp::now().toString(), what);
        !s)
        return Result<ImportOutcome>::failure(s.error());
    outcome.inserted = int(fresh.size());
    if (Status s = tx.commit(); !s)
        return Result<ImportOutcome>::failure(s.error());
    return outcome;
}

Status TransactionRepository::update(const TaxTransaction& t) {
    const QString what = QStringLiteral("update");
    const QStringList errors = t.validate();
    if (!errors.isEmpty())
        return Status::failure(failure(what, validationFailure(errors)));

    Result<QSqlQuery*> rq = statement(
        QStringLiteral(
            "UPDATE tax_transactions SET wallet = ?, transaction_hash = ?, block_number = ?, "
            "chain_id = ?, timestamp = ?, transaction_type = ?, asset_in_symbol = ?, "
            "asset_in_amount = ?, asset_in_price_usd = ?, asset_in_value_usd = ?, "
            "asset_out_symbol = ?, asset_out_amount = ?, asset_out_price_usd = ?, "
            "asset_out_value_usd = ?, fee_amount = ?, fee_symbol = ?, fee_value_usd = ?, "
            "cost_basis_method = ?, cost_basis_usd = ?, capital_gain_usd = ?, "
            "holding_period_days = ?, is_long_term = ?, tax_category = ?, is_taxable = ?, "
            "notes = ?, updated_at = ? WHERE id = ? AND user_id = ? AND deleted_at IS NULL"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, text(t.wallet));
    q.bindValue(i++, text(t.transactionHash));
    q.bindValue(i++, integer(t.blockNumber));
    q.bindValue(i++, integer(t.chainId));
    q.bindValue(i++, timestamp(t.timestamp));
    q.bindValue(i++, toString(t.transactionType));
    q.bindValue(i++, text(t.assetInSymbol));
    q.bindValue(i++, decimal(t.assetInAmount));
    q.bindValue(i++, decimal(t.assetInPriceUsd));
    q.bindValue(i++, decimal(t.assetInValueUsd));
    q.bindValue(i++, text(t.assetOutSymbol));
    q.bindValue(i++, decimal(t.assetOutAmount));
    q.bindValue(i++, decimal(t.assetOutPriceUsd));
    q.bindValue(i++, decimal(t.assetOutValueUsd));
    q.bindValue(i++, decimal(t.feeAmount));
    q.bindValue(i++, text(t.feeSymbol));
    q.bindValue(i++, decimal(t.feeValueUsd));
    q.bindValue(i++, toString(t.costBasisMethod));
    q.bindValue(i++, decimal(t.costBasisUsd));
    q.bindValue(i++, decimal(t.capitalGainUsd));
    q.bindValue(i++, integer(t.holdingPeriodDays));
    q.bindValue(i++, boolean(t.isLongTerm));
    q.bindValue(i++, text(t.taxCategory));
    q.bindValue(i++, boolean(t.isTaxable));
    q.bindValue(i++, text(t.notes));
    q.bindValue(i++, timestamp(Timestamp::now()));
    q.bindValue(i++, text(t.id));
    q.bindValue(i++, text(t.userId));

    return executeOne(
        q, what, t.id,
        tr("no live transaction %1 of user %2 (deleted or never stored)").arg(t.id, t.userId));
}

Result<int> TransactionRepository::setDeleted(const QStringList& ids, bool deleted,
                                              const QString& what) {
    const QString sql =
        deleted ? QStringLiteral("UPDATE tax_transactions SET deleted_at = ?, updated_at = ? "
                                 "WHERE id = ? AND deleted_at IS NULL")
                : QStringLiteral("UPDATE tax_transactions SET deleted_at = NULL, updated_at = ? "
                                 "WHERE id = ? AND deleted_at IS NOT NULL");
    Result<QSqlQuery*> rq = statement(sql, what);
    if (!rq)
        return Result<int>::failure(rq.error());
    QSqlQuery& q = **rq;
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, tr("%1 rows").arg(ids.size()))); !s)
        return Result<int>::failure(s.error());
    const QString now = Timestamp::now().toString();
    int changed = 0;
    for (const QString& id : ids) {
        int i = 0;
        if (deleted)
            q.bindValue(i++, now);
        q.bindValue(i++, now);
        q.bindValue(i++, id);
        if (Status s = execute(q, what); !s)
            return Result<int>::failure(s.error());
        changed += q.numRowsAffected();
    }
    if (Status s = tx.commit(); !s)
        return Result<int>::failure(s.error());
    return changed;
}

Result<int> TransactionRepository::softDelete(const QStringList& ids) {
    return setDeleted(ids, true, QStringLiteral("softDelete"));
}

Result<int> TransactionRepository::restore(const QStringList& ids) {
    return setDeleted(ids, false, QStringLiteral("restore"));
}

Result<int> TransactionRepository::hardDelete(const QStringList& ids) {
    const QString what = QStringLiteral("hardDelete");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("DELETE FROM tax_transactions WHERE id = ?"), what);
    if (!rq)
        return Result<int>::failure(rq.error());
    QSqlQuery& q = **rq;
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, tr("%1 rows").arg(ids.size()))); !s)
        return Result<int>::failure(s.error());
    int changed = 0;
    for (const QString& id : ids) {
        q.bindValue(0, id);
        if (Status s = execute(q, what); !s)
            return Result<int>::failure(s.error());
        changed += q.numRowsAffected();
    }
    if (Status s = tx.commit(); !s)
        return Result<int>::failure(s.error());
    return changed;
}

Result<std::optional<TaxTransaction>> TransactionRepository::get(const QString& id) {
    using R = Result<std::optional<TaxTransaction>>;
    const QString what = QStringLiteral("get");
    Result<QSqlQuery*> rq = statement(QStringLiteral("SELECT ") + kColumns +
                                          QStringLiteral(" FROM tax_transactions WHERE id = ?"),
                                      what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, id);
    return readFirst(q, &readRow, what);
}

namespace {

// SQL conditions joined by AND, with their values in placeholder order.
struct Conditions {
    QStringList sql;
    QVariantList values;

    void add(const QString& condition, const QVariantList& v = {}) {
        sql << condition;
        values += v;
    }
    QString where() const {
        return sql.isEmpty() ? QString()
                             : QStringLiteral(" WHERE ") + sql.join(QStringLiteral(" AND "));
    }
};

// "column = ?" for one value, "column IN (?, ...)" for several. In an ordered scan a list gets a
// unary plus, which keeps SQLite from driving the scan with that column's index: an IN list
// over (column, timestamp, id) comes out unsorted and would need a sort of every matching row,
// while the time index delivers the order and the list just filters.
void addMatch(Conditions* c, const char* column, const QStringList& values, bool orderedScan) {
    if (values.isEmpty())
        return;
    QVariantList v;
    for (const QString& s : values)
        v << s;
    if (values.size() == 1) {
        c->add(QLatin1String(column) + QStringLiteral(" = ?"), v);
    } else {
        c->add((orderedScan ? QStringLiteral("+") : QString()) + QLatin1String(column) +
                   QStringLiteral(" IN (") + placeholders(values.size()) + QLatin1Char(')'),
               v);
    }
}

// The end of the range of strings that start with `prefix` ("0xab" -> "0xac"), compared as
// SQLite's BINARY collation does (UTF-8 bytes, which order like code points). Empty when the last
// character cannot simply be incremented.
QString prefixEnd(const QString& prefix) {
    if (prefix.isEmpty())
        return QString();
    const char16_t last = prefix.back().unicode();
    if (last >= 0xD7FF)
        return QString(); // a surrogate or the top of the BMP: no plain successor
    return prefix.left(prefix.size() - 1) + QChar(char16_t(last + 1));
}

// Free-text search as prefixes of indexed columns: the transaction hash (with or without 0x,
// lowercase), either asset symbol (uppercase) and the wallet. Every alternative is an index
// range, so SQLite answers the OR with one index lookup per alternative instead of reading every
// row (a LIKE '%x%' over several columns scanned the whole table: seconds on a large vault).
// `byIndex` false writes the columns with a unary plus, which keeps their indexes out of the
// plan: a broad search then filters a walk of the time index instead.
void addSearchCondition(Conditions* c, const QString& text, bool byIndex) {
    const QString term = text.trimmed();
    QStringList ranges;
    QVariantList values;
    QSet<QString> seen;
    const auto range = [&](const char* column, const QString& prefix) {
        const QString end = prefixEnd(prefix);
        const QString key = QLatin1String(column) + QLatin1Char('|') + prefix;
        if (end.isEmpty() || seen.contains(key))
            return;
        seen.insert(key);
        const QString name = (byIndex ? QString() : QStringLiteral("+")) + QLatin1String(column);
        ranges << QLatin1Char('(') + name + QStringLiteral(" >= ? AND ") + name +
                      QStringLiteral(" < ?)");
        values << prefix << end;
    };
    QString hash = term.toLower();
    const bool hex = !hash.isEmpty() && std::all_of(hash.cbegin(), hash.cend(), [](QChar ch) {
        return (ch >= QLatin1Char('0') && ch <= QLatin1Char('9')) ||
               (ch >= QLatin1Char('a') && ch <= QLatin1Char('f'));
    });
    if (hex && !hash.startsWith(QLatin1String("0x")))
        range("transaction_hash", QStringLiteral("0x") + hash);
    range("transaction_hash", hash);
    range("transaction_hash", term);
    range("asset_in_symbol", term.toUpper());
    range("asset_out_symbol", term.toUpper());
    range("wallet", term);
    range("wallet", term.toLower());
    if (ranges.isEmpty()) {
        c->add(QStringLiteral("0")); // nothing can match
        return;
    }
    c->add(QLatin1Char('(') + ranges.join(QStringLiteral(" OR ")) + QLatin1Char(')'), values);
}

// Everything but the asset filter, which decides the shape of the query.
Conditions commonConditions(const TransactionFilter& f, bool orderedScan,
                            bool searchByIndex = true) {
    Conditions c;
    switch (f.deleted) {
    case DeletedRows::Exclude:
        c.add(QStringLiteral("deleted_at IS NULL"));
        break;
    case DeletedRows::Only:
        c.add(QStringLiteral("deleted_at IS NOT NULL"));
        break;
    case DeletedRows::Include:
        break;
    }
    if (!f.userId.isEmpty())
        c.add(QStringLiteral("user_id = ?"), {f.userId});
    QStringList types;
    for (TransactionType type : f.types)
        types << toString(type);
    addMatch(&c, "transaction_type", types, orderedScan);
    addMatch(&c, "wallet", f.wallets, orderedScan);
    if (f.chainId)
        c.add(QStringLiteral("chain_id = ?"), {*f.chainId});
    if (f.from)
        c.add(QStringLiteral("timestamp >= ?"), {f.from->toString()});
    if (f.until)
        c.add(QStringLiteral("timestamp < ?"), {f.until->toString()});
    if (!f.search.isEmpty())
        addSearchCondition(&c, f.search, searchByIndex);
    return c;
}

// The asset filter matches either side of a transaction.
void addAssetCondition(Conditions* c, const QStringList& assets, bool orderedScan) {
    if (assets.isEmpty())
        return;
    QVariantList v;
    for (int pass = 0; pass < 2; ++pass) {
        for (const QString& a : assets)
            v << a;
    }
    const QString plus = orderedScan ? QStringLiteral("+") : QString();
    const QString list = QStringLiteral(" IN (") + placeholders(assets.size()) + QLatin1Char(')');
    c->add(QLatin1Char('(') + plus + QStringLiteral("asset_in_symbol") + list +
               QStringLiteral(" OR ") + plus + QStringLiteral("asset_out_symbol") + list +
               QLatin1Char(')'),
           v);
}

} // namespace

QString TransactionRepository::whereClause(const TransactionFilter& f, QVariantList* values) {
    Conditions c = commonConditions(f, false);
    addAssetCondition(&c, f.assets, false);
    *values += c.values;
    return c.where();
}

Result<QSqlQuery*>
TransactionRepository::select(const TransactionFilter& filter, const QString& extraCondition,
                              const QVariantList& extraValues, const QString& tail,
                              const QVariantList& tailValues, const QString& what, bool tableOnly,
                              TransactionColumns columns) {
    const QString head =
        QStringLiteral("SELECT ") +
        (columns == TransactionColumns::All ? QString(kColumns) : taxInputColumns()) +
        (tableOnly ? QStringLiteral(" FROM tax_transactions NOT INDEXED")
                   : QStringLiteral(" FROM tax_transactions"));
    // A rare search is found through its indexes, a broad one by walking the time index.
    const bool searchByIndex = filter.search.isEmpty() || !searchIsBroad(filter);
    QString sql;
    QVariantList values;
    if (filter.assets.size() == 1) {
        // One asset (the usual view filter): the UNION ALL of "asset in" and "asset out, not
        // also in", each an index range in (timestamp, id) order; SQLite merges the two sorted
        // branches for the ORDER BY, so a page stops after LIMIT rows however rare the asset.
        const QString& asset = filter.assets.first();
        Conditions in = commonConditions(filter, true, searchByIndex);
        in.add(QStringLiteral("asset_in_symbol = ?"), {asset});
        Conditions out = commonConditions(filter, true, searchByIndex);
        out.add(QStringLiteral("asset_out_symbol = ?"), {asset});
        out.add(QStringLiteral("coalesce(asset_in_symbol, '') <> ?"), {asset});
        if (!extraCondition.isEmpty()) {
            in.add(extraCondition, extraValues);
            out.add(extraCondition, extraValues);
        }
        sql = head + in.where() + QStringLiteral(" UNION ALL ") + head + out.where();
        values = in.values + out.values;
    } else {
        Conditions c = commonConditions(filter, true, searchByIndex);
        addAssetCondition(&c, filter.assets, true);
        if (!extraCondition.isEmpty())
            c.add(extraCondition, extraValues);
        sql = head + c.where();
        values = c.values;
    }
    Result<QSqlQuery*> rq = dynamicStatement(sql + tail, what);
    if (!rq)
        return rq;
    int i = 0;
    for (const QVariant& v : values)
        (*rq)->bindValue(i++, v);
    for (const QVariant& v : tailValues)
        (*rq)->bindValue(i++, v);
    if (Status s = execute(**rq, what); !s)
        return Result<QSqlQuery*>::failure(s.error());
    return rq;
}

Status TransactionRepository::endOfRead(QSqlQuery& q, const QString& what) {
    const QSqlError sqlError = q.lastError(); // a step that failed ends the loop like the last row
    q.finish();
    if (sqlError.isValid())
        return Status::failure(failure(what, sqlError));
    return Status::success();
}

template <typename Slot, typename Sink>
Status TransactionRepository::readOrdered(const TransactionFilter& filter, bool descending,
                                          TransactionColumns columns, Slot&& slot, Sink&& sink,
                                          const RowidRange* rowids) {
    const QString what = QStringLiteral("forEach");
    Result<QSqlQuery*> rq = Result<QSqlQuery*>::failure(QString());
    if (rowids) {
        rq = select(filter, QStringLiteral("rowid BETWEEN ? AND ?"), {rowids->first, rowids->last},
                    descending ? QStringLiteral(" ORDER BY rowid DESC")
                               : QStringLiteral(" ORDER BY rowid"),
                    {}, what, true, columns);
    } else {
        // See page() for why a rare search orders by "+timestamp".
        const QString plus =
            filter.search.isEmpty() || searchIsBroad(filter) ? QString() : QStringLiteral("+");
        rq = select(filter, QString(), {},
                    descending ? QStringLiteral(" ORDER BY %1timestamp DESC, %1id DESC").arg(plus)
                               : QStringLiteral(" ORDER BY %1timestamp, %1id").arg(plus),
                    {}, what, false, columns);
    }
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const auto read = columns == TransactionColumns::All ? &readRow : &readTaxInputs;
    QString error;
    while (q.next()) {
        TaxTransaction* t = slot();
        if (!read(q, t, &error)) {
            q.finish();
            return Status::failure(failure(what, error));
        }
        if (!sink(*t))
            break;
    }
    return endOfRead(q, what);
}

Status TransactionRepository::forEach(const TransactionFilter& filter, const Visitor& visitor,
                                      bool descending, TransactionColumns columns) {
    TaxTransaction row;
    return readOrdered(
        filter, descending, columns, [&row] { return &row; },
        [&visitor](const TaxTransaction& t) { return visitor(t); });
}

Status TransactionRepository::readRows(const TransactionFilter& filter,
                                       std::vector<TaxTransaction>* rows, size_t* count,
                                       TransactionColumns columns, const std::atomic<bool>* stop) {
    return readInto(filter, nullptr, rows, count, columns, stop);
}

Status TransactionRepository::readInto(const TransactionFilter& filter, const RowidRange* rowids,
                                       std::vector<TaxTransaction>* rows, size_t* count,
                                       TransactionColumns columns, const std::atomic<bool>* stop) {
    *count = 0;
    if (rowids && columns == TransactionColumns::TaxInputs && filter.types.isEmpty() &&
        filter.wallets.isEmpty() && !filter.chainId)
        return readInputRecords(filter, *rowids, rows, count, stop);
    // Each row is read straight into its place in the (recycled) vector.
    return readOrdered(
        filter, false, columns,
        [rows, count] {
            if (*count == rows->size())
                rows->emplace_back();
            return &(*rows)[*count];
        },
        [count, stop](const TaxTransaction&) {
            ++*count;
            // Checked every 256 rows: an atomic load per row is cheap, but not free.
            return stop == nullptr || (*count & 0xff) != 0 ||
                   !stop->load(std::memory_order_relaxed);
        },
        rowids);
}

Status TransactionRepository::readInputRecords(const TransactionFilter& filter,
                                               const RowidRange& range,
                                               std::vector<TaxTransaction>* rows, size_t* count,
                                               const std::atomic<bool>* stop) {
    const QString what = QStringLiteral("readRowidRange");
    Result<QSqlQuery*> rq = statement(QStringLiteral("SELECT record FROM tax_inputs WHERE tx_rowid "
                                                     "BETWEEN ? AND ? ORDER BY tx_rowid"),
                                      what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, range.first);
    q.bindValue(1, range.last);
    if (Status s = execute(q, what); !s)
        return s;
    if (!m_inputDecoder)
        m_inputDecoder = std::make_unique<TaxInputDecoder>();
    // The filter's conditions, checked on the decoded row (the time range is the rowid range's
    // already; checked all the same, as the SELECT of the columns does).
    const QByteArray user = filter.userId.toUtf8();
    QString error;
    QByteArrayView userId;
    size_t read = 0;
    while (q.next()) {
        if (*count == rows->size())
            rows->emplace_back();
        TaxTransaction* t = &(*rows)[*count];
        const SqlCipherResult::StoredRow stored(q);
        std::optional<QByteArrayView> record = stored.blob(0);
        QByteArray copy; // without the driver's stored row (another driver): through value()
        if (!stored.isValid()) {
            copy = q.value(0).toByteArray();
            if (!copy.isNull())
                record = QByteArrayView(copy);
        }
        if (!record) {
            q.finish();
            return Status::failure(failure(what, tr("tax_inputs row without a record")));
        }
        if (!m_inputDecoder->decode(*record, t, &userId, &error)) {
            q.finish();
            return Status::failure(failure(what, error));
        }
        const bool deleted = t->deletedAt.has_value();
        const bool matches = (user.isEmpty() || userId == QByteArrayView(user)) &&
                             (filter.deleted == DeletedRows::Include ||
                              deleted == (filter.deleted == DeletedRows::Only)) &&
                             (!filter.from || !(t->timestamp < *filter.from)) &&
                             (!filter.until || t->timestamp < *filter.until);
        if (matches)
            ++*count;
        // Checked every 256 rows: an atomic load per row is cheap, but not free.
        if (stop && (++read & 0xff) == 0 && stop->load(std::memory_order_relaxed))
            break;
    }
    return endOfRead(q, what);
}

Result<qint64> TransactionRepository::taxInputsOutOfStep() {
    using R = Result<qint64>;
    QStringList arguments;
    for (int c = 0; c < TaxInputRecord::kColumnCount; ++c)
        arguments << QStringLiteral("t.") +
                         QString::fromLatin1(TaxInputRecord::columnName(TaxInputRecord::Column(c)));
    const QString sql =
        QStringLiteral("SELECT (SELECT count(*) FROM tax_transactions AS t "
                       "LEFT JOIN tax_inputs AS i ON i.tx_rowid = t.rowid WHERE i.record IS NOT ") +
        QString::fromLatin1(TaxInputRecord::kFunctionName) + QLatin1Char('(') +
        arguments.join(QStringLiteral(", ")) +
        QStringLiteral(")) + (SELECT count(*) FROM tax_inputs AS i WHERE NOT EXISTS "
                       "(SELECT 1 FROM tax_transactions AS t WHERE t.rowid = i.tx_rowid))");
    const Result<std::optional<qint64>> n =
        firstInteger(sql, {}, QStringLiteral("taxInputsOutOfStep"));
    if (!n)
        return R::failure(n.error());
    return n->value_or(0);
}

Status TransactionRepository::readRowidRange(const TransactionFilter& filter,
                                             const RowidRange& range,
                                             std::vector<TaxTransaction>* rows, size_t* count,
                                             TransactionColumns columns,
                                             const std::atomic<bool>* stop) {
    *count = 0; // also on the refusal below
    if (!filter.assets.isEmpty() || !filter.search.isEmpty())
        return Status::failure(failure(QStringLiteral("readRowidRange"),
                                       tr("a rowid range cannot be read with an asset filter or "
                                          "a search")));
    return readInto(filter, &range, rows, count, columns, stop);
}

Result<std::optional<qint64>> TransactionRepository::firstInteger(const QString& sql,
                                                                  const QVariantList& values,
                                                                  const QString& what) {
    using R = Result<std::optional<qint64>>;
    Result<QSqlQuery*> rq = statement(sql, what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    for (qsizetype i = 0; i < values.size(); ++i)
        q.bindValue(int(i), values[i]);
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    std::optional<qint64> value;
    if (q.next() && !q.isNull(0))
        value = q.value(0).toLongLong();
    const QSqlError e = q.lastError();
    q.finish();
    if (e.isValid())
        return R::failure(failure(what, e));
    return value;
}

Result<bool> TransactionRepository::rowsInTimeOrder() {
    const Result<std::optional<qint64>> flag =
        firstInteger(QStringLiteral("SELECT rowid_order FROM tax_ledger_changes WHERE id = 1"), {},
                     QStringLiteral("rowsInTimeOrder"));
    if (!flag)
        return Result<bool>::failure(flag.error());
    return flag.value() == 1;
}

Result<std::optional<RowidRange>>
TransactionRepository::rowidRangeOf(const std::optional<Timestamp>& from,
                                    const std::optional<Timestamp>& until) {
    using R = Result<std::optional<RowidRange>>;
    const QString what = QStringLiteral("rowidRangeOf");
    // Each end: the first or last row by the time index within the bound, or the table's lowest
    // or highest rowid without one.
    const Result<std::optional<qint64>> first =
        from
            ? firstInteger(QStringLiteral("SELECT rowid FROM tax_transactions WHERE timestamp >= ? "
                                          "ORDER BY timestamp, id LIMIT 1"),
                           {from->toString()}, what)
            : firstInteger(QStringLiteral("SELECT min(rowid) FROM tax_transactions"), {}, what);
    if (!first)
        return R::failure(first.error());
    const Result<std::optional<qint64>> last =
        until
            ? firstInteger(QStringLiteral("SELECT rowid FROM tax_transactions WHERE timestamp < ? "
                                          "ORDER BY timestamp DESC, id DESC LIMIT 1"),
                           {until->toString()}, what)
            : firstInteger(QStringLiteral("SELECT max(rowid) FROM tax_transactions"), {}, what);
    if (!last)
        return R::failure(last.error());
    if (!first.value() || !last.value() || *first.value() > *last.value())
        return std::optional<RowidRange>();
    return std::optional<RowidRange>(RowidRange{*first.value(), *last.value()});
}

Result<QList<TaxTransaction>> TransactionRepository::list(const TransactionFilter& filter) {
    QList<TaxTransaction> rows;
    const Status s = forEach(filter, [&rows](const TaxTransaction& t) {
        rows.append(t);
        return true;
    });
    if (!s)
        return Result<QList<TaxTransaction>>::failure(s.error());
    return rows;
}

Result<TransactionPage> TransactionRepository::page(const TransactionFilter& filter,
                                                    const std::optional<TransactionKey>& key,
                                                    int limit, PageDirection direction) {
    using R = Result<TransactionPage>;
    const QString what = QStringLiteral("page");
    if (limit < 1)
        return R::failure(
            failure(what, tr("the page size must be at least 1 (it is %1)").arg(limit)));
    const bool forward = direction == PageDirection::Forward;
    QString condition;
    QVariantList keyValues;
    if (key) {
        // "timestamp >= k" lets the (timestamp, id) index seek; the second term breaks ties.
        condition = forward ? QStringLiteral("timestamp >= ? AND (timestamp > ? OR id > ?)")
                            : QStringLiteral("timestamp <= ? AND (timestamp < ? OR id < ?)");
        const QString ts = key->timestamp.toString();
        keyValues << ts << ts << key->id;
    }
    QString tail = forward ? QStringLiteral(" ORDER BY timestamp, id LIMIT ?")
                           : QStringLiteral(" ORDER BY timestamp DESC, id DESC LIMIT ?");
    if (!filter.search.isEmpty() && !searchIsBroad(filter)) {
        // A rare search is driven by its index ranges, which find the few matching rows
        // directly; walking the time index instead would read every row to find a rare match.
        // The unary plus keeps the time index out of it (the matches are sorted afterwards). A
        // broad one walks the time index, which meets a page of matches soon.
        condition.replace(QStringLiteral("timestamp"), QStringLiteral("+timestamp"));
        condition.replace(QStringLiteral("id "), QStringLiteral("+id "));
        tail.replace(QStringLiteral("timestamp"), QStringLiteral("+timestamp"));
        tail.replace(QStringLiteral(", id"), QStringLiteral(", +id"));
    }

    // One row more than asked tells whether there is a next page.
    Result<QSqlQuery*> rq = select(filter, condition, keyValues, tail, {limit + 1}, what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    TransactionPage page;
    QString error;
    while (q.next()) {
        if (page.rows.size() == limit) {
            page.hasMore = true;
            break;
        }
        TaxTransaction t;
        if (!readRow(q, &t, &error)) {
            q.finish();
            return R::failure(failure(what, error));
        }
        page.rows.append(std::move(t));
    }
    const QSqlError sqlError = q.lastError();
    q.finish();
    if (sqlError.isValid())
        return R::failure(failure(what, sqlError));
    if (!forward)
        std::reverse(page.rows.begin(), page.rows.end());
    return page;
}

bool TransactionRepository::searchIsBroad(const TransactionFilter& filter) {
    // Sorting the matches costs about as much as walking the time index to collect a page of
    // them once there are this many (measured on a 300,000-row vault).
    constexpr int kBroad = 5000;
    QVariantList values;
    const QString where = whereClause(filter, &values);
    QString key = where;
    for (const QVariant& v : values)
        key += QLatin1Char('\x1f') + v.toString();
    if (const auto it = m_searchBreadth.constFind(key); it != m_searchBreadth.constEnd())
        return *it;
    Result<QSqlQuery*> rq =
        dynamicStatement(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM tax_transactions") +
                             where + QStringLiteral(" LIMIT %1)").arg(kBroad),
                         QStringLiteral("searchIsBroad"));
    bool broad = false;
    if (rq) {
        QSqlQuery& q = **rq;
        for (int i = 0; i < values.size(); ++i)
            q.bindValue(i, values[i]);
        if (execute(q, QStringLiteral("searchIsBroad")) && q.next())
            broad = q.value(0).toLongLong() >= kBroad;
        q.finish();
    }
    // On an error the rare-search plan is the safe one; the page query reports the error.
    if (m_searchBreadth.size() > 64)
        m_searchBreadth.clear();
    m_searchBreadth.insert(key, broad);
    return broad;
}

Result<qint64> TransactionRepository::count(const TransactionFilter& filter) {
    const QString what = QStringLiteral("count");
    QVariantList values;
    const QString where = whereClause(filter, &values);
    Result<QSqlQuery*> rq =
        dynamicStatement(QStringLiteral("SELECT count(*) FROM tax_transactions") + where, what);
    if (!rq)
        return Result<qint64>::failure(rq.error());
    QSqlQuery& q = **rq;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values[i]);
    if (Status s = execute(q, what); !s)
        return Result<qint64>::failure(s.error());
    if (!q.next()) {
        const QSqlError e = q.lastError();
        q.finish();
        return Result<qint64>::failure(failure(what, e));
    }
    const qint64 n = q.value(0).toLongLong();
    q.finish();
    return n;
}

QString TransactionRepository::dedupeKey(const TaxTransaction& t) {
    // Amounts in canonical text, so "1.50" and "1.5" are the same key.
    const auto amount = [](const std::optional<Decimal>& d) {
        return d ? d->toString() : QString();
    };
    return t.transactionHash + QLatin1Char('|') + toString(t.transactionType) + QLatin1Char('|') +
           t.timestamp.toString() + QLatin1Char('|') + amount(t.assetInAmount) + QLatin1Char('|') +
           amount(t.assetOutAmount) + QLatin1Char('|') + amount(t.feeAmount);
}

Result<bool> TransactionRepository::duplicateQuery(const TaxTransaction& t, const QString& what) {
    // Stored amounts are canonical text (written by Decimal), so text equality is value equality.
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT 1 FROM tax_transactions WHERE transaction_hash = ? "
                       "AND user_id = ? AND transaction_type = ? AND timestamp = ? "
                       "AND asset_in_amount IS ? AND asset_out_amount IS ? AND fee_amount IS ? "
                       "AND deleted_at IS NULL LIMIT 1"),
        what);
    if (!rq)
        return Result<bool>::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, text(t.transactionHash));
    q.bindValue(i++, text(t.userId));
    q.bindValue(i++, toString(t.transactionType));
    q.bindValue(i++, timestamp(t.timestamp));
    q.bindValue(i++, decimal(t.assetInAmount));
    q.bindValue(i++, decimal(t.assetOutAmount));
    q.bindValue(i++, decimal(t.feeAmount));
    if (Status s = execute(q, what); !s)
        return Result<bool>::failure(s.error());
    const bool found = q.next();
    const QSqlError e = q.lastError();
    q.finish();
    if (e.isValid())
        return Result<bool>::failure(failure(what, e));
    return found;
}

Result<bool> TransactionRepository::existsDuplicate(const TaxTransaction& transaction) {
    return duplicateQuery(transaction, QStringLiteral("existsDuplicate"));
}

} // namespace llamadesk::store
