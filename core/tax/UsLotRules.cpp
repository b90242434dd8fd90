#include "tax/UsLotRules.h"

#include "tax/HoldingPeriod.h"
#include "tax/LotMath.h"

#include <algorithm>

namespace llamadesk::tax {

namespace {

quint64 pocketKey(quint32 asset, qint32 walletKey) {
    return (quint64(asset) << 32) | quint64(quint32(walletKey + 1));
}

quint64 balanceKey(quint32 asset, quint32 wallet) {
    return (quint64(asset) << 32) | quint64(wallet);
}

} // namespace

namespace {

// Acquisition order of lot records: time, then lot, then record. Total, so every run (whole or
// resumed) takes records in the same order whatever the heap's layout.
template <typename L> bool acquiredBefore(const L& a, const L& b) {
    if (a.time != b.time)
        return a.time < b.time;
    if (a.sequence != b.sequence)
        return a.sequence < b.sequence;
    return a.part < b.part;
}

} // namespace

bool UsLotRules::FifoLess::operator()(const Lot& a, const Lot& b) const {
    // std heaps put the greatest element on top: "less" here means "taken later".
    return acquiredBefore(b, a);
}

bool UsLotRules::LifoLess::operator()(const Lot& a, const Lot& b) const {
    return acquiredBefore(a, b);
}

bool UsLotRules::HifoLess::operator()(const Lot& a, const Lot& b) const {
    const int c = a.unitCost.compare(b.unitCost);
    if (c != 0)
        return c < 0;
    return FifoLess()(a, b); // equal unit cost: the earliest first
}

UsLotRules::UsLotRules(RuleContext context)
    : m_ctx(context) {
    const TaxOptions& o = m_ctx.options;
    m_walletScope = o.scope == LotScope::Wallet;
    m_trackBalances = o.scope == LotScope::Auto;
    m_transitionTime = m_ctx.calendar.startOfDay(o.walletScopeFrom);
    m_method = o.method;
}

quint32 UsLotRules::pocketFor(quint32 asset, qint32 walletKey) {
    const quint64 key = pocketKey(asset, walletKey);
    auto it = m_pocketIndex.constFind(key);
    if (it != m_pocketIndex.cend())
        return it.value();
    Pocket p;
    p.asset = asset;
    p.wallet = walletKey;
    p.order = heapOrder();
    m_pockets.push_back(std::move(p));
    const quint32 index = quint32(m_pockets.size() - 1);
    m_pocketIndex.insert(key, index);
    return index;
}

quint32 UsLotRules::pocket(quint32 asset, quint32 wallet) {
    return pocketFor(asset, m_walletScope ? qint32(wallet) : kAllWallets);
}

CostBasisMethod UsLotRules::heapOrder() const {
    // Specific identification names lots explicitly; whatever is not named goes FIFO.
    return m_method == CostBasisMethod::Specific ? CostBasisMethod::Fifo : m_method;
}

void UsLotRules::ensureUnitCost(Lot& lot) {
    // Fixed once computed, so a lot keeps its place in the HIFO order as it is consumed.
    if (!lot.unitCost.isValid()) {
        lot.unitCost = lot.amount.isPositive()
                           ? lot.cost.divided(lot.amount, Decimal::kScale, RoundingMode::HalfEven)
                           : Decimal();
    }
}

void UsLotRules::ensureOrder(Pocket& p) {
    const CostBasisMethod order = heapOrder();
    if (p.order == order)
        return;
    p.order = order;
    if (order == CostBasisMethod::Hifo) {
        for (Lot& lot : p.heap)
            ensureUnitCost(lot);
    }
    switch (order) {
    case CostBasisMethod::Lifo:
        std::make_heap(p.heap.begin(), p.heap.end(), LifoLess());
        break;
    case CostBasisMethod::Hifo:
        std::make_heap(p.heap.begin(), p.heap.end(), HifoLess());
        break;
    default:
        std::make_heap(p.heap.begin(), p.heap.end(), FifoLess());
        break;
    }
}

void UsLotRules::pushLot(Pocket& p, Lot lot) {
    ensureOrder(p);
    if (p.order == CostBasisMethod::Hifo)
        ensureUnitCost(lot);
    p.heap.push_back(std::move(lot));
    switch (p.order) {
    case CostBasisMethod::Lifo:
        std::push_heap(p.heap.begin(), p.heap.end(), LifoLess());
        break;
    case CostBasisMethod::Hifo:
        std::push_heap(p.heap.begin(), p.heap.end(), HifoLess());
        break;
    default:
        std::push_heap(p.heap.begin(), p.heap.end(), FifoLess());
        break;
    }
}

void UsLotRules::popTop(Pocket& p) {
    switch (p.order) {
    case CostBasisMethod::Lifo:
        std::pop_heap(p.heap.begin(), p.heap.end(), LifoLess());
        break;
    case CostBasisMethod::Hifo:
        std::pop_heap(p.heap.begin(), p.heap.end(), HifoLess());
        break;
    default:
        std::pop_heap(p.heap.begin(), p.heap.end(), FifoLess());
        break;
    }
    p.heap.pop_back();
}

qint32 UsLotRules::longTermFrom(qint32 day) {
    if (day != m_cachedDay || m_cachedLongFrom == 0) {
        m_cachedDay = day;
        m_cachedLongFrom =
            qint32(HoldingPeriod::longTermFrom(QDate::fromJulianDay(day)).toJulianDay());
    }
    return m_cachedLongFrom;
}

UsLotRules::Piece UsLotRules::split(Lot& lot, const Decimal& amount) {
    Piece piece;
    piece.lot = lot;
    piece.lot.lossIndex = -1;
    // The share of the cost follows the share of the units; the lot keeps the exact remainder,
    // so no basis is created or lost by rounding.
    Decimal cost = LotMath::share(lot.cost, amount, lot.amount);
    if (cost > lot.cost)
        cost = lot.cost;
    piece.lot.amount = amount;
    piece.lot.cost = cost;
    lot.amount -= amount;
    lot.cost -= cost;
    if (lot.lossIndex >= 0) {
        Decimal& loss = m_lossBasis[size_t(lot.lossIndex)];
        Decimal part = LotMath::share(loss, amount, lot.amount + amount);
        if (part > loss)
            part = loss;
        piece.lossBasis = part;
        loss -= part;
    }
    return piece;
}

UsLotRules::Piece UsLotRules::whole(const Lot& lot) const {
    Piece piece;
    piece.lot = lot;
    piece.lot.lossIndex = -1;
    if (lot.lossIndex >= 0)
        piece.lossBasis = m_lossBasis[size_t(lot.lossIndex)];
    return piece;
}

UsLotRules::Lot UsLotRules::toLot(const Piece& piece) {
    Lot lot = piece.lot;
    lot.part = m_nextPart++;
    lot.lossIndex = -1;
    if (piece.lossBasis) {
        m_lossBasis.push_back(*piece.lossBasis);
        lot.lossIndex = qint32(m_lossBasis.size() - 1);
    }
    return lot;
}

void UsLotRules::warn(WarningCode code, const QString& transactionId, quint32 asset, qint32 wallet,
                      qint32 day, const Decimal& amount, const QString& message) {
    m_ctx.sink.warn(code, transactionId, qint32(asset), wallet, day, amount, message);
}

Decimal UsLotRules::take(Pocket& p, const Decimal& amount, const QList<LotSelection>* selections,
                         const QString* transactionId, qint32 day, quint32 asset, quint32 wallet) {
    m_pieces.clear();
    ensureOrder(p);
    Decimal want = amount;
    const bool reporting = m_ctx.sink.inPeriod(day);
    const QString id = transactionId ? *transactionId : QString();
    if (m_method == CostBasisMethod::Specific) {
        if (!selections || selections->isEmpty()) {
            if (reporting) {
                warn(WarningCode::LotSelectionMismatch, id, asset, qint32(wallet), day, amount,
                     tr("No lots were named for this disposal under specific identification; "
                        "the earliest lots were used (first in, first out)."));
            }
        } else {
            Decimal named;
            for (const LotSelection& s : *selections) {
                named += s.amount;
                Decimal need = Decimal::min(s.amount, want);
                Decimal got;
                // The named lot's records (a lot split by moves has several), earliest first.
                m_candidates.clear();
                for (quint32 k = 0; k < p.heap.size(); ++k) {
                    const Lot& lot = p.heap[k];
                    if (lot.amount.isPositive() && m_ctx.sink.text().equals(lot.origin, s.lotId))
                        m_candidates.push_back(k);
                }
                std::sort(m_candidates.begin(), m_candidates.end(), [&p](quint32 a, quint32 b) {
                    return acquiredBefore(p.heap[a], p.heap[b]);
                });
                for (const quint32 k : m_candidates) {
                    if (!need.isPositive())
                        break;
                    Lot& lot = p.heap[k];
                    // Changing amounts leaves heap keys as they were, so the heap stays valid;
                    // an emptied lot is dropped when it reaches the top.
                    const Decimal part = Decimal::min(need, lot.amount);
                    if (part == lot.amount) {
                        m_pieces.push_back(whole(lot));
                        lot.amount = Decimal();
                        lot.cost = Decimal();
                    } else {
                        m_pieces.push_back(split(lot, part));
                    }
                    need -= part;
                    got += part;
                }
                want -= got;
                if (reporting && need.isPositive()) {
                    warn(WarningCode::LotSelectionMismatch, id, asset, qint32(wallet), day,
                         s.amount,
                         tr("Lot %1 had only %2 units available of the %3 named.")
                             .arg(s.lotId, got.toString(), s.amount.toString()));
                }
            }
            if (reporting && named > amount) {
                warn(WarningCode::LotSelectionMismatch, id, asset, qint32(wallet), day, named,
                     tr("The named lots (%1 units) exceed the %2 units disposed of; the excess "
                        "was ignored.")
                         .arg(named.toString(), amount.toString()));
            }
            if (reporting && want.isPositive()) {
                warn(WarningCode::LotSelectionMismatch, id, asset, qint32(wallet), day, want,
                     tr("The named lots covered only part of the disposal; the other %1 units "
                        "came from the earliest lots (first in, first out).")
                         .arg(want.toString()));
            }
        }
    }
    while (want.isPositive() && !p.heap.empty()) {
        Lot& top = p.heap.front();
        if (!top.amount.isPositive()) {
            popTop(p);
            continue;
        }
        if (top.amount <= want) {
            want -= top.amount;
            m_pieces.push_back(whole(top));
            popTop(p);
        } else {
            m_pieces.push_back(split(top, want));
            want = Decimal();
        }
    }
    return amount - want;
}

void UsLotRules::addBalance(quint32 asset, quint32 wallet, const Decimal& delta) {
    m_balances[balanceKey(asset, wallet)] += delta;
}

void UsLotRules::advanceTo(qint64 time, qint32 day) {
    if (day != m_lastDay) {
        m_lastDay = day;
        if (!m_holdingsTaken && day > m_ctx.sink.lastDay())
            snapshotHoldings();
        const int year = m_ctx.options.taxYearOf(QDate::fromJulianDay(day));
        if (year != m_year) {
            m_year = year;
            m_method = m_ctx.options.methodForYear(year);
        }
    }
    if (m_ctx.options.scope == LotScope::Auto && !m_walletScope && time >= m_transitionTime)
        allocateToWallets(qint32(m_ctx.options.walletScopeFrom.toJulianDay()));
}

void UsLotRules::acquire(const AcquisitionEvent& e) {
    if (!e.amount.isPositive())
        return;
    Lot lot;
    lot.amount = e.amount;
    lot.cost = e.cost;
    lot.unitCost = Decimal::invalid(); // computed when a HIFO order first needs it
    lot.time = e.time;
    lot.sequence = m_nextSequence++;
    lot.part = m_nextPart++;
    lot.origin = m_ctx.sink.text().add(e.transactionId ? *e.transactionId : QString());
    lot.day = e.day;
    lot.longFrom = longTermFrom(e.day);
    lot.unknownBasis = e.unknownBasis;
    if (e.lossBasis && *e.lossBasis < e.cost) {
        m_lossBasis.push_back(*e.lossBasis);
        lot.lossIndex = qint32(m_lossBasis.size() - 1);
    }
    pushLot(m_pockets[pocket(e.asset, e.wallet)], std::move(lot));
    if (m_trackBalances && !m_walletScope)
        addBalance(e.asset, e.wallet, e.amount);
}

void UsLotRules::dispose(const DisposalEvent& e) {
    if (!e.amount.isPositive())
        return;
    Pocket& p = m_pockets[pocket(e.asset, e.wallet)];
    const Decimal taken =
        take(p, e.amount, e.selections, e.transactionId, e.day, e.asset, e.wallet);
    if (m_trackBalances && !m_walletScope)
        addBalance(e.asset, e.wallet, -e.amount);
    if (!m_ctx.sink.inPeriod(e.day))
        return; // the lots are consumed; nothing to report
    const Decimal shortfall = e.amount - taken;
    const size_t count = m_pieces.size() + (shortfall.isPositive() ? 1 : 0);
    m_matches.clear();
    Decimal proceedsLeft = e.proceeds;
    Decimal unknownUnits;
    for (size_t i = 0; i < m_pieces.size(); ++i) {
        const Piece& piece = m_pieces[i];
        Decimal share = proceedsLeft;
        if (i + 1 < count) {
            share = LotMath::share(e.proceeds, piece.lot.amount, e.amount);
        }
        proceedsLeft -= share;
        Decimal cost = piece.lot.cost;
        if (piece.lossBasis) {
            // Gift with a lower loss basis: a gain uses the donor's basis, a loss the lower one,
            // and proceeds between the two give neither gain nor loss.
            if (share > piece.lot.cost)
                cost = piece.lot.cost;
            else if (share < *piece.lossBasis)
                cost = *piece.lossBasis;
            else
                cost = share;
        }
        ResultStore::MatchRecord m;
        m.amount = piece.lot.amount;
        m.cost = cost;
        m.proceeds = share;
        m.lotId = piece.lot.origin;
        m.acquiredDay = piece.lot.day;
        m.rule = quint8(MatchRule::Lot);
        m.term = quint8(e.day >= piece.lot.longFrom ? Term::Long : Term::Short);
        m.unknownBasis = piece.lot.unknownBasis;
        if (piece.lot.unknownBasis)
            unknownUnits += piece.lot.amount;
        m_matches.push_back(m);
    }
    const QString id = e.transactionId ? *e.transactionId : QString();
    if (shortfall.isPositive()) {
        ResultStore::MatchRecord m;
        m.amount = shortfall;
        m.proceeds = proceedsLeft;
        m.acquiredDay = e.day;
        m.rule = quint8(MatchRule::Shortfall);
        m.term = quint8(Term::Short);
        m.unknownBasis = true;
        m_matches.push_back(m);
        warn(WarningCode::MissingCostBasis, id, e.asset, qint32(e.wallet), e.day, shortfall,
             tr("Disposed of %1 %2 more than the lots held; basis 0 was used for them.")
                 .arg(shortfall.toString(), m_ctx.assets.name(e.asset)));
    }
    if (unknownUnits.isPositive()) {
        warn(WarningCode::MissingCostBasis, id, e.asset, qint32(e.wallet), e.day, unknownUnits,
             tr("%1 %2 of this disposal came from lots whose basis is unknown (counted as 0).")
                 .arg(unknownUnits.toString(), m_ctx.assets.name(e.asset)));
    }
    ResultStore::DisposalRecord r;
    r.time = e.time;
    r.day = e.day;
    r.asset = e.asset;
    r.wallet = qint32(e.wallet);
    r.transactionId = m_ctx.sink.text().add(id);
    r.transactionHash = m_ctx.sink.text().add(e.transactionHash ? *e.transactionHash : QString());
    r.kind = quint8(e.kind);
    m_ctx.sink.addDisposal(r, m_matches);
}

Decimal UsLotRules::depart(const DisposalEvent& e) {
    if (!e.amount.isPositive())
        return Decimal();
    Pocket& p = m_pockets[pocket(e.asset, e.wallet)];
    const Decimal taken =
        take(p, e.amount, e.selections, e.transactionId, e.day, e.asset, e.wallet);
    if (m_trackBalances && !m_walletScope)
        addBalance(e.asset, e.wallet, -e.amount);
    Decimal basis;
    for (const Piece& piece : m_pieces)
        basis += piece.lot.cost;
    const Decimal shortfall = e.amount - taken;
    if (shortfall.isPositive() && m_ctx.sink.inPeriod(e.day)) {
        warn(WarningCode::MissingCostBasis, e.transactionId ? *e.transactionId : QString(), e.asset,
             qint32(e.wallet), e.day, shortfall,
             tr("%1 %2 more than the lots held left the wallet.")
                 .arg(shortfall.toString(), m_ctx.assets.name(e.asset)));
    }
    return basis;
}

void UsLotRules::move(const MoveEvent& e) {
    if (!e.amount.isPositive())
        return;
    if (!m_walletScope) {
        // One pocket for all wallets: only the per-wallet unit counts change.
        if (m_trackBalances && e.fromWallet != e.toWallet) {
            addBalance(e.asset, e.fromWallet, -e.amount);
            addBalance(e.asset, e.toWallet, e.amount);
        }
        return;
    }
    if (e.fromWallet == e.toWallet)
        return;
    const quint32 to = pocket(e.asset, e.toWallet); // before taking a reference to the source
    const quint32 from = pocket(e.asset, e.fromWallet);
    const Decimal taken = take(m_pockets[from], e.amount, e.selections, e.transactionId, e.day,
                               e.asset, e.fromWallet);
    for (const Piece& piece : m_pieces)
        pushLot(m_pockets[to], toLot(piece));
    const Decimal shortfall = e.amount - taken;
    if (shortfall.isPositive()) {
        Lot lot;
        lot.amount = shortfall;
        lot.unitCost = Decimal::invalid();
        lot.time = e.time;
        lot.sequence = m_nextSequence++;
        lot.part = m_nextPart++;
        lot.origin = m_ctx.sink.text().add(e.transactionId ? *e.transactionId : QString());
        lot.day = e.day;
        lot.longFrom = longTermFrom(e.day);
        lot.unknownBasis = true;
        pushLot(m_pockets[to], std::move(lot));
        if (m_ctx.sink.inPeriod(e.day)) {
            warn(WarningCode::MissingCostBasis, e.transactionId ? *e.transactionId : QString(),
                 e.asset, qint32(e.toWallet), e.day, shortfall,
                 tr("%1 %2 arrived with no lots behind them in the sending wallet; basis 0 was "
                    "used.")
                     .arg(shortfall.toString(), m_ctx.assets.name(e.asset)));
        }
    }
}

void UsLotRules::allocateToWallets(qint32 day) {
    m_walletScope = true;
    m_allocationDone = true;
    m_trackBalances = false;

    std::vector<quint32> universal;
    for (quint32 i = 0; i < m_pockets.size(); ++i) {
        if (m_pockets[i].wallet == kAllWallets)
            universal.push_back(i);
    }
    std::sort(universal.begin(), universal.end(), [this](quint32 a, quint32 b) {
        return m_ctx.assets.name(m_pockets[a].asset) < m_ctx.assets.name(m_pockets[b].asset);
    });

    struct Need {
        QString name;
        quint32 wallet;
        Decimal amount;
    };

    for (const quint32 index : universal) {
        const quint32 asset = m_pockets[index].asset;
        const QString& assetName = m_ctx.assets.name(asset);
        std::vector<Lot> lots;
        lots.swap(m_pockets[index].heap);
        m_pocketIndex.remove(pocketKey(asset, kAllWallets));
        lots.erase(std::remove_if(lots.begin(), lots.end(),
                                  [](const Lot& l) { return !l.amount.isPositive(); }),
                   lots.end());
        std::sort(lots.begin(), lots.end(),
                  [](const Lot& a, const Lot& b) { return acquiredBefore(a, b); });

        std::vector<Need> needs;
        for (auto it = m_balances.cbegin(); it != m_balances.cend(); ++it) {
            if (quint32(it.key() >> 32) != asset || !it.value().isPositive())
                continue;
            const quint32 wallet = quint32(it.key() & 0xffffffffu);
            needs.push_back({m_ctx.wallets.name(wallet), wallet, it.value()});
        }
        std::sort(needs.begin(), needs.end(),
                  [](const Need& a, const Need& b) { return a.name < b.name; });

        auto assign = [&](const Piece& piece, quint32 wallet) {
            SafeHarborEntry entry;
            entry.asset = assetName;
            entry.wallet = m_ctx.wallets.name(wallet);
            entry.lotId = m_ctx.sink.text().text(piece.lot.origin);
            entry.acquiredAt = Timestamp::fromMicrosecondsSinceEpoch(piece.lot.time);
            entry.amount = piece.lot.amount;
            entry.costBasis = piece.lot.cost;
            m_safeHarbor.append(entry);
            pushLot(m_pockets[pocketFor(asset, qint32(wallet))], toLot(piece));
        };
        auto takeFrom = [&](Lot& lot, const Decimal& amount) {
            if (amount >= lot.amount) {
                Piece piece = whole(lot);
                lot.amount = Decimal();
                lot.cost = Decimal();
                return piece;
            }
            return split(lot, amount);
        };

        // A recorded allocation first, as it was made.
        for (const SafeHarborEntry& rec : m_ctx.options.safeHarborAllocation) {
            if (rec.asset != assetName)
                continue;
            const quint32 wallet = m_ctx.wallets.intern(rec.wallet);
            Decimal want = rec.amount;
            for (Lot& lot : lots) {
                if (!want.isPositive())
                    break;
                if (!lot.amount.isPositive() ||
                    lot.time != rec.acquiredAt.microsecondsSinceEpoch() ||
                    !m_ctx.sink.text().equals(lot.origin, rec.lotId))
                    continue;
                const Decimal part = Decimal::min(want, lot.amount);
                assign(takeFrom(lot, part), wallet);
                want -= part;
            }
            for (Need& n : needs) {
                if (n.wallet == wallet)
                    n.amount -= rec.amount - want;
            }
            if (want.isPositive()) {
                warn(WarningCode::SafeHarborMismatch, rec.lotId, asset, qint32(wallet), day, want,
                     tr("The recorded allocation assigns %1 units of lot %2 to %3, but the lot "
                        "no longer has them.")
                         .arg(want.toString(), rec.lotId, rec.wallet));
            }
        }

        // Then the standing rule: lots in acquisition order fill the wallets in name order.
        size_t cursor = 0;
        for (Need& n : needs) {
            while (n.amount.isPositive() && cursor < lots.size()) {
                Lot& lot = lots[cursor];
                if (!lot.amount.isPositive()) {
                    ++cursor;
                    continue;
                }
                const Decimal part = Decimal::min(n.amount, lot.amount);
                assign(takeFrom(lot, part), n.wallet);
                n.amount -= part;
            }
            if (n.amount.isPositive()) {
                warn(WarningCode::SafeHarborMismatch, QString(), asset, qint32(n.wallet), day,
                     n.amount,
                     tr("Wallet %1 held %2 %3 more than the remaining lots; those units have no "
                        "basis.")
                         .arg(n.name, n.amount.toString(), assetName));
            }
        }
        Decimal leftover;
        for (; cursor < lots.size(); ++cursor) {
            Lot& lot = lots[cursor];
            if (!lot.amount.isPositive())
                continue;
            leftover += lot.amount;
            const quint32 wallet = needs.empty() ? m_ctx.wallets.intern(QStringLiteral("default"))
                                                 : needs.front().wallet;
            assign(takeFrom(lot, lot.amount), wallet);
        }
        if (leftover.isPositive()) {
            warn(WarningCode::SafeHarborMismatch, QString(), asset, -1, day, leftover,
                 tr("%1 %2 of remaining lots exceeded the units held in wallets; they were "
                    "assigned to the first wallet.")
                     .arg(leftover.toString(), assetName));
        }
    }
    m_balances.clear();
}

QList<Holding> UsLotRules::currentHoldings() const {
    QList<Holding> list;
    for (const Pocket& p : m_pockets) {
        Holding h;
        h.asset = m_ctx.assets.name(p.asset);
        h.wallet = p.wallet >= 0 ? m_ctx.wallets.name(quint32(p.wallet)) : QString();
        for (const Lot& lot : p.heap) {
            if (!lot.amount.isPositive())
                continue;
            h.amount += lot.amount;
            h.costBasis += lot.cost;
            ++h.lots;
        }
        if (h.lots > 0)
            list.append(h);
    }
    std::sort(list.begin(), list.end(), [](const Holding& a, const Holding& b) {
        return a.asset != b.asset ? a.asset < b.asset : a.wallet < b.wallet;
    });
    return list;
}

void UsLotRules::snapshotHoldings() {
    m_holdings = currentHoldings();
    m_holdingsTaken = true;
}

void UsLotRules::finish() {
    if (!m_holdingsTaken)
        snapshotHoldings();
}

QList<Holding> UsLotRules::holdings() const {
    return m_holdingsTaken ? m_holdings : currentHoldings();
}

LotState UsLotRules::saveState() const {
    LotState s;
    s.jurisdiction = Jurisdiction::UnitedStates;
    s.walletScope = m_walletScope;
    s.allocationDone = m_allocationDone;
    s.safeHarbor = m_safeHarbor;
    s.nextSequence = m_nextSequence;
    s.nextPart = m_nextPart;
    for (const Pocket& p : m_pockets) {
        for (const Lot& lot : p.heap) {
            if (!lot.amount.isPositive())
                continue;
            LotRecord r;
            r.asset = m_ctx.assets.name(p.asset);
            r.wallet = p.wallet >= 0 ? m_ctx.wallets.name(quint32(p.wallet)) : QString();
            r.lotId = m_ctx.sink.text().text(lot.origin);
            r.acquiredAt = Timestamp::fromMicrosecondsSinceEpoch(lot.time);
            r.sequence = lot.sequence;
            r.part = lot.part;
            r.amount = lot.amount;
            r.costBasis = lot.cost;
            r.unitCost = lot.unitCost.isValid() ? lot.unitCost : Decimal();
            if (lot.lossIndex >= 0)
                r.lossBasis = m_lossBasis[size_t(lot.lossIndex)];
            r.unknownBasis = lot.unknownBasis;
            s.lots.append(r);
        }
    }
    std::sort(s.lots.begin(), s.lots.end(), [](const LotRecord& a, const LotRecord& b) {
        if (a.asset != b.asset)
            return a.asset < b.asset;
        if (a.wallet != b.wallet)
            return a.wallet < b.wallet;
        if (a.acquiredAt != b.acquiredAt)
            return a.acquiredAt < b.acquiredAt;
        if (a.sequence != b.sequence)
            return a.sequence < b.sequence;
        return a.part < b.part;
    });
    if (m_trackBalances && !m_walletScope) {
        for (auto it = m_balances.cbegin(); it != m_balances.cend(); ++it) {
            if (it.value().isZero())
                continue;
            s.balances.append({m_ctx.assets.name(quint32(it.key() >> 32)),
                               m_ctx.wallets.name(quint32(it.key() & 0xffffffffu)), it.value()});
        }
        std::sort(s.balances.begin(), s.balances.end(),
                  [](const WalletBalance& a, const WalletBalance& b) {
                      return a.asset != b.asset ? a.asset < b.asset : a.wallet < b.wallet;
                  });
    }
    return s;
}

Status UsLotRules::restoreState(const LotState& s) {
    if (s.jurisdiction != Jurisdiction::UnitedStates)
        return Status::failure(tr("The saved lot state is not a US state."));
    m_pockets.clear();
    m_pocketIndex.clear();
    m_lossBasis.clear();
    m_balances.clear();
    m_walletScope = s.walletScope || m_ctx.options.scope == LotScope::Wallet;
    m_allocationDone = s.allocationDone;
    m_trackBalances = m_ctx.options.scope == LotScope::Auto && !m_walletScope;
    m_safeHarbor = s.safeHarbor;
    m_nextSequence = quint32(s.nextSequence);
    m_nextPart = quint32(s.nextPart);
    m_year = 0;
    m_lastDay = 0;
    for (const LotRecord& r : s.lots) {
        if (!r.amount.isValid() || !r.amount.isPositive() || !r.costBasis.isValid() ||
            !r.acquiredAt.isValid()) {
            return Status::failure(
                tr("The saved lot %1 of %2 has an invalid amount, basis or date.")
                    .arg(r.lotId, r.asset));
        }
        if (m_walletScope && r.wallet.isEmpty()) {
            return Status::failure(
                tr("The saved state keeps lots per wallet, but lot %1 of %2 has no wallet.")
                    .arg(r.lotId, r.asset));
        }
        Lot lot;
        lot.amount = r.amount;
        lot.cost = r.costBasis;
        lot.unitCost = r.unitCost.isPositive() ? r.unitCost : Decimal::invalid();
        lot.time = r.acquiredAt.microsecondsSinceEpoch();
        lot.sequence = quint32(r.sequence);
        lot.part = quint32(r.part);
        lot.origin = m_ctx.sink.text().add(r.lotId);
        lot.day = m_ctx.calendar.dayOf(lot.time);
        lot.longFrom = longTermFrom(lot.day);
        lot.unknownBasis = r.unknownBasis;
        if (r.lossBasis) {
            m_lossBasis.push_back(*r.lossBasis);
            lot.lossIndex = qint32(m_lossBasis.size() - 1);
        }
        const quint32 asset = m_ctx.assets.intern(r.asset);
        const qint32 walletKey =
            r.wallet.isEmpty() ? kAllWallets : qint32(m_ctx.wallets.intern(r.wallet));
        pushLot(m_pockets[pocketFor(asset, walletKey)], std::move(lot));
    }
    if (m_trackBalances) {
        for (const WalletBalance& b : s.balances)
            addBalance(m_ctx.assets.intern(b.asset), m_ctx.wallets.intern(b.wallet), b.amount);
    }
    return Status::success();
}

} // namespace llamadesk::tax
