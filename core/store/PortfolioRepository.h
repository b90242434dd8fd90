#pragma once

#include "domain/PortfolioAsset.h"
#include "domain/PortfolioSnapshot.h"
#include "store/SqlRepository.h"

#include <QList>
#include <QString>

#include <optional>

namespace llamadesk::store {

// portfolio_assets (current holdings) and portfolio_snapshots (the portfolio over time).
class PortfolioRepository : public SqlRepository {
public:
    explicit PortfolioRepository(QSqlDatabase db);

    // Inserts the asset, or replaces every editable column of the row with its id. No SQL upsert
    // (the engine predates it) and no INSERT OR REPLACE (that deletes and re-inserts, which the
    // outbox would record as a delete and an insert): an UPDATE, then an INSERT when nothing
    // matched, in one transaction. A soft-deleted asset comes back to life.
    Status upsertAsset(const PortfolioAsset& asset);
    // The same for many assets, all or none.
    Status upsertAssets(const QList<PortfolioAsset>& assets);
    Status softDeleteAsset(const QString& id);
    Result<std::optional<PortfolioAsset>> asset(const QString& id);
    // Live assets of a user, largest balance_usd first (compared exactly, not as text).
    Result<QList<PortfolioAsset>> assets(const QString& userId);

    // A snapshot per (user_id, timestamp): a second one for the same moment is refused.
    Status insertSnapshot(const PortfolioSnapshot& snapshot);
    // Live snapshots with from <= timestamp < until (either bound optional), oldest first.
    Result<QList<PortfolioSnapshot>> snapshots(const QString& userId,
                                               const std::optional<Timestamp>& from,
                                               const std::optional<Timestamp>& until);
    Result<std::optional<PortfolioSnapshot>> latestSnapshot(const QString& userId);

private:
    static bool readAsset(const QSqlQuery& query, PortfolioAsset* asset, QString* error);
    static bool readSnapshot(const QSqlQuery& query, PortfolioSnapshot* snapshot, QString* error);
    Status upsertOne(const PortfolioAsset& asset, const QString& now, const QString& what);
};

} // namespace llamadesk::store
