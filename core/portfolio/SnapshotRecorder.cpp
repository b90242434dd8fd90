#include "SnapshotRecorder.h"

#include "domain/Uuid.h"
#include "portfolio/PortfolioSummary.h"
#include "portfolio/RiskMetrics.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "store/SqlRepository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

namespace llamadesk::portfolio {

namespace {

constexpr qint64 kDayUs = 24LL * 3600 * 1000000;

// DECIMAL(10,6) columns: rounded, and left empty when the value does not fit.
std::optional<Decimal> column6(const std::optional<Decimal>& v) {
    if (!v)
        return std::nullopt;
    const Decimal r = v->round(6, RoundingMode::HalfEven);
    if (!r.isValid() || !r.fitsPrecision(10, 6))
        return std::nullopt;
    return r;
}

// A percentage (x 100) as the seed stores *_percentage columns.
std::optional<Decimal> percentOf(const Decimal& part, const Decimal& whole) {
    if (!whole.isPositive())
        return std::nullopt;
    return column6((part * Decimal::fromInt(100)).divided(whole, 6, RoundingMode::HalfEven));
}

QString allocationJson(const QList<AllocationSlice>& slices) {
    QJsonObject o;
    for (const AllocationSlice& s : slices)
        o.insert(s.key, s.value.round(2, RoundingMode::HalfEven).toString(2));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

Result<PortfolioSnapshot> SnapshotRecorder::record(const QSqlDatabase& db, const Timestamp& now) {
    Result<std::optional<PortfolioSnapshot>> r = run(db, now, false);
    if (!r)
        return Result<PortfolioSnapshot>::failure(r.error());
    return **r;
}

Result<std::optional<PortfolioSnapshot>> SnapshotRecorder::recordDaily(const QSqlDatabase& db,
                                                                       const Timestamp& now) {
    return run(db, now, true);
}

Result<std::optional<PortfolioSnapshot>>
SnapshotRecorder::run(const QSqlDatabase& db, const Timestamp& now, bool onlyIfMissing) {
    using R = Result<std::optional<PortfolioSnapshot>>;
    if (!now.isValid())
        return R::failure(tr("SnapshotRecorder: the time of the snapshot is not valid."));
    const Result<QString> owner = store::LocalUser::ensure(db);
    if (!owner)
        return R::failure(owner.error());
    const QString day = now.dateIn(QTimeZone::utc()).toString(Qt::ISODate);

    store::SqlRepository::Transaction transaction(db);
    if (Status s = transaction.begin(QStringLiteral("SnapshotRecorder")); !s)
        return R::failure(s.error());

    if (onlyIfMissing) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT 1 FROM portfolio_snapshots WHERE user_id = ? AND "
                                 "snapshot_date = ? AND deleted_at IS NULL LIMIT 1"));
        q.addBindValue(owner.value());
        q.addBindValue(day);
        if (!q.exec())
            return R::failure(tr("SnapshotRecorder: cannot look for today's snapshot: %1")
                                  .arg(q.lastError().text()));
        if (q.next())
            return std::optional<PortfolioSnapshot>();
    }

    store::PortfolioRepository repository(db);
    const Result<QList<PortfolioAsset>> assets = repository.assets(owner.value());
    if (!assets)
        return R::failure(assets.error());
    const Result<QList<ValuePoint>> history = PortfolioSummary::loadHistory(db, owner.value());
    if (!history)
        return R::failure(history.error());
    const PortfolioSummary summary =
        PortfolioSummary::compute(assets.value(), history.value(), ValueRange::All, now);

    PortfolioSnapshot s;
    s.id = newUuid();
    s.userId = owner.value();
    s.totalValueUsd = summary.totalValue.round(2, RoundingMode::HalfEven);
    s.totalAssets = summary.assetCount;
    s.totalChains = summary.chainCount;
    s.totalProtocols = summary.protocolCount;
    if (!history->isEmpty()) {
        const Decimal previous = history->last().value;
        s.dailyPnlUsd = s.totalValueUsd - previous;
        s.dailyPnlPercentage = percentOf(*s.dailyPnlUsd, previous);
    }
    if (summary.costBasis.isPositive()) {
        s.totalPnlUsd = summary.unrealizedPnl.round(2, RoundingMode::HalfEven);
        s.totalPnlPercentage = percentOf(summary.unrealizedPnl, summary.costBasis);
    }

    // The last year of daily values, this one included.
    QList<Decimal> values;
    const qint64 yearAgo = now.microsecondsSinceEpoch() - 365 * kDayUs;
    for (const ValuePoint& p : history.value()) {
        if (p.at.microsecondsSinceEpoch() >= yearAgo && p.at < now)
            values.append(p.value);
    }
    values.append(s.totalValueUsd);
    const RiskMetrics risk = RiskMetrics::compute(values);
    s.volatility = column6(risk.volatility);
    s.sharpeRatio = column6(risk.sharpeRatio);
    s.maxDrawdown = column6(risk.maxDrawdown);

    s.allocationByAssetType =
        allocationJson(PortfolioSummary::allocation(assets.value(), AllocationBy::AssetType));
    s.allocationByChain =
        allocationJson(PortfolioSummary::allocation(assets.value(), AllocationBy::Chain));
    QList<AllocationSlice> protocols =
        PortfolioSummary::allocation(assets.value(), AllocationBy::Protocol);
    protocols.removeIf([](const AllocationSlice& slice) { return slice.key.isEmpty(); });
    s.allocationByProtocol = allocationJson(protocols);
    s.snapshotDate = day;
    s.timestamp = now;
    s.updatedAt = now;

    if (const QStringList problems = s.validate(); !problems.isEmpty())
        return R::failure(tr("SnapshotRecorder: the snapshot is not valid: %1")
                              .arg(problems.join(QStringLiteral("; "))));
    if (Status st = repository.insertSnapshot(s); !st)
        return R::failure(st.error());
    if (Status st = transaction.commit(); !st)
        return R::failure(st.error());
    return std::optional<PortfolioSnapshot>(s);
}

} // namespace llamadesk::portfolio
