#include "LotRepository.h"

#include <QLatin1String>
#include <QSqlError>

namespace llamadesk::store {

namespace {

const QLatin1String kColumns(
    "id, user_id, wallet, asset_symbol, chain_id, acquired_transaction_id, acquired_date, "
    "acquired_amount, acquired_price_usd, cost_basis_usd, disposed_transaction_id, disposed_date, "
    "disposed_amount, disposed_price_usd, proceeds_usd, remaining_amount, is_fully_disposed, "
    "created_at, updated_at, deleted_at, row_version");

constexpr int kLotColumns = 20;
// 49 lots x 20 values stays under SQLite's default limit of 999 variables per statement.
constexpr int kRowsPerStatement = 999 / kLotColumns;

QString insertSql(int rows) {
    QString row = QStringLiteral("(");
    for (int i = 0; i < kLotColumns; ++i)
        row += i == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
    row += QLatin1Char(')');
    QString values;
    for (int r = 0; r < rows; ++r)
        values += r == 0 ? row : QStringLiteral(", ") + row;
    return QStringLiteral("INSERT INTO cost_basis_lots (id, user_id, wallet, asset_symbol, "
                          "chain_id, acquired_transaction_id, acquired_date, acquired_amount, "
                          "acquired_price_usd, cost_basis_usd, disposed_transaction_id, "
                          "disposed_date, disposed_amount, disposed_price_usd, proceeds_usd, "
                          "remaining_amount, is_fully_disposed, created_at, updated_at, "
                          "deleted_at) VALUES ") +
           values;
}

QVariant optionalId(const QString& id) {
    return id.isEmpty() ? QVariant() : QVariant(id);
}

} // namespace

LotRepository::LotRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "LotRepository") {}

bool LotRepository::readRow(const QSqlQuery& query, CostBasisLot* l, QString* error) {
    Row r(query);
    l->id = r.text(0);
    l->userId = r.text(1);
    l->wallet = r.text(2);
    l->assetSymbol = r.text(3);
    l->chainId = r.integer(4);
    l->acquiredTransactionId = r.optText(5).value_or(QString());
    l->acquiredDate = r.timestamp(6);
    l->acquiredAmount = r.decimal(7);
    l->acquiredPriceUsd = r.decimal(8);
    l->costBasisUsd = r.decimal(9);
    l->disposedTransactionId = r.optText(10).value_or(QString());
    l->disposedDate = r.optTimestamp(11);
    l->disposedAmount = r.optDecimal(12);
    l->disposedPriceUsd = r.optDecimal(13);
    l->proceedsUsd = r.optDecimal(14);
    l->remainingAmount = r.decimal(15);
    l->isFullyDisposed = r.boolean(16, false);
    l->createdAt = r.optTimestamp(17);
    l->updatedAt = r.optTimestamp(18);
    l->deletedAt = r.optTimestamp(19);
    l->rowVersion = r.integer(20);
    if (!r.ok()) {
        *error = tr("cost_basis_lots row %1, %2").arg(l->id, r.error());
        return false;
    }
    return true;
}

QString LotRepository::scopeClause(const LotScope& scope, QVariantList* values) {
    QString where = QStringLiteral(" WHERE user_id = ?");
    values->append(scope.userId);
    if (!scope.assetSymbol.isEmpty()) {
        where += QStringLiteral(" AND asset_symbol = ?");
        values->append(scope.assetSymbol);
    }
    if (!scope.wallet.isEmpty()) {
        where += QStringLiteral(" AND wallet = ?");
        values->append(scope.wallet);
    }
    return where;
}

Status LotRepository::replaceLots(const LotScope& scope, const QList<CostBasisLot>& lots) {
    const QString what = QStringLiteral("replaceLots");
    if (scope.userId.isEmpty())
        return Status::failure(failure(what, tr("the scope needs a user_id")));
    for (qsizetype i = 0; i < lots.size(); ++i) {
        const CostBasisLot& l = lots[i];
        QStringList errors = l.validate();
        if (l.userId != scope.userId ||
            (!scope.assetSymbol.isEmpty() && l.assetSymbol != scope.assetSymbol) ||
            (!scope.wallet.isEmpty() && l.wallet != scope.wallet))
            errors << tr("the lot lies outside the scope being replaced.");
        if (!errors.isEmpty()) {
            return Status::failure(failure(what, tr("lot %1 of %2 is invalid: %3")
                                                     .arg(i + 1)
                                                     .arg(lots.size())
                                                     .arg(errors.join(QLatin1Char(' ')))));
        }
    }

    QVariantList values;
    const QString where = scopeClause(scope, &values);
    Result<QSqlQuery*> del =
        dynamicStatement(QStringLiteral("DELETE FROM cost_basis_lots") + where, what);
    if (!del)
        return Status::failure(del.error());
    QSqlQuery* deleteQuery = *del;
    Result<QSqlQuery*> one = statement(insertSql(1), what);
    if (!one)
        return Status::failure(one.error());
    Result<QSqlQuery*> many = statement(insertSql(kRowsPerStatement), what);
    if (!many)
        return Status::failure(many.error());

    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, scope.assetSymbol)); !s)
        return s;
    for (int i = 0; i < values.size(); ++i)
        deleteQuery->bindValue(i, values[i]);
    if (Status s = execute(*deleteQuery, what); !s)
        return s;
    const QString now = Timestamp::now().toString();
    // Many lots per statement: each statement journals (and in an encrypted vault encrypts) the
    // pages it touches once, because of the outbox trigger.
    qsizetype next = 0;
    for (; next + kRowsPerStatement <= lots.size(); next += kRowsPerStatement) {
        for (int r = 0; r < kRowsPerStatement; ++r)
            bindLot(**many, r * kLotColumns, lots[next + r], now);
        if ((*many)->exec())
            continue;
        // Undone as a whole by SQLite: insert its lots one by one to name the one refused.
        for (int r = 0; r < kRowsPerStatement; ++r) {
            bindLot(**one, 0, lots[next + r], now);
            if (!(*one)->exec()) {
                return Status::failure(failure(what, tr("lot %1 of %2: %3")
                                                         .arg(next + r + 1)
                                                         .arg(lots.size())
                                                         .arg(describe((*one)->lastError()))));
            }
        }
        return Status::failure(failure(what, (*many)->lastError()));
    }
    for (; next < lots.size(); ++next) {
        bindLot(**one, 0, lots[next], now);
        if (!(*one)->exec()) {
            return Status::failure(failure(what, tr("lot %1 of %2: %3")
                                                     .arg(next + 1)
                                                     .arg(lots.size())
                                                     .arg(describe((*one)->lastError()))));
        }
    }
    return tx.commit();
}

void LotRepository::bindLot(QSqlQuery& q, int offset, const CostBasisLot& l, const QString& now) {
    int i = offset;
    q.bindValue(i++, text(l.id));
    q.bindValue(i++, text(l.userId));
    q.bindValue(i++, text(l.wallet));
    q.bindValue(i++, text(l.assetSymbol));
    q.bindValue(i++, integer(l.chainId));
    q.bindValue(i++, optionalId(l.acquiredTransactionId));
    q.bindValue(i++, timestamp(l.acquiredDate));
    q.bindValue(i++, decimal(l.acquiredAmount));
    q.bindValue(i++, decimal(l.acquiredPriceUsd));
    q.bindValue(i++, decimal(l.costBasisUsd));
    q.bindValue(i++, optionalId(l.disposedTransactionId));
    q.bindValue(i++, timestamp(l.disposedDate));
    q.bindValue(i++, decimal(l.disposedAmount));
    q.bindValue(i++, decimal(l.disposedPriceUsd));
    q.bindValue(i++, decimal(l.proceedsUsd));
    q.bindValue(i++, decimal(l.remainingAmount));
    q.bindValue(i++, boolean(l.isFullyDisposed));
    q.bindValue(i++, l.createdAt ? timestamp(*l.createdAt) : QVariant(now));
    q.bindValue(i++, l.updatedAt ? timestamp(*l.updatedAt) : QVariant(now));
    q.bindValue(i++, timestamp(l.deletedAt));
    Q_ASSERT(i == offset + kLotColumns);
}

Result<QList<CostBasisLot>> LotRepository::lots(const LotScope& scope, bool openOnly) {
    using R = Result<QList<CostBasisLot>>;
    const QString what = QStringLiteral("lots");
    if (scope.userId.isEmpty())
        return R::failure(failure(what, tr("the scope needs a user_id")));
    QVariantList values;
    QString where = scopeClause(scope, &values) + QStringLiteral(" AND deleted_at IS NULL");
    if (openOnly)
        where += QStringLiteral(" AND is_fully_disposed = 0");
    Result<QSqlQuery*> rq = dynamicStatement(QStringLiteral("SELECT ") + kColumns +
                                                 QStringLiteral(" FROM cost_basis_lots") + where +
                                                 QStringLiteral(" ORDER BY acquired_date, id"),
                                             what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values[i]);
    return readAll(q, &readRow, what);
}

Result<std::optional<CostBasisLot>> LotRepository::get(const QString& id) {
    using R = Result<std::optional<CostBasisLot>>;
    const QString what = QStringLiteral("get");
    Result<QSqlQuery*> rq = statement(QStringLiteral("SELECT ") + kColumns +
                                          QStringLiteral(" FROM cost_basis_lots WHERE id = ?"),
                                      what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, id);
    return readFirst(q, &readRow, what);
}

} // namespace llamadesk::store
