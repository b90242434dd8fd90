#include "demo/DemoData.h"

#include "domain/AlertHistoryEntry.h"
#include "domain/AlertRule.h"
#include "domain/PortfolioAsset.h"
#include "domain/PortfolioSnapshot.h"
#include "domain/ReferenceData.h"
#include "store/AlertRepository.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "store/ReferenceDataRepository.h"
#include "store/SqlRepository.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <iterator>
#include <limits>
#include <optional>
#include <vector>

namespace llamadesk::demo {

namespace {

constexpr qint64 kSecondUs = 1000000;
constexpr qint64 kHourUs = 3600 * kSecondUs;
constexpr qint64 kDayUs = 24 * kHourUs;
constexpr int kBatchRows = 5000;
constexpr int kHistoryDays = 120; // alert history reaches this far back
constexpr int kGasHours = 7 * 24; // hourly gas predictions
constexpr int kForecastDays = 30; // daily forecasts in predictions
constexpr int kHealthDays = 90;   // daily protocol health

struct AssetInfo {
    const char* symbol;
    const char* name;
    qint64 chain;
    bool stable;
};

// The ledger generator's assets, their names and the chain each is held on. Solana has no EVM
// chain id: 101 is its mainnet id in the Solana token list.
const AssetInfo kAssetInfo[] = {
    {"BTC", "Bitcoin", 1, false},      {"ETH", "Ethereum", 1, false},
    {"SOL", "Solana", 101, false},     {"USDC", "USD Coin", 1, true},
    {"USDT", "Tether", 1, true},       {"BNB", "BNB", 56, false},
    {"ADA", "Cardano", 1, false},      {"XRP", "XRP", 1, false},
    {"DOGE", "Dogecoin", 1, false},    {"DOT", "Polkadot", 1, false},
    {"MATIC", "Polygon", 137, false},  {"AVAX", "Avalanche", 43114, false},
    {"LINK", "Chainlink", 1, false},   {"UNI", "Uniswap", 1, false},
    {"ATOM", "Cosmos Hub", 1, false},  {"LTC", "Litecoin", 1, false},
    {"ARB", "Arbitrum", 42161, false}, {"OP", "Optimism", 10, false},
    {"AAVE", "Aave", 1, false},        {"MKR", "Maker", 1, false},
};

const AssetInfo* assetInfo(const QString& symbol) {
    for (const AssetInfo& a : kAssetInfo) {
        if (symbol == QLatin1String(a.symbol))
            return &a;
    }
    return nullptr;
}

// Part of a holding kept in a protocol, for the variety of the holdings table.
struct Placement {
    const char* symbol;
    AssetType type;
    const char* protocol;
    int percent;
};

const Placement kPlacements[] = {
    {"ETH", AssetType::Staked, "Lido", 40},
    {"SOL", AssetType::Staked, "Marinade", 50},
    {"USDC", AssetType::LpPosition, "Uniswap V3", 30},
    {"AAVE", AssetType::Staked, "Aave Safety Module", 25},
};

struct ProtocolInfo {
    const char* id;
    const char* name;
    qint64 chain;
    const char* category;
    qint64 tvlMillions; // starting TVL
};

const ProtocolInfo kProtocols[] = {
    {"lido", "Lido", 1, "Liquid Staking", 30000},
    {"aave-v3", "Aave V3", 1, "Lending", 20000},
    {"eigenlayer", "EigenLayer", 1, "Restaking", 12000},
    {"makerdao", "MakerDAO", 1, "CDP", 8000},
    {"uniswap-v3", "Uniswap V3", 1, "Dexes", 5000},
    {"rocket-pool", "Rocket Pool", 1, "Liquid Staking", 3000},
    {"curve-dex", "Curve DEX", 1, "Dexes", 2000},
    {"pancakeswap-amm", "PancakeSwap AMM", 56, "Dexes", 1800},
    {"marinade", "Marinade", 101, "Liquid Staking", 1200},
    {"gmx", "GMX", 42161, "Derivatives", 500},
};

struct GasChain {
    qint64 chain;
    qint64 startHundredths; // gwei * 100
    qint64 minHundredths;
    qint64 maxHundredths;
    qint64 startBlock;
    qint64 blocksPerHour;
};

const GasChain kGasChains[] = {
    {1, 2000, 400, 9000, 21000000, 300},
    {137, 6000, 3000, 25000, 65000000, 1700},
    {42161, 12, 1, 60, 280000000, 14400},
};

// splitmix64 again (the ledger generator has its own): small, fast, the same everywhere.
class Random {
public:
    explicit Random(quint64 seed)
        : m_state(seed * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL) {}
    quint64 next() {
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi].
    qint64 between(qint64 lo, qint64 hi) { return lo + qint64(next() % quint64(hi - lo + 1)); }
    QString uuid() {
        static const char hex[] = "0123456789abcdef";
        const quint64 hi = (next() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
        const quint64 lo = (next() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
        QString s(36, QLatin1Char('-'));
        int pos = 0;
        for (int i = 0; i < 32; ++i) {
            if (pos == 8 || pos == 13 || pos == 18 || pos == 23)
                ++pos;
            const quint64 word = i < 16 ? hi : lo;
            s[pos++] = QLatin1Char(hex[(word >> (60 - 4 * (i % 16))) & 0xf]);
        }
        return s;
    }

private:
    quint64 m_state;
};

qint64 dayOf(qint64 us) {
    return us >= 0 ? us / kDayUs : -((-us - 1) / kDayUs) - 1;
}

Timestamp at(qint64 us) {
    return Timestamp::fromMicrosecondsSinceEpoch(us);
}

QString dateText(qint64 day) {
    return QDate::fromJulianDay(day + 2440588).toString(Qt::ISODate);
}

Decimal cents(const Decimal& v) {
    return v.round(2, RoundingMode::HalfUp);
}

// part / whole in percent with 6 digits (half-even), when whole is positive and the result fits
// a DECIMAL(10,6) column.
std::optional<Decimal> percentOf(const Decimal& part, const Decimal& whole) {
    if (!whole.isPositive())
        return std::nullopt;
    const Decimal p = (part * Decimal::fromInt(100)).divided(whole, 6, RoundingMode::HalfEven);
    if (!p.isValid() || !p.fitsPrecision(10, 6))
        return std::nullopt;
    return p;
}

// A value as a notification shows it: two decimals.
QString shown(const Decimal& v) {
    return v.round(2, RoundingMode::HalfEven).toString(2);
}

QString compactJson(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
QString compactJson(const QJsonArray& a) {
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

// One row of the holdings table: a whole holding, or the part of it placed in a protocol.
struct Position {
    QString symbol;
    AssetType type = AssetType::Token;
    std::optional<QString> protocol;
    qint64 chain = 1;
    Decimal amount;
    Decimal basis; // cents
    Decimal price;
    Decimal value; // cents
};

// Splits holdings (amount and basis per asset) into positions valued at `prices`. Holdings worth
// less than a dollar (dust) and unpriced ones are left out. The same function values the daily
// snapshots and the holdings table, which is why today's snapshot equals the table's sum.
QList<Position> positionsOf(const QMap<QString, Decimal>& amounts,
                            const QMap<QString, Decimal>& bases,
                            const QMap<QString, Decimal>& prices) {
    QList<Position> out;
    for (auto it = amounts.begin(); it != amounts.end(); ++it) {
        const auto price = prices.find(it.key());
        if (!it.value().isPositive() || price == prices.end())
            continue;
        if (cents(it.value() * *price) < Decimal::fromInt(1))
            continue;
        const AssetInfo* info = assetInfo(it.key());
        Position whole;
        whole.symbol = it.key();
        whole.chain = info ? info->chain : 1;
        whole.amount = it.value();
        whole.basis = cents(bases.value(it.key()));
        whole.price = *price;
        for (const Placement& p : kPlacements) {
            if (it.key() != QLatin1String(p.symbol))
                continue;
            const Decimal share = Decimal::fromScaled(p.percent, 2);
            Position placed = whole;
            placed.type = p.type;
            placed.protocol = QString::fromLatin1(p.protocol);
            placed.amount = (whole.amount * share).round(18, RoundingMode::Down);
            placed.basis = cents(whole.basis * share);
            whole.amount -= placed.amount;
            whole.basis -= placed.basis;
            if (placed.amount.isPositive()) {
                placed.value = cents(placed.amount * placed.price);
                out.append(placed);
            }
        }
        whole.value = cents(whole.amount * whole.price);
        out.append(whole);
    }
    return out;
}

struct AssetState {
    Decimal held;
    Decimal price;
    bool priced = false;
    std::optional<Timestamp> firstAcquired;
};

// What one closed day left behind, for snapshots, alerts and forecasts.
struct DayClose {
    qint64 day = 0;
    Timestamp stamp;
    QMap<QString, Decimal> prices;
    Decimal value;
    std::optional<Decimal> dailyPnlPercentage;
};

class Builder {
    Q_DECLARE_TR_FUNCTIONS(llamadesk::demo::DemoData)

public:
    Builder(const QSqlDatabase& db, const DemoOptions& options, const QString& userId)
        : m_db(db)
        , m_options(options)
        , m_random(options.seed)
        , m_userId(userId)
        , m_transactions(db)
        , m_reference(db)
        , m_portfolio(db)
        , m_alerts(db) {
        m_now = options.now.isValid() ? options.now : Timestamp::now();
        // Whole seconds: the data set's times read cleanly.
        m_nowUs = m_now.microsecondsSinceEpoch() - m_now.microsecondsSinceEpoch() % kSecondUs;
        m_now = at(m_nowUs);
        m_today = dayOf(m_nowUs);
        m_summary.userId = userId;
    }

    Status run();
    const DemoSummary& summary() const { return m_summary; }

private:
    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }
    Status cancelStatus() const { return Status::failure(tr("DemoData: cancelled")); }
    void progress(int percent, const QString& stage) const {
        if (m_options.progress)
            m_options.progress(percent, stage);
    }
    // The moment a day's close is stamped: its last second, or now for today.
    Timestamp closeStamp(qint64 day) const {
        return at(std::min((day + 1) * kDayUs - kSecondUs, m_nowUs));
    }
    bool isFiat(const std::optional<QString>& symbol) const {
        return !symbol || m_fiat.contains(symbol->toUpper());
    }

    Status ledger();
    void observe(const TaxTransaction& t);
    void closeDay(qint64 day);
    Status flushPrices(bool all);
    Status holdings(const tax::TaxResult& result);
    Status snapshots();
    Status protocolHealth();
    Status forecasts();
    Status gas();
    Status alerts();

    QSqlDatabase m_db;
    DemoOptions m_options;
    Random m_random;
    QString m_userId;
    Timestamp m_now;
    qint64 m_nowUs = 0;
    qint64 m_today = 0;
    QSet<QString> m_fiat;

    store::TransactionRepository m_transactions;
    store::ReferenceDataRepository m_reference;
    store::PortfolioRepository m_portfolio;
    store::AlertRepository m_alerts;

    QMap<QString, AssetState> m_assets;
    QMap<QString, Decimal> m_dayFlows; // signed units that entered or left the portfolio today
    Decimal m_cumulativeFlows;         // USD at each day's close, since the first row
    std::optional<Decimal> m_previousValue;
    qint64 m_openDay = 0;
    bool m_dayOpen = false;
    QList<PricePoint> m_prices;
    QList<PortfolioSnapshot> m_snapshots;
    std::vector<DayClose> m_closes;      // the snapshot window
    QMap<QString, QList<Decimal>> m_tvl; // protocol -> daily TVL, oldest first
    QList<std::pair<Timestamp, Decimal>> m_gasMainnet;
    QList<std::pair<Timestamp, Decimal>> m_gasArbitrum;
    QSet<qint64> m_existingSnapshotDays;
    DemoSummary m_summary;
};

Status Builder::run() {
    for (const QString& f : tax::TaxOptions::defaultFiatCurrencies())
        m_fiat.insert(f.toUpper());
    if (m_options.addToExisting) {
        Result<QList<PortfolioSnapshot>> existing =
            m_portfolio.snapshots(m_userId, std::nullopt, std::nullopt);
        if (!existing)
            return Status::failure(existing.error());
        for (const PortfolioSnapshot& s : *existing)
            m_existingSnapshotDays.insert(dayOf(s.timestamp.microsecondsSinceEpoch()));
    }
    if (Status s = ledger(); !s)
        return s;
    for (auto step : {&Builder::snapshots, &Builder::protocolHealth, &Builder::forecasts,
                      &Builder::gas, &Builder::alerts}) {
        if (cancelled())
            return cancelStatus();
        if (Status s = (this->*step)(); !s)
            return s;
    }
    progress(100, tr("Done"));
    return Status::success();
}

Status Builder::ledger() {
    tax::LedgerGeneratorOptions gen;
    gen.transactions = m_options.transactions;
    // The generator's seeds are consecutive points of one sequence (seed n + 1 repeats seed n's
    // numbers one step later, ids included): mix the seed so neighbouring seeds differ.
    gen.seed = Random(m_options.seed ^ 0x6a09e667f3bcc908ULL).next();
    gen.userId = m_userId;
    gen.days = m_options.ledgerDays;
    gen.start = QDate::fromJulianDay(m_today - m_options.ledgerDays + 2440588);

    // First pass: where the generated ledger ends, so that the whole ledger can be moved to end
    // two hours before now (the generator's span is only approximately `days`).
    progress(0, tr("Planning the ledger"));
    qint64 last = 0;
    qint64 rows = 0;
    {
        tax::LedgerGenerator planner(gen);
        TaxTransaction t;
        while (planner.next(&t)) {
            last = std::max(last, t.timestamp.microsecondsSinceEpoch());
            if (++rows % kBatchRows == 0 && cancelled())
                return cancelStatus();
        }
    }
    if (rows == 0)
        return Status::failure(tr("DemoData: the ledger generator produced no rows"));
    const qint64 shift = (m_nowUs - 2 * kHourUs) - last;

    progress(5, tr("Writing transactions"));
    tax::TaxEngine engine(tax::TaxOptions{});
    tax::LedgerGenerator generator(gen);
    QList<TaxTransaction> batch;
    batch.reserve(kBatchRows);
    TaxTransaction t;
    qint64 done = 0;
    for (bool more = generator.next(&t); more || !batch.isEmpty();) {
        if (more) {
            t.timestamp = at(t.timestamp.microsecondsSinceEpoch() + shift);
            // The ledger's row takes the chain of the asset that leaves (or arrives).
            const std::optional<QString>& main = !isFiat(t.assetOutSymbol)  ? t.assetOutSymbol
                                                 : !isFiat(t.assetInSymbol) ? t.assetInSymbol
                                                                            : t.feeSymbol;
            t.chainId = main ? DemoData::chainOf(*main) : 1;
            t.createdAt = m_now;
            t.updatedAt = m_now;
            observe(t);
            if (Status s = engine.add(t); !s)
                return Status::failure(tr("DemoData: tax engine: %1").arg(s.error()));
            batch.append(t);
            more = generator.next(&t);
        }
        if (batch.size() >= kBatchRows || (!more && !batch.isEmpty())) {
            if (cancelled())
                return cancelStatus();
            if (Status s = m_transactions.insertBatch(batch); !s)
                return s;
            done += batch.size();
            batch.clear();
            progress(int(5 + 60 * done / rows), tr("Writing transactions"));
            if (Status s = flushPrices(false); !s)
                return s;
        }
    }
    m_summary.transactions = done;
    // The days from the last transaction up to today.
    closeDay(m_today + 1);
    if (Status s = flushPrices(true); !s)
        return s;

    progress(70, tr("Computing holdings"));
    Result<tax::TaxResult> result = engine.finish();
    if (!result)
        return Status::failure(tr("DemoData: tax engine: %1").arg(result.error()));
    return holdings(*result);
}

// Replays one row: prices, units held, flows in and out of the portfolio.
void Builder::observe(const TaxTransaction& t) {
    const qint64 us = t.timestamp.microsecondsSinceEpoch();
    closeDay(dayOf(us));
    auto priceFrom = [this](
                         const std::optional<QString>& symbol, const std::optional<Decimal>& amount,
                         const std::optional<Decimal>& price, const std::optional<Decimal>& value) {
        if (isFiat(symbol))
            return;
        AssetState& a = m_assets[*symbol];
        const AssetInfo* info = assetInfo(*symbol);
        if (info && info->stable) {
            a.price = Decimal::fromInt(1);
            a.priced = true;
        } else if (price && price->isPositive()) {
            a.price = price->round(8, RoundingMode::HalfEven);
            a.priced = true;
        } else if (!a.priced && value && amount && amount->isPositive() && value->isPositive()) {
            a.price = value->divided(*amount, 8, RoundingMode::HalfEven);
            a.priced = a.price.isPositive();
        }
    };
    priceFrom(t.assetInSymbol, t.assetInAmount, t.assetInPriceUsd, t.assetInValueUsd);
    priceFrom(t.assetOutSymbol, t.assetOutAmount, t.assetOutPriceUsd, t.assetOutValueUsd);
    priceFrom(t.feeSymbol, t.feeAmount, std::nullopt, t.feeValueUsd);

    const bool flow =
        t.transactionType == TransactionType::Buy || t.transactionType == TransactionType::Sell ||
        t.transactionType == TransactionType::TransferIn ||
        t.transactionType == TransactionType::TransferOut ||
        t.transactionType == TransactionType::Gift || t.transactionType == TransactionType::Expense;
    if (!isFiat(t.assetInSymbol) && t.assetInAmount) {
        AssetState& a = m_assets[*t.assetInSymbol];
        a.held += *t.assetInAmount;
        if (!a.firstAcquired)
            a.firstAcquired = t.timestamp;
        if (flow)
            m_dayFlows[*t.assetInSymbol] += *t.assetInAmount;
    }
    if (!isFiat(t.assetOutSymbol) && t.assetOutAmount) {
        m_assets[*t.assetOutSymbol].held -= *t.assetOutAmount;
        if (flow)
            m_dayFlows[*t.assetOutSymbol] -= *t.assetOutAmount;
    }
    if (!isFiat(t.feeSymbol) && t.feeAmount)
        m_assets[*t.feeSymbol].held -= *t.feeAmount;
}

// Closes every open day before `day`: its prices, its value and (in the window) its snapshot.
void Builder::closeDay(qint64 day) {
    if (!m_dayOpen) {
        m_openDay = day;
        m_dayOpen = true;
        return;
    }
    const qint64 firstSnapshotDay = m_today - m_options.snapshotDays + 1;
    for (; m_openDay < day; ++m_openDay) {
        const qint64 d = m_openDay;
        const Timestamp stamp = closeStamp(d);
        QMap<QString, Decimal> prices;
        QMap<QString, Decimal> amounts;
        for (auto it = m_assets.begin(); it != m_assets.end(); ++it) {
            if (!it->priced)
                continue;
            prices.insert(it.key(), it->price);
            amounts.insert(it.key(), it->held);
            PricePoint p;
            p.assetSymbol = it.key();
            const AssetInfo* info = assetInfo(it.key());
            p.chainId = info ? info->chain : 1;
            p.priceUsd = it->price;
            p.source = QStringLiteral("demo");
            p.timestamp = stamp;
            m_prices.append(p);
        }
        Decimal flows;
        for (auto it = m_dayFlows.begin(); it != m_dayFlows.end(); ++it) {
            if (prices.contains(it.key()))
                flows += it.value() * prices.value(it.key());
        }
        flows = cents(flows);
        m_dayFlows.clear();
        m_cumulativeFlows += flows;

        const QList<Position> positions = positionsOf(amounts, {}, prices);
        Decimal value;
        for (const Position& p : positions)
            value += p.value;
        std::optional<Decimal> dailyPnl;
        std::optional<Decimal> dailyPct;
        if (m_previousValue) {
            dailyPnl = value - *m_previousValue - flows;
            dailyPct = percentOf(*dailyPnl, *m_previousValue);
        }
        m_previousValue = value;

        if (d < firstSnapshotDay)
            continue;
        DayClose close;
        close.day = d;
        close.stamp = stamp;
        close.prices = prices;
        close.value = value;
        close.dailyPnlPercentage = dailyPct;
        m_closes.push_back(close);
        if (m_existingSnapshotDays.contains(d))
            continue;

        PortfolioSnapshot s;
        s.id = m_random.uuid();
        s.userId = m_userId;
        s.totalValueUsd = value;
        QSet<qint64> chains;
        QSet<QString> protocols;
        QMap<QString, Decimal> byType;
        QMap<QString, Decimal> byChain;
        QMap<QString, Decimal> byProtocol;
        for (const Position& p : positions) {
            chains.insert(p.chain);
            byType[toString(p.type)] += p.value;
            byChain[QString::number(p.chain)] += p.value;
            if (p.protocol) {
                protocols.insert(*p.protocol);
                byProtocol[*p.protocol] += p.value;
            }
        }
        auto json = [](const QMap<QString, Decimal>& m) {
            QJsonObject o;
            for (auto it = m.begin(); it != m.end(); ++it)
                o.insert(it.key(), it.value().toString(2));
            return compactJson(o);
        };
        s.totalAssets = positions.size();
        s.totalChains = chains.size();
        s.totalProtocols = protocols.size();
        s.dailyPnlUsd = dailyPnl;
        s.dailyPnlPercentage = dailyPct;
        s.totalPnlUsd = value - m_cumulativeFlows;
        s.totalPnlPercentage = percentOf(*s.totalPnlUsd, m_cumulativeFlows);
        s.allocationByAssetType = json(byType);
        s.allocationByChain = json(byChain);
        s.allocationByProtocol = json(byProtocol);
        s.snapshotDate = dateText(d);
        s.timestamp = stamp;
        s.updatedAt = m_now;
        m_snapshots.append(s);
    }
}

Status Builder::flushPrices(bool all) {
    if (m_prices.isEmpty() || (!all && m_prices.size() < kBatchRows))
        return Status::success();
    if (Status s = m_reference.replacePrices(m_prices); !s)
        return s;
    m_summary.prices += m_prices.size();
    m_prices.clear();
    return Status::success();
}

// portfolio_assets: what the tax engine says is left, with its basis, at today's prices.
Status Builder::holdings(const tax::TaxResult& result) {
    QMap<QString, Decimal> amounts;
    QMap<QString, Decimal> bases;
    QMap<QString, QStringList> wallets;
    for (const tax::Holding& h : result.holdings()) {
        if (!h.amount.isPositive() || isFiat(h.asset))
            continue;
        amounts[h.asset] += h.amount;
        bases[h.asset] += h.costBasis;
        if (!h.wallet.isEmpty() && !wallets[h.asset].contains(h.wallet))
            wallets[h.asset].append(h.wallet);
    }
    QMap<QString, Decimal> prices;
    for (auto it = m_assets.begin(); it != m_assets.end(); ++it) {
        if (it->priced)
            prices.insert(it.key(), it->price);
    }
    QList<PortfolioAsset> rows;
    for (const Position& p : positionsOf(amounts, bases, prices)) {
        PortfolioAsset a;
        a.id = m_random.uuid();
        a.userId = m_userId;
        a.assetType = p.type;
        a.assetSymbol = p.symbol;
        const AssetInfo* info = assetInfo(p.symbol);
        if (info)
            a.assetName = QString::fromLatin1(info->name);
        a.chainId = p.chain;
        a.protocolName = p.protocol;
        a.balance = p.amount;
        a.balanceUsd = p.value;
        a.priceUsd = p.price;
        a.costBasisUsd = p.basis;
        a.unrealizedPnlUsd = p.value - p.basis;
        a.unrealizedPnlPercentage = percentOf(*a.unrealizedPnlUsd, p.basis);
        QStringList w = wallets.value(p.symbol);
        w.sort();
        QJsonObject meta;
        meta.insert(QStringLiteral("wallets"), QJsonArray::fromStringList(w));
        meta.insert(QStringLiteral("source"), QStringLiteral("demo"));
        a.metadata = compactJson(meta);
        a.firstAcquiredAt = m_assets.value(p.symbol).firstAcquired;
        a.lastUpdatedAt = m_now;
        a.createdAt = m_now;
        a.updatedAt = m_now;
        rows.append(a);
    }
    if (Status s = m_portfolio.upsertAssets(rows); !s)
        return s;
    m_summary.portfolioAssets = rows.size();
    return Status::success();
}

Status Builder::snapshots() {
    progress(75, tr("Writing portfolio snapshots"));
    for (const PortfolioSnapshot& s : std::as_const(m_snapshots)) {
        if (Status st = m_portfolio.insertSnapshot(s); !st)
            return st;
    }
    m_summary.snapshots = m_snapshots.size();
    if (!m_closes.empty())
        m_summary.portfolioValueUsd = m_closes.back().value;
    return Status::success();
}

Status Builder::protocolHealth() {
    progress(80, tr("Writing protocol health"));
    QList<ProtocolHealth> rows;
    for (const ProtocolInfo& p : kProtocols) {
        qint64 tvl = p.tvlMillions * 100000000; // in cents
        qint64 score = m_random.between(75, 96);
        QList<Decimal>& series = m_tvl[QString::fromLatin1(p.id)];
        for (qint64 d = m_today - kHealthDays + 1; d <= m_today; ++d) {
            const qint64 previous = tvl;
            tvl = tvl / 10000 * (10000 + m_random.between(-450, 430));
            score = std::clamp<qint64>(score + m_random.between(-3, 3), 52, 99);
            ProtocolHealth h;
            h.id = m_random.uuid();
            h.protocolId = QString::fromLatin1(p.id);
            h.protocolName = QString::fromLatin1(p.name);
            h.chainId = p.chain;
            h.tvlUsd = Decimal::fromScaled(tvl, 2);
            const std::optional<Decimal> change =
                percentOf(Decimal::fromScaled(tvl - previous, 2), Decimal::fromScaled(previous, 2));
            h.tvlChange24hPercentage = change;
            h.volume24hUsd = Decimal::fromScaled(tvl / 1000 * m_random.between(5, 80), 2);
            h.healthScore = score;
            h.riskLevel = score >= 85   ? RiskLevel::Low
                          : score >= 70 ? RiskLevel::Medium
                          : score >= 60 ? RiskLevel::High
                                        : RiskLevel::Critical;
            h.status = score >= 80   ? HealthStatus::Healthy
                       : score >= 68 ? HealthStatus::Degraded
                       : score >= 60 ? HealthStatus::Warning
                                     : HealthStatus::Critical;
            if (change && *change <= Decimal::fromInt(-4)) {
                QJsonObject anomaly;
                anomaly.insert(QStringLiteral("type"), QStringLiteral("tvl_drop"));
                anomaly.insert(QStringLiteral("change_24h_percentage"), change->toString());
                h.anomalies = compactJson(QJsonArray{anomaly});
            }
            QJsonObject meta;
            meta.insert(QStringLiteral("category"), QString::fromLatin1(p.category));
            meta.insert(QStringLiteral("source"), QStringLiteral("demo"));
            h.metadata = compactJson(meta);
            h.timestamp = closeStamp(d);
            rows.append(h);
            series.append(*h.tvlUsd);
        }
    }
    if (Status s = m_reference.replaceProtocolHealth(rows); !s)
        return s;
    m_summary.protocolHealth = rows.size();
    return Status::success();
}

Status Builder::forecasts() {
    progress(85, tr("Writing forecasts"));
    QList<Prediction> rows;
    auto add = [&](PredictionType type, const QString& target, std::optional<qint64> chain,
                   qint64 day, const Decimal& predicted, const std::optional<Decimal>& actual,
                   const char* model, const char* version) {
        Prediction p;
        p.id = m_random.uuid();
        p.predictionType = type;
        p.targetId = target;
        p.chainId = chain;
        p.predictedValue = predicted;
        p.confidenceScore = Decimal::fromScaled(m_random.between(55, 95), 2);
        p.predictionHorizonHours = 24;
        p.actualValue = actual;
        if (actual)
            p.predictionError = predicted - *actual;
        p.modelName = QString::fromLatin1(model);
        p.modelVersion = QString::fromLatin1(version);
        p.timestamp = at(day * kDayUs);
        p.predictionFor = at((day + 1) * kDayUs);
        rows.append(p);
    };
    // Token prices of a few held assets: the day's close moved by up to 3%.
    const qint64 firstDay = m_today - kForecastDays + 1;
    const QStringList tokens = {QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("SOL"),
                                QStringLiteral("LINK"), QStringLiteral("UNI")};
    for (const QString& token : tokens) {
        for (size_t i = 0; i < m_closes.size(); ++i) {
            const DayClose& c = m_closes[i];
            if (c.day < firstDay || !c.prices.contains(token))
                continue;
            const Decimal base = c.prices.value(token);
            const Decimal predicted =
                (base * Decimal::fromScaled(10000 + m_random.between(-300, 300), 4))
                    .round(8, RoundingMode::HalfEven);
            std::optional<Decimal> actual;
            if (i + 1 < m_closes.size() && m_closes[i + 1].prices.contains(token))
                actual = m_closes[i + 1].prices.value(token);
            add(PredictionType::TokenPrice, token, DemoData::chainOf(token), c.day, predicted,
                actual, "price-lstm", "3.1");
        }
    }
    // Mainnet gas for tomorrow, a protocol's TVL for tomorrow, and a market trend score (-1..1).
    qint64 trend = m_random.between(-3000, 3000);
    for (qint64 d = firstDay; d <= m_today; ++d) {
        const qint64 predictedGas = m_random.between(800, 4000);
        std::optional<Decimal> actualGas;
        if (d < m_today)
            actualGas = Decimal::fromScaled(predictedGas + m_random.between(-400, 400), 2);
        add(PredictionType::GasPrice, QStringLiteral("1"), 1, d,
            Decimal::fromScaled(predictedGas, 2), actualGas, "gas-gbm", "2.3");
        trend = std::clamp<qint64>(trend + m_random.between(-900, 900), -10000, 10000);
        add(PredictionType::MarketTrend, QStringLiteral("crypto-market"), std::nullopt, d,
            Decimal::fromScaled(trend, 4), std::nullopt, "trend-ensemble", "0.9");
    }
    for (const char* protocol : {"lido", "aave-v3", "uniswap-v3", "eigenlayer"}) {
        const QList<Decimal>& tvl = m_tvl.value(QString::fromLatin1(protocol));
        for (qint64 d = firstDay; d <= m_today; ++d) {
            const qsizetype i = qsizetype(d - (m_today - kHealthDays + 1));
            if (i < 0 || i >= tvl.size())
                continue;
            const Decimal predicted =
                cents(tvl[i] * Decimal::fromScaled(10000 + m_random.between(-200, 200), 4));
            std::optional<Decimal> actual;
            if (i + 1 < tvl.size())
                actual = tvl[i + 1];
            add(PredictionType::ProtocolTvl, QString::fromLatin1(protocol), 1, d, predicted, actual,
                "tvl-prophet", "1.4");
        }
    }
    if (Status s = m_reference.replacePredictions(rows); !s)
        return s;
    m_summary.predictions = rows.size();
    return Status::success();
}

Status Builder::gas() {
    progress(90, tr("Writing gas predictions"));
    QList<GasPrediction> rows;
    const qint64 lastHour = m_nowUs / kHourUs;
    for (const GasChain& c : kGasChains) {
        // The realized price per hour (a bounded random walk), one more than predicted so each
        // past prediction has its actual value.
        std::vector<qint64> walk;
        qint64 m = c.startHundredths;
        for (int h = 0; h <= kGasHours; ++h) {
            // Steps of up to 14% either way, at least a hundredth (unbiased at small prices).
            const qint64 step = std::max<qint64>(1, m * 14 / 100);
            m = std::clamp<qint64>(m + m_random.between(-step, step), c.minHundredths,
                                   c.maxHundredths);
            walk.push_back(m);
        }
        for (int h = 0; h < kGasHours; ++h) {
            const qint64 hour = lastHour - kGasHours + 1 + h;
            // The prediction is the current price nudged toward the next one.
            const qint64 medium =
                std::max<qint64>(1, (walk[size_t(h)] * 3 + walk[size_t(h) + 1]) / 4);
            GasPrediction g;
            g.id = m_random.uuid();
            g.chainId = c.chain;
            g.predictedLow = Decimal::fromScaled(medium * 80 / 100, 2);
            g.predictedMedium = Decimal::fromScaled(medium, 2);
            g.predictedHigh = Decimal::fromScaled(medium * 125 / 100, 2);
            g.predictedInstant = Decimal::fromScaled(medium * 150 / 100 + 1, 2);
            g.timestamp = at(hour * kHourUs);
            g.predictionFor = at((hour + 1) * kHourUs);
            if (g.predictionFor <= m_now) {
                const qint64 actual = walk[size_t(h) + 1];
                g.actualGasPrice = Decimal::fromScaled(actual, 2);
                g.predictionError = Decimal::fromScaled(std::abs(medium - actual), 2);
            }
            g.confidenceScore = Decimal::fromScaled(m_random.between(70, 95), 2);
            g.modelVersion = QStringLiteral("gp-2.3");
            g.pendingTransactions = m_random.between(5000, 180000);
            g.networkUtilization = Decimal::fromScaled(m_random.between(3500, 9900), 2);
            g.blockNumber = c.startBlock + h * c.blocksPerHour;
            rows.append(g);
            if (c.chain == 1)
                m_gasMainnet.append({g.timestamp, g.predictedMedium});
            else if (c.chain == 42161)
                m_gasArbitrum.append({g.timestamp, g.predictedMedium});
        }
    }
    if (Status s = m_reference.replaceGasPredictions(rows); !s)
        return s;
    m_summary.gasPredictions = rows.size();
    return Status::success();
}

Status Builder::alerts() {
    progress(95, tr("Writing alert rules and history"));
    struct Trigger {
        Timestamp when;
        Decimal value;
        Severity severity;
        QString title;
        QString message;
        QString metadata;
    };
    struct Planned {
        AlertRule rule;
        QList<Trigger> triggers;
    };
    QList<Planned> plans;
    const Timestamp created = at((m_today - kHistoryDays - 30) * kDayUs + 9 * kHourUs);
    auto rule = [&](const QString& name, AlertType type, const QString& targetType,
                    const QString& target, std::optional<qint64> chain, ConditionOperator op,
                    const Decimal& threshold, ThresholdType thresholdType) {
        AlertRule r;
        r.id = m_random.uuid();
        r.userId = m_userId;
        r.name = name;
        r.alertType = type;
        r.targetType = targetType;
        r.targetId = target;
        r.chainId = chain;
        r.conditionOperator = op;
        r.thresholdValue = threshold;
        r.thresholdType = thresholdType;
        r.timeframeMinutes = 1440;
        r.cooldownMinutes = 1440;
        r.maxTriggersPerDay = 3;
        r.createdAt = created;
        r.updatedAt = created;
        return r;
    };
    // A trigger some time in the evening of its day (never after now).
    auto eveningOf = [&](qint64 day) {
        return at(std::min(day * kDayUs + 18 * kHourUs + m_random.between(0, 300) * 60 * kSecondUs,
                           m_nowUs));
    };
    const qint64 historyFrom = m_today - kHistoryDays;

    // Daily move of a held asset, in percent.
    auto dailyMoves = [&](const QString& symbol, bool drops, const Decimal& threshold,
                          const Decimal& critical) {
        QList<Trigger> out;
        for (size_t i = 1; i < m_closes.size(); ++i) {
            const DayClose& c = m_closes[i];
            const DayClose& p = m_closes[i - 1];
            if (c.day < historyFrom || !c.prices.contains(symbol) || !p.prices.contains(symbol))
                continue;
            const std::optional<Decimal> move =
                percentOf(c.prices.value(symbol) - p.prices.value(symbol), p.prices.value(symbol));
            if (!move || (drops ? *move > threshold : *move < threshold))
                continue;
            Trigger t;
            t.when = eveningOf(c.day);
            t.value = *move;
            t.severity = (drops ? *move <= critical : *move >= critical) ? Severity::Critical
                                                                         : Severity::Warning;
            t.title = drops ? tr("%1 fell %2% in a day").arg(symbol, shown(move->abs()))
                            : tr("%1 rose %2% in a day").arg(symbol, shown(*move));
            t.message =
                tr("%1 is at $%2 (previous close $%3).")
                    .arg(symbol, shown(c.prices.value(symbol)), shown(p.prices.value(symbol)));
            QJsonObject meta;
            meta.insert(QStringLiteral("price_usd"), c.prices.value(symbol).toString());
            meta.insert(QStringLiteral("previous_price_usd"), p.prices.value(symbol).toString());
            t.metadata = compactJson(meta);
            out.append(t);
        }
        return out;
    };

    {
        Planned p{rule(tr("ETH drops more than 3% in a day"), AlertType::PriceChange,
                       QStringLiteral("token"), QStringLiteral("ETH"), 1,
                       ConditionOperator::LessOrEqual, Decimal::fromInt(-3),
                       ThresholdType::Percentage),
                  {}};
        p.rule.notificationChannels = {QStringLiteral("email")};
        p.triggers =
            dailyMoves(QStringLiteral("ETH"), true, Decimal::fromInt(-3), Decimal::fromInt(-6));
        plans.append(p);
    }
    {
        Planned p{rule(tr("SOL rallies more than 5% in a day"), AlertType::PriceChange,
                       QStringLiteral("token"), QStringLiteral("SOL"), 101,
                       ConditionOperator::GreaterOrEqual, Decimal::fromInt(5),
                       ThresholdType::Percentage),
                  {}};
        p.rule.notificationChannels = {QStringLiteral("email")};
        p.triggers =
            dailyMoves(QStringLiteral("SOL"), false, Decimal::fromInt(5), Decimal::fromInt(10));
        for (Trigger& t : p.triggers)
            t.severity = Severity::Info;
        plans.append(p);
    }
    const Decimal btc = m_closes.empty() ? Decimal::fromInt(30000)
                                         : m_closes.back().prices.value(QStringLiteral("BTC"),
                                                                        Decimal::fromInt(30000));
    plans.append(
        {rule(
             tr("BTC above %1")
                 .arg(
                     (btc * Decimal::fromScaled(110, 2)).round(0, RoundingMode::HalfUp).toString()),
             AlertType::PriceChange, QStringLiteral("token"), QStringLiteral("BTC"), 1,
             ConditionOperator::Greater,
             (btc * Decimal::fromScaled(110, 2)).round(0, RoundingMode::HalfUp),
             ThresholdType::Absolute),
         {}});
    plans.append(
        {rule(
             tr("BTC below %1")
                 .arg((btc * Decimal::fromScaled(80, 2)).round(0, RoundingMode::HalfUp).toString()),
             AlertType::PriceChange, QStringLiteral("token"), QStringLiteral("BTC"), 1,
             ConditionOperator::Less,
             (btc * Decimal::fromScaled(80, 2)).round(0, RoundingMode::HalfUp),
             ThresholdType::Absolute),
         {}});
    {
        Planned p{rule(tr("Portfolio loses more than 2.5% in a day"), AlertType::PortfolioValue,
                       QStringLiteral("portfolio"), QStringLiteral("total"), std::nullopt,
                       ConditionOperator::LessOrEqual, Decimal::fromScaled(-25, 1),
                       ThresholdType::Percentage),
                  {}};
        for (const DayClose& c : m_closes) {
            if (c.day < historyFrom || !c.dailyPnlPercentage ||
                *c.dailyPnlPercentage > Decimal::fromScaled(-25, 1))
                continue;
            Trigger t;
            t.when = eveningOf(c.day);
            t.value = *c.dailyPnlPercentage;
            t.severity = *c.dailyPnlPercentage <= Decimal::fromInt(-5) ? Severity::Critical
                                                                       : Severity::Warning;
            t.title = tr("Portfolio down %1% today").arg(shown(c.dailyPnlPercentage->abs()));
            t.message = tr("Your portfolio is worth $%1.").arg(shown(c.value));
            QJsonObject meta;
            meta.insert(QStringLiteral("total_value_usd"), c.value.toString(2));
            t.metadata = compactJson(meta);
            p.triggers.append(t);
        }
        plans.append(p);
    }
    auto gasTriggers = [&](const QList<std::pair<Timestamp, Decimal>>& series, bool below,
                           const Decimal& threshold, const QString& chainName,
                           const QString& chainId) {
        QList<Trigger> out;
        qint64 nextAllowed = std::numeric_limits<qint64>::min();
        for (const auto& [when, medium] : series) {
            const qint64 us = when.microsecondsSinceEpoch();
            if (us < nextAllowed || (below ? medium >= threshold : medium <= threshold))
                continue;
            nextAllowed = us + 6 * kHourUs; // the rule's cooldown
            Trigger t;
            t.when = when;
            t.value = medium;
            t.severity = below ? Severity::Info : Severity::Warning;
            t.title = below ? tr("%1 gas is cheap: %2 gwei").arg(chainName, medium.toString(2))
                            : tr("%1 gas spike: %2 gwei").arg(chainName, medium.toString(2));
            t.message = tr("Predicted %1 gas price for the next hour: %2 gwei.")
                            .arg(chainName, medium.toString(2));
            t.metadata = compactJson(QJsonObject{{QStringLiteral("chain_id"), chainId}});
            out.append(t);
        }
        return out;
    };
    {
        Planned p{rule(tr("Ethereum gas under 15 gwei"), AlertType::GasPrice,
                       QStringLiteral("chain"), QStringLiteral("1"), 1, ConditionOperator::Less,
                       Decimal::fromInt(15), ThresholdType::Absolute),
                  {}};
        p.rule.cooldownMinutes = 360;
        p.rule.timeframeMinutes = 60;
        p.rule.notificationChannels = {QStringLiteral("email")};
        p.triggers = gasTriggers(m_gasMainnet, true, Decimal::fromInt(15), tr("Ethereum"),
                                 QStringLiteral("1"));
        plans.append(p);
    }
    {
        Planned p{rule(tr("Arbitrum gas spike"), AlertType::GasPrice, QStringLiteral("chain"),
                       QStringLiteral("42161"), 42161, ConditionOperator::Greater,
                       Decimal::fromScaled(25, 2), ThresholdType::Absolute),
                  {}};
        p.rule.cooldownMinutes = 360;
        p.rule.timeframeMinutes = 60;
        // Paused by the user for a few days after too many alerts.
        p.rule.isPaused = true;
        p.rule.pausedUntil = at((m_today + 3) * kDayUs);
        p.triggers = gasTriggers(m_gasArbitrum, false, Decimal::fromScaled(25, 2), tr("Arbitrum"),
                                 QStringLiteral("42161"));
        plans.append(p);
    }
    {
        Planned p{rule(tr("Lido TVL drops 10% in a day"), AlertType::TvlChange,
                       QStringLiteral("protocol"), QStringLiteral("lido"), 1,
                       ConditionOperator::LessOrEqual, Decimal::fromInt(-10),
                       ThresholdType::Percentage),
                  {}};
        p.rule.isActive = false; // switched off
        plans.append(p);
    }

    qint64 historyRows = 0;
    for (Planned& p : plans) {
        // The rule's trigger state follows its history.
        for (const Trigger& t : std::as_const(p.triggers)) {
            ++p.rule.triggerCountTotal;
            if (dayOf(t.when.microsecondsSinceEpoch()) == m_today)
                ++p.rule.triggerCountToday;
            if (!p.rule.lastTriggeredAt || *p.rule.lastTriggeredAt < t.when)
                p.rule.lastTriggeredAt = t.when;
        }
        if (Status s = m_alerts.insertRule(p.rule); !s)
            return s;
        for (const Trigger& t : std::as_const(p.triggers)) {
            AlertHistoryEntry e;
            e.id = m_random.uuid();
            e.alertRuleId = p.rule.id;
            e.userId = m_userId;
            e.triggeredValue = t.value;
            e.thresholdValue = p.rule.thresholdValue;
            e.conditionMet = QStringLiteral("%1 %2 %3")
                                 .arg(t.value.toString(), toString(p.rule.conditionOperator),
                                      p.rule.thresholdValue.toString());
            e.title = t.title;
            e.message = t.message;
            e.severity = t.severity;
            e.notificationChannels = p.rule.notificationChannels;
            QJsonObject delivery;
            for (const QString& channel : std::as_const(p.rule.notificationChannels))
                delivery.insert(channel, QStringLiteral("sent"));
            e.deliveryStatus = compactJson(delivery);
            e.metadata = t.metadata;
            e.timestamp = t.when;
            e.updatedAt = t.when;
            if (Status s = m_alerts.insertHistory(e); !s)
                return s;
            ++historyRows;
        }
    }
    m_summary.alertRules = plans.size();
    m_summary.alertHistory = historyRows;
    return Status::success();
}

} // namespace

qint64 DemoData::chainOf(const QString& assetSymbol) {
    const AssetInfo* info = assetInfo(assetSymbol);
    return info ? info->chain : 1;
}

QList<qint64> DemoData::chains() {
    QList<qint64> out;
    for (const AssetInfo& a : kAssetInfo) {
        if (!out.contains(a.chain))
            out.append(a.chain);
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<DemoSummary> DemoData::populate(const QSqlDatabase& db, const DemoOptions& options) {
    using R = Result<DemoSummary>;
    if (options.transactions < 1 || options.transactions > 10000000)
        return R::failure(tr("DemoData: the number of transactions must be between 1 and "
                             "10,000,000 (it is %1)")
                              .arg(options.transactions));
    if (options.ledgerDays < 30 || options.ledgerDays > 20 * 365)
        return R::failure(tr("DemoData: the ledger must span 30 days to 20 years (it is %1 days)")
                              .arg(options.ledgerDays));
    if (options.snapshotDays < 1 || options.snapshotDays > options.ledgerDays)
        return R::failure(tr("DemoData: snapshot days must be between 1 and the ledger's span "
                             "(it is %1)")
                              .arg(options.snapshotDays));
    // The owner's profile comes first, in its own transaction (it may not nest).
    const Result<QString> owner = store::LocalUser::ensure(db);
    if (!owner)
        return R::failure(tr("DemoData: %1").arg(owner.error()));

    store::SqlRepository::Transaction tx(db);
    if (Status s = tx.begin(tr("DemoData.populate")); !s)
        return R::failure(s.error());
    {
        store::TransactionRepository transactions(db);
        store::TransactionFilter filter;
        filter.userId = *owner;
        Result<qint64> existing = transactions.count(filter);
        if (!existing)
            return R::failure(existing.error());
        if (*existing > 0 && !options.addToExisting)
            return R::failure(tr("DemoData: the vault already has %n transaction(s); sample data "
                                 "goes into an empty vault unless adding is asked for",
                                 nullptr, int(std::min<qint64>(*existing, 1000000000))));
    }
    Builder builder(db, options, *owner);
    if (Status s = builder.run(); !s)
        return R::failure(s.error());
    if (options.cancel && options.cancel->load())
        return R::failure(tr("DemoData: cancelled"));
    if (Status s = tx.commit(); !s)
        return R::failure(s.error());
    return builder.summary();
}

} // namespace llamadesk::demo
