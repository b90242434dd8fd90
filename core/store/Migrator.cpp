#include "store/Migrator.h"

#include "Logging.h"
#include "domain/Timestamp.h"
#include "store/SqlCipherDriver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <algorithm>

namespace llamadesk::store {

namespace {

const QString kBuiltinDirectory = QStringLiteral(":/sql/local");

bool disablesForeignKeys(const Migration& migration) {
    static const QRegularExpression marker(QStringLiteral("^-- migrator: foreign_keys=off\\s*$"),
                                           QRegularExpression::MultilineOption);
    return marker.match(QString::fromUtf8(migration.sql)).hasMatch();
}

QString sqlError(const QSqlQuery& query) {
    return query.lastError().text();
}

} // namespace

QList<Migration> Migrator::builtin() {
    // Read once: the embedded files cannot change while the program runs.
    static const Result<QList<Migration>> loaded = load(kBuiltinDirectory);
    if (!loaded.ok()) {
        qCCritical(lcStore).noquote() << "Built-in migrations unusable:" << loaded.error();
        return {};
    }
    return loaded.value();
}

int Migrator::latestVersion() {
    return int(builtin().size());
}

Result<QList<Migration>> Migrator::load(const QString& directory) {
    static const QRegularExpression fileName(QStringLiteral("^([0-9]+)_([A-Za-z0-9_]+)\\.sql$"));
    const QDir dir(directory);
    if (!dir.exists())
        return Result<QList<Migration>>::failure(
            tr("Migrations: the folder %1 does not exist").arg(directory));

    QList<Migration> migrations;
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    for (const QString& file : files) {
        const QRegularExpressionMatch match = fileName.match(file);
        if (!match.hasMatch())
            return Result<QList<Migration>>::failure(
                tr("Migrations: %1 in %2 is not named NNN_name.sql").arg(file, directory));
        Migration m;
        bool ok = false;
        m.version = match.captured(1).toInt(&ok);
        if (!ok)
            return Result<QList<Migration>>::failure(
                tr("Migrations: the number of %1 is too large").arg(file));
        m.name = match.captured(2);
        m.resourcePath = dir.filePath(file);
        QFile in(m.resourcePath);
        if (!in.open(QIODevice::ReadOnly))
            return Result<QList<Migration>>::failure(
                tr("Migrations: cannot read %1: %2").arg(m.resourcePath, in.errorString()));
        m.sql = in.readAll();
        m.sha256 = QCryptographicHash::hash(m.sql, QCryptographicHash::Sha256).toHex();
        migrations.append(m);
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    const Status valid = validate(migrations);
    if (!valid.ok())
        return Result<QList<Migration>>::failure(valid.error());
    return migrations;
}

Status Migrator::validate(const QList<Migration>& migrations) {
    if (migrations.isEmpty())
        return Status::failure(tr("Migrations: there are none"));
    for (qsizetype i = 0; i < migrations.size(); ++i) {
        const Migration& m = migrations.at(i);
        const int expected = int(i) + 1;
        if (m.version != expected)
            return Status::failure(
                tr("Migrations: expected version %1 but found %2 (%3); versions must run 1..N "
                   "without gaps or duplicates")
                    .arg(expected)
                    .arg(m.version)
                    .arg(m.resourcePath.isEmpty() ? m.name : m.resourcePath));
        if (m.name.isEmpty() || m.sql.trimmed().isEmpty())
            return Status::failure(
                tr("Migrations: version %1 has no name or no SQL").arg(m.version));
    }
    return Status::success();
}

Migrator::Migrator(QSqlDatabase db)
    : Migrator(std::move(db), builtin()) {}

Migrator::Migrator(QSqlDatabase db, QList<Migration> migrations)
    : m_db(std::move(db))
    , m_migrations(std::move(migrations)) {
    const Status valid = validate(m_migrations);
    if (!valid.ok())
        m_invalid = valid.error();
}

int Migrator::currentVersion() const {
    QSqlQuery query(m_db);
    if (!query.prepare(QStringLiteral("PRAGMA user_version")) || !query.exec() || !query.next()) {
        qCWarning(lcStore).noquote() << "Cannot read the schema version:" << sqlError(query);
        return -1;
    }
    return query.value(0).toInt();
}

Status Migrator::migrate(int target) {
    if (!m_invalid.isEmpty())
        return Status::failure(m_invalid);
    if (!m_db.isOpen())
        return Status::failure(tr("Cannot update the database schema: the database is not open"));
    if (!qobject_cast<SqlCipherDriver*>(m_db.driver()))
        return Status::failure(
            tr("Cannot update the database schema: the database was not opened through the "
               "SQLCipher driver"));

    const int known = knownVersion();
    if (target < 0)
        target = known;
    if (target > known)
        return Status::failure(
            tr("Cannot update the database schema to version %1: this LlamaDesk knows versions up "
               "to %2")
                .arg(target)
                .arg(known));

    const int start = currentVersion();
    if (start < 0)
        return Status::failure(tr("Cannot update the database schema: its version is unreadable"));
    if (start > known)
        return Status::failure(
            tr("This database was created by a newer LlamaDesk (schema version %1; this version "
               "knows up to %2). It was left untouched: update LlamaDesk to open it.")
                .arg(start)
                .arg(known));
    if (target < start)
        return Status::failure(
            tr("Cannot take the database schema back from version %1 to %2: migrations only go "
               "forward")
                .arg(start)
                .arg(target));

    if (start > 0) {
        const Result<QStringList> history = verifyHistory();
        if (!history.ok())
            qCWarning(lcStore).noquote() << history.error();
        else
            for (const QString& problem : history.value())
                qCWarning(lcStore).noquote() << problem;
    }

    int current = start;
    while (current < target) {
        int applied = 0;
        const Status step = applyNext(current, &applied);
        if (!step.ok())
            return step;
        const int now = currentVersion();
        if (now <= current) // cannot happen after a committed step; never loop forever
            return Status::failure(tr("Database schema update stuck at version %1").arg(current));
        if (now > known)
            return Status::failure(
                tr("This database was updated by a newer LlamaDesk meanwhile (schema version %1)")
                    .arg(now));
        current = now;
    }
    return Status::success();
}

Status Migrator::rollback(const QString& why) {
    auto* driver = qobject_cast<SqlCipherDriver*>(m_db.driver());
    const Status undone = driver->executeScript(QStringLiteral("ROLLBACK"));
    if (!undone.ok())
        qCWarning(lcStore).noquote()
            << "Rollback after a failed migration failed:" << undone.error();
    qCWarning(lcStore).noquote() << why;
    return Status::failure(why);
}

Status Migrator::applyNext(int current, int* applied) {
    auto* driver = qobject_cast<SqlCipherDriver*>(m_db.driver());
    const Migration& m = m_migrations.at(current); // version current + 1
    const QString label =
        QStringLiteral("%1_%2").arg(m.version, 3, 10, QLatin1Char('0')).arg(m.name);
    QElapsedTimer timer;
    timer.start();

    // PRAGMA foreign_keys is a no-op inside a transaction: switch it before BEGIN.
    const bool foreignKeysOff = disablesForeignKeys(m);
    if (foreignKeysOff) {
        const Status off = driver->executeScript(QStringLiteral("PRAGMA foreign_keys = OFF"));
        if (!off.ok())
            return Status::failure(
                tr("Migration %1: cannot turn foreign keys off: %2").arg(label, off.error()));
    }
    // Whatever happens below, foreign keys are on again afterwards.
    struct ForeignKeysBackOn {
        SqlCipherDriver* driver;
        bool active;
        ~ForeignKeysBackOn() {
            if (active && !driver->executeScript(QStringLiteral("PRAGMA foreign_keys = ON")).ok())
                qCCritical(lcStore) << "Cannot turn foreign keys back on after a migration";
        }
    } backOn{driver, foreignKeysOff};

    // IMMEDIATE: take the write lock now, so the version read below cannot change under us.
    const Status begun = driver->executeScript(QStringLiteral("BEGIN IMMEDIATE"));
    if (!begun.ok())
        return Status::failure(
            tr("Migration %1: cannot start its transaction: %2").arg(label, begun.error()));

    const int locked = currentVersion();
    if (locked != current) {
        // Another process migrated meanwhile: let the caller look again.
        const Status undone = driver->executeScript(QStringLiteral("ROLLBACK"));
        if (!undone.ok())
            return Status::failure(tr("Migration %1: %2").arg(label, undone.error()));
        if (locked < 0)
            return Status::failure(tr("Migration %1: the schema version is unreadable").arg(label));
        *applied = 0;
        return Status::success();
    }

    const Status ran = driver->executeScript(QString::fromUtf8(m.sql));
    if (!ran.ok())
        return rollback(tr("Migration %1 failed and was undone: %2").arg(label, ran.error()));

    // A script that ends the transaction itself would make the rest of it non-atomic.
    auto* handle = driver->nativeHandle();
    if (handle && sqlite3_get_autocommit(handle) != 0)
        return Status::failure(
            tr("Migration %1 ended the migrator's transaction itself (BEGIN, COMMIT or ROLLBACK "
               "in the file); the database may be half-updated")
                .arg(label));

    if (foreignKeysOff) {
        QSqlQuery check(m_db);
        if (!check.prepare(QStringLiteral("PRAGMA foreign_key_check")) || !check.exec())
            return rollback(
                tr("Migration %1: foreign key check failed: %2").arg(label, sqlError(check)));
        if (check.next())
            return rollback(tr("Migration %1 broke a foreign key (table %2 referencing %3) and "
                               "was undone")
                                .arg(label, check.value(0).toString(), check.value(2).toString()));
    }

    {
        // PRAGMA takes no bound parameters; the value is our own integer, not outside input.
        const Status versioned =
            driver->executeScript(QStringLiteral("PRAGMA user_version = %1").arg(m.version));
        if (!versioned.ok())
            return rollback(
                tr("Migration %1: cannot record the version: %2").arg(label, versioned.error()));

        QSqlQuery record(m_db);
        if (!record.prepare(QStringLiteral("INSERT INTO schema_history (version, name, checksum, "
                                           "applied_at) VALUES (?, ?, ?, ?)")))
            return rollback(tr("Migration %1: cannot record it in schema_history: %2")
                                .arg(label, sqlError(record)));
        record.addBindValue(m.version);
        record.addBindValue(m.name);
        record.addBindValue(QString::fromLatin1(m.sha256));
        record.addBindValue(Timestamp::now().toString());
        if (!record.exec())
            return rollback(tr("Migration %1: cannot record it in schema_history: %2")
                                .arg(label, sqlError(record)));
    }

    const Status committed = driver->executeScript(QStringLiteral("COMMIT"));
    if (!committed.ok())
        return rollback(tr("Migration %1: COMMIT failed: %2").arg(label, committed.error()));

    *applied = m.version;
    qCInfo(lcStore).noquote() << "Applied migration" << label << "in" << timer.elapsed() << "ms";
    return Status::success();
}

Result<QStringList> Migrator::verifyHistory() const {
    QSqlQuery query(m_db);
    if (!query.prepare(QStringLiteral("SELECT version, name, checksum FROM schema_history "
                                      "ORDER BY version")) ||
        !query.exec())
        return Result<QStringList>::failure(
            tr("Cannot read schema_history: %1").arg(sqlError(query)));
    QStringList problems;
    while (query.next()) {
        const int version = query.value(0).toInt();
        const QString name = query.value(1).toString();
        const QString checksum = query.value(2).toString();
        if (version < 1 || version > knownVersion()) {
            problems << tr("schema_history lists version %1 (%2), which this LlamaDesk does not "
                           "know")
                            .arg(version)
                            .arg(name);
            continue;
        }
        const Migration& m = m_migrations.at(version - 1);
        if (m.name != name)
            problems << tr("Migration %1 was applied as \"%2\" but is now named \"%3\"")
                            .arg(version)
                            .arg(name, m.name);
        if (QString::fromLatin1(m.sha256) != checksum)
            problems << tr("Migration %1 (%2) changed after it was applied: its checksum was %3 "
                           "and is now %4. A released migration must never be edited.")
                            .arg(version)
                            .arg(m.name, checksum, QString::fromLatin1(m.sha256));
    }
    return problems;
}

} // namespace llamadesk::store
