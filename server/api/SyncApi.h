#pragma once

#include "Router.h"

#include <QCoreApplication>

namespace llamadesk::server {

// The sync endpoints (docs/sync-protocol.md): the table list, pull of the change feed,
// snapshot download for a first sync or a resync, and push of mutations (SyncPush).
class SyncApi {
    Q_DECLARE_TR_FUNCTIONS(SyncApi)

public:
    static void addRoutes(Router& router);

    // Makes sure clientId is a device of the signed-in user (registering it on first use)
    // and not revoked. With lock, the row stays locked until the transaction ends and
    // *lastMutationId is the last mutation id accepted from it.
    static bool useClient(RequestContext& ctx, const QString& clientId, const QJsonObject& info,
                          bool lock, qint64* lastMutationId, HttpResponse* failure,
                          bool* pullPositionStale = nullptr);

private:
    static HttpResponse tables(RequestContext& ctx);
    static HttpResponse pull(RequestContext& ctx);
    static HttpResponse snapshot(RequestContext& ctx);
    static HttpResponse push(RequestContext& ctx);
};

} // namespace llamadesk::server
