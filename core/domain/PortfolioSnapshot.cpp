#include "PortfolioSnapshot.h"

#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

QStringList PortfolioSnapshot::validate() const {
    using Sign = FieldValidator::Sign;
    constexpr qint64 kMaxInt = std::numeric_limits<qint32>::max();
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("user_id", userId);
    v.decimal("total_value_usd", totalValueUsd, 20, 2, Sign::NonNegative);
    v.integer("total_assets", totalAssets, 0, kMaxInt);
    v.integer("total_chains", totalChains, 0, kMaxInt);
    v.integer("total_protocols", totalProtocols, 0, kMaxInt);
    v.decimal("daily_pnl_usd", dailyPnlUsd, 20, 2, Sign::Any);
    v.decimal("daily_pnl_percentage", dailyPnlPercentage, 10, 6, Sign::Any);
    v.decimal("total_pnl_usd", totalPnlUsd, 20, 2, Sign::Any);
    v.decimal("total_pnl_percentage", totalPnlPercentage, 10, 6, Sign::Any);
    v.decimal("sharpe_ratio", sharpeRatio, 10, 6, Sign::Any);
    v.decimal("max_drawdown", maxDrawdown, 10, 6, Sign::NonNegative);
    v.decimal("volatility", volatility, 10, 6, Sign::NonNegative);
    v.json("allocation_by_asset_type", allocationByAssetType);
    v.json("allocation_by_chain", allocationByChain);
    v.json("allocation_by_protocol", allocationByProtocol);
    v.date("snapshot_date", snapshotDate);
    v.timestamp("timestamp", timestamp);
    if (totalChains > totalAssets && totalAssets >= 0)
        v.add(tr("total_chains must not exceed total_assets."));
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);
    return v.errors();
}

bool operator==(const PortfolioSnapshot& a, const PortfolioSnapshot& b) {
    return a.id == b.id && a.userId == b.userId && a.totalValueUsd == b.totalValueUsd &&
           a.totalAssets == b.totalAssets && a.totalChains == b.totalChains &&
           a.totalProtocols == b.totalProtocols && a.dailyPnlUsd == b.dailyPnlUsd &&
           a.dailyPnlPercentage == b.dailyPnlPercentage && a.totalPnlUsd == b.totalPnlUsd &&
           a.totalPnlPercentage == b.totalPnlPercentage && a.sharpeRatio == b.sharpeRatio &&
           a.maxDrawdown == b.maxDrawdown && a.volatility == b.volatility &&
           a.allocationByAssetType == b.allocationByAssetType &&
           a.allocationByChain == b.allocationByChain &&
           a.allocationByProtocol == b.allocationByProtocol && a.snapshotDate == b.snapshotDate &&
           a.timestamp == b.timestamp && a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt &&
           a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
