#include "SyncCatalog.h"

#include "db/PgConnection.h"

namespace llamadesk::server {
namespace {

// What clients may write through sync (the tables the desktop mirrors; docs/server-schema.md).
// Tables not listed are read-only to clients: billing and keys (own endpoints), rows the
// server's jobs produce (alert_history, notification_logs, the EPIC-4/EPIC-5 user tables
// until the desktop mirrors them).
struct WritePolicy {
    const char* table;
    bool insert;
    bool update;
    bool remove;
    QStringList onlyColumns; // empty: every column that is not protected
    bool ignoreOthers;       // drop other columns instead of refusing the mutation
};

const QList<WritePolicy>& writePolicies() {
    static const QList<WritePolicy> list = {
        {"alert_rules", true, true, true, {}, false},
        {"tax_transactions", true, true, true, {}, false},
        {"tax_reports", true, true, true, {}, false},
        {"cost_basis_lots", true, true, true, {}, false},
        {"lot_selections", true, true, true, {}, false},
        {"portfolio_snapshots", true, true, true, {}, false},
        {"portfolio_assets", true, true, true, {}, false},
        {"dashboards", true, true, true, {}, false},
        // The profile only; the mirror may send the whole row, the server owns the rest.
        {"users",
         false,
         true,
         false,
         {QStringLiteral("first_name"), QStringLiteral("last_name"), QStringLiteral("username")},
         true},
        // Conflicts are recorded by the server; devices resolve them.
        {"sync_conflicts",
         false,
         true,
         false,
         {QStringLiteral("resolved_at"), QStringLiteral("resolution")},
         false},
    };
    return list;
}

// Never set by a client: identity, ownership and the server's bookkeeping.
const QStringList& protectedColumns() {
    static const QStringList list = {QStringLiteral("id"), QStringLiteral("row_version"),
                                     QStringLiteral("created_at"), QStringLiteral("updated_at"),
                                     QStringLiteral("deleted_at")};
    return list;
}

QStringList splitList(const QByteArray& s) {
    QStringList out;
    for (const QByteArray& part : s.split(',')) {
        if (!part.isEmpty())
            out.append(QString::fromUtf8(part));
    }
    return out;
}

} // namespace

const SyncCatalog::Column* SyncCatalog::Table::column(const QString& columnName) const {
    for (const Column& c : columns) {
        if (c.name == columnName)
            return &c;
    }
    return nullptr;
}

bool SyncCatalog::Table::writable(const QString& columnName, bool forInsert) const {
    if (!writableColumns.contains(columnName))
        return false;
    return forInsert || !keyColumns.contains(columnName);
}

const SyncCatalog::Table* SyncCatalog::table(const QString& name) const {
    const auto it = m_tables.constFind(name);
    return it == m_tables.constEnd() ? nullptr : &it.value();
}

QStringList SyncCatalog::syncedTables() const {
    QStringList out;
    for (const Table& t : m_tables) {
        if (t.synced)
            out.append(t.name);
    }
    out.sort();
    return out;
}

QString SyncCatalog::castExpression(const Column& column, int parameter) {
    const QString p = QStringLiteral("$%1").arg(parameter);
    if (column.isArray)
        return QStringLiteral("ARRAY(SELECT jsonb_array_elements_text(%1::jsonb))::%2")
            .arg(p, column.type);
    return p + QStringLiteral("::") + column.type;
}

Result<SyncCatalog> SyncCatalog::load(PgConnection& connection,
                                      const QStringList& referenceTables) {
    using R = Result<SyncCatalog>;
    SyncCatalog catalog;
    // The feed triggers carry the table's sync settings as arguments (a bytea of
    // NUL-separated strings). Partitions inherit clones of the parent's trigger: skip those.
    const PgResult triggers = connection.exec(
        "SELECT c.relname, encode(t.tgargs, 'hex') FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE n.nspname = 'public' AND p.proname = 'record_sync_change' AND t.tgparentid = 0 "
        "ORDER BY c.relname");
    if (!triggers)
        return R::failure(tr("cannot read the sync tables: %1").arg(triggers.error().message));
    for (int i = 0; i < triggers.rows(); ++i) {
        const QList<QByteArray> args = QByteArray::fromHex(triggers.bytes(i, 1)).split('\0');
        if (args.size() < 6)
            return R::failure(
                tr("the feed trigger of %1 has unexpected arguments").arg(triggers.text(i, 0)));
        Table t;
        t.name = triggers.text(i, 0);
        t.ownerColumn = QString::fromUtf8(args.at(1));
        t.secretColumns = splitList(args.at(2));
        t.quietColumns = splitList(args.at(3));
        t.timestampColumns = splitList(args.at(4));
        t.keyColumns = splitList(args.at(5));
        t.synced = true;
        catalog.m_tables.insert(t.name, t);
    }
    if (catalog.m_tables.isEmpty())
        return R::failure(
            tr("the database has no synced tables: run 'llamadesk-server migrate' first"));
    for (const QString& ref : referenceTables) {
        if (!catalog.m_tables.contains(ref)) {
            Table t;
            t.name = ref;
            catalog.m_tables.insert(ref, t);
        }
    }

    QStringList names = catalog.m_tables.keys();
    const QString arrayLiteral =
        QStringLiteral("{") + names.join(QLatin1Char(',')) + QStringLiteral("}");
    const PgResult cols = connection.exec(
        "SELECT c.relname, a.attname, format_type(a.atttypid, NULL), ty.typcategory, "
        "       ty.typname IN ('json', 'jsonb') "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type ty ON ty.oid = a.atttypid "
        "WHERE n.nspname = 'public' AND c.relname = ANY ($1::text[]) AND a.attnum > 0 "
        "  AND NOT a.attisdropped "
        "ORDER BY c.relname, a.attnum",
        {PgParam(arrayLiteral)});
    if (!cols)
        return R::failure(tr("cannot read the table columns: %1").arg(cols.error().message));
    for (int i = 0; i < cols.rows(); ++i) {
        Table& t = catalog.m_tables[cols.text(i, 0)];
        Column c;
        c.name = cols.text(i, 1);
        c.type = cols.text(i, 2);
        c.isArray = cols.bytes(i, 3) == "A";
        c.isJson = cols.boolean(i, 4);
        t.columns.append(c);
        if (!t.synced && c.type == QLatin1String("timestamp with time zone"))
            t.timestampColumns.append(c.name);
    }
    for (const QString& ref : referenceTables) {
        if (catalog.m_tables.value(ref).columns.isEmpty())
            return R::failure(
                tr("the reference table %1 does not exist: run 'llamadesk-server migrate' first")
                    .arg(ref));
    }

    for (const WritePolicy& policy : writePolicies()) {
        auto it = catalog.m_tables.find(QLatin1String(policy.table));
        if (it == catalog.m_tables.end() || !it->synced)
            continue;
        Table& t = it.value();
        t.canInsert = policy.insert;
        t.canUpdate = policy.update;
        t.canDelete = policy.remove;
        t.ignoreUnwritable = policy.ignoreOthers;
        for (const Column& c : std::as_const(t.columns)) {
            if (protectedColumns().contains(c.name) || c.name == t.ownerColumn ||
                t.secretColumns.contains(c.name) || t.quietColumns.contains(c.name))
                continue;
            if (!policy.onlyColumns.isEmpty() && !policy.onlyColumns.contains(c.name))
                continue;
            t.writableColumns.append(c.name);
        }
    }
    return catalog;
}

} // namespace llamadesk::server
