#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QUrlQuery>

namespace llamadesk::server {

// One parsed HTTP/1.1 request. Header names are stored lower-case; the path is split into
// percent-decoded segments so an encoded "/" can never change which route matches.
struct HttpRequest {
    QByteArray method;
    QByteArray target; // as received: path and query
    QByteArray rawPath;
    QStringList segments; // "/v1/sync/pull" -> {"v1", "sync", "pull"}
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peer;
    bool keepAlive = true;

    // The value of a header (name in lower case), empty when absent.
    QByteArray header(const QByteArray& lowerName) const;
    bool hasHeader(const QByteArray& lowerName) const;
};

} // namespace llamadesk::server
