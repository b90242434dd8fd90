#pragma once

#include "tax/ResultStore.h"
#include "tax/TaxWarning.h"

#include <QtGlobal>

#include <vector>

namespace llamadesk::tax {

// Where the engine and the rule sets put what they find. Keeps only what falls in the reported
// period (dates as Julian days in the tax zone) and interns identifiers only for kept rows.
class ResultSink {
public:
    ResultSink(ResultStore* store, qint32 firstDay, qint32 lastDay)
        : m_store(store)
        , m_firstDay(firstDay)
        , m_lastDay(lastDay) {}

    bool inPeriod(qint32 day) const { return day >= m_firstDay && day <= m_lastDay; }
    qint32 lastDay() const { return m_lastDay; }
    TextPool& text() { return m_store->text; }
    ResultStore& store() { return *m_store; }

    // The matches are copied; nothing is kept for a day outside the period.
    void addDisposal(ResultStore::DisposalRecord record,
                     const std::vector<ResultStore::MatchRecord>& matches);
    void addIncome(const ResultStore::FlowRecord& line);
    void addExpense(const ResultStore::FlowRecord& line);
    // asset and wallet are ids, -1 for none.
    void warn(WarningCode code, const QString& transactionId, qint32 asset, qint32 wallet,
              qint32 day, const Decimal& amount, const QString& message);

private:
    ResultStore* m_store;
    qint32 m_firstDay;
    qint32 m_lastDay;
};

} // namespace llamadesk::tax
