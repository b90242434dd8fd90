#pragma once

#include "Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace llamadesk::store {

// One numbered migration file, "NNN_name.sql".
struct Migration {
    int version = 0;
    QString name;         // "initial" for "001_initial.sql"
    QString resourcePath; // where it was read from, e.g. ":/sql/local/001_initial.sql"
    QByteArray sql;       // the file's bytes (UTF-8)
    QByteArray sha256;    // SHA-256 of those bytes, 64 lowercase hex characters
};

// Brings a local database to the current schema. Migrations are the files of sql/local/, embedded
// as resources, applied in order, each in ONE transaction together with PRAGMA user_version and
// its schema_history row: a migration that fails leaves the database exactly as it was.
//
// A migration that rebuilds a table must run with foreign keys off (dropping a parent table would
// otherwise cascade). It says so with a line "-- migrator: foreign_keys=off"; the migrator then
// turns them off around its transaction and runs PRAGMA foreign_key_check before COMMIT.
class Migrator {
    Q_DECLARE_TR_FUNCTIONS(Migrator)

public:
    // The built-in migrations, sorted. Empty (and logged) if the embedded files are misnumbered,
    // which TestMigrator catches before a release.
    static QList<Migration> builtin();
    static int latestVersion();

    // Reads every "NNN_name.sql" of a folder (a resource folder or a real one) and validates the
    // numbering. Any other file name is an error.
    static Result<QList<Migration>> load(const QString& directory);
    // Versions must be exactly 1..N in order, with names and non-empty SQL.
    static Status validate(const QList<Migration>& migrations);

    // db must be open, through SqlCipherDriver.
    explicit Migrator(QSqlDatabase db);
    // For tests: these migrations instead of the built-in ones.
    Migrator(QSqlDatabase db, QList<Migration> migrations);

    // PRAGMA user_version; -1 when it cannot be read.
    int currentVersion() const;
    // The highest version this migrator knows.
    int knownVersion() const { return int(m_migrations.size()); }
    // The database was made by a newer LlamaDesk: migrate() refuses it without touching it.
    bool isNewerThanKnown() const { return currentVersion() > knownVersion(); }

    // Applies every pending migration up to target (-1: the latest). Refuses a database newer than
    // knownVersion() and a target below the current version, without touching the database. Safe
    // when another process opens the same vault at the same time: the version is read again under
    // the write lock, and a migration someone else has applied meanwhile is skipped.
    Status migrate(int target = -1);

    // Compares schema_history with the migrations this migrator knows and lists every applied
    // migration whose checksum or name differs ("an edited released migration"). migrate() only
    // logs these, so a user is never locked out of their data by it; TestMigrator fails on them.
    Result<QStringList> verifyHistory() const;

private:
    Status applyNext(int current, int* applied);
    Status rollback(const QString& why);

    QSqlDatabase m_db;
    QList<Migration> m_migrations;
    QString m_invalid; // why m_migrations cannot be used; empty when they can
};

} // namespace llamadesk::store
