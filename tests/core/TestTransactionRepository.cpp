#include "TestSupport.h"

#include "domain/Uuid.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <random>

Q_DECLARE_METATYPE(llamadesk::TaxTransaction)

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("11111111-2222-4333-8444-555555555555");
const QString kOtherUser = QStringLiteral("99999999-2222-4333-8444-555555555555");

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

// A valid buy: the smallest row every test starts from.
TaxTransaction buy(const char* when = "2024-03-01T10:00:00.000000Z") {
    TaxTransaction t;
    t.id = newUuid();
    t.userId = kUser;
    t.transactionHash = QStringLiteral("0xabc");
    t.blockNumber = 19000000;
    t.chainId = 1;
    t.timestamp = ts(when);
    t.transactionType = TransactionType::Buy;
    t.assetInSymbol = QStringLiteral("ETH");
    t.assetInAmount = dec("1.5");
    t.createdAt = ts("2024-03-02T00:00:00.000001Z");
    t.updatedAt = ts("2024-03-02T00:00:00.000002Z");
    return t;
}

QStringList idsOf(const QList<TaxTransaction>& rows) {
    QStringList ids;
    for (const TaxTransaction& t : rows)
        ids << t.id;
    return ids;
}

bool keyLess(const TaxTransaction& a, const TaxTransaction& b) {
    if (a.timestamp != b.timestamp)
        return a.timestamp < b.timestamp;
    return a.id < b.id;
}

} // namespace

class TestTransactionRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void roundTrip_data();
    void roundTrip();
    void storesExactText();
    void validation_data();
    void validation();
    void invalidRowIsRefusedByInsert();
    void batchIsAllOrNothing_data();
    void batchIsAllOrNothing();
    void batchRecordsOneOutboxRowPerInsert();
    void bigBatchStagesOnlyInMemory();
    void updateReplacesEditableColumns();
    void updateRefusesDeletedOrMissingRows();
    void softDeleteAndRestore();
    void hardDelete();
    void keysetPaging_data();
    void keysetPaging();
    void filters_data();
    void filters();
    void streamsInOrder_data();
    void streamsInOrder();
    void visitorCanStopEarly();
    void readRowsRefillsRecycledRows_data();
    void readRowsRefillsRecycledRows();
    void readRowsKeepsTextBuffers();
    void taxInputsPriceOnlyWhereValueIsNull_data();
    void taxInputsPriceOnlyWhereValueIsNull();
    void taxInputRecordsFollowEveryWrite_data();
    void taxInputRecordsFollowEveryWrite();
    void taxInputRecordsReadAsTheColumns_data();
    void taxInputRecordsReadAsTheColumns();
    void taxInputRecordsOutOfStepAreFound_data();
    void taxInputRecordsOutOfStepAreFound();
    void dedupe();
    void importSkipsDuplicates();
    void nestedTransactionRollsBackTogether();

private:
    QSqlQuery sql(const QString& text);
    qint64 scalar(const QString& text);
    // 60 rows in 12 groups of 5 sharing a timestamp, with mixed types, assets and wallets.
    QList<TaxTransaction> seedDataset();
    // Every row of the table through its tax_inputs records (the rowid-range read of
    // TransactionColumns::TaxInputs) and through its columns (the time-index read); false, with
    // a message, when either read fails.
    bool readBothWays(const TransactionFilter& filter, QList<TaxTransaction>* records,
                      QList<TaxTransaction>* columns, QString* error);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    std::unique_ptr<TransactionRepository> m_repo;
};

QSqlQuery TestTransactionRepository::sql(const QString& text) {
    QSqlQuery q(m_db);
    if (!q.exec(text))
        qWarning() << "test SQL failed:" << q.lastError().text();
    return q;
}

qint64 TestTransactionRepository::scalar(const QString& text) {
    QSqlQuery q = sql(text);
    return q.next() ? q.value(0).toLongLong() : -1;
}

void TestTransactionRepository::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("tx-repo"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    for (const QString& user : {kUser, kOtherUser}) {
        QSqlQuery q(m_db);
        QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
        q.addBindValue(user);
        q.addBindValue(QString(user + QStringLiteral("@example.org")));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    m_repo = std::make_unique<TransactionRepository>(m_db);
}

void TestTransactionRepository::cleanupTestCase() {
    m_repo.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("tx-repo"));
}

void TestTransactionRepository::init() {
    // Every test starts from an empty table (the FK from lots does not matter here).
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM tax_transactions")));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM sync_outbox")));
}

void TestTransactionRepository::roundTrip_data() {
    QTest::addColumn<TaxTransaction>("row");

    QTest::newRow("required fields only, every optional NULL") << buy();

    TaxTransaction full = buy("2025-12-31T23:59:59.999999Z");
    full.transactionType = TransactionType::Swap;
    full.wallet = QStringLiteral("ledger-cold");
    full.transactionHash = QStringLiteral("0x") + QString(64, QLatin1Char('f'));
    full.blockNumber = std::numeric_limits<qint64>::max();
    full.chainId = std::numeric_limits<qint32>::max();
    full.assetInSymbol = QStringLiteral("WBTC");
    full.assetInAmount = dec("999999999999.999999999999999999");
    full.assetInPriceUsd = dec("999999999999.99999999");
    full.assetInValueUsd = dec("999999999999999999.99");
    full.assetOutSymbol = QStringLiteral("USDC");
    full.assetOutAmount = dec("0.000000000000000001");
    full.assetOutPriceUsd = dec("0.00000001");
    full.assetOutValueUsd = dec("0.01");
    full.feeAmount = dec("0.000123456789012345");
    full.feeSymbol = QStringLiteral("ETH");
    full.feeValueUsd = dec("0.42");
    full.costBasisMethod = CostBasisMethod::Specific;
    full.costBasisUsd = dec("12345.67");
    full.capitalGainUsd = dec("-999999999999999999.99");
    full.holdingPeriodDays = 366;
    full.isLongTerm = true;
    full.taxCategory = QStringLiteral("capital_gain");
    full.isTaxable = false;
    full.notes = QStringLiteral("Käse 🧀 \"quoted\" 'single' \\ %_ ; DROP TABLE x; --");
    full.deletedAt = ts("2026-01-01T00:00:00.000000Z");
    QTest::newRow("every field, extreme decimals, soft deleted") << full;

    TaxTransaction zeroes = buy("1970-01-01T00:00:00.000000Z");
    zeroes.transactionType = TransactionType::Fee;
    zeroes.assetInSymbol.reset();
    zeroes.assetInAmount.reset();
    zeroes.feeAmount = dec("0");
    zeroes.feeSymbol = QStringLiteral("ETH");
    zeroes.blockNumber = 0;
    zeroes.holdingPeriodDays = 0;
    zeroes.isLongTerm = false;
    zeroes.notes = QStringLiteral(""); // present but empty: not NULL
    QTest::newRow("zeros, epoch, empty notes") << zeroes;

    TaxTransaction wide = buy();
    wide.assetInSymbol = QString();
    for (int i = 0; i < 20; ++i) // 20 characters, 40 UTF-16 units: VARCHAR(20) counts characters
        wide.assetInSymbol->append(QString::fromUcs4(U"\U0001F9C0", 1));
    QTest::newRow("symbol of 20 characters outside the BMP") << wide;

    for (TransactionType type : allTransactionTypes()) {
        TaxTransaction t = buy("2024-06-15T12:30:45.123456Z");
        t.transactionType = type;
        t.assetOutSymbol = QStringLiteral("USD");
        t.assetOutAmount = dec("2500.000000000000000001");
        t.feeAmount = dec("0.001");
        t.feeSymbol = QStringLiteral("ETH");
        QTest::newRow(qPrintable(QStringLiteral("type %1").arg(toString(type)))) << t;
    }
}

void TestTransactionRepository::roundTrip() {
    QFETCH(TaxTransaction, row);
    QVERIFY2(row.validate().isEmpty(), qPrintable(row.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->insert(row);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    Result<std::optional<TaxTransaction>> back = m_repo->get(row.id);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back->has_value());
    const TaxTransaction& got = **back;
    // Field by field first, so a failure names the field.
    QCOMPARE(got.wallet, row.wallet);
    QCOMPARE(got.transactionHash, row.transactionHash);
    QCOMPARE(got.blockNumber, row.blockNumber);
    QCOMPARE(got.timestamp, row.timestamp);
    QCOMPARE(got.assetInAmount, row.assetInAmount);
    QCOMPARE(got.assetOutAmount, row.assetOutAmount);
    QCOMPARE(got.capitalGainUsd, row.capitalGainUsd);
    QCOMPARE(got.notes, row.notes);
    QCOMPARE(got.isLongTerm, row.isLongTerm);
    QCOMPARE(got.deletedAt, row.deletedAt);
    QCOMPARE(got.rowVersion, qint64(0));
    QVERIFY(got == row);
}

void TestTransactionRepository::storesExactText() {
    TaxTransaction t = buy();
    t.assetInAmount = dec("999999999999.999999999999999999");
    t.feeAmount = dec("0.000000000000000001");
    t.feeSymbol = QStringLiteral("ETH");
    t.costBasisUsd = dec("10.50");
    QVERIFY(m_repo->insert(t).ok());
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("SELECT asset_in_amount, fee_amount, cost_basis_usd, "
                                     "typeof(asset_in_amount), timestamp, is_taxable "
                                     "FROM tax_transactions WHERE id = ?")));
    q.addBindValue(t.id);
    QVERIFY(q.exec());
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("999999999999.999999999999999999"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("0.000000000000000001"));
    QCOMPARE(q.value(2).toString(), QStringLiteral("10.5")); // canonical form
    QCOMPARE(q.value(3).toString(), QStringLiteral("text"));
    QCOMPARE(q.value(4).toString(), QStringLiteral("2024-03-01T10:00:00.000000Z"));
    QCOMPARE(q.value(5).toLongLong(), 1LL);
}

void TestTransactionRepository::validation_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected"); // the field the message must name

    QTest::newRow("id not a UUID") << "id"
                                   << "id";
    QTest::newRow("id uppercase") << "idUpper"
                                  << "id";
    QTest::newRow("user missing") << "user"
                                  << "user_id";
    QTest::newRow("hash empty") << "hashEmpty"
                                << "transaction_hash";
    QTest::newRow("hash 67 chars") << "hashLong"
                                   << "transaction_hash";
    QTest::newRow("block negative") << "block"
                                    << "block_number";
    QTest::newRow("chain zero") << "chain"
                                << "chain_id";
    QTest::newRow("symbol 21 chars") << "symbolLong"
                                     << "asset_in_symbol";
    QTest::newRow("symbol 21 characters outside the BMP") << "symbolWide"
                                                          << "asset_in_symbol";
    QTest::newRow("amount negative") << "amountNegative"
                                     << "asset_in_amount";
    QTest::newRow("amount 13 integer digits") << "amountLarge"
                                              << "asset_in_amount";
    QTest::newRow("price 9 decimals") << "priceScale"
                                      << "asset_in_price_usd";
    QTest::newRow("value 3 decimals") << "valueScale"
                                      << "asset_in_value_usd";
    QTest::newRow("value 19 integer digits") << "valueLarge"
                                             << "asset_in_value_usd";
    QTest::newRow("amount without symbol") << "amountNoSymbol"
                                           << "asset_in_symbol";
    QTest::newRow("price without side") << "priceNoSide"
                                        << "asset_out_price_usd";
    QTest::newRow("buy without incoming") << "buyNoIn"
                                          << "asset_in";
    QTest::newRow("sell without outgoing") << "sellNoOut"
                                           << "asset_out";
    QTest::newRow("swap one side") << "swapOneSide"
                                   << "asset_out_symbol";
    QTest::newRow("swap same asset") << "swapSame"
                                     << "asset_out_symbol";
    QTest::newRow("fee without fee") << "feeNoFee"
                                     << "fee_amount";
    QTest::newRow("fee symbol without amount") << "feeSymbolOnly"
                                               << "fee_amount";
    QTest::newRow("fee value without fee") << "feeValueOnly"
                                           << "fee_value_usd";
    QTest::newRow("long term contradicts") << "longTerm"
                                           << "is_long_term";
    QTest::newRow("holding negative") << "holding"
                                      << "holding_period_days";
    QTest::newRow("gain without basis") << "gainNoBasis"
                                        << "capital_gain_usd";
    QTest::newRow("tax category 51 chars") << "category"
                                           << "tax_category";
    QTest::newRow("wallet empty") << "wallet"
                                  << "wallet";
    QTest::newRow("wallet 256 chars") << "walletLong"
                                      << "wallet";
    QTest::newRow("invalid decimal") << "invalidDecimal"
                                     << "asset_in_amount";
    QTest::newRow("blank symbol") << "blankSymbol"
                                  << "asset_in_symbol";
}

void TestTransactionRepository::validation() {
    QFETCH(QString, change);
    QFETCH(QString, expected);
    TaxTransaction t = buy();
    QVERIFY(t.validate().isEmpty());
    if (change == QLatin1String("id"))
        t.id = QStringLiteral("not-a-uuid");
    else if (change == QLatin1String("idUpper"))
        t.id = t.id.toUpper();
    else if (change == QLatin1String("user"))
        t.userId.clear();
    else if (change == QLatin1String("hashEmpty"))
        t.transactionHash = QStringLiteral("  ");
    else if (change == QLatin1String("hashLong"))
        t.transactionHash = QStringLiteral("0x") + QString(65, QLatin1Char('a'));
    else if (change == QLatin1String("block"))
        t.blockNumber = -1;
    else if (change == QLatin1String("chain"))
        t.chainId = 0;
    else if (change == QLatin1String("symbolLong"))
        t.assetInSymbol = QString(21, QLatin1Char('X'));
    else if (change == QLatin1String("symbolWide")) {
        t.assetInSymbol = QString();
        for (int i = 0; i < 21; ++i)
            t.assetInSymbol->append(QString::fromUcs4(U"\U0001F9C0", 1));
    } else if (change == QLatin1String("amountNegative"))
        t.assetInAmount = dec("-1");
    else if (change == QLatin1String("amountLarge"))
        t.assetInAmount = dec("1000000000000");
    else if (change == QLatin1String("priceScale"))
        t.assetInPriceUsd = dec("1.000000001");
    else if (change == QLatin1String("valueScale"))
        t.assetInValueUsd = dec("1.001");
    else if (change == QLatin1String("valueLarge"))
        t.assetInValueUsd = dec("1000000000000000000");
    else if (change == QLatin1String("amountNoSymbol"))
        t.assetInSymbol.reset();
    else if (change == QLatin1String("priceNoSide"))
        t.assetOutPriceUsd = dec("1");
    else if (change == QLatin1String("buyNoIn")) {
        t.assetInSymbol.reset();
        t.assetInAmount.reset();
    } else if (change == QLatin1String("sellNoOut"))
        t.transactionType = TransactionType::Sell;
    else if (change == QLatin1String("swapOneSide"))
        t.transactionType = TransactionType::Swap;
    else if (change == QLatin1String("swapSame")) {
        t.transactionType = TransactionType::Swap;
        t.assetOutSymbol = QStringLiteral("ETH");
        t.assetOutAmount = dec("2");
    } else if (change == QLatin1String("feeNoFee"))
        t.transactionType = TransactionType::Fee;
    else if (change == QLatin1String("feeSymbolOnly"))
        t.feeSymbol = QStringLiteral("ETH");
    else if (change == QLatin1String("feeValueOnly"))
        t.feeValueUsd = dec("1");
    else if (change == QLatin1String("longTerm")) {
        t.holdingPeriodDays = 365;
        t.isLongTerm = true;
    } else if (change == QLatin1String("holding"))
        t.holdingPeriodDays = -3;
    else if (change == QLatin1String("gainNoBasis"))
        t.capitalGainUsd = dec("5");
    else if (change == QLatin1String("category"))
        t.taxCategory = QString(51, QLatin1Char('c'));
    else if (change == QLatin1String("wallet"))
        t.wallet.clear();
    else if (change == QLatin1String("walletLong"))
        t.wallet = QString(256, QLatin1Char('w'));
    else if (change == QLatin1String("invalidDecimal"))
        t.assetInAmount = Decimal::invalid();
    else if (change == QLatin1String("blankSymbol"))
        t.assetInSymbol = QStringLiteral("   ");
    else
        QFAIL("unknown change");

    const QStringList errors = t.validate();
    QVERIFY2(!errors.isEmpty(), "the change must be refused");
    const bool named = std::any_of(errors.begin(), errors.end(),
                                   [&](const QString& e) { return e.contains(expected); });
    QVERIFY2(named, qPrintable(errors.join(QLatin1Char('\n'))));
}

void TestTransactionRepository::invalidRowIsRefusedByInsert() {
    TaxTransaction t = buy();
    t.assetInAmount = dec("-1");
    const Status s = m_repo->insert(t);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QLatin1String("asset_in_amount")), qPrintable(s.error()));
    QVERIFY2(s.error().contains(QLatin1String("TransactionRepository")), qPrintable(s.error()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 0LL);
}

void TestTransactionRepository::batchIsAllOrNothing_data() {
    QTest::addColumn<int>("badRow");
    QTest::addColumn<bool>("databaseFailure"); // passes validation, fails in SQLite

    QTest::newRow("invalid first row") << 0 << false;
    QTest::newRow("invalid middle row") << 500 << false;
    QTest::newRow("invalid last row") << 999 << false;
    QTest::newRow("duplicate id in the middle") << 500 << true;
    QTest::newRow("duplicate id last") << 999 << true;
}

void TestTransactionRepository::batchIsAllOrNothing() {
    QFETCH(int, badRow);
    QFETCH(bool, databaseFailure);
    const TaxTransaction existing = buy();
    QVERIFY(m_repo->insert(existing).ok());
    const qint64 outboxBefore = scalar(QStringLiteral("SELECT count(*) FROM sync_outbox"));

    QList<TaxTransaction> rows;
    for (int i = 0; i < 1000; ++i)
        rows << buy();
    if (databaseFailure)
        rows[badRow].id = existing.id; // UNIQUE constraint, found only by SQLite
    else
        rows[badRow].chainId = -5;
    const Status s = m_repo->insertBatch(rows);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("row %1 of 1000").arg(badRow + 1)),
             qPrintable(s.error()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 1LL);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM sync_outbox")), outboxBefore);

    // The repository is still usable: the failed batch left no transaction open.
    rows[badRow] = buy();
    const Status again = m_repo->insertBatch(rows);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 1001LL);
}

void TestTransactionRepository::batchRecordsOneOutboxRowPerInsert() {
    QList<TaxTransaction> rows;
    for (int i = 0; i < 250; ++i)
        rows << buy();
    QVERIFY(m_repo->insertBatch(rows).ok());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE table_name = "
                                   "'tax_transactions' AND operation = 'insert'")),
             250LL);
}

void TestTransactionRepository::bigBatchStagesOnlyInMemory() {
    // Big batches pass through a TEMP staging table of decrypted rows. With temporary tables on
    // disk that would be plaintext in a file, so the repository must then insert directly.
    const QString staging = QStringLiteral("SELECT count(*) FROM sqlite_temp_master WHERE name = "
                                           "'llamadesk_tax_transactions_staging'");
    QSqlQuery q(m_db);
    // Changing temp_store also drops every TEMP table, the staging table of m_repo included.
    QVERIFY(q.exec(QStringLiteral("PRAGMA temp_store = FILE")));
    {
        TransactionRepository onDisk(m_db);
        QList<TaxTransaction> rows;
        for (int i = 0; i < 300; ++i)
            rows << buy();
        const Status s = onDisk.insertBatch(rows);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(scalar(staging), 0LL);
    }
    QVERIFY(q.exec(QStringLiteral("PRAGMA temp_store = MEMORY")));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 300LL);

    TransactionRepository inMemory(m_db);
    QList<TaxTransaction> more;
    for (int i = 0; i < 300; ++i)
        more << buy();
    QVERIFY(inMemory.insertBatch(more).ok());
    QCOMPARE(scalar(staging), 1LL);
    // Emptied after each batch: the rows do not linger in the staging table.
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM temp.llamadesk_tax_transactions_staging")),
             0LL);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 600LL);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM sync_outbox")), 600LL);
}

void TestTransactionRepository::updateReplacesEditableColumns() {
    TaxTransaction t = buy();
    QVERIFY(m_repo->insert(t).ok());
    t.transactionType = TransactionType::Sell;
    t.assetOutSymbol = QStringLiteral("BTC");
    t.assetOutAmount = dec("0.25");
    t.assetInSymbol = QStringLiteral("USD");
    t.assetInAmount = dec("16000.01");
    t.notes = QStringLiteral("edited");
    t.wallet = QStringLiteral("exchange");
    const Status s = m_repo->update(t);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    Result<std::optional<TaxTransaction>> back = m_repo->get(t.id);
    QVERIFY(back.ok() && back->has_value());
    const TaxTransaction& got = **back;
    QCOMPARE(toString(got.transactionType), toString(TransactionType::Sell));
    QCOMPARE(got.assetOutAmount, t.assetOutAmount);
    QCOMPARE(got.notes, t.notes);
    QCOMPARE(got.wallet, t.wallet);
    QCOMPARE(got.createdAt, t.createdAt);  // kept
    QVERIFY(got.updatedAt != t.updatedAt); // set to now
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE operation = 'update'")),
             1LL);

    TaxTransaction bad = got;
    bad.assetOutAmount = dec("-0.25");
    const Status refused = m_repo->update(bad);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().contains(QLatin1String("asset_out_amount")));
}

void TestTransactionRepository::updateRefusesDeletedOrMissingRows() {
    TaxTransaction t = buy();
    QVERIFY(!m_repo->update(t).ok()); // never stored
    QVERIFY(m_repo->insert(t).ok());
    QCOMPARE(m_repo->softDelete({t.id}).value(), 1);
    const Status s = m_repo->update(t);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(t.id), qPrintable(s.error()));
    TaxTransaction other = t;
    other.userId = kOtherUser; // the row is not that user's
    QCOMPARE(m_repo->restore({t.id}).value(), 1);
    QVERIFY(!m_repo->update(other).ok());
}

void TestTransactionRepository::softDeleteAndRestore() {
    QList<TaxTransaction> rows;
    for (int i = 0; i < 10; ++i)
        rows << buy();
    QVERIFY(m_repo->insertBatch(rows).ok());
    const QStringList doomed = {rows[1].id, rows[3].id, rows[5].id, rows[7].id, rows[9].id};

    Result<int> deleted =
        m_repo->softDelete(doomed + QStringList{newUuid()}); // unknown id: ignored
    QVERIFY2(deleted.ok(), qPrintable(deleted.error()));
    QCOMPARE(deleted.value(), 5);
    QCOMPARE(m_repo->softDelete(doomed).value(), 0); // already deleted

    TransactionFilter live;
    QCOMPARE(m_repo->count(live).value(), 5LL);
    TransactionFilter gone;
    gone.deleted = DeletedRows::Only;
    QCOMPARE(m_repo->count(gone).value(), 5LL);
    TransactionFilter all;
    all.deleted = DeletedRows::Include;
    QCOMPARE(m_repo->count(all).value(), 10LL);
    QVERIFY(m_repo->get(rows[1].id).value()->deletedAt.has_value());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE operation = 'delete'")),
             5LL);

    // Undo of the bulk delete.
    Result<int> restored = m_repo->restore(doomed);
    QVERIFY2(restored.ok(), qPrintable(restored.error()));
    QCOMPARE(restored.value(), 5);
    QCOMPARE(m_repo->count(live).value(), 10LL);
    QVERIFY(!m_repo->get(rows[1].id).value()->deletedAt.has_value());
    QCOMPARE(m_repo->restore(doomed).value(), 0);
}

void TestTransactionRepository::hardDelete() {
    const TaxTransaction a = buy();
    const TaxTransaction b = buy();
    QVERIFY(m_repo->insertBatch({a, b}).ok());
    QCOMPARE(m_repo->hardDelete({a.id}).value(), 1);
    QVERIFY(!m_repo->get(a.id).value().has_value());
    QVERIFY(m_repo->get(b.id).value().has_value());
}

QList<TaxTransaction> TestTransactionRepository::seedDataset() {
    static const char* const assets[] = {"ETH", "BTC", "SOL", "USDC"};
    static const char* const wallets[] = {"default", "ledger", "exchange"};
    const QList<TransactionType> types = {TransactionType::Buy, TransactionType::Sell,
                                          TransactionType::Swap, TransactionType::TransferIn,
                                          TransactionType::StakingReward};
    QList<TaxTransaction> rows;
    for (int group = 0; group < 12; ++group) {
        const QString when =
            QStringLiteral("2024-01-%1T08:00:00.000000Z").arg(group + 1, 2, 10, QLatin1Char('0'));
        for (int k = 0; k < 5; ++k) {
            const int n = group * 5 + k;
            TaxTransaction t = buy();
            t.timestamp = Timestamp::parse(QStringView(when)).value();
            t.transactionType = types[n % types.size()];
            t.wallet = QLatin1String(wallets[n % 3]);
            t.transactionHash = QStringLiteral("0x%1").arg(n, 4, 16, QLatin1Char('0'));
            t.chainId = n % 2 == 0 ? 1 : 137;
            t.assetInSymbol = QLatin1String(assets[n % 4]);
            t.assetInAmount = dec("1");
            if (t.transactionType == TransactionType::Sell ||
                t.transactionType == TransactionType::Swap) {
                t.assetOutSymbol = QLatin1String(assets[(n + 1) % 4]);
                t.assetOutAmount = dec("2");
            }
            if (n % 7 == 0)
                t.notes = QStringLiteral("Airdrop claim #%1 100%_sure").arg(n);
            rows << t;
        }
    }
    return rows;
}

void TestTransactionRepository::keysetPaging_data() {
    QTest::addColumn<int>("pageSize");
    QTest::newRow("1") << 1;
    QTest::newRow("3 (pages split groups of equal timestamps)") << 3;
    QTest::newRow("5 (pages match groups)") << 5;
    QTest::newRow("7") << 7;
    QTest::newRow("60 (exactly all)") << 60;
    QTest::newRow("100 (more than all)") << 100;
}

void TestTransactionRepository::keysetPaging() {
    QFETCH(int, pageSize);
    QList<TaxTransaction> rows = seedDataset();
    QVERIFY(m_repo->insertBatch(rows).ok());
    std::sort(rows.begin(), rows.end(), keyLess);
    const QStringList expected = idsOf(rows);
    const TransactionFilter filter;

    // Forward from the start to the end.
    QStringList forward;
    std::optional<TransactionKey> key;
    for (int guard = 0; guard < 100; ++guard) {
        Result<TransactionPage> page = m_repo->page(filter, key, pageSize);
        QVERIFY2(page.ok(), qPrintable(page.error()));
        QVERIFY(page->rows.size() <= pageSize);
        forward += idsOf(page->rows);
        if (!page->hasMore)
            break;
        QCOMPARE(page->rows.size(), qsizetype(pageSize));
        key = TransactionKey::of(page->rows.last());
    }
    QCOMPARE(forward, expected);

    // Backward from the end to the start; each page is itself in ascending order.
    QStringList backward;
    key.reset();
    for (int guard = 0; guard < 100; ++guard) {
        Result<TransactionPage> page = m_repo->page(filter, key, pageSize, PageDirection::Backward);
        QVERIFY2(page.ok(), qPrintable(page.error()));
        backward = idsOf(page->rows) + backward;
        if (!page->hasMore)
            break;
        key = TransactionKey::of(page->rows.first());
    }
    QCOMPARE(backward, expected);

    // From the middle of a group of equal timestamps: the page before row 12 ends at row 11.
    const TransactionKey middle = TransactionKey::of(rows[12]);
    Result<TransactionPage> before =
        m_repo->page(filter, middle, pageSize, PageDirection::Backward);
    QVERIFY(before.ok());
    const qsizetype n = std::min<qsizetype>(pageSize, 12);
    QCOMPARE(idsOf(before->rows), expected.mid(12 - n, n));
    QCOMPARE(before->hasMore, 12 > pageSize);
    Result<TransactionPage> after = m_repo->page(filter, middle, pageSize);
    QVERIFY(after.ok());
    QCOMPARE(idsOf(after->rows), expected.mid(13, pageSize));
}

void TestTransactionRepository::filters_data() {
    QTest::addColumn<QString>("which");
    QTest::newRow("type sell") << "type";
    QTest::newRow("types buy+swap") << "types";
    QTest::newRow("asset SOL either side") << "asset";
    QTest::newRow("assets BTC or USDC") << "assets";
    QTest::newRow("wallet ledger") << "wallet";
    QTest::newRow("chain 137") << "chain";
    QTest::newRow("date range") << "range";
    QTest::newRow("search symbol prefix, any case") << "searchSymbol";
    QTest::newRow("search wallet prefix") << "searchWallet";
    QTest::newRow("search hash case-insensitive") << "searchHash";
    QTest::newRow("search hash without 0x") << "searchBareHash";
    QTest::newRow("user") << "user";
    QTest::newRow("combined") << "combined";
}

void TestTransactionRepository::filters() {
    QFETCH(QString, which);
    QList<TaxTransaction> rows = seedDataset();
    TaxTransaction foreign = buy("2024-01-05T08:00:00.000000Z");
    foreign.userId = kOtherUser;
    rows << foreign;
    QVERIFY(m_repo->insertBatch(rows).ok());
    std::sort(rows.begin(), rows.end(), keyLess);

    TransactionFilter f;
    std::function<bool(const TaxTransaction&)> match;
    // The search's meaning: a prefix of the hash (lowercase, "0x" optional), of either symbol
    // (any case) or of the wallet.
    const auto searchMatch = [](const TaxTransaction& t, const QString& term) {
        const QString lower = term.toLower();
        const QString upper = term.toUpper();
        bool hex = !lower.isEmpty();
        for (const QChar ch : lower)
            hex = hex && (ch.isDigit() || (ch >= QLatin1Char('a') && ch <= QLatin1Char('f')));
        return t.transactionHash.startsWith(lower) || t.transactionHash.startsWith(term) ||
               (hex && t.transactionHash.startsWith(QLatin1String("0x") + lower)) ||
               (t.assetInSymbol && t.assetInSymbol->startsWith(upper)) ||
               (t.assetOutSymbol && t.assetOutSymbol->startsWith(upper)) ||
               t.wallet.startsWith(term) || t.wallet.startsWith(lower);
    };
    const auto hasAsset = [](const TaxTransaction& t, const QString& a) {
        return t.assetInSymbol == a || t.assetOutSymbol == a;
    };
    if (which == QLatin1String("type")) {
        f.types = {TransactionType::Sell};
        match = [](const TaxTransaction& t) {
            return t.transactionType == TransactionType::Sell;
        };
    } else if (which == QLatin1String("types")) {
        f.types = {TransactionType::Buy, TransactionType::Swap};
        match = [](const TaxTransaction& t) {
            return t.transactionType == TransactionType::Buy ||
                   t.transactionType == TransactionType::Swap;
        };
    } else if (which == QLatin1String("asset")) {
        f.assets = {QStringLiteral("SOL")};
        match = [&](const TaxTransaction& t) {
            return hasAsset(t, QStringLiteral("SOL"));
        };
    } else if (which == QLatin1String("assets")) {
        f.assets = {QStringLiteral("BTC"), QStringLiteral("USDC")};
        match = [&](const TaxTransaction& t) {
            return hasAsset(t, QStringLiteral("BTC")) || hasAsset(t, QStringLiteral("USDC"));
        };
    } else if (which == QLatin1String("wallet")) {
        f.wallets = {QStringLiteral("ledger")};
        match = [](const TaxTransaction& t) {
            return t.wallet == QLatin1String("ledger");
        };
    } else if (which == QLatin1String("chain")) {
        f.chainId = 137;
        match = [](const TaxTransaction& t) {
            return t.chainId == 137;
        };
    } else if (which == QLatin1String("range")) {
        f.from = ts("2024-01-03T08:00:00.000000Z");
        f.until = ts("2024-01-07T08:00:00.000000Z");
        match = [&](const TaxTransaction& t) {
            return !(t.timestamp < *f.from) && t.timestamp < *f.until;
        };
    } else if (which == QLatin1String("searchSymbol")) {
        f.search = QStringLiteral("us");
        match = [&](const TaxTransaction& t) {
            return searchMatch(t, f.search);
        };
    } else if (which == QLatin1String("searchWallet")) {
        f.search = QStringLiteral("led");
        match = [&](const TaxTransaction& t) {
            return searchMatch(t, f.search);
        };
    } else if (which == QLatin1String("searchHash")) {
        f.search = QStringLiteral("0X002");
        match = [](const TaxTransaction& t) {
            return t.transactionHash.startsWith(QLatin1String("0x002"));
        };
    } else if (which == QLatin1String("searchBareHash")) {
        f.search = QStringLiteral("002"); // the hash 0x002...
        match = [&](const TaxTransaction& t) {
            return searchMatch(t, f.search);
        };
    } else if (which == QLatin1String("user")) {
        f.userId = kOtherUser;
        match = [](const TaxTransaction& t) {
            return t.userId == kOtherUser;
        };
    } else if (which == QLatin1String("combined")) {
        f.userId = kUser;
        f.types = {TransactionType::Buy, TransactionType::Sell, TransactionType::Swap};
        f.wallets = {QStringLiteral("default"), QStringLiteral("exchange")};
        f.assets = {QStringLiteral("ETH"), QStringLiteral("BTC")};
        f.from = ts("2024-01-02T00:00:00.000000Z");
        match = [&](const TaxTransaction& t) {
            return t.userId == kUser && f.types.contains(t.transactionType) &&
                   f.wallets.contains(t.wallet) &&
                   (hasAsset(t, QStringLiteral("ETH")) || hasAsset(t, QStringLiteral("BTC"))) &&
                   !(t.timestamp < *f.from);
        };
    } else {
        QFAIL("unknown filter");
    }

    QStringList expected;
    for (const TaxTransaction& t : rows) {
        if (match(t))
            expected << t.id;
    }
    QVERIFY2(!expected.isEmpty(), "the case must select something");
    QVERIFY2(expected.size() < rows.size(), "the case must leave something out");

    Result<QList<TaxTransaction>> listed = m_repo->list(f);
    QVERIFY2(listed.ok(), qPrintable(listed.error()));
    QCOMPARE(idsOf(*listed), expected);
    QCOMPARE(m_repo->count(f).value(), qint64(expected.size()));
    // Paging with the filter sees the same rows.
    Result<TransactionPage> first = m_repo->page(f, std::nullopt, 4);
    QVERIFY(first.ok());
    QCOMPARE(idsOf(first->rows), expected.mid(0, 4));
    QCOMPARE(first->hasMore, expected.size() > 4);
}

void TestTransactionRepository::streamsInOrder_data() {
    QTest::addColumn<bool>("descending");
    QTest::newRow("ascending") << false;
    QTest::newRow("descending") << true;
}

void TestTransactionRepository::streamsInOrder() {
    QFETCH(bool, descending);
    QList<TaxTransaction> rows = seedDataset();
    // Inserted in an order unrelated to time, so the result order must come from the query.
    std::shuffle(rows.begin(), rows.end(), std::mt19937(42));
    QVERIFY(m_repo->insertBatch(rows).ok());
    std::sort(rows.begin(), rows.end(), keyLess);
    if (descending)
        std::reverse(rows.begin(), rows.end());

    QStringList seen;
    const Status s = m_repo->forEach(
        TransactionFilter(),
        [&](const TaxTransaction& t) {
            seen << t.id;
            return true;
        },
        descending);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(seen, idsOf(rows));
}

void TestTransactionRepository::visitorCanStopEarly() {
    QVERIFY(m_repo->insertBatch(seedDataset()).ok());
    int visited = 0;
    QVERIFY(
        m_repo->forEach(TransactionFilter(), [&](const TaxTransaction&) { return ++visited < 7; })
            .ok());
    QCOMPARE(visited, 7);
    // The stopped query was finished: the connection is free for writes at once.
    QVERIFY(m_repo->insert(buy()).ok());
}

void TestTransactionRepository::readRowsRefillsRecycledRows_data() {
    QTest::addColumn<bool>("taxInputsFirst");
    QTest::addColumn<bool>("taxInputsThen");
    QTest::newRow("all, then tax inputs") << false << true;
    QTest::newRow("tax inputs, then all") << true << false;
    QTest::newRow("tax inputs twice") << true << true;
}

void TestTransactionRepository::readRowsRefillsRecycledRows() {
    QFETCH(bool, taxInputsFirst);
    QFETCH(bool, taxInputsThen);
    const auto columns = [](bool taxInputs) {
        return taxInputs ? TransactionColumns::TaxInputs : TransactionColumns::All;
    };
    QList<TaxTransaction> rows = seedDataset();
    for (qsizetype i = 0; i < rows.size(); i += 2) {
        // Members the engine does not read, so that a recycled row has something to forget.
        rows[i].notes = QStringLiteral("note %1").arg(i);
        rows[i].taxCategory = QStringLiteral("category");
        rows[i].holdingPeriodDays = 400;
        rows[i].isLongTerm = true;
        rows[i].isTaxable = false;
    }
    QVERIFY(m_repo->insertBatch(rows).ok());

    // A vector full of rows read one way, then read into again the other way ...
    std::vector<TaxTransaction> recycled;
    size_t count = 0;
    QVERIFY(m_repo->readRows(TransactionFilter(), &recycled, &count, columns(taxInputsFirst)).ok());
    QCOMPARE(count, size_t(rows.size()));
    std::reverse(recycled.begin(), recycled.end()); // each slot now holds another row
    QVERIFY(m_repo->readRows(TransactionFilter(), &recycled, &count, columns(taxInputsThen)).ok());
    // ... holds exactly what a fresh vector gets.
    std::vector<TaxTransaction> fresh;
    size_t freshCount = 0;
    QVERIFY(
        m_repo->readRows(TransactionFilter(), &fresh, &freshCount, columns(taxInputsThen)).ok());
    QCOMPARE(count, freshCount);
    QCOMPARE(recycled.size(), fresh.size());
    for (size_t i = 0; i < count; ++i) {
        if (!(recycled[i] == fresh[i]))
            QFAIL(qPrintable(QStringLiteral("row %1 (%2) keeps something of the row before it")
                                 .arg(i)
                                 .arg(fresh[i].id)));
    }
    if (taxInputsThen) {
        // The engine's columns only: everything else is the default.
        for (size_t i = 0; i < count; ++i) {
            QVERIFY(!fresh[i].notes && !fresh[i].taxCategory && fresh[i].isTaxable);
            QVERIFY(fresh[i].userId.isEmpty() && !fresh[i].createdAt);
        }
    }
}

void TestTransactionRepository::readRowsKeepsTextBuffers() {
    const QList<TaxTransaction> rows = seedDataset();
    QVERIFY(m_repo->insertBatch(rows).ok());
    std::vector<TaxTransaction> recycled;
    size_t count = 0;
    QVERIFY(m_repo->readRows(TransactionFilter(), &recycled, &count, TransactionColumns::TaxInputs)
                .ok());
    QCOMPARE(count, size_t(rows.size()));
    std::vector<const QChar*> ids;
    std::vector<const QChar*> hashes;
    for (size_t i = 0; i < count; ++i) {
        ids.push_back(recycled[i].id.constData());
        hashes.push_back(recycled[i].transactionHash.constData());
    }
    // Each slot now holds another row's text of the same length: refilled, not reallocated.
    std::reverse(recycled.begin(), recycled.end());
    std::reverse(ids.begin(), ids.end());
    std::reverse(hashes.begin(), hashes.end());
    QVERIFY(m_repo->readRows(TransactionFilter(), &recycled, &count, TransactionColumns::TaxInputs)
                .ok());
    std::vector<TaxTransaction> fresh;
    size_t freshCount = 0;
    QVERIFY(
        m_repo->readRows(TransactionFilter(), &fresh, &freshCount, TransactionColumns::TaxInputs)
            .ok());
    QCOMPARE(count, freshCount);
    for (size_t i = 0; i < count; ++i) {
        QCOMPARE(recycled[i].id, fresh[i].id);
        QCOMPARE(recycled[i].transactionHash, fresh[i].transactionHash);
        QCOMPARE(recycled[i].id.constData(), ids[i]);
        if (recycled[i].transactionHash.size() == fresh[count - 1 - i].transactionHash.size())
            QCOMPARE(recycled[i].transactionHash.constData(), hashes[i]);
    }
}

void TestTransactionRepository::taxInputsPriceOnlyWhereValueIsNull_data() {
    QTest::addColumn<QString>("price");
    QTest::addColumn<QString>("value");
    // Empty text: NULL.
    QTest::newRow("price and value") << QStringLiteral("2000.5") << QStringLiteral("3000.75");
    QTest::newRow("price only") << QStringLiteral("2000.5") << QString();
    QTest::newRow("value only") << QString() << QStringLiteral("3000.75");
    QTest::newRow("neither") << QString() << QString();
}

void TestTransactionRepository::taxInputsPriceOnlyWhereValueIsNull() {
    QFETCH(QString, price);
    QFETCH(QString, value);
    const auto opt = [](const QString& text) {
        return text.isEmpty() ? std::nullopt : std::optional<Decimal>(dec(qPrintable(text)));
    };
    TaxTransaction t = buy();
    t.assetInPriceUsd = opt(price);
    t.assetInValueUsd = opt(value);
    t.assetOutSymbol = QStringLiteral("USD");
    t.assetOutAmount = dec("3000.75");
    t.assetOutPriceUsd = opt(price);
    t.assetOutValueUsd = opt(value);
    QVERIFY(m_repo->insert(t).ok());

    for (const TransactionColumns columns :
         {TransactionColumns::All, TransactionColumns::TaxInputs}) {
        std::vector<TaxTransaction> rows;
        size_t count = 0;
        QVERIFY(m_repo->readRows(TransactionFilter(), &rows, &count, columns).ok());
        QCOMPARE(count, size_t(1));
        const TaxTransaction& read = rows[0];
        if (columns == TransactionColumns::TaxInputs) {
            // The same through the row's tax_inputs record.
            std::vector<TaxTransaction> records;
            size_t n = 0;
            const RowidRange range = m_repo->rowidRangeOf(std::nullopt, std::nullopt)->value();
            QVERIFY(m_repo->readRowidRange(TransactionFilter(), range, &records, &n, columns).ok());
            QCOMPARE(n, size_t(1));
            QCOMPARE(records[0], read);
        }
        QCOMPARE(read.assetInValueUsd, t.assetInValueUsd);
        QCOMPARE(read.assetOutValueUsd, t.assetOutValueUsd);
        // Every column for the full read; for the engine, a price only where it is used: to
        // value a side whose value is NULL.
        const bool pricesKept = columns == TransactionColumns::All || value.isEmpty();
        QCOMPARE(read.assetInPriceUsd, pricesKept ? t.assetInPriceUsd : std::nullopt);
        QCOMPARE(read.assetOutPriceUsd, pricesKept ? t.assetOutPriceUsd : std::nullopt);
    }
}

bool TestTransactionRepository::readBothWays(const TransactionFilter& filter,
                                             QList<TaxTransaction>* records,
                                             QList<TaxTransaction>* columns, QString* error) {
    const Result<std::optional<RowidRange>> range =
        m_repo->rowidRangeOf(std::nullopt, std::nullopt);
    if (!range) {
        *error = range.error();
        return false;
    }
    std::vector<TaxTransaction> rows;
    size_t count = 0;
    if (range->has_value()) {
        const Status s =
            m_repo->readRowidRange(filter, **range, &rows, &count, TransactionColumns::TaxInputs);
        if (!s) {
            *error = s.error();
            return false;
        }
    }
    records->clear();
    for (size_t i = 0; i < count; ++i)
        records->append(rows[i]);
    const Status s = m_repo->readRows(filter, &rows, &count, TransactionColumns::TaxInputs);
    if (!s) {
        *error = s.error();
        return false;
    }
    columns->clear();
    for (size_t i = 0; i < count; ++i)
        columns->append(rows[i]);
    return true;
}

void TestTransactionRepository::taxInputRecordsFollowEveryWrite_data() {
    QTest::addColumn<QString>("write");
    for (const char* write :
         {"insert", "insertBatch", "insertBatch staged", "importBatch", "update",
          "update of the time", "softDelete", "restore", "hardDelete", "delete of the user"})
        QTest::newRow(write) << QString::fromLatin1(write);
}

void TestTransactionRepository::taxInputRecordsFollowEveryWrite() {
    // Whatever writes a row, its record (migration 007) says what its columns say, in the same
    // transaction: no record missing, none stale, none left over.
    QFETCH(QString, write);
    QList<TaxTransaction> rows = seedDataset(); // 60 rows: a batch this big is staged
    rows[3].assetInPriceUsd = dec("2000.12345678");
    rows[4].assetInValueUsd = dec("123456789012345678.99");
    rows[5].assetInAmount = dec("123456789012.123456789012345678");
    rows[6].feeSymbol = QStringLiteral("ETH");
    rows[6].feeAmount = dec("0.000000000000000001");
    rows[6].feeValueUsd = dec("0.01");
    rows[7].costBasisUsd = dec("99.5");
    const QList<TaxTransaction> few = rows.mid(0, 3); // a batch this small is not
    QList<TaxTransaction> other = rows.mid(10, 2);
    for (TaxTransaction& t : other) {
        t.id = newUuid();
        t.userId = kOtherUser;
    }

    if (write == QLatin1String("insert")) {
        QVERIFY(m_repo->insert(rows[3]).ok());
        QVERIFY(m_repo->insert(rows[4]).ok());
    } else if (write == QLatin1String("insertBatch")) {
        QVERIFY(m_repo->insertBatch(few).ok());
    } else if (write == QLatin1String("insertBatch staged")) {
        QVERIFY(m_repo->insertBatch(rows).ok());
    } else if (write == QLatin1String("importBatch")) {
        QVERIFY(m_repo->insertBatch(few).ok());
        const Result<ImportOutcome> imported = m_repo->importBatch(rows);
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
        QCOMPARE(imported->inserted, rows.size() - few.size());
    } else {
        QVERIFY(m_repo->insertBatch(rows).ok());
        QVERIFY(m_repo->insertBatch(other).ok());
        if (write == QLatin1String("update")) {
            TaxTransaction t = rows[12]; // a swap
            t.assetInAmount = dec("7.25");
            t.assetOutValueUsd = dec("1.99");
            t.wallet = QStringLiteral("cold");
            const Status updated = m_repo->update(t);
            QVERIFY2(updated.ok(), qPrintable(updated.error()));
        } else if (write == QLatin1String("update of the time")) {
            TaxTransaction t = rows[2];
            t.timestamp = ts("2023-12-31T23:59:59.999999Z");
            QVERIFY(m_repo->update(t).ok());
        } else if (write == QLatin1String("softDelete")) {
            QCOMPARE(m_repo->softDelete({rows[1].id, rows[9].id}).value(), 2);
        } else if (write == QLatin1String("restore")) {
            QCOMPARE(m_repo->softDelete({rows[1].id, rows[9].id}).value(), 2);
            QCOMPARE(m_repo->restore({rows[9].id}).value(), 1);
        } else if (write == QLatin1String("hardDelete")) {
            QCOMPARE(m_repo->hardDelete({rows[0].id, rows[59].id}).value(), 2);
        } else if (write == QLatin1String("delete of the user")) {
            // A foreign key cascade deletes rows with no statement of ours: the trigger still
            // runs. The user comes back for the next tests.
            sql(QStringLiteral("PRAGMA foreign_keys = ON"));
            QSqlQuery q(m_db);
            QVERIFY(q.prepare(QStringLiteral("DELETE FROM users WHERE id = ?")));
            q.addBindValue(kOtherUser);
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
            q.addBindValue(kOtherUser);
            q.addBindValue(QString(kOtherUser + QStringLiteral("@example.org")));
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions WHERE user_id = "
                                           "'99999999-2222-4333-8444-555555555555'")),
                     0LL);
        } else {
            QFAIL("unknown write");
        }
    }

    const qint64 transactions = scalar(QStringLiteral("SELECT count(*) FROM tax_transactions"));
    QVERIFY(transactions >= 2);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_inputs")), transactions);
    const Result<qint64> stale = m_repo->taxInputsOutOfStep();
    QVERIFY2(stale.ok(), qPrintable(stale.error()));
    QCOMPARE(*stale, 0LL);
    // And they read back as the columns do, deleted rows included.
    TransactionFilter all;
    all.deleted = DeletedRows::Include;
    QList<TaxTransaction> records;
    QList<TaxTransaction> columns;
    QString error;
    QVERIFY2(readBothWays(all, &records, &columns, &error), qPrintable(error));
    QCOMPARE(qint64(columns.size()), transactions);
    // In the same order too while the rowid order is the time order.
    if (m_repo->rowsInTimeOrder().value())
        QCOMPARE(records, columns);
    std::sort(records.begin(), records.end(), &TaxTransaction::ledgerOrderLess);
    QCOMPARE(records, columns);
}

void TestTransactionRepository::taxInputRecordsReadAsTheColumns_data() {
    QTest::addColumn<QString>("user");
    QTest::addColumn<int>("deleted");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("until");
    QTest::addColumn<int>("expected");
    // 60 rows of kUser (5 soft deleted) and 4 of kOtherUser, on 12 days from 2024-01-01.
    const int exclude = int(DeletedRows::Exclude);
    const int include = int(DeletedRows::Include);
    const int only = int(DeletedRows::Only);
    QTest::newRow("every user") << QString() << exclude << QString() << QString() << 59;
    QTest::newRow("the user") << kUser << exclude << QString() << QString() << 55;
    QTest::newRow("the user, deleted too") << kUser << include << QString() << QString() << 60;
    QTest::newRow("the user, deleted only") << kUser << only << QString() << QString() << 5;
    QTest::newRow("the other user") << kOtherUser << include << QString() << QString() << 4;
    QTest::newRow("nobody") << QStringLiteral("00000000-2222-4333-8444-555555555555") << include
                            << QString() << QString() << 0;
    QTest::newRow("from") << kUser << include << QStringLiteral("2024-01-11T08:00:00.000000Z")
                          << QString() << 10;
    QTest::newRow("until") << kUser << include << QString()
                           << QStringLiteral("2024-01-02T08:00:00.000000Z") << 5;
    QTest::newRow("between") << kUser << include << QStringLiteral("2024-01-03T00:00:00.000000Z")
                             << QStringLiteral("2024-01-05T08:00:00.000001Z") << 15;
}

void TestTransactionRepository::taxInputRecordsReadAsTheColumns() {
    QFETCH(QString, user);
    QFETCH(int, deleted);
    QFETCH(QString, from);
    QFETCH(QString, until);
    QFETCH(int, expected);
    QList<TaxTransaction> rows = seedDataset();
    // Every tax input in use somewhere: prices with and without values, fees, a donor basis,
    // values too long for a 64-bit mantissa, symbols in several columns, non-ASCII text.
    for (int i = 0; i < rows.size(); ++i) {
        TaxTransaction& t = rows[i];
        if (i % 3 == 0)
            t.assetInPriceUsd = dec("1834.12345678");
        if (i % 4 == 0)
            t.assetInValueUsd = dec("2751.19");
        if (i % 5 == 1) {
            t.feeAmount = dec("0.000420000000000000");
            t.feeSymbol = QStringLiteral("ETH");
            t.feeValueUsd = dec("0.77");
        }
        if (i % 11 == 2)
            t.costBasisUsd = dec("99999999999999999.99");
        if (i % 13 == 3)
            t.assetInAmount = dec("123456789012.123456789012345678");
        if (i % 17 == 4)
            t.wallet = QStringLiteral("Kältespeicher");
        if (i % 19 == 5)
            t.wallet = QString(255, QChar(0x00e4)); // the longest wallet: 510 bytes of UTF-8
    }
    QList<TaxTransaction> other = rows.mid(20, 4);
    for (TaxTransaction& t : other) {
        t.id = newUuid();
        t.userId = kOtherUser;
    }
    QVERIFY(m_repo->insertBatch(rows).ok());
    QVERIFY(m_repo->insertBatch(other).ok());
    QCOMPARE(m_repo->softDelete({rows[0].id, rows[13].id, rows[26].id, rows[39].id, rows[52].id})
                 .value(),
             5);
    QVERIFY(m_repo->rowsInTimeOrder().value() == false); // the other user's rows came last

    TransactionFilter filter;
    filter.userId = user;
    filter.deleted = DeletedRows(deleted);
    if (!from.isEmpty())
        filter.from = ts(qPrintable(from));
    if (!until.isEmpty())
        filter.until = ts(qPrintable(until));
    QList<TaxTransaction> records;
    QList<TaxTransaction> columns;
    QString error;
    QVERIFY2(readBothWays(filter, &records, &columns, &error), qPrintable(error));
    QCOMPARE(columns.size(), expected);
    // Rowid order here is not time order (the other user's rows came last): compare as sets
    // in ledger order.
    std::sort(records.begin(), records.end(), &TaxTransaction::ledgerOrderLess);
    QCOMPARE(records.size(), columns.size());
    for (qsizetype i = 0; i < columns.size(); ++i)
        QVERIFY2(records[i] == columns[i], qPrintable(columns[i].id));
}

void TestTransactionRepository::taxInputRecordsOutOfStepAreFound_data() {
    QTest::addColumn<QString>("tamper");
    QTest::addColumn<bool>("readFails");
    QTest::newRow("record changed")
        << QStringLiteral("UPDATE tax_inputs SET record = (SELECT record FROM tax_inputs ORDER BY "
                          "tx_rowid DESC LIMIT 1) WHERE tx_rowid = (SELECT min(tx_rowid) FROM "
                          "tax_inputs)")
        << false;
    QTest::newRow("record damaged")
        << QStringLiteral("UPDATE tax_inputs SET record = x'0100' WHERE tx_rowid = "
                          "(SELECT min(tx_rowid) FROM tax_inputs)")
        << true;
    QTest::newRow("record missing")
        << QStringLiteral("DELETE FROM tax_inputs WHERE tx_rowid = (SELECT min(tx_rowid) FROM "
                          "tax_inputs)")
        << false;
    QTest::newRow("record without a row")
        << QStringLiteral("INSERT INTO tax_inputs (tx_rowid, record) SELECT max(tx_rowid) + 100, "
                          "record FROM tax_inputs")
        << false;
}

void TestTransactionRepository::taxInputRecordsOutOfStepAreFound() {
    // Nothing but a hand-made write can do this: the check must see it all the same.
    QFETCH(QString, tamper);
    QFETCH(bool, readFails);
    QVERIFY(m_repo->insertBatch(seedDataset().mid(0, 6)).ok());
    QCOMPARE(m_repo->taxInputsOutOfStep().value(), 0LL);
    QSqlQuery q(m_db);
    QVERIFY2(q.exec(tamper), qPrintable(q.lastError().text()));
    QCOMPARE(q.numRowsAffected(), 1);
    QCOMPARE(m_repo->taxInputsOutOfStep().value(), 1LL);
    QList<TaxTransaction> records;
    QList<TaxTransaction> columns;
    QString error;
    QCOMPARE(!readBothWays(TransactionFilter(), &records, &columns, &error), readFails);
    if (readFails) {
        // Where and why, as a column that does not read back would say.
        QVERIFY2(error.contains(QLatin1String("tax_transactions row")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("ends early")), qPrintable(error));
    }
}

void TestTransactionRepository::dedupe() {
    TaxTransaction a = buy();
    a.feeAmount = dec("0.01");
    a.feeSymbol = QStringLiteral("ETH");
    QVERIFY(m_repo->insert(a).ok());

    TaxTransaction same = a;
    same.id = newUuid();
    same.notes = QStringLiteral("imported twice");
    same.assetInAmount = dec("1.500000"); // same value, other spelling
    QCOMPARE(TransactionRepository::dedupeKey(same), TransactionRepository::dedupeKey(a));
    QVERIFY(m_repo->existsDuplicate(same).value());

    TaxTransaction otherAmount = same;
    otherAmount.assetInAmount = dec("1.6");
    QVERIFY(!m_repo->existsDuplicate(otherAmount).value());
    TaxTransaction otherFee = same;
    otherFee.feeAmount.reset();
    otherFee.feeSymbol.reset();
    QVERIFY(!m_repo->existsDuplicate(otherFee).value());
    TaxTransaction otherType = same;
    otherType.transactionType = TransactionType::TransferIn;
    QVERIFY(!m_repo->existsDuplicate(otherType).value());
    TaxTransaction otherTime = same;
    otherTime.timestamp = ts("2024-03-01T10:00:00.000001Z");
    QVERIFY(!m_repo->existsDuplicate(otherTime).value());
    TaxTransaction otherUser = same;
    otherUser.userId = kOtherUser;
    QVERIFY(!m_repo->existsDuplicate(otherUser).value());

    QCOMPARE(m_repo->softDelete({a.id}).value(), 1); // deleted rows do not block a re-import
    QVERIFY(!m_repo->existsDuplicate(same).value());
}

void TestTransactionRepository::importSkipsDuplicates() {
    const TaxTransaction stored = buy();
    QVERIFY(m_repo->insert(stored).ok());
    TaxTransaction copyOfStored = stored;
    copyOfStored.id = newUuid();
    const TaxTransaction fresh = buy("2024-05-05T05:05:05.000000Z");
    TaxTransaction copyOfFresh = fresh;
    copyOfFresh.id = newUuid();
    TaxTransaction fresh2 = buy("2024-05-06T05:05:05.000000Z");

    Result<ImportOutcome> outcome = m_repo->importBatch({copyOfStored, fresh, copyOfFresh, fresh2});
    QVERIFY2(outcome.ok(), qPrintable(outcome.error()));
    QCOMPARE(outcome->inserted, 2);
    QCOMPARE(outcome->skipped, (QList<int>{0, 2}));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 3LL);

    // A bad row fails the whole import.
    TaxTransaction bad = buy("2024-07-07T00:00:00.000000Z");
    bad.chainId = 0;
    QVERIFY(!m_repo->importBatch({buy("2024-08-08T00:00:00.000000Z"), bad}).ok());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 3LL);
}

void TestTransactionRepository::nestedTransactionRollsBackTogether() {
    // A repository call inside a caller's transaction joins it (as a savepoint): rolling back
    // the outer transaction removes the inner work too.
    SqlRepository::Transaction outer(m_db);
    QVERIFY(outer.begin(QStringLiteral("test")).ok());
    QVERIFY(m_repo->insertBatch({buy(), buy()}).ok());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 2LL);
    outer.rollback();
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 0LL);

    // And a failing inner call leaves the outer transaction's earlier work intact.
    SqlRepository::Transaction outer2(m_db);
    QVERIFY(outer2.begin(QStringLiteral("test")).ok());
    const TaxTransaction kept = buy();
    QVERIFY(m_repo->insert(kept).ok());
    QVERIFY(!m_repo->insertBatch({buy(), kept}).ok()); // duplicate id
    QVERIFY(outer2.commit().ok());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")), 1LL);
}

QTEST_GUILESS_MAIN(TestTransactionRepository)
#include "TestTransactionRepository.moc"
