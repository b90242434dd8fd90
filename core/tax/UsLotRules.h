#pragma once

#include "tax/ResultStore.h"
#include "tax/RuleSet.h"

#include <QHash>

#include <vector>

namespace llamadesk::tax {

// US rules: lots matched FIFO, LIFO, HIFO or by specific identification, the method chosen per
// tax year; lots kept for all wallets together or per wallet, switching at a date with the
// safe-harbor allocation of the remaining basis (Rev. Proc. 2024-28). Short or long term by the
// holding period (HoldingPeriod).
//
// Each (asset, wallet) pocket keeps its lots in a binary heap ordered for the current method,
// so taking the next lot costs O(log n) whatever the method: no scan for the highest cost.
// A method change re-orders the heaps once.
class UsLotRules : public RuleSet {
    Q_DECLARE_TR_FUNCTIONS(UsLotRules)

public:
    explicit UsLotRules(RuleContext context);

    void advanceTo(qint64 time, qint32 day) override;
    void acquire(const AcquisitionEvent& event) override;
    void dispose(const DisposalEvent& event) override;
    void move(const MoveEvent& event) override;
    Decimal depart(const DisposalEvent& event) override;
    void finish() override;

    bool giftGivenIsDisposal() const override { return false; }
    QList<Holding> holdings() const override;
    QList<SafeHarborEntry> safeHarborAllocation() const override { return m_safeHarbor; }

    LotState saveState() const override;
    Status restoreState(const LotState& state) override;

private:
    static constexpr qint32 kAllWallets = -1;

    struct Lot {
        Decimal amount;
        Decimal cost;
        Decimal unitCost; // HIFO key; invalid until a HIFO order needs it
        qint64 time = 0;
        quint32 sequence = 0;
        quint32 part = 0; // unique per record: makes the order of lots total
        TextPool::Handle origin = TextPool::kNone;
        qint32 day = 0;
        qint32 longFrom = 0;   // first day a disposal of this lot is long term
        qint32 lossIndex = -1; // into m_lossBasis: US gift loss basis
        bool unknownBasis = false;
    };

    struct Pocket {
        quint32 asset = 0;
        qint32 wallet = kAllWallets;
        CostBasisMethod order = CostBasisMethod::Fifo;
        std::vector<Lot> heap;
    };

    // A part of a lot taken out of a pocket.
    struct Piece {
        Lot lot; // amount and cost are the part's; lossIndex unused
        std::optional<Decimal> lossBasis;
    };

    // Heap orders: the lot to take next is at the top.
    struct FifoLess {
        bool operator()(const Lot& a, const Lot& b) const;
    };
    struct LifoLess {
        bool operator()(const Lot& a, const Lot& b) const;
    };
    struct HifoLess {
        bool operator()(const Lot& a, const Lot& b) const;
    };

    // Index of the pocket holding this wallet's lots (all wallets' while lots are universal).
    quint32 pocket(quint32 asset, quint32 wallet);
    quint32 pocketFor(quint32 asset, qint32 walletKey);
    CostBasisMethod heapOrder() const;
    void ensureUnitCost(Lot& lot);
    void ensureOrder(Pocket& p);
    void pushLot(Pocket& p, Lot lot);
    void popTop(Pocket& p);
    // Moves up to `amount` out of the pocket into m_pieces (Specific-ID selections first);
    // returns the amount taken.
    Decimal take(Pocket& p, const Decimal& amount, const QList<LotSelection>* selections,
                 const QString* transactionId, qint32 day, quint32 asset, quint32 wallet);
    Piece split(Lot& lot, const Decimal& amount);
    Piece whole(const Lot& lot) const;
    // A piece back as a lot (its loss basis stored again).
    Lot toLot(const Piece& piece);
    qint32 longTermFrom(qint32 day);
    void addBalance(quint32 asset, quint32 wallet, const Decimal& delta);
    void allocateToWallets(qint32 day);
    void warn(WarningCode code, const QString& transactionId, quint32 asset, qint32 wallet,
              qint32 day, const Decimal& amount, const QString& message);
    void snapshotHoldings();
    QList<Holding> currentHoldings() const;

    RuleContext m_ctx;
    std::vector<Pocket> m_pockets;
    QHash<quint64, quint32> m_pocketIndex;
    std::vector<Decimal> m_lossBasis;
    std::vector<Piece> m_pieces;
    std::vector<quint32> m_candidates; // Specific-ID: records of a named lot
    std::vector<ResultStore::MatchRecord> m_matches;

    bool m_walletScope = false;
    bool m_allocationDone = false;
    bool m_trackBalances = false;
    qint64 m_transitionTime = 0;
    QHash<quint64, Decimal> m_balances; // (asset, wallet) units while lots are universal
    QList<SafeHarborEntry> m_safeHarbor;

    qint32 m_lastDay = 0; // of the last advanceTo()
    int m_year = 0;
    CostBasisMethod m_method = CostBasisMethod::Fifo;
    quint32 m_nextSequence = 0;
    quint32 m_nextPart = 0;
    qint32 m_cachedDay = 0;
    qint32 m_cachedLongFrom = 0;

    bool m_holdingsTaken = false;
    QList<Holding> m_holdings;
};

} // namespace llamadesk::tax
