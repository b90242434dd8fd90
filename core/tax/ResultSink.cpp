#include "tax/ResultSink.h"

namespace llamadesk::tax {

void ResultSink::addDisposal(ResultStore::DisposalRecord record,
                             const std::vector<ResultStore::MatchRecord>& matches) {
    if (!inPeriod(record.day) || matches.empty())
        return;
    record.matchBegin = quint32(m_store->matches.size());
    record.matchCount = quint32(matches.size());
    m_store->matches.insert(m_store->matches.end(), matches.begin(), matches.end());
    m_store->disposals.push_back(record);
}

void ResultSink::addIncome(const ResultStore::FlowRecord& line) {
    if (inPeriod(line.day))
        m_store->income.push_back(line);
}

void ResultSink::addExpense(const ResultStore::FlowRecord& line) {
    if (inPeriod(line.day))
        m_store->expenses.push_back(line);
}

void ResultSink::warn(const TaxWarning& warning, qint32 day) {
    if (inPeriod(day))
        m_store->warnings.append(warning);
}

} // namespace llamadesk::tax
