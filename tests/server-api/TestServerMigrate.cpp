#include "PgCluster.h"
#include "ServerProcess.h"
#include "ServerTestPaths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using servertest::PgCluster;
using servertest::ServerProcess;
using servertest::sourcePath;

// "llamadesk-server migrate": the migration contract of sql/server/README.md, on a real
// throwaway cluster, checked against the files and against the psql runner.
class TestServerMigrate : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void appliesInOrderThenNothing();
    void refusals_data();
    void refusals();
    void concurrentRunnersApplyOnce();
    void serverRefusesAnUnmigratedDatabase();
    void databaseFromTheEnvironment();

private:
    QString copyMigrations(const QString& name);
    static int migrationCount();

    PgCluster m_pg;
    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/llamadesk-migrate-test-XXXXXX")};
};

int TestServerMigrate::migrationCount() {
    return static_cast<int>(
        QDir(sourcePath(QStringLiteral("sql/server")))
            .entryList({QStringLiteral("[0-9][0-9][0-9][0-9]_*.sql")}, QDir::Files)
            .size());
}

QString TestServerMigrate::copyMigrations(const QString& name) {
    const QString target = m_dir.filePath(name);
    QDir().mkpath(target);
    const QDir source(sourcePath(QStringLiteral("sql/server")));
    for (const QString& f : source.entryList({QStringLiteral("*.sql")}, QDir::Files))
        QFile::copy(source.filePath(f), target + QLatin1Char('/') + f);
    return target;
}

void TestServerMigrate::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
    QVERIFY(migrationCount() >= 11);
}

void TestServerMigrate::appliesInOrderThenNothing() {
    QString error;
    QVERIFY2(m_pg.createDatabase(QStringLiteral("fresh"), &error), qPrintable(error));
    const QString url = m_pg.url(QStringLiteral("fresh"));
    const int n = migrationCount();
    ServerProcess::Run run = ServerProcess::runOnce(
        {QStringLiteral("migrate"), QStringLiteral("--setup"), QStringLiteral("--database"), url});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("applied=%1 skipped=0").arg(n)), qPrintable(run.out));
    QVERIFY(run.out.indexOf(QStringLiteral("0001_")) < run.out.indexOf(QStringLiteral("0002_")));

    run = ServerProcess::runOnce({QStringLiteral("migrate"), QStringLiteral("--database"), url});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("applied=0 skipped=%1").arg(n)), qPrintable(run.out));

    // The recorded checksums are the SHA-256 of the files' bytes.
    QString recorded;
    QVERIFY(m_pg.psql(
        QStringLiteral("fresh"),
        QStringLiteral(
            "SELECT string_agg(lpad(version::text, 4, '0') || '_' || name || '.sql ' || checksum, "
            "E'\\n' ORDER BY version) FROM schema_migrations"),
        &recorded, &error));
    const QDir dir(sourcePath(QStringLiteral("sql/server")));
    QStringList expected;
    for (const QString& f :
         dir.entryList({QStringLiteral("[0-9][0-9][0-9][0-9]_*.sql")}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(f));
        QVERIFY(file.open(QIODevice::ReadOnly));
        expected.append(
            f + QLatin1Char(' ') +
            QString::fromLatin1(
                QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex()));
    }
    QCOMPARE(recorded, expected.join(QLatin1Char('\n')));

    // The psql runner of the schema tests agrees that nothing is left to do.
    QProcess p;
    p.start(QStringLiteral("sh"),
            {sourcePath(QStringLiteral("tests/server/apply-migrations.sh")), url});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()).trimmed(),
             QStringLiteral("applied=0 skipped=%1").arg(n));
}

void TestServerMigrate::refusals_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("edited after it was applied")
        << QStringLiteral("edited") << QStringLiteral("was changed after it was applied");
    QTest::newRow("gap in the numbering")
        << QStringLiteral("gap") << QStringLiteral("expected version");
    QTest::newRow("bad file name") << QStringLiteral("name") << QStringLiteral("NNNN_name.sql");
    QTest::newRow("failing migration") << QStringLiteral("broken") << QStringLiteral("rolled back");
}

void TestServerMigrate::refusals() {
    QFETCH(QString, kind);
    QFETCH(QString, mentions);
    QString error;
    const QString db = QStringLiteral("refuse_") + kind;
    QVERIFY2(m_pg.createDatabase(db, &error), qPrintable(error));
    const QString url = m_pg.url(db);
    QCOMPARE(ServerProcess::runOnce({QStringLiteral("migrate"), QStringLiteral("--setup"),
                                     QStringLiteral("--database"), url})
                 .exitCode,
             0);
    const QString dir = copyMigrations(kind);
    const int n = migrationCount();
    const QString next = QStringLiteral("%1").arg(n + 1, 4, 10, QLatin1Char('0'));
    auto write = [&](const QString& file, const QByteArray& bytes, bool append) {
        QFile f(dir + QLatin1Char('/') + file);
        QVERIFY(f.open(append ? QIODevice::Append : QIODevice::WriteOnly));
        f.write(bytes);
    };
    if (kind == QLatin1String("edited"))
        write(QStringLiteral("0002_core_tables.sql"), "\n-- an edit after release\n", true);
    else if (kind == QLatin1String("gap"))
        write(QStringLiteral("%1_after_a_gap.sql").arg(n + 2, 4, 10, QLatin1Char('0')),
              "SELECT 1;\n", false);
    else if (kind == QLatin1String("name"))
        write(next + QStringLiteral("_Bad-Name.sql"), "SELECT 1;\n", false);
    else
        write(next + QStringLiteral("_broken.sql"),
              "CREATE TABLE half_done (id INTEGER);\nSELECT no_such_function();\n", false);

    const ServerProcess::Run run =
        ServerProcess::runOnce({QStringLiteral("migrate"), QStringLiteral("--dir"), dir,
                                QStringLiteral("--database"), url});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(mentions), qPrintable(run.err));
    // Nothing changed.
    QString out;
    QVERIFY(m_pg.psql(
        db,
        QStringLiteral(
            "SELECT count(*) || ' ' || (to_regclass('half_done') IS NULL) FROM schema_migrations"),
        &out, &error));
    QCOMPARE(out, QStringLiteral("%1 true").arg(n));
}

void TestServerMigrate::concurrentRunnersApplyOnce() {
    // Two runners on one empty database at the same time: each file applied exactly once.
    QString error;
    QVERIFY2(m_pg.createDatabase(QStringLiteral("race"), &error), qPrintable(error));
    const QString url = m_pg.url(QStringLiteral("race"));
    QProcess a;
    QProcess b;
    for (QProcess* p : {&a, &b})
        p->start(servertest::serverBinary(),
                 {QStringLiteral("migrate"), QStringLiteral("--database"), url});
    QVERIFY(a.waitForFinished(180000));
    QVERIFY(b.waitForFinished(180000));
    const QString outA = QString::fromUtf8(a.readAllStandardOutput());
    const QString outB = QString::fromUtf8(b.readAllStandardOutput());
    QVERIFY2(a.exitCode() == 0, qPrintable(outA + QString::fromUtf8(a.readAllStandardError())));
    QVERIFY2(b.exitCode() == 0, qPrintable(outB + QString::fromUtf8(b.readAllStandardError())));
    const QRegularExpression re(QStringLiteral("applied=(\\d+) skipped=(\\d+)"));
    QCOMPARE(re.match(outA).captured(1).toInt() + re.match(outB).captured(1).toInt(),
             migrationCount());
    QString out;
    QVERIFY(m_pg.psql(QStringLiteral("race"),
                      QStringLiteral("SELECT count(*) FROM schema_migrations"), &out, &error));
    QCOMPARE(out.toInt(), migrationCount());
}

void TestServerMigrate::serverRefusesAnUnmigratedDatabase() {
    QString error;
    QVERIFY2(m_pg.createDatabase(QStringLiteral("empty"), &error), qPrintable(error));
    const ServerProcess::Run run =
        ServerProcess::runOnce({QStringLiteral("--insecure-loopback"), QStringLiteral("--port"),
                                QStringLiteral("0"), QStringLiteral("--database"),
                                m_pg.url(QStringLiteral("empty"), QStringLiteral("llamadesk_app"))},
                               {{QStringLiteral("LLAMADESK_ENCRYPTION_KEY"),
                                 QStringLiteral("0123456789abcdef0123456789abcdef")}},
                               30000);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("llamadesk-server migrate")), qPrintable(run.err));
}

void TestServerMigrate::databaseFromTheEnvironment() {
    ServerProcess::Run run = ServerProcess::runOnce({QStringLiteral("migrate")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("LLAMADESK_DATABASE_URL")), qPrintable(run.err));
    run = ServerProcess::runOnce(
        {QStringLiteral("migrate")},
        {{QStringLiteral("LLAMADESK_DATABASE_URL"), m_pg.url(QStringLiteral("fresh"))}});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("applied=0")), qPrintable(run.out));
    // A wrong URL: a one-line error naming no password.
    run = ServerProcess::runOnce(
        {QStringLiteral("migrate"), QStringLiteral("--database"),
         QStringLiteral("postgresql://someone:hunter2@127.0.0.1:1/nothing")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QStringLiteral("cannot connect")));
    QVERIFY(!run.err.contains(QStringLiteral("hunter2")));
}

QTEST_GUILESS_MAIN(TestServerMigrate)
#include "TestServerMigrate.moc"
