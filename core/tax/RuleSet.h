#pragma once

#include "Result.h"
#include "money/Decimal.h"
#include "tax/Disposal.h"
#include "tax/Holding.h"
#include "tax/LotState.h"
#include "tax/NameTable.h"
#include "tax/ResultSink.h"
#include "tax/TaxCalendar.h"
#include "tax/TaxOptions.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace llamadesk::tax {

// What the engine shares with a rule set during a run.
struct RuleContext {
    const TaxOptions& options;
    ResultSink& sink;
    TaxCalendar& calendar;
    NameTable& assets;
    NameTable& wallets;
};

// Units come into the holdings with a cost.
struct AcquisitionEvent {
    quint32 asset = 0;
    quint32 wallet = 0;
    Decimal amount;
    Decimal cost;
    std::optional<Decimal> lossBasis; // US gift: the lower basis that applies to a loss
    bool unknownBasis = false;        // cost 0 because the real one is not known
    qint64 time = 0;
    qint32 day = 0;
    const QString* transactionId = nullptr; // valid during the call
};

// Units leave the holdings for proceeds (or, for depart(), for nothing).
struct DisposalEvent {
    quint32 asset = 0;
    quint32 wallet = 0;
    Decimal amount;
    Decimal proceeds;
    DisposalKind kind = DisposalKind::Sale;
    qint64 time = 0;
    qint32 day = 0;
    const QString* transactionId = nullptr; // valid during the call
    const QString* transactionHash = nullptr;
    const QList<LotSelection>* selections = nullptr; // Specific-ID, when given
};

// Units move between the user's own wallets: no gain, the lots keep their basis and dates.
struct MoveEvent {
    quint32 asset = 0;
    quint32 fromWallet = 0;
    quint32 toWallet = 0;
    Decimal amount;
    qint64 time = 0;
    qint32 day = 0;
    const QString* transactionId = nullptr;
    const QList<LotSelection>* selections = nullptr;
};

// One jurisdiction's way of matching disposals to acquisitions. The engine turns transactions
// into events (what is acquired, disposed of, moved, at what value) and calls the rule set in
// time order; the rule set keeps the lots (or pools) and reports disposals to the sink.
class RuleSet {
public:
    virtual ~RuleSet();

    static std::unique_ptr<RuleSet> create(RuleContext context);

    // Before each transaction, in time order: the place for year changes, scope switches and
    // matches that become final.
    virtual void advanceTo(qint64 time, qint32 day) = 0;
    virtual void acquire(const AcquisitionEvent& event) = 0;
    virtual void dispose(const DisposalEvent& event) = 0;
    virtual void move(const MoveEvent& event) = 0;
    // Units leave without gain or loss (a gift given under US rules, a transfer to a wallet
    // outside the ledger). Returns the basis that left with them.
    virtual Decimal depart(const DisposalEvent& event) = 0;
    // After the last transaction: whatever still waits is matched.
    virtual void finish() = 0;

    // Whether a gift given is a disposal at market value (UK) rather than a transfer of basis.
    virtual bool giftGivenIsDisposal() const = 0;
    // Holdings at the end of the period (valid after finish()).
    virtual QList<Holding> holdings() const = 0;
    virtual QList<SafeHarborEntry> safeHarborAllocation() const { return {}; }

    virtual LotState saveState() const = 0;
    virtual Status restoreState(const LotState& state) = 0;
};

} // namespace llamadesk::tax
