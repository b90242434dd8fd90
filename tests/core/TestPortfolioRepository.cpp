#include "TestSupport.h"

#include "domain/Uuid.h"
#include "store/Migrator.h"
#include "store/PortfolioRepository.h"
#include "store/SqlCipherDriver.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <memory>

Q_DECLARE_METATYPE(llamadesk::PortfolioAsset)
Q_DECLARE_METATYPE(llamadesk::PortfolioSnapshot)

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("66666666-2222-4333-8444-555555555555");

Decimal dec(const char* text) {
    Result<Decimal> d = Decimal::parse(QStringView(QString::fromLatin1(text)));
    if (!d)
        qFatal("bad decimal in test data: %s", text);
    return *d;
}

Timestamp ts(const char* text) {
    Result<Timestamp> t = Timestamp::parse(QStringView(QString::fromLatin1(text)));
    if (!t)
        qFatal("bad timestamp in test data: %s", text);
    return *t;
}

PortfolioAsset token(const char* symbol, const char* balanceUsd) {
    PortfolioAsset a;
    a.id = newUuid();
    a.userId = kUser;
    a.assetSymbol = QLatin1String(symbol);
    a.chainId = 1;
    a.balance = dec("1.25");
    a.balanceUsd = dec(balanceUsd);
    a.lastUpdatedAt = ts("2025-01-01T00:00:00.000000Z");
    a.createdAt = ts("2025-01-01T00:00:00.000000Z");
    a.updatedAt = ts("2025-01-01T00:00:00.000000Z");
    return a;
}

PortfolioSnapshot snapshot(const char* when, const char* value) {
    PortfolioSnapshot s;
    s.id = newUuid();
    s.userId = kUser;
    s.totalValueUsd = dec(value);
    s.totalAssets = 3;
    s.totalChains = 2;
    s.totalProtocols = 1;
    s.timestamp = ts(when);
    s.snapshotDate = QString::fromLatin1(when).left(10);
    s.updatedAt = s.timestamp;
    return s;
}

qint64 outboxCount(const QSqlDatabase& db, const char* operation) {
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE table_name = "
                             "'portfolio_assets' AND operation = ?"));
    q.addBindValue(QLatin1String(operation));
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

class TestPortfolioRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void assetRoundTrip_data();
    void assetRoundTrip();
    void assetValidation_data();
    void assetValidation();
    void upsertInsertsThenUpdates();
    void upsertManyIsAllOrNothing();
    void assetsOrderedByExactValue();
    void softDeletedAssetComesBack();
    void snapshotRoundTrip_data();
    void snapshotRoundTrip();
    void snapshotKeyIsUnique();
    void snapshotRange();

private:
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    std::unique_ptr<PortfolioRepository> m_repo;
};

void TestPortfolioRepository::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("portfolio-repo"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(kUser);
    q.addBindValue(QStringLiteral("portfolio@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    m_repo = std::make_unique<PortfolioRepository>(m_db);
}

void TestPortfolioRepository::cleanupTestCase() {
    m_repo.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("portfolio-repo"));
}

void TestPortfolioRepository::init() {
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM portfolio_assets")));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM portfolio_snapshots")));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM sync_outbox")));
}

void TestPortfolioRepository::assetRoundTrip_data() {
    QTest::addColumn<PortfolioAsset>("asset");
    QTest::newRow("token, optionals NULL") << token("ETH", "3000.5");

    PortfolioAsset lp = token("UNI-V3", "999999999999999999.99");
    lp.assetType = AssetType::LpPosition;
    lp.assetSymbol.reset();
    lp.assetName = QStringLiteral("ETH/USDC 0.05% — range 2800–3400");
    lp.assetAddress = QStringLiteral("0x") + QString(64, QLatin1Char('1'));
    lp.chainId = 42161;
    lp.protocolName = QStringLiteral("Uniswap v3");
    lp.protocolAddress = QStringLiteral("0x") + QString(40, QLatin1Char('2'));
    lp.balance = dec("999999999999.999999999999999999");
    lp.priceUsd = dec("0.00000001");
    lp.costBasisUsd = dec("0.01");
    lp.unrealizedPnlUsd = dec("-999999999999999999.99");
    lp.unrealizedPnlPercentage = dec("-9999.999999");
    lp.metadata = QStringLiteral("{\"tickLower\":-200000,\"fee\":\"0.0005\"}");
    lp.firstAcquiredAt = ts("2021-05-05T05:05:05.000005Z");
    lp.deletedAt = ts("2025-02-02T00:00:00.000000Z");
    QTest::newRow("LP position, every field, extremes") << lp;
}

void TestPortfolioRepository::assetRoundTrip() {
    QFETCH(PortfolioAsset, asset);
    QVERIFY2(asset.validate().isEmpty(), qPrintable(asset.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->upsertAsset(asset);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    Result<std::optional<PortfolioAsset>> back = m_repo->asset(asset.id);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back->has_value());
    QCOMPARE((*back)->balance, asset.balance);
    QCOMPARE((*back)->unrealizedPnlPercentage, asset.unrealizedPnlPercentage);
    QCOMPARE((*back)->metadata, asset.metadata);
    QVERIFY(**back == asset);
}

void TestPortfolioRepository::assetValidation_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no symbol, no address") << "anonymous"
                                           << "asset_symbol";
    QTest::newRow("symbol 21 chars") << "symbol"
                                     << "asset_symbol";
    QTest::newRow("address 67 chars") << "address"
                                      << "asset_address";
    QTest::newRow("balance negative") << "balance"
                                      << "balance";
    QTest::newRow("balance_usd 3 decimals") << "balanceUsd"
                                            << "balance_usd";
    QTest::newRow("percentage 7 decimals") << "percentage"
                                           << "unrealized_pnl_percentage";
    QTest::newRow("percentage 5 integer digits") << "percentageLarge"
                                                 << "unrealized_pnl_percentage";
    QTest::newRow("staked without protocol") << "staked"
                                             << "protocol_name";
    QTest::newRow("metadata not JSON") << "metadata"
                                       << "metadata";
    QTest::newRow("chain missing") << "chain"
                                   << "chain_id";
}

void TestPortfolioRepository::assetValidation() {
    QFETCH(QString, change);
    QFETCH(QString, expected);
    PortfolioAsset a = token("ETH", "1");
    QVERIFY(a.validate().isEmpty());
    if (change == QLatin1String("anonymous"))
        a.assetSymbol.reset();
    else if (change == QLatin1String("symbol"))
        a.assetSymbol = QString(21, QLatin1Char('S'));
    else if (change == QLatin1String("address"))
        a.assetAddress = QString(67, QLatin1Char('a'));
    else if (change == QLatin1String("balance"))
        a.balance = dec("-0.1");
    else if (change == QLatin1String("balanceUsd"))
        a.balanceUsd = dec("0.001");
    else if (change == QLatin1String("percentage"))
        a.unrealizedPnlPercentage = dec("1.0000001");
    else if (change == QLatin1String("percentageLarge"))
        a.unrealizedPnlPercentage = dec("10000");
    else if (change == QLatin1String("staked"))
        a.assetType = AssetType::Staked;
    else if (change == QLatin1String("metadata"))
        a.metadata = QStringLiteral("{oops}");
    else if (change == QLatin1String("chain"))
        a.chainId = 0;
    else
        QFAIL("unknown change");
    const QStringList errors = a.validate();
    QVERIFY2(!errors.isEmpty(), "the change must be refused");
    QVERIFY2(std::any_of(errors.begin(), errors.end(),
                         [&](const QString& e) { return e.contains(expected); }),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY(!m_repo->upsertAsset(a).ok());
}

void TestPortfolioRepository::upsertInsertsThenUpdates() {
    PortfolioAsset a = token("ETH", "3000");
    QVERIFY(m_repo->upsertAsset(a).ok());
    a.balance = dec("2.5");
    a.balanceUsd = dec("6000.01");
    a.priceUsd = dec("2400.004");
    QVERIFY(m_repo->upsertAsset(a).ok());
    const QList<PortfolioAsset> all = m_repo->assets(kUser).value();
    QCOMPARE(all.size(), qsizetype(1));
    QCOMPARE(all.first().balance, dec("2.5"));
    QCOMPARE(all.first().priceUsd, dec("2400.004"));
    QCOMPARE(all.first().createdAt, a.createdAt); // kept by the update
    // Sync sees an insert and an update, never a delete (what INSERT OR REPLACE would cause).
    QCOMPARE(outboxCount(m_db, "insert"), 1LL);
    QCOMPARE(outboxCount(m_db, "update"), 1LL);
    QCOMPARE(outboxCount(m_db, "delete"), 0LL);
}

void TestPortfolioRepository::upsertManyIsAllOrNothing() {
    const PortfolioAsset kept = token("BTC", "50000");
    QVERIFY(m_repo->upsertAsset(kept).ok());
    PortfolioAsset changed = kept;
    changed.balanceUsd = dec("1");
    PortfolioAsset clash = token("SOL", "10");
    QSqlQuery q(m_db); // a row of another user with the id the batch will use
    QVERIFY(q.exec(QStringLiteral("INSERT INTO users (id, email) VALUES "
                                  "('77777777-2222-4333-8444-555555555555', 'x@example.org')")));
    PortfolioAsset foreign = token("ARB", "5");
    foreign.userId = QStringLiteral("77777777-2222-4333-8444-555555555555");
    QVERIFY(m_repo->upsertAsset(foreign).ok());
    clash.id = foreign.id; // belongs to someone else: the INSERT fails on the primary key
    const Status s = m_repo->upsertAssets({changed, token("OP", "3"), clash});
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QLatin1String("PortfolioRepository")), qPrintable(s.error()));
    const QList<PortfolioAsset> mine = m_repo->assets(kUser).value();
    QCOMPARE(mine.size(), qsizetype(1));
    QCOMPARE(mine.first().balanceUsd, dec("50000")); // the update in the batch was undone
}

void TestPortfolioRepository::assetsOrderedByExactValue() {
    // As text "9.99" > "10000" > "1000.5"; by value the order is the other way round.
    const PortfolioAsset small = token("DAI", "9.99");
    const PortfolioAsset big = token("ETH", "10000");
    const PortfolioAsset middle = token("SOL", "1000.5");
    const PortfolioAsset tieA = token("AAA", "5");
    const PortfolioAsset tieB = token("BBB", "5.00");
    QVERIFY(m_repo->upsertAssets({small, big, middle, tieA, tieB}).ok());
    QStringList symbols;
    const QList<PortfolioAsset> all = m_repo->assets(kUser).value();
    for (const PortfolioAsset& a : all)
        symbols << *a.assetSymbol;
    QCOMPARE(symbols.mid(0, 3),
             (QStringList{QStringLiteral("ETH"), QStringLiteral("SOL"), QStringLiteral("DAI")}));
    QCOMPARE(symbols.size(), qsizetype(5));
}

void TestPortfolioRepository::softDeletedAssetComesBack() {
    const PortfolioAsset a = token("ETH", "1");
    QVERIFY(m_repo->upsertAsset(a).ok());
    QVERIFY(m_repo->softDeleteAsset(a.id).ok());
    QVERIFY(m_repo->assets(kUser).value().isEmpty());
    QVERIFY(!m_repo->softDeleteAsset(a.id).ok());
    QVERIFY(m_repo->upsertAsset(a).ok());
    QCOMPARE(m_repo->assets(kUser).value().size(), qsizetype(1));
}

void TestPortfolioRepository::snapshotRoundTrip_data() {
    QTest::addColumn<PortfolioSnapshot>("snap");
    QTest::newRow("required only") << snapshot("2025-03-01T00:00:00.000000Z", "0");
    PortfolioSnapshot full = snapshot("2025-03-02T00:00:00.000000Z", "999999999999999999.99");
    full.dailyPnlUsd = dec("-123.45");
    full.dailyPnlPercentage = dec("-0.000001");
    full.totalPnlUsd = dec("0.01");
    full.totalPnlPercentage = dec("9999.999999");
    full.sharpeRatio = dec("-1.5");
    full.maxDrawdown = dec("0.25");
    full.volatility = dec("0.123456");
    full.allocationByAssetType = QStringLiteral("{\"tokens\":\"60.5\",\"nfts\":\"39.5\"}");
    full.allocationByChain = QStringLiteral("{\"ethereum\":\"100\"}");
    full.allocationByProtocol = QStringLiteral("{}");
    full.deletedAt = ts("2025-04-01T00:00:00.000000Z");
    QTest::newRow("every field") << full;
}

void TestPortfolioRepository::snapshotRoundTrip() {
    QFETCH(PortfolioSnapshot, snap);
    QVERIFY2(snap.validate().isEmpty(), qPrintable(snap.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->insertSnapshot(snap);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    // Soft-deleted snapshots are not listed; read the row through the range of all of them.
    QSqlQuery q(m_db);
    QVERIFY(
        q.prepare(QStringLiteral("UPDATE portfolio_snapshots SET deleted_at = NULL WHERE id = ?")));
    q.addBindValue(snap.id);
    QVERIFY(q.exec());
    const QList<PortfolioSnapshot> all =
        m_repo->snapshots(kUser, std::nullopt, std::nullopt).value();
    QCOMPARE(all.size(), qsizetype(1));
    PortfolioSnapshot expected = snap;
    expected.deletedAt.reset();
    QCOMPARE(all.first().totalValueUsd, expected.totalValueUsd);
    QCOMPARE(all.first().allocationByAssetType, expected.allocationByAssetType);
    QVERIFY(all.first() == expected);
}

void TestPortfolioRepository::snapshotKeyIsUnique() {
    QVERIFY(m_repo->insertSnapshot(snapshot("2025-03-01T00:00:00.000000Z", "1")).ok());
    const Status s = m_repo->insertSnapshot(snapshot("2025-03-01T00:00:00.000000Z", "2"));
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QLatin1String("UNIQUE")) ||
                 s.error().contains(QLatin1String("unique")),
             qPrintable(s.error()));
    PortfolioSnapshot bad = snapshot("2025-03-02T00:00:00.000000Z", "1");
    bad.snapshotDate = QStringLiteral("2025-02-30");
    const Status refused = m_repo->insertSnapshot(bad);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("snapshot_date")), qPrintable(refused.error()));
}

void TestPortfolioRepository::snapshotRange() {
    const PortfolioSnapshot a = snapshot("2025-03-01T00:00:00.000000Z", "1");
    const PortfolioSnapshot b = snapshot("2025-03-02T00:00:00.000000Z", "2");
    const PortfolioSnapshot c = snapshot("2025-03-03T00:00:00.000000Z", "3");
    for (const PortfolioSnapshot& s : {c, a, b})
        QVERIFY(m_repo->insertSnapshot(s).ok());
    const auto ids = [](const QList<PortfolioSnapshot>& list) {
        QStringList out;
        for (const PortfolioSnapshot& s : list)
            out << s.id;
        return out;
    };
    QCOMPARE(ids(m_repo->snapshots(kUser, std::nullopt, std::nullopt).value()),
             (QStringList{a.id, b.id, c.id}));
    QCOMPARE(ids(m_repo->snapshots(kUser, b.timestamp, std::nullopt).value()),
             (QStringList{b.id, c.id}));
    QCOMPARE(ids(m_repo->snapshots(kUser, std::nullopt, b.timestamp).value()), QStringList{a.id});
    QCOMPARE(m_repo->latestSnapshot(kUser).value()->id, c.id);
    QVERIFY(!m_repo->latestSnapshot(newUuid()).value().has_value());
}

QTEST_GUILESS_MAIN(TestPortfolioRepository)
#include "TestPortfolioRepository.moc"
