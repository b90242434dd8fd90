#pragma once

#include "tax/ResultStore.h"
#include "tax/RuleSet.h"

#include <deque>
#include <utility>
#include <vector>

namespace llamadesk::tax {

// UK rules (HMRC Cryptoassets Manual CRYPTO22200 onward; TCGA 1992 s104, s105, s106A): the
// disposals of a token on one day are one disposal, matched first with that day's acquisitions
// (same-day rule), then with acquisitions in the 30 days after, earliest first (the "bed and
// breakfast" rule), then with the section 104 pool at its average cost. One pool per token,
// whatever the wallet.
//
// A day is final once the ledger has passed the 30 days after it: until then its disposals wait.
// Acquisitions a later day's same-day rule needs are never taken by an earlier disposal's 30-day
// match, so the order of resolution (day by day) gives the statutory order of priority.
class UkPoolingRules : public RuleSet {
    Q_DECLARE_TR_FUNCTIONS(UkPoolingRules)

public:
    static constexpr qint32 kThirtyDays = 30;

    explicit UkPoolingRules(RuleContext context);

    void advanceTo(qint64 time, qint32 day) override;
    void acquire(const AcquisitionEvent& event) override;
    void dispose(const DisposalEvent& event) override;
    void move(const MoveEvent& event) override;
    Decimal depart(const DisposalEvent& event) override;
    void finish() override;

    bool giftGivenIsDisposal() const override { return true; }
    QList<Holding> holdings() const override;

    LotState saveState() const override;
    Status restoreState(const LotState& state) override;

private:
    struct Sale {
        QString transactionId;
        QString transactionHash;
        qint64 time = 0;
        quint32 wallet = 0;
        Decimal amount;
        Decimal proceeds;
        DisposalKind kind = DisposalKind::Sale;
    };

    struct Day {
        qint32 day = 0;
        QString firstAcquisitionId;
        Decimal acquired;
        Decimal acquiredCost;
        Decimal matched; // of `acquired`, already matched to disposals
        Decimal matchedCost;
        Decimal disposed;
        bool unknownBasis = false;
        std::vector<Sale> sales;
    };

    struct Token {
        Decimal poolAmount;
        Decimal poolCost;
        bool poolUnknown = false; // the pool holds units whose cost was not known
        std::deque<Day> days;     // not yet final, in date order
        bool holdingTaken = false;
        Decimal heldAmount;
        Decimal heldCost;
    };

    Token& token(quint32 asset);
    Day& day(quint32 asset, qint32 julianDay);
    void resolveFront(quint32 asset);
    static Decimal takeFromDay(Day& day, const Decimal& amount);
    void addMatch(MatchRule rule, const QString& lotId, qint32 acquiredDay, const Decimal& amount,
                  const Decimal& cost, bool unknownBasis);

    RuleContext m_ctx;
    std::vector<Token> m_tokens;                    // by asset id
    std::deque<std::pair<qint32, quint32>> m_order; // (day, asset) of every pending day
    std::vector<ResultStore::MatchRecord> m_matches;
    // Storage of resolved days, for the next ones: a sale's id and hash are copied into
    // recycled strings rather than shared with the engine's (see OwnedText.h).
    std::vector<QString> m_spareTexts;
    std::vector<std::vector<Sale>> m_spareSales;
    void ownCopy(QString* to, const QString* from);
    bool m_reporting = false; // the day being resolved is in the period
};

} // namespace llamadesk::tax
