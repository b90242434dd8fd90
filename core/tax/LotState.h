#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"
#include "tax/Disposal.h"
#include "tax/TaxOptions.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace llamadesk::tax {

// An open lot (US) or a section 104 pool (UK: one record per token, empty lot id and wallet).
struct LotRecord {
    QString asset;
    QString wallet; // empty: all wallets (universal scope, UK pool)
    QString lotId;  // the acquiring transaction
    Timestamp acquiredAt;
    qint64 sequence = 0; // creation order: breaks ties between lots of the same instant
    qint64 part = 0;     // tells apart the records of one lot split by moves
    Decimal amount;
    Decimal costBasis;
    Decimal unitCost;                 // the lot's place in the HIFO order (0: not fixed yet)
    std::optional<Decimal> lossBasis; // US gift: the basis for a loss, when lower
    bool unknownBasis = false;
    friend bool operator==(const LotRecord& a, const LotRecord& b);
};

// Units per wallet while lots are universal (for the safe-harbor allocation).
struct WalletBalance {
    QString asset;
    QString wallet;
    Decimal amount;
    friend bool operator==(const WalletBalance& a, const WalletBalance& b) {
        return a.asset == b.asset && a.wallet == b.wallet && a.amount == b.amount;
    }
};

// UK: a disposal whose matching waits for the 30 days after it.
struct PendingDisposal {
    QString transactionId;
    QString transactionHash;
    QString wallet;
    Timestamp at;
    Decimal amount;
    Decimal proceeds;
    DisposalKind kind = DisposalKind::Sale;
    friend bool operator==(const PendingDisposal& a, const PendingDisposal& b);
};

// UK: one token's acquisitions and disposals of one day, not yet final.
struct PendingDay {
    QString asset;
    QDate date;
    QString firstAcquisitionId;
    Decimal acquiredAmount;
    Decimal acquiredCost;
    Decimal matchedAmount; // already matched to earlier disposals (30-day rule)
    Decimal matchedCost;
    bool unknownBasis = false; // some acquisitions of the day had no known cost
    QList<PendingDisposal> disposals;
    friend bool operator==(const PendingDay& a, const PendingDay& b);
};

// Everything a tax run carries from one transaction to the next: a checkpoint. A run started
// from the state saved at `at`, fed the ledger's transactions from `at` on, gives the same
// results as a run over the whole ledger for every disposal dated from `reportFrom` on.
struct LotState {
    Jurisdiction jurisdiction = Jurisdiction::UnitedStates;
    Timestamp at;
    QDate reportFrom;
    QList<LotRecord> lots;
    QList<WalletBalance> balances;
    bool walletScope = false;    // US: lots are per wallet
    bool allocationDone = false; // US: the safe-harbor allocation has been made
    QList<SafeHarborEntry> safeHarbor;
    QList<PendingDay> pendingDays;
    QStringList movedAhead; // transfers whose move was applied with their earlier partner
    qint64 nextSequence = 0;
    qint64 nextPart = 0;

    bool isValid() const { return at.isValid(); }
    // Whether a change at `firstAffected` can be recomputed from this state: the state must
    // predate the change by the transfer window, since pairing looks that far around a row.
    bool canResumeFor(const Timestamp& firstAffected, qint64 transferWindowSeconds) const;
    friend bool operator==(const LotState& a, const LotState& b);
    friend bool operator!=(const LotState& a, const LotState& b) { return !(a == b); }
};

} // namespace llamadesk::tax
