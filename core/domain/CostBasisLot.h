#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace llamadesk {

// One row of cost_basis_lots: an acquisition and what has been disposed of it. Lots are
// derived by a tax run and replaced as a whole when the run is repeated.
struct CostBasisLot {
    QString id;
    QString userId;
    QString wallet = QStringLiteral("default");

    QString assetSymbol; // at most 20 characters
    qint64 chainId = 0;

    QString acquiredTransactionId; // empty: NULL
    Timestamp acquiredDate;
    Decimal acquiredAmount;   // DECIMAL(30,18)
    Decimal acquiredPriceUsd; // DECIMAL(20,8)
    Decimal costBasisUsd;     // DECIMAL(20,2)

    QString disposedTransactionId; // empty: NULL
    std::optional<Timestamp> disposedDate;
    std::optional<Decimal> disposedAmount;
    std::optional<Decimal> disposedPriceUsd;
    std::optional<Decimal> proceedsUsd;

    Decimal remainingAmount; // acquired_amount - disposed_amount
    bool isFullyDisposed = false;

    std::optional<Timestamp> createdAt; // set by the repository when empty
    std::optional<Timestamp> updatedAt;
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const CostBasisLot& a, const CostBasisLot& b);
    friend bool operator!=(const CostBasisLot& a, const CostBasisLot& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(CostBasisLot)
};

} // namespace llamadesk
