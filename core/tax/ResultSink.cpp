#include "tax/ResultSink.h"

namespace llamadesk::tax {

void ResultSink::addDisposal(ResultStore::DisposalRecord record,
                             const std::vector<ResultStore::MatchRecord>& matches) {
    if (!inPeriod(record.day) || matches.empty())
        return;
    record.matchBegin = quint32(m_store->matches.size());
    record.matchCount = quint32(matches.size());
    for (const ResultStore::MatchRecord& m : matches)
        m_store->matches.push_back(m);
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

void ResultSink::warn(WarningCode code, const QString& transactionId, qint32 asset, qint32 wallet,
                      qint32 day, const Decimal& amount, const QString& message) {
    if (!inPeriod(day))
        return;
    ResultStore::WarningRecord w;
    w.code = quint8(code);
    w.transactionId = m_store->text.add(transactionId);
    w.message = m_store->text.add(QStringView(message));
    w.asset = asset;
    w.wallet = wallet;
    w.day = day;
    w.amount = amount;
    m_store->warnings.push_back(w);
}

} // namespace llamadesk::tax
