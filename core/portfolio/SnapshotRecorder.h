#pragma once

#include "Result.h"
#include "domain/PortfolioSnapshot.h"
#include "domain/Timestamp.h"

#include <QCoreApplication>
#include <QSqlDatabase>

#include <optional>

namespace llamadesk::portfolio {

// Records the current holdings (portfolio_assets) as one portfolio_snapshots row: total value,
// counts, PnL against the cost basis and against the previous snapshot, the risk metrics of the
// last year of snapshots and the allocations. Days are UTC dates (snapshot_date).
class SnapshotRecorder {
    Q_DECLARE_TR_FUNCTIONS(SnapshotRecorder)

public:
    // Always records one (the "Record snapshot" action), in one transaction.
    static Result<PortfolioSnapshot> record(const QSqlDatabase& db, const Timestamp& now);
    // The daily automatic snapshot: records one only when the day of `now` has none yet. The
    // check and the insert are in the same write transaction, so two callers cannot both add
    // one. nullopt: the day already had its snapshot.
    static Result<std::optional<PortfolioSnapshot>> recordDaily(const QSqlDatabase& db,
                                                                const Timestamp& now);

private:
    static Result<std::optional<PortfolioSnapshot>> run(const QSqlDatabase& db,
                                                        const Timestamp& now, bool onlyIfMissing);
};

} // namespace llamadesk::portfolio
