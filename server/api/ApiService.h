#pragma once

#include "Router.h"
#include "SyncCatalog.h"
#include "auth/PasswordHasher.h"
#include "config/ServerConfig.h"
#include "db/PgPool.h"
#include "http/HttpServer.h"

#include <QCoreApplication>
#include <QThreadPool>

#include <atomic>

namespace llamadesk::server {

// The API behind the HTTP front end: routes each request, runs it on a worker thread with a
// pooled connection, authenticates API keys (scopes, rate limits), wraps the handler in one
// transaction that starts with SET LOCAL of the user, and logs one line per request.
class ApiService {
    Q_DECLARE_TR_FUNCTIONS(ApiService)

public:
    ApiService(const ServerConfig& config, PgPool& pool, SyncCatalog catalog);
    ~ApiService();
    ApiService(const ApiService&) = delete;
    ApiService& operator=(const ApiService&) = delete;

    // Called on the HTTP thread for every complete request.
    void handle(HttpRequest request, HttpServer::Responder responder);
    // Logs a request the HTTP layer refused itself (malformed, too large, too slow).
    void logRefusal(const HttpRequest& request, const HttpResponse& response) const;
    // Waits for requests in flight (shutdown).
    void drain();

private:
    struct Outcome {
        HttpResponse response;
        QString pattern;
        QString userId;
    };
    Outcome process(const HttpRequest& request, PgPool::Lease& lease);
    // The shape of the Authorization header (no database needed); 200 with *keyHash when fine.
    static HttpResponse checkAuthorizationHeader(const RequestContext& ctx, QByteArray* keyHash);
    // Authentication, scope and rate limits (for API-key routes), then the handler in one
    // transaction.
    HttpResponse runInTransaction(RequestContext& ctx, const Router::Route& route);
    void log(const HttpRequest& request, const Outcome& outcome, double milliseconds) const;

    const ServerConfig& m_config;
    PgPool& m_pool;
    SyncCatalog m_catalog;
    PasswordHasher m_hasher;
    Router m_router;
    QThreadPool m_workers;
    std::atomic<int> m_inFlight{0};
};

} // namespace llamadesk::server
