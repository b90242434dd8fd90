#pragma once

#include "Result.h"
#include "domain/PortfolioAsset.h"
#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace llamadesk::portfolio {

// The ranges of the value chart and of the "change" figure.
enum class ValueRange { Week, Month, Quarter, Year, All };

// One point of the value history (a portfolio_snapshots row).
struct ValuePoint {
    Timestamp at;
    Decimal value; // USD
};

enum class AllocationBy { AssetType, Chain, Protocol };

// One slice of an allocation: a group's value and its exact share of the total.
struct AllocationSlice {
    QString key; // asset type text ("token"), chain id ("1") or protocol name ("" = none)
    Decimal value;
    Decimal ratio; // value / total, 18 digits
};

// The headline figures of the portfolio, all exact, from the current holdings
// (portfolio_assets) and the value history (portfolio_snapshots).
struct PortfolioSummary {
    Q_DECLARE_TR_FUNCTIONS(PortfolioSummary)

public:
    Decimal totalValue;    // sum of balance_usd
    Decimal costBasis;     // sum of the known cost bases
    Decimal unrealizedPnl; // sum of (balance_usd - cost_basis_usd) over holdings with a basis
    std::optional<Decimal> unrealizedRatio; // unrealizedPnl / costBasis
    // totalValue minus the snapshot value at or just before the range start (the earliest
    // snapshot when the history starts later); nullopt without any snapshot.
    std::optional<Decimal> change;
    std::optional<Decimal> changeRatio;  // change / that snapshot value
    std::optional<Timestamp> changeFrom; // the snapshot the change is measured from
    int assetCount = 0;
    int chainCount = 0;
    int protocolCount = 0;

    static PortfolioSummary compute(const QList<PortfolioAsset>& assets,
                                    const QList<ValuePoint>& history, ValueRange range,
                                    const Timestamp& now);

    // The first instant of a range ending at `now`; invalid for All.
    static Timestamp rangeStart(ValueRange range, const Timestamp& now);
    // The history points of a range: from the point at or just before its start to the end.
    static QList<ValuePoint> inRange(const QList<ValuePoint>& history, ValueRange range,
                                     const Timestamp& now);
    // At most about `maxPoints` points, keeping the first, the last and each bucket's lowest and
    // highest value, so peaks and troughs survive.
    static QList<ValuePoint> downsample(const QList<ValuePoint>& points, int maxPoints);

    // Largest slice first (ties by key).
    static QList<AllocationSlice> allocation(const QList<PortfolioAsset>& assets, AllocationBy by);
    // The wallets a holding is in, from its metadata ({"wallets": [...]}).
    static QStringList walletsOf(const PortfolioAsset& asset);
    // Unrealized PnL of one holding relative to its cost basis; nullopt without a positive basis.
    static std::optional<Decimal> pnlRatio(const PortfolioAsset& asset);

    // The value history of the vault's owner, oldest first (one light query, no JSON columns).
    static Result<QList<ValuePoint>> loadHistory(const QSqlDatabase& db, const QString& userId);
};

} // namespace llamadesk::portfolio
