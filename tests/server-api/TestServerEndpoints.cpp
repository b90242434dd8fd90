#include "ServerFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>
#include <QtTest>

using servertest::ApiClient;
using servertest::ServerFixture;

// The rest of the API: health, profile and subscription, the read-only reference data, the
// public read of a shared dashboard, and the GDPR export and erasure.
class TestServerEndpoints : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void health();
    void profile();
    void subscription();
    void referenceData_data();
    void referenceData();
    void referenceDataIsReadOnly();
    void sharedDashboard();
    void gdprExport();
    void scheduledJobs();
    void gdprErasure();
    void cleanupTestCase();

private:
    ServerFixture m_fx;
    std::unique_ptr<ApiClient> m_client;
    QString m_userId;
};

void TestServerEndpoints::initTestCase() {
    QString error;
    QVERIFY2(m_fx.setUp({}, &error), qPrintable(error));
    const QString key = m_fx.newUser(
        QStringLiteral("endpoints@example.com"), QStringLiteral("a long enough password"),
        {QStringLiteral("read"), QStringLiteral("write"), QStringLiteral("admin")}, &error,
        &m_userId);
    QVERIFY2(!key.isEmpty(), qPrintable(error));
    m_client = m_fx.client();
    m_client->setKey(key);
    // Reference data comes from the ingest side (here: the superuser), never from clients.
    const QString seeded = m_fx.sql(QStringLiteral(
        "INSERT INTO gas_predictions (chain_id, predicted_low, predicted_medium, predicted_high, "
        "predicted_instant, "
        "  confidence_score, prediction_for, timestamp) VALUES "
        "  (1, 10.25, 12.50, 15.00, 20.00, 0.87, now() + interval '1 hour', now() - interval '1 "
        "minute'), "
        "  (137, 30, 31, 32, 33, 0.5, now() + interval '1 hour', now() - interval '2 minutes'); "
        "INSERT INTO predictions (prediction_type, target_id, chain_id, predicted_value, "
        "prediction_horizon_hours, "
        "  model_name, model_version, prediction_for) VALUES "
        "  ('token_price', 'eth', 1, 3123.456789012345678901, 24, 'lstm', '1.0', now() + interval "
        "'1 day'); "
        "INSERT INTO protocol_health (protocol_id, protocol_name, tvl_usd, health_score, "
        "risk_level, status) VALUES "
        "  ('aave', 'Aave', 12345678901.23, 92, 'low', 'healthy'); "
        "INSERT INTO prices (asset_symbol, price_usd, source, timestamp) VALUES "
        "  ('ETH', 3000.123456789012345678, 'test', '2025-01-01T00:00:00Z'), "
        "  ('ETH', 3100, 'test', '2025-01-02T00:00:00Z'), ('BTC', 95000, 'test', "
        "'2025-01-01T00:00:00Z'); "
        "SELECT 'seeded'"));
    QCOMPARE(seeded, QStringLiteral("seeded"));
}

void TestServerEndpoints::cleanupTestCase() {
    m_client.reset();
    m_fx.server.stop();
}

void TestServerEndpoints::health() {
    auto anon = m_fx.client();
    const ApiClient::Reply r = anon->get(QStringLiteral("/health"));
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("database")).toString(), QStringLiteral("ok"));
    QVERIFY(r.json.value(QStringLiteral("schema_version")).toInt() >= 11);
    QVERIFY(!r.json.value(QStringLiteral("version")).toString().isEmpty());
}

void TestServerEndpoints::profile() {
    QJsonObject change;
    change.insert(QStringLiteral("first_name"), QStringLiteral("Ada"));
    change.insert(QStringLiteral("username"), QStringLiteral("ada"));
    change.insert(QStringLiteral("consent_version"), QStringLiteral("2025-10"));
    ApiClient::Reply r = m_client->patch(QStringLiteral("/v1/account"), change);
    QVERIFY2(r.status == 200, r.describe().constData());
    const QJsonObject account = r.json.value(QStringLiteral("account")).toObject();
    QCOMPARE(account.value(QStringLiteral("first_name")).toString(), QStringLiteral("Ada"));
    QVERIFY(!account.value(QStringLiteral("consent_given_at")).toString().isEmpty());
    QCOMPARE(account.value(QStringLiteral("subscription_tier")).toString(), QStringLiteral("free"));

    // Only profile fields: the subscription is not the client's to change.
    QJsonObject sneaky;
    sneaky.insert(QStringLiteral("subscription_tier"), QStringLiteral("enterprise"));
    r = m_client->patch(QStringLiteral("/v1/account"), sneaky);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json.value(QStringLiteral("field")).toString(), QStringLiteral("subscription_tier"));

    QString error;
    const QString other =
        m_fx.newUser(QStringLiteral("other@example.com"), QStringLiteral("a long enough password"),
                     {QStringLiteral("write")}, &error);
    auto o = m_fx.client();
    o->setKey(other);
    QJsonObject taken;
    taken.insert(QStringLiteral("username"), QStringLiteral("ada"));
    r = o->patch(QStringLiteral("/v1/account"), taken);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("username_taken"));
}

void TestServerEndpoints::subscription() {
    QCOMPARE(
        m_fx.sql(QStringLiteral(
                     "INSERT INTO subscriptions (user_id, tier, status, billing_cycle, price_usd, "
                     "started_at, "
                     "expires_at) VALUES ('%1', 'pro', 'active', 'yearly', 199.00, '2025-01-01Z', "
                     "'2026-01-01Z'); UPDATE users SET subscription_tier = 'pro' WHERE id = '%1'; "
                     "SELECT 1")
                     .arg(m_userId)),
        QStringLiteral("1"));
    const ApiClient::Reply r = m_client->get(QStringLiteral("/v1/account/subscription"));
    QVERIFY2(r.status == 200, r.describe().constData());
    const QJsonObject s = r.json.value(QStringLiteral("subscription")).toObject();
    QCOMPARE(s.value(QStringLiteral("tier")).toString(), QStringLiteral("pro"));
    const QJsonArray history = s.value(QStringLiteral("history")).toArray();
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().toObject().value(QStringLiteral("price_usd")).toString(),
             QStringLiteral("199.00"));
    QCOMPARE(history.first().toObject().value(QStringLiteral("started_at")).toString(),
             QStringLiteral("2025-01-01T00:00:00.000000Z"));
}

void TestServerEndpoints::referenceData_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value"); // of the first item
    QTest::newRow("gas, all chains") << QStringLiteral("/v1/reference/gas-predictions") << 2
                                     << QStringLiteral("predicted_low") << QStringLiteral("10.25");
    QTest::newRow("gas, one chain")
        << QStringLiteral("/v1/reference/gas-predictions?chain_id=137") << 1
        << QStringLiteral("predicted_medium") << QStringLiteral("31.00");
    QTest::newRow("predictions") << QStringLiteral(
                                        "/v1/reference/predictions?type=token_price&target_id=eth")
                                 << 1 << QStringLiteral("predicted_value")
                                 << QStringLiteral("3123.456789012345678901");
    QTest::newRow("protocol health")
        << QStringLiteral("/v1/reference/protocol-health?protocol_id=aave") << 1
        << QStringLiteral("tvl_usd") << QStringLiteral("12345678901.23");
    QTest::newRow("prices of a symbol")
        << QStringLiteral("/v1/reference/prices?symbol=ETH") << 2 << QStringLiteral("price_usd")
        << QStringLiteral("3100.000000000000000000");
    QTest::newRow("prices in a range")
        << QStringLiteral("/v1/reference/"
                          "prices?symbol=ETH&since=2025-01-01T00:00:00Z&until=2025-01-02T00:00:00Z")
        << 1 << QStringLiteral("price_usd") << QStringLiteral("3000.123456789012345678");
    QTest::newRow("limit") << QStringLiteral("/v1/reference/prices?limit=1") << 1
                           << QStringLiteral("timestamp")
                           << QStringLiteral("2025-01-02T00:00:00.000000Z");
}

void TestServerEndpoints::referenceData() {
    QFETCH(QString, path);
    QFETCH(int, count);
    QFETCH(QString, field);
    QFETCH(QString, value);
    const ApiClient::Reply r = m_client->get(path);
    QVERIFY2(r.status == 200, r.describe().constData());
    const QJsonArray items = r.json.value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), count);
    // Exact decimals, as strings.
    QCOMPARE(items.first().toObject().value(field).toString(), value);
}

void TestServerEndpoints::referenceDataIsReadOnly() {
    QJsonObject m;
    m.insert(QStringLiteral("mutation_id"), 1);
    m.insert(QStringLiteral("table"), QStringLiteral("prices"));
    m.insert(QStringLiteral("row_id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    m.insert(QStringLiteral("op"), QStringLiteral("insert"));
    m.insert(QStringLiteral("fields"),
             QJsonObject{{QStringLiteral("price_usd"), QStringLiteral("1")}});
    QJsonObject body;
    body.insert(QStringLiteral("client_id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    body.insert(QStringLiteral("mutations"), QJsonArray{m});
    const ApiClient::Reply r = m_client->post(QStringLiteral("/v1/sync/push"), body);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.firstResult(), QStringLiteral("rejected"));
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT count(*) FROM prices")), QStringLiteral("3"));
    QCOMPARE(m_client
                 ->send("POST", QStringLiteral("/v1/reference/prices"), "{}",
                        {{"Content-Type", "application/json"}})
                 .status,
             405);
}

void TestServerEndpoints::sharedDashboard() {
    const QString token = QStringLiteral("Sh4r3d_T0ken-") + QString(32, QLatin1Char('x'));
    const QString row = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QJsonObject fields;
    fields.insert(QStringLiteral("name"), QStringLiteral("My public board"));
    fields.insert(QStringLiteral("layout"), QStringLiteral(R"({"columns": 12})"));
    fields.insert(QStringLiteral("widgets"), QStringLiteral(R"([{"type": "gas"}])"));
    fields.insert(QStringLiteral("is_public"), QStringLiteral("true"));
    fields.insert(QStringLiteral("share_token"), token);
    QJsonObject m;
    m.insert(QStringLiteral("mutation_id"), 1);
    m.insert(QStringLiteral("table"), QStringLiteral("dashboards"));
    m.insert(QStringLiteral("row_id"), row);
    m.insert(QStringLiteral("op"), QStringLiteral("insert"));
    m.insert(QStringLiteral("fields"), fields);
    QJsonObject body;
    body.insert(QStringLiteral("client_id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    body.insert(QStringLiteral("mutations"), QJsonArray{m});
    ApiClient::Reply r = m_client->post(QStringLiteral("/v1/sync/push"), body);
    QVERIFY2(r.firstResult() == QLatin1String("applied"), r.describe().constData());

    auto anon = m_fx.client(); // no key: the link is the capability
    r = anon->get(QStringLiteral("/v1/shared/dashboards/") + token);
    QVERIFY2(r.status == 200, r.describe().constData());
    QJsonObject d = r.json.value(QStringLiteral("dashboard")).toObject();
    QCOMPARE(d.value(QStringLiteral("name")).toString(), QStringLiteral("My public board"));
    QCOMPARE(d.value(QStringLiteral("view_count")).toInt(), 1);
    QCOMPARE(d.value(QStringLiteral("layout")).toObject().value(QStringLiteral("columns")).toInt(),
             12);
    QVERIFY(!d.contains(QStringLiteral("user_id")));
    QVERIFY(!d.contains(QStringLiteral("share_token")));
    r = anon->get(QStringLiteral("/v1/shared/dashboards/") + token);
    QCOMPARE(r.json.value(QStringLiteral("dashboard"))
                 .toObject()
                 .value(QStringLiteral("view_count"))
                 .toInt(),
             2);
    // Counting views is bookkeeping: the dashboard's version and the feed do not move.
    QCOMPARE(m_fx.sql(QStringLiteral(
                          "SELECT row_version || ' ' || view_count FROM dashboards WHERE id = '%1'")
                          .arg(row)),
             QStringLiteral("1 2"));

    QCOMPARE(
        anon->get(QStringLiteral("/v1/shared/dashboards/") + QString(40, QLatin1Char('z'))).status,
        404);
    QCOMPARE(anon->get(QStringLiteral("/v1/shared/dashboards/short")).status, 404);
    // The token never reaches the log.
    QVERIFY(!m_fx.server.output().contains(token));
}

void TestServerEndpoints::gdprExport() {
    const ApiClient::Reply r = m_client->get(QStringLiteral("/v1/account/export"));
    QVERIFY2(r.status == 200, r.describe().left(500).constData());
    QCOMPARE(
        r.json.value(QStringLiteral("user")).toObject().value(QStringLiteral("email")).toString(),
        QStringLiteral("endpoints@example.com"));
    QVERIFY(r.json.contains(QStringLiteral("alerts")));
    QVERIFY(r.json.contains(QStringLiteral("portfolios")));
    QVERIFY(r.json.contains(QStringLiteral("tax_reports")));
    QCOMPARE(r.json.value(QStringLiteral("dashboards")).toArray().size(), 1);
    QVERIFY(!r.body.contains("password_hash"));
    QVERIFY(!r.body.contains("key_hash"));
    QVERIFY(!r.body.contains("$argon2id$"));
    QCOMPARE(
        m_fx.sql(
            QStringLiteral(
                "SELECT count(*) FROM audit_logs WHERE action = 'gdpr_export' AND user_id = '%1'")
                .arg(m_userId)),
        QStringLiteral("1"));
}

void TestServerEndpoints::scheduledJobs() {
    // Without pg_cron the schema's jobs are the server's (or an operator's cron's) to run,
    // as llamadesk_jobs: the application role may not call them.
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT extension_installed('pg_cron')")),
             QStringLiteral("f"));
    QCOMPARE(m_fx.sql(QStringLiteral(
                          "INSERT INTO portfolio_assets (user_id, asset_type, asset_symbol, "
                          "chain_id, balance, "
                          "balance_usd) VALUES ('%1', 'token', 'ETH', 1, 2, 6000.50); SELECT 1")
                          .arg(m_userId)),
             QStringLiteral("1"));
    const QString jobsUrl =
        m_fx.pg.url(QLatin1String(ServerFixture::kDatabase), QStringLiteral("llamadesk_jobs"));
    servertest::ServerProcess::Run run = servertest::ServerProcess::runOnce(
        {QStringLiteral("jobs"), QStringLiteral("--database"), jobsUrl});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    for (const char* job :
         {"reset-alert-counts", "llamadesk-portfolio-summary", "llamadesk-traders-leaderboard",
          "llamadesk-gas-price-hourly", "llamadesk-partition-maintenance", "llamadesk-sync-prune",
          "llamadesk-auth-prune"})
        QVERIFY2(run.out.contains(QLatin1String(job)), qPrintable(run.out));
    QCOMPARE(m_fx.sql(QStringLiteral(
                          "SELECT total_value_usd FROM user_portfolio_summary WHERE user_id = '%1'")
                          .arg(m_userId)),
             QStringLiteral("6000.50"));
    run = servertest::ServerProcess::runOnce({QStringLiteral("jobs"), QStringLiteral("--database"),
                                              jobsUrl, QStringLiteral("--job"),
                                              QStringLiteral("nope")});
    QCOMPARE(run.exitCode, 1);
    // The application role cannot run them.
    run = servertest::ServerProcess::runOnce({QStringLiteral("jobs"), QStringLiteral("--database"),
                                              m_fx.appUrl(), QStringLiteral("--job"),
                                              QStringLiteral("llamadesk-sync-prune")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("permission denied")), qPrintable(run.err));
}

void TestServerEndpoints::gdprErasure() {
    QJsonObject wrong;
    wrong.insert(QStringLiteral("password"), QStringLiteral("not my password"));
    ApiClient::Reply r = m_client->post(QStringLiteral("/v1/account/delete"), wrong);
    QCOMPARE(r.status, 403);
    QCOMPARE(
        m_fx.sql(
            QStringLiteral("SELECT deleted_at IS NULL FROM users WHERE id = '%1'").arg(m_userId)),
        QStringLiteral("t"));

    QJsonObject right;
    right.insert(QStringLiteral("password"), QStringLiteral("a long enough password"));
    r = m_client->post(QStringLiteral("/v1/account/delete"), right);
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(
        m_fx.sql(
            QStringLiteral(
                "SELECT email || ' ' || (password_hash IS NULL) || ' ' || (deleted_at IS NOT NULL) "
                "FROM users WHERE id = '%1'")
                .arg(m_userId)),
        QStringLiteral("deleted_%1@deleted.invalid true true").arg(m_userId));
    QCOMPARE(
        m_fx.sql(
            QStringLiteral("SELECT count(*) FROM dashboards WHERE user_id = '%1'").arg(m_userId)),
        QStringLiteral("0"));
    // Its keys are gone, and signing in no longer works.
    QCOMPARE(m_client->get(QStringLiteral("/v1/account")).status, 401);
    auto anon = m_fx.client();
    QJsonObject in;
    in.insert(QStringLiteral("email"), QStringLiteral("endpoints@example.com"));
    in.insert(QStringLiteral("password"), QStringLiteral("a long enough password"));
    QCOMPARE(anon->post(QStringLiteral("/v1/auth/sign-in"), in).status, 401);
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT count(*) FROM audit_logs WHERE action = 'GDPR_DELETE' "
                                     "AND resource_id = '%1'")
                          .arg(m_userId)),
             QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(TestServerEndpoints)
#include "TestServerEndpoints.moc"
