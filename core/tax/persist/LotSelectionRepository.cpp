#include "tax/persist/LotSelectionRepository.h"

#include <QSet>
#include <QSqlQuery>

namespace llamadesk::tax {

LotSelectionRepository::LotSelectionRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "LotSelectionRepository") {}

// Defined inside a member so that it may use the protected Row reader.
Result<QList<LotSelectionRepository::StoredSelection>>
LotSelectionRepository::readRows(QSqlQuery& query, const QString& what) {
    const RowReader<StoredSelection> read = [](const QSqlQuery& q, StoredSelection* out,
                                               QString* error) {
        Row row(q);
        out->disposal = row.text(0);
        out->selection.lotId = row.text(1);
        out->selection.amount = row.decimal(2);
        if (!row.ok()) {
            *error = row.error();
            return false;
        }
        return true;
    };
    return readAll<StoredSelection>(query, read, what);
}

Result<QHash<QString, QList<LotSelection>>> LotSelectionRepository::all(const QString& userId) {
    using R = Result<QHash<QString, QList<LotSelection>>>;
    const QString what = QStringLiteral("all");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT disposal_transaction_id, lot_transaction_id, amount FROM "
                       "lot_selections WHERE user_id = ? ORDER BY disposal_transaction_id, "
                       "position"),
        what);
    if (!rq)
        return R::failure(rq.error());
    (*rq)->bindValue(0, userId);
    Result<QList<StoredSelection>> rows = readRows(**rq, what);
    if (!rows)
        return R::failure(rows.error());
    QHash<QString, QList<LotSelection>> out;
    for (const StoredSelection& s : rows.value())
        out[s.disposal].append(s.selection);
    return out;
}

Result<QList<LotSelection>> LotSelectionRepository::forDisposal(const QString& userId,
                                                                const QString& disposalId) {
    using R = Result<QList<LotSelection>>;
    const QString what = QStringLiteral("forDisposal");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT disposal_transaction_id, lot_transaction_id, amount FROM "
                                 "lot_selections WHERE user_id = ? AND disposal_transaction_id = ? "
                                 "ORDER BY position"),
                  what);
    if (!rq)
        return R::failure(rq.error());
    (*rq)->bindValue(0, userId);
    (*rq)->bindValue(1, disposalId);
    Result<QList<StoredSelection>> rows = readRows(**rq, what);
    if (!rows)
        return R::failure(rows.error());
    QList<LotSelection> out;
    for (const StoredSelection& s : rows.value())
        out.append(s.selection);
    return out;
}

Status LotSelectionRepository::save(const QString& userId, const QString& disposalId,
                                    const QList<LotSelection>& selections) {
    const QString what = QStringLiteral("save");
    if (disposalId.isEmpty())
        return Status::failure(failure(what, tr("the disposal has no transaction id")));
    QSet<QString> seen;
    for (const LotSelection& s : selections) {
        if (s.lotId.isEmpty())
            return Status::failure(failure(what, tr("a selection names no lot")));
        if (seen.contains(s.lotId))
            return Status::failure(failure(what, tr("a lot is named twice for one disposal")));
        seen.insert(s.lotId);
        if (!s.amount.isValid() || !s.amount.isPositive())
            return Status::failure(failure(what, tr("a selected amount is not positive")));
    }
    Transaction transaction(database());
    if (Status s = transaction.begin(what); !s)
        return s;
    Result<QSqlQuery*> del = statement(
        QStringLiteral(
            "DELETE FROM lot_selections WHERE user_id = ? AND disposal_transaction_id = ?"),
        what);
    if (!del)
        return Status::failure(del.error());
    (*del)->bindValue(0, userId);
    (*del)->bindValue(1, disposalId);
    if (Status s = execute(**del, what); !s)
        return s;
    Result<QSqlQuery*> ins =
        statement(QStringLiteral("INSERT INTO lot_selections (user_id, disposal_transaction_id, "
                                 "lot_transaction_id, position, amount) VALUES (?, ?, ?, ?, ?)"),
                  what);
    if (!ins)
        return Status::failure(ins.error());
    for (qsizetype i = 0; i < selections.size(); ++i) {
        QSqlQuery& q = **ins;
        q.bindValue(0, userId);
        q.bindValue(1, disposalId);
        q.bindValue(2, selections.at(i).lotId);
        q.bindValue(3, qint64(i));
        q.bindValue(4, decimal(selections.at(i).amount));
        if (Status s = execute(q, what); !s)
            return s;
    }
    return transaction.commit();
}

Result<int> LotSelectionRepository::clear(const QString& userId) {
    const QString what = QStringLiteral("clear");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("DELETE FROM lot_selections WHERE user_id = ?"), what);
    if (!rq)
        return Result<int>::failure(rq.error());
    (*rq)->bindValue(0, userId);
    if (Status s = execute(**rq, what); !s)
        return Result<int>::failure(s.error());
    return int((*rq)->numRowsAffected());
}

} // namespace llamadesk::tax
