#include "Router.h"

namespace llamadesk::server {

void Router::add(Route route) {
    route.segments = route.pattern.mid(1).split(QLatin1Char('/'));
    if (route.segments.size() == 1 && route.segments.first().isEmpty())
        route.segments.clear();
    m_routes.append(std::move(route));
}

bool Router::matches(const QStringList& pattern, const QStringList& segments,
                     QHash<QString, QString>* params) {
    if (pattern.size() != segments.size())
        return false;
    QHash<QString, QString> found;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString& p = pattern.at(i);
        if (p.startsWith(QLatin1Char(':'))) {
            if (segments.at(i).isEmpty())
                return false;
            found.insert(p.mid(1), segments.at(i));
        } else if (p != segments.at(i)) {
            return false;
        }
    }
    *params = found;
    return true;
}

Router::Match Router::match(const HttpRequest& request) const {
    Match m;
    for (const Route& r : m_routes) {
        QHash<QString, QString> params;
        if (!matches(r.segments, request.segments, &params))
            continue;
        m.pattern = r.pattern;
        if (r.method == request.method) {
            m.route = &r;
            m.params = params;
            m.allowedMethods.clear();
            return m;
        }
        if (!m.allowedMethods.contains(r.method))
            m.allowedMethods.append(r.method);
    }
    return m;
}

} // namespace llamadesk::server
