#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace llamadesk::tax {

// US holding period class of a gain; UK gains have none.
enum class Term { Short, Long, None };
QString toString(Term term); // "short", "long", "none"
std::optional<Term> termFromString(QStringView text);

// Which rule matched units of a disposal to a cost.
enum class MatchRule {
    Lot,       // a US lot (FIFO, LIFO, HIFO or Specific-ID)
    SameDay,   // UK: acquisitions of the same day
    ThirtyDay, // UK: acquisitions in the 30 days after ("bed and breakfast")
    Pool,      // UK: the section 104 pool at average cost
    Shortfall, // no units left to match: basis 0 (reported with a missing_cost_basis warning)
};
QString toString(MatchRule rule); // "lot", "same_day", "thirty_day", "section_104", "shortfall"
std::optional<MatchRule> matchRuleFromString(QStringView text);

// What caused a disposal.
enum class DisposalKind {
    Sale,         // sell: for cash
    Swap,         // for another asset
    Expense,      // paying for something
    Fee,          // crypto spent on a fee
    Gift,         // UK: a gift given is a disposal at market value
    TransferLoss, // the part of a move that did not arrive
};
QString toString(DisposalKind kind); // "sale", "swap", "expense", "fee", "gift", "transfer_loss"
std::optional<DisposalKind> disposalKindFromString(QStringView text);

// Units of one lot (or one UK match) consumed by a disposal: the explanation of its cost.
struct LotMatch {
    MatchRule rule = MatchRule::Lot;
    QString lotId; // the acquiring transaction; empty for the UK pool and for a shortfall
    QDate acquired;
    Decimal amount;
    Decimal costBasis;
    Decimal proceeds; // this match's share of the disposal's proceeds
    Term term = Term::None;
    qint64 holdingDays = 0;
    bool unknownBasis = false; // the lot's basis was not known (counted as 0)

    Decimal gain() const { return proceeds - costBasis; }
    friend bool operator==(const LotMatch& a, const LotMatch& b);
    friend bool operator!=(const LotMatch& a, const LotMatch& b) { return !(a == b); }
};

// One reported disposal row, Form 8949 style. A US disposal that consumed both short- and
// long-term lots is two rows (one per term); a UK row is every disposal of a token on one day.
struct Disposal {
    QString transactionId; // the (first) disposing transaction
    QString transactionHash;
    int transactionCount = 1; // UK: disposals of the token that day
    QString asset;
    QString wallet; // empty: several wallets (UK day with disposals from several wallets)
    DisposalKind kind = DisposalKind::Sale;
    Timestamp soldAt;
    QDate dateSold;
    QDate dateAcquired;           // earliest acquisition of the row's lots
    bool variousAcquired = false; // lots from more than one date ("VARIOUS" on Form 8949)
    Decimal amount;
    Decimal proceeds;
    Decimal costBasis;
    Decimal gain;
    Term term = Term::None;
    QList<LotMatch> lots;

    // "0.5 BTC": Form 8949 column (a).
    QString description() const;
    friend bool operator==(const Disposal& a, const Disposal& b);
    friend bool operator!=(const Disposal& a, const Disposal& b) { return !(a == b); }
};

} // namespace llamadesk::tax
