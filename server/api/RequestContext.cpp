#include "RequestContext.h"

#include "ServerLog.h"

namespace llamadesk::server {

QString RequestContext::peerAddress() const {
    bool isV4 = false;
    const quint32 v4 = request.peer.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString();
    return request.peer.toString();
}

HttpResponse RequestContext::databaseError(const PgResult& result, const char* where) const {
    const PgError& e = result.error();
    QJsonObject log;
    log.insert(QStringLiteral("where"), QLatin1String(where));
    log.insert(QStringLiteral("sqlstate"), QString::fromLatin1(e.sqlState));
    log.insert(QStringLiteral("message"), e.message);
    if (!userId.isEmpty())
        log.insert(QStringLiteral("user_id"), userId);
    ServerLog::error(QStringLiteral("database_error"), log);
    // Lost connection, statement timeout, serialization failure, deadlock: a retry may work.
    if (e.connectionLost || e.sqlState == "57014" || e.sqlState == "40001" ||
        e.sqlState == "40P01" || e.sqlState.startsWith("08") || e.sqlState == "57P01") {
        HttpResponse r =
            HttpResponse::error(503, QStringLiteral("retry"),
                                tr("the database could not finish this request; retry it"));
        r.setHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1"));
        return r;
    }
    return HttpResponse::error(500, QStringLiteral("internal_error"),
                               tr("the server could not complete this request"));
}

} // namespace llamadesk::server
