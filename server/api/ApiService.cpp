#include "ApiService.h"

#include "AccountApi.h"
#include "JsonReader.h"
#include "PublicApi.h"
#include "ServerLog.h"
#include "SyncApi.h"
#include "auth/ApiKey.h"
#include "db/PgPool.h"

#include <QElapsedTimer>

namespace llamadesk::server {
namespace {

HttpResponse unauthorized(const QString& code, const QString& message, bool badToken) {
    HttpResponse r = HttpResponse::error(401, code, message);
    r.setHeader(QByteArrayLiteral("WWW-Authenticate"),
                badToken ? QByteArrayLiteral("Bearer realm=\"llamadesk\", error=\"invalid_token\"")
                         : QByteArrayLiteral("Bearer realm=\"llamadesk\""));
    return r;
}

bool isJsonContentType(const QByteArray& value) {
    const QByteArray type = value.split(';').first().trimmed().toLower();
    return type == "application/json";
}

} // namespace

ApiService::ApiService(const ServerConfig& config, PgPool& pool, SyncCatalog catalog)
    : m_config(config)
    , m_pool(pool)
    , m_catalog(std::move(catalog))
    , m_hasher(config.argon2OpsLimit, config.argon2MemLimitKiB) {
    // One worker per pooled connection: a worker never waits for a connection another
    // worker could be using, and the pool size bounds the database load.
    m_workers.setMaxThreadCount(config.poolSize);
    m_workers.setExpiryTimeout(-1);
    PublicApi::addRoutes(m_router);
    AccountApi::addRoutes(m_router);
    SyncApi::addRoutes(m_router);
}

ApiService::~ApiService() {
    drain();
}

void ApiService::drain() {
    m_workers.waitForDone();
}

void ApiService::handle(HttpRequest request, HttpServer::Responder responder) {
    QElapsedTimer clock;
    clock.start();
    // Bounded queue: beyond the workers plus max_queued_requests waiting, answer at once.
    if (m_inFlight.load() >= m_config.poolSize + m_config.maxQueuedRequests) {
        Outcome o;
        o.response = HttpResponse::error(503, QStringLiteral("server_busy"),
                                         tr("the server is busy; retry shortly"));
        o.response.setHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1"));
        o.pattern = m_router.match(request).pattern;
        log(request, o, 0.0);
        responder(o.response);
        return;
    }
    ++m_inFlight;
    m_workers.start([this, request = std::move(request), responder = std::move(responder), clock] {
        PgPool::Lease lease;
        Outcome o = process(request, lease);
        const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        o.response.setHeader(QByteArrayLiteral("Server-Timing"),
                             QByteArrayLiteral("app;dur=") + QByteArray::number(ms, 'f', 3));
        o.response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
        log(request, o, ms);
        responder(std::move(o.response));
        --m_inFlight;
    });
}

ApiService::Outcome ApiService::process(const HttpRequest& request, PgPool::Lease& lease) {
    Outcome o;
    const Router::Match m = m_router.match(request);
    o.pattern = m.pattern;
    if (!m.route) {
        if (!m.allowedMethods.isEmpty()) {
            o.response =
                HttpResponse::error(405, QStringLiteral("method_not_allowed"),
                                    tr("%1 is not allowed here; use %2")
                                        .arg(QString::fromLatin1(request.method),
                                             QString::fromLatin1(m.allowedMethods.join(", "))));
            o.response.setHeader(QByteArrayLiteral("Allow"), m.allowedMethods.join(", "));
        } else {
            o.response = HttpResponse::error(404, QStringLiteral("not_found"),
                                             tr("there is no endpoint at this path"));
        }
        return o;
    }
    const Router::Route& route = *m.route;

    QJsonObject body;
    if (route.jsonBody) {
        if (!isJsonContentType(request.header("content-type"))) {
            o.response = HttpResponse::error(415, QStringLiteral("unsupported_media_type"),
                                             tr("send the body as application/json"));
            return o;
        }
        if (!JsonReader::parseObject(request.body, &body, &o.response))
            return o;
    }

    QString poolError;
    lease = m_pool.acquire(m_config.poolAcquireTimeoutMs, &poolError);
    if (!lease) {
        QJsonObject fields;
        fields.insert(QStringLiteral("reason"), poolError);
        ServerLog::warning(QStringLiteral("database_unavailable"), fields);
        o.response = HttpResponse::error(503, QStringLiteral("database_unavailable"),
                                         tr("the database is not available; retry shortly"));
        o.response.setHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1"));
        return o;
    }
    RequestContext ctx(request, lease, m_config, m_hasher, m_catalog);
    ctx.params = m.params;
    ctx.body = body;
    o.response = runInTransaction(ctx, route);
    o.userId = ctx.userId;
    return o;
}

HttpResponse ApiService::checkAuthorizationHeader(const RequestContext& ctx, QByteArray* keyHash) {
    const QByteArray header = ctx.request.header("authorization");
    if (header.isEmpty())
        return unauthorized(QStringLiteral("missing_credentials"),
                            tr("this endpoint needs 'Authorization: Bearer <API key>'"), false);
    // The scheme name is case-insensitive (RFC 9110 section 11.1).
    if (header.size() < 7 || header.left(7).toLower() != "bearer " || header.size() > 200)
        return unauthorized(QStringLiteral("bad_authorization"),
                            tr("the Authorization header must be 'Bearer <API key>'"), true);
    *keyHash = ApiKey::hashOf(header.mid(7).trimmed());
    if (keyHash->isEmpty())
        return unauthorized(QStringLiteral("bad_authorization"),
                            tr("the bearer token is not an API key of this server"), true);
    return HttpResponse::empty(200);
}

HttpResponse ApiService::runInTransaction(RequestContext& ctx, const Router::Route& route) {
    const bool withKey = route.access == Router::Access::ApiKey;
    QByteArray keyHash;
    if (withKey) {
        const HttpResponse malformed = checkAuthorizationHeader(ctx, &keyHash);
        if (malformed.status != 200)
            return malformed;
    }
    // The first statement of a request: a pooled connection found dead here is replaced once
    // (nothing has happened yet).
    auto first = [&ctx](const char* sql, const QList<PgParam>& params) {
        PgResult r = ctx.db().exec(sql, params);
        QString error;
        if (!r && r.error().connectionLost && ctx.lease.reconnect(&error))
            r = ctx.db().exec(sql, params);
        return r;
    };
    PgResult r;
    if (withKey) {
        // One statement before the transaction: find the key (active, not revoked or expired,
        // allowed from this address: checked on every request, so a revocation takes effect
        // at once) and count the request against its hourly and daily windows. Counting in
        // its own short transaction keeps the key's counter row locked only for a moment;
        // refused requests (403, 429) count too.
        r = first("SELECT a.api_key_id, a.user_id, array_to_string(a.scopes, ','), c.allowed, "
                  "       c.day_count > c.day_limit, "
                  "       ceil(extract(epoch FROM date_trunc('hour', now(), 'UTC') "
                  "                               + interval '1 hour' - now()))::int, "
                  "       ceil(extract(epoch FROM date_trunc('day', now(), 'UTC') "
                  "                               + interval '1 day' - now()))::int "
                  "FROM api_key_authenticate($1, $2::inet) a, "
                  "     LATERAL api_key_consume(a.api_key_id) c",
                  {PgParam(keyHash), PgParam(ctx.peerAddress())});
        if (!r)
            return ctx.databaseError(r, "authenticate");
        if (r.rows() == 0)
            return unauthorized(
                QStringLiteral("invalid_key"),
                tr("the API key is unknown, revoked, expired, or not allowed from this address"),
                true);
        ctx.apiKeyId = r.text(0, 0);
        ctx.userId = r.text(0, 1);
        ctx.scopes = r.text(0, 2).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (!route.scope.isEmpty() && !ctx.hasScope(route.scope)) {
            QJsonObject extra;
            extra.insert(QStringLiteral("required_scope"), route.scope);
            return HttpResponse::error(403, QStringLiteral("insufficient_scope"),
                                       tr("this API key lacks the '%1' scope").arg(route.scope),
                                       extra);
        }
        if (!r.boolean(0, 3)) {
            const bool daily = r.boolean(0, 4);
            HttpResponse limited =
                HttpResponse::error(429, QStringLiteral("rate_limited"),
                                    daily ? tr("this API key made too many requests today")
                                          : tr("this API key made too many requests this hour"));
            limited.setHeader(QByteArrayLiteral("Retry-After"),
                              QByteArray::number(std::max<qint64>(1, r.int64(0, daily ? 6 : 5))));
            return limited;
        }
        r = ctx.db().exec("BEGIN");
    } else {
        r = first("BEGIN", {});
    }
    if (!r)
        return ctx.databaseError(r, "begin");
    // The user becomes the transaction's with SET LOCAL semantics (is_local = true): the
    // settings end with the transaction, so a pooled server connection never carries one
    // user's identity into another's request.
    r = ctx.db().exec(
        "SELECT set_config('app.current_user_id', $1, true), "
        "set_config('statement_timeout', $2, true)",
        {PgParam(ctx.userId), PgParam(QByteArray::number(m_config.requestTimeoutMs))});
    if (!r) {
        ctx.db().exec("ROLLBACK");
        return ctx.databaseError(r, "request context");
    }
    HttpResponse response = route.handler(ctx);
    const bool commit = response.status < 400 || ctx.commitOnError;
    r = ctx.db().exec(commit ? "COMMIT" : "ROLLBACK");
    if (!r)
        return ctx.databaseError(r, commit ? "commit" : "rollback");
    return response;
}

void ApiService::log(const HttpRequest& request, const Outcome& outcome,
                     double milliseconds) const {
    if (!m_config.logRequests)
        return;
    QJsonObject f;
    f.insert(QStringLiteral("method"), QString::fromLatin1(request.method));
    // The route pattern, never the raw path: paths can hold capabilities (share tokens)
    // and queries are not logged at all.
    f.insert(QStringLiteral("path"),
             outcome.pattern.isEmpty() ? QStringLiteral("(no route)") : outcome.pattern);
    f.insert(QStringLiteral("status"), outcome.response.status);
    f.insert(QStringLiteral("duration_ms"), qRound(milliseconds * 1000.0) / 1000.0);
    if (!outcome.userId.isEmpty())
        f.insert(QStringLiteral("user_id"), outcome.userId);
    f.insert(QStringLiteral("bytes_out"), outcome.response.body.size());
    ServerLog::info(QStringLiteral("request"), f);
}

void ApiService::logRefusal(const HttpRequest& request, const HttpResponse& response) const {
    if (!m_config.logRequests)
        return;
    Outcome o;
    o.response = response;
    o.pattern = request.method.isEmpty() ? QString() : m_router.match(request).pattern;
    log(request, o, 0.0);
}

} // namespace llamadesk::server
