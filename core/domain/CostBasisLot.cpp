#include "CostBasisLot.h"

#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

QStringList CostBasisLot::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("user_id", userId);
    v.text("wallet", wallet, 255, true);
    v.text("asset_symbol", assetSymbol, 20, true);
    v.integer("chain_id", chainId, 1, std::numeric_limits<qint32>::max());
    v.uuid("acquired_transaction_id", acquiredTransactionId, false);
    v.timestamp("acquired_date", acquiredDate);
    v.decimal("acquired_amount", acquiredAmount, 30, 18, Sign::Positive);
    v.decimal("acquired_price_usd", acquiredPriceUsd, 20, 8, Sign::NonNegative);
    v.decimal("cost_basis_usd", costBasisUsd, 20, 2, Sign::NonNegative);
    v.uuid("disposed_transaction_id", disposedTransactionId, false);
    v.timestamp("disposed_date", disposedDate);
    v.decimal("disposed_amount", disposedAmount, 30, 18, Sign::NonNegative);
    v.decimal("disposed_price_usd", disposedPriceUsd, 20, 8, Sign::NonNegative);
    v.decimal("proceeds_usd", proceedsUsd, 20, 2, Sign::NonNegative);
    v.decimal("remaining_amount", remainingAmount, 30, 18, Sign::NonNegative);
    v.timestamp("created_at", createdAt);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);

    const bool disposed = disposedAmount.has_value();
    if ((disposedPriceUsd || proceedsUsd || disposedDate || !disposedTransactionId.isEmpty()) &&
        !disposed) {
        v.add(tr("disposed_date, disposed_price_usd, proceeds_usd and disposed_transaction_id "
                 "need a disposed_amount."));
    }
    if (disposed && !disposedDate)
        v.add(tr("A disposal (disposed_amount) needs its disposed_date."));
    if (disposedDate && acquiredDate.isValid() && disposedDate->isValid() &&
        *disposedDate < acquiredDate) {
        v.add(tr("disposed_date must not be earlier than acquired_date."));
    }
    if (acquiredAmount.isValid() && remainingAmount.isValid()) {
        const Decimal disposedSoFar = disposed ? *disposedAmount : Decimal();
        if (disposed && disposedSoFar > acquiredAmount)
            v.add(tr("disposed_amount must not exceed acquired_amount."));
        else if (remainingAmount != acquiredAmount - disposedSoFar)
            v.add(tr("remaining_amount must equal acquired_amount minus disposed_amount."));
        if (isFullyDisposed != remainingAmount.isZero()) {
            v.add(tr("is_fully_disposed must be true exactly when remaining_amount is zero."));
        }
    }
    return v.errors();
}

bool operator==(const CostBasisLot& a, const CostBasisLot& b) {
    return a.id == b.id && a.userId == b.userId && a.wallet == b.wallet &&
           a.assetSymbol == b.assetSymbol && a.chainId == b.chainId &&
           a.acquiredTransactionId == b.acquiredTransactionId && a.acquiredDate == b.acquiredDate &&
           a.acquiredAmount == b.acquiredAmount && a.acquiredPriceUsd == b.acquiredPriceUsd &&
           a.costBasisUsd == b.costBasisUsd && a.disposedTransactionId == b.disposedTransactionId &&
           a.disposedDate == b.disposedDate && a.disposedAmount == b.disposedAmount &&
           a.disposedPriceUsd == b.disposedPriceUsd && a.proceedsUsd == b.proceedsUsd &&
           a.remainingAmount == b.remainingAmount && a.isFullyDisposed == b.isFullyDisposed &&
           a.createdAt == b.createdAt && a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt &&
           a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
