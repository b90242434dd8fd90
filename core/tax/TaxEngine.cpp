#include "tax/TaxEngine.h"

#include "Logging.h"
#include "tax/LotMath.h"
#include "tax/NameTable.h"
#include "tax/OwnedText.h"
#include "tax/ResultSink.h"
#include "tax/ResultStore.h"
#include "tax/RuleSet.h"
#include "tax/TaxCalendar.h"

#include <QHashFunctions>
#include <QSet>

#include <algorithm>
#include <deque>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace llamadesk::tax {

namespace {

// One transaction, reduced to what the rules need. Values are in the report currency, resolved
// from the value column, else price x amount, else the amount itself for the report currency.
struct Entry {
    qint64 time = 0;
    qint32 day = 0;
    quint64 sequence = 0;
    QString id;
    QString hash;
    TransactionType type = TransactionType::Buy;
    quint32 wallet = 0;
    qint32 inAsset = -1;
    qint32 outAsset = -1;
    qint32 feeAsset = -1;
    Decimal inAmount;
    Decimal outAmount;
    Decimal feeAmount;
    Decimal inValue;
    Decimal outValue;
    Decimal feeValue;
    Decimal donorBasis;
    bool hasInValue = false;
    bool hasOutValue = false;
    bool hasFeeValue = false;
    bool hasDonorBasis = false;
    bool moveDone = false; // a transfer whose move its partner already made
    bool indexed = false;
};

bool isTransfer(TransactionType type) {
    return type == TransactionType::TransferIn || type == TransactionType::TransferOut;
}

} // namespace

struct TaxEngine::Private {
    explicit Private(const TaxOptions& o)
        : options(o)
        , store(std::make_unique<ResultStore>())
        , calendar(o.timeZone)
        , sink(store.get(),
               o.periodStart.isValid() ? qint32(o.periodStart.toJulianDay())
                                       : std::numeric_limits<qint32>::min(),
               o.periodEnd.isValid() ? qint32(o.periodEnd.toJulianDay())
                                     : std::numeric_limits<qint32>::max())
        , rules(RuleSet::create(RuleContext{options, sink, calendar, assets, wallets})) {
        store->options = options;
        windowMicros = std::max<qint64>(0, options.transferWindowSeconds) * 1000000;
        for (const Timestamp& t : options.checkpointsAt) {
            if (t.isValid())
                checkpointTimes.push_back(t.microsecondsSinceEpoch());
        }
        std::sort(checkpointTimes.begin(), checkpointTimes.end());
        for (const QString& f : options.fiatCurrencies)
            fiat.insert(f.trimmed().toUpper());
        fiat.insert(options.currency.trimmed().toUpper());
        currency = options.currency.trimmed().toUpper();
    }

    // --- input ---------------------------------------------------------------------------
    qint32 internAsset(QStringView symbol);
    bool isFiat(qint32 asset) const { return asset >= 0 && assetFiat[size_t(asset)]; }
    Status convert(const TaxTransaction& t, Entry* e);
    static qint32 transferAsset(const Entry& e);
    static const Decimal& transferAmount(const Entry& e);
    quint64 hashKey(const Entry& e) const;
    quint64 amountKey(const Entry& e) const;
    void index(Entry* e);
    void unindex(Entry* e);
    Entry* findPartner(const Entry& e);

    // --- processing ----------------------------------------------------------------------
    void processFront();
    void capture(qint64 at);
    void handle(Entry& e);
    void exchange(Entry& e);
    void transfer(Entry& e);
    void income(Entry& e);
    void gift(Entry& e);
    void expense(Entry& e);
    void feeOnly(Entry& e);
    Decimal tiedFee(const Entry& e) const { return e.hasFeeValue ? e.feeValue : Decimal(); }
    void disposeFee(Entry& e);
    void acquire(const Entry& e, qint32 asset, quint32 wallet, const Decimal& amount,
                 const Decimal& cost, bool unknownBasis,
                 const std::optional<Decimal>& lossBasis = std::nullopt);
    void dispose(const Entry& e, qint32 asset, quint32 wallet, const Decimal& amount,
                 const Decimal& proceeds, DisposalKind kind);
    void flow(const Entry& e, qint32 asset, const Decimal& amount, const Decimal& value,
              bool isIncome);
    bool reporting(const Entry& e) const { return sink.inPeriod(e.day); }
    void warn(WarningCode code, const Entry& e, qint32 asset, const Decimal& amount,
              const QString& message);

    TaxOptions options;
    std::unique_ptr<ResultStore> store;
    TaxCalendar calendar;
    ResultSink sink;
    NameTable assets;
    NameTable wallets;
    std::unique_ptr<RuleSet> rules;

    QSet<QString> fiat;
    QString currency;
    std::vector<bool> assetFiat;       // by asset id: cash, no lots
    std::vector<bool> assetIsCurrency; // by asset id: the report currency itself
    std::deque<Entry> queue;
    std::unordered_multimap<quint64, Entry*> byHash;
    std::unordered_multimap<quint64, Entry*> byAmount;
    qint64 windowMicros = 0;
    std::vector<qint64> checkpointTimes;
    size_t nextCheckpoint = 0;
    QSet<QString> movedAhead;
    std::optional<qint64> resumedAt;

    bool started = false;
    bool finished = false;
    Status failure;
    qint64 lastTime = std::numeric_limits<qint64>::min();
    QString lastId;
    quint64 nextSequence = 0;
    // Strings of entries that left the queue, for the next entries' ids and hashes.
    std::vector<QString> spareTexts;
};

qint32 TaxEngine::Private::internAsset(QStringView symbol) {
    const quint32 id = assets.intern(symbol);
    if (id >= assetFiat.size()) {
        // A new symbol: classify it once.
        const QString upper = symbol.toString().toUpper();
        assetFiat.resize(size_t(id) + 1, false);
        assetIsCurrency.resize(size_t(id) + 1, false);
        assetFiat[id] = fiat.contains(upper);
        assetIsCurrency[id] = upper == currency;
    }
    return qint32(id);
}

Status TaxEngine::Private::convert(const TaxTransaction& t, Entry* e) {
    e->time = t.timestamp.microsecondsSinceEpoch();
    e->day = calendar.dayOf(e->time);
    e->sequence = nextSequence++;
    assignOwned(&e->id, t.id);
    assignOwned(&e->hash, t.transactionHash);
    e->type = t.transactionType;
    e->wallet =
        wallets.intern(t.wallet.isEmpty() ? QStringView(u"default") : QStringView(t.wallet));
    e->moveDone = !movedAhead.isEmpty() && movedAhead.contains(t.id);

    auto side = [this](const std::optional<QString>& symbol, const std::optional<Decimal>& amount,
                       const std::optional<Decimal>& price, const std::optional<Decimal>& value,
                       qint32* asset, Decimal* outAmount, Decimal* outValue, bool* hasValue) {
        if (!symbol || !amount)
            return true;
        QStringView trimmed(*symbol);
        if (!trimmed.isEmpty() && (trimmed.front().isSpace() || trimmed.back().isSpace()))
            trimmed = trimmed.trimmed();
        if (trimmed.isEmpty())
            return true;
        if (!amount->isValid() || amount->isNegative())
            return false;
        *asset = internAsset(trimmed);
        const bool isCurrency = assetIsCurrency[size_t(*asset)];
        *outAmount = *amount;
        if (value) {
            if (!value->isValid() || value->isNegative())
                return false;
            *outValue = *value;
            *hasValue = true;
        } else if (price && price->isValid() && !price->isNegative()) {
            *outValue = *price * *amount;
            *hasValue = outValue->isValid();
        } else if (isCurrency) {
            *outValue = *amount;
            *hasValue = true;
        }
        return true;
    };
    bool ok = side(t.assetInSymbol, t.assetInAmount, t.assetInPriceUsd, t.assetInValueUsd,
                   &e->inAsset, &e->inAmount, &e->inValue, &e->hasInValue);
    ok = side(t.assetOutSymbol, t.assetOutAmount, t.assetOutPriceUsd, t.assetOutValueUsd,
              &e->outAsset, &e->outAmount, &e->outValue, &e->hasOutValue) &&
         ok;
    ok = side(t.feeSymbol, t.feeAmount, std::nullopt, t.feeValueUsd, &e->feeAsset, &e->feeAmount,
              &e->feeValue, &e->hasFeeValue) &&
         ok;
    // A fee in one of the row's own assets is worth that asset's price in the row.
    if (ok && e->feeAsset >= 0 && !e->hasFeeValue) {
        if (e->feeAsset == e->inAsset && e->hasInValue && e->inAmount.isPositive()) {
            e->feeValue = LotMath::share(e->inValue, e->feeAmount, e->inAmount);
            e->hasFeeValue = e->feeValue.isValid();
        } else if (e->feeAsset == e->outAsset && e->hasOutValue && e->outAmount.isPositive()) {
            e->feeValue = LotMath::share(e->outValue, e->feeAmount, e->outAmount);
            e->hasFeeValue = e->feeValue.isValid();
        }
    }
    if (t.costBasisUsd) {
        if (!t.costBasisUsd->isValid() || t.costBasisUsd->isNegative())
            ok = false;
        e->donorBasis = *t.costBasisUsd;
        e->hasDonorBasis = true;
    }
    if (!ok) {
        return Status::failure(
            tr("Transaction %1 has a negative or invalid amount or value.").arg(t.id));
    }
    return Status::success();
}

qint32 TaxEngine::Private::transferAsset(const Entry& e) {
    if (e.type == TransactionType::TransferIn)
        return e.inAsset >= 0 ? e.inAsset : e.outAsset;
    return e.outAsset >= 0 ? e.outAsset : e.inAsset;
}

const Decimal& TaxEngine::Private::transferAmount(const Entry& e) {
    if (e.type == TransactionType::TransferIn)
        return e.inAsset >= 0 ? e.inAmount : e.outAmount;
    return e.outAsset >= 0 ? e.outAmount : e.inAmount;
}

quint64 TaxEngine::Private::hashKey(const Entry& e) const {
    return quint64(qHash(e.hash, size_t(transferAsset(e)) * 31u + 7u));
}

quint64 TaxEngine::Private::amountKey(const Entry& e) const {
    return quint64(qHash(transferAmount(e), size_t(transferAsset(e)) * 131u + 3u));
}

void TaxEngine::Private::index(Entry* e) {
    if (!isTransfer(e->type) || e->moveDone || transferAsset(*e) < 0 || isFiat(transferAsset(*e)))
        return;
    if (!e->hash.isEmpty())
        byHash.emplace(hashKey(*e), e);
    byAmount.emplace(amountKey(*e), e);
    e->indexed = true;
}

void TaxEngine::Private::unindex(Entry* e) {
    if (!e->indexed)
        return;
    auto drop = [e](std::unordered_multimap<quint64, Entry*>& map, quint64 key) {
        auto range = map.equal_range(key);
        for (auto it = range.first; it != range.second; ++it) {
            if (it->second == e) {
                map.erase(it);
                return;
            }
        }
    };
    if (!e->hash.isEmpty())
        drop(byHash, hashKey(*e));
    drop(byAmount, amountKey(*e));
    e->indexed = false;
}

Entry* TaxEngine::Private::findPartner(const Entry& e) {
    const TransactionType other = e.type == TransactionType::TransferOut
                                      ? TransactionType::TransferIn
                                      : TransactionType::TransferOut;
    const qint32 asset = transferAsset(e);
    auto eligible = [&](const Entry* c) {
        return c != &e && c->type == other && !c->moveDone && transferAsset(*c) == asset &&
               c->time - e.time <= windowMicros;
    };
    Entry* best = nullptr;
    // The same transaction hash first; then the same asset and amount within the window.
    if (!e.hash.isEmpty()) {
        auto range = byHash.equal_range(hashKey(e));
        for (auto it = range.first; it != range.second; ++it) {
            Entry* c = it->second;
            if (eligible(c) && c->hash == e.hash && (!best || c->sequence < best->sequence))
                best = c;
        }
    }
    if (!best) {
        const Decimal& amount = transferAmount(e);
        auto range = byAmount.equal_range(amountKey(e));
        for (auto it = range.first; it != range.second; ++it) {
            Entry* c = it->second;
            if (eligible(c) && transferAmount(*c) == amount &&
                (!best || c->sequence < best->sequence))
                best = c;
        }
    }
    return best;
}

void TaxEngine::Private::warn(WarningCode code, const Entry& e, qint32 asset, const Decimal& amount,
                              const QString& message) {
    sink.warn(code, e.id, asset, qint32(e.wallet), e.day, amount, message);
}

void TaxEngine::Private::acquire(const Entry& e, qint32 asset, quint32 wallet,
                                 const Decimal& amount, const Decimal& cost, bool unknownBasis,
                                 const std::optional<Decimal>& lossBasis) {
    AcquisitionEvent a;
    a.asset = quint32(asset);
    a.wallet = wallet;
    a.amount = amount;
    a.cost = cost;
    a.lossBasis = lossBasis;
    a.unknownBasis = unknownBasis;
    a.time = e.time;
    a.day = e.day;
    a.transactionId = &e.id;
    rules->acquire(a);
}

void TaxEngine::Private::dispose(const Entry& e, qint32 asset, quint32 wallet,
                                 const Decimal& amount, const Decimal& proceeds,
                                 DisposalKind kind) {
    DisposalEvent ev;
    ev.asset = quint32(asset);
    ev.wallet = wallet;
    ev.amount = amount;
    ev.proceeds = proceeds;
    ev.kind = kind;
    ev.time = e.time;
    ev.day = e.day;
    ev.transactionId = &e.id;
    ev.transactionHash = &e.hash;
    auto it = options.lotSelections.constFind(e.id);
    // A fee is not the disposal the user named lots for.
    if (kind != DisposalKind::Fee && it != options.lotSelections.cend())
        ev.selections = &it.value();
    rules->dispose(ev);
}

void TaxEngine::Private::flow(const Entry& e, qint32 asset, const Decimal& amount,
                              const Decimal& value, bool isIncome) {
    if (!reporting(e))
        return;
    ResultStore::FlowRecord f;
    f.time = e.time;
    f.day = e.day;
    f.asset = quint32(asset);
    f.wallet = e.wallet;
    f.type = quint8(e.type);
    f.transactionId = sink.text().add(e.id);
    f.transactionHash = sink.text().add(e.hash);
    f.amount = amount;
    f.value = value;
    if (isIncome)
        sink.addIncome(f);
    else
        sink.addExpense(f);
}

void TaxEngine::Private::disposeFee(Entry& e) {
    // Crypto spent on a fee is itself disposed of at its value (Treas. Reg. 1.1001-7(b)(1)(ii)).
    if (e.feeAsset < 0 || !e.feeAmount.isPositive() || isFiat(e.feeAsset))
        return;
    if (!e.hasFeeValue && reporting(e)) {
        warn(WarningCode::MissingFeeValue, e, e.feeAsset, e.feeAmount,
             tr("The fee of %1 %2 has no value; it was disposed of for 0.")
                 .arg(e.feeAmount.toString(), assets.name(quint32(e.feeAsset))));
    }
    dispose(e, e.feeAsset, e.wallet, e.feeAmount, tiedFee(e), DisposalKind::Fee);
}

void TaxEngine::Private::exchange(Entry& e) {
    const bool outCrypto = e.outAsset >= 0 && !isFiat(e.outAsset) && e.outAmount.isPositive();
    const bool inCrypto = e.inAsset >= 0 && !isFiat(e.inAsset) && e.inAmount.isPositive();
    if (!outCrypto && !inCrypto) {
        if (reporting(e)) {
            warn(WarningCode::UnsupportedTransaction, e, -1, Decimal(),
                 tr("A %1 needs a crypto asset on at least one side; this row has none.")
                     .arg(toString(e.type)));
        }
        disposeFee(e);
        return;
    }
    const Decimal fee = tiedFee(e);
    if (outCrypto) {
        // Proceeds: the value received, else the value given.
        const bool known = e.hasInValue || e.hasOutValue;
        const Decimal value = e.hasInValue ? e.inValue : (e.hasOutValue ? e.outValue : Decimal());
        if (!known && reporting(e)) {
            warn(WarningCode::MissingValue, e, e.outAsset, e.outAmount,
                 tr("Neither side of this %1 has a value; proceeds of 0 were used.")
                     .arg(toString(e.type)));
        }
        dispose(e, e.outAsset, e.wallet, e.outAmount, value - fee,
                inCrypto ? DisposalKind::Swap : DisposalKind::Sale);
    }
    if (inCrypto) {
        // Basis: the value given, else the value received. A fee goes to the disposal when
        // there is one (reducing its proceeds), else to the new lot's basis.
        const bool known = e.hasOutValue || e.hasInValue;
        const Decimal value = e.hasOutValue ? e.outValue : (e.hasInValue ? e.inValue : Decimal());
        if (!known && reporting(e)) {
            warn(WarningCode::MissingValue, e, e.inAsset, e.inAmount,
                 tr("Neither side of this %1 has a value; a basis of 0 was used.")
                     .arg(toString(e.type)));
        }
        acquire(e, e.inAsset, e.wallet, e.inAmount, outCrypto ? value : value + fee, !known);
    }
    disposeFee(e);
}

void TaxEngine::Private::transfer(Entry& e) {
    const qint32 asset = transferAsset(e);
    const Decimal amount = transferAmount(e);
    if (asset < 0 || isFiat(asset) || !amount.isPositive() || e.moveDone) {
        if (asset < 0 && reporting(e)) {
            warn(WarningCode::UnsupportedTransaction, e, -1, Decimal(),
                 tr("This transfer names no asset."));
        }
        disposeFee(e);
        return;
    }
    Entry* partner = findPartner(e);
    if (partner) {
        Entry& out = e.type == TransactionType::TransferOut ? e : *partner;
        Entry& in = e.type == TransactionType::TransferOut ? *partner : e;
        const Decimal& sent = transferAmount(out);
        const Decimal& received = transferAmount(in);
        partner->moveDone = true;
        unindex(partner);
        if (sent > received) {
            // The part that never arrived was spent on the way: disposed of at its value.
            const Decimal lost = sent - received;
            Decimal value;
            bool known = true;
            if (out.outAsset == asset && out.hasOutValue && out.outAmount.isPositive())
                value = LotMath::share(out.outValue, lost, out.outAmount);
            else if (in.inAsset == asset && in.hasInValue && in.inAmount.isPositive())
                value = LotMath::share(in.inValue, lost, in.inAmount);
            else
                known = false;
            if (reporting(e)) {
                warn(WarningCode::TransferAmountMismatch, e, asset, lost,
                     known ? tr("%1 %2 were sent but %3 arrived; the difference was disposed "
                                "of at its value.")
                                 .arg(sent.toString(), assets.name(quint32(asset)),
                                      received.toString())
                           : tr("%1 %2 were sent but %3 arrived; the difference has no value "
                                "and was disposed of for 0.")
                                 .arg(sent.toString(), assets.name(quint32(asset)),
                                      received.toString()));
            }
            dispose(out, asset, out.wallet, lost, value, DisposalKind::TransferLoss);
        }
        MoveEvent m;
        m.asset = quint32(asset);
        m.fromWallet = out.wallet;
        m.toWallet = in.wallet;
        m.amount = Decimal::min(sent, received);
        m.time = e.time;
        m.day = e.day;
        m.transactionId = &out.id;
        auto it = options.lotSelections.constFind(out.id);
        if (it != options.lotSelections.cend())
            m.selections = &it.value();
        rules->move(m);
        if (received > sent) {
            const Decimal extra = received - sent;
            if (reporting(e)) {
                warn(WarningCode::MissingCostBasis, in, asset, extra,
                     tr("%1 %2 arrived but only %3 were sent; the extra units have a basis of "
                        "0.")
                         .arg(received.toString(), assets.name(quint32(asset)), sent.toString()));
            }
            acquire(in, asset, in.wallet, extra, Decimal(), true);
        }
    } else if (e.type == TransactionType::TransferOut) {
        DisposalEvent ev;
        ev.asset = quint32(asset);
        ev.wallet = e.wallet;
        ev.amount = amount;
        ev.time = e.time;
        ev.day = e.day;
        ev.transactionId = &e.id;
        ev.transactionHash = &e.hash;
        const Decimal basis = rules->depart(ev);
        if (reporting(e)) {
            warn(WarningCode::UnmatchedTransferOut, e, asset, amount,
                 tr("%1 %2 left for a wallet outside the ledger (no matching transfer_in); they "
                    "left the holdings with a basis of %3, without gain or loss.")
                     .arg(amount.toString(), assets.name(quint32(asset)),
                          TaxResult::cents(basis).toString(2)));
        }
    } else {
        if (reporting(e)) {
            warn(WarningCode::MissingCostBasis, e, asset, amount,
                 tr("%1 %2 arrived from outside the ledger (no matching transfer_out); their "
                    "basis is unknown and 0 was used.")
                     .arg(amount.toString(), assets.name(quint32(asset))));
        }
        acquire(e, asset, e.wallet, amount, Decimal(), true);
    }
    disposeFee(e);
}

void TaxEngine::Private::income(Entry& e) {
    if (e.inAsset < 0 || !e.inAmount.isPositive()) {
        if (reporting(e)) {
            warn(WarningCode::UnsupportedTransaction, e, e.outAsset, Decimal(),
                 tr("A %1 needs the asset received (asset_in_symbol and asset_in_amount).")
                     .arg(toString(e.type)));
        }
        disposeFee(e);
        return;
    }
    if (!e.hasInValue && reporting(e)) {
        warn(WarningCode::MissingValue, e, e.inAsset, e.inAmount,
             tr("This %1 has no fair market value; income and basis of 0 were used.")
                 .arg(toString(e.type)));
    }
    const Decimal value = e.hasInValue ? e.inValue : Decimal();
    flow(e, e.inAsset, e.inAmount, value, true);
    if (!isFiat(e.inAsset))
        acquire(e, e.inAsset, e.wallet, e.inAmount, value + tiedFee(e), !e.hasInValue);
    disposeFee(e);
}

void TaxEngine::Private::gift(Entry& e) {
    if (e.inAsset >= 0 && e.inAmount.isPositive()) {
        if (!isFiat(e.inAsset)) {
            if (rules->giftGivenIsDisposal()) {
                // Acquired at market value (UK).
                if (!e.hasInValue && reporting(e)) {
                    warn(WarningCode::MissingValue, e, e.inAsset, e.inAmount,
                         tr("This gift has no market value; a cost of 0 was used."));
                }
                acquire(e, e.inAsset, e.wallet, e.inAmount,
                        (e.hasInValue ? e.inValue : Decimal()) + tiedFee(e), !e.hasInValue);
            } else if (e.hasDonorBasis) {
                // The donor's basis carries over; for a loss, the lower of it and the value at
                // receipt (US).
                std::optional<Decimal> lossBasis;
                if (e.hasInValue && e.inValue < e.donorBasis)
                    lossBasis = e.inValue + tiedFee(e);
                acquire(e, e.inAsset, e.wallet, e.inAmount, e.donorBasis + tiedFee(e), false,
                        lossBasis);
            } else {
                if (reporting(e)) {
                    warn(WarningCode::MissingCostBasis, e, e.inAsset, e.inAmount,
                         tr("This gift received has no donor's basis (cost_basis_usd); a basis "
                            "of 0 was used."));
                }
                acquire(e, e.inAsset, e.wallet, e.inAmount, tiedFee(e), true);
            }
        }
    } else if (e.outAsset >= 0 && e.outAmount.isPositive()) {
        if (!isFiat(e.outAsset)) {
            if (rules->giftGivenIsDisposal()) {
                if (!e.hasOutValue && reporting(e)) {
                    warn(WarningCode::MissingValue, e, e.outAsset, e.outAmount,
                         tr("This gift given has no market value; proceeds of 0 were used."));
                }
                dispose(e, e.outAsset, e.wallet, e.outAmount,
                        e.hasOutValue ? e.outValue : Decimal(), DisposalKind::Gift);
            } else {
                // The lots leave with their basis; no gain or loss for the giver.
                DisposalEvent ev;
                ev.asset = quint32(e.outAsset);
                ev.wallet = e.wallet;
                ev.amount = e.outAmount;
                ev.time = e.time;
                ev.day = e.day;
                ev.transactionId = &e.id;
                ev.transactionHash = &e.hash;
                auto it = options.lotSelections.constFind(e.id);
                if (it != options.lotSelections.cend())
                    ev.selections = &it.value();
                rules->depart(ev);
            }
        }
    } else if (reporting(e)) {
        warn(WarningCode::UnsupportedTransaction, e, -1, Decimal(),
             tr("A gift needs an asset received or given."));
    }
    disposeFee(e);
}

void TaxEngine::Private::expense(Entry& e) {
    if (e.outAsset < 0 || !e.outAmount.isPositive()) {
        if (reporting(e)) {
            warn(WarningCode::UnsupportedTransaction, e, -1, Decimal(),
                 tr("An expense needs the asset spent (asset_out_symbol and asset_out_amount)."));
        }
        disposeFee(e);
        return;
    }
    // Disposed of at the value of what was bought (else the value of what was spent).
    const bool known = e.hasInValue || e.hasOutValue;
    const Decimal value = e.hasInValue ? e.inValue : (e.hasOutValue ? e.outValue : Decimal());
    if (!known && reporting(e)) {
        warn(WarningCode::MissingValue, e, e.outAsset, e.outAmount,
             tr("This expense has no value; 0 was used."));
    }
    flow(e, e.outAsset, e.outAmount, value, false);
    if (!isFiat(e.outAsset))
        dispose(e, e.outAsset, e.wallet, e.outAmount, value - tiedFee(e), DisposalKind::Expense);
    disposeFee(e);
}

void TaxEngine::Private::feeOnly(Entry& e) {
    if (e.feeAsset >= 0 && e.feeAmount.isPositive()) {
        disposeFee(e);
        return;
    }
    // Some sources put a fee in the asset_out columns.
    if (e.outAsset >= 0 && e.outAmount.isPositive()) {
        if (isFiat(e.outAsset))
            return;
        if (!e.hasOutValue && reporting(e)) {
            warn(WarningCode::MissingFeeValue, e, e.outAsset, e.outAmount,
                 tr("The fee of %1 %2 has no value; it was disposed of for 0.")
                     .arg(e.outAmount.toString(), assets.name(quint32(e.outAsset))));
        }
        dispose(e, e.outAsset, e.wallet, e.outAmount, e.hasOutValue ? e.outValue : Decimal(),
                DisposalKind::Fee);
        return;
    }
    if (reporting(e)) {
        warn(WarningCode::UnsupportedTransaction, e, -1, Decimal(),
             tr("A fee needs fee_amount and fee_symbol."));
    }
}

void TaxEngine::Private::handle(Entry& e) {
    switch (e.type) {
    case TransactionType::Buy:
    case TransactionType::Sell:
    case TransactionType::Swap:
        exchange(e);
        break;
    case TransactionType::TransferIn:
    case TransactionType::TransferOut:
        transfer(e);
        break;
    case TransactionType::StakingReward:
    case TransactionType::MiningReward:
    case TransactionType::Airdrop:
    case TransactionType::Income:
        income(e);
        break;
    case TransactionType::Gift:
        gift(e);
        break;
    case TransactionType::Expense:
        expense(e);
        break;
    case TransactionType::Fee:
        feeOnly(e);
        break;
    }
}

void TaxEngine::Private::capture(qint64 at) {
    LotState state = rules->saveState();
    state.at = Timestamp::fromMicrosecondsSinceEpoch(at);
    const QDate date = calendar.dateOf(at);
    if (!state.reportFrom.isValid() || date < state.reportFrom)
        state.reportFrom = date;
    for (const Entry& e : queue) {
        if (e.moveDone)
            state.movedAhead.append(e.id);
    }
    store->checkpoints.append(state);
}

void TaxEngine::Private::processFront() {
    Entry& e = queue.front();
    while (nextCheckpoint < checkpointTimes.size() && e.time >= checkpointTimes[nextCheckpoint])
        capture(checkpointTimes[nextCheckpoint++]);
    unindex(&e);
    rules->advanceTo(e.time, e.day);
    if (reporting(e))
        ++store->totalTransactions;
    handle(e);
    // Hash first: add() takes them back id first, so each buffer gets text of its own size.
    spareTexts.push_back(std::move(e.hash));
    spareTexts.push_back(std::move(e.id));
    queue.pop_front();
}

TaxEngine::TaxEngine(const TaxOptions& options)
    : d(std::make_unique<Private>(options)) {
    const QStringList problems = options.validate();
    if (!problems.isEmpty())
        d->failure = Status::failure(
            tr("The tax options are not usable: %1").arg(problems.join(QLatin1Char(' '))));
}

TaxEngine::~TaxEngine() = default;

Status TaxEngine::resume(const LotState& state) {
    if (d->started || d->finished)
        return Status::failure(tr("A tax run can resume from a saved state only before its "
                                  "first transaction."));
    if (!state.isValid())
        return Status::failure(tr("The saved lot state has no instant."));
    if (state.jurisdiction != d->options.jurisdiction)
        return Status::failure(tr("The saved lot state is for another jurisdiction (%1).")
                                   .arg(toString(state.jurisdiction)));
    Status s = d->rules->restoreState(state);
    if (!s)
        return s;
    for (const QString& id : state.movedAhead)
        d->movedAhead.insert(id);
    d->resumedAt = state.at.microsecondsSinceEpoch();
    d->lastTime = *d->resumedAt;
    // Checkpoints before the resumed instant are in the earlier run.
    while (d->nextCheckpoint < d->checkpointTimes.size() &&
           d->checkpointTimes[d->nextCheckpoint] <= *d->resumedAt)
        ++d->nextCheckpoint;
    return Status::success();
}

Status TaxEngine::add(const TaxTransaction& t) {
    if (d->finished)
        return Status::failure(tr("The tax run is finished; no more transactions can be added."));
    if (!d->failure)
        return d->failure;
    if (t.deletedAt)
        return Status::success();
    if (!t.timestamp.isValid()) {
        d->failure = Status::failure(tr("Transaction %1 has no valid timestamp.").arg(t.id));
        return d->failure;
    }
    const qint64 time = t.timestamp.microsecondsSinceEpoch();
    if (d->resumedAt && time < *d->resumedAt) {
        d->failure = Status::failure(
            tr("Transaction %1 (%2) is before the saved state the run resumed from (%3).")
                .arg(t.id, t.timestamp.toString(),
                     Timestamp::fromMicrosecondsSinceEpoch(*d->resumedAt).toString()));
        return d->failure;
    }
    if (d->started && (time < d->lastTime || (time == d->lastTime && t.id <= d->lastId))) {
        d->failure = Status::failure(
            tr("Transaction %1 (%2) is out of order: the ledger must be sorted by timestamp, then "
               "id, without repeats.")
                .arg(t.id, t.timestamp.toString()));
        return d->failure;
    }
    d->started = true;
    d->lastTime = time;
    assignOwned(&d->lastId, t.id);

    d->queue.emplace_back();
    Entry& e = d->queue.back();
    for (QString* text : {&e.id, &e.hash}) {
        if (!d->spareTexts.empty()) {
            text->swap(d->spareTexts.back());
            d->spareTexts.pop_back();
        }
    }
    const Status converted = d->convert(t, &e);
    if (!converted) {
        // Unusable row: reported, not matched.
        Entry copy = e;
        d->queue.pop_back();
        if (d->sink.inPeriod(copy.day)) {
            d->warn(WarningCode::UnsupportedTransaction, copy, -1, Decimal(), converted.error());
        }
    } else {
        d->index(&e);
    }
    while (!d->queue.empty() && d->queue.front().time + d->windowMicros < time)
        d->processFront();
    return Status::success();
}

Result<TaxResult> TaxEngine::finish() {
    if (d->finished)
        return Result<TaxResult>::failure(tr("The tax run was already finished."));
    if (!d->failure)
        return Result<TaxResult>::failure(d->failure.error());
    d->finished = true;
    while (!d->queue.empty())
        d->processFront();
    // Checkpoints after the last transaction hold the state at the end.
    while (d->nextCheckpoint < d->checkpointTimes.size())
        d->capture(d->checkpointTimes[d->nextCheckpoint++]);
    if (d->options.captureFinalState) {
        const qint64 after = d->started || d->resumedAt ? d->lastTime + 1 : 0;
        LotState state = d->rules->saveState();
        state.at = Timestamp::fromMicrosecondsSinceEpoch(after);
        const QDate date = d->calendar.dateOf(after);
        if (!state.reportFrom.isValid() || date < state.reportFrom)
            state.reportFrom = date;
        d->store->finalState = state;
    }
    d->rules->finish();
    ResultStore& s = *d->store;
    s.holdings = d->rules->holdings();
    s.safeHarbor = d->rules->safeHarborAllocation();
    s.assets = d->assets.names();
    s.wallets = d->wallets.names();
    TaxResult::finalize(&s);
    qCDebug(lcTax) << "tax run:" << s.disposals.size() << "disposals," << s.matches.size()
                   << "matches," << s.income.size() << "income lines," << s.warnings.size()
                   << "warnings";
    std::shared_ptr<const ResultStore> shared(std::move(d->store));
    return TaxResult(std::move(shared));
}

Result<TaxResult> TaxEngine::run(const QList<TaxTransaction>& ledger, const TaxOptions& options,
                                 const LotState* resumeFrom) {
    std::vector<int> order(size_t(ledger.size()));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return TaxTransaction::ledgerOrderLess(ledger[a], ledger[b]);
    });
    TaxEngine engine(options);
    if (resumeFrom) {
        Status s = engine.resume(*resumeFrom);
        if (!s)
            return Result<TaxResult>::failure(s.error());
    }
    for (int i : order) {
        Status s = engine.add(ledger[i]);
        if (!s)
            return Result<TaxResult>::failure(s.error());
    }
    return engine.finish();
}

} // namespace llamadesk::tax
