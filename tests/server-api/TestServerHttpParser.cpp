#include "http/HttpRequestParser.h"

#include <QtTest>

using llamadesk::server::HttpLimits;
using llamadesk::server::HttpRequestParser;

// The request parser on its own: every shape of request the server must accept or refuse.
class TestServerHttpParser : public QObject {
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void byteByByte();
    void pipelined();
    void expectContinue();
    void bodyTooLargeIsRefusedBeforeTheBody();

private:
    static HttpLimits smallLimits() {
        HttpLimits l;
        l.maxHeaderBytes = 512;
        l.maxHeaderCount = 8;
        l.maxBodyBytes = 64;
        return l;
    }
};

void TestServerHttpParser::parse_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status"); // 0: complete
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QStringList>("segments");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    const QByteArray host = "Host: x\r\n";
    QTest::newRow("get") << QByteArray("GET /v1/sync/pull?client_id=a HTTP/1.1\r\n" + host + "\r\n")
                         << 0 << QByteArray("GET")
                         << QStringList{QStringLiteral("v1"), QStringLiteral("sync"),
                                        QStringLiteral("pull")}
                         << QByteArray() << true;
    QTest::newRow("post with body")
        << QByteArray("POST /a HTTP/1.1\r\n" + host + "Content-Length: 5\r\n\r\nhello") << 0
        << QByteArray("POST") << QStringList{QStringLiteral("a")} << QByteArray("hello") << true;
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << 0 << QByteArray("GET")
                             << QStringList{} << QByteArray() << true;
    QTest::newRow("leading empty lines")
        << QByteArray("\r\n\r\nGET / HTTP/1.1\r\n" + host + "\r\n") << 0 << QByteArray("GET")
        << QStringList{} << QByteArray() << true;
    QTest::newRow("encoded slash stays in its segment")
        << QByteArray("GET /v1/keys/a%2Fb HTTP/1.1\r\n" + host + "\r\n") << 0 << QByteArray("GET")
        << QStringList{QStringLiteral("v1"), QStringLiteral("keys"), QStringLiteral("a/b")}
        << QByteArray() << true;
    QTest::newRow("connection close")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n") << 0
        << QByteArray("GET") << QStringList{} << QByteArray() << false;
    QTest::newRow("http 1.0 closes") << QByteArray("GET / HTTP/1.0\r\n\r\n") << 0
                                     << QByteArray("GET") << QStringList{} << QByteArray() << false;

    const QByteArray none;
    const QStringList noSegments;
    QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << none
                                  << noSegments << none << false;
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\n" + host + host + "\r\n") << 400
                               << none << noSegments << none << false;
    QTest::newRow("http/2.0") << QByteArray("GET / HTTP/2.0\r\n" + host + "\r\n") << 505 << none
                              << noSegments << none << false;
    QTest::newRow("garbage version") << QByteArray("GET / FTP\r\n" + host + "\r\n") << 400 << none
                                     << noSegments << none << false;
    QTest::newRow("garbage line") << QByteArray("hello\r\n\r\n") << 400 << none << noSegments
                                  << none << false;
    QTest::newRow("absolute-form target")
        << QByteArray("GET http://x/ HTTP/1.1\r\n" + host + "\r\n") << 400 << none << noSegments
        << none << false;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400
                                        << none << noSegments << none << false;
    QTest::newRow("folded header")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X-A: 1\r\n  2\r\n\r\n") << 400 << none
        << noSegments << none << false;
    QTest::newRow("control character")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X-A: a\x01b\r\n\r\n") << 400 << none
        << noSegments << none << false;
    QTest::newRow("length not a number")
        << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 5x\r\n\r\n") << 400 << none
        << noSegments << none << false;
    QTest::newRow("negative length")
        << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n") << 400 << none
        << noSegments << none << false;
    QTest::newRow("conflicting lengths")
        << QByteArray("POST / HTTP/1.1\r\n" + host +
                      "Content-Length: 1\r\nContent-Length: 2\r\n\r\n")
        << 400 << none << noSegments << none << false;
    QTest::newRow("length and chunked")
        << QByteArray("POST / HTTP/1.1\r\n" + host +
                      "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
        << 400 << none << noSegments << none << false;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\n" + host +
                                           "Transfer-Encoding: chunked\r\n\r\n")
                             << 411 << none << noSegments << none << false;
    QTest::newRow("body too large")
        << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 65\r\n\r\n") << 413 << none
        << noSegments << none << false;
    QTest::newRow("head too large")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X-A: " + QByteArray(600, 'a') + "\r\n\r\n")
        << 431 << none << noSegments << none << false;
    QByteArray many = "GET / HTTP/1.1\r\n" + host;
    for (int i = 0; i < 9; ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("too many headers")
        << QByteArray(many + "\r\n") << 431 << none << noSegments << none << false;
    QTest::newRow("unknown expectation")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "Expect: magic\r\n\r\n") << 417 << none
        << noSegments << none << false;
}

void TestServerHttpParser::parse() {
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    QFETCH(QByteArray, method);
    QFETCH(QStringList, segments);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);

    HttpRequestParser parser(smallLimits());
    QByteArray buffer = raw;
    const HttpRequestParser::State s = parser.feed(buffer);
    if (status != 0) {
        QCOMPARE(s, HttpRequestParser::State::Failed);
        QCOMPARE(parser.errorStatus(), status);
        QVERIFY(!parser.errorMessage().isEmpty());
        return;
    }
    QCOMPARE(s, HttpRequestParser::State::Complete);
    const llamadesk::server::HttpRequest r = parser.takeRequest();
    QCOMPARE(r.method, method);
    QCOMPARE(r.segments, segments);
    QCOMPARE(r.body, body);
    QCOMPARE(r.keepAlive, keepAlive);
    QVERIFY(buffer.isEmpty());
}

void TestServerHttpParser::byteByByte() {
    const QByteArray raw = "POST /v1/x?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    HttpRequestParser parser(smallLimits());
    QByteArray buffer;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        buffer.append(raw.at(i));
        const HttpRequestParser::State s = parser.feed(buffer);
        if (i + 1 < raw.size()) {
            QCOMPARE(s, HttpRequestParser::State::NeedMore);
            QVERIFY(!parser.idle());
        } else {
            QCOMPARE(s, HttpRequestParser::State::Complete);
        }
    }
    const llamadesk::server::HttpRequest r = parser.takeRequest();
    QCOMPARE(r.body, QByteArray("abc"));
    QCOMPARE(r.query.queryItemValue(QStringLiteral("a")), QStringLiteral("1"));
    QVERIFY(parser.idle());
}

void TestServerHttpParser::pipelined() {
    QByteArray buffer =
        "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\nGET /th";
    HttpRequestParser parser(smallLimits());
    QCOMPARE(parser.feed(buffer), HttpRequestParser::State::Complete);
    QCOMPARE(parser.takeRequest().segments, QStringList{QStringLiteral("one")});
    QCOMPARE(parser.feed(buffer), HttpRequestParser::State::Complete);
    QCOMPARE(parser.takeRequest().segments, QStringList{QStringLiteral("two")});
    QCOMPARE(parser.feed(buffer), HttpRequestParser::State::NeedMore);
    buffer += "ree HTTP/1.1\r\nHost: x\r\n\r\n";
    QCOMPARE(parser.feed(buffer), HttpRequestParser::State::Complete);
    QCOMPARE(parser.takeRequest().segments, QStringList{QStringLiteral("three")});
}

void TestServerHttpParser::expectContinue() {
    QByteArray buffer =
        "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
    HttpRequestParser parser(smallLimits());
    QCOMPARE(parser.feed(buffer), HttpRequestParser::State::NeedMore);
    QVERIFY(parser.awaitingContinue());
    parser.continueSent();
    QVERIFY(!parser.awaitingContinue());
    buffer += "data";
    QCOMPARE(parser.feed(buffer), HttpRequestParser::State::Complete);
}

void TestServerHttpParser::bodyTooLargeIsRefusedBeforeTheBody() {
    // The refusal comes from the head alone: the server never buffers the oversized body.
    QByteArray buffer = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n";
    HttpRequestParser parser(smallLimits());
    QCOMPARE(parser.feed(buffer), HttpRequestParser::State::Failed);
    QCOMPARE(parser.errorStatus(), 413);
}

QTEST_GUILESS_MAIN(TestServerHttpParser)
#include "TestServerHttpParser.moc"
