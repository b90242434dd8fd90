#pragma once

#include "HttpRequestParser.h"
#include "HttpResponse.h"

#include <QObject>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace llamadesk::server {

// Time limits of one connection. Every phase that waits for the client has a deadline, so a
// slow or silent client (slowloris) cannot hold a connection for ever.
struct HttpTimeouts {
    int headerMs = 10000;   // from the first byte of a request to the end of its head
    int bodyMs = 30000;     // from the end of the head to the end of the body
    int idleMs = 60000;     // keep-alive: between two requests
    int writeMs = 30000;    // for the client to take a response
    int lingerMs = 2000;    // after refusing a request, reading (and dropping) what it still sends
    int maxRequests = 1000; // per connection, then "Connection: close"
};

// One client connection (plain or TLS): reads requests one at a time, hands each to the
// server and writes the response back. Requests are answered in order; bytes of a pipelined
// next request wait in the socket until the current one is answered.
class HttpConnection : public QObject {
    Q_OBJECT

public:
    using RequestCallback = std::function<void(HttpConnection*, HttpRequest)>;
    using RefusalCallback =
        std::function<void(HttpConnection*, const HttpRequest&, const HttpResponse&)>;

    HttpConnection(QTcpSocket* socket, quint64 id, HttpRequestParser::Limits limits,
                   HttpTimeouts timeouts, bool tls, QObject* parent = nullptr);
    ~HttpConnection() override;

    quint64 id() const { return m_id; }
    void setRequestCallback(RequestCallback cb) { m_onRequest = std::move(cb); }
    // Told about requests the HTTP layer answered itself (malformed, too large, too slow).
    void setRefusalCallback(RefusalCallback cb) { m_onRefusal = std::move(cb); }

    // Writes the response to the request handed out last; returns the bytes written.
    qint64 respond(const HttpResponse& response);
    // Answers without a request (server full) and closes.
    void refuseAndClose(const HttpResponse& response);

signals:
    void finished(quint64 id);

private:
    enum class State { Reading, Processing, Lingering, Closing };
    // How far a pending request has come. A deadline is armed when this changes, never on
    // every byte: a client trickling one byte at a time must not extend its own deadline.
    enum class Phase { Idle, Head, Body };

    void onReadyRead();
    void processBuffer();
    void onTimeout();
    void armTimer(int ms);
    void fail(int status, const QString& message);
    qint64 writeResponse(const HttpResponse& response, bool keepAlive);
    void closeNow();

    QTcpSocket* m_socket;
    quint64 m_id;
    HttpRequestParser m_parser;
    HttpRequestParser::Limits m_limits;
    HttpTimeouts m_timeouts;
    bool m_tls;
    State m_state = State::Reading;
    Phase m_phase = Phase::Idle;
    QByteArray m_buffer;
    QTimer m_timer;
    int m_served = 0;
    bool m_currentKeepAlive = true;
    qint64 m_lingered = 0;
    bool m_finishedEmitted = false;
    RequestCallback m_onRequest;
    RefusalCallback m_onRefusal;
};

} // namespace llamadesk::server
