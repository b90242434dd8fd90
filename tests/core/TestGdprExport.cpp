#include "TestSupport.h"

#include "app/GdprExport.h"
#include "demo/DemoData.h"
#include "vault/KeyFile.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QtTest>

using namespace llamadesk;

// "Export everything" on a real vault filled with the sample data: every table is in the file
// with all of its rows, values are exact, and nothing secret leaves the vault.
class TestGdprExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyTableWithEveryRow();
    void valuesAreExact_data();
    void valuesAreExact();
    void noKeyMaterial();
    void cancelLeavesNoFile();
    void secretSettings_data();
    void secretSettings();

private:
    QJsonObject exported(app::GdprExportSummary* summary = nullptr);
    qint64 count(const QString& table);

    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<vault::Vault> m_vault;
    QSqlDatabase m_db;
};

void TestGdprExport::initTestCase() {
    vault::CreateOptions options;
    options.useKeychain = true;
    options.passphrase = QStringLiteral("export test passphrase 1");
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    m_vault = vault::Vault::create(m_dir.filePath(QStringLiteral("export.llamadesk")), options,
                                   m_secrets, nullptr, &error, &message);
    QVERIFY2(m_vault, qPrintable(message));
    m_db = m_vault->database();
    demo::DemoOptions sample;
    sample.transactions = 400;
    sample.snapshotDays = 60;
    sample.ledgerDays = 200;
    const auto filled = demo::DemoData::populate(m_db, sample);
    QVERIFY2(filled.ok(), qPrintable(filled.error()));
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)")));
    q.addBindValue(QStringLiteral("sync/refresh_token"));
    q.addBindValue(QStringLiteral("do-not-export-me"));
    QVERIFY(q.exec());
    q.addBindValue(QStringLiteral("display/currency"));
    q.addBindValue(QStringLiteral("EUR \"quoted\"\n"));
    QVERIFY(q.exec());
}

void TestGdprExport::cleanupTestCase() {
    m_db = QSqlDatabase();
    if (m_vault)
        m_vault->close();
}

qint64 TestGdprExport::count(const QString& table) {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(table)) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QJsonObject TestGdprExport::exported(app::GdprExportSummary* summary) {
    const QString path = m_dir.filePath(QStringLiteral("export.json"));
    int lastPercent = -1;
    bool monotonic = true;
    app::GdprExportOptions options;
    options.progress = [&](int percent, const QString&) {
        monotonic = monotonic && percent >= lastPercent && percent <= 100;
        lastPercent = percent;
    };
    const auto written = app::GdprExport::write(m_db, path, options);
    if (!written) {
        qWarning("%s", qPrintable(written.error()));
        return {};
    }
    if (!monotonic || lastPercent != 100)
        qWarning("progress was not monotonic up to 100");
    if (summary != nullptr)
        *summary = written.value();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("invalid JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

void TestGdprExport::everyTableWithEveryRow() {
    app::GdprExportSummary summary;
    const QJsonObject root = exported(&summary);
    QCOMPARE(root.value(QStringLiteral("format")).toString(), app::GdprExport::formatName());
    QCOMPARE(root.value(QStringLiteral("version")).toInt(), app::GdprExport::kFormatVersion);
    const QJsonObject tables = root.value(QStringLiteral("tables")).toObject();

    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")));
    QStringList schema;
    while (q.next())
        schema.append(q.value(0).toString());
    QVERIFY(schema.size() >= 20);
    QVERIFY(schema.contains(QStringLiteral("tax_transactions")));
    QCOMPARE(tables.size(), schema.size());
    qint64 rows = 0;
    for (const QString& table : std::as_const(schema)) {
        QVERIFY2(tables.contains(table), qPrintable(table));
        const QJsonObject t = tables.value(table).toObject();
        const qint64 expected = count(table) - (table == QLatin1String("settings") ? 1 : 0);
        QCOMPARE(qint64(t.value(QStringLiteral("row_count")).toInteger()), expected);
        QCOMPARE(qint64(t.value(QStringLiteral("rows")).toArray().size()), expected);
        rows += expected;
    }
    QCOMPARE(summary.rows, rows);
    QCOMPARE(summary.redactedSettings, qint64(1));
    QVERIFY(count(QStringLiteral("tax_transactions")) >= 400);
    QVERIFY(count(QStringLiteral("alert_history")) > 0);
}

void TestGdprExport::valuesAreExact_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("column");
    QTest::newRow("transaction amounts") << "tax_transactions"
                                         << "asset_in_amount";
    QTest::newRow("balances") << "portfolio_assets"
                              << "balance";
    QTest::newRow("prices") << "prices"
                            << "price_usd";
    QTest::newRow("alert thresholds") << "alert_rules"
                                      << "threshold_value";
    QTest::newRow("settings text with quotes") << "settings"
                                               << "value";
}

void TestGdprExport::valuesAreExact() {
    QFETCH(QString, table);
    QFETCH(QString, column);
    const QJsonArray rows = exported()
                                .value(QStringLiteral("tables"))
                                .toObject()
                                .value(table)
                                .toObject()
                                .value(QStringLiteral("rows"))
                                .toArray();
    QSqlQuery q(m_db);
    QVERIFY(q.exec(
        QStringLiteral("SELECT \"%1\" FROM \"%2\" WHERE \"%1\" IS NOT NULL").arg(column, table)));
    QSet<QString> stored;
    while (q.next())
        stored.insert(q.value(0).toString());
    QVERIFY(!stored.isEmpty());
    QSet<QString> written;
    for (const QJsonValue& row : rows) {
        const QJsonValue v = row.toObject().value(column);
        QVERIFY2(v.isString() || v.isNull(), qPrintable(column)); // text, never a double
        if (v.isString())
            written.insert(v.toString());
    }
    if (table == QLatin1String("settings"))
        stored.remove(QStringLiteral("do-not-export-me"));
    QCOMPARE(written, stored);
}

void TestGdprExport::noKeyMaterial() {
    QVERIFY(!exported().isEmpty());
    QFile file(m_dir.filePath(QStringLiteral("export.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    // Every value of the key file (wrapped keys, salts, the key check) stays out of the export.
    QFile keys(vault::KeyFile::sidecarPath(m_vault->path()));
    QVERIFY(keys.open(QIODevice::ReadOnly));
    int checked = 0;
    const QString vaultId = m_vault->vaultId().toString(QUuid::WithoutBraces);
    std::function<void(const QJsonValue&)> walk = [&](const QJsonValue& v) {
        if (v.isObject()) {
            for (const QJsonValue& child : v.toObject())
                walk(child);
        } else if (v.isArray()) {
            for (const QJsonValue& child : v.toArray())
                walk(child);
        } else if (v.isString() && v.toString().size() >= 16 &&
                   !v.toString().contains(vaultId)) { // the vault's id is not a secret
            ++checked;
            QVERIFY2(!text.contains(v.toString().toUtf8()), qPrintable(v.toString().left(8)));
        }
    };
    walk(QJsonDocument::fromJson(keys.readAll()).object());
    QVERIFY(checked >= 3);
    // The data key from the keychain, in every spelling.
    const auto stored =
        m_secrets.read(vault::KeyFile::load(keys.fileName()).value().keychainAccount());
    QVERIFY(stored.error == vault::SecretStore::Error::None);
    const QByteArray raw = stored.secret.toByteArray();
    QCOMPARE(raw.size(), 32);
    QVERIFY(!text.contains(raw.toHex()));
    QVERIFY(!text.contains(raw.toBase64()));
    QVERIFY(!text.contains("do-not-export-me"));
}

void TestGdprExport::cancelLeavesNoFile() {
    const QString path = m_dir.filePath(QStringLiteral("cancelled.json"));
    std::atomic<bool> cancel{false};
    app::GdprExportOptions options;
    options.cancel = &cancel;
    options.progress = [&](int percent, const QString&) {
        if (percent >= 30)
            cancel = true;
    };
    QVERIFY(!app::GdprExport::write(m_db, path, options).ok());
    QVERIFY(!QFile::exists(path));
}

void TestGdprExport::secretSettings_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("secret");
    QTest::newRow("token") << "sync/access_token" << true;
    QTest::newRow("password") << "smtp/Password" << true;
    QTest::newRow("api key") << "defillama/apiKey" << true;
    QTest::newRow("currency") << "display/currency" << false;
    QTest::newRow("method") << "tax/method" << false;
}

void TestGdprExport::secretSettings() {
    QFETCH(QString, key);
    QFETCH(bool, secret);
    QCOMPARE(app::GdprExport::isSecretSetting(key), secret);
}

QTEST_GUILESS_MAIN(TestGdprExport)
#include "TestGdprExport.moc"
