// Persistence and incremental recomputation of a tax run over a real encrypted vault
// (VaultTaxRun): the rows stream from TransactionRepository::forEach (or from
// ParallelTransactionReader on two more connections), the exact state is saved
// in tax_checkpoints, the open lots in cost_basis_lots and the summary in tax_reports, in one
// transaction. After an edit, the next run resumes from the latest checkpoint before the edit
// (and not later than the period's start), reads only the rows from there, and gives exactly
// what a run over the whole ledger gives.

#include "store/LotRepository.h"
#include "store/Migrator.h"
#include "store/ReportRepository.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"
#include "tax/persist/LotStateCodec.h"
#include "tax/persist/TaxStateRepository.h"
#include "tax/persist/VaultTaxRun.h"

#include "TestSupport.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

using namespace llamadesk;
using namespace llamadesk::store;
using namespace llamadesk::tax;

class TestTaxIncremental : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void codecRoundTripsExactly();
    void editResumesFromTheCheckpointBeforeIt_data();
    void editResumesFromTheCheckpointBeforeIt();
    void unchangedLedgerResumesAtThePeriodStart();
    void otherSettingsDoNotShareCheckpoints();
    void writeDuringARunKeepsTheWatermark();
    void persistsLotsAndOneReportPerPeriod();

private:
    TaxOptions options(int year) const;
    qint64 rowsFrom(const Timestamp& at);
    // A run over the vault, saved; fails the test on error. parallel: read on two more
    // connections in small chunks (ParallelTransactionReader), as the app and the CLI do.
    TaxResult runAndSave(const TaxOptions& o, VaultRunStats* stats, bool parallel = false);
    TaxResult fullRun(const TaxOptions& o);
    static void compareResults(const TaxResult& a, const TaxResult& b);
    // The id of a live row of this type in the given month.
    QString rowIn(int year, int month, TransactionType type);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QByteArray m_key;
    QSqlDatabase m_db;
    QList<TaxTransaction> m_ledger;
    int m_connection = 0;
};

TaxOptions TestTaxIncremental::options(int year) const {
    TaxOptions o = TaxOptions::forTaxYear(Jurisdiction::UnitedStates, year);
    o.method = CostBasisMethod::Fifo;
    return o;
}

void TestTaxIncremental::init() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    m_key = QByteArray(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(m_key.data()),
                                          m_key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("incremental-%1").arg(++m_connection),
                                         m_dir->filePath(QStringLiteral("vault.db")), m_key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));

    LedgerGeneratorOptions g;
    g.seed = 77;
    g.transactions = 2400;
    g.start = QDate(2023, 1, 2);
    g.days = 1090; // to the end of 2025
    m_ledger = LedgerGenerator::generate(g);
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(g.userId);
    q.addBindValue(QStringLiteral("incremental@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    TransactionRepository repo(m_db);
    const Status inserted = repo.insertBatch(m_ledger);
    QVERIFY2(inserted.ok(), qPrintable(inserted.error()));
}

void TestTaxIncremental::cleanup() {
    const QString name = m_db.connectionName();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
    m_dir.reset();
}

qint64 TestTaxIncremental::rowsFrom(const Timestamp& at) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "SELECT count(*) FROM tax_transactions WHERE deleted_at IS NULL AND timestamp >= ?"));
    q.addBindValue(at.toString());
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

TaxResult TestTaxIncremental::runAndSave(const TaxOptions& o, VaultRunStats* stats, bool parallel) {
    VaultRunOptions runOptions;
    if (parallel) {
        const QString path = m_dir->filePath(QStringLiteral("vault.db"));
        const QByteArray key = m_key;
        runOptions.openReader = [path, key](const QString& name, QString* error) {
            return SqlCipherDriver::openDatabase(name, path, key, {}, nullptr, error);
        };
        runOptions.reading.readers = 2;
        runOptions.reading.chunkRows = 64;
        runOptions.reading.minimumRows = 0; // cut even this small ledger
    }
    VaultTaxRun run(m_db, o, runOptions);
    Result<TaxResult> result = run.compute();
    if (!result) {
        qWarning("%s", qPrintable(result.error()));
        return TaxResult();
    }
    const Status saved = run.save(result.value());
    if (!saved)
        qWarning("%s", qPrintable(saved.error()));
    *stats = run.stats();
    return saved ? result.value() : TaxResult();
}

TaxResult TestTaxIncremental::fullRun(const TaxOptions& o) {
    TransactionRepository repo(m_db);
    TransactionFilter filter;
    Result<QList<TaxTransaction>> rows = repo.list(filter);
    if (!rows)
        return TaxResult();
    TaxOptions withState = o;
    withState.captureFinalState = true;
    Result<TaxResult> result = TaxEngine::run(rows.value(), withState);
    return result ? result.value() : TaxResult();
}

void TestTaxIncremental::compareResults(const TaxResult& a, const TaxResult& b) {
    QVERIFY(a.disposalCount() > 0);
    QCOMPARE(a.disposals(), b.disposals());
    QCOMPARE(a.incomeLines(), b.incomeLines());
    QCOMPARE(a.expenseLines(), b.expenseLines());
    QCOMPARE(a.warnings(), b.warnings());
    QCOMPARE(a.holdings(), b.holdings());
    QCOMPARE(a.summary(), b.summary());
    LotState fa = a.finalState();
    LotState fb = b.finalState();
    QCOMPARE(fa, fb);
}

QString TestTaxIncremental::rowIn(int year, int month, TransactionType type) {
    for (const TaxTransaction& t : m_ledger) {
        const QDate d = t.timestamp.dateIn(QTimeZone::utc());
        if (d.year() == year && d.month() == month && d.day() >= 10 && d.day() <= 25 &&
            t.transactionType == type)
            return t.id;
    }
    return QString();
}

void TestTaxIncremental::codecRoundTripsExactly() {
    TaxOptions o = options(2025);
    o.checkpointsAt = {Timestamp::fromDateTime(QDate(2024, 6, 1).startOfDay(QTimeZone::utc()))};
    o.captureFinalState = true;
    const Result<TaxResult> r = TaxEngine::run(m_ledger, o);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    TaxOptions uk = TaxOptions::forTaxYear(Jurisdiction::UnitedKingdom, 2024);
    uk.captureFinalState = true;
    const Result<TaxResult> ukr = TaxEngine::run(m_ledger, uk);
    QVERIFY2(ukr.ok(), qPrintable(ukr.error()));
    for (const LotState& s : {r->checkpoints().constFirst(), r->finalState(), ukr->finalState()}) {
        QVERIFY(!s.lots.isEmpty());
        const Result<LotState> back = LotStateCodec::decode(LotStateCodec::encode(s));
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QVERIFY(back.value() == s);
    }
    QVERIFY(!ukr->finalState().pendingDays.isEmpty() || !ukr->finalState().lots.isEmpty());
    // Damage is reported, never misread.
    QByteArray bytes = LotStateCodec::encode(r->finalState());
    QVERIFY(!LotStateCodec::decode(bytes.left(bytes.size() / 2)).ok());
    QVERIFY(!LotStateCodec::decode(QByteArray("not a state")).ok());
}

void TestTaxIncremental::editResumesFromTheCheckpointBeforeIt_data() {
    QTest::addColumn<int>("editYear");
    QTest::addColumn<int>("editMonth");
    QTest::addColumn<int>("edit"); // 0 update, 1 soft delete, 2 insert
    QTest::addColumn<QDate>("resumeDay");
    QTest::addColumn<bool>("parallel");
    // The report is 2025's: it needs every row from 1 January 2025, so an edit in 2025 resumes
    // there; an edit in a late month of 2024 resumes from the start of that month.
    QTest::newRow("update in November 2024") << 2024 << 11 << 0 << QDate(2024, 11, 1) << false;
    QTest::newRow("soft delete in October 2024") << 2024 << 10 << 1 << QDate(2024, 10, 1) << false;
    QTest::newRow("insert in September 2024") << 2024 << 9 << 2 << QDate(2024, 9, 1) << false;
    QTest::newRow("update in March 2025") << 2025 << 3 << 0 << QDate(2025, 1, 1) << false;
    QTest::newRow("soft delete in October 2024, read in parallel")
        << 2024 << 10 << 1 << QDate(2024, 10, 1) << true;
    QTest::newRow("insert in September 2024, read in parallel")
        << 2024 << 9 << 2 << QDate(2024, 9, 1) << true;
}

void TestTaxIncremental::editResumesFromTheCheckpointBeforeIt() {
    QFETCH(int, editYear);
    QFETCH(int, editMonth);
    QFETCH(int, edit);
    QFETCH(QDate, resumeDay);
    QFETCH(bool, parallel);
    const TaxOptions o = options(2025);
    VaultRunStats first;
    const TaxResult initial = runAndSave(o, &first, parallel);
    QCOMPARE(first.readerThreads, parallel ? 2 : 0);
    QVERIFY(initial.disposalCount() > 0);
    QVERIFY(!first.resumedFrom);
    QCOMPARE(first.rowsFed, qint64(m_ledger.size()));
    QVERIFY2(first.checkpointsSaved >= 30, qPrintable(QString::number(first.checkpointsSaved)));

    TransactionRepository repo(m_db);
    const QString id = rowIn(editYear, editMonth, TransactionType::Sell);
    QVERIFY(!id.isEmpty());
    Result<std::optional<TaxTransaction>> row = repo.get(id);
    QVERIFY(row.ok() && row->has_value());
    TaxTransaction t = **row;
    if (edit == 0) {
        // Half the units sold: every later lot choice may change.
        t.assetOutAmount =
            t.assetOutAmount->divided(Decimal::fromInt(2), 18, RoundingMode::HalfEven);
        t.assetOutValueUsd.reset();
        const Status s = repo.update(t);
        QVERIFY2(s.ok(), qPrintable(s.error()));
    } else if (edit == 1) {
        const Result<int> s = repo.softDelete({id});
        QVERIFY2(s.ok() && s.value() == 1, qPrintable(s.error()));
    } else {
        t.id = QStringLiteral("0ddba11c-0000-4000-8000-000000000001");
        t.transactionHash = QStringLiteral("0xadded");
        t.timestamp = Timestamp::fromMicrosecondsSinceEpoch(t.timestamp.microsecondsSinceEpoch() +
                                                            3600 * 1000000LL);
        const Status s = repo.insert(t);
        QVERIFY2(s.ok(), qPrintable(s.error()));
    }

    VaultRunStats again;
    const TaxResult resumed = runAndSave(o, &again, parallel);
    QCOMPARE(again.readerThreads, parallel ? 2 : 0);
    const Timestamp expectedResume =
        Timestamp::fromDateTime(resumeDay.startOfDay(QTimeZone::utc()));
    QVERIFY(again.resumedFrom.has_value());
    QCOMPARE(again.resumedFrom->toString(), expectedResume.toString());
    QCOMPARE(again.rowsFed, rowsFrom(expectedResume));
    QVERIFY(again.rowsFed < qint64(m_ledger.size()) / 2);
    QVERIFY(again.checkpointsInvalidated > 0);
    compareResults(resumed, fullRun(o));
    QVERIFY(resumed.finalState().lots != initial.finalState().lots);

    // The checkpoints written after the edit are right: one more run (nothing changed since)
    // resumes at the period's start and still agrees with a whole run.
    VaultRunStats third;
    const TaxResult after = runAndSave(o, &third, parallel);
    QCOMPARE(third.resumedFrom->toString(),
             Timestamp::fromDateTime(QDate(2025, 1, 1).startOfDay(QTimeZone::utc())).toString());
    compareResults(after, fullRun(o));
}

void TestTaxIncremental::unchangedLedgerResumesAtThePeriodStart() {
    const TaxOptions o2025 = options(2025);
    VaultRunStats s;
    runAndSave(o2025, &s);
    // The same settings for 2024 reuse the checkpoint of 1 January 2024.
    const TaxOptions o2024 = options(2024);
    VaultRunStats s2024;
    const TaxResult r2024 = runAndSave(o2024, &s2024);
    const Timestamp jan2024 =
        Timestamp::fromDateTime(QDate(2024, 1, 1).startOfDay(QTimeZone::utc()));
    QVERIFY(s2024.resumedFrom.has_value());
    QCOMPARE(s2024.resumedFrom->toString(), jan2024.toString());
    QCOMPARE(s2024.rowsFed, rowsFrom(jan2024));
    compareResults(r2024, fullRun(o2024));
    // --full (incremental = false) reads everything.
    VaultRunOptions full;
    full.incremental = false;
    VaultTaxRun run(m_db, o2025, full);
    Result<TaxResult> r = run.compute();
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QVERIFY(!run.stats().resumedFrom);
    QCOMPARE(run.stats().rowsFed, qint64(m_ledger.size()));
}

void TestTaxIncremental::otherSettingsDoNotShareCheckpoints() {
    VaultRunStats s;
    runAndSave(options(2025), &s);
    TaxOptions hifo = options(2025);
    hifo.method = CostBasisMethod::Hifo;
    QVERIFY(TaxStateRepository::settingsKey(hifo) !=
            TaxStateRepository::settingsKey(options(2025)));
    QCOMPARE(TaxStateRepository::settingsKey(options(2024)),
             TaxStateRepository::settingsKey(options(2025)));
    VaultRunStats h;
    const TaxResult r = runAndSave(hifo, &h);
    QVERIFY(!h.resumedFrom);
    compareResults(r, fullRun(hifo));
    VaultRunStats h2;
    runAndSave(hifo, &h2);
    QVERIFY(h2.resumedFrom.has_value());
}

void TestTaxIncremental::writeDuringARunKeepsTheWatermark() {
    const TaxOptions o = options(2025);
    VaultTaxRun run(m_db, o);
    Result<TaxResult> r = run.compute();
    QVERIFY2(r.ok(), qPrintable(r.error()));
    // A write between reading and saving: the run must not acknowledge it.
    TransactionRepository repo(m_db);
    const QString id = rowIn(2024, 3, TransactionType::Sell);
    QVERIFY(!id.isEmpty());
    QCOMPARE(repo.softDelete({id}).value(), 1);
    const Status saved = run.save(r.value());
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
    TaxStateRepository state(m_db);
    const Result<LedgerChanges> changes = state.ledgerChanges();
    QVERIFY(changes.ok() && changes->changedFrom.has_value());
    QVERIFY(changes->changedFrom->dateIn(QTimeZone::utc()) <= QDate(2024, 3, 25));
    // And the next run resumes before the write and agrees with a whole run.
    VaultRunStats next;
    const TaxResult after = runAndSave(o, &next);
    QVERIFY(next.resumedFrom.has_value());
    QVERIFY(next.resumedFrom->dateIn(QTimeZone::utc()) <= QDate(2024, 3, 1));
    compareResults(after, fullRun(o));
}

void TestTaxIncremental::persistsLotsAndOneReportPerPeriod() {
    const TaxOptions o = options(2025);
    VaultRunStats s;
    const TaxResult r = runAndSave(o, &s);
    LotRepository lots(m_db);
    store::LotScope all;
    all.userId = LedgerGeneratorOptions().userId;
    const Result<QList<CostBasisLot>> saved = lots.lots(all);
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
    QCOMPARE(int(saved->size()), s.lotsSaved);
    QVERIFY(s.lotsSaved > 0);
    // Per asset, the saved lots hold the exact open units and the basis rounded per lot.
    QHash<QString, Decimal> units;
    QHash<QString, Decimal> exactUnits;
    for (const CostBasisLot& l : saved.value()) {
        units[l.assetSymbol] += l.remainingAmount;
        QCOMPARE(l.costBasisUsd, l.costBasisUsd.round(2, RoundingMode::HalfEven));
        QVERIFY(!l.isFullyDisposed);
    }
    for (const LotRecord& l : r.finalState().lots)
        exactUnits[l.asset] += l.amount;
    for (auto it = exactUnits.cbegin(); it != exactUnits.cend(); ++it) {
        if (it.value().isPositive())
            QCOMPARE(units.value(it.key()), it.value());
    }

    ReportRepository reports(m_db);
    Result<QList<TaxReport>> list = reports.list(saved->constFirst().userId);
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    const TaxReport report = list->constFirst();
    QCOMPARE(report.taxYear, 2025);
    QVERIFY(report.reportType == ReportType::Annual);
    QCOMPARE(report.countryCode, QStringLiteral("US"));
    QCOMPARE(report.startDate, QStringLiteral("2025-01-01"));
    QCOMPARE(report.endDate, QStringLiteral("2025-12-31"));
    QVERIFY(report.status == ReportStatus::Completed);
    QCOMPARE(report.totalTransactions, r.summary().totalTransactions);
    QCOMPARE(report.netCapitalGainsUsd, r.summary().netCapitalGains);
    QCOMPARE(report.totalCapitalLossesUsd, r.summary().totalCapitalLosses);
    QCOMPARE(report.shortTermGainsUsd, r.summary().shortTermGains);
    QCOMPARE(report.longTermGainsUsd, r.summary().longTermGains);
    QCOMPARE(report.totalIncomeUsd, r.summary().totalIncome);

    // A second run of the same period updates that report instead of adding one; the lots keep
    // their ids.
    VaultRunStats again;
    runAndSave(o, &again);
    QCOMPARE(again.reportId, s.reportId);
    QCOMPARE(reports.list(report.userId)->size(), 1);
    const Result<QList<CostBasisLot>> savedAgain = lots.lots(all);
    QCOMPARE(savedAgain->size(), saved->size());
    QCOMPARE(savedAgain->constFirst().id, saved->constFirst().id);
}

QTEST_GUILESS_MAIN(TestTaxIncremental)
#include "TestTaxIncremental.moc"
