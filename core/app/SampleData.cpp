#include "app/SampleData.h"

#include "demo/DemoData.h"

#include <atomic>

namespace llamadesk::app {

Result<qint64> SampleData::generate(const QSqlDatabase& db, const SampleDataOptions& options,
                                    const Progress& progress) {
    // The whole sample vault, not only a ledger: prices, holdings, snapshots, alerts and the
    // reference data, so every view has something true to show. One transaction: a cancel or a
    // failure leaves the vault as it was.
    std::atomic<bool> cancel{false};
    demo::DemoOptions demo;
    demo.transactions = options.transactions;
    demo.seed = options.seed;
    demo.cancel = &cancel;
    if (progress) {
        const qint64 total = options.transactions;
        demo.progress = [&progress, &cancel, total](int percent, const QString&) {
            if (!progress(total * percent / 100, total))
                cancel.store(true);
        };
    }
    const Result<demo::DemoSummary> summary = demo::DemoData::populate(db, demo);
    if (cancel.load())
        return qint64(0);
    if (!summary)
        return Result<qint64>::failure(tr("Cannot write the sample data: %1").arg(summary.error()));
    return summary->transactions;
}

} // namespace llamadesk::app
