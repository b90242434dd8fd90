#pragma once

#include "RequestContext.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace llamadesk::server {

// Method + path pattern ("/v1/keys/:id") to handler. A path that exists with another
// method answers 405 with Allow; anything else 404.
class Router {
public:
    using Handler = std::function<HttpResponse(RequestContext&)>;
    enum class Access { Public, ApiKey };

    struct Route {
        QByteArray method;
        QString pattern;
        Access access = Access::ApiKey;
        QString scope;         // required scope ("" = any valid key)
        bool jsonBody = false; // the body must be a JSON object
        Handler handler;
        QStringList segments; // filled by add()
    };

    struct Match {
        const Route* route = nullptr;
        QHash<QString, QString> params;
        QList<QByteArray> allowedMethods; // when the path exists but not with this method
        QString pattern;                  // for logs: never the raw path of a matched route
    };

    void add(Route route);
    Match match(const HttpRequest& request) const;

private:
    static bool matches(const QStringList& pattern, const QStringList& segments,
                        QHash<QString, QString>* params);
    QList<Route> m_routes;
};

} // namespace llamadesk::server
