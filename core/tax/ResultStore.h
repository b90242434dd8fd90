#pragma once

#include "domain/TaxTransaction.h"
#include "money/Decimal.h"
#include "tax/ChunkedVector.h"
#include "tax/Holding.h"
#include "tax/LotState.h"
#include "tax/TaxOptions.h"
#include "tax/TaxSummary.h"
#include "tax/TaxWarning.h"
#include "tax/TextPool.h"

#include <QList>
#include <QStringList>

#include <vector>

namespace llamadesk::tax {

// The compact storage behind a TaxResult: fixed-size records with ids into name tables and a
// text pool, so a report over a million transactions stays small. TaxResult turns records into
// rows on demand.
struct ResultStore {
    static constexpr qint32 kSeveralWallets = -1;

    struct DisposalRecord {
        qint64 time = 0;
        qint32 day = 0; // Julian day in the tax zone
        quint32 asset = 0;
        qint32 wallet = kSeveralWallets;
        TextPool::Handle transactionId = TextPool::kNone;
        TextPool::Handle transactionHash = TextPool::kNone;
        quint32 transactionCount = 1;
        quint32 matchBegin = 0;
        quint32 matchCount = 0;
        quint8 kind = 0; // DisposalKind
    };

    struct MatchRecord {
        Decimal amount;
        Decimal cost;
        Decimal proceeds;
        TextPool::Handle lotId = TextPool::kNone;
        qint32 acquiredDay = 0;
        quint8 rule = 0; // MatchRule
        quint8 term = 0; // Term
        bool unknownBasis = false;
    };

    // One printed row: the matches of one disposal with one term.
    struct RowRef {
        quint32 disposal = 0;
        quint8 term = 0;
    };

    struct FlowRecord { // income and expense lines
        qint64 time = 0;
        qint32 day = 0;
        quint32 asset = 0;
        quint32 wallet = 0;
        quint8 type = 0; // TransactionType
        TextPool::Handle transactionId = TextPool::kNone;
        TextPool::Handle transactionHash = TextPool::kNone;
        Decimal amount;
        Decimal value;
    };

    struct WarningRecord {
        Decimal amount;
        TextPool::Handle transactionId = TextPool::kNone;
        TextPool::Handle message = TextPool::kNone;
        qint32 asset = -1;
        qint32 wallet = -1;
        qint32 day = 0;
        quint8 code = 0; // WarningCode
    };

    TaxOptions options;
    QStringList assets;
    QStringList wallets;
    TextPool text;
    ChunkedVector<DisposalRecord> disposals;
    ChunkedVector<MatchRecord> matches;
    ChunkedVector<RowRef> rows;
    ChunkedVector<FlowRecord> income;
    ChunkedVector<FlowRecord> expenses;
    ChunkedVector<WarningRecord> warnings;
    QList<Holding> holdings;
    QList<SafeHarborEntry> safeHarbor;
    QList<LotState> checkpoints;
    LotState finalState;
    qint64 totalTransactions = 0;
    TaxSummary summary;      // as printed
    TaxSummary exactSummary; // unrounded
};

} // namespace llamadesk::tax
