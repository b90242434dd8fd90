#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QStringList>

namespace llamadesk::server {

class PgConnection;

// What the server knows about the tables it serves, read once at start from the database
// itself: the columns and types of each table (pg_catalog), and for every table in the sync
// feed the settings its feed trigger was created with (owner column, secret, quiet,
// timestamp and key columns; see setup_user_table in sql/server/0001_foundation.sql).
// On top of that, a fixed policy says which tables and columns clients may write through
// sync; everything else is read-only to them.
class SyncCatalog {
    Q_DECLARE_TR_FUNCTIONS(SyncCatalog)

public:
    struct Column {
        QString name;
        QString type; // base type without modifiers, e.g. "numeric", "text[]"
        bool isArray = false;
        bool isJson = false;
    };
    struct Table {
        QString name;
        QString ownerColumn;
        QStringList secretColumns;
        QStringList quietColumns;
        QStringList timestampColumns;
        QStringList keyColumns;
        QList<Column> columns;
        bool synced = false;
        bool canInsert = false;
        bool canUpdate = false;
        bool canDelete = false;
        bool ignoreUnwritable = false; // users: columns the server owns are dropped, not refused
        QStringList writableColumns;   // what a client may set (insert; update minus keys)

        const Column* column(const QString& columnName) const;
        bool writable(const QString& column, bool forInsert) const;
    };

    // Loads the synced tables plus the given reference tables.
    static Result<SyncCatalog> load(PgConnection& connection, const QStringList& referenceTables);

    const Table* table(const QString& name) const;
    QStringList syncedTables() const;

    // The SQL expression that turns a client's text value (bound as $n) into the column's
    // type: arrays arrive as JSON array text, like the feed sends them.
    static QString castExpression(const Column& column, int parameter);

private:
    QHash<QString, Table> m_tables;
};

} // namespace llamadesk::server
