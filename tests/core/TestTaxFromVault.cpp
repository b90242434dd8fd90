// The engine fed from a real encrypted vault, one row at a time through
// TransactionRepository::forEach (every column, or only the tax inputs) or through
// ParallelTransactionReader (chunks read on three connections), gives exactly the report of the
// same ledger held in a list: the repository's (timestamp, id) order is the engine's, and every
// column the rules read survives the round trip through SQLCipher.

#include "store/Migrator.h"
#include "store/ParallelTransactionReader.h"
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
    QString m_path;
    QByteArray m_key;
    QList<TaxTransaction> m_ledger;
};

void TestTaxFromVault::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    m_key = QByteArray(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(m_key.data()),
                                          m_key.size() / int(sizeof(quint32)));
    m_path = m_dir->filePath(QStringLiteral("vault.db"));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("tax-vault"), m_path, m_key, {}, nullptr,
                                         &error);
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
    QTest::addColumn<QString>("reading");
    for (const QString& reading :
         {QStringLiteral("forEach"), QStringLiteral("tax inputs"), QStringLiteral("parallel")}) {
        QTest::addRow("US HIFO, automatic scope, %s", qPrintable(reading))
            << int(Jurisdiction::UnitedStates) << int(CostBasisMethod::Hifo) << reading;
        QTest::addRow("UK pooling, %s", qPrintable(reading))
            << int(Jurisdiction::UnitedKingdom) << int(CostBasisMethod::Fifo) << reading;
    }
}

void TestTaxFromVault::streamedReportEqualsListReport() {
    QFETCH(int, jurisdiction);
    QFETCH(int, method);
    QFETCH(QString, reading);
    TaxOptions options = TaxOptions::forTaxYear(Jurisdiction(jurisdiction), 2024);
    options.method = CostBasisMethod(method);
    options.captureFinalState = true;

    TaxEngine engine(options);
    TransactionRepository repo(m_db);
    TransactionFilter filter;
    filter.userId = LedgerGeneratorOptions().userId;
    qint64 rows = 0;
    Status added;
    const auto feed = [&](const TaxTransaction& t) {
        ++rows;
        added = engine.add(t);
        return added.ok();
    };
    Status read;
    if (reading == QLatin1String("parallel")) {
        ParallelTransactionReader::Options o;
        o.readers = 3;
        o.chunkRows = 100;
        o.minimumRows = 0;
        o.columns = TransactionColumns::TaxInputs;
        const QString path = m_path;
        const QByteArray key = m_key;
        ParallelTransactionReader reader(
            m_db,
            [path, key](const QString& name, QString* error) {
                return SqlCipherDriver::openDatabase(name, path, key, {}, nullptr, error);
            },
            o);
        read = reader.forEach(filter, feed);
        QCOMPARE(reader.readersUsed(), 3);
    } else {
        read = repo.forEach(filter, feed, false,
                            reading == QLatin1String("tax inputs") ? TransactionColumns::TaxInputs
                                                                   : TransactionColumns::All);
    }
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
