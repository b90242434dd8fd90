#include "domain/Timestamp.h"
#include "domain/Uuid.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TaxInputRecord.h"

#include "TestSupport.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using llamadesk::store::Migrator;
using llamadesk::store::SqlCipherDriver;

namespace {

const QString kUser = QStringLiteral("00000000-0000-4000-8000-0000000000a1");
const QString kRule = QStringLiteral("00000000-0000-4000-8000-0000000000a2");

// The tables a client writes and pushes: they carry the outbox triggers.
const QStringList kTwoWayTables{QStringLiteral("users"),
                                QStringLiteral("alert_rules"),
                                QStringLiteral("tax_transactions"),
                                QStringLiteral("tax_reports"),
                                QStringLiteral("cost_basis_lots"),
                                QStringLiteral("portfolio_assets"),
                                QStringLiteral("portfolio_snapshots"),
                                QStringLiteral("dashboards")};

// Columns never recorded as changed: identity and the server's bookkeeping.
const QStringList kUntracked{QStringLiteral("id"), QStringLiteral("row_version"),
                             QStringLiteral("updated_at")};

QByteArray randomKey() {
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / qsizetype(sizeof(quint32)));
    return key;
}

// A minimal valid row per table. :id is the row's id (the asset for prices), :n a small number
// that keeps natural keys unique.
QString sampleInsert(const QString& table) {
    static const QHash<QString, QString> samples{
        {QStringLiteral("users"),
         QStringLiteral("INSERT INTO users (id, email) VALUES (:id, :id || '@example.com')")},
        {QStringLiteral("subscriptions"),
         QStringLiteral("INSERT INTO subscriptions (id, user_id, tier, status, started_at) VALUES "
                        "(:id, :user, 'pro', 'active', '2025-01-01T00:00:00.000000Z')")},
        {QStringLiteral("api_keys"),
         QStringLiteral("INSERT INTO api_keys (id, user_id, key_prefix, name) VALUES "
                        "(:id, :user, 'ldk_1234', 'CLI')")},
        {QStringLiteral("alert_rules"),
         QStringLiteral("INSERT INTO alert_rules (id, user_id, name, alert_type, target_type, "
                        "target_id, condition_operator, threshold_value) VALUES (:id, :user, "
                        "'ETH', 'price_change', 'token', 'ETH', '<', '1500')")},
        {QStringLiteral("alert_history"),
         QStringLiteral("INSERT INTO alert_history (id, alert_rule_id, user_id, triggered_value, "
                        "threshold_value, condition_met, title, message, notification_channels) "
                        "VALUES (:id, :rule, :user, '1499', '1500', 'price < 1500', 'ETH', "
                        "'ETH fell', '[\"email\"]')")},
        {QStringLiteral("notification_logs"),
         QStringLiteral("INSERT INTO notification_logs (id, user_id, channel, recipient, body, "
                        "status) VALUES (:id, :user, 'email', 'a@example.com', 'ETH fell', "
                        "'sent')")},
        {QStringLiteral("tax_transactions"),
         QStringLiteral("INSERT INTO tax_transactions (id, user_id, transaction_hash, "
                        "block_number, chain_id, timestamp, transaction_type) VALUES (:id, :user, "
                        "'0x' || :n, 1, 1, '2025-03-15T10:00:00.000000Z', 'buy')")},
        {QStringLiteral("tax_reports"),
         QStringLiteral("INSERT INTO tax_reports (id, user_id, report_type, tax_year, "
                        "country_code, start_date, end_date) VALUES (:id, :user, 'annual', 2024, "
                        "'US', '2024-01-01', '2024-12-31')")},
        {QStringLiteral("cost_basis_lots"),
         QStringLiteral("INSERT INTO cost_basis_lots (id, user_id, asset_symbol, chain_id, "
                        "acquired_date, acquired_amount, acquired_price_usd, cost_basis_usd, "
                        "remaining_amount) VALUES (:id, :user, 'ETH', 1, "
                        "'2025-03-15T10:00:00.000000Z', '1', '1800.00', '1800.00', '1')")},
        {QStringLiteral("portfolio_snapshots"),
         QStringLiteral("INSERT INTO portfolio_snapshots (id, user_id, total_value_usd, "
                        "total_assets, total_chains, total_protocols, snapshot_date, timestamp) "
                        "VALUES (:id, :user, '100.00', 1, 1, 1, '2025-03-15', "
                        "strftime('%Y-%m-%dT%H:%M:%S', 1742032800 + :n, 'unixepoch') || "
                        "'.000000Z')")},
        {QStringLiteral("portfolio_assets"),
         QStringLiteral("INSERT INTO portfolio_assets (id, user_id, asset_type, chain_id, "
                        "balance, balance_usd) VALUES (:id, :user, 'token', 1, '1', '1800.00')")},
        {QStringLiteral("dashboards"),
         QStringLiteral("INSERT INTO dashboards (id, user_id, name, layout, widgets) VALUES "
                        "(:id, :user, 'Main', '{}', '[]')")},
        {QStringLiteral("gas_predictions"),
         QStringLiteral("INSERT INTO gas_predictions (id, chain_id, predicted_low, "
                        "predicted_medium, predicted_high, predicted_instant, prediction_for, "
                        "timestamp) VALUES (:id, :n, '1.00', '2.00', '3.00', '4.00', "
                        "'2025-03-15T10:05:00.000000Z', '2025-03-15T10:00:00.000000Z')")},
        {QStringLiteral("predictions"),
         QStringLiteral("INSERT INTO predictions (id, prediction_type, target_id, "
                        "predicted_value, prediction_horizon_hours, model_name, model_version, "
                        "prediction_for) VALUES (:id, 'token_price', 'ETH', '3900', 24, 'm', "
                        "'1', '2025-03-16T10:00:00.000000Z')")},
        {QStringLiteral("protocol_health"),
         QStringLiteral("INSERT INTO protocol_health (id, protocol_id, protocol_name) VALUES "
                        "(:id, 'aave', 'Aave')")},
        {QStringLiteral("prices"),
         QStringLiteral("INSERT INTO prices (asset_symbol, price_usd, timestamp) VALUES (:id, "
                        "'1.5', '2025-03-15T10:00:00.000000Z')")},
        {QStringLiteral("settings"),
         QStringLiteral("INSERT INTO settings (key, value) VALUES (:id, 'v')")},
        {QStringLiteral("sync_conflicts"),
         QStringLiteral("INSERT INTO sync_conflicts (id, table_name, row_id, column_name) VALUES "
                        "(:id, 'dashboards', :user, 'name')")},
    };
    return samples.value(table);
}

// The key column of a table in the samples above.
QString keyColumn(const QString& table) {
    if (table == QStringLiteral("prices"))
        return QStringLiteral("asset_symbol");
    if (table == QStringLiteral("settings"))
        return QStringLiteral("key");
    return QStringLiteral("id");
}

struct OutboxRow {
    QString table;
    QString rowId;
    QString operation;
    QVariant changedColumns;
    QVariant baseRowVersion;
};

// A new encrypted database at the latest schema, in its own file.
class TestVault {
public:
    explicit TestVault(const QString& path) {
        static int counter = 0;
        m_name = QStringLiteral("schema-test-%1").arg(++counter);
        db = SqlCipherDriver::openDatabase(m_name, path, randomKey(), QString(), nullptr, &error);
        if (db.isOpen()) {
            const Status migrated = Migrator(db).migrate();
            if (!migrated.ok())
                error = migrated.error();
        }
    }
    ~TestVault() {
        if (db.isValid())
            db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    TestVault(const TestVault&) = delete;
    TestVault& operator=(const TestVault&) = delete;

    bool ok() const { return db.isOpen() && error.isEmpty(); }

    // Runs one statement with named parameters; returns the error text, empty on success.
    QString exec(const QString& sql, const QVariantMap& values = {}) {
        QSqlQuery q(db);
        if (!q.prepare(sql))
            return q.lastError().text() + QStringLiteral(" [prepare]");
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            q.bindValue(QLatin1Char(':') + it.key(), it.value());
        if (!q.exec())
            return q.lastError().text();
        return QString();
    }

    QString insertSample(const QString& table, const QString& id, int n = 1) {
        const QString sql = sampleInsert(table);
        if (sql.isEmpty())
            return QStringLiteral("no sample for ") + table;
        QVariantMap values{{QStringLiteral("id"), id}};
        if (sql.contains(QStringLiteral(":user")))
            values.insert(QStringLiteral("user"), kUser);
        if (sql.contains(QStringLiteral(":rule")))
            values.insert(QStringLiteral("rule"), kRule);
        if (sql.contains(QStringLiteral(":n")))
            values.insert(QStringLiteral("n"), n);
        return exec(sql, values);
    }

    // The user row and the alert rule that other samples refer to.
    QString insertParents() {
        QString e = insertSample(QStringLiteral("users"), kUser);
        if (e.isEmpty())
            e = insertSample(QStringLiteral("alert_rules"), kRule);
        return e;
    }

    QVariant scalar(const QString& sql, const QVariantMap& values = {}) {
        QSqlQuery q(db);
        if (!q.prepare(sql))
            return QVariant();
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            q.bindValue(QLatin1Char(':') + it.key(), it.value());
        if (!q.exec() || !q.next())
            return QVariant();
        return q.value(0);
    }

    QStringList column(const QString& sql) {
        QSqlQuery q(db);
        QStringList out;
        if (!q.prepare(sql) || !q.exec())
            return {QStringLiteral("<error: %1>").arg(q.lastError().text())};
        while (q.next())
            out << q.value(0).toString();
        return out;
    }

    QList<OutboxRow> outbox() {
        QSqlQuery q(db);
        QList<OutboxRow> rows;
        if (!q.prepare(
                QStringLiteral("SELECT table_name, row_id, operation, changed_columns, "
                               "base_row_version, created_at FROM sync_outbox ORDER BY seq")) ||
            !q.exec())
            return rows;
        while (q.next()) {
            rows.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                         q.value(3), q.value(4)});
            // Every entry carries its time in the stored form.
            const Result<llamadesk::Timestamp> at =
                llamadesk::Timestamp::parse(q.value(5).toString());
            if (!at.ok() || at->toString() != q.value(5).toString())
                rows.last().operation = QStringLiteral("<bad created_at>");
        }
        return rows;
    }
    void clearOutbox() { exec(QStringLiteral("DELETE FROM sync_outbox")); }

    QStringList columnsOf(const QString& table) {
        // Table names are ours, never outside input; PRAGMA takes no parameters.
        QSqlQuery q(db);
        QStringList names;
        if (!q.prepare(QStringLiteral("PRAGMA table_info(\"%1\")").arg(table)) || !q.exec())
            return {QStringLiteral("<error: %1>").arg(q.lastError().text())};
        while (q.next())
            names << q.value(1).toString();
        return names;
    }

    QSqlDatabase db;
    QString error;

private:
    QString m_name;
};

} // namespace

class TestLocalSchema : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void tablesAreExactlyTheListedOnes();
    void columnsAreTheSeedsColumns_data();
    void columnsAreTheSeedsColumns();
    void noSecretEverHasAColumn();
    void valuesAreTextOrInteger();
    void checkConstraints_data();
    void checkConstraints();
    void idsMustBeCanonical_data();
    void idsMustBeCanonical();
    void defaultsUseTheStoredTimestampForm();
    void foreignKeysHold();
    void foreignKeysCascade();
    void snapshotNaturalKeyIsUnique();

    void outboxRecordsEveryChange_data();
    void outboxRecordsEveryChange();
    void outboxRowIsPartOfTheTransaction();
    void rolledBackTransactionLeavesNoOutboxRow();
    void applyingRemoteSuppressesTheOutbox();
    void applyingRemoteCannotBeCommitted();
    void syncBookkeepingRowsStay();
    void idsOfSyncedRowsNeverChange();
    void pullOnlyAndLocalTablesRecordNothing_data();
    void pullOnlyAndLocalTablesRecordNothing();
    void updateTriggersCoverEveryColumn_data();
    void updateTriggersCoverEveryColumn();
    void taxInputTriggersPassEveryRecordColumn_data();
    void taxInputTriggersPassEveryRecordColumn();

    void queriesUseTheirIndexes_data();
    void queriesUseTheirIndexes();
    void everyIndexServesAQuery();

private:
    QString newPath() { return m_scratch.filePath(QStringLiteral("v%1.db").arg(++m_files)); }

    testsupport::ScratchDir m_scratch;
    int m_files = 0;
    // One vault with a sample row in every table, for the read-only and rolled-back checks.
    std::unique_ptr<TestVault> m_shared;
};

void TestLocalSchema::initTestCase() {
    QVERIFY(m_scratch.isValid());
    m_shared = std::make_unique<TestVault>(newPath());
    QVERIFY2(m_shared->ok(), qPrintable(m_shared->error));
    QCOMPARE(Migrator(m_shared->db).currentVersion(), Migrator::latestVersion());
    const QString parents = m_shared->insertParents();
    QVERIFY2(parents.isEmpty(), qPrintable(parents));
    const QStringList others{
        QStringLiteral("subscriptions"),    QStringLiteral("api_keys"),
        QStringLiteral("alert_history"),    QStringLiteral("notification_logs"),
        QStringLiteral("tax_transactions"), QStringLiteral("tax_reports"),
        QStringLiteral("cost_basis_lots"),  QStringLiteral("portfolio_snapshots"),
        QStringLiteral("portfolio_assets"), QStringLiteral("dashboards"),
        QStringLiteral("gas_predictions"),  QStringLiteral("predictions"),
        QStringLiteral("protocol_health"),  QStringLiteral("prices"),
        QStringLiteral("settings"),         QStringLiteral("sync_conflicts")};
    int n = 0;
    for (const QString& table : others) {
        const QString e = m_shared->insertSample(table, llamadesk::newUuid(), ++n);
        QVERIFY2(e.isEmpty(), qPrintable(table + QStringLiteral(": ") + e));
    }
}

void TestLocalSchema::cleanupTestCase() {
    m_shared.reset();
}

void TestLocalSchema::tablesAreExactlyTheListedOnes() {
    const QStringList expected{
        // the server's user-facing tables, for the signed-in user
        QStringLiteral("alert_history"), QStringLiteral("alert_rules"), QStringLiteral("api_keys"),
        QStringLiteral("cost_basis_lots"), QStringLiteral("dashboards"),
        // reference data
        QStringLiteral("gas_predictions"),
        // local only: Specific-ID choices made in the app (005)
        QStringLiteral("lot_selections"), QStringLiteral("notification_logs"),
        QStringLiteral("portfolio_assets"), QStringLiteral("portfolio_snapshots"),
        QStringLiteral("predictions"), QStringLiteral("prices"), QStringLiteral("protocol_health"),
        // local only
        QStringLiteral("schema_history"), QStringLiteral("settings"),
        QStringLiteral("subscriptions"), QStringLiteral("sync_conflicts"),
        QStringLiteral("sync_control"), QStringLiteral("sync_control_guard"),
        QStringLiteral("sync_outbox"), QStringLiteral("sync_state"),
        // local only: the tax engine's exact checkpoints and the ledger-change watermark (004)
        QStringLiteral("tax_checkpoints"),
        // local only: the tax engine's record of each transaction, kept by triggers (007)
        QStringLiteral("tax_inputs"), QStringLiteral("tax_ledger_changes"),
        QStringLiteral("tax_reports"), QStringLiteral("tax_transactions"), QStringLiteral("users")};
    QCOMPARE(m_shared->column(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite%' ORDER BY name")),
             expected);
}

void TestLocalSchema::columnsAreTheSeedsColumns_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("columns");

    const auto row = [](const char* table, const char* columns) {
        QTest::newRow(table) << QString::fromLatin1(table) << QString::fromLatin1(columns);
    };
    row("users", "id email username first_name last_name subscription_tier subscription_status "
                 "subscription_started_at subscription_expires_at email_verified "
                 "email_verified_at two_factor_enabled last_login_at last_activity_at login_count "
                 "is_active is_banned banned_reason banned_at consent_given_at consent_version "
                 "data_retention_days created_at updated_at deleted_at row_version");
    row("subscriptions",
        "id user_id tier status billing_cycle price_usd currency payment_method "
        "payment_provider_id payment_provider_customer_id started_at expires_at cancelled_at "
        "cancellation_reason auto_renew next_billing_date created_at updated_at deleted_at "
        "row_version");
    row("api_keys", "id user_id key_prefix name description scopes allowed_ips "
                    "rate_limit_per_hour rate_limit_per_day last_used_at usage_count is_active "
                    "expires_at created_at updated_at revoked_at revoked_reason deleted_at "
                    "row_version");
    row("alert_rules",
        "id user_id name description alert_type target_type target_id chain_id "
        "condition_operator threshold_value threshold_type timeframe_minutes "
        "notification_channels webhook_url telegram_chat_id discord_webhook_url cooldown_minutes "
        "max_triggers_per_day last_triggered_at trigger_count_today trigger_count_total "
        "is_active is_paused paused_until created_at updated_at deleted_at row_version");
    row("alert_history", "id alert_rule_id user_id triggered_value threshold_value condition_met "
                         "title message severity notification_channels delivery_status metadata "
                         "timestamp updated_at deleted_at row_version");
    row("notification_logs", "id alert_history_id user_id channel recipient subject body status "
                             "error_message retry_count provider provider_message_id sent_at "
                             "delivered_at timestamp updated_at deleted_at row_version");
    row("tax_transactions",
        "id user_id transaction_hash block_number chain_id timestamp transaction_type "
        "asset_in_symbol asset_in_amount asset_in_price_usd asset_in_value_usd asset_out_symbol "
        "asset_out_amount asset_out_price_usd asset_out_value_usd fee_amount fee_symbol "
        "fee_value_usd cost_basis_method cost_basis_usd capital_gain_usd holding_period_days "
        "is_long_term tax_category is_taxable notes wallet created_at updated_at deleted_at "
        "row_version");
    row("tax_reports",
        "id user_id report_type tax_year country_code start_date end_date total_transactions "
        "total_capital_gains_usd total_capital_losses_usd net_capital_gains_usd total_income_usd "
        "total_expenses_usd long_term_gains_usd short_term_gains_usd report_format file_url "
        "file_size_bytes status error_message generated_at created_at updated_at deleted_at "
        "row_version");
    row("cost_basis_lots",
        "id user_id asset_symbol chain_id acquired_transaction_id acquired_date acquired_amount "
        "acquired_price_usd cost_basis_usd disposed_transaction_id disposed_date disposed_amount "
        "disposed_price_usd proceeds_usd remaining_amount is_fully_disposed wallet created_at "
        "updated_at deleted_at row_version");
    row("portfolio_snapshots",
        "id user_id total_value_usd total_assets total_chains total_protocols daily_pnl_usd "
        "daily_pnl_percentage total_pnl_usd total_pnl_percentage sharpe_ratio max_drawdown "
        "volatility allocation_by_asset_type allocation_by_chain allocation_by_protocol "
        "snapshot_date timestamp updated_at deleted_at row_version");
    row("portfolio_assets",
        "id user_id asset_type asset_symbol asset_name asset_address chain_id protocol_name "
        "protocol_address balance balance_usd price_usd cost_basis_usd unrealized_pnl_usd "
        "unrealized_pnl_percentage metadata first_acquired_at last_updated_at created_at "
        "updated_at deleted_at row_version");
    row("dashboards", "id user_id name description is_default is_public layout widgets "
                      "share_token view_count created_at updated_at deleted_at row_version");
    row("gas_predictions",
        "id chain_id predicted_low predicted_medium predicted_high predicted_instant "
        "actual_gas_price prediction_error confidence_score model_version pending_transactions "
        "network_utilization block_number prediction_for timestamp");
    row("predictions", "id prediction_type target_id chain_id predicted_value confidence_score "
                       "prediction_horizon_hours actual_value prediction_error model_name "
                       "model_version prediction_for timestamp");
    row("protocol_health", "id protocol_id protocol_name chain_id tvl_usd "
                           "tvl_change_24h_percentage volume_24h_usd health_score risk_level "
                           "status anomalies metadata timestamp");
    row("prices", "asset_symbol chain_id price_usd source timestamp");
    row("settings", "key value updated_at");
    row("schema_history", "version name checksum applied_at");
    row("sync_state", "id server_url user_id client_id pull_position last_pull_at last_push_at "
                      "next_mutation_id resync_required updated_at");
    row("sync_outbox",
        "seq table_name row_id operation changed_columns base_row_version created_at");
    row("sync_conflicts", "id table_name row_id column_name local_value server_value base_value "
                          "changed_by changed_at detected_at resolved_at resolution");
    row("sync_control", "id applying_remote");
    row("sync_control_guard", "applying_remote");
}

void TestLocalSchema::columnsAreTheSeedsColumns() {
    QFETCH(QString, table);
    QFETCH(QString, columns);
    QCOMPARE(m_shared->columnsOf(table), columns.split(QLatin1Char(' ')));
}

void TestLocalSchema::noSecretEverHasAColumn() {
    const QStringList secrets{QStringLiteral("password_hash"), QStringLiteral("two_factor_secret"),
                              QStringLiteral("key_hash")};
    const QStringList tables =
        m_shared->column(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"));
    QVERIFY(tables.size() > 20);
    for (const QString& table : tables)
        for (const QString& column : m_shared->columnsOf(table))
            QVERIFY2(!secrets.contains(column), qPrintable(table + QLatin1Char('.') + column));
}

void TestLocalSchema::valuesAreTextOrInteger() {
    // Amounts are exact decimal text: no column may have REAL or NUMERIC affinity, under which
    // SQLite would turn "0.10" into a binary floating-point number.
    const QStringList tables = m_shared->column(QStringLiteral(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"));
    QVERIFY(tables.size() > 20);
    QStringList declared;
    for (const QString& table : tables) {
        QSqlQuery q(m_shared->db);
        QVERIFY(q.prepare(QStringLiteral("PRAGMA table_info(\"%1\")").arg(table)));
        QVERIFY(q.exec());
        while (q.next()) {
            const QString type = q.value(2).toString();
            // The one binary column: tax_inputs holds encoded records, never a value to compare
            // or convert (BLOB affinity converts nothing).
            if (table == QLatin1String("tax_inputs") &&
                q.value(1).toString() == QLatin1String("record") && type == QStringLiteral("BLOB"))
                continue;
            if (type != QStringLiteral("TEXT") && type != QStringLiteral("INTEGER"))
                declared << table + QLatin1Char('.') + q.value(1).toString() + QLatin1Char(' ') +
                                type;
        }
    }
    QVERIFY2(declared.isEmpty(), qPrintable(declared.join(QStringLiteral(", "))));
    // And a decimal comes back exactly as written.
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertParents().isEmpty());
    QCOMPARE(v.exec(QStringLiteral("UPDATE alert_rules SET threshold_value = :v"),
                    {{QStringLiteral("v"), QStringLiteral("0.100000000000000000")}}),
             QString());
    const QVariant back = v.scalar(QStringLiteral("SELECT threshold_value FROM alert_rules"));
    QCOMPARE(back.metaType(), QMetaType::fromType<QString>());
    QCOMPARE(back.toString(), QStringLiteral("0.100000000000000000"));
}

void TestLocalSchema::checkConstraints_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<bool>("accepted");

    const auto row = [](const char* name, const char* table, const char* column,
                        const QVariant& value, bool accepted) {
        QTest::newRow(name) << QString::fromLatin1(table) << QString::fromLatin1(column) << value
                            << accepted;
    };
    const auto text = [](const char* s) {
        return QVariant(QString::fromUtf8(s));
    };

    row("users tier", "users", "subscription_tier", text("platinum"), false);
    row("users tier ok", "users", "subscription_tier", text("enterprise"), true);
    row("users status", "users", "subscription_status", text("paused"), false);
    row("users boolean", "users", "email_verified", 2, false);
    row("users boolean ok", "users", "email_verified", 1, true);
    row("subscriptions tier", "subscriptions", "tier", text("gold"), false);
    row("subscriptions status", "subscriptions", "status", text("frozen"), false);
    row("subscriptions cycle", "subscriptions", "billing_cycle", text("weekly"), false);
    row("subscriptions cycle ok", "subscriptions", "billing_cycle", text("monthly"), true);
    row("alert type", "alert_rules", "alert_type", text("rain"), false);
    row("alert type ok", "alert_rules", "alert_type", text("whale_movement"), true);
    row("alert operator", "alert_rules", "condition_operator", text("=>"), false);
    row("alert operator ok", "alert_rules", "condition_operator", text("!="), true);
    row("alert threshold type", "alert_rules", "threshold_type", text("relative"), false);
    row("alert paused flag", "alert_rules", "is_paused", -1, false);
    row("history severity", "alert_history", "severity", text("fatal"), false);
    row("history severity ok", "alert_history", "severity", text("critical"), true);
    row("notification status", "notification_logs", "status", text("lost"), false);
    row("notification status ok", "notification_logs", "status", text("bounced"), true);
    row("transaction type", "tax_transactions", "transaction_type", text("theft"), false);
    row("transaction type ok", "tax_transactions", "transaction_type", text("staking_reward"),
        true);
    row("cost basis method", "tax_transactions", "cost_basis_method", text("AVG"), false);
    row("cost basis method ok", "tax_transactions", "cost_basis_method", text("Specific"), true);
    row("long term flag", "tax_transactions", "is_long_term", 2, false);
    row("timestamp with space", "tax_transactions", "timestamp",
        text("2025-03-15 10:00:00.000000Z"), false);
    row("timestamp without fraction", "tax_transactions", "timestamp", text("2025-03-15T10:00:00Z"),
        false);
    row("timestamp with offset", "tax_transactions", "timestamp",
        text("2025-03-15T10:00:00.000000+00"), false);
    row("timestamp in milliseconds", "tax_transactions", "timestamp",
        text("2025-03-15T10:00:00.000Z"), false);
    row("timestamp empty", "tax_transactions", "timestamp", text(""), false);
    row("timestamp null", "tax_transactions", "timestamp", QVariant(), false);
    row("timestamp ok", "tax_transactions", "timestamp", text("1999-12-31T23:59:59.999999Z"), true);
    row("deleted_at form", "tax_transactions", "deleted_at", text("2025-03-15"), false);
    row("wallet required", "tax_transactions", "wallet", QVariant(), false);
    row("report type", "tax_reports", "report_type", text("monthly"), false);
    row("report status", "tax_reports", "status", text("done"), false);
    row("report format", "tax_reports", "report_format", text("XLS"), false);
    row("report format ok", "tax_reports", "report_format", text("TurboTax"), true);
    row("report date form", "tax_reports", "start_date", text("2024/01/01"), false);
    row("lot disposed flag", "cost_basis_lots", "is_fully_disposed", 5, false);
    row("asset type", "portfolio_assets", "asset_type", text("stock"), false);
    row("asset type ok", "portfolio_assets", "asset_type", text("lp_position"), true);
    row("snapshot date form", "portfolio_snapshots", "snapshot_date", text("15.03.2025"), false);
    row("dashboard public flag", "dashboards", "is_public", 3, false);
    row("row_version negative", "dashboards", "row_version", -1, false);
    row("prediction type", "predictions", "prediction_type", text("weather"), false);
    row("prediction confidence", "predictions", "confidence_score", text("1.01"), false);
    row("prediction confidence ok", "predictions", "confidence_score", text("1.00"), true);
    row("gas confidence", "gas_predictions", "confidence_score", text("-0.01"), false);
    row("gas confidence ok", "gas_predictions", "confidence_score", text("0"), true);
    row("health score high", "protocol_health", "health_score", 101, false);
    row("health score low", "protocol_health", "health_score", -1, false);
    row("health score ok", "protocol_health", "health_score", 100, true);
    row("risk level", "protocol_health", "risk_level", text("extreme"), false);
    row("risk level ok", "protocol_health", "risk_level", text("critical"), true);
    row("health status", "protocol_health", "status", text("on fire"), false);
    row("health status ok", "protocol_health", "status", text("degraded"), true);
    row("price timestamp form", "prices", "timestamp", text("2025-03-15T10:00:00Z"), false);
    row("conflict resolution", "sync_conflicts", "resolution", text("whatever"), false);
    row("conflict resolution without time", "sync_conflicts", "resolution", text("kept_local"),
        false);
    row("outbox operation", "sync_outbox", "operation", text("upsert"), false);
    row("sync_state mutation id", "sync_state", "next_mutation_id", 0, false);
    row("sync_state resync flag", "sync_state", "resync_required", 2, false);
    row("sync_control flag", "sync_control", "applying_remote", 2, false);
    row("settings value", "settings", "value", QVariant(), false);
}

void TestLocalSchema::checkConstraints() {
    QFETCH(QString, table);
    QFETCH(QString, column);
    QFETCH(QVariant, value);
    QFETCH(bool, accepted);
    TestVault& v = *m_shared;
    QVERIFY(v.db.transaction());
    // Column names come from the table above; the value is bound.
    const QString error = v.exec(QStringLiteral("UPDATE %1 SET %2 = :v").arg(table, column),
                                 {{QStringLiteral("v"), value}});
    const int changed = v.scalar(QStringLiteral("SELECT changes()")).toInt();
    QVERIFY(v.db.rollback());
    if (accepted) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(changed >= 1);
    } else {
        QVERIFY2(error.contains(QStringLiteral("constraint failed")), qPrintable(error));
    }
}

void TestLocalSchema::idsMustBeCanonical_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("accepted");

    for (const char* table : {"dashboards", "alert_history", "gas_predictions", "sync_conflicts"}) {
        const QString t = QString::fromLatin1(table);
        QTest::addRow("%s canonical", table) << t << llamadesk::newUuid() << true;
        QTest::addRow("%s uppercase", table)
            << t << QStringLiteral("1B4E28BA-2FA1-4D3B-8A5C-0B3F9D1E7C42") << false;
        QTest::addRow("%s braces", table)
            << t << QStringLiteral("{1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c4}") << false;
        QTest::addRow("%s no hyphens", table)
            << t << QStringLiteral("1b4e28ba2fa14d3b8a5c0b3f9d1e7c42") << false;
        QTest::addRow("%s hyphen moved", table)
            << t << QStringLiteral("1b4e28b-a2fa1-4d3b-8a5c-0b3f9d1e7c42") << false;
        QTest::addRow("%s short", table) << t << QStringLiteral("42") << false;
        QTest::addRow("%s null", table) << t << QString() << false;
    }
}

void TestLocalSchema::idsMustBeCanonical() {
    QFETCH(QString, table);
    QFETCH(QString, id);
    QFETCH(bool, accepted);
    TestVault& v = *m_shared;
    QVERIFY(v.db.transaction());
    const QString error = v.insertSample(table, id, 1000);
    QVERIFY(v.db.rollback());
    if (accepted)
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(QStringLiteral("constraint failed")), qPrintable(error));
}

void TestLocalSchema::defaultsUseTheStoredTimestampForm() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertParents().isEmpty());
    const QString id = llamadesk::newUuid();
    QVERIFY(v.insertSample(QStringLiteral("dashboards"), id).isEmpty());
    const llamadesk::Timestamp before = llamadesk::Timestamp::now();
    for (const char* column : {"created_at", "updated_at"}) {
        const QString stored =
            v.scalar(QStringLiteral("SELECT %1 FROM dashboards").arg(QLatin1String(column)))
                .toString();
        const Result<llamadesk::Timestamp> parsed = llamadesk::Timestamp::parse(stored);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        QCOMPARE(parsed->toString(), stored);
        // SQLite's clock has millisecond resolution; the value is "now".
        QVERIFY(parsed->microsecondsSinceEpoch() <= before.microsecondsSinceEpoch());
        QVERIFY(before.microsecondsSinceEpoch() - parsed->microsecondsSinceEpoch() < 60000000);
    }
    // The columns the server defaults get the same defaults here.
    QCOMPARE(v.scalar(QStringLiteral("SELECT is_default || is_public || view_count FROM "
                                     "dashboards"))
                 .toString(),
             QStringLiteral("000"));
    QCOMPARE(v.scalar(QStringLiteral("SELECT subscription_tier || subscription_status || "
                                     "data_retention_days FROM users"))
                 .toString(),
             QStringLiteral("freeactive90"));
    QCOMPARE(v.scalar(QStringLiteral("SELECT notification_channels FROM alert_rules")).toString(),
             QStringLiteral("[\"email\"]"));
}

void TestLocalSchema::foreignKeysHold() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QCOMPARE(v.scalar(QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    // Nothing can exist without its user.
    for (const QString& table : {QStringLiteral("tax_transactions"), QStringLiteral("dashboards"),
                                 QStringLiteral("subscriptions"), QStringLiteral("alert_rules")}) {
        const QString error = v.insertSample(table, llamadesk::newUuid());
        QVERIFY2(error.contains(QStringLiteral("FOREIGN KEY")), qPrintable(table + error));
    }
    QVERIFY(v.insertSample(QStringLiteral("users"), kUser).isEmpty());
    // alert_history needs its rule.
    QVERIFY(v.insertSample(QStringLiteral("alert_history"), llamadesk::newUuid())
                .contains(QStringLiteral("FOREIGN KEY")));
    QVERIFY(v.insertSample(QStringLiteral("alert_rules"), kRule).isEmpty());
    const QString history = llamadesk::newUuid();
    QVERIFY(v.insertSample(QStringLiteral("alert_history"), history).isEmpty());
    // A delivery must point at an existing alert, a lot at existing transactions.
    QVERIFY(v.exec(QStringLiteral("INSERT INTO notification_logs (id, alert_history_id, user_id, "
                                  "channel, recipient, body, status) VALUES (:id, :h, :u, 'email', "
                                  "'a@b.c', 'x', 'sent')"),
                   {{QStringLiteral("id"), llamadesk::newUuid()},
                    {QStringLiteral("h"), llamadesk::newUuid()},
                    {QStringLiteral("u"), kUser}})
                .contains(QStringLiteral("FOREIGN KEY")));
    const QString lot = llamadesk::newUuid();
    QVERIFY(v.insertSample(QStringLiteral("cost_basis_lots"), lot).isEmpty());
    QVERIFY(v.exec(QStringLiteral("UPDATE cost_basis_lots SET acquired_transaction_id = :t"),
                   {{QStringLiteral("t"), llamadesk::newUuid()}})
                .contains(QStringLiteral("FOREIGN KEY")));
    QVERIFY(v.exec(QStringLiteral("UPDATE cost_basis_lots SET disposed_transaction_id = :t"),
                   {{QStringLiteral("t"), llamadesk::newUuid()}})
                .contains(QStringLiteral("FOREIGN KEY")));
    QVERIFY(v.column(QStringLiteral("PRAGMA foreign_key_check")).isEmpty());
}

void TestLocalSchema::foreignKeysCascade() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertParents().isEmpty());
    const QString history = llamadesk::newUuid();
    QVERIFY(v.insertSample(QStringLiteral("alert_history"), history).isEmpty());
    QVERIFY(v.exec(QStringLiteral("INSERT INTO notification_logs (id, alert_history_id, user_id, "
                                  "channel, recipient, body, status) VALUES (:id, :h, :u, 'email', "
                                  "'a@b.c', 'x', 'sent')"),
                   {{QStringLiteral("id"), llamadesk::newUuid()},
                    {QStringLiteral("h"), history},
                    {QStringLiteral("u"), kUser}})
                .isEmpty());
    // Deleting a rule deletes its history and the history's deliveries.
    QVERIFY(v.exec(QStringLiteral("DELETE FROM alert_rules")).isEmpty());
    QCOMPARE(v.scalar(QStringLiteral("SELECT count(*) FROM alert_history")).toInt(), 0);
    QCOMPARE(v.scalar(QStringLiteral("SELECT count(*) FROM notification_logs")).toInt(), 0);

    // A lot goes with the transaction that acquired it and forgets the one that disposed of it.
    const QString buy = llamadesk::newUuid();
    const QString sell = llamadesk::newUuid();
    QVERIFY(v.insertSample(QStringLiteral("tax_transactions"), buy, 1).isEmpty());
    QVERIFY(v.insertSample(QStringLiteral("tax_transactions"), sell, 2).isEmpty());
    const QString kept = llamadesk::newUuid();
    const QString gone = llamadesk::newUuid();
    QVERIFY(v.insertSample(QStringLiteral("cost_basis_lots"), kept).isEmpty());
    QVERIFY(v.insertSample(QStringLiteral("cost_basis_lots"), gone).isEmpty());
    QVERIFY(v.exec(QStringLiteral("UPDATE cost_basis_lots SET disposed_transaction_id = :s"),
                   {{QStringLiteral("s"), sell}})
                .isEmpty());
    QVERIFY(v.exec(QStringLiteral("UPDATE cost_basis_lots SET acquired_transaction_id = :b WHERE "
                                  "id = :id"),
                   {{QStringLiteral("b"), buy}, {QStringLiteral("id"), gone}})
                .isEmpty());
    QVERIFY(v.exec(QStringLiteral("DELETE FROM tax_transactions WHERE id = :s"),
                   {{QStringLiteral("s"), sell}})
                .isEmpty());
    QCOMPARE(v.scalar(QStringLiteral("SELECT count(*) FROM cost_basis_lots WHERE "
                                     "disposed_transaction_id IS NULL"))
                 .toInt(),
             2);
    QVERIFY(v.exec(QStringLiteral("DELETE FROM tax_transactions WHERE id = :b"),
                   {{QStringLiteral("b"), buy}})
                .isEmpty());
    QCOMPARE(v.column(QStringLiteral("SELECT id FROM cost_basis_lots")), QStringList{kept});

    // Deleting the user deletes everything that belongs to them.
    QVERIFY(v.insertSample(QStringLiteral("dashboards"), llamadesk::newUuid()).isEmpty());
    QVERIFY(v.exec(QStringLiteral("DELETE FROM users")).isEmpty());
    for (const char* table : {"dashboards", "cost_basis_lots", "tax_transactions", "alert_rules"})
        QCOMPARE(
            v.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))).toInt(),
            0);
}

void TestLocalSchema::snapshotNaturalKeyIsUnique() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertParents().isEmpty());
    QVERIFY(
        v.insertSample(QStringLiteral("portfolio_snapshots"), llamadesk::newUuid(), 7).isEmpty());
    const QString twice =
        v.insertSample(QStringLiteral("portfolio_snapshots"), llamadesk::newUuid(), 7);
    QVERIFY2(twice.contains(QStringLiteral("UNIQUE")), qPrintable(twice));
    QVERIFY(
        v.insertSample(QStringLiteral("portfolio_snapshots"), llamadesk::newUuid(), 8).isEmpty());
}

void TestLocalSchema::outboxRecordsEveryChange_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QVariant>("firstValue");
    QTest::addColumn<QVariant>("firstValue2");
    QTest::addColumn<QString>("second");
    QTest::addColumn<QVariant>("secondValue");

    const auto row = [](const char* table, const char* first, const char* firstValue,
                        const char* firstValue2, const char* second, const QVariant& secondValue) {
        QTest::newRow(table) << QString::fromLatin1(table) << QString::fromLatin1(first)
                             << QVariant(QString::fromUtf8(firstValue))
                             << QVariant(QString::fromUtf8(firstValue2))
                             << QString::fromLatin1(second) << secondValue;
    };
    const auto text = [](const char* s) {
        return QVariant(QString::fromUtf8(s));
    };
    row("users", "first_name", "Ada", "Augusta", "last_name", text("Lovelace"));
    row("alert_rules", "name", "ETH below 1500", "ETH below 1400", "description", text("weekly"));
    row("tax_transactions", "notes", "Kraken", "Coinbase", "wallet", text("ledger"));
    row("tax_reports", "status", "completed", "failed", "error_message", text("none"));
    row("cost_basis_lots", "remaining_amount", "0.5", "0.25", "wallet", text("ledger"));
    row("portfolio_assets", "balance", "2.000000000000000001", "3", "asset_name", text("Ether"));
    row("portfolio_snapshots", "total_value_usd", "200.00", "300.00", "total_assets", 2);
    row("dashboards", "name", "Übersicht", "Main 2", "description", text("mine"));
}

void TestLocalSchema::outboxRecordsEveryChange() {
    QFETCH(QString, table);
    QFETCH(QString, first);
    QFETCH(QVariant, firstValue);
    QFETCH(QVariant, firstValue2);
    QFETCH(QString, second);
    QFETCH(QVariant, secondValue);

    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.outbox().isEmpty());
    const QString id = table == QStringLiteral("users") ? kUser : llamadesk::newUuid();
    if (table != QStringLiteral("users"))
        QVERIFY(v.insertSample(QStringLiteral("users"), kUser).isEmpty());
    v.clearOutbox();

    const auto expectOne = [&](const QString& operation, const QVariant& changed,
                               const QVariant& base) {
        const QList<OutboxRow> rows = v.outbox();
        v.clearOutbox();
        if (rows.size() != 1)
            return QStringLiteral("%1 outbox rows instead of one").arg(rows.size());
        const OutboxRow& r = rows.first();
        QStringList problems;
        if (r.table != table)
            problems << QStringLiteral("table ") + r.table;
        if (r.rowId != id)
            problems << QStringLiteral("row ") + r.rowId;
        if (r.operation != operation)
            problems << QStringLiteral("operation ") + r.operation;
        if (r.changedColumns.isNull() != changed.isNull() ||
            r.changedColumns.toString() != changed.toString())
            problems << QStringLiteral("changed ") + r.changedColumns.toString();
        if (r.baseRowVersion.isNull() != base.isNull() ||
            r.baseRowVersion.toLongLong() != base.toLongLong())
            problems << QStringLiteral("base ") + r.baseRowVersion.toString();
        return problems.join(QStringLiteral(", "));
    };
    const auto set = [&](const QString& assignments, const QVariantMap& values = {}) {
        QVariantMap all = values;
        all.insert(QStringLiteral("id"), id);
        return v.exec(QStringLiteral("UPDATE %1 SET %2 WHERE id = :id").arg(table, assignments),
                      all);
    };
    const auto json = [](const QStringList& columns) {
        return QVariant(QStringLiteral("[\"") + columns.join(QStringLiteral("\",\"")) +
                        QStringLiteral("\"]"));
    };

    // Insert.
    QCOMPARE(v.insertSample(table, id), QString());
    QCOMPARE(expectOne(QStringLiteral("insert"), QVariant(), QVariant()), QString());

    // Update of one column: the column, and the row_version the edit was based on (0: never
    // on the server).
    QCOMPARE(set(first + QStringLiteral(" = :v"), {{QStringLiteral("v"), firstValue}}), QString());
    QCOMPARE(expectOne(QStringLiteral("update"), json({first}), 0), QString());

    // An update that changes nothing records nothing, nor do the server's own columns alone.
    QCOMPARE(set(first + QStringLiteral(" = :v"), {{QStringLiteral("v"), firstValue}}), QString());
    QCOMPARE(set(first + QStringLiteral(" = ") + first), QString());
    QCOMPARE(set(QStringLiteral("row_version = 7")), QString());
    QCOMPARE(set(QStringLiteral("updated_at = '2030-01-01T00:00:00.000000Z'")), QString());
    QCOMPARE(v.outbox().size(), 0);

    // Two columns at once, in table order, based on the version set above.
    const QStringList columns = v.columnsOf(table);
    QStringList both{first, second};
    std::sort(both.begin(), both.end(), [&columns](const QString& a, const QString& b) {
        return columns.indexOf(a) < columns.indexOf(b);
    });
    QCOMPARE(set(first + QStringLiteral(" = :f, ") + second + QStringLiteral(" = :s"),
                 {{QStringLiteral("f"), firstValue2}, {QStringLiteral("s"), secondValue}}),
             QString());
    QCOMPARE(expectOne(QStringLiteral("update"), json(both), 7), QString());

    // Soft delete is a delete for sync; undeleting is an update of deleted_at.
    const QString when = QStringLiteral("2025-03-15T10:00:00.000000Z");
    QCOMPARE(set(QStringLiteral("deleted_at = :d"), {{QStringLiteral("d"), when}}), QString());
    QCOMPARE(expectOne(QStringLiteral("delete"), json({QStringLiteral("deleted_at")}), 7),
             QString());
    QCOMPARE(set(QStringLiteral("deleted_at = NULL")), QString());
    QCOMPARE(expectOne(QStringLiteral("update"), json({QStringLiteral("deleted_at")}), 7),
             QString());

    // Hard delete.
    QCOMPARE(v.exec(QStringLiteral("DELETE FROM %1 WHERE id = :id").arg(table),
                    {{QStringLiteral("id"), id}}),
             QString());
    QCOMPARE(expectOne(QStringLiteral("delete"), QVariant(), 7), QString());
}

void TestLocalSchema::outboxRowIsPartOfTheTransaction() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertSample(QStringLiteral("users"), kUser).isEmpty());
    v.clearOutbox();

    const QString id = llamadesk::newUuid();
    QVERIFY(v.db.transaction());
    QVERIFY(v.insertSample(QStringLiteral("tax_transactions"), id).isEmpty());
    // Inside the transaction, the change and its outbox row are both there...
    QCOMPARE(v.outbox().size(), 1);
    QVERIFY(v.db.commit());
    // ...and they are committed together.
    QCOMPARE(v.outbox().size(), 1);
    QCOMPARE(v.outbox().first().rowId, id);
    QCOMPARE(v.scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")).toInt(), 1);
}

void TestLocalSchema::rolledBackTransactionLeavesNoOutboxRow() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertSample(QStringLiteral("users"), kUser).isEmpty());
    const QString dashboard = llamadesk::newUuid();
    QVERIFY(v.insertSample(QStringLiteral("dashboards"), dashboard).isEmpty());
    v.clearOutbox();

    QVERIFY(v.db.transaction());
    QVERIFY(v.insertSample(QStringLiteral("tax_transactions"), llamadesk::newUuid()).isEmpty());
    QVERIFY(v.insertSample(QStringLiteral("alert_rules"), kRule).isEmpty());
    QVERIFY(v.exec(QStringLiteral("UPDATE dashboards SET name = 'gone'")).isEmpty());
    QVERIFY(v.exec(QStringLiteral("DELETE FROM dashboards")).isEmpty());
    QCOMPARE(v.outbox().size(), 4);
    QVERIFY(v.db.rollback());

    QCOMPARE(v.outbox().size(), 0);
    QCOMPARE(v.scalar(QStringLiteral("SELECT count(*) FROM tax_transactions")).toInt(), 0);
    QCOMPARE(v.scalar(QStringLiteral("SELECT name FROM dashboards")).toString(),
             QStringLiteral("Main"));
}

void TestLocalSchema::applyingRemoteSuppressesTheOutbox() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.db.transaction());
    QVERIFY(v.exec(QStringLiteral("UPDATE sync_control SET applying_remote = 1")).isEmpty());
    QVERIFY(v.insertParents().isEmpty());
    for (const QString& table : kTwoWayTables) {
        if (table == QStringLiteral("users") || table == QStringLiteral("alert_rules"))
            continue;
        const QString id = llamadesk::newUuid();
        QVERIFY2(v.insertSample(table, id).isEmpty(), qPrintable(table));
        QVERIFY(v.exec(QStringLiteral("UPDATE %1 SET row_version = 3, deleted_at = "
                                      "'2025-03-15T10:00:00.000000Z' WHERE id = :id")
                           .arg(table),
                       {{QStringLiteral("id"), id}})
                    .isEmpty());
        QVERIFY(v.exec(QStringLiteral("DELETE FROM %1 WHERE id = :id").arg(table),
                       {{QStringLiteral("id"), id}})
                    .isEmpty());
    }
    QVERIFY(v.exec(QStringLiteral("UPDATE users SET first_name = 'Remote', row_version = 9"))
                .isEmpty());
    QCOMPARE(v.outbox().size(), 0);
    QVERIFY(v.exec(QStringLiteral("UPDATE sync_control SET applying_remote = 0")).isEmpty());
    QVERIFY2(v.db.commit(), qPrintable(v.db.lastError().text()));
    QCOMPARE(v.outbox().size(), 0);
    QCOMPARE(v.scalar(QStringLiteral("SELECT row_version FROM users")).toInt(), 9);

    // Back to normal: the next local edit is recorded.
    QVERIFY(v.exec(QStringLiteral("UPDATE users SET first_name = 'Local'")).isEmpty());
    QCOMPARE(v.outbox().size(), 1);
    QCOMPARE(v.outbox().first().baseRowVersion.toInt(), 9);
}

void TestLocalSchema::applyingRemoteCannotBeCommitted() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    // Outside a transaction the switch cannot even be set: the statement commits on its own.
    QVERIFY(v.exec(QStringLiteral("UPDATE sync_control SET applying_remote = 1"))
                .contains(QStringLiteral("FOREIGN KEY")));
    // A sync transaction that forgets to switch back cannot commit, so later local edits can
    // never be lost.
    QVERIFY(v.db.transaction());
    QVERIFY(v.exec(QStringLiteral("UPDATE sync_control SET applying_remote = 1")).isEmpty());
    QVERIFY(v.insertParents().isEmpty());
    QVERIFY(!v.db.commit());
    QVERIFY(v.db.rollback());
    QCOMPARE(v.scalar(QStringLiteral("SELECT applying_remote FROM sync_control")).toInt(), 0);
    QCOMPARE(v.scalar(QStringLiteral("SELECT count(*) FROM users")).toInt(), 0);
    QVERIFY(v.insertParents().isEmpty());
    QCOMPARE(v.outbox().size(), 2);
}

void TestLocalSchema::syncBookkeepingRowsStay() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    for (const char* table : {"sync_state", "sync_control", "sync_control_guard"}) {
        QCOMPARE(
            v.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))).toInt(),
            1);
        const QString error = v.exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)));
        QVERIFY2(error.contains(QStringLiteral("must keep its row")), qPrintable(error));
    }
    QVERIFY(v.exec(QStringLiteral("INSERT INTO sync_state (id) VALUES (2)"))
                .contains(QStringLiteral("constraint failed")));
    QVERIFY(v.exec(QStringLiteral("INSERT INTO sync_control (id) VALUES (2)"))
                .contains(QStringLiteral("constraint failed")));
    QCOMPARE(v.scalar(QStringLiteral("SELECT next_mutation_id || resync_required FROM sync_state"))
                 .toString(),
             QStringLiteral("10"));
}

void TestLocalSchema::idsOfSyncedRowsNeverChange() {
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertParents().isEmpty());
    QVERIFY(v.insertSample(QStringLiteral("dashboards"), llamadesk::newUuid()).isEmpty());
    v.clearOutbox();
    for (const QString& table : {QStringLiteral("dashboards"), QStringLiteral("users")}) {
        const QString error = v.exec(QStringLiteral("UPDATE %1 SET id = :id").arg(table),
                                     {{QStringLiteral("id"), llamadesk::newUuid()}});
        QVERIFY2(error.contains(QStringLiteral("cannot change")), qPrintable(error));
    }
    // Setting it to itself is no change at all.
    QVERIFY(v.exec(QStringLiteral("UPDATE users SET id = id")).isEmpty());
    QCOMPARE(v.outbox().size(), 0);
}

void TestLocalSchema::pullOnlyAndLocalTablesRecordNothing_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("assignment");

    const auto row = [](const char* table, const char* assignment) {
        QTest::newRow(table) << QString::fromLatin1(table) << QString::fromLatin1(assignment);
    };
    // Pull-only user data, written by the server.
    row("subscriptions", "status = 'cancelled', deleted_at = '2025-03-15T10:00:00.000000Z'");
    row("api_keys", "name = 'renamed', deleted_at = '2025-03-15T10:00:00.000000Z'");
    row("alert_history", "title = 'x', deleted_at = '2025-03-15T10:00:00.000000Z'");
    row("notification_logs", "status = 'failed', deleted_at = '2025-03-15T10:00:00.000000Z'");
    // Reference data.
    row("gas_predictions", "predicted_low = '2.00'");
    row("predictions", "predicted_value = '1'");
    row("protocol_health", "health_score = 50");
    row("prices", "price_usd = '2'");
    // Local only.
    row("settings", "value = 'w'");
    row("sync_conflicts",
        "resolution = 'took_server', resolved_at = '2025-03-15T10:00:00.000000Z'");
}

void TestLocalSchema::pullOnlyAndLocalTablesRecordNothing() {
    QFETCH(QString, table);
    QFETCH(QString, assignment);
    TestVault v(newPath());
    QVERIFY2(v.ok(), qPrintable(v.error));
    QVERIFY(v.insertParents().isEmpty());
    v.clearOutbox();
    const QString id = llamadesk::newUuid();
    QCOMPARE(v.insertSample(table, id), QString());
    QCOMPARE(v.exec(QStringLiteral("UPDATE %1 SET %2").arg(table, assignment)), QString());
    QCOMPARE(v.scalar(QStringLiteral("SELECT changes()")).toInt(), 1);
    QCOMPARE(v.exec(QStringLiteral("DELETE FROM %1 WHERE %2 = :id").arg(table, keyColumn(table)),
                    {{QStringLiteral("id"), id}}),
             QString());
    QCOMPARE(v.scalar(QStringLiteral("SELECT changes()")).toInt(), 1);
    QCOMPARE(v.outbox().size(), 0);
    QCOMPARE(v.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                     "AND tbl_name = :t"),
                      {{QStringLiteral("t"), table}})
                 .toInt(),
             0);
}

void TestLocalSchema::updateTriggersCoverEveryColumn_data() {
    QTest::addColumn<QString>("table");
    for (const QString& table : kTwoWayTables)
        QTest::newRow(qPrintable(table)) << table;
}

void TestLocalSchema::updateTriggersCoverEveryColumn() {
    // A migration that adds a column to a synced table must re-create its update trigger;
    // otherwise edits of that column would never be pushed.
    QFETCH(QString, table);
    TestVault& v = *m_shared;
    const QStringList triggers = v.column(
        QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '%1' "
                       "ORDER BY name")
            .arg(table));
    QStringList expectedTriggers{
        table + QStringLiteral("_id_immutable"), table + QStringLiteral("_outbox_delete"),
        table + QStringLiteral("_outbox_insert"), table + QStringLiteral("_outbox_update")};
    // 004: the ledger-change watermark of incremental tax runs.
    // 007: the tax engine's records (tax_inputs).
    if (table == QLatin1String("tax_transactions"))
        expectedTriggers << table + QStringLiteral("_tax_inputs_delete")
                         << table + QStringLiteral("_tax_inputs_insert")
                         << table + QStringLiteral("_tax_inputs_update")
                         << table + QStringLiteral("_tax_state_delete")
                         << table + QStringLiteral("_tax_state_insert")
                         << table + QStringLiteral("_tax_state_update");
    QCOMPARE(triggers, expectedTriggers);
    const QString update =
        v.scalar(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = :n"),
                 {{QStringLiteral("n"), QString(table + QStringLiteral("_outbox_update"))}})
            .toString();
    QVERIFY(!update.isEmpty());
    int tracked = 0;
    for (const QString& column : v.columnsOf(table)) {
        const QString compared = QStringLiteral("OLD.%1 IS NOT NEW.%1").arg(column);
        const QString listed = QStringLiteral("'\"%1\",'").arg(column);
        if (kUntracked.contains(column)) {
            QVERIFY2(!update.contains(compared), qPrintable(column));
            continue;
        }
        ++tracked;
        // Once in WHEN (did anything change?) and once in the list of changed columns.
        QCOMPARE(update.count(compared), 2);
        QVERIFY2(update.contains(listed), qPrintable(column));
    }
    QVERIFY(tracked > 5);
}

void TestLocalSchema::taxInputTriggersPassEveryRecordColumn_data() {
    QTest::addColumn<QString>("trigger");
    QTest::addColumn<bool>("update");
    QTest::newRow("insert") << QStringLiteral("tax_transactions_tax_inputs_insert") << false;
    QTest::newRow("update") << QStringLiteral("tax_transactions_tax_inputs_update") << true;
}

void TestLocalSchema::taxInputTriggersPassEveryRecordColumn() {
    // The triggers pass the record's columns by position: every one, in TaxInputRecord's order.
    // An update of any of them must rewrite the record.
    QFETCH(QString, trigger);
    QFETCH(bool, update);
    using llamadesk::store::TaxInputRecord;
    const QString sql =
        m_shared
            ->scalar(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = :n"),
                     {{QStringLiteral("n"), trigger}})
            .toString();
    QVERIFY(!sql.isEmpty());
    const QString call = QString::fromLatin1(TaxInputRecord::kFunctionName) + QLatin1Char('(');
    const qsizetype start = sql.indexOf(call);
    QVERIFY(start > 0);
    const qsizetype end = sql.indexOf(QLatin1Char(')'), start);
    QVERIFY(end > start);
    QStringList arguments = sql.mid(start + call.size(), end - start - call.size())
                                .split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString& a : arguments)
        a = a.simplified();
    QStringList expected;
    QStringList columns;
    for (int c = 0; c < TaxInputRecord::kColumnCount; ++c) {
        const QString name =
            QString::fromLatin1(TaxInputRecord::columnName(TaxInputRecord::Column(c)));
        columns << name;
        expected << QStringLiteral("NEW.") + name;
    }
    QCOMPARE(arguments, expected);
    if (update) {
        const QRegularExpression of(QStringLiteral("AFTER UPDATE OF(.*)ON tax_transactions"),
                                    QRegularExpression::DotMatchesEverythingOption);
        const QRegularExpressionMatch m = of.match(sql);
        QVERIFY(m.hasMatch());
        QStringList listed = m.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& l : listed)
            l = l.simplified();
        QCOMPARE(listed, columns);
    }
}

namespace {

// What the app asks, and the index that must answer it.
struct PlannedQuery {
    const char* name;
    const char* query;
    int parameters;
    const char* index;
};

QList<PlannedQuery> plannedQueries() {
    QList<PlannedQuery> list;
    const auto row = [&list](const char* name, const char* query, int parameters,
                             const char* index) {
        list.append({name, query, parameters, index});
    };
    // The transactions view: keyset pages in (timestamp, id) order, with and without filters.
    row("first page",
        "SELECT id FROM tax_transactions WHERE deleted_at IS NULL ORDER BY timestamp, id LIMIT 100",
        0, "idx_tax_transactions_time");
    row("next page",
        "SELECT id FROM tax_transactions WHERE deleted_at IS NULL AND (timestamp, id) > (?, ?) "
        "ORDER BY timestamp, id LIMIT 100",
        2, "idx_tax_transactions_time");
    row("previous page, newest first",
        "SELECT id FROM tax_transactions WHERE deleted_at IS NULL AND (timestamp, id) < (?, ?) "
        "ORDER BY timestamp DESC, id DESC LIMIT 100",
        2, "idx_tax_transactions_time");
    row("date range",
        "SELECT id FROM tax_transactions WHERE timestamp >= ? AND timestamp < ? AND "
        "(timestamp, id) > (?, ?) ORDER BY timestamp, id LIMIT 100",
        4, "idx_tax_transactions_time");
    row("type",
        "SELECT id FROM tax_transactions WHERE transaction_type = ? AND (timestamp, id) > (?, ?) "
        "ORDER BY timestamp, id LIMIT 100",
        3, "idx_tax_transactions_type");
    row("type and date range",
        "SELECT id FROM tax_transactions WHERE transaction_type = ? AND timestamp >= ? AND "
        "timestamp < ? ORDER BY timestamp, id LIMIT 100",
        3, "idx_tax_transactions_type");
    row("wallet",
        "SELECT id FROM tax_transactions WHERE wallet = ? AND (timestamp, id) > (?, ?) "
        "ORDER BY timestamp, id LIMIT 100",
        3, "idx_tax_transactions_wallet");
    row("asset, incoming side",
        "SELECT id FROM tax_transactions WHERE asset_in_symbol = ? AND (timestamp, id) > (?, ?) "
        "ORDER BY timestamp, id LIMIT 100",
        3, "idx_tax_transactions_asset_in");
    row("asset, outgoing side",
        "SELECT id FROM tax_transactions WHERE asset_out_symbol = ? AND "
        "coalesce(asset_in_symbol, '') <> ? AND (timestamp, id) > (?, ?) "
        "ORDER BY timestamp, id LIMIT 100",
        4, "idx_tax_transactions_asset_out");
    row("hash", "SELECT id FROM tax_transactions WHERE transaction_hash = ?", 1,
        "idx_tax_transactions_hash");
    row("hash prefix",
        "SELECT id FROM tax_transactions WHERE transaction_hash >= ? AND transaction_hash < ?", 2,
        "idx_tax_transactions_hash");
    // Counts of live rows come from the index alone.
    row("count of live rows", "SELECT count(*) FROM tax_transactions WHERE deleted_at IS NULL", 0,
        "COVERING INDEX idx_tax_transactions_");
    row("count of live rows of a type",
        "SELECT count(*) FROM tax_transactions WHERE transaction_type = ? AND deleted_at IS NULL",
        1, "COVERING INDEX idx_tax_transactions_type");
    row("count of live rows in a date range",
        "SELECT count(*) FROM tax_transactions WHERE timestamp >= ? AND timestamp < ? AND "
        "deleted_at IS NULL",
        2, "COVERING INDEX idx_tax_transactions_time");
    // Tax runs: everything of the user in time order, or of one wallet.
    row("tax run",
        "SELECT id FROM tax_transactions WHERE user_id = ? AND deleted_at IS NULL "
        "ORDER BY timestamp, id",
        1, "idx_tax_transactions_time");
    row("tax run per wallet",
        "SELECT id FROM tax_transactions WHERE user_id = ? AND wallet = ? AND deleted_at IS NULL "
        "ORDER BY timestamp, id",
        2, "idx_tax_transactions_wallet");
    // Other tables.
    row("lots of a buy", "SELECT id FROM cost_basis_lots WHERE acquired_transaction_id = ?", 1,
        "idx_cost_basis_lots_acquired");
    row("lots of a sale", "SELECT id FROM cost_basis_lots WHERE disposed_transaction_id = ?", 1,
        "idx_cost_basis_lots_disposed");
    row("history of a rule",
        "SELECT id FROM alert_history WHERE alert_rule_id = ? ORDER BY timestamp DESC LIMIT 50", 1,
        "idx_alert_history_rule");
    row("alerts list", "SELECT id FROM alert_history ORDER BY timestamp DESC LIMIT 50", 0,
        "idx_alert_history_timestamp");
    row("deliveries of an alert", "SELECT id FROM notification_logs WHERE alert_history_id = ?", 1,
        "idx_notification_logs_alert");
    row("value chart",
        "SELECT total_value_usd FROM portfolio_snapshots WHERE user_id = ? AND timestamp >= ? "
        "ORDER BY timestamp",
        2, "sqlite_autoindex_portfolio_snapshots_2");
    row("latest gas",
        "SELECT id FROM gas_predictions WHERE chain_id = ? ORDER BY timestamp DESC "
        "LIMIT 1",
        1, "sqlite_autoindex_gas_predictions_2");
    row("predictions of a target",
        "SELECT id FROM predictions WHERE prediction_type = ? AND target_id = ? "
        "ORDER BY timestamp DESC LIMIT 20",
        2, "idx_predictions_target");
    row("protocol health history",
        "SELECT id FROM protocol_health WHERE protocol_id = ? ORDER BY timestamp DESC LIMIT 20", 1,
        "idx_protocol_health_protocol");
    row("price at a time",
        "SELECT price_usd FROM prices WHERE asset_symbol = ? AND timestamp <= ? "
        "ORDER BY timestamp DESC LIMIT 1",
        2, "PRIMARY KEY");
    return list;
}

} // namespace

void TestLocalSchema::queriesUseTheirIndexes_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("parameters");
    QTest::addColumn<QString>("index");
    for (const PlannedQuery& q : plannedQueries())
        QTest::newRow(q.name) << QString::fromLatin1(q.query) << q.parameters
                              << QString::fromLatin1(q.index);
}

void TestLocalSchema::queriesUseTheirIndexes() {
    QFETCH(QString, query);
    QFETCH(int, parameters);
    QFETCH(QString, index);
    QSqlQuery q(m_shared->db);
    QVERIFY2(q.prepare(QStringLiteral("EXPLAIN QUERY PLAN ") + query),
             qPrintable(q.lastError().text()));
    for (int i = 0; i < parameters; ++i)
        q.addBindValue(QStringLiteral("x"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    QStringList plan;
    while (q.next())
        plan << q.value(3).toString();
    const QString text = plan.join(QStringLiteral(" / "));
    QVERIFY2(text.contains(QStringLiteral("USING ") + index) ||
                 text.contains(QStringLiteral("USING COVERING INDEX ") + index) ||
                 text.contains(QStringLiteral("USING INDEX ") + index),
             qPrintable(text));
    // No sorting: a page stops after its LIMIT rows.
    QVERIFY2(!text.contains(QStringLiteral("TEMP B-TREE")), qPrintable(text));
}

void TestLocalSchema::everyIndexServesAQuery() {
    // Every index a migration creates answers one of the planned queries: an index that nothing
    // uses only slows down every insert of a bulk import.
    QSet<QString> served;
    for (const PlannedQuery& q : plannedQueries())
        served.insert(QString::fromLatin1(q.index).remove(QStringLiteral("COVERING INDEX ")));
    const QStringList created = m_shared->column(QStringLiteral(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"));
    QVERIFY(created.size() >= 10);
    for (const QString& index : created)
        QVERIFY2(served.contains(index), qPrintable(index + QStringLiteral(" serves no query")));
}

QTEST_GUILESS_MAIN(TestLocalSchema)
#include "TestLocalSchema.moc"
