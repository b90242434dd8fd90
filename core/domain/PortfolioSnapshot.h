#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace llamadesk {

// One row of portfolio_snapshots: the whole portfolio at one moment. (user_id, timestamp) is
// unique.
struct PortfolioSnapshot {
    QString id;
    QString userId;

    Decimal totalValueUsd; // DECIMAL(20,2)
    qint64 totalAssets = 0;
    qint64 totalChains = 0;
    qint64 totalProtocols = 0;

    std::optional<Decimal> dailyPnlUsd;        // DECIMAL(20,2), signed
    std::optional<Decimal> dailyPnlPercentage; // DECIMAL(10,6), signed
    std::optional<Decimal> totalPnlUsd;        // DECIMAL(20,2), signed
    std::optional<Decimal> totalPnlPercentage; // DECIMAL(10,6), signed
    std::optional<Decimal> sharpeRatio;        // DECIMAL(10,6)
    std::optional<Decimal> maxDrawdown;        // DECIMAL(10,6)
    std::optional<Decimal> volatility;         // DECIMAL(10,6)

    std::optional<QString> allocationByAssetType; // JSON
    std::optional<QString> allocationByChain;     // JSON
    std::optional<QString> allocationByProtocol;  // JSON

    QString snapshotDate; // "YYYY-MM-DD"
    Timestamp timestamp;

    std::optional<Timestamp> updatedAt; // set by the repository when empty
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const PortfolioSnapshot& a, const PortfolioSnapshot& b);
    friend bool operator!=(const PortfolioSnapshot& a, const PortfolioSnapshot& b) {
        return !(a == b);
    }

    Q_DECLARE_TR_FUNCTIONS(PortfolioSnapshot)
};

} // namespace llamadesk
