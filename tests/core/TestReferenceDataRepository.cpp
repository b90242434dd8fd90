#include "TestSupport.h"

#include "domain/Uuid.h"
#include "store/Migrator.h"
#include "store/ReferenceDataRepository.h"
#include "store/SqlCipherDriver.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

Q_DECLARE_METATYPE(llamadesk::PricePoint)
Q_DECLARE_METATYPE(llamadesk::GasPrediction)
Q_DECLARE_METATYPE(llamadesk::Prediction)
Q_DECLARE_METATYPE(llamadesk::ProtocolHealth)

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

Decimal dec(const char* text) {
    Result<Decimal> d = Decimal::parse(QStringView(QString::fromLatin1(text)));
    if (!d)
        qFatal("bad decimal in test data: %s", text);
    return *d;
}

Timestamp ts(const char* text) {
    Result<Timestamp> t = Timestamp::parse(QStringView(QString::fromLatin1(text)));
    if (!t)
        qFatal("bad timestamp in test data: %s", text);
    return *t;
}

PricePoint price(const char* symbol, const char* when, const char* usd) {
    PricePoint p;
    p.assetSymbol = QLatin1String(symbol);
    p.priceUsd = dec(usd);
    p.timestamp = ts(when);
    return p;
}

GasPrediction gas(qint64 chain, const char* when, const char* medium) {
    GasPrediction g;
    g.id = newUuid();
    g.chainId = chain;
    g.predictedLow = dec("1.5");
    g.predictedMedium = dec(medium);
    g.predictedHigh = dec(medium) + dec("10");
    g.predictedInstant = dec(medium) + dec("20");
    g.timestamp = ts(when);
    g.predictionFor = Timestamp::fromMicrosecondsSinceEpoch(g.timestamp.microsecondsSinceEpoch() +
                                                            3600LL * 1000000);
    return g;
}

Prediction prediction(PredictionType type, const char* target, const char* when,
                      const char* value) {
    Prediction p;
    p.id = newUuid();
    p.predictionType = type;
    p.targetId = QLatin1String(target);
    p.predictedValue = dec(value);
    p.predictionHorizonHours = 24;
    p.modelName = QStringLiteral("lstm");
    p.modelVersion = QStringLiteral("1.2");
    p.timestamp = ts(when);
    p.predictionFor = Timestamp::fromMicrosecondsSinceEpoch(p.timestamp.microsecondsSinceEpoch() +
                                                            24LL * 3600 * 1000000);
    return p;
}

ProtocolHealth health(const char* protocol, const char* when, qint64 score) {
    ProtocolHealth h;
    h.id = newUuid();
    h.protocolId = QLatin1String(protocol);
    h.protocolName = QString::fromLatin1(protocol).toUpper();
    h.healthScore = score;
    h.timestamp = ts(when);
    return h;
}

} // namespace

class TestReferenceDataRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void priceRoundTrip_data();
    void priceRoundTrip();
    void gasRoundTrip_data();
    void gasRoundTrip();
    void predictionRoundTrip_data();
    void predictionRoundTrip();
    void healthRoundTrip_data();
    void healthRoundTrip();

    void priceAtOrBefore_data();
    void priceAtOrBefore();
    void priceAtIsOneSeek();
    void priceSeriesRange();
    void pricedAssetsListsSymbols();

    void replaceSemantics_data();
    void replaceSemantics();
    void validationNamesTheField_data();
    void validationNamesTheField();
    void invalidRowLeavesBatchUnwritten();

    void latestGasPerChain();
    void predictionsByTypeAndTarget();
    void latestHealthPerProtocol();
    void referenceWritesSkipTheOutbox();

private:
    qint64 count(const char* table);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    std::unique_ptr<ReferenceDataRepository> m_repo;
};

void TestReferenceDataRepository::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("reference-repo"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    m_repo = std::make_unique<ReferenceDataRepository>(m_db);
}

void TestReferenceDataRepository::cleanupTestCase() {
    m_repo.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("reference-repo"));
}

void TestReferenceDataRepository::init() {
    QSqlQuery q(m_db);
    for (const char* table : {"prices", "gas_predictions", "predictions", "protocol_health"})
        QVERIFY(q.exec(QStringLiteral("DELETE FROM ") + QLatin1String(table)));
}

qint64 TestReferenceDataRepository::count(const char* table) {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table)) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

void TestReferenceDataRepository::priceRoundTrip_data() {
    QTest::addColumn<PricePoint>("price");
    QTest::newRow("optionals NULL") << price("ETH", "2025-01-01T00:00:00Z", "3312.5");
    PricePoint full = price("SHIB", "2024-02-29T23:59:59.999999Z", "0.000000000000000001");
    full.chainId = 1;
    full.source = QStringLiteral("coingecko");
    QTest::newRow("every field, smallest price") << full;
    PricePoint big =
        price("ABCDEFGHIJKLMNOPQRST", "0001-01-01T00:00:00Z", "99999999999.999999999999999999");
    big.chainId = 2147483647;
    QTest::newRow("largest price, 20-character symbol, first instant") << big;
    QTest::newRow("zero") << price("DEAD", "2025-06-01T12:00:00Z", "0");
}

void TestReferenceDataRepository::priceRoundTrip() {
    QFETCH(PricePoint, price);
    QVERIFY2(price.validate().isEmpty(), qPrintable(price.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->replacePrices({price});
    QVERIFY2(s.ok(), qPrintable(s.error()));
    auto back = m_repo->priceAt(price.assetSymbol, price.timestamp);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back->has_value());
    QCOMPARE((*back)->priceUsd.toString(), price.priceUsd.toString());
    QVERIFY(**back == price);
}

void TestReferenceDataRepository::gasRoundTrip_data() {
    QTest::addColumn<GasPrediction>("gas");
    QTest::newRow("optionals NULL") << gas(1, "2025-01-01T10:00:00Z", "12.34");
    GasPrediction full = gas(42161, "2025-01-01T11:00:00.000001Z", "0.01");
    full.predictedLow = dec("0");
    full.predictedMedium = dec("0.01");
    full.predictedHigh = dec("0.01");
    full.predictedInstant = dec("99999999.99");
    full.actualGasPrice = dec("0.02");
    full.predictionError = dec("0.01");
    full.confidenceScore = dec("1");
    full.modelVersion = QStringLiteral("v10.0.0-rc");
    full.pendingTransactions = 0;
    full.networkUtilization = dec("100");
    full.blockNumber = 9000000000000LL;
    QTest::newRow("every field, bounds") << full;
}

void TestReferenceDataRepository::gasRoundTrip() {
    QFETCH(GasPrediction, gas);
    QVERIFY2(gas.validate().isEmpty(), qPrintable(gas.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->replaceGasPredictions({gas});
    QVERIFY2(s.ok(), qPrintable(s.error()));
    auto back = m_repo->gasPredictions(gas.chainId, std::nullopt, std::nullopt);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back->size(), 1);
    QVERIFY(back->constFirst() == gas);
}

void TestReferenceDataRepository::predictionRoundTrip_data() {
    QTest::addColumn<Prediction>("prediction");
    QTest::newRow("token price, optionals NULL")
        << prediction(PredictionType::TokenPrice, "ETH", "2025-01-01T00:00:00Z", "3400.123456");
    Prediction trend =
        prediction(PredictionType::MarketTrend, "market", "2025-01-02T00:00:00Z", "-0.35");
    trend.chainId = 1;
    trend.confidenceScore = dec("0.42");
    trend.predictionHorizonHours = 168;
    trend.actualValue = dec("-99999999999.999999999999999999");
    trend.predictionError = dec("0.000000000000000001");
    QTest::newRow("market trend, every field, negative") << trend;
    QTest::newRow("protocol tvl") << prediction(PredictionType::ProtocolTvl, "aave-v3",
                                                "2025-01-03T00:00:00Z", "12000000000");
    QTest::newRow("gas price") << prediction(PredictionType::GasPrice, "1", "2025-01-04T00:00:00Z",
                                             "21.5");
}

void TestReferenceDataRepository::predictionRoundTrip() {
    QFETCH(Prediction, prediction);
    QVERIFY2(prediction.validate().isEmpty(),
             qPrintable(prediction.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->replacePredictions({prediction});
    QVERIFY2(s.ok(), qPrintable(s.error()));
    auto back = m_repo->predictions(prediction.predictionType, prediction.targetId, std::nullopt,
                                    std::nullopt);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back->size(), 1);
    QVERIFY(back->constFirst() == prediction);
}

void TestReferenceDataRepository::healthRoundTrip_data() {
    QTest::addColumn<ProtocolHealth>("row");
    ProtocolHealth bare = health("lido", "2025-01-01T00:00:00Z", 90);
    bare.healthScore.reset();
    QTest::newRow("optionals NULL") << bare;
    ProtocolHealth full = health("curve", "2025-01-01T00:00:00Z", 0);
    full.chainId = 1;
    full.tvlUsd = dec("999999999999999999.99");
    full.tvlChange24hPercentage = dec("-9999.999999");
    full.volume24hUsd = dec("0");
    full.riskLevel = RiskLevel::Critical;
    full.status = HealthStatus::Degraded;
    full.anomalies = QStringLiteral("[{\"kind\":\"tvl_drop\",\"pct\":\"-12.5\"}]");
    full.metadata = QStringLiteral("{\"category\":\"Dexes\"}");
    QTest::newRow("every field, extremes") << full;
}

void TestReferenceDataRepository::healthRoundTrip() {
    QFETCH(ProtocolHealth, row);
    QVERIFY2(row.validate().isEmpty(), qPrintable(row.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->replaceProtocolHealth({row});
    QVERIFY2(s.ok(), qPrintable(s.error()));
    auto back = m_repo->protocolHealthHistory(row.protocolId, std::nullopt, std::nullopt);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back->size(), 1);
    QVERIFY(back->constFirst() == row);
}

void TestReferenceDataRepository::priceAtOrBefore_data() {
    QTest::addColumn<QString>("at");
    QTest::addColumn<QString>("expected"); // empty: no price
    QTest::newRow("exact time of a row") << "2025-01-02T00:00:00Z"
                                         << "2000";
    QTest::newRow("one microsecond before a row") << "2025-01-01T23:59:59.999999Z"
                                                  << "1000";
    QTest::newRow("before the first") << "2024-12-31T23:59:59.999999Z"
                                      << "";
    QTest::newRow("exact first") << "2025-01-01T00:00:00Z"
                                 << "1000";
    QTest::newRow("between two rows") << "2025-01-02T13:00:00Z"
                                      << "2000";
    QTest::newRow("after the last") << "2030-01-01T00:00:00Z"
                                    << "3000.5";
    QTest::newRow("exact last") << "2025-01-05T00:00:00Z"
                                << "3000.5";
}

void TestReferenceDataRepository::priceAtOrBefore() {
    QFETCH(QString, at);
    QFETCH(QString, expected);
    // Neighbouring symbols on both sides: the seek must stay within ETH.
    const Status s = m_repo->replacePrices({
        price("ETH", "2025-01-01T00:00:00Z", "1000"),
        price("ETH", "2025-01-02T00:00:00Z", "2000"),
        price("ETH", "2025-01-05T00:00:00Z", "3000.5"),
        price("BTC", "2024-01-01T00:00:00Z", "1"),
        price("ETHX", "2024-12-01T00:00:00Z", "2"),
        price("ETHX", "2031-01-01T00:00:00Z", "3"),
        price("ET", "2024-12-01T00:00:00Z", "4"),
    });
    QVERIFY2(s.ok(), qPrintable(s.error()));
    auto found = m_repo->priceAt(QStringLiteral("ETH"), *Timestamp::parse(at));
    QVERIFY2(found.ok(), qPrintable(found.error()));
    if (expected.isEmpty()) {
        QVERIFY(!found->has_value());
    } else {
        QVERIFY(found->has_value());
        QCOMPARE((*found)->assetSymbol, QStringLiteral("ETH"));
        QCOMPARE((*found)->priceUsd.toString(), expected);
    }
}

void TestReferenceDataRepository::priceAtIsOneSeek() {
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("EXPLAIN QUERY PLAN SELECT price_usd FROM prices "
                                     "WHERE asset_symbol = ? AND timestamp <= ? "
                                     "ORDER BY timestamp DESC LIMIT 1")));
    q.addBindValue(QStringLiteral("ETH"));
    q.addBindValue(QStringLiteral("2025-01-01T00:00:00.000000Z"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    QStringList plan;
    while (q.next())
        plan << q.value(3).toString();
    const QString text = plan.join(QLatin1Char('\n'));
    QVERIFY2(text.contains(QStringLiteral("PRIMARY KEY")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("TEMP B-TREE")), qPrintable(text));
}

void TestReferenceDataRepository::priceSeriesRange() {
    QList<PricePoint> rows;
    for (int day = 1; day <= 9; ++day)
        rows << price("SOL", qPrintable(QStringLiteral("2025-03-0%1T00:00:00Z").arg(day)),
                      qPrintable(QString::number(100 + day)));
    rows << price("SOLX", "2025-03-05T00:00:00Z", "1");
    QVERIFY(m_repo->replacePrices(rows).ok());
    auto series = m_repo->priceSeries(QStringLiteral("SOL"), ts("2025-03-03T00:00:00Z"),
                                      ts("2025-03-06T00:00:00Z"));
    QVERIFY2(series.ok(), qPrintable(series.error()));
    QCOMPARE(series->size(), 3); // 3, 4, 5: from inclusive, until exclusive
    QCOMPARE(series->at(0).priceUsd, dec("103"));
    QCOMPARE(series->at(2).priceUsd, dec("105"));
    auto all = m_repo->priceSeries(QStringLiteral("SOL"), std::nullopt, std::nullopt);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 9);
    QVERIFY(all->first().timestamp < all->last().timestamp);
}

void TestReferenceDataRepository::pricedAssetsListsSymbols() {
    QVERIFY(m_repo
                ->replacePrices({price("ETH", "2025-01-01T00:00:00Z", "1"),
                                 price("ETH", "2025-01-02T00:00:00Z", "1"),
                                 price("BTC", "2025-01-01T00:00:00Z", "1"),
                                 price("USDC", "2025-01-01T00:00:00Z", "1")})
                .ok());
    auto symbols = m_repo->pricedAssets();
    QVERIFY2(symbols.ok(), qPrintable(symbols.error()));
    QCOMPARE(*symbols,
             (QStringList{QStringLiteral("BTC"), QStringLiteral("ETH"), QStringLiteral("USDC")}));
}

void TestReferenceDataRepository::replaceSemantics_data() {
    QTest::addColumn<QString>("table");
    QTest::newRow("prices: same symbol and time") << "prices";
    QTest::newRow("gas_predictions: same chain and time, new id") << "gas_predictions";
    QTest::newRow("predictions: same id") << "predictions";
    QTest::newRow("protocol_health: same id") << "protocol_health";
}

void TestReferenceDataRepository::replaceSemantics() {
    QFETCH(QString, table);
    if (table == QLatin1String("prices")) {
        QVERIFY(m_repo->replacePrices({price("ETH", "2025-01-01T00:00:00Z", "1000")}).ok());
        QVERIFY(m_repo->replacePrices({price("ETH", "2025-01-01T00:00:00Z", "1001.25")}).ok());
        QCOMPARE(count("prices"), 1);
        auto p = m_repo->priceAt(QStringLiteral("ETH"), ts("2025-01-01T00:00:00Z"));
        QCOMPARE((*p)->priceUsd, dec("1001.25"));
    } else if (table == QLatin1String("gas_predictions")) {
        GasPrediction first = gas(1, "2025-01-01T00:00:00Z", "10");
        GasPrediction second = gas(1, "2025-01-01T00:00:00Z", "11");
        QVERIFY(first.id != second.id);
        QVERIFY(m_repo->replaceGasPredictions({first}).ok());
        QVERIFY(m_repo->replaceGasPredictions({second}).ok());
        QCOMPARE(count("gas_predictions"), 1);
        auto rows = m_repo->gasPredictions(1, std::nullopt, std::nullopt);
        QVERIFY(rows->constFirst() == second);
    } else if (table == QLatin1String("predictions")) {
        Prediction p = prediction(PredictionType::TokenPrice, "BTC", "2025-01-01T00:00:00Z", "1");
        QVERIFY(m_repo->replacePredictions({p}).ok());
        p.actualValue = dec("2");
        p.predictionError = dec("1");
        QVERIFY(m_repo->replacePredictions({p}).ok());
        QCOMPARE(count("predictions"), 1);
        auto rows = m_repo->predictions(PredictionType::TokenPrice, QStringLiteral("BTC"), {}, {});
        QVERIFY(rows->constFirst() == p);
    } else {
        ProtocolHealth h = health("aave", "2025-01-01T00:00:00Z", 80);
        QVERIFY(m_repo->replaceProtocolHealth({h}).ok());
        h.healthScore = 20;
        h.status = HealthStatus::Warning;
        QVERIFY(m_repo->replaceProtocolHealth({h}).ok());
        QCOMPARE(count("protocol_health"), 1);
        auto rows = m_repo->protocolHealthHistory(QStringLiteral("aave"), {}, {});
        QVERIFY(rows->constFirst() == h);
    }
}

void TestReferenceDataRepository::validationNamesTheField_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("field");
    QTest::newRow("price negative") << "priceNegative"
                                    << "price_usd";
    QTest::newRow("price 13 integer digits") << "priceScale"
                                             << "price_usd";
    QTest::newRow("symbol empty") << "symbolEmpty"
                                  << "asset_symbol";
    QTest::newRow("symbol 21 characters") << "symbolLong"
                                          << "asset_symbol";
    QTest::newRow("price time missing") << "priceTime"
                                        << "timestamp";
    QTest::newRow("gas medium below low") << "gasOrder"
                                          << "predicted_medium";
    QTest::newRow("gas 3 decimals") << "gasScale"
                                    << "predicted_high";
    QTest::newRow("gas confidence above 1") << "gasConfidence"
                                            << "confidence_score";
    QTest::newRow("gas utilization above 100") << "gasUtilization"
                                               << "network_utilization";
    QTest::newRow("gas id not a UUID") << "gasId"
                                       << "id";
    QTest::newRow("prediction horizon 0") << "predictionHorizon"
                                          << "prediction_horizon_hours";
    QTest::newRow("prediction model version long") << "predictionModel"
                                                   << "model_version";
    QTest::newRow("prediction target empty") << "predictionTarget"
                                             << "target_id";
    QTest::newRow("health score 101") << "healthScore"
                                      << "health_score";
    QTest::newRow("health anomalies not JSON") << "healthAnomalies"
                                               << "anomalies";
    QTest::newRow("health tvl negative") << "healthTvl"
                                         << "tvl_usd";
}

void TestReferenceDataRepository::validationNamesTheField() {
    QFETCH(QString, change);
    QFETCH(QString, field);
    PricePoint p = price("ETH", "2025-01-01T00:00:00Z", "1");
    GasPrediction g = gas(1, "2025-01-01T00:00:00Z", "10");
    Prediction pr = prediction(PredictionType::TokenPrice, "ETH", "2025-01-01T00:00:00Z", "1");
    ProtocolHealth h = health("lido", "2025-01-01T00:00:00Z", 50);
    Status s;
    if (change.startsWith(QLatin1String("price")) || change.startsWith(QLatin1String("symbol"))) {
        if (change == QLatin1String("priceNegative"))
            p.priceUsd = dec("-0.01");
        else if (change == QLatin1String("priceScale"))
            p.priceUsd = dec("1000000000000");
        else if (change == QLatin1String("symbolEmpty"))
            p.assetSymbol.clear();
        else if (change == QLatin1String("symbolLong"))
            p.assetSymbol = QString(21, QLatin1Char('X'));
        else
            p.timestamp = Timestamp();
        s = m_repo->replacePrices({p});
    } else if (change.startsWith(QLatin1String("gas"))) {
        if (change == QLatin1String("gasOrder"))
            g.predictedMedium = dec("1");
        else if (change == QLatin1String("gasScale"))
            g.predictedHigh = dec("20.001");
        else if (change == QLatin1String("gasConfidence"))
            g.confidenceScore = dec("1.01");
        else if (change == QLatin1String("gasUtilization"))
            g.networkUtilization = dec("100.01");
        else
            g.id = g.id.toUpper();
        s = m_repo->replaceGasPredictions({g});
    } else if (change.startsWith(QLatin1String("prediction"))) {
        if (change == QLatin1String("predictionHorizon"))
            pr.predictionHorizonHours = 0;
        else if (change == QLatin1String("predictionModel"))
            pr.modelVersion = QStringLiteral("v1.2.3.4.5.6");
        else
            pr.targetId = QStringLiteral("  ");
        s = m_repo->replacePredictions({pr});
    } else {
        if (change == QLatin1String("healthScore"))
            h.healthScore = 101;
        else if (change == QLatin1String("healthAnomalies"))
            h.anomalies = QStringLiteral("{not json");
        else
            h.tvlUsd = dec("-1");
        s = m_repo->replaceProtocolHealth({h});
    }
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(field), qPrintable(s.error()));
    QVERIFY2(s.error().contains(QStringLiteral("ReferenceDataRepository.replace")),
             qPrintable(s.error()));
}

void TestReferenceDataRepository::invalidRowLeavesBatchUnwritten() {
    QVERIFY(m_repo->replacePrices({price("ETH", "2025-01-01T00:00:00Z", "1")}).ok());
    const Status s = m_repo->replacePrices({price("ETH", "2025-01-01T00:00:00Z", "5"),
                                            price("BTC", "2025-01-01T00:00:00Z", "2"),
                                            price("SOL", "2025-01-01T00:00:00Z", "-3")});
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("row 3 of 3")), qPrintable(s.error()));
    QCOMPARE(count("prices"), 1);
    QCOMPARE((*m_repo->priceAt(QStringLiteral("ETH"), ts("2025-01-02T00:00:00Z")))->priceUsd,
             dec("1"));
}

void TestReferenceDataRepository::latestGasPerChain() {
    QVERIFY(m_repo
                ->replaceGasPredictions(
                    {gas(137, "2025-01-01T00:00:00Z", "30"), gas(1, "2025-01-01T00:00:00Z", "10"),
                     gas(1, "2025-01-01T02:00:00Z", "12"), gas(1, "2025-01-01T01:00:00Z", "11"),
                     gas(137, "2024-12-31T00:00:00Z", "29"),
                     gas(10, "2025-01-01T00:00:00.000001Z", "2.5")})
                .ok());
    auto latest = m_repo->latestGasPredictions();
    QVERIFY2(latest.ok(), qPrintable(latest.error()));
    QCOMPARE(latest->size(), 3);
    QCOMPARE(latest->at(0).chainId, 1);
    QCOMPARE(latest->at(0).predictedMedium, dec("12"));
    QCOMPARE(latest->at(1).chainId, 10);
    QCOMPARE(latest->at(1).predictedMedium, dec("2.5"));
    QCOMPARE(latest->at(2).chainId, 137);
    QCOMPARE(latest->at(2).predictedMedium, dec("30"));
    init();
    auto none = m_repo->latestGasPredictions();
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());
}

void TestReferenceDataRepository::predictionsByTypeAndTarget() {
    QVERIFY(m_repo
                ->replacePredictions({
                    prediction(PredictionType::TokenPrice, "ETH", "2025-01-03T00:00:00Z", "3"),
                    prediction(PredictionType::TokenPrice, "ETH", "2025-01-01T00:00:00Z", "1"),
                    prediction(PredictionType::TokenPrice, "ETH", "2025-01-02T00:00:00Z", "2"),
                    prediction(PredictionType::TokenPrice, "BTC", "2025-01-02T00:00:00Z", "9"),
                    prediction(PredictionType::GasPrice, "ETH", "2025-01-02T00:00:00Z", "8"),
                })
                .ok());
    auto all = m_repo->predictions(PredictionType::TokenPrice, QStringLiteral("ETH"), {}, {});
    QVERIFY2(all.ok(), qPrintable(all.error()));
    QCOMPARE(all->size(), 3);
    QCOMPARE(all->at(0).predictedValue, dec("1"));
    QCOMPARE(all->at(2).predictedValue, dec("3"));
    auto window = m_repo->predictions(PredictionType::TokenPrice, QStringLiteral("ETH"),
                                      ts("2025-01-02T00:00:00Z"), ts("2025-01-03T00:00:00Z"));
    QVERIFY(window.ok());
    QCOMPARE(window->size(), 1);
    QCOMPARE(window->constFirst().predictedValue, dec("2"));
}

void TestReferenceDataRepository::latestHealthPerProtocol() {
    ProtocolHealth tieA = health("uniswap", "2025-01-02T00:00:00Z", 70);
    ProtocolHealth tieB = health("uniswap", "2025-01-02T00:00:00Z", 71);
    tieA.id = QStringLiteral("00000000-0000-4000-8000-000000000001");
    tieB.id = QStringLiteral("00000000-0000-4000-8000-000000000002");
    QVERIFY(m_repo
                ->replaceProtocolHealth({health("lido", "2025-01-01T00:00:00Z", 90),
                                         health("lido", "2025-01-03T00:00:00Z", 40),
                                         health("lido", "2025-01-02T00:00:00Z", 60), tieA, tieB,
                                         health("uniswap", "2025-01-01T00:00:00Z", 99),
                                         health("aave", "2024-01-01T00:00:00Z", 85)})
                .ok());
    auto latest = m_repo->latestProtocolHealth();
    QVERIFY2(latest.ok(), qPrintable(latest.error()));
    QCOMPARE(latest->size(), 3);
    QCOMPARE(latest->at(0).protocolId, QStringLiteral("aave"));
    QCOMPARE(latest->at(1).protocolId, QStringLiteral("lido"));
    QCOMPARE(latest->at(1).healthScore, 40);
    QCOMPARE(latest->at(2).protocolId, QStringLiteral("uniswap"));
    QCOMPARE(latest->at(2).id, tieB.id); // the larger id on a tie
    auto history = m_repo->protocolHealthHistory(QStringLiteral("lido"), {}, {});
    QVERIFY(history.ok());
    QCOMPARE(history->size(), 3);
    QCOMPARE(history->at(1).healthScore, 60);
}

void TestReferenceDataRepository::referenceWritesSkipTheOutbox() {
    const qint64 before = count("sync_outbox");
    QVERIFY(before >= 0);
    QVERIFY(m_repo->replacePrices({price("ETH", "2025-01-01T00:00:00Z", "1")}).ok());
    QVERIFY(m_repo->replaceGasPredictions({gas(1, "2025-01-01T00:00:00Z", "10")}).ok());
    QVERIFY(m_repo
                ->replacePredictions({prediction(PredictionType::MarketTrend, "market",
                                                 "2025-01-01T00:00:00Z", "0.1")})
                .ok());
    QVERIFY(m_repo->replaceProtocolHealth({health("lido", "2025-01-01T00:00:00Z", 90)}).ok());
    QCOMPARE(count("sync_outbox"), before);
}

QTEST_GUILESS_MAIN(TestReferenceDataRepository)
#include "TestReferenceDataRepository.moc"
