#include "TestSupport.h"

#include "demo/DemoData.h"
#include "store/LocalUser.h"
#include "store/Migrator.h"
#include "store/PortfolioRepository.h"
#include "store/ReferenceDataRepository.h"
#include "store/SqlCipherDriver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QtTest>

#include <atomic>
#include <memory>

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const char* const kClock = "2025-06-15T14:30:00Z";
constexpr qint64 kTransactions = 1500;
constexpr int kLedgerDays = 400;
constexpr int kSnapshotDays = 200;

// Every table a demo run writes or must leave alone.
const char* const kTables[] = {"users",
                               "tax_transactions",
                               "prices",
                               "portfolio_assets",
                               "portfolio_snapshots",
                               "alert_rules",
                               "alert_history",
                               "gas_predictions",
                               "predictions",
                               "protocol_health",
                               "cost_basis_lots",
                               "sync_outbox"};

Timestamp demoClock() {
    return *Timestamp::parse(QStringView(QString::fromLatin1(kClock)));
}

demo::DemoOptions smallOptions(quint64 seed = 7) {
    demo::DemoOptions o;
    o.transactions = kTransactions;
    o.seed = seed;
    o.now = demoClock();
    o.ledgerDays = kLedgerDays;
    o.snapshotDays = kSnapshotDays;
    return o;
}

Decimal dec(const QVariant& v) {
    Result<Decimal> d = Decimal::parse(QStringView(v.toString()));
    return d ? *d : Decimal::invalid();
}

} // namespace

class TestDemoData : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void countsPerTable_data();
    void countsPerTable();
    void ledgerShape();
    void deterministicForASeed_data();
    void deterministicForASeed();
    void snapshotOfTodayEqualsHoldings();
    void holdingsAreExact();
    void pricesFollowTheLedger();
    void alertsAreVaried();
    void outboxOnlyForUserTables();
    void runningTwiceRefuses();
    void addingWithAnotherSeed();
    void cancelLeavesVaultUnchanged_data();
    void cancelLeavesVaultUnchanged();
    void badOptionsAreRefused_data();
    void badOptionsAreRefused();

private:
    QSqlDatabase openVault(const QString& name);
    static qint64 count(const QSqlDatabase& db, const QString& sql);
    static qint64 rows(const QSqlDatabase& db, const char* table);
    static QStringList dump(const QSqlDatabase& db, const QString& sql);
    static QMap<QString, qint64> allCounts(const QSqlDatabase& db);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QStringList m_connections;
    QSqlDatabase m_db;    // the vault every read-only check looks at
    QSqlDatabase m_same;  // the same seed and clock again
    QSqlDatabase m_other; // another seed
    demo::DemoSummary m_summary;
    QList<int> m_progress;
};

QSqlDatabase TestDemoData::openVault(const QString& name) {
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    QSqlDatabase db = SqlCipherDriver::openDatabase(
        name, m_dir->filePath(name + QStringLiteral(".db")), key, {}, nullptr, &error);
    if (!db.isOpen()) {
        qWarning("cannot open %s: %s", qPrintable(name), qPrintable(error));
        return db;
    }
    const Status migrated = Migrator(db).migrate();
    if (!migrated)
        qWarning("cannot migrate %s: %s", qPrintable(name), qPrintable(migrated.error()));
    m_connections << name;
    return db;
}

qint64 TestDemoData::count(const QSqlDatabase& db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next()) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return -1;
    }
    return q.value(0).toLongLong();
}

qint64 TestDemoData::rows(const QSqlDatabase& db, const char* table) {
    return count(db, QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table));
}

QStringList TestDemoData::dump(const QSqlDatabase& db, const QString& sql) {
    QStringList out;
    QSqlQuery q(db);
    if (!q.exec(sql))
        return {q.lastError().text()};
    while (q.next()) {
        QStringList fields;
        for (int i = 0; i < q.record().count(); ++i)
            fields << q.value(i).toString();
        out << fields.join(QLatin1Char('|'));
    }
    return out;
}

QMap<QString, qint64> TestDemoData::allCounts(const QSqlDatabase& db) {
    QMap<QString, qint64> out;
    for (const char* table : kTables)
        out.insert(QLatin1String(table), rows(db, table));
    return out;
}

void TestDemoData::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    m_db = openVault(QStringLiteral("demo-main"));
    QVERIFY(m_db.isOpen());
    demo::DemoOptions o = smallOptions();
    o.progress = [this](int percent, const QString& stage) {
        QVERIFY(!stage.isEmpty());
        m_progress << percent;
    };
    Result<demo::DemoSummary> s = demo::DemoData::populate(m_db, o);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    m_summary = *s;
}

void TestDemoData::cleanupTestCase() {
    m_db = QSqlDatabase();
    m_same = QSqlDatabase();
    m_other = QSqlDatabase();
    for (const QString& name : std::as_const(m_connections)) {
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
}

void TestDemoData::countsPerTable_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<qint64>("reported");
    QTest::addColumn<qint64>("atLeast");
    QTest::addColumn<qint64>("atMost");
    const demo::DemoSummary& s = m_summary;
    // The generator may add the second half of a transfer after the requested count.
    QTest::newRow("tax_transactions")
        << "tax_transactions" << s.transactions << kTransactions << kTransactions + 1;
    // Up to 20 assets a day over the ledger's span.
    QTest::newRow("prices") << "prices" << s.prices << qint64(kLedgerDays) * 15
                            << qint64(kLedgerDays + 2) * 20;
    QTest::newRow("portfolio_assets")
        << "portfolio_assets" << s.portfolioAssets << qint64(8) << qint64(24);
    QTest::newRow("portfolio_snapshots")
        << "portfolio_snapshots" << s.snapshots << qint64(kSnapshotDays) << qint64(kSnapshotDays);
    QTest::newRow("alert_rules") << "alert_rules" << s.alertRules << qint64(5) << qint64(8);
    QTest::newRow("alert_history") << "alert_history" << s.alertHistory << qint64(5) << qint64(400);
    QTest::newRow("gas_predictions: 3 chains, hourly, 7 days")
        << "gas_predictions" << s.gasPredictions << qint64(3 * 168) << qint64(3 * 168);
    QTest::newRow("predictions") << "predictions" << s.predictions << qint64(250) << qint64(330);
    QTest::newRow("protocol_health: 10 protocols, 90 days")
        << "protocol_health" << s.protocolHealth << qint64(900) << qint64(900);
}

void TestDemoData::countsPerTable() {
    QFETCH(QString, table);
    QFETCH(qint64, reported);
    QFETCH(qint64, atLeast);
    QFETCH(qint64, atMost);
    const qint64 stored = count(m_db, QStringLiteral("SELECT count(*) FROM ") + table);
    QCOMPARE(stored, reported);
    QVERIFY2(stored >= atLeast && stored <= atMost,
             qPrintable(
                 QStringLiteral("%1 rows, expected %2..%3").arg(stored).arg(atLeast).arg(atMost)));
}

void TestDemoData::ledgerShape() {
    QCOMPARE(count(m_db, QStringLiteral("SELECT count(*) FROM users")), 1);
    const auto owner = LocalUser::find(m_db);
    QVERIFY(owner.ok() && owner->has_value());
    QCOMPARE(**owner, m_summary.userId);
    QCOMPARE(
        count(m_db, QStringLiteral("SELECT count(*) FROM tax_transactions WHERE user_id <> '") +
                        m_summary.userId + QLatin1Char('\'')),
        0);
    // Several wallets and chains, every kind of income.
    QVERIFY(count(m_db, QStringLiteral("SELECT count(DISTINCT wallet) FROM tax_transactions")) >=
            5);
    QVERIFY(count(m_db, QStringLiteral("SELECT count(DISTINCT chain_id) FROM tax_transactions")) >=
            5);
    QVERIFY(count(m_db, QStringLiteral("SELECT count(*) FROM tax_transactions WHERE "
                                       "transaction_type = 'staking_reward'")) > 10);
    QVERIFY(count(m_db, QStringLiteral("SELECT count(DISTINCT transaction_type) FROM "
                                       "tax_transactions")) >= 10);
    // The last row a little before the clock, the first about the ledger's span earlier.
    const QStringList span =
        dump(m_db, QStringLiteral("SELECT min(timestamp), max(timestamp) FROM tax_transactions"))
            .constFirst()
            .split(QLatin1Char('|'));
    const Timestamp first = *Timestamp::parse(span.at(0));
    const Timestamp last = *Timestamp::parse(span.at(1));
    const qint64 hour = 3600LL * 1000000;
    QCOMPARE(last.microsecondsSinceEpoch(), demoClock().microsecondsSinceEpoch() - 2 * hour);
    const qint64 days =
        (last.microsecondsSinceEpoch() - first.microsecondsSinceEpoch()) / (24 * hour);
    QVERIFY2(days > kLedgerDays * 8 / 10 && days < kLedgerDays * 12 / 10,
             qPrintable(QString::number(days)));
    // Recent activity: rows in the last two weeks.
    QVERIFY(count(m_db, QStringLiteral("SELECT count(*) FROM tax_transactions WHERE timestamp >= "
                                       "'2025-06-01T00:00:00.000000Z'")) > 10);
}

void TestDemoData::deterministicForASeed_data() {
    QTest::addColumn<QString>("sql");
    QTest::newRow("tax_transactions")
        << "SELECT id, timestamp, transaction_type, wallet, chain_id, asset_in_symbol, "
           "asset_in_amount, asset_in_value_usd, asset_out_symbol, asset_out_amount, fee_amount "
           "FROM tax_transactions ORDER BY id";
    QTest::newRow("portfolio_assets")
        << "SELECT id, asset_symbol, asset_type, balance, balance_usd, cost_basis_usd, "
           "unrealized_pnl_percentage, metadata FROM portfolio_assets ORDER BY id";
    QTest::newRow("portfolio_snapshots")
        << "SELECT id, timestamp, total_value_usd, daily_pnl_usd, total_pnl_usd, "
           "allocation_by_chain FROM portfolio_snapshots ORDER BY timestamp";
    QTest::newRow("prices") << "SELECT asset_symbol, timestamp, price_usd FROM prices";
    QTest::newRow("alert_history")
        << "SELECT id, alert_rule_id, timestamp, triggered_value FROM alert_history ORDER BY id";
    QTest::newRow("gas_predictions")
        << "SELECT id, chain_id, predicted_medium, actual_gas_price FROM gas_predictions "
           "ORDER BY id";
}

void TestDemoData::deterministicForASeed() {
    QFETCH(QString, sql);
    QSqlDatabase& same = m_same;
    QSqlDatabase& other = m_other;
    if (!same.isValid()) {
        same = openVault(QStringLiteral("demo-same"));
        other = openVault(QStringLiteral("demo-other"));
        // The owner's id is the vault's own: give both the main vault's, as a synced vault has.
        for (QSqlDatabase* db : {&same, &other}) {
            QSqlQuery q(*db);
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
            q.addBindValue(m_summary.userId);
            q.addBindValue(LocalUser::placeholderEmail());
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }
        QVERIFY(demo::DemoData::populate(same, smallOptions()).ok());
        QVERIFY(demo::DemoData::populate(other, smallOptions(8)).ok());
    }
    const QStringList expected = dump(m_db, sql);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(dump(same, sql), expected);
    QVERIFY(dump(other, sql) != expected);
}

void TestDemoData::snapshotOfTodayEqualsHoldings() {
    PortfolioRepository portfolio(m_db);
    auto latest = portfolio.latestSnapshot(m_summary.userId);
    QVERIFY2(latest.ok(), qPrintable(latest.error()));
    QVERIFY(latest->has_value());
    const PortfolioSnapshot& s = **latest;
    QCOMPARE(s.snapshotDate, QStringLiteral("2025-06-15"));
    QCOMPARE(s.timestamp, demoClock());
    auto assets = portfolio.assets(m_summary.userId);
    QVERIFY(assets.ok());
    Decimal sum;
    QSet<qint64> chains;
    for (const PortfolioAsset& a : *assets) {
        sum += a.balanceUsd;
        chains.insert(a.chainId);
    }
    QVERIFY(sum.isPositive());
    QCOMPARE(s.totalValueUsd.toString(), sum.toString());
    QCOMPARE(m_summary.portfolioValueUsd, sum);
    QCOMPARE(s.totalAssets, qint64(assets->size()));
    QCOMPARE(s.totalChains, qint64(chains.size()));
    // The allocations split the same total.
    for (const std::optional<QString>& json : {s.allocationByAssetType, s.allocationByChain}) {
        QVERIFY(json);
        const QJsonObject o = QJsonDocument::fromJson(json->toUtf8()).object();
        Decimal parts;
        for (auto it = o.begin(); it != o.end(); ++it)
            parts += *Decimal::parse(QStringView(it.value().toString()));
        QCOMPARE(parts, s.totalValueUsd);
    }
    // Yesterday's close plus today's PnL and flows is today's value: check the day chain holds.
    auto window = portfolio.snapshots(m_summary.userId, std::nullopt, std::nullopt);
    QVERIFY(window.ok());
    QCOMPARE(window->size(), kSnapshotDays);
    for (const PortfolioSnapshot& day : *window) {
        QVERIFY(day.dailyPnlUsd.has_value());
        QVERIFY(day.totalPnlUsd.has_value());
        QCOMPARE(day.dailyPnlUsd->scale() <= 2, true);
    }
}

void TestDemoData::holdingsAreExact() {
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT asset_symbol, asset_type, protocol_name, balance, "
                                  "price_usd, balance_usd, cost_basis_usd, unrealized_pnl_usd, "
                                  "unrealized_pnl_percentage FROM portfolio_assets")));
    int staked = 0;
    int rowsSeen = 0;
    while (q.next()) {
        ++rowsSeen;
        const Decimal balance = dec(q.value(3));
        const Decimal price = dec(q.value(4));
        const Decimal value = dec(q.value(5));
        const Decimal basis = dec(q.value(6));
        const Decimal pnl = dec(q.value(7));
        QVERIFY(balance.isPositive() && price.isPositive());
        QCOMPARE(value, (balance * price).round(2, RoundingMode::HalfUp));
        QVERIFY(basis.fitsPrecision(20, 2));
        QCOMPARE(pnl, value - basis);
        if (!q.isNull(8)) {
            const Decimal pct = dec(q.value(8));
            QCOMPARE(pct, (pnl * Decimal::fromInt(100)).divided(basis, 6, RoundingMode::HalfEven));
        } else {
            QVERIFY(basis.isZero() || !(pnl * Decimal::fromInt(100))
                                           .divided(basis, 6, RoundingMode::HalfEven)
                                           .fitsPrecision(10, 6));
        }
        if (q.value(1).toString() != QLatin1String("token")) {
            ++staked;
            QVERIFY(!q.value(2).toString().isEmpty());
        }
    }
    QVERIFY(rowsSeen > 0);
    QVERIFY(staked >= 1);
}

void TestDemoData::pricesFollowTheLedger() {
    ReferenceDataRepository reference(m_db);
    // The last ETH trade with a price: the daily price of its day is that price or a later
    // trade's on the same day.
    const QStringList last =
        dump(m_db, QStringLiteral("SELECT timestamp, asset_in_price_usd FROM tax_transactions "
                                  "WHERE asset_in_symbol = 'ETH' AND asset_in_price_usd IS NOT "
                                  "NULL ORDER BY timestamp DESC LIMIT 1"));
    QCOMPARE(last.size(), 1);
    const QStringList parts = last.constFirst().split(QLatin1Char('|'));
    const Timestamp when = *Timestamp::parse(parts.at(0));
    auto atTrade = reference.priceAt(QStringLiteral("ETH"), demoClock());
    QVERIFY2(atTrade.ok(), qPrintable(atTrade.error()));
    QVERIFY(atTrade->has_value());
    const QStringList sameDayLater = dump(
        m_db, QStringLiteral("SELECT count(*) FROM tax_transactions WHERE timestamp > '%1' AND "
                             "(asset_out_symbol = 'ETH' AND asset_out_price_usd IS NOT NULL)")
                  .arg(when.toString()));
    if (sameDayLater.constFirst() == QLatin1String("0"))
        QCOMPARE((*atTrade)->priceUsd, dec(parts.at(1)));
    // Stablecoins at 1 every day; every asset priced every day from its first trade on.
    auto usdc = reference.priceSeries(QStringLiteral("USDC"), std::nullopt, std::nullopt);
    QVERIFY(usdc.ok());
    QVERIFY(usdc->size() > kLedgerDays * 8 / 10);
    for (const PricePoint& p : *usdc)
        QCOMPARE(p.priceUsd, Decimal::fromInt(1));
    for (qsizetype i = 1; i < usdc->size(); ++i)
        QCOMPARE(usdc->at(i).timestamp.microsecondsSinceEpoch() -
                         usdc->at(i - 1).timestamp.microsecondsSinceEpoch() <=
                     24LL * 3600 * 1000000,
                 true);
    auto assets = reference.pricedAssets();
    QVERIFY(assets.ok());
    QCOMPARE(assets->size(), 20);
    // Today's price stands at the clock.
    QCOMPARE(usdc->constLast().timestamp, demoClock());
}

void TestDemoData::alertsAreVaried() {
    QVERIFY(count(m_db, QStringLiteral("SELECT count(DISTINCT alert_type) FROM alert_rules")) >= 4);
    QCOMPARE(count(m_db, QStringLiteral("SELECT count(*) FROM alert_rules WHERE is_paused = 1")),
             1);
    QVERIFY(count(m_db, QStringLiteral("SELECT count(*) FROM alert_rules WHERE is_active = 1 AND "
                                       "is_paused = 0")) >= 4);
    QVERIFY(count(m_db, QStringLiteral("SELECT count(DISTINCT severity) FROM alert_history")) >= 2);
    // Each rule's counters follow its history.
    QCOMPARE(count(m_db, QStringLiteral(
                             "SELECT count(*) FROM alert_rules r WHERE trigger_count_total <> "
                             "(SELECT count(*) FROM alert_history h WHERE h.alert_rule_id = r.id) "
                             "OR coalesce(last_triggered_at, '') <> coalesce((SELECT "
                             "max(timestamp) FROM alert_history h WHERE h.alert_rule_id = r.id), "
                             "'')")),
             0);
    // History within the last months and never in the future.
    QCOMPARE(count(m_db, QStringLiteral("SELECT count(*) FROM alert_history WHERE timestamp > '") +
                             demoClock().toString() +
                             QStringLiteral("' OR timestamp < '2025-01-01T00:00:00.000000Z'")),
             0);
}

void TestDemoData::outboxOnlyForUserTables() {
    // The synced user tables record their inserts; alert_history is pull-only (the server
    // writes it) and the reference tables are never pushed.
    for (const char* table :
         {"tax_transactions", "portfolio_assets", "portfolio_snapshots", "alert_rules"}) {
        const qint64 n = count(m_db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE "
                                                    "table_name = '%1' AND operation = 'insert'")
                                         .arg(QLatin1String(table)));
        QCOMPARE(n, rows(m_db, table));
    }
    QCOMPARE(count(m_db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE table_name IN "
                                        "('alert_history', 'prices', 'gas_predictions', "
                                        "'predictions', 'protocol_health')")),
             0);
}

void TestDemoData::runningTwiceRefuses() {
    const QMap<QString, qint64> before = allCounts(m_db);
    Result<demo::DemoSummary> again = demo::DemoData::populate(m_db, smallOptions());
    QVERIFY(!again.ok());
    QVERIFY2(again.error().contains(QStringLiteral("already has")), qPrintable(again.error()));
    QCOMPARE(allCounts(m_db), before);
    // Asked to add, the same seed's ids collide: refused as a whole.
    demo::DemoOptions add = smallOptions();
    add.addToExisting = true;
    again = demo::DemoData::populate(m_db, add);
    QVERIFY(!again.ok());
    QCOMPARE(allCounts(m_db), before);
}

void TestDemoData::addingWithAnotherSeed() {
    QSqlDatabase db = openVault(QStringLiteral("demo-add"));
    demo::DemoOptions o = smallOptions(11);
    o.transactions = 300;
    QVERIFY(demo::DemoData::populate(db, o).ok());
    const qint64 snapshots = rows(db, "portfolio_snapshots");
    const qint64 transactions = rows(db, "tax_transactions");
    o.seed = 12;
    o.addToExisting = true;
    Result<demo::DemoSummary> added = demo::DemoData::populate(db, o);
    QVERIFY2(added.ok(), qPrintable(added.error()));
    QCOMPARE(rows(db, "tax_transactions"), transactions + added->transactions);
    // Days that had a snapshot keep it.
    QCOMPARE(added->snapshots, 0);
    QCOMPARE(rows(db, "portfolio_snapshots"), snapshots);
}

void TestDemoData::cancelLeavesVaultUnchanged_data() {
    QTest::addColumn<int>("cancelAt"); // percent at which the flag is set
    QTest::newRow("before the start") << -1;
    QTest::newRow("while writing transactions") << 20;
    QTest::newRow("after the ledger") << 72;
    QTest::newRow("while writing alerts") << 95;
}

void TestDemoData::cancelLeavesVaultUnchanged() {
    QFETCH(int, cancelAt);
    const QString name = QStringLiteral("demo-cancel-%1").arg(cancelAt + 1);
    QSqlDatabase db = openVault(name);
    QVERIFY(db.isOpen());
    QVERIFY(LocalUser::ensure(db).ok()); // the owner exists before, as after any first use
    const QMap<QString, qint64> before = allCounts(db);
    std::atomic<bool> cancel{cancelAt < 0};
    demo::DemoOptions o = smallOptions();
    o.cancel = &cancel;
    bool reached = cancelAt < 0;
    o.progress = [&](int percent, const QString&) {
        if (percent >= cancelAt && cancelAt >= 0) {
            cancel = true;
            reached = true;
        }
    };
    Result<demo::DemoSummary> s = demo::DemoData::populate(db, o);
    QVERIFY(reached);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("cancelled")), qPrintable(s.error()));
    QCOMPARE(allCounts(db), before);
    // The vault is usable afterwards.
    cancel = false;
    o.cancel = nullptr;
    o.progress = nullptr;
    o.transactions = 200;
    QVERIFY(demo::DemoData::populate(db, o).ok());
}

void TestDemoData::badOptionsAreRefused_data() {
    QTest::addColumn<qint64>("transactions");
    QTest::addColumn<int>("ledgerDays");
    QTest::addColumn<int>("snapshotDays");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no transactions") << qint64(0) << 400 << 200 << "transactions";
    QTest::newRow("ledger too short") << qint64(10) << 7 << 5 << "ledger";
    QTest::newRow("snapshots beyond the ledger") << qint64(10) << 100 << 101 << "snapshot";
}

void TestDemoData::badOptionsAreRefused() {
    QFETCH(qint64, transactions);
    QFETCH(int, ledgerDays);
    QFETCH(int, snapshotDays);
    QFETCH(QString, expected);
    const QMap<QString, qint64> before = allCounts(m_db);
    demo::DemoOptions o = smallOptions();
    o.transactions = transactions;
    o.ledgerDays = ledgerDays;
    o.snapshotDays = snapshotDays;
    Result<demo::DemoSummary> s = demo::DemoData::populate(m_db, o);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(expected), qPrintable(s.error()));
    QCOMPARE(allCounts(m_db), before);
}

QTEST_GUILESS_MAIN(TestDemoData)
#include "TestDemoData.moc"
