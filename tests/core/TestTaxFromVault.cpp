// The engine fed from a real encrypted vault, one row at a time through
// TransactionRepository::forEach, gives exactly the report of the same ledger held in a list:
// the repository's (timestamp, id) order is the engine's, and every column the rules read
// survives the round trip through SQLCipher.

#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"

#include "TestSupport.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

using namespace llamadesk;
using namespace llamadesk::store;
using namespace llamadesk::tax;

class TestTaxFromVault : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void streamedReportEqualsListReport_data();
    void streamedReportEqualsListReport();

private:
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    QList<TaxTransaction> m_ledger;
};

void TestTaxFromVault::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("tax-vault"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));

    LedgerGeneratorOptions g;
    g.seed = 31;
    g.transactions = 3000;
    g.start = QDate(2023, 9, 1);
    g.days = 700;
    m_ledger = LedgerGenerator::generate(g);
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(g.userId);
    q.addBindValue(QStringLiteral("tax@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    TransactionRepository repo(m_db);
    const Status inserted = repo.insertBatch(m_ledger);
    QVERIFY2(inserted.ok(), qPrintable(inserted.error()));
}

void TestTaxFromVault::cleanupTestCase() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("tax-vault"));
}

void TestTaxFromVault::streamedReportEqualsListReport_data() {
    QTest::addColumn<int>("jurisdiction");
    QTest::addColumn<int>("method");
    QTest::newRow("US HIFO, automatic scope")
        << int(Jurisdiction::UnitedStates) << int(CostBasisMethod::Hifo);
    QTest::newRow("UK pooling") << int(Jurisdiction::UnitedKingdom) << int(CostBasisMethod::Fifo);
}

void TestTaxFromVault::streamedReportEqualsListReport() {
    QFETCH(int, jurisdiction);
    QFETCH(int, method);
    TaxOptions options = TaxOptions::forTaxYear(Jurisdiction(jurisdiction), 2024);
    options.method = CostBasisMethod(method);
    options.captureFinalState = true;

    TaxEngine engine(options);
    TransactionRepository repo(m_db);
    TransactionFilter filter;
    filter.userId = LedgerGeneratorOptions().userId;
    qint64 rows = 0;
    Status added;
    const Status read = repo.forEach(filter, [&](const TaxTransaction& t) {
        ++rows;
        added = engine.add(t);
        return added.ok();
    });
    QVERIFY2(read.ok(), qPrintable(read.error()));
    QVERIFY2(added.ok(), qPrintable(added.error()));
    QCOMPARE(rows, qint64(m_ledger.size()));
    const Result<TaxResult> streamed = engine.finish();
    QVERIFY2(streamed.ok(), qPrintable(streamed.error()));
    const Result<TaxResult> listed = TaxEngine::run(m_ledger, options);
    QVERIFY2(listed.ok(), qPrintable(listed.error()));

    QVERIFY(streamed->disposalCount() > 100);
    QCOMPARE(streamed->disposals(), listed->disposals());
    QCOMPARE(streamed->incomeLines(), listed->incomeLines());
    QCOMPARE(streamed->expenseLines(), listed->expenseLines());
    QCOMPARE(streamed->warnings(), listed->warnings());
    QCOMPARE(streamed->holdings(), listed->holdings());
    QCOMPARE(streamed->summary(), listed->summary());
    QCOMPARE(streamed->finalState(), listed->finalState());
}

QTEST_GUILESS_MAIN(TestTaxFromVault)
#include "TestTaxFromVault.moc"
