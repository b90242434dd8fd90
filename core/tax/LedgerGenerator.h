#pragma once

#include "domain/TaxTransaction.h"
#include "money/Decimal.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace llamadesk::tax {

struct LedgerGeneratorOptions {
    qint64 transactions = 10000; // rows before the final sales (sellEverything)
    quint64 seed = 1;
    int assets = 20; // at most 20
    int wallets = 6; // at most 8
    QDate start = QDate(2021, 1, 4);
    int days = 5 * 365; // span of the ledger
    QString currency = QStringLiteral("USD");
    QString userId = QStringLiteral("5eed5eed-0000-4000-8000-000000000001");

    // Rows whose effect depends on the lot method, or that the conservation properties cannot
    // see: gifts given and transfers to wallets outside the ledger (units leave without a
    // disposal), gifts whose value is below the donor's basis (two bases), transfers that arrive
    // short (a fee taken on the way).
    bool departures = true;
    bool lossBasisGifts = true;
    bool shortTransfers = true;
    // After `transactions` rows, sell everything still held (so the ledger ends fully sold).
    bool sellEverything = false;
};

// Deterministic, realistic ledgers for tests and benchmarks: the same options give the same
// rows on every platform (own random generator, exact decimals only). About 20 assets with
// random-walk prices, several wallets, every transaction type, crypto and cash fees, transfers
// between wallets (same hash, or only the same amount) and from or to outside. It never sells
// more than a wallet holds, so a correct engine reports no shortfall. Rows come out in
// (timestamp, id) order and pass TaxTransaction::validate().
class LedgerGenerator {
public:
    explicit LedgerGenerator(const LedgerGeneratorOptions& options);

    // The next row; false when the ledger is complete.
    bool next(TaxTransaction* row);
    // Every row (for small ledgers).
    static QList<TaxTransaction> generate(const LedgerGeneratorOptions& options);
    qint64 produced() const { return m_produced; }

private:
    struct Asset {
        QString symbol;
        Decimal price; // in the currency, 8 fractional digits
        bool stable = false;
    };

    quint64 random();
    quint64 below(quint64 n) { return random() % n; }
    bool chance(int percent) { return below(100) < quint64(percent); }
    Decimal fraction(int minPercent, int maxPercent); // a random share, 4 digits
    QString uuid();
    QString hash();
    void advancePrices(qint32 day);
    Decimal& held(int asset, int wallet);
    bool pickHeld(int* asset, int* wallet);
    TaxTransaction base(qint64 time, TransactionType type, int wallet);
    Decimal amountFor(int asset, const Decimal& value) const;
    Decimal valueOf(int asset, const Decimal& amount) const;
    void maybeFee(TaxTransaction* t, int wallet, bool cryptoAllowed);
    bool generateOne(qint64 time);
    void queue(const TaxTransaction& t);
    void sellEverything(qint64 time);

    LedgerGeneratorOptions m_options;
    quint64 m_state = 0;
    std::vector<Asset> m_assets;
    QStringList m_wallets;
    std::vector<Decimal> m_held; // asset * wallets + wallet
    qint64 m_time = 0;
    qint64 m_end = 0;
    qint64 m_step = 0;
    qint32 m_priceDay = 0;
    qint64 m_block = 15000000;
    qint64 m_generated = 0; // rows planned (excluding the final sales)
    qint64 m_produced = 0;
    bool m_finalDone = false;
    // Rows dated later than the row being generated (the receiving side of a transfer),
    // released in time order.
    std::multimap<std::pair<qint64, QString>, TaxTransaction> m_pending;
};

} // namespace llamadesk::tax
