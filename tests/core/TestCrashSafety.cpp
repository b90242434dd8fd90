#include "TestSupport.h"

#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("c0ffee00-2222-4333-8444-555555555555");
constexpr int kKills = 24;
constexpr int kRowsPerBatch = 100;

} // namespace

// A helper process bulk-inserts transactions (one database transaction per batch) and is
// killed with SIGKILL at random moments, many times over the same vault. After every kill the
// vault must open, pass PRAGMA integrity_check, hold every batch the helper reported as
// committed, and hold no partial batch.
class TestCrashSafety : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void killDuringBulkInsert_data();
    void killDuringBulkInsert();
    void cleanupTestCase();

private:
    // batch number -> rows present, after reopening the vault in this process
    bool inspect(QMap<qint64, qint64>* batches, QString* integrity, QString* error);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QString m_path;
    QByteArray m_key;
    quint32 m_seed = 0;
    QRandomGenerator m_random;
    QMap<qint64, qint64> m_reported; // every batch any helper reported as committed
    qint64 m_nextBatch = 1;
    int m_batchesReported = 0;
    int m_run = 0;
};

void TestCrashSafety::initTestCase() {
#ifndef LLAMADESK_CRASH_INSERTER
    QSKIP("the CrashInserter helper was not built with this test");
#else
    QVERIFY2(QFileInfo::exists(QStringLiteral(LLAMADESK_CRASH_INSERTER)),
             "CrashInserter helper missing: build it with the test");
#endif
    // Seeded so a failing run can be repeated: LLAMADESK_CRASH_SEED=<printed seed>.
    bool fixed = false;
    m_seed = qEnvironmentVariable("LLAMADESK_CRASH_SEED").toUInt(&fixed);
    if (!fixed)
        m_seed = QRandomGenerator::system()->generate();
    m_random.seed(m_seed);
    qInfo("random seed %u (set LLAMADESK_CRASH_SEED=%u to repeat)", m_seed, m_seed);

    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("crash.db"));
    m_key.resize(SqlCipherDriver::kRawKeySize);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(m_key.data()),
                                          m_key.size() / int(sizeof(quint32)));

    // Create and migrate the vault, with the user the helper's rows belong to.
    {
        QString error;
        QSqlDatabase db = SqlCipherDriver::openDatabase(QStringLiteral("crash-setup"), m_path,
                                                        m_key, {}, nullptr, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        const Status migrated = Migrator(db).migrate();
        QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
        QSqlQuery q(db);
        QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
        q.addBindValue(kUser);
        q.addBindValue(QStringLiteral("crash@example.org"));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("crash-setup"));
}

bool TestCrashSafety::inspect(QMap<qint64, qint64>* batches, QString* integrity, QString* error) {
    const QString name = QStringLiteral("crash-check-%1").arg(m_run);
    bool ok = false;
    {
        QSqlDatabase db = SqlCipherDriver::openDatabase(name, m_path, m_key,
                                                        QStringLiteral("CREATE=0"), nullptr, error);
        if (db.isOpen()) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            if (q.exec(QStringLiteral("PRAGMA integrity_check"))) {
                QStringList lines;
                while (q.next())
                    lines << q.value(0).toString();
                *integrity = lines.join(QLatin1Char('\n'));
                q.finish();
                // Rows of batch n are in wallet "batch-n".
                if (q.exec(QStringLiteral("SELECT wallet, count(*) FROM tax_transactions "
                                          "GROUP BY wallet"))) {
                    ok = true;
                    while (q.next()) {
                        const QString wallet = q.value(0).toString();
                        batches->insert(wallet.mid(6).toLongLong(), q.value(1).toLongLong());
                    }
                }
            }
            if (!ok)
                *error = q.lastError().text();
            q.finish();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

void TestCrashSafety::killDuringBulkInsert_data() {
    QTest::addColumn<int>("delayMs");
    // The delays come from the seeded generator in the order the rows are made.
    for (int i = 1; i <= kKills; ++i) {
        const int delay = 50 + int(m_random.bounded(451)); // 50..500 ms
        QTest::newRow(qPrintable(QStringLiteral("kill %1 after %2 ms").arg(i).arg(delay))) << delay;
    }
}

void TestCrashSafety::killDuringBulkInsert() {
#ifdef LLAMADESK_CRASH_INSERTER
    QFETCH(int, delayMs);
    ++m_run;

    QProcess helper;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LLAMADESK_CRASH_KEY"), QString::fromLatin1(m_key.toHex()));
    helper.setProcessEnvironment(env);
    helper.setProcessChannelMode(QProcess::SeparateChannels);
    helper.start(QStringLiteral(LLAMADESK_CRASH_INSERTER),
                 {m_path, kUser, QString::number(m_nextBatch), QString::number(kRowsPerBatch)});
    QVERIFY2(helper.waitForStarted(5000), qPrintable(helper.errorString()));
    // The delay counts from "ready" (vault open), so the kill lands while batches are written
    // even on a slow or busy machine.
    QElapsedTimer timer;
    timer.start();
    while (!helper.canReadLine() && helper.state() == QProcess::Running && timer.elapsed() < 30000)
        helper.waitForReadyRead(100);
    const QByteArray ready = helper.readLine();
    QVERIFY2(ready == "ready\n",
             qPrintable(QStringLiteral("the helper did not get ready: %1 %2")
                            .arg(QString::fromLocal8Bit(ready),
                                 QString::fromLocal8Bit(helper.readAllStandardError()))));

    timer.start();
    while (timer.elapsed() < delayMs && helper.state() == QProcess::Running)
        helper.waitForReadyRead(qMax<qint64>(1, delayMs - timer.elapsed()));
    QVERIFY2(helper.state() == QProcess::Running,
             qPrintable(QStringLiteral("the helper ended by itself: %1")
                            .arg(QString::fromLocal8Bit(helper.readAllStandardError()))));
    helper.kill(); // SIGKILL on POSIX: no cleanup, no atexit, no flush
    QVERIFY(helper.waitForFinished(5000));
    QCOMPARE(helper.exitStatus(), QProcess::CrashExit);

    // Only complete lines count: a line cut by the kill was not reported.
    const QByteArray out = helper.readAllStandardOutput();
    QList<QByteArray> lines = out.split('\n');
    lines.removeLast(); // empty after a final newline, or a line the kill cut short
    int reportedNow = 0;
    for (const QByteArray& line : lines) {
        const QList<QByteArray> parts = line.split(' ');
        QVERIFY2(parts.size() == 3 && parts[0] == "committed", line.constData());
        const qint64 batch = parts[1].toLongLong();
        QVERIFY2(batch >= m_nextBatch, line.constData());
        m_reported.insert(batch, parts[2].toLongLong());
        ++reportedNow;
    }

    QMap<qint64, qint64> present;
    QString integrity;
    QString error;
    QVERIFY2(inspect(&present, &integrity, &error), qPrintable(error));
    QCOMPARE(integrity, QStringLiteral("ok"));

    // Every reported batch is there in full.
    for (auto it = m_reported.cbegin(); it != m_reported.cend(); ++it) {
        QVERIFY2(present.value(it.key()) == it.value(),
                 qPrintable(QStringLiteral("batch %1: reported %2 rows, found %3")
                                .arg(it.key())
                                .arg(it.value())
                                .arg(present.value(it.key()))));
    }
    // No batch is partial; a batch may be present without a report only when the kill came
    // between its COMMIT and its line (then it is the last one).
    qint64 last = 0;
    for (auto it = present.cbegin(); it != present.cend(); ++it) {
        QVERIFY2(it.value() == kRowsPerBatch,
                 qPrintable(QStringLiteral("batch %1 is partial: %2 of %3 rows")
                                .arg(it.key())
                                .arg(it.value())
                                .arg(kRowsPerBatch)));
        last = qMax(last, it.key());
        if (!m_reported.contains(it.key())) {
            QVERIFY2(
                it.key() == present.lastKey(),
                qPrintable(QStringLiteral("unreported batch %1 is not the last").arg(it.key())));
            // Committed for good now: later runs must find it too.
            m_reported.insert(it.key(), it.value());
        }
    }
    m_batchesReported += reportedNow;
    m_nextBatch = last + 1;
    qInfo("run %d: %d batches reported by this helper, %lld batches (%lld rows) in the vault",
          m_run, reportedNow, static_cast<long long>(present.size()),
          static_cast<long long>(present.size()) * kRowsPerBatch);
#else
    QSKIP("the CrashInserter helper was not built with this test");
#endif
}

void TestCrashSafety::cleanupTestCase() {
#ifdef LLAMADESK_CRASH_INSERTER
    // The test is only meaningful if the kills landed while batches were being written: on
    // average at least one committed batch per run.
    QVERIFY2(m_batchesReported >= kKills,
             qPrintable(QStringLiteral("only %1 batches were committed in %2 runs")
                            .arg(m_batchesReported)
                            .arg(kKills)));
#endif
}

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "TestCrashSafety.moc"
