#include "PortfolioSummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace llamadesk::portfolio {

namespace {
constexpr qint64 kDayUs = 24LL * 3600 * 1000000;
} // namespace

Timestamp PortfolioSummary::rangeStart(ValueRange range, const Timestamp& now) {
    int days = 0;
    switch (range) {
    case ValueRange::Week:
        days = 7;
        break;
    case ValueRange::Month:
        days = 30;
        break;
    case ValueRange::Quarter:
        days = 91;
        break;
    case ValueRange::Year:
        days = 365;
        break;
    case ValueRange::All:
        return Timestamp();
    }
    return Timestamp::fromMicrosecondsSinceEpoch(now.microsecondsSinceEpoch() - days * kDayUs);
}

QList<ValuePoint> PortfolioSummary::inRange(const QList<ValuePoint>& history, ValueRange range,
                                            const Timestamp& now) {
    const Timestamp start = rangeStart(range, now);
    if (!start.isValid())
        return history;
    // The history is oldest first: the first point inside, then one step back for the baseline.
    auto first = std::lower_bound(history.begin(), history.end(), start,
                                  [](const ValuePoint& p, const Timestamp& t) { return p.at < t; });
    if (first != history.begin() && (first == history.end() || first->at != start))
        --first;
    return QList<ValuePoint>(first, history.end());
}

PortfolioSummary PortfolioSummary::compute(const QList<PortfolioAsset>& assets,
                                           const QList<ValuePoint>& history, ValueRange range,
                                           const Timestamp& now) {
    PortfolioSummary s;
    QSet<qint64> chains;
    QSet<QString> protocols;
    for (const PortfolioAsset& a : assets) {
        s.totalValue += a.balanceUsd;
        if (a.costBasisUsd) {
            s.costBasis += *a.costBasisUsd;
            s.unrealizedPnl += a.balanceUsd - *a.costBasisUsd;
        }
        chains.insert(a.chainId);
        if (a.protocolName && !a.protocolName->isEmpty())
            protocols.insert(*a.protocolName);
    }
    s.assetCount = int(assets.size());
    s.chainCount = int(chains.size());
    s.protocolCount = int(protocols.size());
    if (s.costBasis.isPositive())
        s.unrealizedRatio =
            s.unrealizedPnl.divided(s.costBasis, Decimal::kScale, RoundingMode::HalfEven);
    const QList<ValuePoint> points = inRange(history, range, now);
    if (!points.isEmpty()) {
        const ValuePoint& base = points.first();
        s.change = s.totalValue - base.value;
        s.changeFrom = base.at;
        if (base.value.isPositive())
            s.changeRatio = s.change->divided(base.value, Decimal::kScale, RoundingMode::HalfEven);
    }
    return s;
}

QList<ValuePoint> PortfolioSummary::downsample(const QList<ValuePoint>& points, int maxPoints) {
    if (maxPoints < 4 || points.size() <= maxPoints)
        return points;
    const qsizetype buckets = maxPoints / 2;
    QList<ValuePoint> out;
    out.reserve(maxPoints + 2);
    out.append(points.first());
    const qsizetype inner = points.size() - 2;
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype from = 1 + inner * b / buckets;
        const qsizetype to = 1 + inner * (b + 1) / buckets;
        if (from >= to)
            continue;
        qsizetype lo = from;
        qsizetype hi = from;
        for (qsizetype i = from; i < to; ++i) {
            if (points.at(i).value < points.at(lo).value)
                lo = i;
            if (points.at(i).value > points.at(hi).value)
                hi = i;
        }
        out.append(points.at(std::min(lo, hi)));
        if (lo != hi)
            out.append(points.at(std::max(lo, hi)));
    }
    out.append(points.last());
    return out;
}

QList<AllocationSlice> PortfolioSummary::allocation(const QList<PortfolioAsset>& assets,
                                                    AllocationBy by) {
    QMap<QString, Decimal> groups;
    Decimal total;
    for (const PortfolioAsset& a : assets) {
        QString key;
        switch (by) {
        case AllocationBy::AssetType:
            key = toString(a.assetType);
            break;
        case AllocationBy::Chain:
            key = QString::number(a.chainId);
            break;
        case AllocationBy::Protocol:
            key = a.protocolName.value_or(QString());
            break;
        }
        groups[key] += a.balanceUsd;
        total += a.balanceUsd;
    }
    QList<AllocationSlice> out;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        AllocationSlice slice;
        slice.key = it.key();
        slice.value = it.value();
        slice.ratio = total.isPositive()
                          ? it.value().divided(total, Decimal::kScale, RoundingMode::HalfEven)
                          : Decimal();
        out.append(slice);
    }
    std::stable_sort(
        out.begin(), out.end(),
        [](const AllocationSlice& a, const AllocationSlice& b) { return a.value > b.value; });
    return out;
}

QStringList PortfolioSummary::walletsOf(const PortfolioAsset& asset) {
    QStringList out;
    if (!asset.metadata)
        return out;
    const QJsonObject meta = QJsonDocument::fromJson(asset.metadata->toUtf8()).object();
    const QJsonValue wallets = meta.value(QStringLiteral("wallets"));
    if (wallets.isArray()) {
        for (const QJsonValue& w : wallets.toArray()) {
            if (w.isString())
                out.append(w.toString());
        }
    } else if (const QJsonValue one = meta.value(QStringLiteral("wallet")); one.isString()) {
        out.append(one.toString());
    }
    return out;
}

std::optional<Decimal> PortfolioSummary::pnlRatio(const PortfolioAsset& asset) {
    if (!asset.costBasisUsd || !asset.costBasisUsd->isPositive())
        return std::nullopt;
    const Decimal r = (asset.balanceUsd - *asset.costBasisUsd)
                          .divided(*asset.costBasisUsd, Decimal::kScale, RoundingMode::HalfEven);
    if (!r.isValid())
        return std::nullopt;
    return r;
}

Result<QList<ValuePoint>> PortfolioSummary::loadHistory(const QSqlDatabase& db,
                                                        const QString& userId) {
    using R = Result<QList<ValuePoint>>;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral(
            "SELECT timestamp, total_value_usd FROM portfolio_snapshots WHERE user_id = ? AND "
            "deleted_at IS NULL ORDER BY timestamp")))
        return R::failure(tr("PortfolioSummary.loadHistory: cannot prepare the query: %1")
                              .arg(q.lastError().text()));
    q.addBindValue(userId);
    if (!q.exec())
        return R::failure(tr("PortfolioSummary.loadHistory: cannot read the snapshots: %1")
                              .arg(q.lastError().text()));
    QList<ValuePoint> out;
    while (q.next()) {
        const Result<Timestamp> at = Timestamp::parse(q.value(0).toString());
        const Result<Decimal> value = Decimal::parse(q.value(1).toString());
        if (!at || !value)
            return R::failure(tr("PortfolioSummary.loadHistory: a snapshot has an unreadable "
                                 "time or value: %1")
                                  .arg(at ? value.error() : at.error()));
        out.append(ValuePoint{at.value(), value.value()});
    }
    return out;
}

} // namespace llamadesk::portfolio
