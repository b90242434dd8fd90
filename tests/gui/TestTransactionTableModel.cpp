#include "TestSupport.h"

#include "app/WorkerConnection.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "transactions/TransactionTableModel.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// The transactions model over a real vault of 100,000 rows: it lists, scrolls to the end and
// filters without ever holding more than its bounded set of pages, and passes the model tester.
class TestTransactionTableModel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void opensAtTheNewestRow();
    void scrollsToTheEndWithBoundedMemory();
    void reachesAnyRowAfterTheScan();
    void sortsBothWays();
    void filters_data();
    void filters();
    void detachWipes();

private:
    std::unique_ptr<TransactionTableModel> makeModel();
    TaxTransaction repositoryRow(bool last);

    static constexpr qint64 kRows = 100000;
    static constexpr int kMaxPages = 12;
    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::shared_ptr<vault::Vault> m_vault;
    QSqlDatabase m_db;
};

void TestTransactionTableModel::initTestCase() {
    const QString path = m_dir.filePath(QStringLiteral("big.llamadesk"));
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = QStringLiteral("model test passphrase 1");
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    std::unique_ptr<vault::Vault> made =
        vault::Vault::create(path, options, m_secrets, nullptr, &error, &message);
    QVERIFY2(made, qPrintable(message));
    m_vault = std::move(made);
    m_db = m_vault->database();
    const Result<QString> owner = store::LocalUser::ensure(m_db);
    QVERIFY(owner.ok());
    tax::LedgerGeneratorOptions ledger;
    ledger.transactions = kRows;
    ledger.userId = owner.value();
    ledger.departures = false;
    tax::LedgerGenerator generator(ledger);
    store::TransactionRepository repository(m_db);
    QList<TaxTransaction> batch;
    TaxTransaction row;
    qint64 total = 0;
    while (total + batch.size() < kRows && generator.next(&row)) {
        batch.append(row);
        if (batch.size() == 10000) {
            QVERIFY(repository.insertBatch(batch).ok());
            total += batch.size();
            batch.clear();
        }
    }
    QVERIFY(repository.insertBatch(batch).ok());
    total += batch.size();
    QCOMPARE(total, kRows);
}

void TestTransactionTableModel::cleanupTestCase() {
    m_db = QSqlDatabase();
    if (m_vault)
        m_vault->close();
}

std::unique_ptr<TransactionTableModel> TestTransactionTableModel::makeModel() {
    auto model = std::make_unique<TransactionTableModel>(nullptr, 200, kMaxPages);
    model->attach(m_vault, m_db);
    return model;
}

TaxTransaction TestTransactionTableModel::repositoryRow(bool last) {
    store::TransactionRepository repository(m_db);
    const auto page = repository.page(
        {}, std::nullopt, 1, last ? store::PageDirection::Backward : store::PageDirection::Forward);
    if (!page || page->rows.isEmpty())
        qFatal("cannot read the reference row");
    return page->rows.first();
}

void TestTransactionTableModel::opensAtTheNewestRow() {
    auto model = makeModel();
    QAbstractItemModelTester tester(model.get(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(model.get(), &TransactionTableModel::loaded);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QCOMPARE(model->rowCount(), int(kRows));
    QCOMPARE(model->columnCount(), int(TransactionTableModel::ColumnCount));
    // Newest first by default.
    const TaxTransaction newest = repositoryRow(true);
    QCOMPARE(model->data(model->index(0, 0), TransactionTableModel::IdRole).toString(), newest.id);
    // Amounts are right-aligned exact decimal text.
    const QVariant align =
        model->data(model->index(0, TransactionTableModel::ValueColumn), Qt::TextAlignmentRole);
    QVERIFY(align.value<Qt::Alignment>().testFlag(Qt::AlignRight));
    QVERIFY(model->residentPages() <= kMaxPages);
}

void TestTransactionTableModel::scrollsToTheEndWithBoundedMemory() {
    auto model = makeModel();
    QAbstractItemModelTester tester(model.get(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == kRows, 20000);
    // The end of the listing (the oldest row) is reachable at once, without the scan.
    const int last = model->rowCount() - 1;
    const TaxTransaction oldest = repositoryRow(false);
    QCOMPARE(model->data(model->index(last, 0), TransactionTableModel::IdRole).toString(),
             oldest.id);
    // Scroll up from the end through 60 pages: each row resolves and memory stays bounded.
    QString previous;
    for (int row = last; row > last - 60 * 200; row -= 37) {
        const QModelIndex index = model->index(row, 0);
        QVERIFY2(model->data(index, TransactionTableModel::ResolvedRole).toBool(),
                 qPrintable(QString::number(row)));
        QVERIFY(model->residentPages() <= kMaxPages);
    }
    // And down from the top.
    for (int row = 0; row < 60 * 200; row += 41) {
        QVERIFY(model->data(model->index(row, 0), TransactionTableModel::ResolvedRole).toBool());
        QVERIFY(model->residentPages() <= kMaxPages);
    }
    Q_UNUSED(previous);
}

void TestTransactionTableModel::reachesAnyRowAfterTheScan() {
    auto model = makeModel();
    QSignalSpy scanned(model.get(), &TransactionTableModel::scanFinished);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 60000);
    // Any row, in any order, is one keyset query away; rows are in (timestamp, id) order.
    for (const int row : {50000, 12345, 87654, 99998, 1, 64000}) {
        const TaxTransaction* a = model->transactionAt(row);
        const TaxTransaction* b = nullptr;
        QVERIFY2(a != nullptr, qPrintable(QString::number(row)));
        const TaxTransaction copy = *a;
        b = model->transactionAt(row + 1);
        QVERIFY(b != nullptr);
        // Descending: row + 1 is older.
        QVERIFY(store::TransactionKey::of(*b).timestamp <= copy.timestamp);
        QVERIFY(model->residentPages() <= kMaxPages);
    }
    // The middle row equals what the repository lists at that position.
    store::TransactionRepository repository(m_db);
    std::optional<store::TransactionKey> key;
    qint64 seen = 0;
    TaxTransaction expected;
    // Row 50000 in descending order is ascending index kRows - 1 - 50000.
    const qint64 target = kRows - 1 - 50000;
    while (seen <= target) {
        const auto page = repository.page({}, key, 5000, store::PageDirection::Forward);
        QVERIFY(page.ok());
        if (seen + page->rows.size() > target) {
            expected = page->rows.at(qsizetype(target - seen));
            break;
        }
        seen += page->rows.size();
        key = store::TransactionKey::of(page->rows.constLast());
    }
    QCOMPARE(model->transactionAt(50000)->id, expected.id);
}

void TestTransactionTableModel::sortsBothWays() {
    auto model = makeModel();
    QAbstractItemModelTester tester(model.get(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 20000);
    model->sort(TransactionTableModel::DateColumn, Qt::AscendingOrder);
    QCOMPARE(model->data(model->index(0, 0), TransactionTableModel::IdRole).toString(),
             repositoryRow(false).id);
    model->sort(TransactionTableModel::DateColumn, Qt::DescendingOrder);
    QCOMPARE(model->data(model->index(0, 0), TransactionTableModel::IdRole).toString(),
             repositoryRow(true).id);
    // Other columns keep the order.
    model->sort(TransactionTableModel::WalletColumn, Qt::AscendingOrder);
    QVERIFY(model->isDescending());
}

void TestTransactionTableModel::filters_data() {
    QTest::addColumn<QString>("asset");
    QTest::addColumn<QString>("wallet");
    QTest::addColumn<QString>("search");
    QTest::addColumn<int>("type");
    QTest::newRow("asset") << QStringLiteral("ETH") << QString() << QString() << -1;
    QTest::newRow("wallet") << QString() << QStringLiteral("kraken") << QString() << -1;
    QTest::newRow("type") << QString() << QString() << QString()
                          << int(TransactionType::StakingReward);
    QTest::newRow("search") << QString() << QString() << QStringLiteral("0xab") << -1;
    QTest::newRow("nothing") << QStringLiteral("NOPE") << QString() << QString() << -1;
}

void TestTransactionTableModel::filters() {
    QFETCH(QString, asset);
    QFETCH(QString, wallet);
    QFETCH(QString, search);
    QFETCH(int, type);
    auto model = makeModel();
    QAbstractItemModelTester tester(model.get(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 20000);
    store::TransactionFilter filter;
    if (!asset.isEmpty())
        filter.assets = {asset};
    if (!wallet.isEmpty())
        filter.wallets = {wallet};
    if (type >= 0)
        filter.types = {TransactionType(type)};
    filter.search = search;
    QElapsedTimer timer;
    timer.start();
    model->setFilter(filter);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 20000);
    qInfo("filter %s: %lld rows in %lld ms", QTest::currentDataTag(), model->totalCount(),
          timer.elapsed());
    store::TransactionRepository repository(m_db);
    const Result<qint64> expected = repository.count(filter);
    QVERIFY(expected.ok());
    QCOMPARE(model->totalCount(), expected.value());
    if (asset == QLatin1String("NOPE")) {
        QCOMPARE(model->rowCount(), 0);
        return;
    }
    QVERIFY(model->rowCount() > 0);
    // The first and the last row match the filter.
    for (const int row : {0, model->rowCount() - 1}) {
        const TaxTransaction* t = model->transactionAt(row);
        QVERIFY(t != nullptr);
        if (!asset.isEmpty())
            QVERIFY(t->assetInSymbol == asset || t->assetOutSymbol == asset);
        if (!wallet.isEmpty())
            QCOMPARE(t->wallet, wallet);
        if (type >= 0)
            QCOMPARE(int(t->transactionType), type);
    }
    QVERIFY(model->residentPages() <= kMaxPages);
}

void TestTransactionTableModel::detachWipes() {
    auto model = makeModel();
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 20000);
    QVERIFY(model->transactionAt(0) != nullptr);
    model->detach();
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->residentPages(), 0);
    QVERIFY(model->transactionAt(0) == nullptr);
}

QTEST_MAIN(TestTransactionTableModel)
#include "TestTransactionTableModel.moc"
