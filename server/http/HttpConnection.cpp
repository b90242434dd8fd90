#include "HttpConnection.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QTcpSocket>

namespace llamadesk::server {
namespace {

// IMF-fixdate, as the Date header wants it.
QByteArray httpDate() {
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(),
                  QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

bool isFramingHeader(const QByteArray& name) {
    return name.compare("content-length", Qt::CaseInsensitive) == 0 ||
           name.compare("connection", Qt::CaseInsensitive) == 0 ||
           name.compare("date", Qt::CaseInsensitive) == 0 ||
           name.compare("transfer-encoding", Qt::CaseInsensitive) == 0;
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, quint64 id, HttpRequestParser::Limits limits,
                               HttpTimeouts timeouts, bool tls, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_id(id)
    , m_parser(limits)
    , m_limits(limits)
    , m_timeouts(timeouts)
    , m_tls(tls) {
    m_socket->setParent(this);
    // Qt stops reading from the kernel when this much is buffered: TCP back-pressure instead
    // of unbounded memory while a request is being processed.
    m_socket->setReadBufferSize(limits.maxHeaderBytes + limits.maxBodyBytes + 65536);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_timer.stop();
        if (!m_finishedEmitted) {
            m_finishedEmitted = true;
            emit finished(m_id);
        }
    });
    armTimer(m_timeouts.idleMs);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::armTimer(int ms) {
    m_timer.start(ms);
}

void HttpConnection::onReadyRead() {
    if (m_state == State::Lingering) {
        const QByteArray dropped = m_socket->readAll();
        m_lingered += dropped.size();
        if (m_lingered > 64 * 1024 * 1024)
            closeNow();
        return;
    }
    if (m_state != State::Reading)
        return; // picked up again once the current request is answered
    m_buffer.append(m_socket->readAll());
    processBuffer();
}

void HttpConnection::processBuffer() {
    if (m_state != State::Reading)
        return;
    const Phase before = m_phase;
    const HttpRequestParser::State s = m_parser.feed(m_buffer);
    if (s == HttpRequestParser::State::Failed) {
        fail(m_parser.errorStatus(), m_parser.errorMessage());
        return;
    }
    if (s == HttpRequestParser::State::NeedMore) {
        const Phase now = m_parser.idle()           ? Phase::Idle
                          : m_parser.headComplete() ? Phase::Body
                                                    : Phase::Head;
        if (now != before) {
            m_phase = now;
            armTimer(now == Phase::Idle   ? m_timeouts.idleMs
                     : now == Phase::Head ? m_timeouts.headerMs
                                          : m_timeouts.bodyMs);
        }
        if (m_parser.awaitingContinue()) {
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            m_parser.continueSent();
        }
        return;
    }
    // A complete request: stop the clock and hand it over.
    m_timer.stop();
    m_phase = Phase::Idle;
    HttpRequest request = m_parser.takeRequest();
    request.peer = m_socket->peerAddress();
    m_currentKeepAlive = request.keepAlive;
    m_state = State::Processing;
    if (m_onRequest)
        m_onRequest(this, std::move(request));
}

qint64 HttpConnection::respond(const HttpResponse& response) {
    if (m_state != State::Processing)
        return 0;
    ++m_served;
    const bool keepAlive = m_currentKeepAlive && m_served < m_timeouts.maxRequests;
    const qint64 written = writeResponse(response, keepAlive);
    if (!keepAlive) {
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        armTimer(m_timeouts.writeMs);
        return written;
    }
    m_state = State::Reading;
    // The idle deadline also bounds a client that never reads its response.
    m_phase = Phase::Idle;
    armTimer(m_timeouts.idleMs);
    if (m_socket->bytesAvailable() > 0)
        m_buffer.append(m_socket->readAll());
    if (!m_buffer.isEmpty())
        processBuffer();
    return written;
}

void HttpConnection::refuseAndClose(const HttpResponse& response) {
    writeResponse(response, false);
    m_state = State::Closing;
    m_socket->disconnectFromHost();
    armTimer(m_timeouts.writeMs);
}

qint64 HttpConnection::writeResponse(const HttpResponse& response, bool keepAlive) {
    QByteArray out;
    out.reserve(response.body.size() + 256);
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
           HttpResponse::reasonPhrase(response.status) + "\r\n";
    for (const auto& h : response.headers) {
        if (!isFramingHeader(h.first))
            out += h.first + ": " + h.second + "\r\n";
    }
    out += "Date: " + httpDate() + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += keepAlive ? QByteArrayLiteral("Connection: keep-alive\r\n")
                     : QByteArrayLiteral("Connection: close\r\n");
    out += "X-Content-Type-Options: nosniff\r\n";
    if (m_tls)
        out += "Strict-Transport-Security: max-age=31536000\r\n";
    out += "\r\n";
    out += response.body;
    return m_socket->write(out);
}

void HttpConnection::fail(int status, const QString& message) {
    QJsonObject extra;
    const HttpResponse response =
        HttpResponse::error(status,
                            status == 408   ? QStringLiteral("request_timeout")
                            : status == 413 ? QStringLiteral("body_too_large")
                            : status == 431 ? QStringLiteral("headers_too_large")
                            : status == 411 ? QStringLiteral("length_required")
                            : status == 505 ? QStringLiteral("http_version_not_supported")
                                            : QStringLiteral("bad_http"),
                            message, extra);
    if (m_onRefusal)
        m_onRefusal(this, m_parser.takeRequest(), response);
    writeResponse(response, false);
    // Keep reading (and dropping) for a moment: closing while the client is still sending
    // would reset the connection before it reads the answer.
    m_state = State::Lingering;
    m_buffer.clear();
    armTimer(m_timeouts.lingerMs);
}

void HttpConnection::onTimeout() {
    switch (m_state) {
    case State::Reading: {
        if (m_phase == Phase::Idle) {
            closeNow(); // an idle keep-alive connection: nothing to answer
            return;
        }
        fail(408, tr("the request was not received in time"));
        return;
    }
    case State::Lingering:
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        armTimer(m_timeouts.writeMs);
        return;
    case State::Closing:
        closeNow();
        return;
    case State::Processing:
        return;
    }
}

void HttpConnection::closeNow() {
    m_timer.stop();
    m_state = State::Closing;
    m_socket->abort();
    if (!m_finishedEmitted) {
        m_finishedEmitted = true;
        emit finished(m_id);
    }
}

} // namespace llamadesk::server
