#include "tax/Disposal.h"

#include "domain/EnumText.h"

namespace llamadesk::tax {

namespace {

const EnumText::Entry<Term> kTerms[] = {
    {Term::Short, "short"},
    {Term::Long, "long"},
    {Term::None, "none"},
};

const EnumText::Entry<MatchRule> kRules[] = {
    {MatchRule::Lot, "lot"},
    {MatchRule::SameDay, "same_day"},
    {MatchRule::ThirtyDay, "thirty_day"},
    {MatchRule::Pool, "section_104"},
    {MatchRule::Shortfall, "shortfall"},
};

const EnumText::Entry<DisposalKind> kKinds[] = {
    {DisposalKind::Sale, "sale"},       {DisposalKind::Swap, "swap"},
    {DisposalKind::Expense, "expense"}, {DisposalKind::Fee, "fee"},
    {DisposalKind::Gift, "gift"},       {DisposalKind::TransferLoss, "transfer_loss"},
};

} // namespace

QString toString(Term term) {
    return EnumText::toString(kTerms, term);
}

std::optional<Term> termFromString(QStringView text) {
    return EnumText::fromString(kTerms, text);
}

QString toString(MatchRule rule) {
    return EnumText::toString(kRules, rule);
}

std::optional<MatchRule> matchRuleFromString(QStringView text) {
    return EnumText::fromString(kRules, text);
}

QString toString(DisposalKind kind) {
    return EnumText::toString(kKinds, kind);
}

std::optional<DisposalKind> disposalKindFromString(QStringView text) {
    return EnumText::fromString(kKinds, text);
}

bool operator==(const LotMatch& a, const LotMatch& b) {
    return a.rule == b.rule && a.lotId == b.lotId && a.acquired == b.acquired &&
           a.amount == b.amount && a.costBasis == b.costBasis && a.proceeds == b.proceeds &&
           a.term == b.term && a.holdingDays == b.holdingDays && a.unknownBasis == b.unknownBasis;
}

QString Disposal::description() const {
    return amount.toString() + QLatin1Char(' ') + asset;
}

bool operator==(const Disposal& a, const Disposal& b) {
    return a.transactionId == b.transactionId && a.transactionHash == b.transactionHash &&
           a.transactionCount == b.transactionCount && a.asset == b.asset && a.wallet == b.wallet &&
           a.kind == b.kind && a.soldAt == b.soldAt && a.dateSold == b.dateSold &&
           a.dateAcquired == b.dateAcquired && a.variousAcquired == b.variousAcquired &&
           a.amount == b.amount && a.proceeds == b.proceeds && a.costBasis == b.costBasis &&
           a.gain == b.gain && a.term == b.term && a.lots == b.lots;
}

} // namespace llamadesk::tax
