#include "HttpRequestParser.h"

#include <QUrl>

namespace llamadesk::server {
namespace {

// RFC 9110 token characters (method and header names).
bool isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(const QByteArray& s) {
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool hasControlChars(const QByteArray& s) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            return true;
    }
    return false;
}

// Header values may hold tabs but no other control character (CR/LF injection, NUL).
bool isValidFieldValue(const QByteArray& s) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

// Where the head ends (index just past the blank line), or -1. Accepts bare LF line ends,
// as RFC 9112 allows a recipient to.
qsizetype headEnd(const QByteArray& buffer, qsizetype limit) {
    const qsizetype n = std::min(buffer.size(), limit);
    for (qsizetype i = 0; i < n; ++i) {
        if (buffer.at(i) != '\n')
            continue;
        if (i + 1 < buffer.size() && buffer.at(i + 1) == '\n')
            return i + 2;
        if (i + 2 < buffer.size() && buffer.at(i + 1) == '\r' && buffer.at(i + 2) == '\n')
            return i + 3;
    }
    return -1;
}

} // namespace

HttpRequestParser::HttpRequestParser(Limits limits)
    : m_limits(limits) {}

void HttpRequestParser::reset() {
    m_request = HttpRequest();
    m_started = false;
    m_headDone = false;
    m_expectContinue = false;
    m_continueSent = false;
    m_contentLength = 0;
    m_errorStatus = 0;
    m_errorMessage.clear();
}

HttpRequest HttpRequestParser::takeRequest() {
    HttpRequest r = std::move(m_request);
    reset();
    return r;
}

bool HttpRequestParser::awaitingContinue() const {
    return m_headDone && m_expectContinue && !m_continueSent && m_contentLength > 0;
}

HttpRequestParser::State HttpRequestParser::fail(int status, const QString& message) {
    m_errorStatus = status;
    m_errorMessage = message;
    return State::Failed;
}

HttpRequestParser::State HttpRequestParser::feed(QByteArray& buffer) {
    if (m_errorStatus != 0)
        return State::Failed;
    if (!m_headDone) {
        // Empty lines before a request line are ignored (RFC 9112 section 2.2).
        while (!m_started && !buffer.isEmpty() && (buffer.at(0) == '\r' || buffer.at(0) == '\n'))
            buffer.remove(0, 1);
        if (buffer.isEmpty())
            return State::NeedMore;
        m_started = true;
        const qsizetype end = headEnd(buffer, m_limits.maxHeaderBytes);
        if (end < 0) {
            if (buffer.size() >= m_limits.maxHeaderBytes)
                return fail(431, tr("the request line and headers are larger than %1 bytes")
                                     .arg(m_limits.maxHeaderBytes));
            return State::NeedMore;
        }
        const QByteArray head = buffer.left(end);
        buffer.remove(0, end);
        const State s = parseHead(head);
        if (s == State::Failed)
            return s;
        m_headDone = true;
    }
    if (buffer.size() < m_contentLength)
        return State::NeedMore;
    m_request.body = buffer.left(m_contentLength);
    buffer.remove(0, m_contentLength);
    return State::Complete;
}

HttpRequestParser::State HttpRequestParser::parseHead(const QByteArray& head) {
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return fail(400, tr("the request line is missing"));

    // Request line: method SP request-target SP HTTP-version, single spaces.
    const QList<QByteArray> parts = lines.first().split(' ');
    if (parts.size() != 3)
        return fail(400, tr("the request line must be 'METHOD target HTTP/1.1'"));
    const QByteArray& method = parts.at(0);
    const QByteArray& target = parts.at(1);
    const QByteArray& version = parts.at(2);
    if (!isToken(method))
        return fail(400, tr("the method is not a valid token"));
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        if (version.startsWith("HTTP/"))
            return fail(505, tr("only HTTP/1.1 is supported"));
        return fail(400, tr("the HTTP version is malformed"));
    }
    if (target.isEmpty() || target.at(0) != '/' || hasControlChars(target))
        return fail(400, tr("the request target must be an absolute path"));

    m_request.method = method;
    m_request.target = target;
    const qsizetype q = target.indexOf('?');
    m_request.rawPath = q < 0 ? target : target.left(q);
    if (q >= 0)
        m_request.query = QUrlQuery(QString::fromUtf8(target.mid(q + 1)));
    const QList<QByteArray> rawSegments = m_request.rawPath.mid(1).split('/');
    for (const QByteArray& seg : rawSegments)
        m_request.segments.append(QUrl::fromPercentEncoding(seg));
    if (m_request.segments.size() == 1 && m_request.segments.first().isEmpty())
        m_request.segments.clear();

    bool haveLength = false;
    qsizetype length = 0;
    int hostCount = 0;
    bool chunked = false;
    QByteArray connection;
    if (lines.size() - 1 > m_limits.maxHeaderCount)
        return fail(431, tr("more than %1 header fields").arg(m_limits.maxHeaderCount));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines.at(i);
        if (line.isEmpty())
            return fail(400, tr("a header line is empty"));
        if (line.at(0) == ' ' || line.at(0) == '\t')
            return fail(400, tr("folded header lines are not accepted"));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(400, tr("a header line has no name"));
        const QByteArray name = line.left(colon).toLower();
        if (!isToken(name))
            return fail(400, tr("a header name is not a valid token"));
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (!isValidFieldValue(value))
            return fail(400,
                        tr("header %1 holds control characters").arg(QString::fromLatin1(name)));
        if (name == "content-length") {
            bool ok = false;
            bool digits = !value.isEmpty();
            for (char c : value)
                digits = digits && c >= '0' && c <= '9';
            const qlonglong n = digits && value.size() <= 15 ? value.toLongLong(&ok) : -1;
            if (!ok || n < 0)
                return fail(400, tr("Content-Length must be a decimal number of bytes"));
            if (haveLength && n != length)
                return fail(400, tr("conflicting Content-Length headers"));
            haveLength = true;
            length = static_cast<qsizetype>(n);
        } else if (name == "transfer-encoding") {
            chunked = true;
        } else if (name == "host") {
            ++hostCount;
        } else if (name == "connection") {
            connection = value.toLower();
        } else if (name == "expect") {
            if (value.toLower() != "100-continue")
                return fail(417, tr("only 'Expect: 100-continue' is understood"));
            m_expectContinue = true;
        }
        m_request.headers.append({name, value});
    }
    if (chunked && haveLength)
        return fail(400, tr("a request must not have both Transfer-Encoding and Content-Length"));
    if (chunked)
        return fail(411,
                    tr("send the body with a Content-Length; transfer codings are not accepted"));
    if (version == "HTTP/1.1" && hostCount != 1)
        return fail(400, tr("an HTTP/1.1 request needs exactly one Host header"));
    if (length > m_limits.maxBodyBytes)
        return fail(413,
                    tr("the body is larger than the limit of %1 bytes").arg(m_limits.maxBodyBytes));

    // HTTP/1.0 clients get one request per connection: simpler than their keep-alive dialect.
    bool close = version != "HTTP/1.1";
    for (const QByteArray& t : connection.split(','))
        close = close || t.trimmed() == "close";
    m_request.keepAlive = !close;
    m_contentLength = length;
    return State::NeedMore;
}

} // namespace llamadesk::server
