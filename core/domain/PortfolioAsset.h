#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

enum class AssetType { Token, Nft, LpPosition, Staked, Lending, Borrowing };
QString toString(AssetType type); // "token", "nft", "lp_position", "staked", "lending", "borrowing"
std::optional<AssetType> assetTypeFromString(QStringView text);

// One row of portfolio_assets: a current holding.
struct PortfolioAsset {
    QString id;
    QString userId;

    AssetType assetType = AssetType::Token;
    std::optional<QString> assetSymbol;  // at most 20 characters
    std::optional<QString> assetName;    // at most 255 characters
    std::optional<QString> assetAddress; // at most 66 characters
    qint64 chainId = 0;

    std::optional<QString> protocolName;    // at most 255 characters
    std::optional<QString> protocolAddress; // at most 66 characters

    Decimal balance;                 // DECIMAL(30,18)
    Decimal balanceUsd;              // DECIMAL(20,2)
    std::optional<Decimal> priceUsd; // DECIMAL(20,8)

    std::optional<Decimal> costBasisUsd;            // DECIMAL(20,2)
    std::optional<Decimal> unrealizedPnlUsd;        // DECIMAL(20,2), signed
    std::optional<Decimal> unrealizedPnlPercentage; // DECIMAL(10,6), signed

    std::optional<QString> metadata; // JSON

    std::optional<Timestamp> firstAcquiredAt;
    std::optional<Timestamp> lastUpdatedAt;
    std::optional<Timestamp> createdAt; // set by the repository when empty
    std::optional<Timestamp> updatedAt;
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const PortfolioAsset& a, const PortfolioAsset& b);
    friend bool operator!=(const PortfolioAsset& a, const PortfolioAsset& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(PortfolioAsset)
};

} // namespace llamadesk
