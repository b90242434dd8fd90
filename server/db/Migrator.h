#pragma once

#include "Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>

namespace llamadesk::server {

class PgConnection;

// Applies the server schema (sql/server/NNNN_name.sql, embedded as resources) in order.
// The contract is the one of sql/server/README.md and tests/server/apply-migrations.sh:
//   * file versions are 1..N without gaps; names are lower-case letters, digits and _;
//   * schema_migrations(version, name, checksum, applied_at) records each applied file with
//     the SHA-256 of its bytes; an applied file whose checksum changed, or a recorded version
//     this build does not have, stops everything before any change;
//   * each pending file runs in ONE transaction as llamadesk_owner, under an advisory lock,
//     together with its schema_migrations row; re-running is a no-op.
class Migrator {
    Q_DECLARE_TR_FUNCTIONS(Migrator)

public:
    struct Migration {
        int version = 0;
        QString name;
        QString fileName;
        QByteArray sql;
        QByteArray checksum; // lower-case hex SHA-256 of the file
    };
    struct Outcome {
        int applied = 0;
        int skipped = 0;
    };
    using Progress = std::function<void(const QString& message)>;

    // The same constant the psql runner uses for pg_advisory_xact_lock.
    static constexpr qint64 kAdvisoryLock = 1280068935;

    // ":/sql/server" in the binary, or a folder holding NNNN_name.sql files.
    static Result<QList<Migration>> load(const QString& directory);

    // Cluster roles and optional extensions (sql/server/setup/*.sql): needs a role allowed
    // to create roles and extensions. Re-running is harmless.
    static Status runSetup(PgConnection& connection, const QString& directory,
                           const Progress& progress);

    static Result<Outcome> migrate(PgConnection& connection, const QList<Migration>& migrations,
                                   const Progress& progress);
};

} // namespace llamadesk::server
