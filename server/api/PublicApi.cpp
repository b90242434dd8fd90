#include "PublicApi.h"

#include "SqlText.h"
#include "SyncCatalog.h"

#include <QDateTime>
#include <QRegularExpression>

namespace llamadesk::server {
namespace {

// Query-string filters, checked like body fields: a 400 names the parameter and the reason.
class QueryReader {
public:
    explicit QueryReader(const QUrlQuery& query)
        : m_query(query) {}

    bool integer(const char* name, PgParam* out, qint64 min, qint64 max) {
        const QString key = QLatin1String(name);
        if (!m_query.hasQueryItem(key))
            return true;
        bool ok = false;
        const qint64 v = m_query.queryItemValue(key).toLongLong(&ok);
        if (!ok || v < min || v > max)
            return fail(key,
                        PublicApi::tr("must be a whole number from %1 to %2").arg(min).arg(max));
        *out = PgParam(v);
        return true;
    }
    bool timestamp(const char* name, PgParam* out) {
        const QString key = QLatin1String(name);
        if (!m_query.hasQueryItem(key))
            return true;
        const QString v = m_query.queryItemValue(key, QUrl::FullyDecoded);
        const QDateTime t = QDateTime::fromString(v, Qt::ISODateWithMs);
        if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
            return fail(
                key,
                PublicApi::tr("must be an ISO 8601 time with a zone, e.g. 2025-01-31T12:00:00Z"));
        *out = PgParam(t.toUTC().toString(Qt::ISODateWithMs));
        return true;
    }
    bool text(const char* name, PgParam* out, int maxLength) {
        const QString key = QLatin1String(name);
        if (!m_query.hasQueryItem(key))
            return true;
        const QString v = m_query.queryItemValue(key, QUrl::FullyDecoded);
        if (v.isEmpty() || v.size() > maxLength)
            return fail(key, PublicApi::tr("must be 1 to %1 characters").arg(maxLength));
        *out = PgParam(v);
        return true;
    }
    bool fail(const QString& key, const QString& reason) {
        if (m_error.status == 200)
            m_error = HttpResponse::invalid(QStringLiteral("query.") + key, reason);
        return false;
    }
    const HttpResponse& error() const { return m_error; }

private:
    QUrlQuery m_query;
    HttpResponse m_error;
};

// One optional filter of a reference query: its value (NULL when the client gave none),
// its SQL type, and the test with %1 standing for the bound value.
struct Filter {
    PgParam value;
    const char* type;
    const char* test;
};

// The newest rows of a reference table (as {"items": [...]}, newest first), each filter
// applied when given. The table name and tests are constants; values are bound.
HttpResponse newestRows(RequestContext& ctx, const QString& table, const QList<Filter>& filters,
                        const PgParam& limit, const char* where) {
    const SyncCatalog::Table* t = ctx.catalog.table(table);
    QList<PgParam> params = {PgParam(SqlText::array(t ? t->timestampColumns : QStringList()))};
    QStringList tests = {QStringLiteral("true")};
    for (const Filter& f : filters) {
        params.append(f.value);
        const QString bound =
            QStringLiteral("$%1::%2").arg(params.size()).arg(QLatin1String(f.type));
        tests.append(QStringLiteral("(%1 IS NULL OR %2)")
                         .arg(bound, QString(QLatin1String(f.test)).arg(bound)));
    }
    params.append(limit);
    const QByteArray sql =
        QStringLiteral(
            "SELECT COALESCE(jsonb_agg(sync_row_json(to_jsonb(r), '{}', $1::text[]) "
            "                          ORDER BY r.\"timestamp\" DESC), '[]')::text "
            "FROM (SELECT * FROM %1 WHERE %2 ORDER BY \"timestamp\" DESC LIMIT $%3::int) r")
            .arg(table, tests.join(QStringLiteral(" AND ")))
            .arg(params.size())
            .toUtf8();
    const PgResult r = ctx.db().exec(sql.constData(), params);
    if (!r)
        return ctx.databaseError(r, where);
    return HttpResponse::rawJson(200, QByteArrayLiteral("{\"items\":") + r.bytes(0, 0) + '}');
}

} // namespace

QStringList PublicApi::referenceTables() {
    return {QStringLiteral("gas_predictions"), QStringLiteral("predictions"),
            QStringLiteral("protocol_health"), QStringLiteral("prices")};
}

void PublicApi::addRoutes(Router& router) {
    router.add({"GET",
                QStringLiteral("/health"),
                Router::Access::Public,
                {},
                false,
                &PublicApi::health,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/shared/dashboards/:token"),
                Router::Access::Public,
                {},
                false,
                &PublicApi::sharedDashboard,
                {}});
    const QString read = QStringLiteral("read");
    router.add({"GET",
                QStringLiteral("/v1/reference/gas-predictions"),
                Router::Access::ApiKey,
                read,
                false,
                &PublicApi::gasPredictions,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/reference/predictions"),
                Router::Access::ApiKey,
                read,
                false,
                &PublicApi::predictions,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/reference/protocol-health"),
                Router::Access::ApiKey,
                read,
                false,
                &PublicApi::protocolHealth,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/reference/prices"),
                Router::Access::ApiKey,
                read,
                false,
                &PublicApi::prices,
                {}});
}

HttpResponse PublicApi::health(RequestContext& ctx) {
    const PgResult r = ctx.db().exec("SELECT max(version) FROM schema_migrations");
    if (!r)
        return ctx.databaseError(r, "health");
    QJsonObject o;
    o.insert(QStringLiteral("status"), QStringLiteral("ok"));
    o.insert(QStringLiteral("database"), QStringLiteral("ok"));
    o.insert(QStringLiteral("schema_version"), r.int64(0, 0));
    o.insert(QStringLiteral("version"), QStringLiteral(LLAMADESK_VERSION_STRING));
    return HttpResponse::json(200, o);
}

HttpResponse PublicApi::sharedDashboard(RequestContext& ctx) {
    // Share tokens are long random capabilities; anything else cannot match one.
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z0-9_-]{32,255}$"));
    const QString token = ctx.params.value(QStringLiteral("token"));
    const HttpResponse notFound = HttpResponse::error(404, QStringLiteral("not_found"),
                                                      tr("no shared dashboard has this link"));
    if (!shape.match(token).hasMatch())
        return notFound;
    const PgResult r = ctx.db().exec(
        "SELECT jsonb_build_object('id', d.id, 'name', d.name, 'description', d.description, "
        "  'layout', d.layout, 'widgets', d.widgets, 'view_count', d.view_count, "
        "  'updated_at', to_char(d.updated_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))::text "
        "FROM dashboard_by_share_token($1) d",
        {PgParam(token)});
    if (!r)
        return ctx.databaseError(r, "shared dashboard");
    if (r.rows() == 0)
        return notFound;
    return HttpResponse::rawJson(200, QByteArrayLiteral("{\"dashboard\":") + r.bytes(0, 0) + '}');
}

HttpResponse PublicApi::gasPredictions(RequestContext& ctx) {
    QueryReader q(ctx.request.query);
    PgParam chain, since, limit(100);
    if (!q.integer("chain_id", &chain, 0, 2147483647) || !q.timestamp("since", &since) ||
        !q.integer("limit", &limit, 1, 1000))
        return q.error();
    return newestRows(
        ctx, QStringLiteral("gas_predictions"),
        {{chain, "int", "chain_id = %1"}, {since, "timestamptz", "\"timestamp\" >= %1"}}, limit,
        "gas predictions");
}

HttpResponse PublicApi::predictions(RequestContext& ctx) {
    QueryReader q(ctx.request.query);
    PgParam type, target, chain, since, limit(100);
    if (!q.text("type", &type, 50) || !q.text("target_id", &target, 255) ||
        !q.integer("chain_id", &chain, 0, 2147483647) || !q.timestamp("since", &since) ||
        !q.integer("limit", &limit, 1, 1000))
        return q.error();
    return newestRows(ctx, QStringLiteral("predictions"),
                      {{type, "text", "prediction_type = %1"},
                       {target, "text", "target_id = %1"},
                       {chain, "int", "chain_id = %1"},
                       {since, "timestamptz", "\"timestamp\" >= %1"}},
                      limit, "predictions");
}

HttpResponse PublicApi::protocolHealth(RequestContext& ctx) {
    QueryReader q(ctx.request.query);
    PgParam protocol, since, limit(100);
    if (!q.text("protocol_id", &protocol, 255) || !q.timestamp("since", &since) ||
        !q.integer("limit", &limit, 1, 1000))
        return q.error();
    return newestRows(
        ctx, QStringLiteral("protocol_health"),
        {{protocol, "text", "protocol_id = %1"}, {since, "timestamptz", "\"timestamp\" >= %1"}},
        limit, "protocol health");
}

HttpResponse PublicApi::prices(RequestContext& ctx) {
    QueryReader q(ctx.request.query);
    PgParam symbol, since, until, limit(100);
    if (!q.text("symbol", &symbol, 20) || !q.timestamp("since", &since) ||
        !q.timestamp("until", &until) || !q.integer("limit", &limit, 1, 1000))
        return q.error();
    return newestRows(ctx, QStringLiteral("prices"),
                      {{symbol, "text", "asset_symbol = %1"},
                       {since, "timestamptz", "\"timestamp\" >= %1"},
                       {until, "timestamptz", "\"timestamp\" < %1"}},
                      limit, "prices");
}

} // namespace llamadesk::server
