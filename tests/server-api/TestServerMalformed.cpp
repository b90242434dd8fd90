#include "ServerFixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using servertest::ApiClient;
using servertest::RawClient;
using servertest::ServerFixture;

// Every kind of bad request we could think of, sent to the real server over TLS: each gets
// a precise 4xx (what is wrong, and where) and none changes anything.
class TestServerMalformed : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void badRequests_data();
    void badRequests();
    void badAuthorization_data();
    void badAuthorization();
    void badHttp_data();
    void badHttp();
    void hugeBody();
    void slowClientsAreCutOff_data();
    void slowClientsAreCutOff();
    void idleConnectionsAreClosed();
    void pipelinedRequestsAreAnsweredInOrder();
    void expectContinue();
    void serverStillServes();
    void cleanupTestCase();

private:
    ServerFixture m_fx;
    QString m_key;
};

void TestServerMalformed::initTestCase() {
    QJsonObject overrides;
    overrides.insert(QStringLiteral("max_body_bytes"), 65536);
    overrides.insert(QStringLiteral("max_header_bytes"), 8192);
    overrides.insert(QStringLiteral("header_timeout_ms"), 1500);
    overrides.insert(QStringLiteral("body_timeout_ms"), 1500);
    overrides.insert(QStringLiteral("idle_timeout_ms"), 2000);
    overrides.insert(QStringLiteral("max_push_mutations"), 50);
    QString error;
    QVERIFY2(m_fx.setUp(overrides, &error), qPrintable(error));
    m_key = m_fx.newUser(
        QStringLiteral("mal@example.com"), QStringLiteral("a long enough password"),
        {QStringLiteral("read"), QStringLiteral("write"), QStringLiteral("admin")}, &error);
    QVERIFY2(!m_key.isEmpty(), qPrintable(error));
}

void TestServerMalformed::cleanupTestCase() {
    m_fx.server.stop();
}

void TestServerMalformed::badRequests_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field"); // expected "field", when the answer names one

    const QByteArray json = "application/json";
    const QString push = QStringLiteral("/v1/sync/push");
    const QByteArray client = R"("client_id":"c0ffee00-0000-4000-8000-000000000001")";
    QTest::newRow("not json") << QByteArray("POST") << push << json << QByteArray("{") << 400
                              << QStringLiteral("invalid_json") << QString();
    QTest::newRow("json array") << QByteArray("POST") << push << json << QByteArray("[]") << 400
                                << QStringLiteral("invalid_json") << QString();
    QTest::newRow("invalid utf-8")
        << QByteArray("POST") << push << json << QByteArray("{\"client_id\":\"\xff\xfe\"}") << 400
        << QStringLiteral("invalid_json") << QString();
    QTest::newRow("empty body") << QByteArray("POST") << push << json << QByteArray() << 400
                                << QStringLiteral("invalid_json") << QString();
    QTest::newRow("wrong content type")
        << QByteArray("POST") << push << QByteArray("text/plain") << QByteArray("{}") << 415
        << QStringLiteral("unsupported_media_type") << QString();
    QTest::newRow("missing client_id")
        << QByteArray("POST") << push << json << QByteArray(R"({"mutations":[]})") << 400
        << QStringLiteral("invalid_request") << QStringLiteral("client_id");
    QTest::newRow("client_id not a uuid")
        << QByteArray("POST") << push << json << QByteArray(R"({"client_id":"abc","mutations":[]})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("client_id");
    QTest::newRow("no mutations") << QByteArray("POST") << push << json
                                  << QByteArray("{" + client + R"(,"mutations":[]})") << 400
                                  << QStringLiteral("invalid_request")
                                  << QStringLiteral("mutations");
    QTest::newRow("mutations not an array")
        << QByteArray("POST") << push << json << QByteArray("{" + client + R"(,"mutations":{}})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("mutations");
    QTest::newRow("mutation id as string")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":"1","table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"delete","base_row_version":1}]})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("mutations[0].mutation_id");
    QTest::newRow("fractional mutation id")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":1.5,"table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"delete","base_row_version":1}]})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("mutations[0].mutation_id");
    QTest::newRow("unknown op")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":1,"table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"upsert"}]})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("mutations[0].op");
    QTest::newRow("number value")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":1,"table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"insert","fields":{"threshold_value":1.5}}]})")
        << 400 << QStringLiteral("invalid_request")
        << QStringLiteral("mutations[0].fields.threshold_value");
    QTest::newRow("update without base")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":1,"table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"update","base_row_version":1,
             "fields":{"name":"x"},"base":{}}]})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("mutations[0].base.name");
    QTest::newRow("update without base_row_version")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":1,"table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"update","fields":{"name":"x"},"base":{"name":"y"}}]})")
        << 400 << QStringLiteral("invalid_request")
        << QStringLiteral("mutations[0].base_row_version");
    QTest::newRow("delete with fields")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":1,"table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"delete","base_row_version":1,"fields":{"a":"b"}}]})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("mutations[0].fields");
    QTest::newRow("unknown mutation field")
        << QByteArray("POST") << push << json
        << QByteArray("{" + client + R"(,"mutations":[{"mutation_id":1,"table":"alert_rules",
             "row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"delete","base_row_version":1,"force":true}]})")
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("mutations[0].force");
    QByteArray many = "{" + client + R"(,"mutations":[)";
    for (int i = 1; i <= 51; ++i)
        many +=
            (i > 1 ? "," : "") + QByteArray(R"({"mutation_id":)") + QByteArray::number(i) +
            R"(,"table":"t","row_id":"c0ffee00-0000-4000-8000-0000000000aa","op":"delete","base_row_version":1})";
    many += "]}";
    QTest::newRow("too many mutations")
        << QByteArray("POST") << push << json << many << 400 << QStringLiteral("invalid_request")
        << QStringLiteral("mutations");
    QTest::newRow("pull without client")
        << QByteArray("GET") << QStringLiteral("/v1/sync/pull") << QByteArray() << QByteArray()
        << 400 << QStringLiteral("invalid_request") << QStringLiteral("query.client_id");
    QTest::newRow("pull with a bad position")
        << QByteArray("GET")
        << QStringLiteral("/v1/sync/pull?client_id=c0ffee00-0000-4000-8000-000000000001&after=12")
        << QByteArray() << QByteArray() << 400 << QStringLiteral("invalid_request")
        << QStringLiteral("query.after");
    QTest::newRow("pull limit zero")
        << QByteArray("GET")
        << QStringLiteral("/v1/sync/pull?client_id=c0ffee00-0000-4000-8000-000000000001&limit=0")
        << QByteArray() << QByteArray() << 400 << QStringLiteral("invalid_request")
        << QStringLiteral("query.limit");
    QTest::newRow("reference time without zone")
        << QByteArray("GET") << QStringLiteral("/v1/reference/prices?since=2025-01-01T00:00:00")
        << QByteArray() << QByteArray() << 400 << QStringLiteral("invalid_request")
        << QStringLiteral("query.since");
    QTest::newRow("profile field of the wrong type")
        << QByteArray("PATCH") << QStringLiteral("/v1/account") << json
        << QByteArray(R"({"first_name":7})") << 400 << QStringLiteral("invalid_request")
        << QStringLiteral("first_name");
    QTest::newRow("profile without fields")
        << QByteArray("PATCH") << QStringLiteral("/v1/account") << json << QByteArray("{}") << 400
        << QStringLiteral("invalid_request") << QStringLiteral("(body)");
    QTest::newRow("key with an unknown scope")
        << QByteArray("POST") << QStringLiteral("/v1/keys") << json
        << QByteArray(R"({"name":"x","scopes":["root"]})") << 400
        << QStringLiteral("invalid_request") << QStringLiteral("scopes[0]");
    QTest::newRow("unknown endpoint")
        << QByteArray("GET") << QStringLiteral("/v1/nothing/here") << QByteArray() << QByteArray()
        << 404 << QStringLiteral("not_found") << QString();
    QTest::newRow("root") << QByteArray("GET") << QStringLiteral("/") << QByteArray()
                          << QByteArray() << 404 << QStringLiteral("not_found") << QString();
    QTest::newRow("wrong method") << QByteArray("DELETE") << QStringLiteral("/v1/account")
                                  << QByteArray() << QByteArray() << 405
                                  << QStringLiteral("method_not_allowed") << QString();
    QTest::newRow("unknown method")
        << QByteArray("BREW") << QStringLiteral("/health") << QByteArray() << QByteArray() << 405
        << QStringLiteral("method_not_allowed") << QString();
    QTest::newRow("revoke a non-uuid")
        << QByteArray("DELETE") << QStringLiteral("/v1/keys/..%2F..") << QByteArray()
        << QByteArray() << 404 << QStringLiteral("not_found") << QString();
}

void TestServerMalformed::badRequests() {
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, field);
    auto c = m_fx.client();
    c->setKey(m_key);
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType});
    const ApiClient::Reply r = c->send(method, path, body, headers);
    QVERIFY2(r.status == status, r.describe().constData());
    QCOMPARE(r.errorCode(), code);
    QVERIFY(!r.json.value(QStringLiteral("message")).toString().isEmpty());
    if (!field.isEmpty()) {
        QCOMPARE(r.json.value(QStringLiteral("field")).toString(), field);
        QVERIFY(!r.json.value(QStringLiteral("reason")).toString().isEmpty());
    }
    if (status == 405)
        QVERIFY(!r.header("allow").isEmpty());
}

void TestServerMalformed::badAuthorization_data() {
    QTest::addColumn<QByteArray>("header"); // empty: none sent
    QTest::addColumn<QString>("code");
    QTest::newRow("none") << QByteArray() << QStringLiteral("missing_credentials");
    QTest::newRow("basic") << QByteArray("Basic dXNlcjpwYXNz")
                           << QStringLiteral("bad_authorization");
    QTest::newRow("bearer without token")
        << QByteArray("Bearer ") << QStringLiteral("bad_authorization");
    QTest::newRow("bearer garbage")
        << QByteArray("Bearer not-a-key") << QStringLiteral("bad_authorization");
    QTest::newRow("lower-case scheme is still bearer")
        << QByteArray("bearer ldk_abcd1234_") + QByteArray(43, 'A')
        << QStringLiteral("invalid_key");
    QTest::newRow("unknown key") << QByteArray("Bearer ldk_abcd1234_") + QByteArray(43, 'A')
                                 << QStringLiteral("invalid_key");
    QTest::newRow("huge header") << QByteArray("Bearer ") + QByteArray(4000, 'x')
                                 << QStringLiteral("bad_authorization");
}

void TestServerMalformed::badAuthorization() {
    QFETCH(QByteArray, header);
    QFETCH(QString, code);
    auto c = m_fx.client();
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!header.isEmpty())
        headers.append({"Authorization", header});
    const ApiClient::Reply r = c->send("GET", QStringLiteral("/v1/account"), {}, headers);
    QVERIFY2(r.status == 401, r.describe().constData());
    QCOMPARE(r.errorCode(), code);
    QVERIFY(r.header("www-authenticate").startsWith("Bearer"));
}

void TestServerMalformed::badHttp_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::newRow("garbage") << QByteArray("hello there\r\n\r\n") << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("http/2 preface")
        << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << QByteArray("HTTP/1.1 505 ");
    QTest::newRow("no host") << QByteArray("GET /health HTTP/1.1\r\n\r\n")
                             << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("chunked")
        << QByteArray(
               "POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        << QByteArray("HTTP/1.1 411 ");
    QTest::newRow("smuggling shape")
        << QByteArray("POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: "
                      "4\r\nTransfer-Encoding: chunked\r\n\r\n")
        << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("header too large")
        << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(10000, 'a') +
                      "\r\n\r\n")
        << QByteArray("HTTP/1.1 431 ");
    QTest::newRow("bad content length")
        << QByteArray("POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")
        << QByteArray("HTTP/1.1 400 ");
    QTest::newRow("header injection")
        << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n")
        << QByteArray("HTTP/1.1 400 ");
}

void TestServerMalformed::badHttp() {
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, statusLine);
    bool closed = false;
    const QByteArray answer =
        RawClient::exchange(m_fx.server.port(), m_fx.ca.caCertificate(), {raw}, 0, 5000, &closed);
    QVERIFY2(answer.startsWith(statusLine), answer.left(300).constData());
    QVERIFY(answer.contains("Connection: close"));
    QVERIFY(closed); // a malformed request ends the connection
}

void TestServerMalformed::hugeBody() {
    auto c = m_fx.client();
    c->setKey(m_key);
    const QByteArray body = "{\"client_id\":\"" + QByteArray(1024 * 1024, 'x') + "\"}";
    const ApiClient::Reply r = c->send("POST", QStringLiteral("/v1/sync/push"), body,
                                       {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == 413, r.describe().left(300).constData());
    QCOMPARE(r.errorCode(), QStringLiteral("body_too_large"));
    // The refusal comes from the Content-Length alone, before the body is read.
    bool closed = false;
    const QByteArray answer =
        RawClient::exchange(m_fx.server.port(), m_fx.ca.caCertificate(),
                            {"POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: "
                             "application/json\r\nContent-Length: 99999999999\r\n\r\n"},
                            0, 3000, &closed);
    QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.left(200).constData());
}

void TestServerMalformed::slowClientsAreCutOff_data() {
    QTest::addColumn<QList<QByteArray>>("pieces");
    QTest::addColumn<int>("pauseMs");
    QTest::newRow("head never finished")
        << QList<QByteArray>{"GET /health HTTP/1.1\r\nHost: x\r\n"} << 0;
    QTest::newRow("one byte at a time") << QList<QByteArray>{"G", "E", "T", " ", "/", "h", "e", "a",
                                                             "l", "t", "h", " ", "H", "T", "T", "P"}
                                        << 250;
    QTest::newRow("body never finished")
        << QList<QByteArray>{"POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: "
                             "application/json\r\n"
                             "Content-Length: 100\r\n\r\n{\"email\":"}
        << 0;
}

void TestServerMalformed::slowClientsAreCutOff() {
    QFETCH(QList<QByteArray>, pieces);
    QFETCH(int, pauseMs);
    QElapsedTimer clock;
    clock.start();
    bool closed = false;
    const QByteArray answer = RawClient::exchange(m_fx.server.port(), m_fx.ca.caCertificate(),
                                                  pieces, pauseMs, 8000, &closed);
    QVERIFY2(answer.startsWith("HTTP/1.1 408 "), answer.left(200).constData());
    QVERIFY(closed);
    // The deadline counts from the first byte; trickling does not extend it.
    QVERIFY2(clock.elapsed() < 7000, qPrintable(QString::number(clock.elapsed())));
}

void TestServerMalformed::idleConnectionsAreClosed() {
    bool closed = false;
    QElapsedTimer clock;
    clock.start();
    const QByteArray answer =
        RawClient::exchange(m_fx.server.port(), m_fx.ca.caCertificate(),
                            {"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"}, 0, 6000, &closed);
    QVERIFY(answer.startsWith("HTTP/1.1 200 "));
    QVERIFY(closed); // after the idle timeout, silently
    QVERIFY(clock.elapsed() >= 1500);
    QCOMPARE(answer.count("HTTP/1.1 "), 1);
}

void TestServerMalformed::pipelinedRequestsAreAnsweredInOrder() {
    const QByteArray two = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /v1/nope HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    bool closed = false;
    const QByteArray answer =
        RawClient::exchange(m_fx.server.port(), m_fx.ca.caCertificate(), {two}, 0, 5000, &closed);
    const qsizetype first = answer.indexOf("HTTP/1.1 200 ");
    const qsizetype second = answer.indexOf("HTTP/1.1 404 ");
    const qsizetype third = answer.indexOf("HTTP/1.1 200 ", second);
    QVERIFY2(first == 0 && second > first && third > second, answer.constData());
    QVERIFY(closed);
}

void TestServerMalformed::expectContinue() {
    const QByteArray head =
        "POST /v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Expect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n";
    const QByteArray answer =
        RawClient::exchange(m_fx.server.port(), m_fx.ca.caCertificate(), {head, "{}"}, 300, 5000);
    QVERIFY2(answer.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 "), answer.constData());
}

void TestServerMalformed::serverStillServes() {
    auto c = m_fx.client();
    c->setKey(m_key);
    QCOMPARE(c->get(QStringLiteral("/health")).status, 200);
    QCOMPARE(c->get(QStringLiteral("/v1/account")).status, 200);
    // None of the bad requests changed anything.
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT count(*) FROM alert_rules")), QStringLiteral("0"));
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT count(*) FROM sync_mutations")), QStringLiteral("0"));
    // Refusals are logged like any request, with the route, never the raw target.
    const QString log = m_fx.server.output();
    QVERIFY(log.contains(QStringLiteral("\"status\":413")));
    QVERIFY(log.contains(QStringLiteral("\"status\":408")));
    QVERIFY(!log.contains(QStringLiteral("..%2F")));
}

QTEST_GUILESS_MAIN(TestServerMalformed)
#include "TestServerMalformed.moc"
