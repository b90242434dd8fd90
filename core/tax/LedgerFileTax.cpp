#include "tax/LedgerFileTax.h"

#include "tax/LedgerIds.h"
#include "tax/TaxEngine.h"

#include <algorithm>
#include <vector>

namespace llamadesk::tax {

namespace {

void takeProblems(const import::LedgerReader& reader, LedgerFileOutcome* outcome) {
    outcome->recordsRead = reader.recordsRead();
    outcome->badRecords = reader.badRecords();
    outcome->problemCount = reader.problemCount();
    outcome->problems = reader.problems();
}

// Rows of one instant, with their stable ids, fed in id order.
class InstantGroup {
public:
    bool accepts(const TaxTransaction& t) const {
        return m_rows.isEmpty() || t.timestamp == m_rows.constFirst().timestamp;
    }
    void add(TaxTransaction t) { m_rows.append(std::move(t)); }
    Status flush(TaxEngine& engine, qint64* fed) {
        LedgerIds::assign(&m_rows); // identical rows share an instant: counting here suffices
        // Indices are sorted, not the rows: cheaper, and no large moves.
        std::vector<qsizetype> order(size_t(m_rows.size()));
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = qsizetype(i);
        std::sort(order.begin(), order.end(),
                  [this](qsizetype a, qsizetype b) { return m_rows.at(a).id < m_rows.at(b).id; });
        for (const qsizetype i : order) {
            if (Status s = engine.add(m_rows.at(i)); !s)
                return s;
            ++*fed;
        }
        m_rows.clear();
        return Status::success();
    }
    bool isEmpty() const { return m_rows.isEmpty(); }
    Timestamp instant() const { return m_rows.constFirst().timestamp; }

private:
    QList<TaxTransaction> m_rows;
};

} // namespace

Result<TaxResult> LedgerFileTax::compute(const QString& path, TaxOptions options,
                                         const import::ReadOptions& read,
                                         LedgerFileOutcome* outcome,
                                         const SelectionResolver& resolver) {
    using R = Result<TaxResult>;
    *outcome = LedgerFileOutcome();
    const auto bad = [&]() {
        return R::failure(tr("%1: %2 problem(s) in %3 of %4 rows; nothing was computed")
                              .arg(path)
                              .arg(outcome->problemCount)
                              .arg(outcome->badRecords)
                              .arg(outcome->recordsRead));
    };

    if (!resolver) {
        import::LedgerReader reader(read);
        if (Status s = reader.open(path); !s)
            return R::failure(s.error());
        TaxEngine engine(options);
        InstantGroup group;
        import::LedgerRow row;
        bool ordered = true;
        Status engineStatus;
        qint64 fed = 0;
        while (reader.next(&row)) {
            if (!engineStatus)
                continue; // keep reading: every problem of the file is reported
            if (!group.accepts(row.transaction)) {
                if (row.transaction.timestamp < group.instant()) {
                    ordered = false;
                    break;
                }
                engineStatus = group.flush(engine, &fed);
            }
            group.add(std::move(row.transaction));
        }
        if (ordered) {
            if (!reader.status())
                return R::failure(reader.status().error());
            takeProblems(reader, outcome);
            if (outcome->problemCount > 0 || !reader.headerOk())
                return bad();
            if (engineStatus && !group.isEmpty())
                engineStatus = group.flush(engine, &fed);
            if (!engineStatus)
                return R::failure(engineStatus.error());
            outcome->rows = fed;
            outcome->streamed = true;
            return engine.finish();
        }
    }

    // Out of time order, or Specific-ID names to resolve: the whole file, sorted by the engine.
    Result<import::LedgerFile> file = import::readLedgerFile(path, read);
    if (!file)
        return R::failure(file.error());
    outcome->recordsRead = file->recordsRead;
    outcome->badRecords = file->badRecords;
    outcome->problemCount = file->problemCount;
    outcome->problems = file->problems;
    if (outcome->problemCount > 0 || !file->problems.isEmpty())
        return bad();
    QList<TaxTransaction> rows = std::move(file->rows);
    LedgerIds::assign(&rows);
    if (resolver) {
        Result<QHash<QString, QList<LotSelection>>> selections = resolver(rows);
        if (!selections)
            return R::failure(selections.error());
        options.lotSelections = selections.value();
    }
    outcome->rows = rows.size();
    return TaxEngine::run(rows, options);
}

} // namespace llamadesk::tax
