#include "HttpServer.h"

#include <QCoreApplication>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace llamadesk::server {

HttpServer::HttpServer(QObject* parent)
    : QObject(parent) {}

HttpServer::~HttpServer() {
    stopListening();
    for (HttpConnection* c : std::as_const(m_connections))
        delete c;
    m_connections.clear();
}

bool HttpServer::listen(const Options& options, QString* error) {
    m_options = options;
    if (options.tls) {
        if (!QSslSocket::supportsSsl()) {
            *error = QCoreApplication::translate("HttpServer", "this Qt has no TLS backend");
            return false;
        }
        auto* sslServer = new QSslServer(this);
        sslServer->setSslConfiguration(options.ssl);
        sslServer->setHandshakeTimeout(options.handshakeTimeoutMs);
        m_listener = sslServer;
    } else {
        m_listener = new QTcpServer(this);
    }
    // Half-open connections (TCP or TLS handshake) queue in the listener up to this many.
    m_listener->setMaxPendingConnections(options.maxConnections);
    connect(m_listener, &QTcpServer::pendingConnectionAvailable, this,
            &HttpServer::onPendingConnections);
    if (!m_listener->listen(options.address, options.port)) {
        *error = QCoreApplication::translate("HttpServer", "cannot listen on %1 port %2: %3")
                     .arg(options.address.toString())
                     .arg(options.port)
                     .arg(m_listener->errorString());
        delete m_listener;
        m_listener = nullptr;
        return false;
    }
    return true;
}

quint16 HttpServer::port() const {
    return m_listener ? m_listener->serverPort() : 0;
}

void HttpServer::stopListening() {
    if (m_listener)
        m_listener->close();
}

void HttpServer::onPendingConnections() {
    while (m_listener && m_listener->hasPendingConnections()) {
        QTcpSocket* socket = m_listener->nextPendingConnection();
        if (!socket)
            break;
        const quint64 id = m_nextId++;
        auto* connection = new HttpConnection(socket, id, m_options.limits, m_options.timeouts,
                                              m_options.tls, this);
        connect(connection, &HttpConnection::finished, this, [this](quint64 finishedId) {
            if (HttpConnection* c = m_connections.take(finishedId))
                c->deleteLater();
        });
        if (m_connections.size() >= m_options.maxConnections) {
            // Full: say so instead of leaving the client waiting in the accept queue.
            HttpResponse busy =
                HttpResponse::error(503, QStringLiteral("server_busy"),
                                    QCoreApplication::translate(
                                        "HttpServer", "too many open connections; retry shortly"));
            busy.setHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1"));
            m_connections.insert(id, connection);
            connection->refuseAndClose(busy);
            continue;
        }
        m_connections.insert(id, connection);
        connection->setRefusalCallback(
            [this](HttpConnection*, const HttpRequest& request, const HttpResponse& response) {
                if (m_refusalObserver)
                    m_refusalObserver(request, response);
            });
        connection->setRequestCallback([this](HttpConnection* c, HttpRequest request) {
            const quint64 connectionId = c->id();
            if (!m_handler) {
                c->respond(HttpResponse::empty(503));
                return;
            }
            // The responder may run on a worker thread: it only posts to this object's thread.
            Responder responder = [this, connectionId](HttpResponse response) {
                QMetaObject::invokeMethod(
                    this,
                    [this, connectionId, r = std::move(response)] { deliver(connectionId, r); },
                    Qt::QueuedConnection);
            };
            m_handler(std::move(request), std::move(responder));
        });
    }
}

void HttpServer::deliver(quint64 connectionId, const HttpResponse& response) {
    // The client may have gone away meanwhile; then there is nobody to answer.
    if (HttpConnection* c = m_connections.value(connectionId))
        c->respond(response);
}

} // namespace llamadesk::server
