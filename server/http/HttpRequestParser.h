#pragma once

#include "HttpRequest.h"

#include <QCoreApplication>
#include <QString>

namespace llamadesk::server {

// Incremental HTTP/1.1 request parser with hard limits, so no request can make the server
// buffer more than maxHeaderBytes + maxBodyBytes. Only Content-Length bodies are accepted:
// a request with Transfer-Encoding is refused with 411 (and with 400 if it also has a
// Content-Length, the classic request-smuggling shape).
// Size limits of one request.
struct HttpLimits {
    qsizetype maxHeaderBytes = 16 * 1024; // request line + headers
    int maxHeaderCount = 100;
    qsizetype maxBodyBytes = 1024 * 1024;
};

class HttpRequestParser {
    Q_DECLARE_TR_FUNCTIONS(HttpRequestParser)

public:
    using Limits = HttpLimits;

    enum class State {
        NeedMore, // give it more bytes
        Complete, // takeRequest()
        Failed    // errorStatus() / errorMessage(); the connection must be closed after answering
    };

    explicit HttpRequestParser(Limits limits);

    // Consumes bytes from the front of buffer; bytes after a complete request stay there
    // (a pipelined next request).
    State feed(QByteArray& buffer);

    // True once the head is parsed and the client waits for "100 Continue" before the body.
    bool awaitingContinue() const;
    void continueSent() { m_continueSent = true; }
    bool headComplete() const { return m_headDone; }
    // True when no byte of the next request has arrived yet (an idle keep-alive connection).
    bool idle() const { return !m_headDone && !m_started; }

    HttpRequest takeRequest();
    void reset();

    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }

private:
    State fail(int status, const QString& message);
    State parseHead(const QByteArray& head);

    Limits m_limits;
    HttpRequest m_request;
    bool m_started = false;
    bool m_headDone = false;
    bool m_expectContinue = false;
    bool m_continueSent = false;
    qsizetype m_contentLength = 0;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace llamadesk::server
