#pragma once

#include "HttpConnection.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>

class QTcpServer;

namespace llamadesk::server {

// The HTTP/1.1 front end: a TLS (or, on loopback only, plain) listener, bounded connections
// and requests. Handlers get each request with a Responder they may call from any thread,
// exactly once; the response is written on the thread that owns the connection. Nothing
// outside server/http depends on how this is done (see docs/server.md for why it is our
// own code rather than QHttpServer 6.4).
class HttpServer : public QObject {
    Q_OBJECT

public:
    struct Options {
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 0;
        bool tls = true;
        QSslConfiguration ssl;
        int handshakeTimeoutMs = 10000;
        int maxConnections = 512;
        HttpRequestParser::Limits limits;
        HttpTimeouts timeouts;
    };

    using Responder = std::function<void(HttpResponse)>;
    using Handler = std::function<void(HttpRequest, Responder)>;
    // Told about every request the HTTP layer answered itself, for the request log.
    using RefusalObserver = std::function<void(const HttpRequest&, const HttpResponse&)>;

    explicit HttpServer(QObject* parent = nullptr);
    ~HttpServer() override;

    bool listen(const Options& options, QString* error);
    quint16 port() const;
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void setRefusalObserver(RefusalObserver observer) { m_refusalObserver = std::move(observer); }
    // Stops accepting; open connections finish their current request.
    void stopListening();
    int openConnections() const { return static_cast<int>(m_connections.size()); }

private:
    void onPendingConnections();
    void deliver(quint64 connectionId, const HttpResponse& response);

    Options m_options;
    QTcpServer* m_listener = nullptr;
    QHash<quint64, HttpConnection*> m_connections;
    quint64 m_nextId = 1;
    Handler m_handler;
    RefusalObserver m_refusalObserver;
};

} // namespace llamadesk::server
