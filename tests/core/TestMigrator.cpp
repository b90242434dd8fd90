#include "domain/Timestamp.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"

#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using llamadesk::store::Migration;
using llamadesk::store::Migrator;
using llamadesk::store::SqlCipherDriver;

Q_DECLARE_METATYPE(llamadesk::store::Migration)

namespace {

// The key of the committed fixture vaults (tests/fixtures/local/vault-vN.db). Not a secret.
const QByteArray kFixtureKey = QByteArrayLiteral("llamadesk-test-fixture-key-32byt");

// Setting this to a version N makes writeFixture() create tests/fixtures/local/vault-vN.db.
const char* const kWriteFixtureVariable = "LLAMADESK_WRITE_FIXTURE";

QByteArray randomKey() {
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / qsizetype(sizeof(quint32)));
    return key;
}

QByteArray fileHash(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// One named connection to an encrypted file, removed again when it goes out of scope.
class Connection {
public:
    Connection(const QString& path, const QByteArray& key) {
        static int counter = 0;
        m_name = QStringLiteral("migrator-test-%1").arg(++counter);
        db = SqlCipherDriver::openDatabase(m_name, path, key, QString(), nullptr, &error);
    }
    ~Connection() { close(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void close() {
        if (db.isValid())
            db.close();
        db = QSqlDatabase();
        if (QSqlDatabase::contains(m_name))
            QSqlDatabase::removeDatabase(m_name);
    }
    SqlCipherDriver* driver() const { return static_cast<SqlCipherDriver*>(db.driver()); }

    QSqlDatabase db;
    QString error;

private:
    QString m_name;
};

// Runs one statement that needs no parameters and returns the first column of every row.
QStringList column(const QSqlDatabase& db, const QString& sql) {
    QSqlQuery q(db);
    QStringList values;
    if (!q.prepare(sql) || !q.exec()) {
        values << QStringLiteral("<error: %1>").arg(q.lastError().text());
        return values;
    }
    while (q.next())
        values << q.value(0).toString();
    return values;
}

int scalar(const QSqlDatabase& db, const QString& sql) {
    const QStringList values = column(db, sql);
    return values.isEmpty() ? -1 : values.first().toInt();
}

// The schema as SQLite keeps it: every object with its SQL, sorted.
QStringList schemaOf(const QSqlDatabase& db) {
    return column(db, QStringLiteral("SELECT type || ' ' || name || ': ' || coalesce(sql, '') "
                                     "FROM sqlite_master ORDER BY type, name"));
}

QStringList tablesOf(const QSqlDatabase& db) {
    return column(db, QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                     "name NOT LIKE 'sqlite%' ORDER BY name"));
}

QStringList columnsOf(const QSqlDatabase& db, const QString& table) {
    // Table names come from sqlite_master, not from outside input; PRAGMA takes no parameters.
    QSqlQuery q(db);
    QStringList names;
    if (!q.prepare(QStringLiteral("PRAGMA table_info(\"%1\")").arg(table)) || !q.exec())
        return names;
    while (q.next())
        names << q.value(1).toString();
    return names;
}

// Every row of a table as text, restricted to the given columns, in a stable order.
QStringList rowsOf(const QSqlDatabase& db, const QString& table, const QStringList& columns) {
    QStringList quoted;
    for (const QString& c : columns)
        quoted << QLatin1Char('"') + c + QLatin1Char('"');
    const QString list = quoted.join(QStringLiteral(", "));
    QSqlQuery q(db);
    QStringList rows;
    if (!q.prepare(QStringLiteral("SELECT %1 FROM \"%2\" ORDER BY %1").arg(list, table)) ||
        !q.exec()) {
        rows << QStringLiteral("<error: %1>").arg(q.lastError().text());
        return rows;
    }
    while (q.next()) {
        QStringList values;
        for (int i = 0; i < columns.size(); ++i)
            values << (q.isNull(i) ? QStringLiteral("NULL")
                                   : QString::fromLatin1(q.value(i).typeName()) + QLatin1Char(':') +
                                         q.value(i).toString());
        rows << values.join(QLatin1Char('|'));
    }
    return rows;
}

QString fixtureDirectory() {
    const QString readme = QFINDTESTDATA("../fixtures/local/README.md");
    return readme.isEmpty() ? QString() : QFileInfo(readme).absolutePath();
}

Migration makeMigration(int version, const char* name, const QByteArray& sql) {
    Migration m;
    m.version = version;
    m.name = QString::fromLatin1(name);
    m.resourcePath = QStringLiteral("test:%1_%2.sql").arg(version).arg(m.name);
    m.sql = sql;
    m.sha256 = QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex();
    return m;
}

} // namespace

class TestMigrator : public QObject {
    Q_OBJECT

private slots:
    void builtinMigrationsAreNumberedAndDescribed();
    void builtinMigrationsLeaveTransactionsToTheMigrator();
    void validateRefusesBadNumbering_data();
    void validateRefusesBadNumbering();
    void loadReadsAFolder();
    void freshDatabaseReachesLatest();
    void migratesStepByStep();
    void rerunIsANoOp();
    void failingMigrationChangesNothing_data();
    void failingMigrationChangesNothing();
    void failureInAnEarlyMigrationKeepsTheLaterOnesOut();
    void refusesANewerDatabaseWithoutTouchingIt();
    void refusesBadTargets();
    void foreignKeysOffMarkerAllowsATableRebuild();
    void foreignKeyCheckUndoesABrokenRebuild();
    void scriptThatEndsTheTransactionIsReported();
    void editedReleasedMigrationIsReported();
    void refusesAConnectionWithoutTheDriver();
    void upgradesEveryEarlierFixture_data();
    void upgradesEveryEarlierFixture();
    void ledgerOrderOfAnExistingVault_data();
    void ledgerOrderOfAnExistingVault();
    void writeFixture();

private:
    testsupport::ScratchDir m_scratch;
    int m_files = 0;
    QString newPath() { return m_scratch.filePath(QStringLiteral("db-%1.db").arg(++m_files)); }
};

void TestMigrator::builtinMigrationsAreNumberedAndDescribed() {
    const QList<Migration> migrations = Migrator::builtin();
    QVERIFY(migrations.size() >= 3);
    QCOMPARE(Migrator::latestVersion(), int(migrations.size()));
    QVERIFY2(Migrator::validate(migrations).ok(),
             qPrintable(Migrator::validate(migrations).error()));
    for (const Migration& m : migrations) {
        const QString label =
            QStringLiteral("%1_%2").arg(m.version, 3, 10, QLatin1Char('0')).arg(m.name);
        QCOMPARE(m.resourcePath, QStringLiteral(":/sql/local/") + label + QStringLiteral(".sql"));
        // Each file starts by saying what it does: "-- NNN_name: ...".
        QVERIFY2(m.sql.startsWith(QStringLiteral("-- %1: ").arg(label).toUtf8()),
                 qPrintable(label));
        QCOMPARE(m.sha256, QCryptographicHash::hash(m.sql, QCryptographicHash::Sha256).toHex());
        QCOMPARE(m.sha256.size(), 64);
    }
}

void TestMigrator::builtinMigrationsLeaveTransactionsToTheMigrator() {
    // Trigger bodies use BEGIN ... END; statements that control transactions are refused.
    static const QRegularExpression control(
        QStringLiteral("\\bCOMMIT\\b|^\\s*ROLLBACK\\b|\\bBEGIN\\s+(TRANSACTION|IMMEDIATE|"
                       "EXCLUSIVE|DEFERRED)\\b|^\\s*BEGIN\\s*;|\\bEND\\s+TRANSACTION\\b|"
                       "\\bSAVEPOINT\\b|^\\s*RELEASE\\b|^\\s*VACUUM\\b"),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression comment(QStringLiteral("--[^\n]*"));
    for (const Migration& m : Migrator::builtin()) {
        const QString code = QString::fromUtf8(m.sql).remove(comment);
        const QRegularExpressionMatch match = control.match(code);
        QVERIFY2(!match.hasMatch(), qPrintable(m.name + QStringLiteral(": ") + match.captured()));
    }
}

void TestMigrator::validateRefusesBadNumbering_data() {
    QTest::addColumn<QList<Migration>>("migrations");
    QTest::addColumn<bool>("valid");

    const Migration a = makeMigration(1, "a", "CREATE TABLE a (x);");
    const Migration b = makeMigration(2, "b", "CREATE TABLE b (x);");
    const Migration c = makeMigration(3, "c", "CREATE TABLE c (x);");
    QTest::newRow("1..3") << QList<Migration>{a, b, c} << true;
    QTest::newRow("none") << QList<Migration>{} << false;
    QTest::newRow("gap") << QList<Migration>{a, c} << false;
    QTest::newRow("duplicate") << QList<Migration>{a, b, b} << false;
    QTest::newRow("not starting at 1") << QList<Migration>{b, c} << false;
    QTest::newRow("out of order") << QList<Migration>{b, a} << false;
    QTest::newRow("empty sql") << QList<Migration>{a, makeMigration(2, "b", "  \n")} << false;
    QTest::newRow("no name") << QList<Migration>{makeMigration(1, "", "SELECT 1;")} << false;
}

void TestMigrator::validateRefusesBadNumbering() {
    QFETCH(QList<Migration>, migrations);
    QFETCH(bool, valid);
    const Status status = Migrator::validate(migrations);
    QCOMPARE(status.ok(), valid);
    if (!valid)
        QVERIFY(!status.error().isEmpty());
    // A migrator built on an invalid list refuses to run and says why.
    if (!valid) {
        Connection c(newPath(), randomKey());
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        const Status run = Migrator(c.db, migrations).migrate();
        QVERIFY(!run.ok());
        QCOMPARE(run.error(), status.error());
        QCOMPARE(Migrator(c.db).currentVersion(), 0);
    }
}

void TestMigrator::loadReadsAFolder() {
    const QString dir = m_scratch.filePath(QStringLiteral("migrations"));
    QVERIFY(QDir().mkpath(dir));
    const auto write = [&dir](const QString& name, const QByteArray& bytes) {
        QFile f(dir + QLatin1Char('/') + name);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    QVERIFY(write(QStringLiteral("002_second.sql"), "CREATE TABLE b (x);"));
    QVERIFY(write(QStringLiteral("001_first.sql"), "CREATE TABLE a (x);"));

    const Result<QList<Migration>> loaded = Migrator::load(dir);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->size(), 2);
    QCOMPARE(loaded->at(0).version, 1);
    QCOMPARE(loaded->at(0).name, QStringLiteral("first"));
    QCOMPARE(loaded->at(1).name, QStringLiteral("second"));
    QCOMPARE(loaded->at(1).sql, QByteArray("CREATE TABLE b (x);"));

    QVERIFY(write(QStringLiteral("004_fourth.sql"), "CREATE TABLE d (x);"));
    const Result<QList<Migration>> gap = Migrator::load(dir);
    QVERIFY(!gap.ok());
    QVERIFY2(gap.error().contains(QStringLiteral("004_fourth.sql")), qPrintable(gap.error()));

    QVERIFY(QFile::remove(dir + QStringLiteral("/004_fourth.sql")));
    QVERIFY(write(QStringLiteral("notes.txt"), "hello"));
    const Result<QList<Migration>> stray = Migrator::load(dir);
    QVERIFY(!stray.ok());
    QVERIFY2(stray.error().contains(QStringLiteral("notes.txt")), qPrintable(stray.error()));

    QVERIFY(!Migrator::load(m_scratch.filePath(QStringLiteral("missing"))).ok());
}

void TestMigrator::freshDatabaseReachesLatest() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    Migrator migrator(c.db);
    QCOMPARE(migrator.currentVersion(), 0);
    QCOMPARE(migrator.knownVersion(), Migrator::latestVersion());

    const Status status = migrator.migrate();
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QCOMPARE(migrator.currentVersion(), Migrator::latestVersion());
    QVERIFY(!migrator.isNewerThanKnown());

    // One history row per migration, with its name, checksum and the stored timestamp form.
    QSqlQuery q(c.db);
    QVERIFY(q.prepare(QStringLiteral(
        "SELECT version, name, checksum, applied_at FROM schema_history ORDER BY version")));
    QVERIFY(q.exec());
    const QList<Migration> builtin = Migrator::builtin();
    for (const Migration& m : builtin) {
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), m.version);
        QCOMPARE(q.value(1).toString(), m.name);
        QCOMPARE(q.value(2).toString(), QString::fromLatin1(m.sha256));
        const Result<llamadesk::Timestamp> applied =
            llamadesk::Timestamp::parse(q.value(3).toString());
        QVERIFY2(applied.ok(), qPrintable(applied.error()));
        QCOMPARE(applied->toString(), q.value(3).toString());
    }
    QVERIFY(!q.next());

    const Result<QStringList> history = migrator.verifyHistory();
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QVERIFY2(history->isEmpty(), qPrintable(history->join(QLatin1Char('\n'))));
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA foreign_keys")), 1);
}

void TestMigrator::migratesStepByStep() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    Migrator migrator(c.db);
    for (int v = 1; v <= Migrator::latestVersion(); ++v) {
        const Status status = migrator.migrate(v);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QCOMPARE(migrator.currentVersion(), v);
        QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM schema_history")), v);
        // Version 1 has the tables; the outbox arrives with version 2.
        QVERIFY(tablesOf(c.db).contains(QStringLiteral("tax_transactions")));
        QCOMPARE(tablesOf(c.db).contains(QStringLiteral("sync_outbox")), v >= 2);
    }
    // The same schema as a database migrated in one go.
    Connection fresh(newPath(), randomKey());
    QVERIFY(Migrator(fresh.db).migrate().ok());
    QCOMPARE(schemaOf(c.db), schemaOf(fresh.db));
}

void TestMigrator::rerunIsANoOp() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QVERIFY(Migrator(c.db).migrate().ok());
    const QStringList schema = schemaOf(c.db);
    const QStringList history =
        column(c.db, QStringLiteral("SELECT version || applied_at FROM schema_history"));

    for (int i = 0; i < 2; ++i) {
        const Status again = Migrator(c.db).migrate();
        QVERIFY2(again.ok(), qPrintable(again.error()));
    }
    QCOMPARE(Migrator(c.db).currentVersion(), Migrator::latestVersion());
    QCOMPARE(schemaOf(c.db), schema);
    QCOMPARE(column(c.db, QStringLiteral("SELECT version || applied_at FROM schema_history")),
             history);
}

void TestMigrator::failingMigrationChangesNothing_data() {
    QTest::addColumn<QByteArray>("sql");

    QTest::newRow("syntax error after a new table")
        << QByteArray("CREATE TABLE extra (x TEXT);\nCREATE TABLE broken (;\n");
    QTest::newRow("constraint failure after a new column")
        << QByteArray("ALTER TABLE dashboards ADD COLUMN color TEXT;\n"
                      "INSERT INTO dashboards (id, user_id, name, layout, widgets) "
                      "VALUES ('X', NULL, 'bad', '{}', '[]');\n");
    QTest::newRow("error after changing data and dropping an index")
        << QByteArray("UPDATE tax_transactions SET notes = 'rewritten';\n"
                      "DROP INDEX idx_tax_transactions_type;\n"
                      "DELETE FROM settings;\n"
                      "SELECT no_such_function();\n");
}

void TestMigrator::failingMigrationChangesNothing() {
    QFETCH(QByteArray, sql);
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QVERIFY(Migrator(c.db).migrate().ok());
    const Status seeded = c.driver()->executeScript(QStringLiteral(
        "INSERT INTO users (id, email) VALUES ('00000000-0000-4000-8000-000000000001', 'a@b.c');"
        "INSERT INTO tax_transactions (id, user_id, transaction_hash, block_number, chain_id, "
        "timestamp, transaction_type) VALUES ('00000000-0000-4000-8000-000000000002', "
        "'00000000-0000-4000-8000-000000000001', '0x1', 1, 1, '2025-03-15T10:00:00.000000Z', "
        "'buy');"
        "INSERT INTO settings (key, value) VALUES ('k', 'v');"));
    QVERIFY2(seeded.ok(), qPrintable(seeded.error()));

    const QStringList schema = schemaOf(c.db);
    QStringList data;
    for (const QString& table : tablesOf(c.db))
        data << rowsOf(c.db, table, columnsOf(c.db, table));
    QVERIFY(!data.isEmpty());

    const int latest = Migrator::latestVersion();
    QList<Migration> migrations = Migrator::builtin();
    migrations << makeMigration(latest + 1, "broken", sql);
    Migrator migrator(c.db, migrations);
    const Status status = migrator.migrate();
    QVERIFY(!status.ok());
    // The error names the migration and what failed.
    QVERIFY2(status.error().contains(QStringLiteral("_broken")), qPrintable(status.error()));

    QCOMPARE(migrator.currentVersion(), latest);
    QCOMPARE(schemaOf(c.db), schema);
    QStringList after;
    for (const QString& table : tablesOf(c.db))
        after << rowsOf(c.db, table, columnsOf(c.db, table));
    QCOMPARE(after, data);
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT max(version) FROM schema_history")), latest);
    // The connection is usable and outside any transaction afterwards.
    QVERIFY(c.driver()->executeScript(QStringLiteral("BEGIN IMMEDIATE; ROLLBACK;")).ok());
}

void TestMigrator::failureInAnEarlyMigrationKeepsTheLaterOnesOut() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    const QList<Migration> builtin = Migrator::builtin();
    const QList<Migration> migrations{
        builtin.at(0),
        makeMigration(2, "half", "CREATE TABLE half_done (x);\nINSERT INTO nowhere VALUES (1);\n"),
        makeMigration(3, "never", "CREATE TABLE never_reached (x);\n")};
    const Status status = Migrator(c.db, migrations).migrate();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("002_half")), qPrintable(status.error()));
    QCOMPARE(Migrator(c.db).currentVersion(), 1);
    const QStringList tables = tablesOf(c.db);
    QVERIFY(tables.contains(QStringLiteral("tax_transactions")));
    QVERIFY(!tables.contains(QStringLiteral("half_done")));
    QVERIFY(!tables.contains(QStringLiteral("never_reached")));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM schema_history")), 1);
}

void TestMigrator::refusesANewerDatabaseWithoutTouchingIt() {
    const QString path = newPath();
    const QByteArray key = randomKey();
    const int newer = Migrator::latestVersion() + 1;
    {
        Connection c(path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QVERIFY(Migrator(c.db).migrate().ok());
        // A later LlamaDesk's migration, as far as this one can tell.
        QVERIFY(c.driver()
                    ->executeScript(QStringLiteral("CREATE TABLE from_the_future (x); "
                                                   "PRAGMA user_version = %1;")
                                        .arg(newer))
                    .ok());
    }
    const QByteArray before = fileHash(path);
    QVERIFY(!before.isEmpty());
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    {
        Connection c(path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        Migrator migrator(c.db);
        QVERIFY(migrator.isNewerThanKnown());
        const Status status = migrator.migrate();
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QStringLiteral("newer")), qPrintable(status.error()));
        QVERIFY2(status.error().contains(QString::number(newer)), qPrintable(status.error()));
        QCOMPARE(migrator.currentVersion(), newer);
        QVERIFY(!migrator.migrate(1).ok());
    }
    QCOMPARE(fileHash(path), before);
}

void TestMigrator::refusesBadTargets() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    Migrator migrator(c.db);
    const Status tooFar = migrator.migrate(Migrator::latestVersion() + 1);
    QVERIFY(!tooFar.ok());
    QCOMPARE(migrator.currentVersion(), 0);
    QVERIFY(tablesOf(c.db).isEmpty());

    QVERIFY(migrator.migrate(2).ok());
    const Status back = migrator.migrate(1);
    QVERIFY(!back.ok());
    QVERIFY2(back.error().contains(QStringLiteral("forward")), qPrintable(back.error()));
    QCOMPARE(migrator.currentVersion(), 2);
}

void TestMigrator::foreignKeysOffMarkerAllowsATableRebuild() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QVERIFY(Migrator(c.db).migrate().ok());
    QVERIFY(c.driver()
                ->executeScript(QStringLiteral(
                    "INSERT INTO users (id, email) VALUES "
                    "('00000000-0000-4000-8000-000000000001', 'a@b.c');"
                    "INSERT INTO alert_rules (id, user_id, name, alert_type, target_type, "
                    "target_id, condition_operator, threshold_value) VALUES "
                    "('00000000-0000-4000-8000-000000000002', "
                    "'00000000-0000-4000-8000-000000000001', 'r', 'gas_price', 'chain', '1', '>', "
                    "'30');"
                    "INSERT INTO alert_history (id, alert_rule_id, user_id, triggered_value, "
                    "threshold_value, condition_met, title, message, notification_channels) "
                    "VALUES ('00000000-0000-4000-8000-000000000003', "
                    "'00000000-0000-4000-8000-000000000002', "
                    "'00000000-0000-4000-8000-000000000001', '31', '30', '>', 't', 'm', '[]');"))
                .ok());

    // The rebuild SQLite needs to drop a column: new table, copy, drop, rename. With foreign keys
    // on, dropping alert_rules would delete the alert history through ON DELETE CASCADE.
    const QByteArray rebuild =
        "-- 004_rebuild: drop alert_rules.telegram_chat_id.\n"
        "-- migrator: foreign_keys=off\n"
        "CREATE TABLE alert_rules_new (id TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL "
        "REFERENCES users (id) ON DELETE CASCADE, name TEXT NOT NULL, alert_type TEXT NOT NULL, "
        "target_type TEXT NOT NULL, target_id TEXT NOT NULL, condition_operator TEXT NOT NULL, "
        "threshold_value TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL);\n"
        "INSERT INTO alert_rules_new SELECT id, user_id, name, alert_type, target_type, "
        "target_id, condition_operator, threshold_value, deleted_at, row_version FROM "
        "alert_rules;\n"
        "DROP TABLE alert_rules;\n"
        "ALTER TABLE alert_rules_new RENAME TO alert_rules;\n";
    QList<Migration> migrations = Migrator::builtin();
    migrations << makeMigration(Migrator::latestVersion() + 1, "rebuild", rebuild);
    const Status status = Migrator(c.db, migrations).migrate();
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM alert_history")), 1);
    QVERIFY(!columnsOf(c.db, QStringLiteral("alert_rules"))
                 .contains(QStringLiteral("telegram_chat_id")));
    // Foreign keys are on again afterwards.
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA foreign_keys")), 1);
}

void TestMigrator::foreignKeyCheckUndoesABrokenRebuild() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QVERIFY(Migrator(c.db).migrate().ok());
    const QStringList schema = schemaOf(c.db);
    const QByteArray orphan =
        "-- 004_orphan: leaves a row pointing nowhere.\n"
        "-- migrator: foreign_keys=off\n"
        "INSERT INTO tax_reports (id, user_id, report_type, tax_year, country_code, start_date, "
        "end_date) VALUES ('00000000-0000-4000-8000-000000000009', "
        "'00000000-0000-4000-8000-00000000dead', 'annual', 2024, 'DE', '2024-01-01', "
        "'2024-12-31');\n";
    QList<Migration> migrations = Migrator::builtin();
    migrations << makeMigration(Migrator::latestVersion() + 1, "orphan", orphan);
    const Status status = Migrator(c.db, migrations).migrate();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("tax_reports")), qPrintable(status.error()));
    QCOMPARE(Migrator(c.db).currentVersion(), Migrator::latestVersion());
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM tax_reports")), 0);
    QCOMPARE(schemaOf(c.db), schema);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA foreign_keys")), 1);
}

void TestMigrator::scriptThatEndsTheTransactionIsReported() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QVERIFY(Migrator(c.db).migrate().ok());
    QList<Migration> migrations = Migrator::builtin();
    migrations << makeMigration(Migrator::latestVersion() + 1, "commits",
                                "CREATE TABLE committed_early (x);\nCOMMIT;\n");
    const Status status = Migrator(c.db, migrations).migrate();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("transaction")), qPrintable(status.error()));
    // Not recorded as applied.
    QCOMPARE(Migrator(c.db).currentVersion(), Migrator::latestVersion());
}

void TestMigrator::editedReleasedMigrationIsReported() {
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QVERIFY(Migrator(c.db).migrate().ok());

    QList<Migration> edited = Migrator::builtin();
    edited[0].sql += "\n-- an innocent-looking edit\n";
    edited[0].sha256 = QCryptographicHash::hash(edited[0].sql, QCryptographicHash::Sha256).toHex();
    edited[1].name = QStringLiteral("renamed");
    Migrator migrator(c.db, edited);
    const Result<QStringList> problems = migrator.verifyHistory();
    QVERIFY2(problems.ok(), qPrintable(problems.error()));
    QCOMPARE(problems->size(), 2);
    QVERIFY2(problems->at(0).contains(QStringLiteral("Migration 1")), qPrintable(problems->at(0)));
    QVERIFY2(problems->at(0).contains(QString::fromLatin1(edited[0].sha256)),
             qPrintable(problems->at(0)));
    QVERIFY2(problems->at(1).contains(QStringLiteral("renamed")), qPrintable(problems->at(1)));
    // At run time this is only logged: the user's data stays reachable.
    QVERIFY(migrator.migrate().ok());
}

void TestMigrator::refusesAConnectionWithoutTheDriver() {
    QSqlDatabase closed;
    const Status status = Migrator(closed).migrate();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(QStringLiteral("not open")), qPrintable(status.error()));
}

void TestMigrator::upgradesEveryEarlierFixture_data() {
    QTest::addColumn<int>("version");
    for (int v = 1; v < Migrator::latestVersion(); ++v)
        QTest::newRow(qPrintable(QStringLiteral("vault-v%1").arg(v))) << v;
}

void TestMigrator::upgradesEveryEarlierFixture() {
    QFETCH(int, version);
    const QString directory = fixtureDirectory();
    QVERIFY2(!directory.isEmpty(), "tests/fixtures/local not found");
    const QString fixture = directory + QStringLiteral("/vault-v%1.db").arg(version);
    // Every earlier version must have its fixture: see tests/fixtures/local/README.md.
    QVERIFY2(QFile::exists(fixture), qPrintable(fixture + QStringLiteral(" is missing")));

    // Work on a copy: the committed file stays as released.
    const QString path = newPath();
    QVERIFY(QFile::copy(fixture, path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));

    Connection c(path, kFixtureKey);
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    Migrator migrator(c.db);
    QCOMPARE(migrator.currentVersion(), version);

    // The released migrations were not edited since this fixture was made.
    const Result<QStringList> history = migrator.verifyHistory();
    QVERIFY2(history.ok(), qPrintable(history.error()));
    QVERIFY2(history->isEmpty(), qPrintable(history->join(QLatin1Char('\n'))));

    // Everything the vault held before the upgrade.
    QMap<QString, QStringList> columnsBefore;
    QMap<QString, QStringList> rowsBefore;
    int filledTables = 0;
    for (const QString& table : tablesOf(c.db)) {
        if (table == QStringLiteral("schema_history"))
            continue;
        columnsBefore[table] = columnsOf(c.db, table);
        rowsBefore[table] = rowsOf(c.db, table, columnsBefore[table]);
        if (!rowsBefore[table].isEmpty())
            ++filledTables;
    }
    // A fixture must hold sample rows in (nearly) every table of its version.
    QVERIFY2(filledTables >= 15, qPrintable(QString::number(filledTables)));

    const Status status = migrator.migrate();
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QCOMPARE(migrator.currentVersion(), Migrator::latestVersion());

    for (auto it = rowsBefore.cbegin(); it != rowsBefore.cend(); ++it) {
        const QStringList after = rowsOf(c.db, it.key(), columnsBefore.value(it.key()));
        if (it.key() == QStringLiteral("sync_outbox")) {
            // The outbox may only have grown.
            for (const QString& row : it.value())
                QVERIFY2(after.contains(row), qPrintable(it.key() + QStringLiteral(": ") + row));
            continue;
        }
        QCOMPARE(after, it.value());
    }

    // The upgraded vault has exactly the schema of a new one.
    Connection fresh(newPath(), randomKey());
    QVERIFY(Migrator(fresh.db).migrate().ok());
    QCOMPARE(schemaOf(c.db), schemaOf(fresh.db));

    // Rows the server has never seen (row_version 0) are waiting in the outbox, however old the
    // vault: the upgrade must not let sync miss them.
    const QStringList unsent = column(
        c.db,
        QStringLiteral("SELECT t.name || ':' || t.id FROM ("
                       "SELECT 'users' AS name, id FROM users WHERE row_version = 0 UNION ALL "
                       "SELECT 'alert_rules', id FROM alert_rules WHERE row_version = 0 UNION ALL "
                       "SELECT 'tax_transactions', id FROM tax_transactions WHERE row_version = 0 "
                       "UNION ALL SELECT 'tax_reports', id FROM tax_reports WHERE row_version = 0 "
                       "UNION ALL SELECT 'cost_basis_lots', id FROM cost_basis_lots WHERE "
                       "row_version = 0 UNION ALL SELECT 'portfolio_assets', id FROM "
                       "portfolio_assets WHERE row_version = 0 UNION ALL SELECT "
                       "'portfolio_snapshots', id FROM portfolio_snapshots WHERE row_version = 0 "
                       "UNION ALL SELECT 'dashboards', id FROM dashboards WHERE row_version = 0) t "
                       "WHERE NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.table_name = t.name "
                       "AND o.row_id = t.id)"));
    QVERIFY2(unsent.isEmpty(), qPrintable(unsent.join(QLatin1Char(' '))));
    QVERIFY(scalar(c.db, QStringLiteral("SELECT count(*) FROM sync_outbox")) > 0);
    QVERIFY(column(c.db, QStringLiteral("PRAGMA foreign_key_check")).isEmpty());
    QCOMPARE(column(c.db, QStringLiteral("PRAGMA integrity_check")),
             QStringList{QStringLiteral("ok")});

    // The ledger-order flag (006) says what the upgraded ledger really is.
    const bool inOrder =
        column(c.db, QStringLiteral("SELECT id FROM tax_transactions ORDER BY rowid")) ==
        column(c.db, QStringLiteral("SELECT id FROM tax_transactions ORDER BY timestamp, id"));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT rowid_order FROM tax_ledger_changes")),
             inOrder ? 1 : 0);

    // The tax engine's records (007): one per row, each what the row's columns give.
    const auto transactions = scalar(c.db, QStringLiteral("SELECT count(*) FROM tax_transactions"));
    QVERIFY(transactions > 0);
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM tax_inputs")), transactions);
    const Result<qint64> stale = llamadesk::store::TransactionRepository(c.db).taxInputsOutOfStep();
    QVERIFY2(stale.ok(), qPrintable(stale.error()));
    QCOMPARE(*stale, 0);
}

void TestMigrator::ledgerOrderOfAnExistingVault_data() {
    // Rows written at schema version 5 (times as hh:mm on one day, ids as their last digits), in
    // rowid order; migration 006 must find out whether that is (timestamp, id) order.
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<int>("expected");
    QTest::newRow("no rows") << QStringList() << 1;
    QTest::newRow("one row") << QStringList{QStringLiteral("10:00 1")} << 1;
    QTest::newRow("in order") << QStringList{QStringLiteral("10:00 1"), QStringLiteral("10:00 2"),
                                             QStringLiteral("11:00 3"), QStringLiteral("12:00 9")}
                              << 1;
    QTest::newRow("the last row earlier")
        << QStringList{QStringLiteral("10:00 1"), QStringLiteral("11:00 2"),
                       QStringLiteral("10:30 3")}
        << 0;
    QTest::newRow("the first two swapped")
        << QStringList{QStringLiteral("11:00 1"), QStringLiteral("10:00 2"),
                       QStringLiteral("12:00 3")}
        << 0;
    QTest::newRow("the same time, ids descending")
        << QStringList{QStringLiteral("10:00 2"), QStringLiteral("10:00 1")} << 0;
    QTest::newRow("a gap in the rowids, still in order")
        << QStringList{QStringLiteral("10:00 1"), QStringLiteral("delete"),
                       QStringLiteral("11:00 3"), QStringLiteral("12:00 4")}
        << 1;
    QTest::newRow("a gap in the rowids, out of order")
        << QStringList{QStringLiteral("10:00 1"), QStringLiteral("11:00 2"),
                       QStringLiteral("12:00 3"), QStringLiteral("delete"),
                       QStringLiteral("10:30 4")}
        << 0;
}

void TestMigrator::ledgerOrderOfAnExistingVault() {
    QFETCH(QStringList, rows);
    QFETCH(int, expected);
    Connection c(newPath(), randomKey());
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    Migrator migrator(c.db);
    QVERIFY(migrator.migrate(5).ok());
    QVERIFY(
        c.driver()
            ->executeScript(QStringLiteral("INSERT INTO users (id, email) VALUES "
                                           "('00000000-0000-4000-8000-000000000001', 'a@b.c');"))
            .ok());
    QSqlQuery q(c.db);
    int n = 0;
    for (const QString& row : rows) {
        ++n;
        if (row == QLatin1String("delete")) {
            // The row before goes: a hole in the rowids.
            QVERIFY(q.exec(QStringLiteral("DELETE FROM tax_transactions WHERE rowid = "
                                          "(SELECT max(rowid) FROM tax_transactions)")));
            continue;
        }
        const QStringList parts = row.split(QLatin1Char(' '));
        QVERIFY(q.prepare(QStringLiteral(
            "INSERT INTO tax_transactions (id, user_id, transaction_hash, block_number, chain_id, "
            "timestamp, transaction_type) VALUES (?, '00000000-0000-4000-8000-000000000001', ?, "
            "1, 1, ?, 'buy')")));
        q.addBindValue(QStringLiteral("00000000-0000-4000-8000-%1")
                           .arg(parts[1].toInt(), 12, 10, QLatin1Char('0')));
        q.addBindValue(QStringLiteral("0x%1").arg(n));
        q.addBindValue(QStringLiteral("2025-03-15T%1:00.000000Z").arg(parts[0]));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    QVERIFY(migrator.migrate().ok());
    QCOMPARE(migrator.currentVersion(), Migrator::latestVersion());
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT rowid_order FROM tax_ledger_changes")), expected);
    // The next insert is judged against the last row by rowid.
    QVERIFY(q.prepare(QStringLiteral(
        "INSERT INTO tax_transactions (id, user_id, transaction_hash, block_number, chain_id, "
        "timestamp, transaction_type) VALUES ('00000000-0000-4000-8000-000000000099', "
        "'00000000-0000-4000-8000-000000000001', '0xnext', 1, 1, '2025-03-16T00:00:00.000000Z', "
        "'buy')")));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT rowid_order FROM tax_ledger_changes")), expected);
}

// Not a test: writes the fixture of one schema version when LLAMADESK_WRITE_FIXTURE=N is set.
// It migrates a new vault step by step to N and runs vault-v1.sql ... vault-vN.sql after the
// migration of the same number, like a vault that lived through every version.
void TestMigrator::writeFixture() {
    const QByteArray requested = qgetenv(kWriteFixtureVariable);
    if (requested.isEmpty())
        QSKIP("set LLAMADESK_WRITE_FIXTURE=<version> to write "
              "tests/fixtures/local/vault-v<version>.db");
    bool ok = false;
    const int version = requested.toInt(&ok);
    QVERIFY2(ok && version >= 1 && version <= Migrator::latestVersion(), requested.constData());
    const QString directory = fixtureDirectory();
    QVERIFY2(!directory.isEmpty(), "tests/fixtures/local not found");
    const QString target = directory + QStringLiteral("/vault-v%1.db").arg(version);
    // A released fixture is never rewritten: delete it by hand if you really mean to.
    QVERIFY2(!QFile::exists(target), qPrintable(target + QStringLiteral(" exists already")));

    const QString path = newPath();
    {
        Connection c(path, kFixtureKey);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        for (int v = 1; v <= version; ++v) {
            const Status migrated = Migrator(c.db).migrate(v);
            QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
            QFile sample(directory + QStringLiteral("/vault-v%1.sql").arg(v));
            QVERIFY2(sample.open(QIODevice::ReadOnly), qPrintable(sample.fileName()));
            const Status filled = c.driver()->executeScript(QString::fromUtf8(sample.readAll()));
            QVERIFY2(filled.ok(), qPrintable(filled.error()));
        }
        // Small and self-contained: no free pages, everything checkpointed into the main file.
        QVERIFY(c.driver()->executeScript(QStringLiteral("VACUUM")).ok());
    }
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    QVERIFY(QFile::copy(path, target));
    qInfo("wrote %s (%lld bytes)", qPrintable(target), QFileInfo(target).size());
}

QTEST_GUILESS_MAIN(TestMigrator)
#include "TestMigrator.moc"
