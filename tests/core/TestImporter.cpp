// Import semantics on a real encrypted vault: all or nothing by default (per file and across
// files), --partial, re-imports that add no duplicates (explicit and derived hashes, across batch
// boundaries), cancel leaving nothing behind, and progress reports.

#include "import/CanonicalCsvWriter.h"
#include "import/Importer.h"
#include "import/LedgerReader.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"

#include "TestSupport.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace llamadesk;
using namespace llamadesk::import;

namespace {
const QString kUser = QStringLiteral("5eed5eed-0000-4000-8000-000000000001");
const QByteArray kHeader = "timestamp,transaction_type,asset_in_symbol,asset_in_amount,"
                           "asset_out_symbol,asset_out_amount\n";
} // namespace

class TestImporter : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void partialImportsGoodRows();
    void reimportAddsNoDuplicates_data();
    void reimportAddsNoDuplicates();
    void identicalRowsWithoutHash();
    void deletedRowImportsAgain();
    void multiFileAllOrNothing();
    void cancelLeavesNothing();
    void progressIsReported();
    void generatedLedgerImports();

private:
    qint64 rowCount();
    QString writeFile(const QString& name, const QByteArray& bytes);
    QString writeLedger(const QString& name, qint64 rows);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
};

void TestImporter::init() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(store::SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = store::SqlCipherDriver::openDatabase(QStringLiteral("importer"),
                                                m_dir->filePath(QStringLiteral("vault.db")), key,
                                                {}, nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = store::Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(kUser);
    q.addBindValue(QStringLiteral("importer@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
}

void TestImporter::cleanup() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("importer"));
    m_dir.reset();
}

qint64 TestImporter::rowCount() {
    store::TransactionRepository repo(m_db);
    const Result<qint64> n = repo.count({});
    return n.ok() ? *n : -1;
}

QString TestImporter::writeFile(const QString& name, const QByteArray& bytes) {
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QString();
    f.write(bytes);
    return path;
}

QString TestImporter::writeLedger(const QString& name, qint64 rows) {
    tax::LedgerGeneratorOptions g;
    g.transactions = rows;
    g.seed = 11;
    g.userId = kUser;
    tax::LedgerGenerator generator(g);
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QString();
    CanonicalCsvWriter writer(&f);
    writer.writeHeader();
    TaxTransaction t;
    while (generator.next(&t))
        writer.write(t);
    return path;
}

void TestImporter::partialImportsGoodRows() {
    QByteArray csv = kHeader;
    csv += "2024-01-01T00:00:00Z,buy,BTC,1,USD,40000\n";
    csv += "2024-01-02T00:00:00Z,buy,BTC,x,USD,40000\n"; // bad
    csv += "2024-01-03T00:00:00Z,sell,USD,41000,BTC,1\n";
    csv += "2024-01-04T00:00:00Z,buy,BTC,1,USD,-5\n"; // bad
    csv += "2024-01-05T00:00:00Z,airdrop,ARB,10,,\n";
    const QString path = writeFile(QStringLiteral("mixed.csv"), csv);

    Importer importer(m_db, kUser);
    auto strict = importer.run({path}, {});
    QVERIFY2(strict.ok(), qPrintable(strict.error()));
    QVERIFY(!strict->committed);
    QCOMPARE(rowCount(), qint64(0));

    ImportOptions partial;
    partial.partial = true;
    const auto result = importer.run({path}, partial);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(result->committed);
    QCOMPARE(result->recordsRead, qint64(5));
    QCOMPARE(result->imported, qint64(3));
    QCOMPARE(result->badRecords, qint64(2));
    QCOMPARE(result->duplicates, qint64(0));
    QCOMPARE(result->problems.size(), 2);
    QCOMPARE(result->problems.at(0).line, qint64(3));
    QCOMPARE(result->problems.at(1).line, qint64(5));
    QCOMPARE(rowCount(), qint64(3));

    // The stored rows are the vault owner's, with the default wallet.
    store::TransactionRepository repo(m_db);
    const auto rows = repo.list({});
    QVERIFY(rows.ok());
    for (const TaxTransaction& t : *rows) {
        QCOMPARE(t.userId, kUser);
        QCOMPARE(t.wallet, QStringLiteral("default"));
        QVERIFY(t.transactionHash.startsWith(QLatin1String("derived:")));
    }
}

void TestImporter::reimportAddsNoDuplicates_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("batchSize");
    QTest::newRow("canonical") << "canonical.csv" << 6 << 20000;
    QTest::newRow("koinly") << "koinly-universal.csv" << 9 << 20000;
    QTest::newRow("cointracker") << "cointracker.csv" << 7 << 20000;
    QTest::newRow("cointracker, batches of 2") << "cointracker.csv" << 7 << 2;
}

void TestImporter::reimportAddsNoDuplicates() {
    QFETCH(QString, fixture);
    QFETCH(int, rows);
    QFETCH(int, batchSize);
    const QString path = QFINDTESTDATA(QStringLiteral("../fixtures/import/") + fixture);
    QVERIFY(!path.isEmpty());
    ImportOptions options;
    options.batchSize = batchSize;
    Importer importer(m_db, kUser);
    const auto first = importer.run({path}, options);
    QVERIFY2(first.ok(), qPrintable(first.error()));
    QVERIFY(first->committed);
    QCOMPARE(first->imported, qint64(rows));
    QCOMPARE(rowCount(), qint64(rows));

    const auto second = importer.run({path}, options);
    QVERIFY2(second.ok(), qPrintable(second.error()));
    QVERIFY(second->committed);
    QCOMPARE(second->imported, qint64(0));
    QCOMPARE(second->duplicates, qint64(rows));
    QCOMPARE(rowCount(), qint64(rows));

    // The same file twice in one command: the second copy is all duplicates.
    const auto both = importer.run({path, path}, options);
    QVERIFY(both.ok());
    QCOMPARE(both->imported, qint64(0));
    QCOMPARE(both->duplicates, qint64(2 * rows));
    QCOMPARE(rowCount(), qint64(rows));
}

void TestImporter::identicalRowsWithoutHash() {
    // Two genuinely identical purchases in one file are two rows; importing again adds none.
    QByteArray csv = kHeader;
    csv += "2024-01-01T00:00:00Z,buy,BTC,0.1,USD,4000\n";
    csv += "2024-01-01T00:00:00Z,buy,BTC,0.1,USD,4000\n";
    const QString path = writeFile(QStringLiteral("twins.csv"), csv);
    Importer importer(m_db, kUser);
    auto first = importer.run({path}, {});
    QVERIFY(first.ok());
    QCOMPARE(first->imported, qint64(2));
    auto again = importer.run({path}, {});
    QVERIFY(again.ok());
    QCOMPARE(again->imported, qint64(0));
    QCOMPARE(again->duplicates, qint64(2));
    // A third identical row added later is new.
    csv += "2024-01-01T00:00:00Z,buy,BTC,0.1,USD,4000\n";
    auto third = importer.run({writeFile(QStringLiteral("twins.csv"), csv)}, {});
    QVERIFY(third.ok());
    QCOMPARE(third->imported, qint64(1));
    QCOMPARE(third->duplicates, qint64(2));
    QCOMPARE(rowCount(), qint64(3));
}

void TestImporter::deletedRowImportsAgain() {
    const QString path = QFINDTESTDATA(QStringLiteral("../fixtures/import/canonical.csv"));
    QVERIFY(!path.isEmpty());
    Importer importer(m_db, kUser);
    const auto first = importer.run({path}, {});
    QVERIFY2(first.ok(), qPrintable(first.error()));
    const qint64 rows = rowCount();
    QVERIFY(rows > 1);

    // Ids are stable: what the same file gives without a vault.
    store::TransactionRepository repo(m_db);
    const auto listed = repo.page({}, std::nullopt, 1);
    QVERIFY2(listed.ok() && listed->rows.size() == 1, "one row listed");
    const TaxTransaction deleted = listed->rows.constFirst();
    const auto file = readLedgerFile(path);
    QVERIFY(file.ok());
    const auto same = std::find_if(file->rows.cbegin(), file->rows.cend(),
                                   [&](const TaxTransaction& t) { return t.id == deleted.id; });
    QVERIFY2(same != file->rows.cend(), "the stored id is the file's stable id");

    // Deleted, then imported again: the row comes back under a new id (its deleted twin keeps
    // the old one), and nothing else changes.
    const auto removed = repo.softDelete({deleted.id});
    QVERIFY(removed.ok() && *removed == 1);
    QCOMPARE(rowCount(), rows - 1);
    const auto again = importer.run({path}, {});
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(again->imported, qint64(1));
    QCOMPARE(again->duplicates, qint64(rows - 1));
    QCOMPARE(rowCount(), rows);
    const auto old = repo.get(deleted.id);
    QVERIFY(old.ok() && old->has_value());
    QVERIFY((*old)->deletedAt.has_value());
}

void TestImporter::multiFileAllOrNothing() {
    const QString good = QFINDTESTDATA("../fixtures/import/koinly-universal.csv");
    const QString bad =
        writeFile(QStringLiteral("bad.csv"), kHeader + "2024-01-01T00:00:00Z,buy,BTC,1,USD,40000\n"
                                                       "2024-01-02 00:00:00,buy,BTC,1,USD,40000\n");
    Importer importer(m_db, kUser);
    // The bad file last: rows of the good file were already written, and are rolled back.
    auto result = importer.run({good, bad}, {});
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(!result->committed);
    QCOMPARE(result->imported, qint64(0));
    QCOMPARE(result->files.size(), 2);
    QCOMPARE(result->files.at(0).badRecords, qint64(0));
    QCOMPARE(result->files.at(1).badRecords, qint64(1));
    QCOMPARE(result->problems.size(), 1);
    QCOMPARE(result->problems.first().file, bad);
    QCOMPARE(result->problems.first().line, qint64(3));
    QCOMPARE(rowCount(), qint64(0));

    // The bad file first: the good one is still read (its problems would be listed) but not
    // written.
    result = importer.run({bad, good}, {});
    QVERIFY(result.ok());
    QVERIFY(!result->committed);
    QCOMPARE(rowCount(), qint64(0));

    ImportOptions partial;
    partial.partial = true;
    result = importer.run({bad, good}, partial);
    QVERIFY(result.ok());
    QVERIFY(result->committed);
    QCOMPARE(result->imported, qint64(1 + 9));
    QCOMPARE(rowCount(), qint64(10));

    // A file that cannot be read stops everything, even with --partial.
    result = importer.run({good, m_dir->filePath(QStringLiteral("missing.csv"))}, partial);
    QVERIFY(!result.ok());
    QVERIFY(result.error().contains(QLatin1String("missing.csv")));
    QCOMPARE(rowCount(), qint64(10));
}

void TestImporter::cancelLeavesNothing() {
    const QString path = writeLedger(QStringLiteral("big.csv"), 30000);
    std::atomic<bool> cancel{false};
    int reports = 0;
    ImportOptions options;
    options.batchSize = 1000; // several batches are written before the cancel
    options.cancel = &cancel;
    options.progress = [&](const ImportProgress& p) {
        ++reports;
        if (p.bytesDone > p.bytesTotal / 2)
            cancel = true;
    };
    Importer importer(m_db, kUser);
    const auto result = importer.run({path}, options);
    QVERIFY(!result.ok());
    QVERIFY(importer.cancelled());
    QVERIFY(reports > 1);
    QCOMPARE(rowCount(), qint64(0));

    // The same import without the cancel goes through.
    cancel = false;
    options.progress = nullptr;
    const auto done = importer.run({path}, options);
    QVERIFY2(done.ok(), qPrintable(done.error()));
    QVERIFY(!importer.cancelled());
    QVERIFY(done->imported >= 30000);
    QCOMPARE(done->imported, done->recordsRead);
    QCOMPARE(rowCount(), done->imported);
}

void TestImporter::progressIsReported() {
    const QString path = writeLedger(QStringLiteral("progress.csv"), 10000);
    const qint64 size = QFileInfo(path).size();
    QList<qint64> done;
    ImportOptions options;
    options.progress = [&](const ImportProgress& p) {
        QCOMPARE(p.fileCount, 1);
        QCOMPARE(p.bytesTotal, size);
        done.append(p.bytesDone);
    };
    Importer importer(m_db, kUser);
    const auto result = importer.run({path}, options);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(done.size() >= 2);
    for (int i = 1; i < done.size(); ++i)
        QVERIFY(done.at(i) >= done.at(i - 1));
    QCOMPARE(done.last(), size);
}

void TestImporter::generatedLedgerImports() {
    // A generated ledger (every type, fees, transfers) imports completely; its stored rows read
    // back as the generator made them.
    const QString path = writeLedger(QStringLiteral("ledger.csv"), 2000);
    Importer importer(m_db, kUser);
    const auto result = importer.run({path}, {});
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(result->problems.isEmpty());
    QCOMPARE(result->imported, result->recordsRead);

    tax::LedgerGeneratorOptions g;
    g.transactions = 2000;
    g.seed = 11;
    g.userId = kUser;
    const QList<TaxTransaction> ledger = tax::LedgerGenerator::generate(g);
    store::TransactionRepository repo(m_db);
    QSet<QByteArray> stored;
    QVERIFY(repo.forEach({},
                         [&](const TaxTransaction& t) {
                             stored.insert(CanonicalCsvWriter::row(t));
                             return true;
                         })
                .ok());
    for (const TaxTransaction& t : ledger)
        QVERIFY(stored.contains(CanonicalCsvWriter::row(t)));
}

QTEST_GUILESS_MAIN(TestImporter)
#include "TestImporter.moc"
