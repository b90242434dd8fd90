#include "tax/TaxResult.h"

#include "tax/ResultStore.h"

#include <QThread>

#include <algorithm>
#include <memory>
#include <vector>

namespace llamadesk::tax {

namespace {

const ResultStore& emptyStore() {
    static const ResultStore store;
    return store;
}

Timestamp timestampAt(qint64 micros) {
    return Timestamp::fromMicrosecondsSinceEpoch(micros);
}

} // namespace

TaxResult::TaxResult() = default;

TaxResult::TaxResult(std::shared_ptr<const ResultStore> store)
    : m_store(std::move(store)) {}

const TaxOptions& TaxResult::options() const {
    return (m_store ? *m_store : emptyStore()).options;
}

Decimal TaxResult::cents(const Decimal& value) {
    return value.round(2, RoundingMode::HalfUp);
}

QList<Decimal> TaxResult::allocateCents(const QList<Decimal>& exact, const Decimal& total) {
    QList<Decimal> parts;
    parts.reserve(exact.size());
    Decimal sum;
    QList<Decimal> remainders;
    remainders.reserve(exact.size());
    for (const Decimal& v : exact) {
        const Decimal floor = v.round(2, RoundingMode::Floor);
        parts.append(floor);
        remainders.append(v - floor);
        sum += floor;
    }
    const Decimal oneCent = Decimal::fromScaled(1, 2);
    // Normally 0 <= missing < parts (the total is the rounded sum); a negative or larger value
    // (a total not derived from these parts) is spread the same way, one cent at a time.
    std::optional<qint64> missing = (total - sum).divided(oneCent, 0, RoundingMode::Down).toInt64();
    if (!missing || parts.isEmpty())
        return parts;
    QList<int> order(parts.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return remainders[a] > remainders[b]; });
    const Decimal step = *missing >= 0 ? oneCent : -oneCent;
    qint64 left = *missing >= 0 ? *missing : -*missing;
    for (int i = 0; left > 0; i = (i + 1) % int(order.size()), --left)
        parts[order[i]] += step;
    return parts;
}

namespace {

// The printed rows and the summary's gain totals of the disposals [begin, end).
struct DisposalTotals {
    std::vector<ResultStore::RowRef> rows;
    TaxSummary exact;
    TaxSummary printed;
};

void addGain(TaxSummary* sum, quint8 term, const Decimal& gain) {
    if (term == quint8(Term::Short))
        sum->shortTermGains += gain;
    else if (term == quint8(Term::Long))
        sum->longTermGains += gain;
    if (gain.isPositive())
        sum->totalCapitalGains += gain;
    else
        sum->totalCapitalLosses -= gain;
}

void addGains(TaxSummary* sum, const TaxSummary& part) {
    sum->shortTermGains += part.shortTermGains;
    sum->longTermGains += part.longTermGains;
    sum->totalCapitalGains += part.totalCapitalGains;
    sum->totalCapitalLosses += part.totalCapitalLosses;
}

void totalDisposals(const ResultStore& s, quint32 begin, quint32 end, DisposalTotals* out) {
    out->rows.reserve(size_t(end - begin) + size_t(end - begin) / 8);
    for (quint32 i = begin; i < end; ++i) {
        const ResultStore::DisposalRecord& d = s.disposals[i];
        // One pass over the matches for the rows of every term.
        Decimal proceeds[3];
        Decimal cost[3];
        bool seen[3] = {false, false, false};
        for (quint32 k = 0; k < d.matchCount; ++k) {
            const ResultStore::MatchRecord& m = s.matches[d.matchBegin + k];
            seen[m.term] = true;
            proceeds[m.term] += m.proceeds;
            cost[m.term] += m.cost;
        }
        // Short before long, so a split disposal prints its two rows in a fixed order.
        for (quint8 term = 0; term < 3; ++term) {
            if (!seen[term])
                continue;
            out->rows.push_back({i, term});
            addGain(&out->exact, term, proceeds[term] - cost[term]);
            addGain(&out->printed, term,
                    TaxResult::cents(proceeds[term]) - TaxResult::cents(cost[term]));
        }
    }
}

} // namespace

void TaxResult::finalize(ResultStore* store) {
    ResultStore& s = *store;
    s.rows.clear();
    const auto count = quint32(s.disposals.size());
    DisposalTotals first;
    DisposalTotals second;
    if (count >= kParallelFinalizeDisposals) {
        // At the end of a run nothing else is left to do: a million-transaction report spends
        // a tenth of a second here on one thread.
        const quint32 middle = count / 2;
        std::unique_ptr<QThread> helper(
            QThread::create([&s, middle, &first] { totalDisposals(s, 0, middle, &first); }));
        helper->start();
        totalDisposals(s, middle, count, &second);
        helper->wait();
    } else {
        totalDisposals(s, 0, count, &first);
    }

    TaxSummary exact;
    TaxSummary printed;
    exact.totalTransactions = printed.totalTransactions = s.totalTransactions;
    for (const DisposalTotals* part : {&first, &second}) {
        for (const ResultStore::RowRef& row : part->rows)
            s.rows.push_back(row);
        addGains(&exact, part->exact);
        addGains(&printed, part->printed);
    }
    for (size_t i = 0; i < s.income.size(); ++i) {
        exact.totalIncome += s.income[i].value;
        printed.totalIncome += cents(s.income[i].value);
    }
    for (size_t i = 0; i < s.expenses.size(); ++i) {
        exact.totalExpenses += s.expenses[i].value;
        printed.totalExpenses += cents(s.expenses[i].value);
    }
    exact.netCapitalGains = exact.totalCapitalGains - exact.totalCapitalLosses;
    printed.netCapitalGains = printed.totalCapitalGains - printed.totalCapitalLosses;
    s.exactSummary = exact;
    s.summary = printed;
}

int TaxResult::disposalCount() const {
    return m_store ? int(m_store->rows.size()) : 0;
}

Disposal TaxResult::makeDisposal(int row, bool printed) const {
    const ResultStore& s = *m_store;
    const ResultStore::RowRef& ref = s.rows[size_t(row)];
    const ResultStore::DisposalRecord& d = s.disposals[ref.disposal];
    Disposal out;
    out.transactionId = s.text.text(d.transactionId);
    out.transactionHash = s.text.text(d.transactionHash);
    out.transactionCount = int(d.transactionCount);
    out.asset = s.assets.value(qsizetype(d.asset));
    out.wallet = d.wallet >= 0 ? s.wallets.value(d.wallet) : QString();
    out.kind = DisposalKind(d.kind);
    out.soldAt = timestampAt(d.time);
    out.dateSold = QDate::fromJulianDay(d.day);
    out.term = Term(ref.term);
    qint32 earliest = 0;
    bool first = true;
    for (quint32 i = 0; i < d.matchCount; ++i) {
        const ResultStore::MatchRecord& m = s.matches[d.matchBegin + i];
        if (m.term != ref.term)
            continue;
        LotMatch lot;
        lot.rule = MatchRule(m.rule);
        lot.lotId = s.text.text(m.lotId);
        lot.acquired = QDate::fromJulianDay(m.acquiredDay);
        lot.amount = m.amount;
        lot.costBasis = m.cost;
        lot.proceeds = m.proceeds;
        lot.term = Term(m.term);
        lot.holdingDays = qint64(d.day) - m.acquiredDay;
        lot.unknownBasis = m.unknownBasis;
        out.amount += m.amount;
        out.proceeds += m.proceeds;
        out.costBasis += m.cost;
        if (first || m.acquiredDay < earliest)
            earliest = m.acquiredDay;
        first = false;
        out.lots.append(lot);
    }
    for (const LotMatch& lot : out.lots) {
        if (lot.acquired.toJulianDay() != earliest)
            out.variousAcquired = true;
    }
    out.dateAcquired = first ? QDate() : QDate::fromJulianDay(earliest);
    if (printed) {
        out.proceeds = cents(out.proceeds);
        out.costBasis = cents(out.costBasis);
        QList<Decimal> proceeds;
        QList<Decimal> costs;
        for (const LotMatch& lot : out.lots) {
            proceeds.append(lot.proceeds);
            costs.append(lot.costBasis);
        }
        proceeds = allocateCents(proceeds, out.proceeds);
        costs = allocateCents(costs, out.costBasis);
        for (int i = 0; i < out.lots.size(); ++i) {
            out.lots[i].proceeds = proceeds[i];
            out.lots[i].costBasis = costs[i];
        }
    }
    out.gain = out.proceeds - out.costBasis;
    return out;
}

Disposal TaxResult::disposal(int row) const {
    return makeDisposal(row, false);
}

Disposal TaxResult::printedDisposal(int row) const {
    return makeDisposal(row, true);
}

QList<Disposal> TaxResult::disposals() const {
    QList<Disposal> all;
    all.reserve(disposalCount());
    for (int i = 0; i < disposalCount(); ++i)
        all.append(disposal(i));
    return all;
}

IncomeLine TaxResult::makeFlow(int index, bool isIncome, bool printed) const {
    const ResultStore& s = *m_store;
    const ResultStore::FlowRecord& f =
        isIncome ? s.income[size_t(index)] : s.expenses[size_t(index)];
    IncomeLine out;
    out.transactionId = s.text.text(f.transactionId);
    out.transactionHash = s.text.text(f.transactionHash);
    out.type = TransactionType(f.type);
    out.asset = s.assets.value(qsizetype(f.asset));
    out.wallet = s.wallets.value(qsizetype(f.wallet));
    out.at = timestampAt(f.time);
    out.date = QDate::fromJulianDay(f.day);
    out.amount = f.amount;
    out.value = printed ? cents(f.value) : f.value;
    return out;
}

int TaxResult::incomeCount() const {
    return m_store ? int(m_store->income.size()) : 0;
}

IncomeLine TaxResult::income(int index) const {
    return makeFlow(index, true, false);
}

IncomeLine TaxResult::printedIncome(int index) const {
    return makeFlow(index, true, true);
}

QList<IncomeLine> TaxResult::incomeLines() const {
    QList<IncomeLine> all;
    for (int i = 0; i < incomeCount(); ++i)
        all.append(income(i));
    return all;
}

int TaxResult::expenseCount() const {
    return m_store ? int(m_store->expenses.size()) : 0;
}

ExpenseLine TaxResult::expense(int index) const {
    return makeFlow(index, false, false);
}

ExpenseLine TaxResult::printedExpense(int index) const {
    return makeFlow(index, false, true);
}

QList<ExpenseLine> TaxResult::expenseLines() const {
    QList<ExpenseLine> all;
    for (int i = 0; i < expenseCount(); ++i)
        all.append(expense(i));
    return all;
}

int TaxResult::warningCount() const {
    return m_store ? int(m_store->warnings.size()) : 0;
}

TaxWarning TaxResult::warning(int index) const {
    const ResultStore& s = *m_store;
    const ResultStore::WarningRecord& r = s.warnings[size_t(index)];
    TaxWarning w;
    w.code = WarningCode(r.code);
    w.transactionId = s.text.text(r.transactionId);
    w.asset = r.asset >= 0 ? s.assets.value(r.asset) : QString();
    w.wallet = r.wallet >= 0 ? s.wallets.value(r.wallet) : QString();
    w.date = QDate::fromJulianDay(r.day);
    w.amount = r.amount;
    w.message = s.text.text(r.message);
    return w;
}

QList<TaxWarning> TaxResult::warnings() const {
    QList<TaxWarning> all;
    all.reserve(warningCount());
    for (int i = 0; i < warningCount(); ++i)
        all.append(warning(i));
    return all;
}

const QList<Holding>& TaxResult::holdings() const {
    return (m_store ? *m_store : emptyStore()).holdings;
}

Holding TaxResult::printedHolding(int index) const {
    Holding h = holdings().value(index);
    h.costBasis = cents(h.costBasis);
    return h;
}

const QList<SafeHarborEntry>& TaxResult::safeHarborAllocation() const {
    return (m_store ? *m_store : emptyStore()).safeHarbor;
}

const QList<LotState>& TaxResult::checkpoints() const {
    return (m_store ? *m_store : emptyStore()).checkpoints;
}

const LotState& TaxResult::finalState() const {
    return (m_store ? *m_store : emptyStore()).finalState;
}

TaxSummary TaxResult::summary() const {
    return (m_store ? *m_store : emptyStore()).summary;
}

TaxSummary TaxResult::exactSummary() const {
    return (m_store ? *m_store : emptyStore()).exactSummary;
}

} // namespace llamadesk::tax
