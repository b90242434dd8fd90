#include "PortfolioRepository.h"

#include <QLatin1String>
#include <QSqlError>

#include <algorithm>

namespace llamadesk::store {

namespace {

const QLatin1String kAssetColumns(
    "id, user_id, asset_type, asset_symbol, asset_name, asset_address, chain_id, protocol_name, "
    "protocol_address, balance, balance_usd, price_usd, cost_basis_usd, unrealized_pnl_usd, "
    "unrealized_pnl_percentage, metadata, first_acquired_at, last_updated_at, created_at, "
    "updated_at, deleted_at, row_version");

const QLatin1String kSnapshotColumns(
    "id, user_id, total_value_usd, total_assets, total_chains, total_protocols, daily_pnl_usd, "
    "daily_pnl_percentage, total_pnl_usd, total_pnl_percentage, sharpe_ratio, max_drawdown, "
    "volatility, allocation_by_asset_type, allocation_by_chain, allocation_by_protocol, "
    "snapshot_date, timestamp, updated_at, deleted_at, row_version");

} // namespace

PortfolioRepository::PortfolioRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "PortfolioRepository") {}

bool PortfolioRepository::readAsset(const QSqlQuery& query, PortfolioAsset* a, QString* error) {
    Row r(query);
    a->id = r.text(0);
    a->userId = r.text(1);
    a->assetType = r.enumeration(2, &assetTypeFromString, AssetType::Token);
    a->assetSymbol = r.optText(3);
    a->assetName = r.optText(4);
    a->assetAddress = r.optText(5);
    a->chainId = r.integer(6);
    a->protocolName = r.optText(7);
    a->protocolAddress = r.optText(8);
    a->balance = r.decimal(9);
    a->balanceUsd = r.decimal(10);
    a->priceUsd = r.optDecimal(11);
    a->costBasisUsd = r.optDecimal(12);
    a->unrealizedPnlUsd = r.optDecimal(13);
    a->unrealizedPnlPercentage = r.optDecimal(14);
    a->metadata = r.optText(15);
    a->firstAcquiredAt = r.optTimestamp(16);
    a->lastUpdatedAt = r.optTimestamp(17);
    a->createdAt = r.optTimestamp(18);
    a->updatedAt = r.optTimestamp(19);
    a->deletedAt = r.optTimestamp(20);
    a->rowVersion = r.integer(21);
    if (!r.ok()) {
        *error = tr("portfolio_assets row %1, %2").arg(a->id, r.error());
        return false;
    }
    return true;
}

bool PortfolioRepository::readSnapshot(const QSqlQuery& query, PortfolioSnapshot* s,
                                       QString* error) {
    Row r(query);
    s->id = r.text(0);
    s->userId = r.text(1);
    s->totalValueUsd = r.decimal(2);
    s->totalAssets = r.integer(3);
    s->totalChains = r.integer(4);
    s->totalProtocols = r.integer(5);
    s->dailyPnlUsd = r.optDecimal(6);
    s->dailyPnlPercentage = r.optDecimal(7);
    s->totalPnlUsd = r.optDecimal(8);
    s->totalPnlPercentage = r.optDecimal(9);
    s->sharpeRatio = r.optDecimal(10);
    s->maxDrawdown = r.optDecimal(11);
    s->volatility = r.optDecimal(12);
    s->allocationByAssetType = r.optText(13);
    s->allocationByChain = r.optText(14);
    s->allocationByProtocol = r.optText(15);
    s->snapshotDate = r.text(16);
    s->timestamp = r.timestamp(17);
    s->updatedAt = r.optTimestamp(18);
    s->deletedAt = r.optTimestamp(19);
    s->rowVersion = r.integer(20);
    if (!r.ok()) {
        *error = tr("portfolio_snapshots row %1, %2").arg(s->id, r.error());
        return false;
    }
    return true;
}

Status PortfolioRepository::upsertOne(const PortfolioAsset& a, const QString& now,
                                      const QString& what) {
    Result<QSqlQuery*> up = statement(
        QStringLiteral("UPDATE portfolio_assets SET asset_type = ?, asset_symbol = ?, "
                       "asset_name = ?, asset_address = ?, chain_id = ?, protocol_name = ?, "
                       "protocol_address = ?, balance = ?, balance_usd = ?, price_usd = ?, "
                       "cost_basis_usd = ?, unrealized_pnl_usd = ?, "
                       "unrealized_pnl_percentage = ?, metadata = ?, first_acquired_at = ?, "
                       "last_updated_at = ?, updated_at = ?, deleted_at = NULL "
                       "WHERE id = ? AND user_id = ?"),
        what);
    if (!up)
        return Status::failure(up.error());
    QSqlQuery& u = **up;
    int i = 0;
    u.bindValue(i++, toString(a.assetType));
    u.bindValue(i++, text(a.assetSymbol));
    u.bindValue(i++, text(a.assetName));
    u.bindValue(i++, text(a.assetAddress));
    u.bindValue(i++, integer(a.chainId));
    u.bindValue(i++, text(a.protocolName));
    u.bindValue(i++, text(a.protocolAddress));
    u.bindValue(i++, decimal(a.balance));
    u.bindValue(i++, decimal(a.balanceUsd));
    u.bindValue(i++, decimal(a.priceUsd));
    u.bindValue(i++, decimal(a.costBasisUsd));
    u.bindValue(i++, decimal(a.unrealizedPnlUsd));
    u.bindValue(i++, decimal(a.unrealizedPnlPercentage));
    u.bindValue(i++, text(a.metadata));
    u.bindValue(i++, timestamp(a.firstAcquiredAt));
    u.bindValue(i++, a.lastUpdatedAt ? timestamp(*a.lastUpdatedAt) : QVariant(now));
    u.bindValue(i++, now);
    u.bindValue(i++, text(a.id));
    u.bindValue(i++, text(a.userId));
    if (Status s = execute(u, what); !s)
        return s;
    if (u.numRowsAffected() == 1)
        return Status::success();

    Result<QSqlQuery*> ins = statement(
        QStringLiteral("INSERT INTO portfolio_assets (id, user_id, asset_type, asset_symbol, "
                       "asset_name, asset_address, chain_id, protocol_name, protocol_address, "
                       "balance, balance_usd, price_usd, cost_basis_usd, unrealized_pnl_usd, "
                       "unrealized_pnl_percentage, metadata, first_acquired_at, last_updated_at, "
                       "created_at, updated_at, deleted_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        what);
    if (!ins)
        return Status::failure(ins.error());
    QSqlQuery& q = **ins;
    i = 0;
    q.bindValue(i++, text(a.id));
    q.bindValue(i++, text(a.userId));
    q.bindValue(i++, toString(a.assetType));
    q.bindValue(i++, text(a.assetSymbol));
    q.bindValue(i++, text(a.assetName));
    q.bindValue(i++, text(a.assetAddress));
    q.bindValue(i++, integer(a.chainId));
    q.bindValue(i++, text(a.protocolName));
    q.bindValue(i++, text(a.protocolAddress));
    q.bindValue(i++, decimal(a.balance));
    q.bindValue(i++, decimal(a.balanceUsd));
    q.bindValue(i++, decimal(a.priceUsd));
    q.bindValue(i++, decimal(a.costBasisUsd));
    q.bindValue(i++, decimal(a.unrealizedPnlUsd));
    q.bindValue(i++, decimal(a.unrealizedPnlPercentage));
    q.bindValue(i++, text(a.metadata));
    q.bindValue(i++, timestamp(a.firstAcquiredAt));
    q.bindValue(i++, a.lastUpdatedAt ? timestamp(*a.lastUpdatedAt) : QVariant(now));
    q.bindValue(i++, a.createdAt ? timestamp(*a.createdAt) : QVariant(now));
    q.bindValue(i++, a.updatedAt ? timestamp(*a.updatedAt) : QVariant(now));
    q.bindValue(i++, timestamp(a.deletedAt));
    // An id that exists for another user fails here on the primary key, as it should.
    return execute(q, what);
}

Status PortfolioRepository::upsertAsset(const PortfolioAsset& asset) {
    return upsertAssets({asset});
}

Status PortfolioRepository::upsertAssets(const QList<PortfolioAsset>& assets) {
    const QString what = QStringLiteral("upsertAssets");
    for (qsizetype i = 0; i < assets.size(); ++i) {
        if (const QStringList errors = assets[i].validate(); !errors.isEmpty()) {
            return Status::failure(failure(what, tr("asset %1 of %2 is invalid: %3")
                                                     .arg(i + 1)
                                                     .arg(assets.size())
                                                     .arg(errors.join(QLatin1Char(' ')))));
        }
    }
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, tr("%1 assets").arg(assets.size()))); !s)
        return s;
    const QString now = Timestamp::now().toString();
    for (const PortfolioAsset& a : assets) {
        if (Status s = upsertOne(a, now, what); !s)
            return s;
    }
    return tx.commit();
}

Status PortfolioRepository::softDeleteAsset(const QString& id) {
    const QString what = QStringLiteral("softDeleteAsset");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE portfolio_assets SET deleted_at = ?, updated_at = ? "
                                 "WHERE id = ? AND deleted_at IS NULL"),
                  what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const QString now = Timestamp::now().toString();
    q.bindValue(0, now);
    q.bindValue(1, now);
    q.bindValue(2, id);
    return executeOne(q, what, id, tr("no live asset %1").arg(id));
}

Result<std::optional<PortfolioAsset>> PortfolioRepository::asset(const QString& id) {
    using R = Result<std::optional<PortfolioAsset>>;
    const QString what = QStringLiteral("asset");
    Result<QSqlQuery*> rq = statement(QStringLiteral("SELECT ") + kAssetColumns +
                                          QStringLiteral(" FROM portfolio_assets WHERE id = ?"),
                                      what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, id);
    return readFirst(q, &readAsset, what);
}

Result<QList<PortfolioAsset>> PortfolioRepository::assets(const QString& userId) {
    using R = Result<QList<PortfolioAsset>>;
    const QString what = QStringLiteral("assets");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kAssetColumns +
            QStringLiteral(" FROM portfolio_assets WHERE user_id = ? AND deleted_at IS NULL"),
        what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    Result<QList<PortfolioAsset>> rows = readAll(q, &readAsset, what);
    if (!rows)
        return rows;
    QList<PortfolioAsset> out = std::move(rows).value();
    // Stored decimals are text: "9" > "10" as text, so order by value here.
    std::stable_sort(out.begin(), out.end(), [](const PortfolioAsset& x, const PortfolioAsset& y) {
        if (x.balanceUsd != y.balanceUsd)
            return x.balanceUsd > y.balanceUsd;
        return x.id < y.id;
    });
    return out;
}

Status PortfolioRepository::insertSnapshot(const PortfolioSnapshot& s) {
    const QString what = QStringLiteral("insertSnapshot");
    if (const QStringList errors = s.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("INSERT INTO portfolio_snapshots (id, user_id, total_value_usd, "
                       "total_assets, total_chains, total_protocols, daily_pnl_usd, "
                       "daily_pnl_percentage, total_pnl_usd, total_pnl_percentage, sharpe_ratio, "
                       "max_drawdown, volatility, allocation_by_asset_type, allocation_by_chain, "
                       "allocation_by_protocol, snapshot_date, timestamp, updated_at, deleted_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, text(s.id));
    q.bindValue(i++, text(s.userId));
    q.bindValue(i++, decimal(s.totalValueUsd));
    q.bindValue(i++, integer(s.totalAssets));
    q.bindValue(i++, integer(s.totalChains));
    q.bindValue(i++, integer(s.totalProtocols));
    q.bindValue(i++, decimal(s.dailyPnlUsd));
    q.bindValue(i++, decimal(s.dailyPnlPercentage));
    q.bindValue(i++, decimal(s.totalPnlUsd));
    q.bindValue(i++, decimal(s.totalPnlPercentage));
    q.bindValue(i++, decimal(s.sharpeRatio));
    q.bindValue(i++, decimal(s.maxDrawdown));
    q.bindValue(i++, decimal(s.volatility));
    q.bindValue(i++, text(s.allocationByAssetType));
    q.bindValue(i++, text(s.allocationByChain));
    q.bindValue(i++, text(s.allocationByProtocol));
    q.bindValue(i++, text(s.snapshotDate));
    q.bindValue(i++, timestamp(s.timestamp));
    q.bindValue(i++, s.updatedAt ? timestamp(*s.updatedAt) : QVariant(Timestamp::now().toString()));
    q.bindValue(i++, timestamp(s.deletedAt));
    Transaction tx(m_db);
    if (Status st = tx.begin(failure(what, s.id)); !st)
        return st;
    if (Status st = execute(q, what); !st)
        return st;
    return tx.commit();
}

Result<QList<PortfolioSnapshot>>
PortfolioRepository::snapshots(const QString& userId, const std::optional<Timestamp>& from,
                               const std::optional<Timestamp>& until) {
    const QString what = QStringLiteral("snapshots");
    // Open bounds become the extremes of the stored form, so one statement serves every call.
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kSnapshotColumns +
            QStringLiteral(" FROM portfolio_snapshots WHERE user_id = ? AND deleted_at IS NULL "
                           "AND timestamp >= ? AND timestamp < ? ORDER BY timestamp"),
        what);
    if (!rq)
        return Result<QList<PortfolioSnapshot>>::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    q.bindValue(1, from ? from->toString() : QStringLiteral("0000"));
    q.bindValue(2, until ? until->toString() : QStringLiteral("9999-12-31T23:59:59.999999Z~"));
    return readAll(q, &readSnapshot, what);
}

Result<std::optional<PortfolioSnapshot>>
PortfolioRepository::latestSnapshot(const QString& userId) {
    using R = Result<std::optional<PortfolioSnapshot>>;
    const QString what = QStringLiteral("latestSnapshot");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kSnapshotColumns +
            QStringLiteral(" FROM portfolio_snapshots WHERE user_id = ? AND deleted_at IS NULL "
                           "ORDER BY timestamp DESC LIMIT 1"),
        what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    Result<QList<PortfolioSnapshot>> rows = readAll(q, &readSnapshot, what);
    if (!rows)
        return R::failure(rows.error());
    if (rows->isEmpty())
        return std::optional<PortfolioSnapshot>();
    return std::optional<PortfolioSnapshot>(rows->first());
}

} // namespace llamadesk::store
