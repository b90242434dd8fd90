#include "tax/LotState.h"

namespace llamadesk::tax {

bool operator==(const LotRecord& a, const LotRecord& b) {
    return a.asset == b.asset && a.wallet == b.wallet && a.lotId == b.lotId &&
           a.acquiredAt == b.acquiredAt && a.sequence == b.sequence && a.part == b.part &&
           a.amount == b.amount && a.costBasis == b.costBasis && a.unitCost == b.unitCost &&
           a.lossBasis == b.lossBasis && a.unknownBasis == b.unknownBasis;
}

bool operator==(const PendingDisposal& a, const PendingDisposal& b) {
    return a.transactionId == b.transactionId && a.transactionHash == b.transactionHash &&
           a.wallet == b.wallet && a.at == b.at && a.amount == b.amount &&
           a.proceeds == b.proceeds && a.kind == b.kind;
}

bool operator==(const PendingDay& a, const PendingDay& b) {
    return a.asset == b.asset && a.date == b.date && a.firstAcquisitionId == b.firstAcquisitionId &&
           a.acquiredAmount == b.acquiredAmount && a.acquiredCost == b.acquiredCost &&
           a.matchedAmount == b.matchedAmount && a.matchedCost == b.matchedCost &&
           a.unknownBasis == b.unknownBasis && a.disposals == b.disposals;
}

bool LotState::canResumeFor(const Timestamp& firstAffected, qint64 transferWindowSeconds) const {
    if (!isValid() || !firstAffected.isValid())
        return false;
    return at.microsecondsSinceEpoch() + transferWindowSeconds * 1000000 <=
           firstAffected.microsecondsSinceEpoch();
}

bool operator==(const LotState& a, const LotState& b) {
    return a.jurisdiction == b.jurisdiction && a.at == b.at && a.reportFrom == b.reportFrom &&
           a.lots == b.lots && a.balances == b.balances && a.walletScope == b.walletScope &&
           a.allocationDone == b.allocationDone && a.safeHarbor == b.safeHarbor &&
           a.pendingDays == b.pendingDays && a.movedAhead == b.movedAhead &&
           a.nextSequence == b.nextSequence && a.nextPart == b.nextPart;
}

} // namespace llamadesk::tax
