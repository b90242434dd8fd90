#include "tax/LedgerGenerator.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>

namespace llamadesk::tax {

namespace {

struct AssetSeed {
    const char* symbol;
    qint64 priceCents; // starting price in 10^-8 units
    bool stable;
};

// Starting prices (in 10^-8 of the currency) of the generated assets.
const AssetSeed kAssets[] = {
    {"BTC", 3000000000000LL, false}, {"ETH", 200000000000LL, false}, {"SOL", 4000000000LL, false},
    {"USDC", 100000000LL, true},     {"USDT", 100000000LL, true},    {"BNB", 30000000000LL, false},
    {"ADA", 40000000LL, false},      {"XRP", 50000000LL, false},     {"DOGE", 7000000LL, false},
    {"DOT", 600000000LL, false},     {"MATIC", 80000000LL, false},   {"AVAX", 1500000000LL, false},
    {"LINK", 700000000LL, false},    {"UNI", 500000000LL, false},    {"ATOM", 900000000LL, false},
    {"LTC", 8000000000LL, false},    {"ARB", 120000000LL, false},    {"OP", 150000000LL, false},
    {"AAVE", 9000000000LL, false},   {"MKR", 120000000000LL, false},
};

const char* const kWallets[] = {"coinbase", "kraken", "ledger",  "metamask",
                                "binance",  "trezor", "phantom", "gemini"};

const char kHex[] = "0123456789abcdef";

constexpr int kEth = 1; // index of ETH: the asset most fees are paid in

} // namespace

LedgerGenerator::LedgerGenerator(const LedgerGeneratorOptions& options)
    : m_options(options)
    , m_state(options.seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) {
    const int assetCount = std::clamp(options.assets, 2, int(std::size(kAssets)));
    for (int i = 0; i < assetCount; ++i) {
        m_assets.push_back({QLatin1String(kAssets[i].symbol),
                            Decimal::fromScaled(kAssets[i].priceCents, 8), kAssets[i].stable});
    }
    const int walletCount = std::clamp(options.wallets, 1, int(std::size(kWallets)));
    for (int i = 0; i < walletCount; ++i)
        m_wallets << QLatin1String(kWallets[i]);
    m_held.assign(size_t(assetCount) * size_t(walletCount), Decimal());
    m_time = options.start.startOfDay(QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
    const qint64 span = qint64(std::max(1, options.days)) * 86400 * 1000000;
    m_end = m_time + span;
    m_step = std::max<qint64>(1, span / std::max<qint64>(1, options.transactions));
    m_priceDay = qint32(options.start.toJulianDay());
}

quint64 LedgerGenerator::random() {
    // splitmix64: small, fast and the same everywhere.
    quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

Decimal LedgerGenerator::fraction(int minPercent, int maxPercent) {
    const quint64 span = quint64(maxPercent - minPercent) * 100 + 1;
    return Decimal::fromScaled(qint64(minPercent) * 100 + qint64(below(span)), 4);
}

QString LedgerGenerator::uuid() {
    const quint64 hi = (random() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
    const quint64 lo = (random() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    QString s(36, QLatin1Char('-'));
    int pos = 0;
    for (int i = 0; i < 32; ++i) {
        if (pos == 8 || pos == 13 || pos == 18 || pos == 23)
            ++pos;
        const quint64 word = i < 16 ? hi : lo;
        const int shift = 60 - 4 * (i % 16);
        s[pos++] = QLatin1Char(kHex[(word >> shift) & 0xf]);
    }
    return s;
}

QString LedgerGenerator::hash() {
    QString s(66, QLatin1Char('0'));
    s[1] = QLatin1Char('x');
    for (int w = 0; w < 4; ++w) {
        const quint64 word = random();
        for (int i = 0; i < 16; ++i)
            s[2 + w * 16 + i] = QLatin1Char(kHex[(word >> (60 - 4 * i)) & 0xf]);
    }
    return s;
}

void LedgerGenerator::advancePrices(qint32 day) {
    // A daily random walk of up to 4% either way; stablecoins stay put.
    const Decimal floor = Decimal::fromScaled(100, 8);
    while (m_priceDay < day) {
        ++m_priceDay;
        for (Asset& a : m_assets) {
            if (a.stable)
                continue;
            const Decimal factor = Decimal::fromInt(1) + fraction(0, 8) - Decimal::fromScaled(4, 2);
            a.price = Decimal::max(floor, (a.price * factor).round(8, RoundingMode::HalfEven));
        }
    }
}

Decimal& LedgerGenerator::held(int asset, int wallet) {
    return m_held[size_t(asset) * size_t(m_wallets.size()) + size_t(wallet)];
}

bool LedgerGenerator::pickHeld(int* asset, int* wallet) {
    const int assets = int(m_assets.size());
    const int wallets = int(m_wallets.size());
    for (int attempt = 0; attempt < 12; ++attempt) {
        const int a = int(below(quint64(assets)));
        const int w = int(below(quint64(wallets)));
        if (held(a, w).isPositive()) {
            *asset = a;
            *wallet = w;
            return true;
        }
    }
    const int start = int(below(quint64(assets * wallets)));
    for (int k = 0; k < assets * wallets; ++k) {
        const int i = (start + k) % (assets * wallets);
        if (m_held[size_t(i)].isPositive()) {
            *asset = i / wallets;
            *wallet = i % wallets;
            return true;
        }
    }
    return false;
}

TaxTransaction LedgerGenerator::base(qint64 time, TransactionType type, int wallet) {
    TaxTransaction t;
    t.id = uuid();
    t.userId = m_options.userId;
    t.wallet = m_wallets[wallet];
    t.transactionHash = hash();
    m_block += 1 + qint64(below(40));
    t.blockNumber = m_block;
    t.chainId = 1;
    t.timestamp = Timestamp::fromMicrosecondsSinceEpoch(time);
    t.transactionType = type;
    return t;
}

Decimal LedgerGenerator::amountFor(int asset, const Decimal& value) const {
    return value.divided(m_assets[size_t(asset)].price, Decimal::kScale, RoundingMode::HalfEven);
}

Decimal LedgerGenerator::valueOf(int asset, const Decimal& amount) const {
    return (amount * m_assets[size_t(asset)].price).round(2, RoundingMode::HalfUp);
}

void LedgerGenerator::maybeFee(TaxTransaction* t, int wallet, bool cryptoAllowed) {
    if (!chance(40))
        return;
    const bool eth = cryptoAllowed && int(m_assets.size()) > kEth && chance(50) &&
                     held(kEth, wallet) > Decimal::fromScaled(1, 2);
    if (eth) {
        const Decimal amount = Decimal::fromScaled(qint64(10 + below(490)), 5); // 0.0001..0.005
        held(kEth, wallet) -= amount;
        t->feeSymbol = m_assets[kEth].symbol;
        t->feeAmount = amount;
        t->feeValueUsd = valueOf(kEth, amount);
    } else {
        const Decimal amount = Decimal::fromScaled(qint64(10 + below(2000)), 2); // 0.10..20.09
        t->feeSymbol = m_options.currency;
        t->feeAmount = amount;
        t->feeValueUsd = amount;
    }
}

void LedgerGenerator::queue(const TaxTransaction& t) {
    m_pending.emplace(std::make_pair(t.timestamp.microsecondsSinceEpoch(), t.id), t);
    ++m_generated;
}

bool LedgerGenerator::generateOne(qint64 time) {
    // The UTC day by arithmetic: a QDateTime per row would cost more than the row.
    const qint64 day = 86400LL * 1000000;
    advancePrices(qint32((time >= 0 ? time / day : -((-time - 1) / day) - 1) + 2440588));
    const int assets = int(m_assets.size());
    const int wallets = int(m_wallets.size());
    const QString& cash = m_options.currency;
    int asset = 0;
    int wallet = 0;
    const quint64 roll = below(100);

    auto sideIn = [this](TaxTransaction* t, int a, const Decimal& amount, bool withValue) {
        t->assetInSymbol = m_assets[size_t(a)].symbol;
        t->assetInAmount = amount;
        if (withValue) {
            t->assetInPriceUsd = m_assets[size_t(a)].price;
            t->assetInValueUsd = valueOf(a, amount);
        }
    };
    auto sideOut = [this](TaxTransaction* t, int a, const Decimal& amount, bool withValue) {
        t->assetOutSymbol = m_assets[size_t(a)].symbol;
        t->assetOutAmount = amount;
        if (withValue) {
            t->assetOutPriceUsd = m_assets[size_t(a)].price;
            t->assetOutValueUsd = valueOf(a, amount);
        }
    };
    // A part of what a wallet holds, rounded down to 8 digits; all of it when that rounds to 0.
    auto partOf = [this](const Decimal& have, int minPercent, int maxPercent) {
        const Decimal f = fraction(minPercent, maxPercent);
        Decimal part = (have * f).round(8, RoundingMode::Down);
        if (!part.isPositive() || part > have || f >= Decimal::fromInt(1))
            part = have;
        return part;
    };

    if (roll >= 24 && roll < 40 && pickHeld(&asset, &wallet)) { // sell
        TaxTransaction t = base(time, TransactionType::Sell, wallet);
        const Decimal amount = partOf(held(asset, wallet), 10, 100);
        held(asset, wallet) -= amount;
        sideOut(&t, asset, amount, true);
        t.assetInSymbol = cash;
        t.assetInAmount = *t.assetOutValueUsd;
        t.assetInValueUsd = *t.assetOutValueUsd;
        maybeFee(&t, wallet, true);
        queue(t);
        return true;
    }
    if (roll >= 40 && roll < 54 && pickHeld(&asset, &wallet)) { // swap
        TaxTransaction t = base(time, TransactionType::Swap, wallet);
        const Decimal amount = partOf(held(asset, wallet), 5, 100);
        held(asset, wallet) -= amount;
        sideOut(&t, asset, amount, true);
        int other = int(below(quint64(assets - 1)));
        if (other >= asset)
            ++other;
        Decimal value = (*t.assetOutValueUsd * fraction(98, 102)).round(2, RoundingMode::HalfUp);
        if (!value.isPositive())
            value = Decimal::fromScaled(1, 2);
        const Decimal received = amountFor(other, value);
        t.assetInSymbol = m_assets[size_t(other)].symbol;
        t.assetInAmount = received;
        t.assetInPriceUsd = m_assets[size_t(other)].price;
        t.assetInValueUsd = value;
        held(other, wallet) += received;
        maybeFee(&t, wallet, true);
        queue(t);
        return true;
    }
    if (roll >= 54 && roll < 62 && wallets > 1 && pickHeld(&asset, &wallet)) { // transfer pair
        int to = int(below(quint64(wallets - 1)));
        if (to >= wallet)
            ++to;
        const Decimal amount = partOf(held(asset, wallet), 10, 100);
        held(asset, wallet) -= amount;
        TaxTransaction out = base(time, TransactionType::TransferOut, wallet);
        sideOut(&out, asset, amount, false);
        maybeFee(&out, wallet, true);
        const qint64 arrival = time + (60 + qint64(below(1800))) * 1000000;
        TaxTransaction in = base(arrival, TransactionType::TransferIn, to);
        Decimal received = amount;
        if (chance(80)) {
            in.transactionHash = out.transactionHash; // on-chain: one hash for both sides
            if (m_options.shortTransfers && chance(5)) {
                received = (amount * Decimal::fromScaled(999, 3)).round(18, RoundingMode::Down);
                if (!received.isPositive())
                    received = amount;
            }
        }
        sideIn(&in, asset, received, false);
        held(asset, to) += received;
        queue(out);
        queue(in);
        return true;
    }
    if (roll >= 62 && roll < 78) { // staking, mining, airdrop, income
        const TransactionType type = roll < 70   ? TransactionType::StakingReward
                                     : roll < 73 ? TransactionType::MiningReward
                                     : roll < 75 ? TransactionType::Airdrop
                                                 : TransactionType::Income;
        wallet = int(below(quint64(wallets)));
        asset = int(below(quint64(assets)));
        TaxTransaction t = base(time, type, wallet);
        const Decimal value = Decimal::fromScaled(qint64(100 + below(50000)), 2);
        const Decimal amount = amountFor(asset, value);
        sideIn(&t, asset, amount, true);
        held(asset, wallet) += amount;
        queue(t);
        return true;
    }
    if (roll >= 78 && roll < 80) { // gift received
        wallet = int(below(quint64(wallets)));
        asset = int(below(quint64(assets)));
        TaxTransaction t = base(time, TransactionType::Gift, wallet);
        const Decimal value = Decimal::fromScaled(qint64(10000 + below(190000)), 2);
        const Decimal amount = amountFor(asset, value);
        sideIn(&t, asset, amount, true);
        const Decimal share = m_options.lossBasisGifts ? fraction(50, 150) : fraction(50, 100);
        t.costBasisUsd = (*t.assetInValueUsd * share).round(2, RoundingMode::HalfUp);
        held(asset, wallet) += amount;
        queue(t);
        return true;
    }
    if (roll >= 80 && roll < 82 && m_options.departures && pickHeld(&asset, &wallet)) {
        TaxTransaction t = base(time, TransactionType::Gift, wallet); // gift given
        const Decimal amount = partOf(held(asset, wallet), 5, 50);
        held(asset, wallet) -= amount;
        sideOut(&t, asset, amount, true);
        queue(t);
        return true;
    }
    if (roll >= 82 && roll < 86 && pickHeld(&asset, &wallet)) { // expense
        TaxTransaction t = base(time, TransactionType::Expense, wallet);
        const Decimal amount = partOf(held(asset, wallet), 1, 20);
        held(asset, wallet) -= amount;
        sideOut(&t, asset, amount, true);
        queue(t);
        return true;
    }
    if (roll >= 86 && roll < 93 && pickHeld(&asset, &wallet)) { // standalone fee (gas)
        if (int(m_assets.size()) > kEth && held(kEth, wallet).isPositive())
            asset = kEth;
        TaxTransaction t = base(time, TransactionType::Fee, wallet);
        const Decimal amount = partOf(held(asset, wallet), 0, 1);
        held(asset, wallet) -= amount;
        t.feeSymbol = m_assets[size_t(asset)].symbol;
        t.feeAmount = amount;
        t.feeValueUsd = valueOf(asset, amount);
        queue(t);
        return true;
    }
    if (roll >= 93 && roll < 95) { // transfer_in from outside: unknown basis
        wallet = int(below(quint64(wallets)));
        asset = int(below(quint64(assets)));
        TaxTransaction t = base(time, TransactionType::TransferIn, wallet);
        const Decimal amount =
            amountFor(asset, Decimal::fromScaled(qint64(1000 + below(100000)), 2));
        sideIn(&t, asset, amount, false);
        held(asset, wallet) += amount;
        queue(t);
        return true;
    }
    if (roll == 95 && m_options.departures && pickHeld(&asset, &wallet)) { // transfer to outside
        TaxTransaction t = base(time, TransactionType::TransferOut, wallet);
        const Decimal amount = partOf(held(asset, wallet), 10, 100);
        held(asset, wallet) -= amount;
        sideOut(&t, asset, amount, false);
        queue(t);
        return true;
    }
    // Buy: the default, and the fallback when nothing is held.
    wallet = int(below(quint64(wallets)));
    asset = int(below(quint64(assets)));
    TaxTransaction t = base(time, TransactionType::Buy, wallet);
    const Decimal value = Decimal::fromScaled(qint64(5000 + below(495000)), 2);
    const Decimal amount = amountFor(asset, value);
    sideIn(&t, asset, amount, true);
    t.assetInValueUsd = value;
    t.assetOutSymbol = cash;
    t.assetOutAmount = value;
    t.assetOutValueUsd = value;
    held(asset, wallet) += amount;
    maybeFee(&t, wallet, true);
    queue(t);
    return true;
}

void LedgerGenerator::sellEverything(qint64 time) {
    for (int a = 0; a < int(m_assets.size()); ++a) {
        for (int w = 0; w < int(m_wallets.size()); ++w) {
            Decimal& have = held(a, w);
            if (!have.isPositive())
                continue;
            time += 1000000;
            TaxTransaction t = base(time, TransactionType::Sell, w);
            t.assetOutSymbol = m_assets[size_t(a)].symbol;
            t.assetOutAmount = have;
            t.assetOutPriceUsd = m_assets[size_t(a)].price;
            t.assetOutValueUsd = valueOf(a, have);
            t.assetInSymbol = m_options.currency;
            t.assetInAmount = *t.assetOutValueUsd;
            t.assetInValueUsd = *t.assetOutValueUsd;
            have = Decimal();
            m_pending.emplace(std::make_pair(time, t.id), t);
        }
    }
}

bool LedgerGenerator::next(TaxTransaction* row) {
    for (;;) {
        const bool generating = m_generated < m_options.transactions;
        if (!m_pending.empty() && (!generating || m_pending.begin()->first.first <= m_time)) {
            auto it = m_pending.begin();
            *row = std::move(it->second);
            m_pending.erase(it);
            ++m_produced;
            return true;
        }
        if (generating) {
            m_time += 1 + qint64(below(quint64(2 * m_step)));
            generateOne(m_time);
            continue;
        }
        if (m_options.sellEverything && !m_finalDone) {
            m_finalDone = true;
            // After every transfer has landed.
            sellEverything(m_time + 3600LL * 1000000);
            continue;
        }
        return false;
    }
}

QList<TaxTransaction> LedgerGenerator::generate(const LedgerGeneratorOptions& options) {
    LedgerGenerator g(options);
    QList<TaxTransaction> rows;
    rows.reserve(options.transactions + 64);
    TaxTransaction t;
    while (g.next(&t))
        rows.append(t);
    return rows;
}

} // namespace llamadesk::tax
