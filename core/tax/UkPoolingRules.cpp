#include "tax/UkPoolingRules.h"

#include "tax/LotMath.h"
#include "tax/OwnedText.h"

#include <algorithm>

namespace llamadesk::tax {

UkPoolingRules::UkPoolingRules(RuleContext context)
    : m_ctx(context) {}

UkPoolingRules::Token& UkPoolingRules::token(quint32 asset) {
    if (asset >= m_tokens.size())
        m_tokens.resize(size_t(asset) + 1);
    return m_tokens[asset];
}

UkPoolingRules::Day& UkPoolingRules::day(quint32 asset, qint32 julianDay) {
    Token& t = token(asset);
    if (t.days.empty() || t.days.back().day != julianDay) {
        Day d;
        d.day = julianDay;
        if (!m_spareSales.empty()) {
            d.sales.swap(m_spareSales.back());
            m_spareSales.pop_back();
        }
        t.days.push_back(std::move(d));
        m_order.emplace_back(julianDay, asset);
    }
    return t.days.back();
}

Decimal UkPoolingRules::takeFromDay(Day& d, const Decimal& amount) {
    const Decimal available = d.acquired - d.matched;
    const Decimal availableCost = d.acquiredCost - d.matchedCost;
    Decimal cost = availableCost;
    if (amount < available) {
        cost = LotMath::share(availableCost, amount, available);
        if (cost > availableCost)
            cost = availableCost;
    }
    d.matched += amount;
    d.matchedCost += cost;
    return cost;
}

void UkPoolingRules::addMatch(MatchRule rule, const QString& lotId, qint32 acquiredDay,
                              const Decimal& amount, const Decimal& cost, bool unknownBasis) {
    if (!m_reporting)
        return;
    ResultStore::MatchRecord m;
    m.amount = amount;
    m.cost = cost;
    m.lotId = lotId.isEmpty() ? TextPool::kNone : m_ctx.sink.text().add(lotId);
    m.acquiredDay = acquiredDay;
    m.rule = quint8(rule);
    m.term = quint8(Term::None);
    m.unknownBasis = unknownBasis;
    m_matches.push_back(m);
}

void UkPoolingRules::resolveFront(quint32 asset) {
    Token& t = m_tokens[asset];
    Day& d = t.days.front();
    if (!t.holdingTaken && d.day > m_ctx.sink.lastDay()) {
        // The pool as it stood at the end of the period: every day up to it is final.
        t.heldAmount = t.poolAmount;
        t.heldCost = t.poolCost;
        t.holdingTaken = true;
    }
    m_reporting = m_ctx.sink.inPeriod(d.day);
    if (d.disposed.isPositive()) {
        m_matches.clear();
        Decimal remaining = d.disposed;
        bool unknown = false;

        // 1. Same day (TCGA 1992 s105): that day's acquisitions.
        const Decimal sameDay = Decimal::min(remaining, d.acquired);
        if (sameDay.isPositive()) {
            const Decimal cost = takeFromDay(d, sameDay);
            addMatch(MatchRule::SameDay, d.firstAcquisitionId, d.day, sameDay, cost,
                     d.unknownBasis);
            unknown = unknown || d.unknownBasis;
            remaining -= sameDay;
        }

        // 2. The 30 days after (s106A), earliest first; each later day keeps what its own
        //    same-day rule needs.
        for (size_t k = 1; k < t.days.size() && remaining.isPositive(); ++k) {
            Day& later = t.days[k];
            if (later.day > d.day + kThirtyDays)
                break;
            const Decimal reserved = Decimal::min(later.acquired, later.disposed);
            const Decimal available = later.acquired - later.matched - reserved;
            if (!available.isPositive())
                continue;
            const Decimal amount = Decimal::min(remaining, available);
            const Decimal cost = takeFromDay(later, amount);
            addMatch(MatchRule::ThirtyDay, later.firstAcquisitionId, later.day, amount, cost,
                     later.unknownBasis);
            unknown = unknown || later.unknownBasis;
            remaining -= amount;
        }

        // 3. The section 104 pool at average cost.
        if (remaining.isPositive() && t.poolAmount.isPositive()) {
            const Decimal amount = Decimal::min(remaining, t.poolAmount);
            Decimal cost = t.poolCost;
            if (amount < t.poolAmount) {
                cost = LotMath::share(t.poolCost, amount, t.poolAmount);
                if (cost > t.poolCost)
                    cost = t.poolCost;
            }
            t.poolAmount -= amount;
            t.poolCost -= cost;
            addMatch(MatchRule::Pool, QString(), d.day, amount, cost, t.poolUnknown);
            unknown = unknown || t.poolUnknown;
            if (t.poolAmount.isZero())
                t.poolUnknown = false;
            remaining -= amount;
        }

        const Sale& first = d.sales.front();
        if (remaining.isPositive()) {
            addMatch(MatchRule::Shortfall, QString(), d.day, remaining, Decimal(), true);
            if (m_reporting) {
                m_ctx.sink.warn(WarningCode::MissingCostBasis, first.transactionId, qint32(asset),
                                -1, d.day, remaining,
                                tr("Disposed of %1 %2 more than was held; an allowable cost of 0 "
                                   "was used for them.")
                                    .arg(remaining.toString(), m_ctx.assets.name(asset)));
            }
        } else if (unknown && m_reporting) {
            m_ctx.sink.warn(WarningCode::MissingCostBasis, first.transactionId, qint32(asset), -1,
                            d.day, d.disposed,
                            tr("This disposal was matched with tokens whose cost is not known "
                               "(counted as 0)."));
        }

        if (m_reporting) {
            // Proceeds follow the units over the matches; the last takes the remainder.
            Decimal proceeds;
            qint32 wallet = qint32(first.wallet);
            for (const Sale& s : d.sales) {
                proceeds += s.proceeds;
                if (qint32(s.wallet) != wallet)
                    wallet = ResultStore::kSeveralWallets;
            }
            Decimal left = proceeds;
            for (size_t i = 0; i < m_matches.size(); ++i) {
                if (i + 1 == m_matches.size()) {
                    m_matches[i].proceeds = left;
                } else {
                    m_matches[i].proceeds =
                        LotMath::share(proceeds, m_matches[i].amount, d.disposed);
                    left -= m_matches[i].proceeds;
                }
            }
            ResultStore::DisposalRecord r;
            r.time = first.time;
            r.day = d.day;
            r.asset = asset;
            r.wallet = wallet;
            r.transactionId = m_ctx.sink.text().add(first.transactionId);
            r.transactionHash = m_ctx.sink.text().add(first.transactionHash);
            r.transactionCount = quint32(d.sales.size());
            r.kind = quint8(first.kind);
            m_ctx.sink.addDisposal(r, m_matches);
        }
    }

    // What the day acquired and no disposal matched joins the pool.
    const Decimal left = d.acquired - d.matched;
    if (left.isPositive()) {
        t.poolAmount += left;
        t.poolCost += d.acquiredCost - d.matchedCost;
        t.poolUnknown = t.poolUnknown || d.unknownBasis;
    }
    for (Sale& s : d.sales) {
        m_spareTexts.push_back(std::move(s.transactionId));
        m_spareTexts.push_back(std::move(s.transactionHash));
    }
    d.sales.clear();
    m_spareSales.push_back(std::move(d.sales));
    t.days.pop_front();
}

void UkPoolingRules::advanceTo(qint64 time, qint32 julianDay) {
    Q_UNUSED(time);
    while (!m_order.empty() && m_order.front().first + kThirtyDays < julianDay) {
        const quint32 asset = m_order.front().second;
        m_order.pop_front();
        resolveFront(asset);
    }
}

void UkPoolingRules::acquire(const AcquisitionEvent& e) {
    if (!e.amount.isPositive())
        return;
    Day& d = day(e.asset, e.day);
    d.acquired += e.amount;
    d.acquiredCost += e.cost;
    if (d.firstAcquisitionId.isEmpty() && e.transactionId)
        d.firstAcquisitionId = *e.transactionId;
    d.unknownBasis = d.unknownBasis || e.unknownBasis;
}

void UkPoolingRules::dispose(const DisposalEvent& e) {
    if (!e.amount.isPositive())
        return;
    Day& d = day(e.asset, e.day);
    Sale s;
    ownCopy(&s.transactionId, e.transactionId);
    ownCopy(&s.transactionHash, e.transactionHash);
    s.time = e.time;
    s.wallet = e.wallet;
    s.amount = e.amount;
    s.proceeds = e.proceeds;
    s.kind = e.kind;
    d.sales.push_back(std::move(s));
    d.disposed += e.amount;
}

void UkPoolingRules::ownCopy(QString* to, const QString* from) {
    if (!m_spareTexts.empty()) {
        to->swap(m_spareTexts.back());
        m_spareTexts.pop_back();
    }
    assignOwned(to, from ? QStringView(*from) : QStringView());
}

void UkPoolingRules::move(const MoveEvent& e) {
    Q_UNUSED(e); // one pool per token across wallets: a move changes nothing
}

Decimal UkPoolingRules::depart(const DisposalEvent& e) {
    if (!e.amount.isPositive())
        return Decimal();
    // Units leaving the ledger without a disposal take their share of the pool as it stands.
    Token& t = token(e.asset);
    const Decimal amount = Decimal::min(e.amount, t.poolAmount);
    Decimal cost = t.poolCost;
    if (amount < t.poolAmount) {
        cost = LotMath::share(t.poolCost, amount, t.poolAmount);
        if (cost > t.poolCost)
            cost = t.poolCost;
    }
    if (amount.isPositive()) {
        t.poolAmount -= amount;
        t.poolCost -= cost;
    } else {
        cost = Decimal();
    }
    const Decimal shortfall = e.amount - amount;
    if (shortfall.isPositive() && m_ctx.sink.inPeriod(e.day)) {
        m_ctx.sink.warn(WarningCode::MissingCostBasis,
                        e.transactionId ? *e.transactionId : QString(), qint32(e.asset),
                        qint32(e.wallet), e.day, shortfall,
                        tr("%1 %2 more than the pool held left the wallet.")
                            .arg(shortfall.toString(), m_ctx.assets.name(e.asset)));
    }
    return cost;
}

void UkPoolingRules::finish() {
    while (!m_order.empty()) {
        const quint32 asset = m_order.front().second;
        m_order.pop_front();
        resolveFront(asset);
    }
    for (Token& t : m_tokens) {
        if (!t.holdingTaken) {
            t.heldAmount = t.poolAmount;
            t.heldCost = t.poolCost;
            t.holdingTaken = true;
        }
    }
}

QList<Holding> UkPoolingRules::holdings() const {
    QList<Holding> list;
    for (size_t i = 0; i < m_tokens.size(); ++i) {
        const Token& t = m_tokens[i];
        const Decimal amount = t.holdingTaken ? t.heldAmount : t.poolAmount;
        const Decimal cost = t.holdingTaken ? t.heldCost : t.poolCost;
        if (!amount.isPositive())
            continue;
        Holding h;
        h.asset = m_ctx.assets.name(quint32(i));
        h.amount = amount;
        h.costBasis = cost;
        h.lots = 1;
        list.append(h);
    }
    std::sort(list.begin(), list.end(),
              [](const Holding& a, const Holding& b) { return a.asset < b.asset; });
    return list;
}

LotState UkPoolingRules::saveState() const {
    LotState s;
    s.jurisdiction = Jurisdiction::UnitedKingdom;
    for (size_t i = 0; i < m_tokens.size(); ++i) {
        const Token& t = m_tokens[i];
        if (t.poolAmount.isPositive() || !t.poolCost.isZero()) {
            LotRecord pool;
            pool.asset = m_ctx.assets.name(quint32(i));
            pool.amount = t.poolAmount;
            pool.costBasis = t.poolCost;
            pool.unknownBasis = t.poolUnknown;
            s.lots.append(pool);
        }
    }
    std::sort(s.lots.begin(), s.lots.end(),
              [](const LotRecord& a, const LotRecord& b) { return a.asset < b.asset; });
    // Pending days in the order they will be resolved, so a resumed run reports them in the
    // same order as an uninterrupted one.
    std::vector<size_t> cursor(m_tokens.size(), 0);
    for (const auto& entry : m_order) {
        const quint32 asset = entry.second;
        const Day& d = m_tokens[asset].days[cursor[asset]++];
        PendingDay p;
        p.asset = m_ctx.assets.name(asset);
        p.date = QDate::fromJulianDay(d.day);
        p.firstAcquisitionId = d.firstAcquisitionId;
        p.acquiredAmount = d.acquired;
        p.acquiredCost = d.acquiredCost;
        p.matchedAmount = d.matched;
        p.matchedCost = d.matchedCost;
        p.unknownBasis = d.unknownBasis;
        for (const Sale& sale : d.sales) {
            PendingDisposal pd;
            pd.transactionId = sale.transactionId;
            pd.transactionHash = sale.transactionHash;
            pd.wallet = m_ctx.wallets.name(sale.wallet);
            pd.at = Timestamp::fromMicrosecondsSinceEpoch(sale.time);
            pd.amount = sale.amount;
            pd.proceeds = sale.proceeds;
            pd.kind = sale.kind;
            p.disposals.append(pd);
        }
        if (!s.reportFrom.isValid() || p.date < s.reportFrom)
            s.reportFrom = p.date;
        s.pendingDays.append(p);
    }
    return s;
}

Status UkPoolingRules::restoreState(const LotState& s) {
    if (s.jurisdiction != Jurisdiction::UnitedKingdom)
        return Status::failure(tr("The saved state is not a UK pooling state."));
    m_tokens.clear();
    m_order.clear();
    for (const LotRecord& pool : s.lots) {
        if (!pool.amount.isValid() || pool.amount.isNegative() || !pool.costBasis.isValid())
            return Status::failure(tr("The saved pool of %1 is not valid.").arg(pool.asset));
        Token& t = token(m_ctx.assets.intern(pool.asset));
        t.poolAmount += pool.amount;
        t.poolCost += pool.costBasis;
        t.poolUnknown = t.poolUnknown || pool.unknownBasis;
    }
    QDate previous;
    for (const PendingDay& p : s.pendingDays) {
        if (!p.date.isValid() || (previous.isValid() && p.date < previous))
            return Status::failure(
                tr("The saved pending days of %1 are not in date order.").arg(p.asset));
        previous = p.date;
        const quint32 asset = m_ctx.assets.intern(p.asset);
        Day& d = day(asset, qint32(p.date.toJulianDay()));
        d.firstAcquisitionId = p.firstAcquisitionId;
        d.acquired = p.acquiredAmount;
        d.acquiredCost = p.acquiredCost;
        d.matched = p.matchedAmount;
        d.matchedCost = p.matchedCost;
        d.unknownBasis = p.unknownBasis;
        for (const PendingDisposal& pd : p.disposals) {
            Sale sale;
            sale.transactionId = pd.transactionId;
            sale.transactionHash = pd.transactionHash;
            sale.time = pd.at.microsecondsSinceEpoch();
            sale.wallet = m_ctx.wallets.intern(pd.wallet);
            sale.amount = pd.amount;
            sale.proceeds = pd.proceeds;
            sale.kind = pd.kind;
            d.sales.push_back(sale);
            d.disposed += pd.amount;
        }
    }
    return Status::success();
}

} // namespace llamadesk::tax
