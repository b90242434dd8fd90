#include "TestSupport.h"

#include "domain/Uuid.h"
#include "store/LotRepository.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <memory>

Q_DECLARE_METATYPE(llamadesk::CostBasisLot)

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("22222222-2222-4333-8444-555555555555");

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

CostBasisLot openLot(const QString& asset, const char* acquired, const char* amount) {
    CostBasisLot l;
    l.id = newUuid();
    l.userId = kUser;
    l.assetSymbol = asset;
    l.chainId = 1;
    l.acquiredDate = ts(acquired);
    l.acquiredAmount = dec(amount);
    l.acquiredPriceUsd = dec("2000.12345678");
    l.costBasisUsd = dec("3000.19");
    l.remainingAmount = l.acquiredAmount;
    l.createdAt = ts("2025-01-01T00:00:00.000000Z");
    l.updatedAt = ts("2025-01-01T00:00:00.000000Z");
    return l;
}

QStringList idsOf(const QList<CostBasisLot>& lots) {
    QStringList ids;
    for (const CostBasisLot& l : lots)
        ids << l.id;
    return ids;
}

} // namespace

class TestLotRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void roundTrip_data();
    void roundTrip();
    void validation_data();
    void validation();
    void replaceOnlyTouchesTheScope();
    void replaceIsAllOrNothing_data();
    void replaceIsAllOrNothing();
    void openOnly();
    void deletingATransactionCascades();

private:
    qint64 scalar(const QString& text);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    std::unique_ptr<LotRepository> m_lots;
    std::unique_ptr<TransactionRepository> m_transactions;
    QString m_buyId;
    QString m_sellId;
};

qint64 TestLotRepository::scalar(const QString& text) {
    QSqlQuery q(m_db);
    if (!q.exec(text) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

void TestLotRepository::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("lot-repo"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(kUser);
    q.addBindValue(QStringLiteral("lots@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    m_lots = std::make_unique<LotRepository>(m_db);
    m_transactions = std::make_unique<TransactionRepository>(m_db);

    // The transactions lots point to (foreign keys).
    TaxTransaction buy;
    buy.id = newUuid();
    buy.userId = kUser;
    buy.transactionHash = QStringLiteral("0x1");
    buy.blockNumber = 1;
    buy.chainId = 1;
    buy.timestamp = ts("2023-01-01T00:00:00.000000Z");
    buy.assetInSymbol = QStringLiteral("ETH");
    buy.assetInAmount = dec("10");
    TaxTransaction sell = buy;
    sell.id = newUuid();
    sell.transactionType = TransactionType::Sell;
    sell.timestamp = ts("2024-06-01T00:00:00.000000Z");
    sell.assetInSymbol = QStringLiteral("USD");
    sell.assetOutSymbol = QStringLiteral("ETH");
    sell.assetOutAmount = dec("4");
    const Status s = m_transactions->insertBatch({buy, sell});
    QVERIFY2(s.ok(), qPrintable(s.error()));
    m_buyId = buy.id;
    m_sellId = sell.id;
}

void TestLotRepository::cleanupTestCase() {
    m_lots.reset();
    m_transactions.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("lot-repo"));
}

void TestLotRepository::init() {
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM cost_basis_lots")));
}

void TestLotRepository::roundTrip_data() {
    QTest::addColumn<CostBasisLot>("lot");
    QTest::newRow("open lot, optionals NULL")
        << openLot(QStringLiteral("ETH"), "2023-01-01T00:00:00.000000Z", "10");

    CostBasisLot disposed = openLot(QStringLiteral("ETH"), "2023-01-01T00:00:00.000000Z",
                                    "999999999999.999999999999999999");
    disposed.wallet = QStringLiteral("ledger");
    disposed.acquiredTransactionId = QString(); // filled in the test
    disposed.acquiredPriceUsd = dec("999999999999.99999999");
    disposed.costBasisUsd = dec("999999999999999999.99");
    disposed.disposedDate = ts("2024-06-01T00:00:00.000000Z");
    disposed.disposedAmount = disposed.acquiredAmount;
    disposed.disposedPriceUsd = dec("0.00000001");
    disposed.proceedsUsd = dec("0.01");
    disposed.remainingAmount = dec("0");
    disposed.isFullyDisposed = true;
    disposed.deletedAt = ts("2025-02-02T00:00:00.000000Z");
    QTest::newRow("fully disposed, extreme decimals") << disposed;

    CostBasisLot partial =
        openLot(QStringLiteral("BTC"), "2020-02-29T12:00:00.000001Z", "0.000000000000000003");
    partial.disposedDate = ts("2020-03-01T00:00:00.000000Z");
    partial.disposedAmount = dec("0.000000000000000001");
    partial.remainingAmount = dec("0.000000000000000002");
    QTest::newRow("partly disposed, smallest units") << partial;
}

void TestLotRepository::roundTrip() {
    QFETCH(CostBasisLot, lot);
    if (lot.disposedAmount && lot.assetSymbol == QLatin1String("ETH")) {
        lot.acquiredTransactionId = m_buyId;
        lot.disposedTransactionId = m_sellId;
    }
    QVERIFY2(lot.validate().isEmpty(), qPrintable(lot.validate().join(QLatin1Char('\n'))));
    const LotScope scope{kUser, lot.assetSymbol, lot.wallet};
    const Status s = m_lots->replaceLots(scope, {lot});
    QVERIFY2(s.ok(), qPrintable(s.error()));
    Result<std::optional<CostBasisLot>> back = m_lots->get(lot.id);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back->has_value());
    QCOMPARE((*back)->acquiredAmount, lot.acquiredAmount);
    QCOMPARE((*back)->remainingAmount, lot.remainingAmount);
    QCOMPARE((*back)->disposedTransactionId, lot.disposedTransactionId);
    QCOMPARE((*back)->deletedAt, lot.deletedAt);
    QVERIFY(**back == lot);
}

void TestLotRepository::validation_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("symbol missing") << "symbol"
                                    << "asset_symbol";
    QTest::newRow("zero amount") << "zero"
                                 << "acquired_amount";
    QTest::newRow("price 9 decimals") << "price"
                                      << "acquired_price_usd";
    QTest::newRow("basis 3 decimals") << "basis"
                                      << "cost_basis_usd";
    QTest::newRow("remaining wrong") << "remaining"
                                     << "remaining_amount";
    QTest::newRow("disposed more than acquired") << "overdisposed"
                                                 << "disposed_amount";
    QTest::newRow("disposal without date") << "noDate"
                                           << "disposed_date";
    QTest::newRow("disposed before acquired") << "early"
                                              << "disposed_date";
    QTest::newRow("fully disposed flag wrong") << "flag"
                                               << "is_fully_disposed";
    QTest::newRow("proceeds without disposal") << "proceeds"
                                               << "disposed_amount";
    QTest::newRow("bad transaction id") << "txid"
                                        << "acquired_transaction_id";
    QTest::newRow("wallet empty") << "wallet"
                                  << "wallet";
}

void TestLotRepository::validation() {
    QFETCH(QString, change);
    QFETCH(QString, expected);
    CostBasisLot l = openLot(QStringLiteral("ETH"), "2023-01-01T00:00:00.000000Z", "2");
    QVERIFY(l.validate().isEmpty());
    if (change == QLatin1String("symbol"))
        l.assetSymbol.clear();
    else if (change == QLatin1String("zero")) {
        l.acquiredAmount = dec("0");
        l.remainingAmount = dec("0");
        l.isFullyDisposed = true;
    } else if (change == QLatin1String("price"))
        l.acquiredPriceUsd = dec("1.123456789");
    else if (change == QLatin1String("basis"))
        l.costBasisUsd = dec("1.001");
    else if (change == QLatin1String("remaining"))
        l.remainingAmount = dec("1.5");
    else if (change == QLatin1String("overdisposed")) {
        l.disposedAmount = dec("3");
        l.disposedDate = ts("2024-01-01T00:00:00.000000Z");
        l.remainingAmount = dec("0");
    } else if (change == QLatin1String("noDate")) {
        l.disposedAmount = dec("1");
        l.remainingAmount = dec("1");
    } else if (change == QLatin1String("early")) {
        l.disposedAmount = dec("1");
        l.remainingAmount = dec("1");
        l.disposedDate = ts("2022-01-01T00:00:00.000000Z");
    } else if (change == QLatin1String("flag"))
        l.isFullyDisposed = true;
    else if (change == QLatin1String("proceeds"))
        l.proceedsUsd = dec("10");
    else if (change == QLatin1String("txid"))
        l.acquiredTransactionId = QStringLiteral("tx-1");
    else if (change == QLatin1String("wallet"))
        l.wallet.clear();
    else
        QFAIL("unknown change");
    const QStringList errors = l.validate();
    QVERIFY2(!errors.isEmpty(), "the change must be refused");
    QVERIFY2(std::any_of(errors.begin(), errors.end(),
                         [&](const QString& e) { return e.contains(expected); }),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY(!m_lots->replaceLots({kUser, {}, {}}, {l}).ok());
}

void TestLotRepository::replaceOnlyTouchesTheScope() {
    CostBasisLot eth1 = openLot(QStringLiteral("ETH"), "2023-01-01T00:00:00.000000Z", "1");
    CostBasisLot eth2 = openLot(QStringLiteral("ETH"), "2023-02-01T00:00:00.000000Z", "2");
    eth2.wallet = QStringLiteral("ledger");
    CostBasisLot btc = openLot(QStringLiteral("BTC"), "2023-01-15T00:00:00.000000Z", "0.5");
    QVERIFY(m_lots->replaceLots({kUser, {}, {}}, {eth1, eth2, btc}).ok());
    QCOMPARE(idsOf(m_lots->lots({kUser, {}, {}}).value()), (QStringList{eth1.id, btc.id, eth2.id}));

    // A new run for ETH in the default wallet replaces eth1 only.
    CostBasisLot eth3 = openLot(QStringLiteral("ETH"), "2023-03-01T00:00:00.000000Z", "3");
    const Status s =
        m_lots->replaceLots({kUser, QStringLiteral("ETH"), QStringLiteral("default")}, {eth3});
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(idsOf(m_lots->lots({kUser, {}, {}}).value()), (QStringList{btc.id, eth2.id, eth3.id}));
    QCOMPARE(idsOf(m_lots->lots({kUser, QStringLiteral("ETH"), {}}).value()),
             (QStringList{eth2.id, eth3.id}));
    QCOMPARE(idsOf(m_lots->lots({kUser, {}, QStringLiteral("ledger")}).value()),
             (QStringList{eth2.id}));

    // A lot outside the scope is refused.
    const Status outside =
        m_lots->replaceLots({kUser, QStringLiteral("BTC"), {}},
                            {openLot(QStringLiteral("SOL"), "2023-01-01T00:00:00.000000Z", "1")});
    QVERIFY(!outside.ok());
    QVERIFY2(outside.error().contains(QLatin1String("scope")), qPrintable(outside.error()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM cost_basis_lots")), 3LL);

    // Replacing with nothing empties the scope.
    QVERIFY(m_lots->replaceLots({kUser, QStringLiteral("ETH"), {}}, {}).ok());
    QCOMPARE(idsOf(m_lots->lots({kUser, {}, {}}).value()), (QStringList{btc.id}));
}

void TestLotRepository::replaceIsAllOrNothing_data() {
    QTest::addColumn<bool>("databaseFailure");
    QTest::newRow("invalid lot (validation)") << false;
    QTest::newRow("unknown transaction (foreign key)") << true;
}

void TestLotRepository::replaceIsAllOrNothing() {
    QFETCH(bool, databaseFailure);
    const CostBasisLot old = openLot(QStringLiteral("ETH"), "2023-01-01T00:00:00.000000Z", "1");
    QVERIFY(m_lots->replaceLots({kUser, {}, {}}, {old}).ok());

    // 120 lots: the bad one sits in the second many-lots statement.
    QList<CostBasisLot> next;
    for (int i = 0; i < 120; ++i)
        next << openLot(QStringLiteral("ETH"), "2023-04-01T00:00:00.000000Z", "1");
    if (databaseFailure)
        next[70].acquiredTransactionId = newUuid(); // no such transaction
    else
        next[70].remainingAmount = dec("7");
    const Status s = m_lots->replaceLots({kUser, QStringLiteral("ETH"), {}}, next);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QLatin1String("LotRepository")), qPrintable(s.error()));
    QVERIFY2(s.error().contains(QLatin1String("lot 71 of 120")), qPrintable(s.error()));
    // The old run is still there, whole.
    QCOMPARE(idsOf(m_lots->lots({kUser, {}, {}}).value()), QStringList{old.id});

    // And the same 120 lots, all valid, replace it.
    next[70] = openLot(QStringLiteral("ETH"), "2023-04-01T00:00:00.000000Z", "1");
    QVERIFY(m_lots->replaceLots({kUser, QStringLiteral("ETH"), {}}, next).ok());
    QCOMPARE(m_lots->lots({kUser, {}, {}}).value().size(), qsizetype(120));
}

void TestLotRepository::openOnly() {
    CostBasisLot open = openLot(QStringLiteral("ETH"), "2023-01-01T00:00:00.000000Z", "1");
    CostBasisLot closed = openLot(QStringLiteral("ETH"), "2023-01-02T00:00:00.000000Z", "1");
    closed.disposedAmount = dec("1");
    closed.disposedDate = ts("2023-05-01T00:00:00.000000Z");
    closed.remainingAmount = dec("0");
    closed.isFullyDisposed = true;
    QVERIFY(m_lots->replaceLots({kUser, {}, {}}, {open, closed}).ok());
    QCOMPARE(idsOf(m_lots->lots({kUser, {}, {}}, true).value()), QStringList{open.id});
    QCOMPARE(m_lots->lots({kUser, {}, {}}, false).value().size(), qsizetype(2));
}

void TestLotRepository::deletingATransactionCascades() {
    // acquired_transaction_id cascades, disposed_transaction_id is set to NULL (the schema).
    TaxTransaction t;
    t.id = newUuid();
    t.userId = kUser;
    t.transactionHash = QStringLiteral("0x2");
    t.blockNumber = 2;
    t.chainId = 1;
    t.timestamp = ts("2023-01-01T00:00:00.000000Z");
    t.assetInSymbol = QStringLiteral("ETH");
    t.assetInAmount = dec("1");
    QVERIFY(m_transactions->insert(t).ok());
    CostBasisLot l = openLot(QStringLiteral("ETH"), "2023-01-01T00:00:00.000000Z", "1");
    l.acquiredTransactionId = t.id;
    QVERIFY(m_lots->replaceLots({kUser, {}, {}}, {l}).ok());
    QCOMPARE(m_transactions->hardDelete({t.id}).value(), 1);
    QVERIFY(!m_lots->get(l.id).value().has_value());
}

QTEST_GUILESS_MAIN(TestLotRepository)
#include "TestLotRepository.moc"
