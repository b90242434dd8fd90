#include "PortfolioAsset.h"

#include "domain/EnumText.h"
#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

namespace {

const EnumText::Entry<AssetType> kAssetTypes[] = {
    {AssetType::Token, "token"},
    {AssetType::Nft, "nft"},
    {AssetType::LpPosition, "lp_position"},
    {AssetType::Staked, "staked"},
    {AssetType::Lending, "lending"},
    {AssetType::Borrowing, "borrowing"},
};

} // namespace

QString toString(AssetType type) {
    return EnumText::toString(kAssetTypes, type);
}
std::optional<AssetType> assetTypeFromString(QStringView text) {
    return EnumText::fromString(kAssetTypes, text);
}

QStringList PortfolioAsset::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("user_id", userId);
    v.text("asset_symbol", assetSymbol, 20);
    v.text("asset_name", assetName, 255);
    v.text("asset_address", assetAddress, 66);
    v.integer("chain_id", chainId, 1, std::numeric_limits<qint32>::max());
    v.text("protocol_name", protocolName, 255);
    v.text("protocol_address", protocolAddress, 66);
    // A borrowing position is a debt by its type; balances themselves are magnitudes.
    v.decimal("balance", balance, 30, 18, Sign::NonNegative);
    v.decimal("balance_usd", balanceUsd, 20, 2, Sign::NonNegative);
    v.decimal("price_usd", priceUsd, 20, 8, Sign::NonNegative);
    v.decimal("cost_basis_usd", costBasisUsd, 20, 2, Sign::NonNegative);
    v.decimal("unrealized_pnl_usd", unrealizedPnlUsd, 20, 2, Sign::Any);
    v.decimal("unrealized_pnl_percentage", unrealizedPnlPercentage, 10, 6, Sign::Any);
    if (!(assetSymbol && !assetSymbol->trimmed().isEmpty()) &&
        !(assetAddress && !assetAddress->trimmed().isEmpty()))
        v.add(tr("An asset needs an asset_symbol or an asset_address to be recognised."));
    if ((assetType == AssetType::LpPosition || assetType == AssetType::Staked ||
         assetType == AssetType::Lending || assetType == AssetType::Borrowing) &&
        !(protocolName && !protocolName->trimmed().isEmpty()))
        v.add(tr("A %1 position needs its protocol_name.").arg(toString(assetType)));
    v.json("metadata", metadata);
    v.timestamp("first_acquired_at", firstAcquiredAt);
    v.timestamp("last_updated_at", lastUpdatedAt);
    v.timestamp("created_at", createdAt);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);
    return v.errors();
}

bool operator==(const PortfolioAsset& a, const PortfolioAsset& b) {
    return a.id == b.id && a.userId == b.userId && a.assetType == b.assetType &&
           a.assetSymbol == b.assetSymbol && a.assetName == b.assetName &&
           a.assetAddress == b.assetAddress && a.chainId == b.chainId &&
           a.protocolName == b.protocolName && a.protocolAddress == b.protocolAddress &&
           a.balance == b.balance && a.balanceUsd == b.balanceUsd && a.priceUsd == b.priceUsd &&
           a.costBasisUsd == b.costBasisUsd && a.unrealizedPnlUsd == b.unrealizedPnlUsd &&
           a.unrealizedPnlPercentage == b.unrealizedPnlPercentage && a.metadata == b.metadata &&
           a.firstAcquiredAt == b.firstAcquiredAt && a.lastUpdatedAt == b.lastUpdatedAt &&
           a.createdAt == b.createdAt && a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt &&
           a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
