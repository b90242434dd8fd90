#include "SyncApi.h"

#include "JsonReader.h"
#include "SqlText.h"
#include "SyncCatalog.h"
#include "SyncPush.h"
#include "config/ServerConfig.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace llamadesk::server {
namespace {

HttpResponse clientRefused(const QString& code, const QString& message) {
    return HttpResponse::error(403, code, message);
}

bool parsePosition(const QString& text, qint64* txid, qint64* seq) {
    static const QRegularExpression re(QStringLiteral("^([0-9]{1,18})\\.([0-9]{1,18})$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return false;
    *txid = m.captured(1).toLongLong();
    *seq = m.captured(2).toLongLong();
    return true;
}

bool queryLimit(const RequestContext& ctx, qint64* limit, HttpResponse* error) {
    *limit = ctx.config.defaultPullLimit;
    if (!ctx.request.query.hasQueryItem(QStringLiteral("limit")))
        return true;
    bool ok = false;
    const qint64 v = ctx.request.query.queryItemValue(QStringLiteral("limit")).toLongLong(&ok);
    if (!ok || v < 1 || v > ctx.config.maxPullLimit) {
        *error = HttpResponse::invalid(
            QStringLiteral("query.limit"),
            SyncApi::tr("must be a whole number from 1 to %1").arg(ctx.config.maxPullLimit));
        return false;
    }
    *limit = v;
    return true;
}

QString quoteIdentifier(const QString& name) {
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

void SyncApi::addRoutes(Router& router) {
    using A = Router::Access;
    router.add({"GET",
                QStringLiteral("/v1/sync/tables"),
                A::ApiKey,
                QStringLiteral("read"),
                false,
                &SyncApi::tables,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/sync/pull"),
                A::ApiKey,
                QStringLiteral("read"),
                false,
                &SyncApi::pull,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/sync/snapshot"),
                A::ApiKey,
                QStringLiteral("read"),
                false,
                &SyncApi::snapshot,
                {}});
    router.add({"POST",
                QStringLiteral("/v1/sync/push"),
                A::ApiKey,
                QStringLiteral("write"),
                true,
                &SyncApi::push,
                {}});
}

bool SyncApi::useClient(RequestContext& ctx, const QString& clientId, const QJsonObject& info,
                        bool lock, qint64* lastMutationId, HttpResponse* failure,
                        bool* pullPositionStale) {
    const char* select = lock ? "SELECT last_mutation_id, revoked_at IS NOT NULL, "
                                "       coalesce(last_pull_at < now() - interval '1 minute', true) "
                                "FROM sync_clients WHERE client_id = $1 FOR UPDATE"
                              : "SELECT last_mutation_id, revoked_at IS NOT NULL, "
                                "       coalesce(last_pull_at < now() - interval '1 minute', true) "
                                "FROM sync_clients WHERE client_id = $1";
    PgResult r = ctx.db().exec(select, {PgParam(clientId)});
    if (r && r.rows() == 0) {
        // First use: register it. A client id is first come, first served: once registered to
        // one account, another account's requests with it find no row (row-level security)
        // and are refused. (Only new clients insert: even an INSERT that inserts nothing runs
        // the table's statement triggers.)
        r = ctx.db().exec(
            "INSERT INTO sync_clients (client_id, user_id, device_name, platform, app_version) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) DO NOTHING",
            {PgParam(clientId), PgParam(ctx.userId),
             PgParam::orNull(info.value(QStringLiteral("device_name")).toString()),
             PgParam::orNull(info.value(QStringLiteral("platform")).toString()),
             PgParam::orNull(info.value(QStringLiteral("app_version")).toString())});
        if (r)
            r = ctx.db().exec(select, {PgParam(clientId)});
    }
    if (!r) {
        *failure = ctx.databaseError(r, "client");
        return false;
    }
    if (r.rows() == 0) {
        *failure =
            clientRefused(QStringLiteral("client_not_yours"),
                          tr("this client id is registered to another account; make a new one"));
        return false;
    }
    if (r.boolean(0, 1)) {
        *failure =
            clientRefused(QStringLiteral("client_revoked"),
                          tr("this device was signed out of sync; register a new client id"));
        return false;
    }
    if (lastMutationId)
        *lastMutationId = r.int64(0, 0);
    if (pullPositionStale)
        *pullPositionStale = r.boolean(0, 2);
    return true;
}

HttpResponse SyncApi::tables(RequestContext& ctx) {
    QJsonArray list;
    for (const QString& name : ctx.catalog.syncedTables()) {
        const SyncCatalog::Table* t = ctx.catalog.table(name);
        QJsonObject o;
        o.insert(QStringLiteral("name"), name);
        o.insert(QStringLiteral("insert"), t->canInsert);
        o.insert(QStringLiteral("update"), t->canUpdate);
        o.insert(QStringLiteral("delete"), t->canDelete);
        o.insert(QStringLiteral("key_columns"), QJsonArray::fromStringList(t->keyColumns));
        QJsonArray columns;
        for (const SyncCatalog::Column& c : t->columns) {
            if (t->secretColumns.contains(c.name))
                continue;
            QJsonObject col;
            col.insert(QStringLiteral("name"), c.name);
            col.insert(QStringLiteral("type"), c.type);
            col.insert(QStringLiteral("insert"), t->canInsert && t->writable(c.name, true));
            col.insert(QStringLiteral("update"), t->canUpdate && t->writable(c.name, false));
            columns.append(col);
        }
        o.insert(QStringLiteral("columns"), columns);
        list.append(o);
    }
    QJsonObject body;
    body.insert(QStringLiteral("tables"), list);
    return HttpResponse::json(200, body);
}

HttpResponse SyncApi::pull(RequestContext& ctx) {
    const QUrlQuery& q = ctx.request.query;
    const QString clientId = q.queryItemValue(QStringLiteral("client_id")).toLower();
    if (!JsonReader::isUuid(clientId))
        return HttpResponse::invalid(QStringLiteral("query.client_id"),
                                     tr("is required and must be a UUID"));
    qint64 txid = 0;
    qint64 seq = 0;
    if (q.hasQueryItem(QStringLiteral("after")) &&
        !parsePosition(q.queryItemValue(QStringLiteral("after")), &txid, &seq))
        return HttpResponse::invalid(
            QStringLiteral("query.after"),
            tr("must be a position as returned by the server (\"<txid>.<seq>\")"));
    qint64 limit = 0;
    HttpResponse error;
    if (!queryLimit(ctx, &limit, &error))
        return error;
    // One statement, so one snapshot: sync_pull returns only changes of transactions that
    // finished before the oldest one still running (the watermark), oldest first. It runs
    // before this request writes anything: its own transaction id would hold the watermark.
    const PgResult r = ctx.db().exec(
        "SELECT count(*)::int, "
        "  COALESCE((array_agg(p.txid::text || '.' || p.seq::text ORDER BY p.txid DESC, p.seq "
        "DESC))[1], ''), "
        "  COALESCE(jsonb_agg(jsonb_build_object("
        "    'position', p.txid::text || '.' || p.seq::text, 'table', p.table_name, 'row_id', "
        "p.row_id, "
        "    'op', p.operation, 'row_version', p.row_version, 'changed_columns', "
        "to_jsonb(p.changed_columns), "
        "    'row', p.row_data, 'client_id', p.client_id, 'mutation_id', p.mutation_id, "
        "    'changed_at', to_char(p.changed_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) "
        "    ORDER BY p.txid, p.seq), '[]')::text, "
        // The device, in the same statement: known and not revoked, and whether its
        // position was stored more than a minute ago.
        "  (SELECT c.revoked_at IS NULL AND c.last_pull_at >= now() - interval '1 minute' "
        "   FROM sync_clients c WHERE c.client_id = $5::uuid AND c.revoked_at IS NULL) "
        "FROM sync_pull($1::uuid, $2::bigint, $3::bigint, $4::int) p",
        {PgParam(ctx.userId), PgParam(txid), PgParam(seq), PgParam(limit), PgParam(clientId)});
    if (!r) {
        if (r.error().sqlState == "LD001")
            return HttpResponse::error(
                410, QStringLiteral("resync_required"),
                tr("changes after this position were pruned: push unsent changes, "
                   "then download a snapshot"));
        return ctx.databaseError(r, "pull");
    }
    bool stale = false;
    if (r.isNull(0, 3)) {
        // Unknown here (first use: registered now; another account's or revoked: refused), or
        // its position is old.
        if (!useClient(ctx, clientId, {}, false, nullptr, &error, &stale))
            return error;
    } else {
        stale = !r.boolean(0, 3);
    }
    const qint64 count = r.int64(0, 0);
    QByteArray position = QByteArray::number(txid) + '.' + QByteArray::number(seq);
    if (count > 0)
        position = r.bytes(0, 1);
    // The device's position is kept for operators (how far behind is it?), at most once a
    // minute: every UPDATE statement runs the table's audit trigger.
    if (count > 0 && stale) {
        qint64 newTxid = 0;
        qint64 newSeq = 0;
        parsePosition(QString::fromLatin1(position), &newTxid, &newSeq);
        const PgResult u = ctx.db().exec(
            "UPDATE sync_clients SET last_pull_txid = $2, last_pull_seq = $3, last_pull_at = now() "
            "WHERE client_id = $1",
            {PgParam(clientId), PgParam(newTxid), PgParam(newSeq)});
        if (!u)
            return ctx.databaseError(u, "pull position");
    }
    QByteArray body =
        QByteArrayLiteral("{\"changes\":") + r.bytes(0, 2) + QByteArrayLiteral(",\"position\":\"") +
        position + QByteArrayLiteral("\",\"has_more\":") +
        (count >= limit ? QByteArrayLiteral("true") : QByteArrayLiteral("false")) + '}';
    return HttpResponse::rawJson(200, std::move(body));
}

HttpResponse SyncApi::snapshot(RequestContext& ctx) {
    const QUrlQuery& q = ctx.request.query;
    const QString tableName = q.queryItemValue(QStringLiteral("table"));
    const SyncCatalog::Table* t = ctx.catalog.table(tableName);
    if (!t || !t->synced)
        return HttpResponse::invalid(QStringLiteral("query.table"),
                                     tr("must be one of the tables of /v1/sync/tables"));
    PgParam after;
    if (q.hasQueryItem(QStringLiteral("after"))) {
        const QString a = q.queryItemValue(QStringLiteral("after")).toLower();
        if (!JsonReader::isUuid(a))
            return HttpResponse::invalid(QStringLiteral("query.after"),
                                         tr("must be the row id a previous page ended with"));
        after = PgParam(a);
    }
    qint64 limit = 0;
    HttpResponse error;
    if (!queryLimit(ctx, &limit, &error))
        return error;
    // Identifiers come from the catalog (the database's own names), values are bound.
    const QByteArray sql =
        (QStringLiteral(
             "SELECT (SELECT txid::text || '.' || seq::text FROM sync_snapshot_position()), "
             "  count(*)::int, COALESCE((array_agg(s.id::text ORDER BY s.id DESC))[1], ''), "
             "  COALESCE(jsonb_agg(s.row ORDER BY s.id), '[]')::text "
             "FROM (SELECT t.id, sync_row_json(to_jsonb(t), $1::text[], $2::text[]) AS row "
             "      FROM %1 t WHERE t.%2 = $3::uuid AND t.deleted_at IS NULL "
             "        AND ($4::uuid IS NULL OR t.id > $4::uuid) "
             "      ORDER BY t.id LIMIT $5::int) s")
             .arg(quoteIdentifier(t->name), quoteIdentifier(t->ownerColumn)))
            .toUtf8();
    const PgResult r = ctx.db().exec(sql.constData(), {PgParam(SqlText::array(t->secretColumns)),
                                                       PgParam(SqlText::array(t->timestampColumns)),
                                                       PgParam(ctx.userId), after, PgParam(limit)});
    if (!r)
        return ctx.databaseError(r, "snapshot");
    const qint64 count = r.int64(0, 1);
    QByteArray body =
        QByteArrayLiteral("{\"table\":\"") + t->name.toUtf8() +
        QByteArrayLiteral("\",\"position\":\"") + r.bytes(0, 0) +
        QByteArrayLiteral("\",\"rows\":") + r.bytes(0, 3) + QByteArrayLiteral(",\"next_after\":") +
        (count > 0 ? '"' + r.bytes(0, 2) + '"' : QByteArrayLiteral("null")) +
        QByteArrayLiteral(",\"has_more\":") +
        (count >= limit ? QByteArrayLiteral("true") : QByteArrayLiteral("false")) + '}';
    return HttpResponse::rawJson(200, std::move(body));
}

HttpResponse SyncApi::push(RequestContext& ctx) {
    SyncPush push(ctx);
    return push.run();
}

} // namespace llamadesk::server
