#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace llamadesk::server {

// A response as the handlers build it; HttpConnection adds the framing headers
// (Content-Length, Connection, Date) when it is written.
struct HttpResponse {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    void setHeader(const QByteArray& name, const QByteArray& value);
    QByteArray header(const QByteArray& name) const;

    static HttpResponse json(int status, const QJsonObject& object);
    // For bodies assembled from JSON text that is already valid (e.g. built by PostgreSQL).
    static HttpResponse rawJson(int status, QByteArray jsonText);
    static HttpResponse empty(int status);

    // The one error shape of the API: {"error": code, "message": text, ...extra}.
    static HttpResponse error(int status, const QString& code, const QString& message,
                              const QJsonObject& extra = {});
    // 400 for a request that is well-formed HTTP but says the wrong thing: which field and why.
    static HttpResponse invalid(const QString& field, const QString& reason);

    static QByteArray reasonPhrase(int status);
};

} // namespace llamadesk::server
