#include "TestSupport.h"

#include "alerts/AlertEvaluator.h"
#include "domain/Uuid.h"
#include "store/AlertRepository.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "store/ReferenceDataRepository.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::alerts;

Q_DECLARE_METATYPE(llamadesk::AlertType)
Q_DECLARE_METATYPE(llamadesk::ConditionOperator)
Q_DECLARE_METATYPE(llamadesk::ThresholdType)
Q_DECLARE_METATYPE(llamadesk::alerts::Outcome)

namespace {

Decimal dec(const char* text) {
    const Result<Decimal> d = Decimal::parse(QStringView(QString::fromLatin1(text)));
    if (!d)
        qFatal("bad decimal in test data: %s", text);
    return d.value();
}

const Timestamp kNow = Timestamp::parse(u"2026-03-10T12:00:00.000000Z").value();

Timestamp minutesAgo(qint64 minutes) {
    return Timestamp::fromMicrosecondsSinceEpoch(kNow.microsecondsSinceEpoch() -
                                                 minutes * 60 * 1000 * 1000);
}

} // namespace

// The local alert evaluator on a real encrypted vault: every locally answerable alert type with
// absolute and percentage thresholds, exact boundaries, missing and stale data, server-only
// rules, pause, cooldown and the daily maximum.
class TestAlertEvaluator : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void evaluates_data();
    void evaluates();
    void cooldownAndDailyMaximum();
    void pauseIsHonoured();
    void triggerRowIsComplete();
    void cancelRecordsNothing();
    void locality_data();
    void locality();

private:
    AlertRule makeRule(AlertType type, const QString& target, ConditionOperator op,
                       const Decimal& threshold,
                       ThresholdType thresholdType = ThresholdType::Absolute,
                       qint64 timeframe = 60);
    int historyRows();

    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<vault::Vault> m_vault;
    QSqlDatabase m_db;
    QString m_user;
};

void TestAlertEvaluator::initTestCase() {
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = QStringLiteral("alert evaluator test 1");
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    m_vault = vault::Vault::create(m_dir.filePath(QStringLiteral("alerts.llamadesk")), options,
                                   m_secrets, nullptr, &error, &message);
    QVERIFY2(m_vault, qPrintable(message));
    m_db = m_vault->database();
    const Result<QString> owner = store::LocalUser::ensure(m_db);
    QVERIFY(owner.ok());
    m_user = owner.value();

    store::ReferenceDataRepository reference(m_db);
    auto price = [](const char* symbol, const char* usd, const Timestamp& at) {
        PricePoint p;
        p.assetSymbol = QString::fromLatin1(symbol);
        p.priceUsd = dec(usd);
        p.timestamp = at;
        return p;
    };
    QVERIFY(reference
                .replacePrices({price("ETH", "2000", minutesAgo(60)),
                                price("ETH", "2100", minutesAgo(5)),
                                price("OLD", "5", minutesAgo(3 * 24 * 60))})
                .ok());
    auto gas = [](const char* medium, const Timestamp& at) {
        GasPrediction g;
        g.id = newUuid();
        g.chainId = 1;
        g.predictedLow = dec(medium);
        g.predictedMedium = dec(medium);
        g.predictedHigh = dec(medium);
        g.predictedInstant = dec(medium);
        g.predictionFor = at;
        g.timestamp = at;
        return g;
    };
    QVERIFY(
        reference.replaceGasPredictions({gas("20", minutesAgo(70)), gas("12.5", minutesAgo(10))})
            .ok());

    store::PortfolioRepository portfolio(m_db);
    PortfolioAsset eth;
    eth.id = newUuid();
    eth.userId = m_user;
    eth.assetSymbol = QStringLiteral("ETH");
    eth.chainId = 1;
    eth.balance = dec("2");
    eth.balanceUsd = dec("4200");
    QVERIFY(portfolio.upsertAsset(eth).ok());
    PortfolioSnapshot snapshot;
    snapshot.id = newUuid();
    snapshot.userId = m_user;
    snapshot.totalValueUsd = dec("4000");
    snapshot.timestamp = minutesAgo(1440 + 60);
    snapshot.snapshotDate = snapshot.timestamp.toString().left(10);
    const Status inserted = portfolio.insertSnapshot(snapshot);
    QVERIFY2(inserted.ok(), qPrintable(inserted.error()));
}

void TestAlertEvaluator::cleanupTestCase() {
    m_db = QSqlDatabase();
    if (m_vault)
        m_vault->close();
}

void TestAlertEvaluator::init() {
    // Each case starts without rules or history.
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM alert_history")));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM alert_rules")));
}

AlertRule TestAlertEvaluator::makeRule(AlertType type, const QString& target, ConditionOperator op,
                                       const Decimal& threshold, ThresholdType thresholdType,
                                       qint64 timeframe) {
    AlertRule r;
    r.id = newUuid();
    r.userId = m_user;
    r.name = QStringLiteral("rule on %1").arg(target);
    r.alertType = type;
    r.targetType = type == AlertType::GasPrice         ? QStringLiteral("chain")
                   : type == AlertType::PortfolioValue ? QStringLiteral("portfolio")
                                                       : QStringLiteral("token");
    r.targetId = target;
    r.conditionOperator = op;
    r.thresholdValue = threshold;
    r.thresholdType = thresholdType;
    r.timeframeMinutes = timeframe;
    r.cooldownMinutes = 30;
    r.maxTriggersPerDay = 2;
    return r;
}

int TestAlertEvaluator::historyRows() {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM alert_history")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

void TestAlertEvaluator::evaluates_data() {
    QTest::addColumn<AlertType>("type");
    QTest::addColumn<QString>("target");
    QTest::addColumn<ConditionOperator>("op");
    QTest::addColumn<QString>("threshold");
    QTest::addColumn<ThresholdType>("thresholdType");
    QTest::addColumn<qint64>("timeframe");
    QTest::addColumn<Outcome>("expected");
    QTest::addColumn<QString>("value");

    const auto P = AlertType::PriceChange;
    const auto abs = ThresholdType::Absolute;
    const auto pct = ThresholdType::Percentage;
    using Op = ConditionOperator;
    QTest::newRow("price above, met")
        << P << "ETH" << Op::Greater << "2050" << abs << qint64(60) << Outcome::Triggered << "2100";
    QTest::newRow("price above, at the boundary")
        << P << "ETH" << Op::Greater << "2100" << abs << qint64(60) << Outcome::NotMet << "2100";
    QTest::newRow("price at or above the boundary")
        << P << "ETH" << Op::GreaterOrEqual << "2100" << abs << qint64(60) << Outcome::Triggered
        << "2100";
    QTest::newRow("price below, by a tiny margin")
        << P << "eth" << Op::Less << "2100.000000000000000001" << abs << qint64(60)
        << Outcome::Triggered << "2100";
    QTest::newRow("price equal") << P << "ETH" << Op::Equal << "2100" << abs << qint64(60)
                                 << Outcome::Triggered << "2100";
    QTest::newRow("price not equal")
        << P << "ETH" << Op::NotEqual << "2100" << abs << qint64(60) << Outcome::NotMet << "2100";
    QTest::newRow("price up 5% in an hour") << P << "ETH" << Op::GreaterOrEqual << "5" << pct
                                            << qint64(60) << Outcome::Triggered << "5";
    QTest::newRow("price up, threshold just above")
        << P << "ETH" << Op::GreaterOrEqual << "5.000001" << pct << qint64(60) << Outcome::NotMet
        << "5";
    QTest::newRow("price change, no price that long ago")
        << P << "ETH" << Op::Greater << "1" << pct << qint64(10 * 24 * 60) << Outcome::NoData << "";
    QTest::newRow("price of an asset without prices")
        << P << "DOGE" << Op::Greater << "1" << abs << qint64(60) << Outcome::NoData << "";
    QTest::newRow("stale price") << P << "OLD" << Op::Greater << "1" << abs << qint64(60)
                                 << Outcome::NoData << "";
    QTest::newRow("gas below") << AlertType::GasPrice << "1" << Op::Less << "15" << abs
                               << qint64(60) << Outcome::Triggered << "12.5";
    QTest::newRow("gas falls 37.5%") << AlertType::GasPrice << "1" << Op::LessOrEqual << "-30"
                                     << pct << qint64(60) << Outcome::Triggered << "-37.5";
    QTest::newRow("gas on a chain without predictions")
        << AlertType::GasPrice << "10" << Op::Less << "15" << abs << qint64(60) << Outcome::NoData
        << "";
    QTest::newRow("portfolio value below")
        << AlertType::PortfolioValue << "total" << Op::Less << "5000" << abs << qint64(60)
        << Outcome::Triggered << "4200";
    QTest::newRow("portfolio up 5% in a day")
        << AlertType::PortfolioValue << "total" << Op::Greater << "4" << pct << qint64(1440)
        << Outcome::Triggered << "5";
    QTest::newRow("portfolio down, not met")
        << AlertType::PortfolioValue << "total" << Op::LessOrEqual << "-2.5" << pct << qint64(1440)
        << Outcome::NotMet << "5";
    QTest::newRow("TVL needs the server") << AlertType::TvlChange << "lido" << Op::Less << "-10"
                                          << pct << qint64(1440) << Outcome::ServerOnly << "";
    QTest::newRow("whales need the server")
        << AlertType::WhaleMovement << "ETH" << Op::Greater << "1000" << abs << qint64(60)
        << Outcome::ServerOnly << "";
}

void TestAlertEvaluator::evaluates() {
    QFETCH(AlertType, type);
    QFETCH(QString, target);
    QFETCH(ConditionOperator, op);
    QFETCH(QString, threshold);
    QFETCH(ThresholdType, thresholdType);
    QFETCH(qint64, timeframe);
    QFETCH(Outcome, expected);
    QFETCH(QString, value);

    AlertRule rule =
        makeRule(type, target, op, dec(threshold.toLatin1().constData()), thresholdType, timeframe);
    store::AlertRepository repository(m_db);
    QVERIFY(repository.insertRule(rule).ok());

    ManualClock clock(kNow);
    AlertEvaluator evaluator(m_db, clock);
    const Result<EvaluationReport> report = evaluator.evaluate();
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().rules.size(), 1);
    const RuleEvaluation& r = report.value().rules.first();
    QCOMPARE(r.ruleId, rule.id);
    QCOMPARE(r.outcome, expected);
    if (!value.isEmpty()) {
        QVERIFY(r.value.has_value());
        QCOMPARE(r.value->toString(), value);
    }
    if (expected == Outcome::NoData || expected == Outcome::ServerOnly)
        QVERIFY(!r.detail.isEmpty());
    const int triggered = expected == Outcome::Triggered ? 1 : 0;
    QCOMPARE(report.value().triggered.size(), triggered);
    QCOMPARE(historyRows(), triggered);
}

void TestAlertEvaluator::cooldownAndDailyMaximum() {
    // Cooldown 30 minutes, at most 2 a day.
    const AlertRule rule = makeRule(AlertType::PriceChange, QStringLiteral("ETH"),
                                    ConditionOperator::Greater, dec("1000"));
    store::AlertRepository repository(m_db);
    QVERIFY(repository.insertRule(rule).ok());
    ManualClock clock(kNow);
    AlertEvaluator evaluator(m_db, clock);
    auto tick = [&] {
        const Result<EvaluationReport> report = evaluator.evaluate();
        if (!report || report.value().rules.size() != 1)
            qFatal("evaluation failed");
        return report.value().rules.first().outcome;
    };
    QCOMPARE(tick(), Outcome::Triggered);
    QCOMPARE(tick(), Outcome::CoolingDown); // the same moment
    clock.advanceMinutes(29);
    QCOMPARE(tick(), Outcome::CoolingDown);
    clock.advanceMinutes(1); // exactly the cooldown
    QCOMPARE(tick(), Outcome::Triggered);
    clock.advanceMinutes(31);
    QCOMPARE(tick(), Outcome::DailyLimit);
    QCOMPARE(historyRows(), 2);
    // The next UTC day starts a new count.
    clock.advanceMinutes(12 * 60);
    QCOMPARE(tick(), Outcome::Triggered);
    QCOMPARE(historyRows(), 3);
    const auto stored = repository.rule(rule.id);
    QVERIFY(stored.ok() && stored.value());
    QCOMPARE(stored.value()->triggerCountTotal, qint64(3));
    QCOMPARE(stored.value()->triggerCountToday, qint64(1));
}

void TestAlertEvaluator::pauseIsHonoured() {
    const AlertRule rule = makeRule(AlertType::PriceChange, QStringLiteral("ETH"),
                                    ConditionOperator::Greater, dec("1000"));
    store::AlertRepository repository(m_db);
    QVERIFY(repository.insertRule(rule).ok());
    QVERIFY(repository.pause(rule.id, minutesAgo(-60)).ok());
    ManualClock clock(kNow);
    AlertEvaluator evaluator(m_db, clock);
    Result<EvaluationReport> report = evaluator.evaluate();
    QVERIFY(report.ok());
    QCOMPARE(report.value().rules.first().outcome, Outcome::Paused);
    QCOMPARE(historyRows(), 0);
    clock.advanceMinutes(61); // the pause ran out
    report = evaluator.evaluate();
    QVERIFY(report.ok());
    QCOMPARE(report.value().rules.first().outcome, Outcome::Triggered);
    // An inactive rule is not evaluated at all.
    QVERIFY(repository.setActive(rule.id, false).ok());
    report = evaluator.evaluate();
    QVERIFY(report.ok());
    QVERIFY(report.value().rules.isEmpty());
}

void TestAlertEvaluator::triggerRowIsComplete() {
    AlertRule rule =
        makeRule(AlertType::PriceChange, QStringLiteral("ETH"), ConditionOperator::GreaterOrEqual,
                 dec("2.5"), ThresholdType::Percentage, 60);
    rule.notificationChannels = {QStringLiteral("email"), QStringLiteral("sms")};
    store::AlertRepository repository(m_db);
    QVERIFY(repository.insertRule(rule).ok());
    ManualClock clock(kNow);
    AlertEvaluator evaluator(m_db, clock);
    const Result<EvaluationReport> report = evaluator.evaluate();
    QVERIFY(report.ok());
    QCOMPARE(report.value().triggered.size(), 1);
    const auto history = repository.history(rule.id, 10);
    QVERIFY(history.ok());
    QCOMPARE(history.value().size(), 1);
    const AlertHistoryEntry& h = history.value().first();
    QCOMPARE(h, report.value().triggered.first());
    QCOMPARE(h.triggeredValue, dec("5"));
    QCOMPARE(h.thresholdValue, dec("2.5"));
    QCOMPARE(h.conditionMet, QStringLiteral("5 >= 2.5"));
    QCOMPARE(h.timestamp, kNow);
    QVERIFY(h.severity == Severity::Critical); // twice the threshold
    QCOMPARE(h.notificationChannels, rule.notificationChannels);
    QVERIFY(h.title.contains(QStringLiteral("ETH")));
    QVERIFY(h.message.contains(QStringLiteral("$2100.00")));
    const QJsonObject meta =
        QJsonDocument::fromJson(h.metadata.value_or(QString()).toUtf8()).object();
    QCOMPARE(meta.value(QStringLiteral("value")).toString(), QStringLiteral("2100"));
    QCOMPARE(meta.value(QStringLiteral("previous_value")).toString(), QStringLiteral("2000"));
}

void TestAlertEvaluator::cancelRecordsNothing() {
    store::AlertRepository repository(m_db);
    QVERIFY(repository
                .insertRule(makeRule(AlertType::PriceChange, QStringLiteral("ETH"),
                                     ConditionOperator::Greater, dec("1")))
                .ok());
    ManualClock clock(kNow);
    AlertEvaluator evaluator(m_db, clock);
    const std::atomic<bool> cancel{true};
    QVERIFY(!evaluator.evaluate(&cancel).ok());
    QCOMPARE(historyRows(), 0);
}

void TestAlertEvaluator::locality_data() {
    QTest::addColumn<AlertType>("type");
    QTest::addColumn<bool>("local");
    QTest::newRow("price") << AlertType::PriceChange << true;
    QTest::newRow("gas") << AlertType::GasPrice << true;
    QTest::newRow("portfolio") << AlertType::PortfolioValue << true;
    QTest::newRow("tvl") << AlertType::TvlChange << false;
    QTest::newRow("volume") << AlertType::VolumeSpike << false;
    QTest::newRow("security") << AlertType::SecurityRisk << false;
    QTest::newRow("whale") << AlertType::WhaleMovement << false;
    QTest::newRow("listing") << AlertType::NewListing << false;
}

void TestAlertEvaluator::locality() {
    QFETCH(AlertType, type);
    QFETCH(bool, local);
    QCOMPARE(AlertEvaluator::locality(type) == Locality::Local, local);
}

QTEST_GUILESS_MAIN(TestAlertEvaluator)
#include "TestAlertEvaluator.moc"
