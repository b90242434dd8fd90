#pragma once

#include "db/PgPool.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace llamadesk::server {

struct ServerConfig;
class PasswordHasher;
class SyncCatalog;

// Everything a handler sees of one request. The handler runs inside the request's
// transaction: app.current_user_id is already set (empty for public endpoints), and the
// transaction commits when the handler answers below 400, or when it sets commitOnError
// (a refused sign-in must still be recorded).
class RequestContext {
    Q_DECLARE_TR_FUNCTIONS(RequestContext)

public:
    RequestContext(const HttpRequest& req, PgPool::Lease& connection, const ServerConfig& cfg,
                   const PasswordHasher& passwords, const SyncCatalog& tables)
        : request(req)
        , lease(connection)
        , config(cfg)
        , hasher(passwords)
        , catalog(tables) {}

    const HttpRequest& request;
    PgPool::Lease& lease;
    const ServerConfig& config;
    const PasswordHasher& hasher;
    const SyncCatalog& catalog;

    QHash<QString, QString> params; // from the route pattern
    QJsonObject body;               // parsed for routes that take JSON
    QString userId;                 // empty for public endpoints
    QString apiKeyId;
    QStringList scopes;
    bool commitOnError = false;

    PgConnection& db() const { return *lease; }

    // The client's address as text, IPv4-mapped IPv6 addresses shown as IPv4.
    QString peerAddress() const;
    bool hasScope(const QString& scope) const { return scopes.contains(scope); }

    // Turns an unexpected database failure into an answer (500, or 503 when retrying helps)
    // and logs it without any value that was bound.
    HttpResponse databaseError(const PgResult& result, const char* where) const;
};

} // namespace llamadesk::server
