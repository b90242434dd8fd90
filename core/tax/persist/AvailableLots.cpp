#include "tax/persist/AvailableLots.h"

#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/TaxEngine.h"

#include <algorithm>

namespace llamadesk::tax {

Result<QList<LotRecord>> AvailableLots::before(QSqlDatabase db, TaxOptions options,
                                               const QString& asset, const QString& wallet,
                                               const Timestamp& at,
                                               const std::function<bool(qint64 rows)>& progress) {
    using R = Result<QList<LotRecord>>;
    if (!at.isValid())
        return R::failure(tr("AvailableLots: the disposal has no valid instant."));
    Result<QString> user = store::LocalUser::ensure(db);
    if (!user)
        return R::failure(user.error());

    // Only the state matters: a one-day period keeps the report rows few.
    const QDate day = at.dateIn(options.timeZone);
    options.periodStart = day;
    options.periodEnd = day;
    options.checkpointsAt = {at};
    options.captureFinalState = false;
    TaxEngine engine(options);

    store::TransactionFilter filter;
    filter.userId = user.value();
    filter.until = Timestamp::fromMicrosecondsSinceEpoch(
        std::min(Timestamp::kMaxMicroseconds,
                 at.microsecondsSinceEpoch() + (options.transferWindowSeconds + 1) * 1000000));
    store::TransactionRepository transactions(db);
    Status added;
    qint64 fed = 0;
    bool stopped = false;
    const Status read = transactions.forEach(filter, [&](const TaxTransaction& t) {
        if (progress && ++fed % 4096 == 0 && !progress(fed)) {
            stopped = true;
            return false;
        }
        added = engine.add(t);
        return added.ok();
    });
    if (stopped)
        return R::failure(tr("AvailableLots: stopped by the caller."));
    if (!read)
        return R::failure(read.error());
    if (!added)
        return R::failure(added.error());
    Result<TaxResult> result = engine.finish();
    if (!result)
        return R::failure(result.error());
    if (result->checkpoints().isEmpty())
        return R::failure(tr("AvailableLots: the engine kept no state at the disposal."));
    const LotState& state = result->checkpoints().constFirst();
    QList<LotRecord> lots;
    for (const LotRecord& l : state.lots) {
        if (l.asset.compare(asset, Qt::CaseInsensitive) != 0 || !l.amount.isPositive())
            continue;
        if (state.walletScope && !wallet.isEmpty() && l.wallet != wallet)
            continue;
        lots.append(l);
    }
    std::sort(lots.begin(), lots.end(), [](const LotRecord& a, const LotRecord& b) {
        if (a.acquiredAt != b.acquiredAt)
            return a.acquiredAt < b.acquiredAt;
        return a.sequence < b.sequence;
    });
    return lots;
}

} // namespace llamadesk::tax
