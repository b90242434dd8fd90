#include "TestSupport.h"

#include "domain/Uuid.h"
#include "portfolio/SnapshotRecorder.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QSqlQuery>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::portfolio;

// Snapshots of the holdings into portfolio_snapshots on a real vault: what one holds, at most
// one automatic snapshot a day, any number on demand.
class TestSnapshotRecorder : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void recordsTheHoldings();
    void dailyOnlyOncePerDay_data();
    void dailyOnlyOncePerDay();
    void onDemandAlwaysRecords();
    void riskMetricsFromHistory();

private:
    int snapshotCount();
    void addSnapshot(const char* when, const char* value);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<vault::Vault> m_vault;
    QString m_owner;
};

namespace {

Decimal dec(const char* text) {
    return Decimal::parse(QString::fromLatin1(text)).value();
}

Timestamp at(const char* text) {
    return Timestamp::parse(QString::fromLatin1(text)).value();
}

} // namespace

void TestSnapshotRecorder::init() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = QStringLiteral("snapshot recorder passphrase 1");
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    m_vault = vault::Vault::create(m_dir->filePath(QStringLiteral("s.llamadesk")), options,
                                   m_secrets, nullptr, &error, &message);
    QVERIFY2(m_vault, qPrintable(message));
    const Result<QString> owner = store::LocalUser::ensure(m_vault->database());
    QVERIFY(owner.ok());
    m_owner = owner.value();

    QList<PortfolioAsset> list;
    const struct {
        const char* symbol;
        qint64 chain;
        const char* protocol;
        const char* value;
        const char* basis;
    } rows[] = {{"BTC", 1, nullptr, "7000.00", "5000.00"},
                {"ETH", 1, "Lido", "2000.00", "2500.00"},
                {"ARB", 42161, nullptr, "1000.00", "500.00"}};
    for (const auto& r : rows) {
        PortfolioAsset a;
        a.id = newUuid();
        a.userId = m_owner;
        a.assetSymbol = QString::fromLatin1(r.symbol);
        a.chainId = r.chain;
        if (r.protocol)
            a.protocolName = QString::fromLatin1(r.protocol);
        a.balance = Decimal::fromInt(1);
        a.balanceUsd = dec(r.value);
        a.costBasisUsd = dec(r.basis);
        list.append(a);
    }
    QVERIFY(store::PortfolioRepository(m_vault->database()).upsertAssets(list).ok());
}

void TestSnapshotRecorder::cleanup() {
    if (m_vault)
        m_vault->close();
    m_vault.reset();
    m_dir.reset();
}

int TestSnapshotRecorder::snapshotCount() {
    QSqlQuery q(m_vault->database());
    q.prepare(QStringLiteral("SELECT count(*) FROM portfolio_snapshots WHERE user_id = ?"));
    q.addBindValue(m_owner);
    if (!q.exec() || !q.next())
        qFatal("cannot count the snapshots");
    return q.value(0).toInt();
}

void TestSnapshotRecorder::addSnapshot(const char* when, const char* value) {
    PortfolioSnapshot s;
    s.id = newUuid();
    s.userId = m_owner;
    s.totalValueUsd = dec(value);
    s.timestamp = at(when);
    s.snapshotDate = s.timestamp.dateIn(QTimeZone::utc()).toString(Qt::ISODate);
    if (!store::PortfolioRepository(m_vault->database()).insertSnapshot(s))
        qFatal("cannot add a snapshot");
}

void TestSnapshotRecorder::recordsTheHoldings() {
    addSnapshot("2025-03-09T23:59:59Z", "9500.00");
    const Result<PortfolioSnapshot> s =
        SnapshotRecorder::record(m_vault->database(), at("2025-03-10T08:30:00Z"));
    QVERIFY2(s.ok(), qPrintable(s.error()));
    store::PortfolioRepository repository(m_vault->database());
    const auto latest = repository.latestSnapshot(m_owner);
    QVERIFY(latest.ok() && latest->has_value());
    const PortfolioSnapshot& row = **latest;
    QCOMPARE(row.id, s->id);
    QCOMPARE(row.totalValueUsd, dec("10000"));
    QCOMPARE(row.totalAssets, 3);
    QCOMPARE(row.totalChains, 2);
    QCOMPARE(row.totalProtocols, 1);
    QCOMPARE(row.snapshotDate, QStringLiteral("2025-03-10"));
    QCOMPARE(*row.dailyPnlUsd, dec("500"));
    QCOMPARE(*row.dailyPnlPercentage, dec("5.263158")); // 500 / 9500 in percent
    QCOMPARE(*row.totalPnlUsd, dec("2000"));
    QCOMPARE(*row.totalPnlPercentage, dec("25")); // 2000 / 8000 in percent
    QCOMPARE(*row.allocationByChain, QStringLiteral(R"({"1":"9000.00","42161":"1000.00"})"));
    QCOMPARE(*row.allocationByProtocol, QStringLiteral(R"({"Lido":"2000.00"})"));
    QCOMPARE(*row.maxDrawdown, dec("0"));
}

void TestSnapshotRecorder::dailyOnlyOncePerDay_data() {
    QTest::addColumn<QString>("existing"); // a snapshot already there, or empty
    QTest::addColumn<QString>("now");
    QTest::addColumn<bool>("recorded");
    QTest::newRow("empty vault") << ""
                                 << "2025-03-10T08:00:00Z" << true;
    QTest::newRow("yesterday only") << "2025-03-09T23:59:59Z"
                                    << "2025-03-10T00:00:01Z" << true;
    QTest::newRow("today already") << "2025-03-10T00:00:00Z"
                                   << "2025-03-10T23:00:00Z" << false;
}

void TestSnapshotRecorder::dailyOnlyOncePerDay() {
    QFETCH(QString, existing);
    QFETCH(QString, now);
    QFETCH(bool, recorded);
    if (!existing.isEmpty())
        addSnapshot(existing.toLatin1().constData(), "9000.00");
    const int before = snapshotCount();
    const Timestamp t = Timestamp::parse(now).value();
    const auto first = SnapshotRecorder::recordDaily(m_vault->database(), t);
    QVERIFY2(first.ok(), qPrintable(first.error()));
    QCOMPARE(first->has_value(), recorded);
    QCOMPARE(snapshotCount(), before + (recorded ? 1 : 0));
    // Not twice on the same day, even a moment later.
    const auto second = SnapshotRecorder::recordDaily(
        m_vault->database(),
        Timestamp::fromMicrosecondsSinceEpoch(t.microsecondsSinceEpoch() + 1000000));
    QVERIFY(second.ok());
    QVERIFY(!second->has_value());
    QCOMPARE(snapshotCount(), before + (recorded ? 1 : 0));
}

void TestSnapshotRecorder::onDemandAlwaysRecords() {
    const Timestamp t = at("2025-03-10T08:00:00Z");
    QVERIFY(SnapshotRecorder::recordDaily(m_vault->database(), t).ok());
    QVERIFY(SnapshotRecorder::record(m_vault->database(), Timestamp::fromMicrosecondsSinceEpoch(
                                                              t.microsecondsSinceEpoch() + 1))
                .ok());
    QCOMPARE(snapshotCount(), 2);
    // Two at the very same instant would break (user_id, timestamp): refused, nothing written.
    QVERIFY(!SnapshotRecorder::record(m_vault->database(), t).ok());
    QCOMPARE(snapshotCount(), 2);
}

void TestSnapshotRecorder::riskMetricsFromHistory() {
    // 100, 110, 99 (scaled by 100) and today's 10000 after 9900: returns +10 %, -10 %, +1.0101 %.
    addSnapshot("2025-03-07T23:59:59Z", "10000.00");
    addSnapshot("2025-03-08T23:59:59Z", "11000.00");
    addSnapshot("2025-03-09T23:59:59Z", "9900.00");
    const auto s = SnapshotRecorder::record(m_vault->database(), at("2025-03-10T12:00:00Z"));
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(*s->maxDrawdown, dec("0.1"));
    QVERIFY(s->volatility && s->volatility->isPositive());
    QVERIFY(s->sharpeRatio.has_value());
    QCOMPARE(s->volatility->scale() <= 6, true);
}

QTEST_GUILESS_MAIN(TestSnapshotRecorder)
#include "TestSnapshotRecorder.moc"
