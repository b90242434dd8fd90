#include "TaxTestLedgers.h"
#include "TestSupport.h"

#include "demo/DemoData.h"
#include "domain/Uuid.h"
#include "portfolio/PortfolioSummary.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::portfolio;

// The headline figures on a real vault: hand-inserted holdings and snapshots whose totals are
// known, and a sample vault whose total must equal the sum of its holdings.
class TestPortfolioSummary : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void totals();
    void changeOverRange_data();
    void changeOverRange();
    void allocation_data();
    void allocation();
    void walletsFromMetadata();
    void downsampleKeepsExtremes();
    void demoVaultTotalIsTheSumOfHoldings();

private:
    std::unique_ptr<vault::Vault> makeVault(const QString& name);
    QList<PortfolioAsset> assets();
    QList<ValuePoint> history();

    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<vault::Vault> m_vault;
    QString m_owner;
    Timestamp m_now;
};

namespace {

Decimal dec(const char* text) {
    return Decimal::parse(QString::fromLatin1(text)).value();
}

Timestamp at(const char* text) {
    return Timestamp::parse(QString::fromLatin1(text)).value();
}

} // namespace

std::unique_ptr<vault::Vault> TestPortfolioSummary::makeVault(const QString& name) {
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = QStringLiteral("portfolio summary passphrase 1");
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    auto made =
        vault::Vault::create(m_dir.filePath(name), options, m_secrets, nullptr, &error, &message);
    if (!made)
        qFatal("cannot create the vault: %s", qPrintable(message));
    return made;
}

void TestPortfolioSummary::initTestCase() {
    m_vault = makeVault(QStringLiteral("summary.llamadesk"));
    const QSqlDatabase db = m_vault->database();
    const Result<QString> owner = store::LocalUser::ensure(db);
    QVERIFY2(owner.ok(), qPrintable(owner.error()));
    m_owner = owner.value();
    m_now = at("2025-06-30T12:00:00Z");

    struct Row {
        const char* symbol;
        AssetType type;
        qint64 chain;
        const char* protocol;
        const char* value;
        const char* basis;
        const char* wallets;
    };
    const Row rows[] = {
        {"ETH", AssetType::Token, 1, nullptr, "6000.10", "4000.00",
         R"({"wallets":["hot","cold"]})"},
        {"stETH", AssetType::Staked, 1, "Lido", "3000.25", "3500.50", R"({"wallets":["cold"]})"},
        {"USDC", AssetType::Lending, 42161, "Aave", "999.65", nullptr, nullptr},
    };
    QList<PortfolioAsset> list;
    for (const Row& r : rows) {
        PortfolioAsset a;
        a.id = newUuid();
        a.userId = m_owner;
        a.assetType = r.type;
        a.assetSymbol = QString::fromLatin1(r.symbol);
        a.chainId = r.chain;
        if (r.protocol)
            a.protocolName = QString::fromLatin1(r.protocol);
        a.balance = Decimal::fromInt(1);
        a.balanceUsd = dec(r.value);
        if (r.basis)
            a.costBasisUsd = dec(r.basis);
        if (r.wallets)
            a.metadata = QString::fromLatin1(r.wallets);
        list.append(a);
    }
    store::PortfolioRepository repository(db);
    QVERIFY(repository.upsertAssets(list).ok());

    const struct {
        const char* when;
        const char* value;
    } snaps[] = {
        {"2024-01-01T23:59:59Z", "5000.00"},  {"2025-06-01T23:59:59Z", "8000.00"},
        {"2025-06-22T23:59:59Z", "9500.00"},  {"2025-06-23T12:00:00Z", "9800.00"},
        {"2025-06-29T23:59:59Z", "10100.00"},
    };
    for (const auto& s : snaps) {
        PortfolioSnapshot row;
        row.id = newUuid();
        row.userId = m_owner;
        row.totalValueUsd = dec(s.value);
        row.timestamp = at(s.when);
        row.snapshotDate = row.timestamp.dateIn(QTimeZone::utc()).toString(Qt::ISODate);
        QVERIFY(repository.insertSnapshot(row).ok());
    }
}

void TestPortfolioSummary::cleanupTestCase() {
    if (m_vault)
        m_vault->close();
}

QList<PortfolioAsset> TestPortfolioSummary::assets() {
    store::PortfolioRepository repository(m_vault->database());
    const Result<QList<PortfolioAsset>> list = repository.assets(m_owner);
    if (!list)
        qFatal("%s", qPrintable(list.error()));
    return list.value();
}

QList<ValuePoint> TestPortfolioSummary::history() {
    const Result<QList<ValuePoint>> h = PortfolioSummary::loadHistory(m_vault->database(), m_owner);
    if (!h)
        qFatal("%s", qPrintable(h.error()));
    return h.value();
}

void TestPortfolioSummary::totals() {
    const PortfolioSummary s =
        PortfolioSummary::compute(assets(), history(), ValueRange::Week, m_now);
    QCOMPARE(s.totalValue, dec("10000.00"));
    QCOMPARE(s.costBasis, dec("7500.50"));
    // (6000.10 - 4000.00) + (3000.25 - 3500.50); the holding without a basis counts for none.
    QCOMPARE(s.unrealizedPnl, dec("1499.85"));
    QCOMPARE(s.unrealizedRatio->round(6, RoundingMode::HalfEven), dec("0.199967"));
    QCOMPARE(s.assetCount, 3);
    QCOMPARE(s.chainCount, 2);
    QCOMPARE(s.protocolCount, 2);
}

void TestPortfolioSummary::changeOverRange_data() {
    QTest::addColumn<int>("range");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("change");
    QTest::addColumn<int>("points");
    // Week: starts 2025-06-23T12:00:00Z, exactly a snapshot: that one is the baseline.
    QTest::newRow("1W") << int(ValueRange::Week) << "2025-06-23T12:00:00.000000Z"
                        << "200" << 2;
    // Month: starts 2025-05-31T12:00Z, no snapshot there: the one just before (2024-01-01).
    QTest::newRow("1M") << int(ValueRange::Month) << "2024-01-01T23:59:59.000000Z"
                        << "5000" << 5;
    QTest::newRow("1Y") << int(ValueRange::Year) << "2024-01-01T23:59:59.000000Z"
                        << "5000" << 5;
    QTest::newRow("All") << int(ValueRange::All) << "2024-01-01T23:59:59.000000Z"
                         << "5000" << 5;
}

void TestPortfolioSummary::changeOverRange() {
    QFETCH(int, range);
    QFETCH(QString, from);
    QFETCH(QString, change);
    QFETCH(int, points);
    const auto r = ValueRange(range);
    const PortfolioSummary s = PortfolioSummary::compute(assets(), history(), r, m_now);
    QVERIFY(s.change && s.changeFrom);
    QCOMPARE(s.changeFrom->toString(), from);
    QCOMPARE(*s.change, Decimal::parse(change).value());
    QCOMPARE(int(PortfolioSummary::inRange(history(), r, m_now).size()), points);
}

void TestPortfolioSummary::allocation_data() {
    QTest::addColumn<int>("by");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QStringList>("ratios");
    QTest::newRow("type") << int(AllocationBy::AssetType)
                          << testsupport::strs({"token", "staked", "lending"})
                          << testsupport::strs({"0.60001", "0.300025", "0.099965"});
    QTest::newRow("chain") << int(AllocationBy::Chain) << testsupport::strs({"1", "42161"})
                           << testsupport::strs({"0.900035", "0.099965"});
    QTest::newRow("protocol") << int(AllocationBy::Protocol)
                              << testsupport::strs({"", "Lido", "Aave"})
                              << testsupport::strs({"0.60001", "0.300025", "0.099965"});
}

void TestPortfolioSummary::allocation() {
    QFETCH(int, by);
    QFETCH(QStringList, keys);
    QFETCH(QStringList, ratios);
    const QList<AllocationSlice> slices = PortfolioSummary::allocation(assets(), AllocationBy(by));
    QCOMPARE(slices.size(), keys.size());
    Decimal sum;
    for (qsizetype i = 0; i < slices.size(); ++i) {
        QCOMPARE(slices.at(i).key, keys.at(i));
        QCOMPARE(slices.at(i).ratio, Decimal::parse(ratios.at(i)).value());
        sum += slices.at(i).value;
    }
    QCOMPARE(sum, dec("10000.00"));
}

void TestPortfolioSummary::walletsFromMetadata() {
    QSet<QString> seen;
    for (const PortfolioAsset& a : assets()) {
        for (const QString& w : PortfolioSummary::walletsOf(a))
            seen.insert(w);
    }
    QCOMPARE(seen, (QSet<QString>{QStringLiteral("hot"), QStringLiteral("cold")}));
}

void TestPortfolioSummary::downsampleKeepsExtremes() {
    QList<ValuePoint> points;
    for (int i = 0; i < 10000; ++i) {
        ValuePoint p;
        p.at = Timestamp::fromMicrosecondsSinceEpoch(qint64(i) * 86400000000LL);
        p.value = Decimal::fromInt(1000 + (i % 100));
        points.append(p);
    }
    points[5000].value = Decimal::fromInt(1);       // a crash
    points[7000].value = Decimal::fromInt(1000000); // a spike
    const QList<ValuePoint> small = PortfolioSummary::downsample(points, 400);
    QVERIFY(small.size() <= 402);
    QCOMPARE(small.first().at, points.first().at);
    QCOMPARE(small.last().at, points.last().at);
    bool crash = false;
    bool spike = false;
    for (qsizetype i = 0; i < small.size(); ++i) {
        crash = crash || small.at(i).value == Decimal::fromInt(1);
        spike = spike || small.at(i).value == Decimal::fromInt(1000000);
        if (i > 0)
            QVERIFY(small.at(i - 1).at < small.at(i).at);
    }
    QVERIFY(crash && spike);
}

void TestPortfolioSummary::demoVaultTotalIsTheSumOfHoldings() {
    std::unique_ptr<vault::Vault> demoVault = makeVault(QStringLiteral("demo.llamadesk"));
    demo::DemoOptions options;
    options.transactions = 400;
    options.snapshotDays = 120;
    options.now = m_now;
    const Result<demo::DemoSummary> made = demo::DemoData::populate(demoVault->database(), options);
    QVERIFY2(made.ok(), qPrintable(made.error()));
    store::PortfolioRepository repository(demoVault->database());
    const Result<QList<PortfolioAsset>> list = repository.assets(made->userId);
    QVERIFY(list.ok() && !list->isEmpty());
    const Result<QList<ValuePoint>> h =
        PortfolioSummary::loadHistory(demoVault->database(), made->userId);
    QVERIFY(h.ok());
    QCOMPARE(int(h->size()), 120);
    const PortfolioSummary s =
        PortfolioSummary::compute(list.value(), h.value(), ValueRange::Month, m_now);
    QCOMPARE(s.totalValue, made->portfolioValueUsd);
    Decimal unrealized;
    for (const PortfolioAsset& a : list.value())
        unrealized += a.balanceUsd - a.costBasisUsd.value_or(a.balanceUsd);
    QCOMPARE(s.unrealizedPnl, unrealized);
    // Today's snapshot is the last point; the month's change is measured from 30 days before.
    QVERIFY(s.change.has_value());
    demoVault->close();
}

QTEST_GUILESS_MAIN(TestPortfolioSummary)
#include "TestPortfolioSummary.moc"
