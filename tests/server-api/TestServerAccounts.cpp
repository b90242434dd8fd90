#include "ServerFixture.h"
#include "auth/Totp.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

using llamadesk::server::Totp;
using servertest::ApiClient;
using servertest::ServerFixture;

// Accounts through the real server over TLS: sign-up, sign-in, second factor, API keys
// (revocation, expiry, allowed addresses, scopes, rate limits), sign-in throttling and
// auditing, and every cross-user attempt refused.
class TestServerAccounts : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void signUpAndSignIn();
    void signUpRefusals_data();
    void signUpRefusals();
    void failedSignInsAreAuditedAndThrottled();
    void twoFactor();
    void keyRevocation();
    void expiredAndAddressBoundKeys();
    void scopes_data();
    void scopes();
    void rateLimits_data();
    void rateLimits();
    void crossUserAccessIsRefused();
    void logsHoldNoSecrets();
    void cleanupTestCase();

private:
    QString user(const QString& email, const QStringList& scopes, QString* userId = nullptr);
    static QJsonObject credentials(const QString& email, const QString& password);

    ServerFixture m_fx;
    QStringList m_secrets; // must never appear in the server's output
    const QString m_password = QStringLiteral("correct horse battery staple");
};

QJsonObject TestServerAccounts::credentials(const QString& email, const QString& password) {
    QJsonObject o;
    o.insert(QStringLiteral("email"), email);
    o.insert(QStringLiteral("password"), password);
    return o;
}

QString TestServerAccounts::user(const QString& email, const QStringList& scopes, QString* userId) {
    QString error;
    const QString key = m_fx.newUser(email, m_password, scopes, &error, userId);
    if (key.isEmpty())
        qWarning("%s", qPrintable(error));
    m_secrets.append(key);
    return key;
}

void TestServerAccounts::initTestCase() {
    QJsonObject overrides;
    overrides.insert(QStringLiteral("login_free_failures"), 3);
    overrides.insert(QStringLiteral("login_backoff_base_seconds"), 2);
    QString error;
    QVERIFY2(m_fx.setUp(overrides, &error), qPrintable(error));
    m_secrets.append(m_password);
}

void TestServerAccounts::cleanupTestCase() {
    m_fx.server.stop();
}

void TestServerAccounts::signUpAndSignIn() {
    auto c = m_fx.client();
    ApiClient::Reply r = c->post(QStringLiteral("/v1/auth/sign-up"),
                                 credentials(QStringLiteral("Ann@Example.com"), m_password));
    QVERIFY2(r.status == 201, r.describe().constData());
    const QString userId = r.json.value(QStringLiteral("user_id")).toString();
    QVERIFY(!userId.isEmpty());

    // Emails are unique regardless of case.
    r = c->post(QStringLiteral("/v1/auth/sign-up"),
                credentials(QStringLiteral("ann@example.COM"), m_password));
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("email_taken"));

    QJsonObject in = credentials(QStringLiteral("ann@example.com"), m_password);
    in.insert(QStringLiteral("scopes"),
              QJsonArray{QStringLiteral("read"), QStringLiteral("admin")});
    in.insert(QStringLiteral("device_name"), QStringLiteral("laptop"));
    r = c->post(QStringLiteral("/v1/auth/sign-in"), in);
    QVERIFY2(r.status == 200, r.describe().constData());
    const QString key = r.json.value(QStringLiteral("api_key")).toString();
    m_secrets.append(key);
    QVERIFY2(QRegularExpression(QStringLiteral("^ldk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$"))
                 .match(key)
                 .hasMatch(),
             qPrintable(key));
    QCOMPARE(r.json.value(QStringLiteral("user_id")).toString(), userId);
    QCOMPARE(r.json.value(QStringLiteral("scopes")).toArray().size(), 2);
    QVERIFY(!r.json.value(QStringLiteral("expires_at")).toString().isEmpty());

    // Stored: only the SHA-256 and the prefix; the password only as Argon2id.
    const QByteArray hash =
        QCryptographicHash::hash(key.toLatin1(), QCryptographicHash::Sha256).toHex();
    QCOMPARE(m_fx.sql(QStringLiteral(
                          "SELECT key_prefix || ' ' || name FROM api_keys WHERE key_hash = '%1'")
                          .arg(QString::fromLatin1(hash))),
             key.mid(4, 8) + QStringLiteral(" laptop"));
    QCOMPARE(
        m_fx.sql(QStringLiteral(
            "SELECT count(*) FROM api_keys WHERE key_hash LIKE '%ldk_%' OR name LIKE '%ldk_%'")),
        QStringLiteral("0"));
    QVERIFY(m_fx.sql(QStringLiteral("SELECT password_hash FROM users WHERE id = '%1'").arg(userId))
                .startsWith(QStringLiteral("$argon2id$v=19$")));
    QCOMPARE(
        m_fx.sql(QStringLiteral(
                     "SELECT count(*) FROM audit_logs WHERE action = 'login' AND user_id = '%1'")
                     .arg(userId)),
        QStringLiteral("1"));

    c->setKey(key);
    r = c->get(QStringLiteral("/v1/account"));
    QVERIFY2(r.status == 200, r.describe().constData());
    const QJsonObject account = r.json.value(QStringLiteral("account")).toObject();
    QCOMPARE(account.value(QStringLiteral("email")).toString(), QStringLiteral("Ann@Example.com"));
    QVERIFY(!account.contains(QStringLiteral("password_hash")));
    QVERIFY(!account.contains(QStringLiteral("two_factor_secret")));
}

void TestServerAccounts::signUpRefusals_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::newRow("not an email") << QByteArray(
                                         R"({"email":"nobody","password":"long enough password"})")
                                  << 400 << QStringLiteral("email");
    QTest::newRow("short password") << QByteArray(R"({"email":"b@example.com","password":"short"})")
                                    << 400 << QStringLiteral("password");
    QTest::newRow("missing password")
        << QByteArray(R"({"email":"b@example.com"})") << 400 << QStringLiteral("password");
    QTest::newRow("number as email")
        << QByteArray(R"({"email":5,"password":"long enough password"})") << 400
        << QStringLiteral("email");
    QTest::newRow("unknown field")
        << QByteArray(
               R"({"email":"b@example.com","password":"long enough password","is_admin":true})")
        << 400 << QStringLiteral("is_admin");
    QTest::newRow("too long name")
        << QByteArray(
               R"({"email":"b@example.com","password":"long enough password","first_name":")" +
               QByteArray(101, 'x') + "\"}")
        << 400 << QStringLiteral("first_name");
}

void TestServerAccounts::signUpRefusals() {
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    auto c = m_fx.client();
    const ApiClient::Reply r = c->send("POST", QStringLiteral("/v1/auth/sign-up"), body,
                                       {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == status, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("field")).toString(), field);
    QVERIFY(!r.json.value(QStringLiteral("reason")).toString().isEmpty());
}

void TestServerAccounts::failedSignInsAreAuditedAndThrottled() {
    QString userId;
    user(QStringLiteral("carol@example.com"), {QStringLiteral("read")}, &userId);
    auto c = m_fx.client();
    // Unknown email and wrong password get the same answer.
    ApiClient::Reply r = c->post(QStringLiteral("/v1/auth/sign-in"),
                                 credentials(QStringLiteral("nobody@example.com"), m_password));
    QCOMPARE(r.status, 401);
    const QString unknownMessage = r.json.value(QStringLiteral("message")).toString();
    for (int i = 0; i < 3; ++i) {
        r = c->post(QStringLiteral("/v1/auth/sign-in"),
                    credentials(QStringLiteral("carol@example.com"),
                                QStringLiteral("wrong password %1").arg(i)));
        QVERIFY2(r.status == 401, r.describe().constData());
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_credentials"));
        QCOMPARE(r.json.value(QStringLiteral("message")).toString(), unknownMessage);
    }
    QCOMPARE(
        m_fx.sql(
            QStringLiteral(
                "SELECT count(*) FROM audit_logs WHERE action = 'login_failed' AND user_id = '%1' "
                "AND status = 'failure'")
                .arg(userId)),
        QStringLiteral("3"));
    QCOMPARE(m_fx.sql(QStringLiteral(
                 "SELECT count(*) FROM login_attempts WHERE email = 'carol@example.com' "
                 "AND failure_reason = 'bad_password'")),
             QStringLiteral("3"));

    // Three free failures used up: even the right password waits now.
    r = c->post(QStringLiteral("/v1/auth/sign-in"),
                credentials(QStringLiteral("carol@example.com"), m_password));
    QVERIFY2(r.status == 429, r.describe().constData());
    QCOMPARE(r.errorCode(), QStringLiteral("sign_in_throttled"));
    const int wait = r.header("retry-after").toInt();
    QVERIFY2(wait >= 1 && wait <= 2, r.header("retry-after").constData());
    QVERIFY(
        m_fx.sql(QStringLiteral("SELECT count(*) FROM audit_logs WHERE action = 'login_throttled'"))
            .toInt() >= 1);
    // Hammering while throttled does not lengthen the wait.
    r = c->post(QStringLiteral("/v1/auth/sign-in"),
                credentials(QStringLiteral("carol@example.com"), m_password));
    QCOMPARE(r.status, 429);
    QVERIFY(r.header("retry-after").toInt() <= wait);

    QTest::qWait(wait * 1000 + 200);
    r = c->post(QStringLiteral("/v1/auth/sign-in"),
                credentials(QStringLiteral("carol@example.com"), m_password));
    QVERIFY2(r.status == 200, r.describe().constData());
    m_secrets.append(r.json.value(QStringLiteral("api_key")).toString());
    // A success starts the count again.
    r = c->post(QStringLiteral("/v1/auth/sign-in"),
                credentials(QStringLiteral("carol@example.com"), QStringLiteral("wrong again")));
    QCOMPARE(r.status, 401);
}

void TestServerAccounts::twoFactor() {
    const QString key =
        user(QStringLiteral("dave@example.com"), {QStringLiteral("read"), QStringLiteral("admin")});
    auto c = m_fx.client();
    c->setKey(key);
    ApiClient::Reply r = c->post(QStringLiteral("/v1/account/two-factor/setup"), {});
    QVERIFY2(r.status == 200, r.describe().constData());
    const QString base32 = r.json.value(QStringLiteral("secret")).toString();
    m_secrets.append(base32);
    QVERIFY(r.json.value(QStringLiteral("otpauth_uri")).toString().contains(base32));
    const QByteArray secret = Totp::fromBase32(base32);
    QCOMPARE(secret.size(), 20);
    // Stored encrypted, never as the secret itself.
    QCOMPARE(
        m_fx.sql(QStringLiteral(
                     "SELECT count(*) FROM users WHERE email = 'dave@example.com' AND "
                     "two_factor_secret IS NOT NULL AND position('%1' in two_factor_secret) = 0")
                     .arg(base32)),
        QStringLiteral("1"));

    QJsonObject wrong;
    wrong.insert(QStringLiteral("code"), QStringLiteral("000000"));
    if (Totp::verify(secret, QStringLiteral("000000"), QDateTime::currentSecsSinceEpoch()))
        wrong.insert(QStringLiteral("code"), QStringLiteral("000001"));
    r = c->post(QStringLiteral("/v1/account/two-factor/enable"), wrong);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_second_factor"));
    // Codes of the previous, current and next 30-second steps are valid now (clock drift);
    // each step is accepted once. Start early in a step so that all three stay valid.
    if (QDateTime::currentSecsSinceEpoch() % Totp::kStepSeconds > Totp::kStepSeconds - 8)
        QTest::qWait(static_cast<int>(
            (Totp::kStepSeconds - QDateTime::currentSecsSinceEpoch() % Totp::kStepSeconds) * 1000 +
            200));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    auto codeAt = [&](int stepOffset) {
        QJsonObject o;
        o.insert(QStringLiteral("code"), Totp::code(secret, now + stepOffset * Totp::kStepSeconds));
        return o;
    };
    const QJsonObject previous = codeAt(-1);
    r = c->post(QStringLiteral("/v1/account/two-factor/enable"), previous);
    QVERIFY2(r.status == 200, r.describe().constData());

    auto anon = m_fx.client();
    QJsonObject in = credentials(QStringLiteral("dave@example.com"), m_password);
    r = anon->post(QStringLiteral("/v1/auth/sign-in"), in);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("second_factor_required"));
    in.insert(QStringLiteral("totp"), wrong.value(QStringLiteral("code")));
    r = anon->post(QStringLiteral("/v1/auth/sign-in"), in);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_second_factor"));
    // The code that turned two-factor sign-in on was used: replaying it is refused.
    in.insert(QStringLiteral("totp"), previous.value(QStringLiteral("code")));
    r = anon->post(QStringLiteral("/v1/auth/sign-in"), in);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_second_factor"));
    QCOMPARE(m_fx.sql(QStringLiteral(
                 "SELECT count(*) FROM login_attempts WHERE email = 'dave@example.com' "
                 "AND failure_reason = 'bad_second_factor'")),
             QStringLiteral("2"));
    in.insert(QStringLiteral("totp"), codeAt(0).value(QStringLiteral("code")));
    r = anon->post(QStringLiteral("/v1/auth/sign-in"), in);
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("two_factor_enabled")).toBool(), true);
    m_secrets.append(r.json.value(QStringLiteral("api_key")).toString());
    // The same code again, within its window (a captured code replayed): refused.
    r = anon->post(QStringLiteral("/v1/auth/sign-in"), in);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_second_factor"));

    // One step of clock drift ahead is accepted too.
    r = c->post(QStringLiteral("/v1/account/two-factor/disable"), codeAt(1));
    QVERIFY2(r.status == 200, r.describe().constData());
    r = anon->post(QStringLiteral("/v1/auth/sign-in"),
                   credentials(QStringLiteral("dave@example.com"), m_password));
    QVERIFY2(r.status == 200, r.describe().constData());
    m_secrets.append(r.json.value(QStringLiteral("api_key")).toString());
}

void TestServerAccounts::keyRevocation() {
    const QString first =
        user(QStringLiteral("erin@example.com"), {QStringLiteral("read"), QStringLiteral("admin")});
    auto c = m_fx.client();
    QJsonObject in = credentials(QStringLiteral("erin@example.com"), m_password);
    ApiClient::Reply r = c->post(QStringLiteral("/v1/auth/sign-in"), in);
    QVERIFY2(r.status == 200, r.describe().constData());
    const QString second = r.json.value(QStringLiteral("api_key")).toString();
    const QString secondId = r.json.value(QStringLiteral("key_id")).toString();
    m_secrets.append(second);

    c->setKey(first);
    r = c->get(QStringLiteral("/v1/keys"));
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("keys")).toArray().size(), 2);
    QVERIFY(!r.body.contains("key_hash"));
    r = c->del(QStringLiteral("/v1/keys/") + secondId);
    QVERIFY2(r.status == 200, r.describe().constData());
    r = c->del(QStringLiteral("/v1/keys/") + secondId);
    QCOMPARE(r.status, 404);

    auto other = m_fx.client();
    other->setKey(second);
    r = other->get(QStringLiteral("/v1/account"));
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_key"));
    QVERIFY(r.header("www-authenticate").startsWith("Bearer"));

    r = c->post(QStringLiteral("/v1/auth/sign-out"), {});
    QVERIFY2(r.status == 200, r.describe().constData());
    r = c->get(QStringLiteral("/v1/account"));
    QCOMPARE(r.status, 401);
    QCOMPARE(
        m_fx.sql(QStringLiteral(
            "SELECT count(*) FROM api_keys k JOIN users u ON u.id = k.user_id "
            "WHERE u.email = 'erin@example.com' AND k.revoked_at IS NOT NULL AND NOT k.is_active")),
        QStringLiteral("2"));
}

void TestServerAccounts::expiredAndAddressBoundKeys() {
    const QString admin = user(QStringLiteral("frank@example.com"),
                               {QStringLiteral("read"), QStringLiteral("admin")});
    auto c = m_fx.client();
    c->setKey(admin);
    auto make = [&](const QJsonObject& extra) {
        QJsonObject body = extra;
        body.insert(QStringLiteral("name"), QStringLiteral("scripted"));
        const ApiClient::Reply r = c->post(QStringLiteral("/v1/keys"), body);
        m_secrets.append(r.json.value(QStringLiteral("api_key")).toString());
        return r;
    };
    QJsonObject far;
    far.insert(QStringLiteral("allowed_ips"), QJsonArray{QStringLiteral("10.0.0.0/8")});
    ApiClient::Reply r = make(far);
    QVERIFY2(r.status == 201, r.describe().constData());
    auto k = m_fx.client();
    k->setKey(r.json.value(QStringLiteral("api_key")).toString());
    QCOMPARE(k->get(QStringLiteral("/v1/account")).status, 401); // not from 127.0.0.1

    QJsonObject near;
    near.insert(QStringLiteral("allowed_ips"), QJsonArray{QStringLiteral("127.0.0.1")});
    r = make(near);
    QVERIFY2(r.status == 201, r.describe().constData());
    k->setKey(r.json.value(QStringLiteral("api_key")).toString());
    QCOMPARE(k->get(QStringLiteral("/v1/account")).status, 200);
    // Expired: the database's clock decides.
    QCOMPARE(
        m_fx.sql(QStringLiteral(
                     "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = '%1' "
                     "RETURNING 1")
                     .arg(r.json.value(QStringLiteral("key_id")).toString())),
        QStringLiteral("1"));
    QCOMPARE(k->get(QStringLiteral("/v1/account")).status, 401);

    QJsonObject bad;
    bad.insert(QStringLiteral("allowed_ips"), QJsonArray{QStringLiteral("not-an-address")});
    r = make(bad);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json.value(QStringLiteral("field")).toString(), QStringLiteral("allowed_ips[0]"));
    QJsonObject greedy;
    greedy.insert(QStringLiteral("rate_limit_per_hour"), 1000000);
    QCOMPARE(make(greedy).status, 400); // not above the server's default
}

void TestServerAccounts::scopes_data() {
    QTest::addColumn<QStringList>("scopes");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    const QStringList read = {QStringLiteral("read")};
    const QStringList write = {QStringLiteral("read"), QStringLiteral("write")};
    const QStringList admin = {QStringLiteral("admin")};
    QTest::newRow("read reads") << read << QByteArray("GET") << QStringLiteral("/v1/account")
                                << 200;
    QTest::newRow("read cannot push")
        << read << QByteArray("POST") << QStringLiteral("/v1/sync/push") << 403;
    QTest::newRow("read cannot change the profile")
        << read << QByteArray("PATCH") << QStringLiteral("/v1/account") << 403;
    QTest::newRow("read cannot list keys")
        << read << QByteArray("GET") << QStringLiteral("/v1/keys") << 403;
    QTest::newRow("write pushes") << write << QByteArray("POST") << QStringLiteral("/v1/sync/push")
                                  << 200;
    QTest::newRow("write cannot make keys")
        << write << QByteArray("POST") << QStringLiteral("/v1/keys") << 403;
    QTest::newRow("write cannot export")
        << write << QByteArray("GET") << QStringLiteral("/v1/account/export") << 403;
    QTest::newRow("admin lists keys")
        << admin << QByteArray("GET") << QStringLiteral("/v1/keys") << 200;
    QTest::newRow("admin alone cannot read")
        << admin << QByteArray("GET") << QStringLiteral("/v1/account") << 403;
}

void TestServerAccounts::scopes() {
    QFETCH(QStringList, scopes);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    static int n = 0;
    const QString key = user(QStringLiteral("scoped%1@example.com").arg(++n), scopes);
    QVERIFY(!key.isEmpty());
    auto c = m_fx.client();
    c->setKey(key);
    QByteArray body;
    if (path == QLatin1String("/v1/sync/push"))
        body = R"({"client_id":"0d3e8f5c-8a56-4b8e-9a55-3f6f1e1f0001","mutations":[{"mutation_id":1,
                   "table":"alert_rules","row_id":"0d3e8f5c-8a56-4b8e-9a55-3f6f1e1f0002","op":"delete",
                   "base_row_version":1}]})";
    else if (path == QLatin1String("/v1/keys") && method == "POST")
        body = R"({"name":"x"})";
    else if (method == "PATCH")
        body = R"({"first_name":"X"})";
    const ApiClient::Reply r = c->send(method, path, body, {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == status, r.describe().constData());
    if (status == 403) {
        QCOMPARE(r.errorCode(), QStringLiteral("insufficient_scope"));
        QVERIFY(!r.json.value(QStringLiteral("required_scope")).toString().isEmpty());
    }
}

void TestServerAccounts::rateLimits_data() {
    QTest::addColumn<QString>("limit");
    QTest::addColumn<int>("maxWait");
    QTest::newRow("hourly") << QStringLiteral("rate_limit_per_hour") << 3600;
    QTest::newRow("daily") << QStringLiteral("rate_limit_per_day") << 86400;
}

void TestServerAccounts::rateLimits() {
    QFETCH(QString, limit);
    QFETCH(int, maxWait);
    static int n = 0;
    const QString admin =
        user(QStringLiteral("limited%1@example.com").arg(++n), {QStringLiteral("admin")});
    auto c = m_fx.client();
    c->setKey(admin);
    QJsonObject body;
    body.insert(QStringLiteral("name"), QStringLiteral("small"));
    body.insert(QStringLiteral("scopes"), QJsonArray{QStringLiteral("read")});
    body.insert(limit, 3);
    ApiClient::Reply r = c->post(QStringLiteral("/v1/keys"), body);
    QVERIFY2(r.status == 201, r.describe().constData());
    auto k = m_fx.client();
    k->setKey(r.json.value(QStringLiteral("api_key")).toString());
    m_secrets.append(k->key());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(k->get(QStringLiteral("/v1/account")).status, 200);
    r = k->get(QStringLiteral("/v1/account"));
    QVERIFY2(r.status == 429, r.describe().constData());
    QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
    const int wait = r.header("retry-after").toInt();
    QVERIFY2(wait >= 1 && wait <= maxWait, r.header("retry-after").constData());
    QCOMPARE(k->get(QStringLiteral("/health")).status, 200); // public endpoints are not counted
    QCOMPARE(k->get(QStringLiteral("/v1/account")).status, 429);
}

void TestServerAccounts::crossUserAccessIsRefused() {
    QString aliceId;
    QString bobId;
    const QStringList all = {QStringLiteral("read"), QStringLiteral("write"),
                             QStringLiteral("admin")};
    const QString alice = user(QStringLiteral("alice@example.com"), all, &aliceId);
    const QString bob = user(QStringLiteral("bob@example.com"), all, &bobId);
    auto a = m_fx.client();
    a->setKey(alice);
    auto b = m_fx.client();
    b->setKey(bob);
    const QString aliceClient = QStringLiteral("a11ce000-0000-4000-8000-000000000001");
    const QString row = QStringLiteral("a11ce000-0000-4000-8000-0000000000aa");
    ApiClient::Reply r = a->send(
        "POST", QStringLiteral("/v1/sync/push"),
        QStringLiteral(R"({"client_id":"%1","mutations":[{"mutation_id":1,"table":"alert_rules",
                                   "row_id":"%2","op":"insert","fields":{"name":"mine","alert_type":"price_change",
                                   "target_type":"token","target_id":"eth","condition_operator":">",
                                   "threshold_value":"1"}}]})")
            .arg(aliceClient, row)
            .toUtf8(),
        {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.firstResult(), QStringLiteral("applied"));

    // Bob's attempts on Alice's row: not found, as if it did not exist.
    const QString bobClient = QStringLiteral("b0b00000-0000-4000-8000-000000000001");
    r = b->send("POST", QStringLiteral("/v1/sync/push"),
                QStringLiteral(R"({"client_id":"%1","mutations":[
                  {"mutation_id":1,"table":"alert_rules","row_id":"%2","op":"update","base_row_version":1,
                   "fields":{"name":"stolen"},"base":{"name":"mine"}},
                  {"mutation_id":2,"table":"alert_rules","row_id":"%2","op":"delete","base_row_version":1},
                  {"mutation_id":3,"table":"alert_rules","row_id":"%2","op":"insert","fields":{"name":"dup",
                   "alert_type":"price_change","target_type":"token","target_id":"eth","condition_operator":">",
                   "threshold_value":"1"}},
                  {"mutation_id":4,"table":"users","row_id":"%3","op":"update","base_row_version":1,
                   "fields":{"first_name":"Mallory"},"base":{"first_name":null}},
                  {"mutation_id":5,"table":"sync_conflicts","row_id":"%2","op":"update","base_row_version":1,
                   "fields":{"resolution":"took_server"},"base":{"resolution":null}}]})")
                    .arg(bobClient, row, aliceId)
                    .toUtf8(),
                {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == 200, r.describe().constData());
    const QJsonArray results = r.json.value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 5);
    for (const QJsonValue& v : results)
        QVERIFY2(v.toObject().value(QStringLiteral("result")).toString() ==
                     QLatin1String("rejected"),
                 QJsonDocument(v.toObject()).toJson().constData());
    QVERIFY(results.at(0)
                .toObject()
                .value(QStringLiteral("reason"))
                .toString()
                .startsWith(QStringLiteral("not_found")));
    // Her account row: profile fields are writable through sync, but only one's own.
    QVERIFY(results.at(3)
                .toObject()
                .value(QStringLiteral("reason"))
                .toString()
                .startsWith(QStringLiteral("not_found")));

    // Bob cannot use Alice's device id, revoke her keys, or see her rows.
    r = b->get(QStringLiteral("/v1/sync/pull?client_id=") + aliceClient);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.errorCode(), QStringLiteral("client_not_yours"));
    const QString aliceKeyId = m_fx.sql(
        QStringLiteral("SELECT id FROM api_keys WHERE user_id = '%1' LIMIT 1").arg(aliceId));
    QCOMPARE(b->del(QStringLiteral("/v1/keys/") + aliceKeyId).status, 404);
    r = b->get(QStringLiteral("/v1/sync/snapshot?table=alert_rules"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(QStringLiteral("rows")).toArray().size(), 0);
    r = b->get(QStringLiteral("/v1/sync/pull?client_id=") + bobClient);
    QVERIFY2(!r.body.contains(row.toUtf8()), r.body.constData());
    QVERIFY(!r.body.contains("alice@example.com"));
    // Bob's export holds his own refused attempts (they name the ids he tried) but nothing of
    // Alice's.
    r = b->get(QStringLiteral("/v1/account/export"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("bob@example.com"));
    QVERIFY(!r.body.contains("\"mine\""));
    QVERIFY(!r.body.contains("alice@example.com"));

    QCOMPARE(
        m_fx.sql(
            QStringLiteral(
                "SELECT name || ' ' || row_version || ' ' || (deleted_at IS NULL) FROM alert_rules "
                "WHERE id = '%1'")
                .arg(row)),
        QStringLiteral("mine 1 true"));
    QCOMPARE(
        m_fx.sql(
            QStringLiteral(
                "SELECT count(*) FROM api_keys WHERE user_id = '%1' AND revoked_at IS NOT NULL")
                .arg(aliceId)),
        QStringLiteral("0"));
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT coalesce(first_name, '-') FROM users WHERE id = '%1'")
                          .arg(aliceId)),
             QStringLiteral("-"));
}

void TestServerAccounts::logsHoldNoSecrets() {
    const QString log = m_fx.server.output();
    QVERIFY(log.contains(QStringLiteral("\"event\":\"request\"")));
    QVERIFY(m_secrets.size() > 10);
    for (const QString& secret : std::as_const(m_secrets)) {
        if (!secret.isEmpty())
            QVERIFY2(!log.contains(secret),
                     qPrintable(QStringLiteral("the log holds a secret: ") + secret.left(8)));
    }
    QVERIFY(!log.contains(QStringLiteral("ldk_")));
    QVERIFY(!log.contains(QLatin1String(ServerFixture::kEncryptionKey)));
    QVERIFY(!log.contains(QStringLiteral("argon2id")));
}

QTEST_GUILESS_MAIN(TestServerAccounts)
#include "TestServerAccounts.moc"
