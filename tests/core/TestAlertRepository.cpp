#include "TestSupport.h"

#include "domain/Uuid.h"
#include "store/AlertRepository.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <memory>

Q_DECLARE_METATYPE(llamadesk::AlertRule)
Q_DECLARE_METATYPE(llamadesk::store::TriggerOutcome)

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("33333333-2222-4333-8444-555555555555");
const QString kOtherUser = QStringLiteral("44444444-2222-4333-8444-555555555555");

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

AlertRule priceRule() {
    AlertRule r;
    r.id = newUuid();
    r.userId = kUser;
    r.name = QStringLiteral("ETH above 4000");
    r.targetType = QStringLiteral("token");
    r.targetId = QStringLiteral("ethereum");
    r.thresholdValue = dec("4000");
    r.createdAt = ts("2025-01-01T00:00:00.000000Z");
    r.updatedAt = ts("2025-01-01T00:00:00.000000Z");
    return r;
}

AlertHistoryEntry firing(const AlertRule& rule, const char* when) {
    AlertHistoryEntry h;
    h.id = newUuid();
    h.alertRuleId = rule.id;
    h.userId = rule.userId;
    h.triggeredValue = dec("4012.5");
    h.thresholdValue = rule.thresholdValue;
    h.conditionMet = QStringLiteral("price > 4000");
    h.title = QStringLiteral("ETH above 4000");
    h.message = QStringLiteral("ETH is at 4012.50 USD");
    h.notificationChannels = rule.notificationChannels;
    h.timestamp = ts(when);
    h.updatedAt = h.timestamp;
    return h;
}

} // namespace

class TestAlertRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void ruleRoundTrip_data();
    void ruleRoundTrip();
    void ruleValidation_data();
    void ruleValidation();
    void updateKeepsTriggerState();
    void enableAndPause();
    void softDeleteHidesRule();
    void recordTrigger_data();
    void recordTrigger();
    void recordTriggerIsAtomic();
    void recordTriggerRefusesForeignRule();
    void historyQueries();
    void resetDailyCounts();
    void notifications();

private:
    qint64 scalar(const QString& text);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    std::unique_ptr<AlertRepository> m_repo;
};

qint64 TestAlertRepository::scalar(const QString& text) {
    QSqlQuery q(m_db);
    if (!q.exec(text) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

void TestAlertRepository::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("alert-repo"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    for (const QString& user : {kUser, kOtherUser}) {
        QSqlQuery q(m_db);
        QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
        q.addBindValue(user);
        q.addBindValue(QString(user + QStringLiteral("@example.org")));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    m_repo = std::make_unique<AlertRepository>(m_db);
}

void TestAlertRepository::cleanupTestCase() {
    m_repo.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("alert-repo"));
}

void TestAlertRepository::init() {
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM notification_logs")));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM alert_history")));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM alert_rules")));
}

void TestAlertRepository::ruleRoundTrip_data() {
    QTest::addColumn<AlertRule>("rule");
    QTest::newRow("defaults, optionals NULL") << priceRule();

    AlertRule full = priceRule();
    full.description = QStringLiteral("Sell half when it gets there — ünïcödé");
    full.alertType = AlertType::WhaleMovement;
    full.targetType = QStringLiteral("wallet");
    full.targetId = QStringLiteral("0x") + QString(40, QLatin1Char('d'));
    full.chainId = 42161;
    full.conditionOperator = ConditionOperator::NotEqual;
    full.thresholdValue = dec("-999999999999.999999999999999999");
    full.thresholdType = ThresholdType::Percentage;
    full.timeframeMinutes = 1440;
    full.notificationChannels = {QStringLiteral("email"), QStringLiteral("webhook"),
                                 QStringLiteral("telegram"), QStringLiteral("discord"),
                                 QStringLiteral("sms")};
    full.webhookUrl = QStringLiteral("https://hooks.example.org/a?b=c&d=%20");
    full.telegramChatId = QStringLiteral("-100123456789");
    full.discordWebhookUrl = QStringLiteral("https://discord.example.com/api/webhooks/1/x");
    full.cooldownMinutes = 0;
    full.maxTriggersPerDay = 1;
    full.lastTriggeredAt = ts("2025-03-03T03:03:03.030303Z");
    full.triggerCountToday = 1;
    full.triggerCountTotal = 77;
    full.isActive = false;
    full.isPaused = true;
    full.pausedUntil = ts("2025-04-01T00:00:00.000000Z");
    full.deletedAt = ts("2025-05-01T00:00:00.000000Z");
    QTest::newRow("every field") << full;

    AlertRule tiny = priceRule();
    tiny.thresholdValue = dec("0.000000000000000001");
    tiny.conditionOperator = ConditionOperator::LessOrEqual;
    tiny.notificationChannels = {QStringLiteral("sms")};
    QTest::newRow("smallest threshold, one channel") << tiny;
}

void TestAlertRepository::ruleRoundTrip() {
    QFETCH(AlertRule, rule);
    QVERIFY2(rule.validate().isEmpty(), qPrintable(rule.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->insertRule(rule);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    Result<std::optional<AlertRule>> back = m_repo->rule(rule.id);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back->has_value());
    QCOMPARE((*back)->thresholdValue, rule.thresholdValue);
    QCOMPARE((*back)->notificationChannels, rule.notificationChannels);
    QCOMPARE((*back)->pausedUntil, rule.pausedUntil);
    QVERIFY(**back == rule);
}

void TestAlertRepository::ruleValidation_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("name empty") << "name"
                                << "name";
    QTest::newRow("name 256 chars") << "nameLong"
                                    << "name";
    QTest::newRow("target missing") << "target"
                                    << "target_id";
    QTest::newRow("target type 51 chars") << "targetType"
                                          << "target_type";
    QTest::newRow("threshold 13 integer digits") << "threshold"
                                                 << "threshold_value";
    QTest::newRow("no channel") << "noChannel"
                                << "notification_channels";
    QTest::newRow("unknown channel") << "badChannel"
                                     << "notification_channels";
    QTest::newRow("duplicate channel") << "twice"
                                       << "notification_channels";
    QTest::newRow("webhook without url") << "webhook"
                                         << "webhook_url";
    QTest::newRow("webhook url not http") << "webhookScheme"
                                          << "webhook_url";
    QTest::newRow("telegram without chat") << "telegram"
                                           << "telegram_chat_id";
    QTest::newRow("discord without url") << "discord"
                                         << "discord_webhook_url";
    QTest::newRow("timeframe zero") << "timeframe"
                                    << "timeframe_minutes";
    QTest::newRow("cooldown negative") << "cooldown"
                                       << "cooldown_minutes";
    QTest::newRow("max per day zero") << "maxPerDay"
                                      << "max_triggers_per_day";
    QTest::newRow("today above total") << "counts"
                                       << "trigger_count_today";
    QTest::newRow("paused_until without pause") << "pausedUntil"
                                                << "paused_until";
    QTest::newRow("chain zero") << "chain"
                                << "chain_id";
}

void TestAlertRepository::ruleValidation() {
    QFETCH(QString, change);
    QFETCH(QString, expected);
    AlertRule r = priceRule();
    QVERIFY(r.validate().isEmpty());
    if (change == QLatin1String("name"))
        r.name = QStringLiteral(" ");
    else if (change == QLatin1String("nameLong"))
        r.name = QString(256, QLatin1Char('n'));
    else if (change == QLatin1String("target"))
        r.targetId.clear();
    else if (change == QLatin1String("targetType"))
        r.targetType = QString(51, QLatin1Char('t'));
    else if (change == QLatin1String("threshold"))
        r.thresholdValue = dec("1000000000000");
    else if (change == QLatin1String("noChannel"))
        r.notificationChannels.clear();
    else if (change == QLatin1String("badChannel"))
        r.notificationChannels = {QStringLiteral("pigeon")};
    else if (change == QLatin1String("twice"))
        r.notificationChannels = {QStringLiteral("email"), QStringLiteral("email")};
    else if (change == QLatin1String("webhook"))
        r.notificationChannels = {QStringLiteral("webhook")};
    else if (change == QLatin1String("webhookScheme")) {
        r.notificationChannels = {QStringLiteral("webhook")};
        r.webhookUrl = QStringLiteral("file:///etc/passwd");
    } else if (change == QLatin1String("telegram"))
        r.notificationChannels = {QStringLiteral("telegram")};
    else if (change == QLatin1String("discord"))
        r.notificationChannels = {QStringLiteral("discord")};
    else if (change == QLatin1String("timeframe"))
        r.timeframeMinutes = 0;
    else if (change == QLatin1String("cooldown"))
        r.cooldownMinutes = -1;
    else if (change == QLatin1String("maxPerDay"))
        r.maxTriggersPerDay = 0;
    else if (change == QLatin1String("counts")) {
        r.triggerCountToday = 3;
        r.triggerCountTotal = 2;
    } else if (change == QLatin1String("pausedUntil"))
        r.pausedUntil = ts("2030-01-01T00:00:00.000000Z");
    else if (change == QLatin1String("chain"))
        r.chainId = 0;
    else
        QFAIL("unknown change");
    const QStringList errors = r.validate();
    QVERIFY2(!errors.isEmpty(), "the change must be refused");
    QVERIFY2(std::any_of(errors.begin(), errors.end(),
                         [&](const QString& e) { return e.contains(expected); }),
             qPrintable(errors.join(QLatin1Char('\n'))));
    const Status s = m_repo->insertRule(r);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(expected), qPrintable(s.error()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM alert_rules")), 0LL);
}

void TestAlertRepository::updateKeepsTriggerState() {
    AlertRule r = priceRule();
    QVERIFY(m_repo->insertRule(r).ok());
    QCOMPARE(m_repo->recordTrigger(firing(r, "2025-06-01T10:00:00.000000Z")).value(),
             TriggerOutcome::Recorded);
    r.name = QStringLiteral("renamed");
    r.thresholdValue = dec("4500.25");
    r.triggerCountTotal = 999; // not the caller's to change
    QVERIFY2(m_repo->updateRule(r).ok(), "update");
    const AlertRule back = m_repo->rule(r.id).value().value();
    QCOMPARE(back.name, QStringLiteral("renamed"));
    QCOMPARE(back.thresholdValue, dec("4500.25"));
    QCOMPARE(back.triggerCountTotal, 1LL);
    QCOMPARE(back.lastTriggeredAt, ts("2025-06-01T10:00:00.000000Z"));
}

void TestAlertRepository::enableAndPause() {
    const AlertRule r = priceRule();
    QVERIFY(m_repo->insertRule(r).ok());
    QVERIFY(m_repo->setActive(r.id, false).ok());
    QCOMPARE(m_repo->rule(r.id).value()->isActive, false);
    QCOMPARE(m_repo->rules(kUser, true).value().size(), qsizetype(0));
    QCOMPARE(m_repo->rules(kUser, false).value().size(), qsizetype(1));
    QVERIFY(m_repo->setActive(r.id, true).ok());

    QVERIFY(m_repo->pause(r.id, ts("2030-01-01T00:00:00.000000Z")).ok());
    AlertRule paused = m_repo->rule(r.id).value().value();
    QVERIFY(paused.isPaused);
    QCOMPARE(paused.pausedUntil, ts("2030-01-01T00:00:00.000000Z"));
    QVERIFY(m_repo->resume(r.id).ok());
    paused = m_repo->rule(r.id).value().value();
    QVERIFY(!paused.isPaused);
    QVERIFY(!paused.pausedUntil.has_value());
    QVERIFY(!m_repo->setActive(newUuid(), true).ok()); // unknown rule
}

void TestAlertRepository::softDeleteHidesRule() {
    const AlertRule r = priceRule();
    QVERIFY(m_repo->insertRule(r).ok());
    QVERIFY(m_repo->softDeleteRule(r.id).ok());
    QVERIFY(m_repo->rules(kUser).value().isEmpty());
    QVERIFY(m_repo->rule(r.id).value()->deletedAt.has_value());
    QVERIFY(!m_repo->softDeleteRule(r.id).ok()); // already deleted
    QCOMPARE(m_repo->recordTrigger(firing(r, "2025-06-01T10:00:00.000000Z")).value(),
             TriggerOutcome::RuleInactive);
}

void TestAlertRepository::recordTrigger_data() {
    QTest::addColumn<AlertRule>("rule");
    QTest::addColumn<QString>("when");
    QTest::addColumn<TriggerOutcome>("outcome");
    QTest::addColumn<qint64>("todayAfter");
    QTest::addColumn<qint64>("totalAfter");

    AlertRule fresh = priceRule();
    QTest::newRow("never triggered")
        << fresh << "2025-06-01T10:00:00.000000Z" << TriggerOutcome::Recorded << 1LL << 1LL;

    AlertRule cooling = priceRule();
    cooling.lastTriggeredAt = ts("2025-06-01T09:30:00.000000Z");
    cooling.triggerCountToday = 1;
    cooling.triggerCountTotal = 5;
    QTest::newRow("inside the cooldown")
        << cooling << "2025-06-01T10:29:59.999999Z" << TriggerOutcome::CoolingDown << 1LL << 5LL;
    QTest::newRow("cooldown just over")
        << cooling << "2025-06-01T10:30:00.000000Z" << TriggerOutcome::Recorded << 2LL << 6LL;

    AlertRule full = priceRule();
    full.cooldownMinutes = 0;
    full.maxTriggersPerDay = 3;
    full.lastTriggeredAt = ts("2025-06-01T08:00:00.000000Z");
    full.triggerCountToday = 3;
    full.triggerCountTotal = 10;
    QTest::newRow("daily maximum reached") << full << "2025-06-01T23:59:59.999999Z"
                                           << TriggerOutcome::DailyLimitReached << 3LL << 10LL;
    QTest::newRow("next UTC day starts over")
        << full << "2025-06-02T00:00:00.000000Z" << TriggerOutcome::Recorded << 1LL << 11LL;

    AlertRule paused = priceRule();
    paused.isPaused = true;
    QTest::newRow("paused indefinitely")
        << paused << "2025-06-01T10:00:00.000000Z" << TriggerOutcome::Paused << 0LL << 0LL;
    AlertRule pausedUntil = paused;
    pausedUntil.pausedUntil = ts("2025-06-01T12:00:00.000000Z");
    QTest::newRow("paused until later")
        << pausedUntil << "2025-06-01T11:59:59.000000Z" << TriggerOutcome::Paused << 0LL << 0LL;
    QTest::newRow("pause ran out")
        << pausedUntil << "2025-06-01T12:00:00.000000Z" << TriggerOutcome::Recorded << 1LL << 1LL;

    AlertRule inactive = priceRule();
    inactive.isActive = false;
    QTest::newRow("inactive") << inactive << "2025-06-01T10:00:00.000000Z"
                              << TriggerOutcome::RuleInactive << 0LL << 0LL;
}

void TestAlertRepository::recordTrigger() {
    QFETCH(AlertRule, rule);
    QFETCH(QString, when);
    QFETCH(TriggerOutcome, outcome);
    QFETCH(qint64, todayAfter);
    QFETCH(qint64, totalAfter);
    QVERIFY(m_repo->insertRule(rule).ok());
    const AlertHistoryEntry entry = firing(rule, when.toLatin1().constData());
    Result<TriggerOutcome> got = m_repo->recordTrigger(entry);
    QVERIFY2(got.ok(), qPrintable(got.error()));
    QCOMPARE(got.value(), outcome);

    const AlertRule after = m_repo->rule(rule.id).value().value();
    QCOMPARE(after.triggerCountToday, todayAfter);
    QCOMPARE(after.triggerCountTotal, totalAfter);
    const QList<AlertHistoryEntry> history = m_repo->history(rule.id, 10).value();
    if (outcome == TriggerOutcome::Recorded) {
        QCOMPARE(after.lastTriggeredAt, entry.timestamp);
        QVERIFY(!after.isPaused);
        QCOMPARE(history.size(), qsizetype(1));
        QVERIFY(history.first() == entry);
    } else {
        QCOMPARE(after.lastTriggeredAt, rule.lastTriggeredAt);
        QVERIFY(history.isEmpty());
    }
}

void TestAlertRepository::recordTriggerIsAtomic() {
    // The history insert fails (its id is taken) after the rule's counters were updated in the
    // same transaction: neither change may remain.
    const AlertRule r = priceRule();
    QVERIFY(m_repo->insertRule(r).ok());
    const AlertHistoryEntry first = firing(r, "2025-06-01T10:00:00.000000Z");
    QCOMPARE(m_repo->recordTrigger(first).value(), TriggerOutcome::Recorded);

    AlertHistoryEntry clash = firing(r, "2025-06-01T12:00:00.000000Z");
    clash.id = first.id;
    Result<TriggerOutcome> got = m_repo->recordTrigger(clash);
    QVERIFY(!got.ok());
    QVERIFY2(got.error().contains(QLatin1String("recordTrigger")), qPrintable(got.error()));
    const AlertRule after = m_repo->rule(r.id).value().value();
    QCOMPARE(after.triggerCountTotal, 1LL);
    QCOMPARE(after.triggerCountToday, 1LL);
    QCOMPARE(after.lastTriggeredAt, first.timestamp);
    QCOMPARE(m_repo->history(r.id, 10).value().size(), qsizetype(1));

    // The repository still works afterwards.
    QCOMPARE(m_repo->recordTrigger(firing(r, "2025-06-01T12:00:00.000000Z")).value(),
             TriggerOutcome::Recorded);
}

void TestAlertRepository::recordTriggerRefusesForeignRule() {
    const AlertRule r = priceRule();
    QVERIFY(m_repo->insertRule(r).ok());
    AlertHistoryEntry e = firing(r, "2025-06-01T10:00:00.000000Z");
    e.userId = kOtherUser;
    QVERIFY(!m_repo->recordTrigger(e).ok());
    AlertHistoryEntry missing = firing(r, "2025-06-01T10:00:00.000000Z");
    missing.alertRuleId = newUuid();
    QVERIFY(!m_repo->recordTrigger(missing).ok());
    AlertHistoryEntry invalid = firing(r, "2025-06-01T10:00:00.000000Z");
    invalid.title.clear();
    const Result<TriggerOutcome> refused = m_repo->recordTrigger(invalid);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("title")), qPrintable(refused.error()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM alert_history")), 0LL);
}

void TestAlertRepository::historyQueries() {
    AlertRule a = priceRule();
    a.cooldownMinutes = 0;
    a.maxTriggersPerDay = 100;
    AlertRule b = priceRule();
    b.cooldownMinutes = 0;
    QVERIFY(m_repo->insertRule(a).ok());
    QVERIFY(m_repo->insertRule(b).ok());
    const AlertHistoryEntry a1 = firing(a, "2025-06-01T10:00:00.000000Z");
    const AlertHistoryEntry a2 = firing(a, "2025-06-02T10:00:00.000000Z");
    const AlertHistoryEntry b1 = firing(b, "2025-06-03T10:00:00.000000Z");
    AlertHistoryEntry a3 = firing(a, "2025-06-04T10:00:00.000000Z");
    a3.severity = Severity::Critical;
    a3.deliveryStatus = QStringLiteral("{\"email\":\"sent\",\"webhook\":\"failed\"}");
    a3.metadata = QStringLiteral("{\"price\":\"4012.123456789012345678\"}");
    for (const AlertHistoryEntry& e : {a1, a2, b1, a3})
        QCOMPARE(m_repo->recordTrigger(e).value(), TriggerOutcome::Recorded);

    const QList<AlertHistoryEntry> ofA = m_repo->history(a.id, 10).value();
    QCOMPARE(ofA.size(), qsizetype(3));
    QVERIFY(ofA[0] == a3); // newest first, JSON kept as written
    QVERIFY(ofA[1] == a2);
    QVERIFY(ofA[2] == a1);
    QCOMPARE(m_repo->history(a.id, 2).value().size(), qsizetype(2));

    const QList<AlertHistoryEntry> range =
        m_repo
            ->userHistory(kUser, ts("2025-06-02T00:00:00.000000Z"),
                          ts("2025-06-04T10:00:00.000000Z"), 10)
            .value();
    QCOMPARE(range.size(), qsizetype(2));
    QCOMPARE(range[0].id, b1.id);
    QCOMPARE(range[1].id, a2.id);
    QCOMPARE(m_repo->userHistory(kUser, std::nullopt, std::nullopt, 10).value().size(),
             qsizetype(4));
    QCOMPARE(m_repo->userHistory(kOtherUser, std::nullopt, std::nullopt, 10).value().size(),
             qsizetype(0));
}

void TestAlertRepository::resetDailyCounts() {
    AlertRule yesterday = priceRule();
    yesterday.lastTriggeredAt = ts("2025-06-01T23:00:00.000000Z");
    yesterday.triggerCountToday = 4;
    yesterday.triggerCountTotal = 4;
    AlertRule today = priceRule();
    today.lastTriggeredAt = ts("2025-06-02T00:00:00.000000Z");
    today.triggerCountToday = 2;
    today.triggerCountTotal = 9;
    QVERIFY(m_repo->insertRule(yesterday).ok());
    QVERIFY(m_repo->insertRule(today).ok());
    Result<int> reset = m_repo->resetDailyCounts(ts("2025-06-02T08:00:00.000000Z"));
    QVERIFY2(reset.ok(), qPrintable(reset.error()));
    QCOMPARE(reset.value(), 1);
    QCOMPARE(m_repo->rule(yesterday.id).value()->triggerCountToday, 0LL);
    QCOMPARE(m_repo->rule(yesterday.id).value()->triggerCountTotal, 4LL);
    QCOMPARE(m_repo->rule(today.id).value()->triggerCountToday, 2LL);
}

void TestAlertRepository::notifications() {
    const AlertRule r = priceRule();
    QVERIFY(m_repo->insertRule(r).ok());
    const AlertHistoryEntry h = firing(r, "2025-06-01T10:00:00.000000Z");
    QCOMPARE(m_repo->recordTrigger(h).value(), TriggerOutcome::Recorded);

    NotificationLog n;
    n.id = newUuid();
    n.alertHistoryId = h.id;
    n.userId = kUser;
    n.channel = QStringLiteral("email");
    n.recipient = QStringLiteral("me@example.org");
    n.subject = QStringLiteral("ETH above 4000");
    n.body = QStringLiteral("ETH is at 4012.50 USD");
    n.timestamp = ts("2025-06-01T10:00:01.000000Z");
    n.updatedAt = n.timestamp;
    QVERIFY2(n.validate().isEmpty(), qPrintable(n.validate().join(QLatin1Char('\n'))));
    QVERIFY(m_repo->insertNotification(n).ok());
    QList<NotificationLog> logs = m_repo->notifications(h.id).value();
    QCOMPARE(logs.size(), qsizetype(1));
    QVERIFY(logs.first() == n);

    n.status = NotificationStatus::Delivered;
    QVERIFY(!m_repo->updateNotification(n).ok()); // delivered needs sent_at and delivered_at
    n.sentAt = ts("2025-06-01T10:00:02.000000Z");
    n.deliveredAt = ts("2025-06-01T10:00:03.000000Z");
    n.provider = QStringLiteral("smtp");
    n.providerMessageId = QStringLiteral("<abc@mail>");
    n.retryCount = 1;
    QVERIFY(m_repo->updateNotification(n).ok());
    const NotificationLog back = m_repo->notifications(h.id).value().first();
    QCOMPARE(toString(back.status), toString(NotificationStatus::Delivered));
    QCOMPARE(back.deliveredAt, n.deliveredAt);
    QCOMPARE(back.retryCount, 1LL);
    QCOMPARE(back.providerMessageId, n.providerMessageId);

    NotificationLog failed = n;
    failed.id = newUuid();
    failed.status = NotificationStatus::Failed;
    QVERIFY(!m_repo->insertNotification(failed).ok()); // a failure needs its reason
    failed.errorMessage = QStringLiteral("mailbox full");
    QVERIFY(m_repo->insertNotification(failed).ok());
    QCOMPARE(m_repo->notifications(h.id).value().size(), qsizetype(2));
}

QTEST_GUILESS_MAIN(TestAlertRepository)
#include "TestAlertRepository.moc"
