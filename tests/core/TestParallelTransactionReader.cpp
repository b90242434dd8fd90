// ParallelTransactionReader against TransactionRepository::forEach on a real encrypted vault:
// the same rows in the same order for every filter, thread count and chunk size; an early stop;
// a fall back to one connection when a reader cannot open or the vault is busy; and one snapshot
// shared by every reader while another connection keeps committing.

#include "domain/Uuid.h"
#include "store/Migrator.h"
#include "store/ParallelTransactionReader.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"

#include "TestSupport.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <memory>
#include <set>

using namespace llamadesk;
using namespace llamadesk::store;
using namespace llamadesk::tax;

namespace {

const QString kMain = QStringLiteral("parallel-main");

QList<TaxTransaction> readSequential(QSqlDatabase db, const TransactionFilter& filter,
                                     TransactionColumns columns) {
    QList<TaxTransaction> rows;
    TransactionRepository repo(db);
    const Status s = repo.forEach(
        filter,
        [&rows](const TaxTransaction& t) {
            rows.append(t);
            return true;
        },
        false, columns);
    if (!s)
        qWarning() << s.error();
    return rows;
}

// Overwrites the vault's ledger-order flag (kept by triggers since migration 006).
bool setLedgerOrderFlag(QSqlDatabase db, int value) {
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral("UPDATE tax_ledger_changes SET rowid_order = ? WHERE id = 1")))
        return false;
    q.addBindValue(value);
    return q.exec() && q.numRowsAffected() == 1;
}

int ledgerOrderFlag(QSqlDatabase db) {
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT rowid_order FROM tax_ledger_changes WHERE id = 1")) ||
        !q.next())
        return -1;
    return q.value(0).toInt();
}

// Every row the reader gives for filter, in the order given; *status says how it ended.
QList<TaxTransaction> readAll(ParallelTransactionReader& reader, const TransactionFilter& filter,
                              Status* status) {
    QList<TaxTransaction> rows;
    *status = reader.forEach(filter, [&rows](const TaxTransaction& t) {
        rows.append(t);
        return true;
    });
    return rows;
}

} // namespace

class TestParallelTransactionReader : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sameRowsAsForEach_data();
    void sameRowsAsForEach();
    void taxInputsKeepWhatTheEngineReads();
    void stopsEarly();
    void smallRangesReadOnOneConnection();
    void fallsBackWhenAReaderCannotOpen();
    void fallsBackWhenTheVaultIsBusy();
    void readersShareOneSnapshot();
    void ledgerOrderFollowsWrites_data();
    void ledgerOrderFollowsWrites();
    void outOfOrderVaultIsReadThroughTheTimeIndex();

private:
    // A new vault at the latest schema with this test's user, on connection `name`.
    bool openFreshVault(testsupport::ScratchDir* dir, const QString& name,
                        std::unique_ptr<testsupport::VaultConnection>* out);
    TaxTransaction rowAt(const QString& timestamp, const QString& id = QString()) const;

    ParallelTransactionReader::ConnectionFactory factory() const;
    static ParallelTransactionReader::Options smallChunks(int readers, int chunkRows,
                                                          TransactionColumns columns);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QString m_path;
    QByteArray m_key;
    QSqlDatabase m_db;
    QList<TaxTransaction> m_ledger;
    QString m_userId;
};

ParallelTransactionReader::ConnectionFactory TestParallelTransactionReader::factory() const {
    const QString path = m_path;
    const QByteArray key = m_key;
    return [path, key](const QString& name, QString* error) {
        return SqlCipherDriver::openDatabase(name, path, key, {}, nullptr, error);
    };
}

ParallelTransactionReader::Options
TestParallelTransactionReader::smallChunks(int readers, int chunkRows, TransactionColumns columns) {
    ParallelTransactionReader::Options o;
    o.readers = readers;
    o.chunkRows = chunkRows;
    o.minimumRows = 0; // the test ledger is small: cut it anyway
    o.columns = columns;
    return o;
}

void TestParallelTransactionReader::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("vault.db"));
    m_key = QByteArray(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(m_key.data()),
                                          m_key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(kMain, m_path, m_key, {}, nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));

    LedgerGeneratorOptions g;
    g.seed = 7;
    g.transactions = 3000;
    g.start = QDate(2023, 1, 1);
    g.days = 500;
    m_userId = g.userId;
    m_ledger = LedgerGenerator::generate(g);
    // Some sides priced but not valued (the generator values every priced side): the engine
    // then values them itself, so the tax-input reads must keep those prices.
    for (qsizetype i = 3; i < m_ledger.size(); i += 13) {
        TaxTransaction& t = m_ledger[i];
        if (t.assetInPriceUsd)
            t.assetInValueUsd.reset();
        if (t.assetOutPriceUsd)
            t.assetOutValueUsd.reset();
    }
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(g.userId);
    q.addBindValue(QStringLiteral("parallel@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    TransactionRepository repo(m_db);
    const Status inserted = repo.insertBatch(m_ledger);
    QVERIFY2(inserted.ok(), qPrintable(inserted.error()));
    // A few soft-deleted rows, for the filters on deletion.
    QStringList gone;
    for (int i = 5; i < m_ledger.size(); i += 97)
        gone << m_ledger[i].id;
    const Result<int> deleted = repo.softDelete(gone);
    QVERIFY2(deleted.ok(), qPrintable(deleted.error()));
    QCOMPARE(deleted.value(), int(gone.size()));
}

void TestParallelTransactionReader::cleanupTestCase() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(kMain);
}

void TestParallelTransactionReader::sameRowsAsForEach_data() {
    QTest::addColumn<int>("readers");
    QTest::addColumn<int>("chunkRows");
    QTest::addColumn<QString>("filterKind");
    QTest::addColumn<bool>("taxInputs");
    // The ledger was written in time order, so time ranges are read as rowid ranges; "time
    // index" clears the vault's ledger-order flag for the read to force the other path.
    QTest::addColumn<bool>("timeIndex");
    QTest::addColumn<bool>("expectRowidOrder");
    QTest::newRow("2 readers, every live row")
        << 2 << 64 << QStringLiteral("live") << false << false << true;
    QTest::newRow("2 readers, tax inputs")
        << 2 << 64 << QStringLiteral("live") << true << false << true;
    QTest::newRow("3 readers, chunks of 7 rows")
        << 3 << 7 << QStringLiteral("live") << false << false << true;
    QTest::newRow("2 readers, one chunk per 1000")
        << 2 << 1000 << QStringLiteral("live") << true << false << true;
    QTest::newRow("time range") << 2 << 50 << QStringLiteral("range") << false << false << true;
    QTest::newRow("from a checkpoint on")
        << 2 << 50 << QStringLiteral("from") << true << false << true;
    QTest::newRow("one wallet") << 2 << 50 << QStringLiteral("wallet") << false << false << false;
    QTest::newRow("two types") << 2 << 50 << QStringLiteral("types") << false << false << false;
    QTest::newRow("deleted rows included")
        << 2 << 50 << QStringLiteral("withDeleted") << false << false << true;
    QTest::newRow("deleted rows only")
        << 2 << 50 << QStringLiteral("deletedOnly") << false << false << true;
    QTest::newRow("no user matches")
        << 2 << 50 << QStringLiteral("otherUser") << false << false << true;
    QTest::newRow("every live row, time index")
        << 2 << 64 << QStringLiteral("live") << true << true << false;
    QTest::newRow("3 readers, chunks of 7 rows, time index")
        << 3 << 7 << QStringLiteral("live") << false << true << false;
    QTest::newRow("time range, time index")
        << 2 << 50 << QStringLiteral("range") << false << true << false;
    QTest::newRow("from a checkpoint on, time index")
        << 2 << 50 << QStringLiteral("from") << true << true << false;
    QTest::newRow("deleted rows included, time index")
        << 2 << 50 << QStringLiteral("withDeleted") << false << true << false;
}

void TestParallelTransactionReader::sameRowsAsForEach() {
    QFETCH(int, readers);
    QFETCH(int, chunkRows);
    QFETCH(QString, filterKind);
    QFETCH(bool, taxInputs);
    QFETCH(bool, timeIndex);
    QFETCH(bool, expectRowidOrder);
    const TransactionColumns columns =
        taxInputs ? TransactionColumns::TaxInputs : TransactionColumns::All;
    QCOMPARE(TransactionRepository(m_db).rowsInTimeOrder().value(), true);

    TransactionFilter filter;
    filter.userId = m_userId;
    const Timestamp middle = m_ledger[m_ledger.size() / 2].timestamp;
    const Timestamp late = m_ledger[(m_ledger.size() * 4) / 5].timestamp;
    if (filterKind == QLatin1String("range")) {
        filter.from = m_ledger[m_ledger.size() / 5].timestamp;
        filter.until = late;
    } else if (filterKind == QLatin1String("from")) {
        filter.from = middle;
    } else if (filterKind == QLatin1String("wallet")) {
        filter.wallets = {m_ledger[3].wallet};
    } else if (filterKind == QLatin1String("types")) {
        filter.types = {TransactionType::Buy, TransactionType::Swap};
    } else if (filterKind == QLatin1String("withDeleted")) {
        filter.deleted = DeletedRows::Include;
    } else if (filterKind == QLatin1String("deletedOnly")) {
        filter.deleted = DeletedRows::Only;
    } else if (filterKind == QLatin1String("otherUser")) {
        filter.userId = newUuid();
    }

    const QList<TaxTransaction> expected = readSequential(m_db, filter, columns);
    if (filterKind != QLatin1String("otherUser"))
        QVERIFY(expected.size() > 10);

    ParallelTransactionReader reader(m_db, factory(), smallChunks(readers, chunkRows, columns));
    Status s;
    if (timeIndex)
        QVERIFY(setLedgerOrderFlag(m_db, 0));
    const QList<TaxTransaction> got = readAll(reader, filter, &s);
    if (timeIndex)
        QVERIFY(setLedgerOrderFlag(m_db, 1));
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(reader.readersUsed(), readers);
    QCOMPARE(reader.readInRowidOrder(), expectRowidOrder);
    QVERIFY2(reader.chunksUsed() > 2, qPrintable(QString::number(reader.chunksUsed())));
    QVERIFY(reader.fallbackReason().isEmpty());
    QCOMPARE(got.size(), expected.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        if (!(got[i] == expected[i]))
            QFAIL(qPrintable(QStringLiteral("row %1 differs: %2 against %3")
                                 .arg(i)
                                 .arg(got[i].id, expected[i].id)));
    }
}

void TestParallelTransactionReader::taxInputsKeepWhatTheEngineReads() {
    TransactionFilter filter;
    filter.userId = m_userId;
    filter.deleted = DeletedRows::Include;
    const QList<TaxTransaction> all = readSequential(m_db, filter, TransactionColumns::All);
    const QList<TaxTransaction> inputs =
        readSequential(m_db, filter, TransactionColumns::TaxInputs);
    QCOMPARE(inputs.size(), all.size());
    int withDonorBasis = 0;
    int deleted = 0;
    int pricedWithValue = 0;
    int pricedWithoutValue = 0;
    for (qsizetype i = 0; i < all.size(); ++i) {
        const TaxTransaction& a = all[i];
        TaxTransaction expected; // the engine's columns from the full row, the rest default
        expected.id = a.id;
        expected.wallet = a.wallet;
        expected.transactionHash = a.transactionHash;
        expected.timestamp = a.timestamp;
        expected.transactionType = a.transactionType;
        expected.assetInSymbol = a.assetInSymbol;
        expected.assetInAmount = a.assetInAmount;
        // A price only where the engine uses it: for a side without a value.
        expected.assetInPriceUsd = a.assetInValueUsd ? std::nullopt : a.assetInPriceUsd;
        expected.assetInValueUsd = a.assetInValueUsd;
        expected.assetOutSymbol = a.assetOutSymbol;
        expected.assetOutAmount = a.assetOutAmount;
        expected.assetOutPriceUsd = a.assetOutValueUsd ? std::nullopt : a.assetOutPriceUsd;
        expected.assetOutValueUsd = a.assetOutValueUsd;
        expected.feeAmount = a.feeAmount;
        expected.feeSymbol = a.feeSymbol;
        expected.feeValueUsd = a.feeValueUsd;
        expected.costBasisUsd = a.costBasisUsd;
        expected.deletedAt = a.deletedAt;
        if (!(inputs[i] == expected))
            QFAIL(qPrintable(QStringLiteral("row %1 (%2) differs").arg(i).arg(a.id)));
        withDonorBasis += a.costBasisUsd ? 1 : 0;
        deleted += a.deletedAt ? 1 : 0;
        pricedWithValue += a.assetInPriceUsd && a.assetInValueUsd ? 1 : 0;
        pricedWithoutValue += a.assetInPriceUsd && !a.assetInValueUsd ? 1 : 0;
    }
    // The comparison covered the optional columns in both states.
    QVERIFY(deleted > 10);
    QVERIFY(withDonorBasis > 0);
    QVERIFY(pricedWithValue > 0);
    QVERIFY(pricedWithoutValue > 0);
}

void TestParallelTransactionReader::stopsEarly() {
    TransactionFilter filter;
    filter.userId = m_userId;
    const QList<TaxTransaction> expected = readSequential(m_db, filter, TransactionColumns::All);
    ParallelTransactionReader reader(m_db, factory(), smallChunks(2, 16, TransactionColumns::All));
    QList<TaxTransaction> got;
    const Status s = reader.forEach(filter, [&got](const TaxTransaction& t) {
        got.append(t);
        return got.size() < 1000;
    });
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(got.size(), qsizetype(1000));
    QCOMPARE(got, expected.mid(0, 1000));
    // The readers are gone and the connection is usable: no read transaction is left open.
    QVERIFY(m_db.transaction());
    QVERIFY(m_db.rollback());
}

void TestParallelTransactionReader::smallRangesReadOnOneConnection() {
    TransactionFilter filter;
    filter.userId = m_userId;
    ParallelTransactionReader::Options o;
    o.readers = 2; // the default minimum of rows is far above this ledger
    ParallelTransactionReader reader(m_db, factory(), o);
    qsizetype rows = 0;
    const Status s = reader.forEach(filter, [&rows](const TaxTransaction&) {
        ++rows;
        return true;
    });
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(rows, readSequential(m_db, filter, TransactionColumns::All).size());
    QCOMPARE(reader.readersUsed(), 0);
    QVERIFY(!reader.fallbackReason().isEmpty());
}

void TestParallelTransactionReader::fallsBackWhenAReaderCannotOpen() {
    TransactionFilter filter;
    filter.userId = m_userId;
    std::atomic<int> calls{0};
    const ParallelTransactionReader::ConnectionFactory broken = [this, &calls](const QString& name,
                                                                               QString* error) {
        // The second reader fails: the first one's connection must be given up as well.
        if (calls.fetch_add(1) == 1) {
            *error = QStringLiteral("no more connections for this test");
            return QSqlDatabase();
        }
        return factory()(name, error);
    };
    ParallelTransactionReader reader(m_db, broken, smallChunks(2, 32, TransactionColumns::All));
    Status s;
    const QList<TaxTransaction> got = readAll(reader, filter, &s);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(calls.load(), 2);
    QCOMPARE(reader.readersUsed(), 0);
    QVERIFY2(reader.fallbackReason().contains(QStringLiteral("no more connections")),
             qPrintable(reader.fallbackReason()));
    QCOMPARE(got, readSequential(m_db, filter, TransactionColumns::All));
}

void TestParallelTransactionReader::fallsBackWhenTheVaultIsBusy() {
    // Another connection holds the write lock; the reader's own connection gives up after
    // 100 ms and reads alone (a reader never waits for a writer in WAL mode).
    const QString coordinatorName = QStringLiteral("parallel-busy");
    const QString writerName = QStringLiteral("parallel-writer");
    {
        QString error;
        QSqlDatabase coordinator = SqlCipherDriver::openDatabase(
            coordinatorName, m_path, m_key, QStringLiteral("BUSY_TIMEOUT=100"), nullptr, &error);
        QVERIFY2(coordinator.isOpen(), qPrintable(error));
        QSqlDatabase writer =
            SqlCipherDriver::openDatabase(writerName, m_path, m_key, {}, nullptr, &error);
        QVERIFY2(writer.isOpen(), qPrintable(error));
        QVERIFY(writer.transaction());

        TransactionFilter filter;
        filter.userId = m_userId;
        ParallelTransactionReader reader(coordinator, factory(),
                                         smallChunks(2, 32, TransactionColumns::All));
        Status s;
        const QList<TaxTransaction> got = readAll(reader, filter, &s);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(reader.readersUsed(), 0);
        QVERIFY2(reader.fallbackReason().contains(QStringLiteral("busy")),
                 qPrintable(reader.fallbackReason()));
        QCOMPARE(got, readSequential(m_db, filter, TransactionColumns::All));
        QVERIFY(writer.rollback());
        writer.close();
        coordinator.close();
    }
    QSqlDatabase::removeDatabase(writerName);
    QSqlDatabase::removeDatabase(coordinatorName);
}

void TestParallelTransactionReader::readersShareOneSnapshot() {
    // A writer commits new rows one at a time, at times spread over the whole ledger, while the
    // vault is read in chunks by three readers. Rows only ever arrive, so a read that saw one
    // state of the vault holds the first K new rows for some K and none after; readers with
    // different snapshots would show a gap (a later row in one chunk, an earlier one missing
    // from another).
    const qint64 first = m_ledger.first().timestamp.microsecondsSinceEpoch();
    const qint64 span = m_ledger.last().timestamp.microsecondsSinceEpoch() - first;
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    QString writerError;
    const QString path = m_path;
    const QByteArray key = m_key;
    const QList<TaxTransaction> templates = m_ledger.mid(0, 50);
    std::unique_ptr<QThread> writer(QThread::create([&] {
        const QString name = QStringLiteral("parallel-snapshot-writer");
        {
            QString error;
            QSqlDatabase db = SqlCipherDriver::openDatabase(name, path, key, {}, nullptr, &error);
            if (!db.isOpen()) {
                writerError = error;
                return;
            }
            TransactionRepository repo(db);
            QRandomGenerator rng(99);
            for (int n = 0; !stop.load() && n < 5000; ++n) {
                TaxTransaction t = templates[n % templates.size()];
                t.id = newUuid();
                t.transactionHash = QStringLiteral("0xfeed%1").arg(n, 8, 10, QLatin1Char('0'));
                t.timestamp = Timestamp::fromMicrosecondsSinceEpoch(
                    first + qint64(rng.bounded(quint64(span))));
                t.notes = QStringLiteral("snapshot %1").arg(n);
                t.createdAt.reset();
                t.updatedAt.reset();
                t.deletedAt.reset();
                if (const Status s = repo.insert(t); !s) {
                    writerError = s.error();
                    break;
                }
                written.store(n + 1);
                // A short breath between commits, so that the reader's BEGIN IMMEDIATE finds the
                // lock free within its busy timeout even on a loaded machine.
                QThread::usleep(300);
            }
        }
        QSqlDatabase::removeDatabase(name);
    }));
    writer->start();
    while (written.load() < 20 && writerError.isEmpty() && !writer->isFinished())
        QThread::msleep(2);

    TransactionFilter filter;
    filter.userId = m_userId;
    int readsWithNewRows = 0;
    for (int round = 0; round < 20 && writerError.isEmpty(); ++round) {
        ParallelTransactionReader reader(m_db, factory(),
                                         smallChunks(3, 40, TransactionColumns::All));
        std::set<int> seen;
        qint64 rows = 0;
        const Status s = reader.forEach(filter, [&](const TaxTransaction& t) {
            ++rows;
            if (t.notes && t.notes->startsWith(QStringLiteral("snapshot ")))
                seen.insert(t.notes->mid(9).toInt());
            return true;
        });
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(reader.readersUsed(), 3);
        if (!seen.empty()) {
            ++readsWithNewRows;
            QCOMPARE(*seen.begin(), 0);
            QCOMPARE(*seen.rbegin(), int(seen.size()) - 1); // no gap: 0 .. K-1
        }
    }
    stop.store(true);
    writer->wait();
    QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
    QVERIFY(readsWithNewRows >= 1);
    QVERIFY(written.load() > 20);
}

bool TestParallelTransactionReader::openFreshVault(
    testsupport::ScratchDir* dir, const QString& name,
    std::unique_ptr<testsupport::VaultConnection>* out) {
    *out = std::make_unique<testsupport::VaultConnection>(
        name, dir->filePath(name + QStringLiteral(".db")), m_key);
    QSqlDatabase db = (*out)->db;
    if (!db.isOpen() || !Migrator(db).migrate().ok())
        return false;
    QSqlQuery q(db);
    return q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")) &&
           (q.addBindValue(m_userId), q.addBindValue(QStringLiteral("order@example.org")),
            q.exec());
}

TaxTransaction TestParallelTransactionReader::rowAt(const QString& timestamp,
                                                    const QString& id) const {
    TaxTransaction t = m_ledger.first();
    t.id = id.isEmpty() ? newUuid() : id;
    t.transactionHash = QStringLiteral("0x") + t.id.left(8);
    t.timestamp = Timestamp::parse(timestamp).value();
    t.createdAt.reset();
    t.updatedAt.reset();
    t.deletedAt.reset();
    return t;
}

void TestParallelTransactionReader::ledgerOrderFollowsWrites_data() {
    // Each step writes one thing; the flag must then say whether rowid order is still
    // (timestamp, id) order. The vault starts with three rows at 10:00, 11:00 and 12:00 (ids
    // ...0002, ...0004, ...0006; the 12:00 row is the last inserted).
    // "inOrder" is the truth, checked against the table itself: the flag may say "not in order"
    // when the order happens to hold (it only knows the last row inserted), never the reverse.
    QTest::addColumn<QString>("step");
    QTest::addColumn<int>("expected");
    QTest::addColumn<bool>("inOrder");
    QTest::newRow("a later row") << QStringLiteral("insert 13:00") << 1 << true;
    QTest::newRow("an earlier row") << QStringLiteral("insert 09:00") << 0 << false;
    QTest::newRow("the same time, a larger id")
        << QStringLiteral("insert 12:00 larger id") << 1 << true;
    QTest::newRow("the same time, a smaller id")
        << QStringLiteral("insert 12:00 smaller id") << 0 << false;
    QTest::newRow("a time edited") << QStringLiteral("edit time") << 0 << false;
    QTest::newRow("notes edited") << QStringLiteral("edit notes") << 1 << true;
    QTest::newRow("soft delete") << QStringLiteral("soft delete") << 1 << true;
    QTest::newRow("the last row removed, then a later row")
        << QStringLiteral("hard delete last, insert 12:30") << 1 << true;
    QTest::newRow("the last row removed, then a row before it (order kept, flag cautious)")
        << QStringLiteral("hard delete last, insert 11:30") << 0 << true;
    QTest::newRow("the last row removed, then a row before the others")
        << QStringLiteral("hard delete last, insert 10:30") << 0 << false;
    QTest::newRow("an earlier row, then every row removed")
        << QStringLiteral("insert 09:00, clear") << 1 << true;
    QTest::newRow("every row removed, then rows from earlier")
        << QStringLiteral("clear, batch 08:00 09:00") << 1 << true;
    QTest::newRow("a batch in order") << QStringLiteral("batch 13:00 14:00") << 1 << true;
    // A batch goes in in time order whatever the order it was given in.
    QTest::newRow("a batch given newest first") << QStringLiteral("batch 14:00 13:00") << 1 << true;
    QTest::newRow("a batch reaching before the ledger's end")
        << QStringLiteral("batch 13:00 09:00") << 0 << false;
}

void TestParallelTransactionReader::ledgerOrderFollowsWrites() {
    QFETCH(QString, step);
    QFETCH(int, expected);
    QFETCH(bool, inOrder);
    testsupport::ScratchDir dir;
    std::unique_ptr<testsupport::VaultConnection> c;
    QVERIFY(openFreshVault(&dir, QStringLiteral("order-writes"), &c));
    QCOMPARE(ledgerOrderFlag(c->db), 1); // an empty ledger is in order
    TransactionRepository repo(c->db);
    const auto idOf = [](int n) {
        return QStringLiteral("00000000-0000-4000-8000-%1").arg(n, 12, 10, QLatin1Char('0'));
    };
    const auto at = [](const QString& hhmm) {
        return QStringLiteral("2025-03-15T%1:00.000000Z").arg(hhmm);
    };
    QVERIFY(repo.insertBatch({rowAt(at(QStringLiteral("10:00")), idOf(2)),
                              rowAt(at(QStringLiteral("11:00")), idOf(4)),
                              rowAt(at(QStringLiteral("12:00")), idOf(6))})
                .ok());
    QCOMPARE(ledgerOrderFlag(c->db), 1);
    QCOMPARE(repo.rowsInTimeOrder().value(), true);

    Status s = Status::success();
    if (step == QLatin1String("insert 13:00")) {
        s = repo.insert(rowAt(at(QStringLiteral("13:00"))));
    } else if (step == QLatin1String("insert 09:00")) {
        s = repo.insert(rowAt(at(QStringLiteral("09:00"))));
    } else if (step == QLatin1String("insert 12:00 larger id")) {
        s = repo.insert(rowAt(at(QStringLiteral("12:00")), idOf(7)));
    } else if (step == QLatin1String("insert 12:00 smaller id")) {
        s = repo.insert(rowAt(at(QStringLiteral("12:00")), idOf(5)));
    } else if (step.startsWith(QLatin1String("edit"))) {
        // The 10:00 row moves after the 11:00 one.
        TaxTransaction t = repo.get(idOf(2)).value().value();
        if (step == QLatin1String("edit time"))
            t.timestamp = Timestamp::parse(at(QStringLiteral("11:30"))).value();
        else
            t.notes = QStringLiteral("checked");
        s = repo.update(t);
    } else if (step == QLatin1String("soft delete")) {
        s = Status(repo.softDelete({idOf(4)}).ok() ? Status::success()
                                                   : Status::failure(QStringLiteral("delete")));
    } else if (step.startsWith(QLatin1String("hard delete last"))) {
        QCOMPARE(repo.hardDelete({idOf(6)}).value(), 1);
        // The next row gets the removed row's rowid; it still has to sort after that row.
        s = repo.insert(rowAt(at(step.right(5))));
    } else if (step.contains(QLatin1String("clear"))) {
        if (step.startsWith(QLatin1String("insert 09:00"))) {
            QVERIFY(repo.insert(rowAt(at(QStringLiteral("09:00")))).ok());
            QCOMPARE(ledgerOrderFlag(c->db), 0);
        }
        QSqlQuery all(c->db);
        QVERIFY(all.exec(QStringLiteral("SELECT id FROM tax_transactions")));
        QStringList ids;
        while (all.next())
            ids << all.value(0).toString();
        all.finish();
        QVERIFY(repo.hardDelete(ids).value() == int(ids.size()));
        QCOMPARE(ledgerOrderFlag(c->db), 1);
        if (step.endsWith(QLatin1String("09:00")))
            s = repo.insertBatch(
                {rowAt(at(QStringLiteral("08:00"))), rowAt(at(QStringLiteral("09:00")))});
    } else if (step.startsWith(QLatin1String("batch"))) {
        const QStringList times = step.mid(6).split(QLatin1Char(' '));
        s = repo.insertBatch({rowAt(at(times[0])), rowAt(at(times[1]))});
    } else {
        QFAIL("unknown step");
    }
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(ledgerOrderFlag(c->db), expected);
    QCOMPARE(repo.rowsInTimeOrder().value(), expected == 1);

    // Compare rowid order with (timestamp, id) order.
    QSqlQuery q(c->db);
    QVERIFY(q.exec(QStringLiteral("SELECT group_concat(id) FROM (SELECT id FROM tax_transactions "
                                  "ORDER BY rowid)")) &&
            q.next());
    const QString byRowid = q.value(0).toString();
    QVERIFY(q.exec(QStringLiteral("SELECT group_concat(id) FROM (SELECT id FROM tax_transactions "
                                  "ORDER BY timestamp, id)")) &&
            q.next());
    QCOMPARE(byRowid == q.value(0).toString(), inOrder);
}

void TestParallelTransactionReader::outOfOrderVaultIsReadThroughTheTimeIndex() {
    // Older history imported after newer: rowid order is no longer time order. The readers must
    // notice (the flag) and cut time ranges instead; read by rowid, the same vault would come out
    // in the wrong order, which the last part shows.
    testsupport::ScratchDir dir;
    std::unique_ptr<testsupport::VaultConnection> c;
    QVERIFY(openFreshVault(&dir, QStringLiteral("order-broken"), &c));
    TransactionRepository repo(c->db);
    const QList<TaxTransaction> newer = m_ledger.mid(m_ledger.size() / 2);
    const QList<TaxTransaction> older = m_ledger.mid(0, m_ledger.size() / 2);
    QVERIFY(repo.insertBatch(newer).ok());
    QCOMPARE(repo.rowsInTimeOrder().value(), true);
    QVERIFY(repo.insertBatch(older).ok());
    QCOMPARE(repo.rowsInTimeOrder().value(), false);

    TransactionFilter filter;
    filter.userId = m_userId;
    const QList<TaxTransaction> expected =
        readSequential(c->db, filter, TransactionColumns::TaxInputs);
    QCOMPARE(expected.size(), m_ledger.size());
    const QString path = c->db.databaseName();
    const QByteArray key = m_key;
    const ParallelTransactionReader::ConnectionFactory open = [path, key](const QString& name,
                                                                          QString* error) {
        return SqlCipherDriver::openDatabase(name, path, key, {}, nullptr, error);
    };
    const auto readAndCompare = [&](bool* sameOrder, bool* rowidOrder) {
        ParallelTransactionReader reader(c->db, open,
                                         smallChunks(2, 100, TransactionColumns::TaxInputs));
        Status st;
        const QList<TaxTransaction> got = readAll(reader, filter, &st);
        QVERIFY2(st.ok(), qPrintable(st.error()));
        QCOMPARE(reader.readersUsed(), 2);
        QCOMPARE(got.size(), expected.size());
        *rowidOrder = reader.readInRowidOrder();
        *sameOrder = true;
        for (qsizetype i = 0; i < got.size() && *sameOrder; ++i)
            *sameOrder = got[i].id == expected[i].id;
    };
    bool sameOrder = false;
    bool rowidOrder = true;
    readAndCompare(&sameOrder, &rowidOrder);
    QVERIFY(!rowidOrder);
    QVERIFY(sameOrder);

    // With the flag wrongly set, the rowid path would give the older half last.
    QVERIFY(setLedgerOrderFlag(c->db, 1));
    readAndCompare(&sameOrder, &rowidOrder);
    QVERIFY(rowidOrder);
    QVERIFY(!sameOrder);
}

QTEST_GUILESS_MAIN(TestParallelTransactionReader)
#include "TestParallelTransactionReader.moc"
