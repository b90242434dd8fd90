#include "Migrator.h"

#include "PgConnection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

namespace llamadesk::server {
namespace {

struct Recorded {
    QString name;
    QByteArray checksum;
};

Result<QByteArray> readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(
            QCoreApplication::translate("Migrator", "cannot read %1: %2")
                .arg(path, file.errorString()));
    return file.readAll();
}

} // namespace

Result<QList<Migrator::Migration>> Migrator::load(const QString& directory) {
    using R = Result<QList<Migration>>;
    QDir dir(directory);
    const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{4})_([a-z0-9_]+)\\.sql$"));
    QList<Migration> out;
    int expected = 1;
    for (const QString& fileName : files) {
        const QRegularExpressionMatch m = pattern.match(fileName);
        if (!m.hasMatch())
            return R::failure(tr("%1: a migration must be named NNNN_name.sql with lower-case "
                                 "letters, digits and _")
                                  .arg(fileName));
        const int version = m.captured(1).toInt();
        if (version != expected)
            return R::failure(
                tr("%1: expected version %2 (no gaps, no duplicates)").arg(fileName).arg(expected));
        ++expected;
        Result<QByteArray> bytes = readFile(dir.filePath(fileName));
        if (!bytes)
            return R::failure(bytes.error());
        Migration mig;
        mig.version = version;
        mig.name = m.captured(2);
        mig.fileName = fileName;
        mig.sql = bytes.value();
        mig.checksum = QCryptographicHash::hash(mig.sql, QCryptographicHash::Sha256).toHex();
        out.append(mig);
    }
    if (out.isEmpty())
        return R::failure(tr("no migrations found in %1").arg(directory));
    return out;
}

Status Migrator::runSetup(PgConnection& connection, const QString& directory,
                          const Progress& progress) {
    for (const char* file : {"roles.sql", "extensions.sql"}) {
        const QString path = directory + QStringLiteral("/setup/") + QLatin1String(file);
        Result<QByteArray> sql = readFile(path);
        if (!sql)
            return Status::failure(sql.error());
        const PgResult r = connection.execScript(sql.value());
        if (!r)
            return Status::failure(
                tr("setup/%1 failed: %2").arg(QLatin1String(file), r.error().message));
        if (progress)
            progress(tr("ran setup/%1").arg(QLatin1String(file)));
    }
    return Status::success();
}

Result<Migrator::Outcome> Migrator::migrate(PgConnection& connection,
                                            const QList<Migration>& migrations,
                                            const Progress& progress) {
    using R = Result<Outcome>;
    // The bookkeeping table, owned like everything else by llamadesk_owner.
    // Under the runners' lock: two runners creating the table at once would collide.
    for (const char* sql :
         {"BEGIN", "SET LOCAL client_min_messages = warning", "SET LOCAL ROLE llamadesk_owner",
          "SELECT pg_advisory_xact_lock(1280068935)",
          "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
          " version INTEGER PRIMARY KEY CHECK (version > 0),"
          " name TEXT NOT NULL CHECK (name ~ '^[a-z0-9_]+$'),"
          " checksum CHAR(64) NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),"
          " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
          "COMMIT"}) {
        const PgResult r = connection.exec(sql);
        if (!r) {
            connection.exec("ROLLBACK");
            if (r.error().sqlState == "42501")
                return R::failure(
                    tr("cannot prepare schema_migrations: %1 (the database must be owned by "
                       "llamadesk_owner: CREATE DATABASE ... OWNER llamadesk_owner)")
                        .arg(r.error().message));
            return R::failure(tr("cannot prepare schema_migrations: %1").arg(r.error().message));
        }
    }
    const PgResult recorded = connection.exec(
        "SELECT version, name, checksum FROM public.schema_migrations ORDER BY version");
    if (!recorded)
        return R::failure(tr("cannot read schema_migrations: %1").arg(recorded.error().message));
    QHash<int, Recorded> applied;
    int newestRecorded = 0;
    for (int i = 0; i < recorded.rows(); ++i) {
        const int v = static_cast<int>(recorded.int64(i, 0));
        applied.insert(v, {recorded.text(i, 1), recorded.bytes(i, 2).trimmed()});
        newestRecorded = std::max(newestRecorded, v);
    }

    // Validate everything before changing anything.
    const int latest = migrations.isEmpty() ? 0 : migrations.last().version;
    if (newestRecorded > latest)
        return R::failure(tr("the database has migration %1, newer than this build's %2")
                              .arg(newestRecorded)
                              .arg(latest));
    for (const Migration& m : migrations) {
        const auto it = applied.constFind(m.version);
        if (it == applied.constEnd())
            continue;
        if (it->name != m.name || it->checksum != m.checksum)
            return R::failure(tr("%1 was changed after it was applied (recorded: %2 %3); "
                                 "write a new migration instead")
                                  .arg(m.fileName, it->name, QString::fromLatin1(it->checksum)));
    }

    Outcome outcome;
    for (const Migration& m : migrations) {
        if (applied.contains(m.version)) {
            ++outcome.skipped;
            continue;
        }
        auto abort = [&](const QString& why) {
            connection.exec("ROLLBACK");
            return R::failure(tr("%1 failed and was rolled back (earlier ones stay applied): %2")
                                  .arg(m.fileName, why));
        };
        for (const char* sql :
             {"BEGIN", "SET LOCAL ROLE llamadesk_owner", "SET LOCAL search_path = public"}) {
            const PgResult r = connection.exec(sql);
            if (!r)
                return abort(r.error().message);
        }
        PgResult r = connection.exec("SELECT pg_advisory_xact_lock($1)", {PgParam(kAdvisoryLock)});
        if (!r)
            return abort(r.error().message);
        // Another runner may have applied it while this one waited for the lock.
        r = connection.exec("SELECT checksum FROM schema_migrations WHERE version = $1",
                            {PgParam(m.version)});
        if (!r)
            return abort(r.error().message);
        if (r.rows() > 0) {
            connection.exec("ROLLBACK");
            if (r.bytes(0, 0).trimmed() != m.checksum)
                return R::failure(
                    tr("%1 was applied meanwhile by another runner with other contents")
                        .arg(m.fileName));
            ++outcome.skipped;
            continue;
        }
        // The row goes in first: if another runner applied this version meanwhile, the primary
        // key stops this transaction before the file runs.
        r = connection.exec(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            {PgParam(m.version), PgParam(m.name), PgParam(m.checksum)});
        if (!r)
            return abort(r.error().message);
        r = connection.execScript(m.sql);
        if (!r) {
            QString why = r.error().message;
            if (!r.error().detail.isEmpty())
                why += QStringLiteral(" (") + r.error().detail + QLatin1Char(')');
            return abort(why);
        }
        r = connection.exec("COMMIT");
        if (!r)
            return abort(r.error().message);
        ++outcome.applied;
        if (progress)
            progress(tr("applied %1").arg(m.fileName));
    }
    return outcome;
}

} // namespace llamadesk::server
