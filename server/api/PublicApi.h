#pragma once

#include "Router.h"

#include <QCoreApplication>

namespace llamadesk::server {

// Endpoints that are not about one account's data: health, the public read of a shared
// dashboard, and the read-only reference data the dashboards show (gas predictions,
// predictions, protocol health, prices).
class PublicApi {
    Q_DECLARE_TR_FUNCTIONS(PublicApi)

public:
    static void addRoutes(Router& router);

    // Reference tables the catalog must know (their timestamp columns are formatted).
    static QStringList referenceTables();

private:
    static HttpResponse health(RequestContext& ctx);
    static HttpResponse sharedDashboard(RequestContext& ctx);
    static HttpResponse gasPredictions(RequestContext& ctx);
    static HttpResponse predictions(RequestContext& ctx);
    static HttpResponse protocolHealth(RequestContext& ctx);
    static HttpResponse prices(RequestContext& ctx);
};

} // namespace llamadesk::server
