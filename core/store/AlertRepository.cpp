#include "AlertRepository.h"

#include <QLatin1String>
#include <QSqlError>

namespace llamadesk::store {

namespace {

const QLatin1String kRuleColumns(
    "id, user_id, name, description, alert_type, target_type, target_id, chain_id, "
    "condition_operator, threshold_value, threshold_type, timeframe_minutes, "
    "notification_channels, webhook_url, telegram_chat_id, discord_webhook_url, cooldown_minutes, "
    "max_triggers_per_day, last_triggered_at, trigger_count_today, trigger_count_total, "
    "is_active, is_paused, paused_until, created_at, updated_at, deleted_at, row_version");

const QLatin1String kHistoryColumns(
    "id, alert_rule_id, user_id, triggered_value, threshold_value, condition_met, title, message, "
    "severity, notification_channels, delivery_status, metadata, timestamp, updated_at, "
    "deleted_at, row_version");

const QLatin1String kNotificationColumns(
    "id, alert_history_id, user_id, channel, recipient, subject, body, status, error_message, "
    "retry_count, provider, provider_message_id, sent_at, delivered_at, timestamp, updated_at, "
    "deleted_at, row_version");

constexpr qint64 kMicrosPerMinute = 60 * 1000 * 1000;
constexpr qint64 kMicrosPerDay = 24 * 60 * kMicrosPerMinute;

// The UTC day a point in time falls on, as a day number (floor division: also before 1970).
qint64 utcDay(const Timestamp& t) {
    const qint64 us = t.microsecondsSinceEpoch();
    return us >= 0 ? us / kMicrosPerDay : -((-us + kMicrosPerDay - 1) / kMicrosPerDay);
}

QVariant optionalId(const QString& id) {
    return id.isEmpty() ? QVariant() : QVariant(id);
}

} // namespace

AlertRepository::AlertRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "AlertRepository") {}

bool AlertRepository::readRule(const QSqlQuery& query, AlertRule* a, QString* error) {
    Row r(query);
    a->id = r.text(0);
    a->userId = r.text(1);
    a->name = r.text(2);
    a->description = r.optText(3);
    a->alertType = r.enumeration(4, &alertTypeFromString, AlertType::PriceChange);
    a->targetType = r.text(5);
    a->targetId = r.text(6);
    a->chainId = r.optInteger(7);
    a->conditionOperator =
        r.enumeration(8, &conditionOperatorFromString, ConditionOperator::Greater);
    a->thresholdValue = r.decimal(9);
    a->thresholdType = r.enumeration(10, &thresholdTypeFromString, ThresholdType::Absolute);
    a->timeframeMinutes = r.integer(11, 60);
    a->notificationChannels = r.stringList(12, {QStringLiteral("email")});
    a->webhookUrl = r.optText(13);
    a->telegramChatId = r.optText(14);
    a->discordWebhookUrl = r.optText(15);
    a->cooldownMinutes = r.integer(16, 60);
    a->maxTriggersPerDay = r.integer(17, 10);
    a->lastTriggeredAt = r.optTimestamp(18);
    a->triggerCountToday = r.integer(19, 0);
    a->triggerCountTotal = r.integer(20, 0);
    a->isActive = r.boolean(21, true);
    a->isPaused = r.boolean(22, false);
    a->pausedUntil = r.optTimestamp(23);
    a->createdAt = r.optTimestamp(24);
    a->updatedAt = r.optTimestamp(25);
    a->deletedAt = r.optTimestamp(26);
    a->rowVersion = r.integer(27);
    if (!r.ok()) {
        *error = tr("alert_rules row %1, %2").arg(a->id, r.error());
        return false;
    }
    return true;
}

bool AlertRepository::readHistory(const QSqlQuery& query, AlertHistoryEntry* h, QString* error) {
    Row r(query);
    h->id = r.text(0);
    h->alertRuleId = r.text(1);
    h->userId = r.text(2);
    h->triggeredValue = r.decimal(3);
    h->thresholdValue = r.decimal(4);
    h->conditionMet = r.text(5);
    h->title = r.text(6);
    h->message = r.text(7);
    h->severity = r.enumeration(8, &severityFromString, Severity::Info);
    h->notificationChannels = r.stringList(9);
    h->deliveryStatus = r.optText(10);
    h->metadata = r.optText(11);
    h->timestamp = r.timestamp(12);
    h->updatedAt = r.optTimestamp(13);
    h->deletedAt = r.optTimestamp(14);
    h->rowVersion = r.integer(15);
    if (!r.ok()) {
        *error = tr("alert_history row %1, %2").arg(h->id, r.error());
        return false;
    }
    return true;
}

bool AlertRepository::readNotification(const QSqlQuery& query, NotificationLog* n, QString* error) {
    Row r(query);
    n->id = r.text(0);
    n->alertHistoryId = r.optText(1).value_or(QString());
    n->userId = r.text(2);
    n->channel = r.text(3);
    n->recipient = r.text(4);
    n->subject = r.optText(5);
    n->body = r.text(6);
    n->status = r.enumeration(7, &notificationStatusFromString, NotificationStatus::Pending);
    n->errorMessage = r.optText(8);
    n->retryCount = r.integer(9, 0);
    n->provider = r.optText(10);
    n->providerMessageId = r.optText(11);
    n->sentAt = r.optTimestamp(12);
    n->deliveredAt = r.optTimestamp(13);
    n->timestamp = r.timestamp(14);
    n->updatedAt = r.optTimestamp(15);
    n->deletedAt = r.optTimestamp(16);
    n->rowVersion = r.integer(17);
    if (!r.ok()) {
        *error = tr("notification_logs row %1, %2").arg(n->id, r.error());
        return false;
    }
    return true;
}

Status AlertRepository::insertRule(const AlertRule& a) {
    const QString what = QStringLiteral("insertRule");
    if (const QStringList errors = a.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("INSERT INTO alert_rules (id, user_id, name, description, alert_type, "
                       "target_type, target_id, chain_id, condition_operator, threshold_value, "
                       "threshold_type, timeframe_minutes, notification_channels, webhook_url, "
                       "telegram_chat_id, discord_webhook_url, cooldown_minutes, "
                       "max_triggers_per_day, last_triggered_at, trigger_count_today, "
                       "trigger_count_total, is_active, is_paused, paused_until, created_at, "
                       "updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const QString now = Timestamp::now().toString();
    int i = 0;
    q.bindValue(i++, text(a.id));
    q.bindValue(i++, text(a.userId));
    q.bindValue(i++, text(a.name));
    q.bindValue(i++, text(a.description));
    q.bindValue(i++, toString(a.alertType));
    q.bindValue(i++, text(a.targetType));
    q.bindValue(i++, text(a.targetId));
    q.bindValue(i++, integer(a.chainId));
    q.bindValue(i++, toString(a.conditionOperator));
    q.bindValue(i++, decimal(a.thresholdValue));
    q.bindValue(i++, toString(a.thresholdType));
    q.bindValue(i++, integer(a.timeframeMinutes));
    q.bindValue(i++, stringList(a.notificationChannels));
    q.bindValue(i++, text(a.webhookUrl));
    q.bindValue(i++, text(a.telegramChatId));
    q.bindValue(i++, text(a.discordWebhookUrl));
    q.bindValue(i++, integer(a.cooldownMinutes));
    q.bindValue(i++, integer(a.maxTriggersPerDay));
    q.bindValue(i++, timestamp(a.lastTriggeredAt));
    q.bindValue(i++, integer(a.triggerCountToday));
    q.bindValue(i++, integer(a.triggerCountTotal));
    q.bindValue(i++, boolean(a.isActive));
    q.bindValue(i++, boolean(a.isPaused));
    q.bindValue(i++, timestamp(a.pausedUntil));
    q.bindValue(i++, a.createdAt ? timestamp(*a.createdAt) : QVariant(now));
    q.bindValue(i++, a.updatedAt ? timestamp(*a.updatedAt) : QVariant(now));
    q.bindValue(i++, timestamp(a.deletedAt));
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, a.id)); !s)
        return s;
    if (Status s = execute(q, what); !s)
        return s;
    return tx.commit();
}

Status AlertRepository::updateRule(const AlertRule& a) {
    const QString what = QStringLiteral("updateRule");
    if (const QStringList errors = a.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("UPDATE alert_rules SET name = ?, description = ?, alert_type = ?, "
                       "target_type = ?, target_id = ?, chain_id = ?, condition_operator = ?, "
                       "threshold_value = ?, threshold_type = ?, timeframe_minutes = ?, "
                       "notification_channels = ?, webhook_url = ?, telegram_chat_id = ?, "
                       "discord_webhook_url = ?, cooldown_minutes = ?, max_triggers_per_day = ?, "
                       "updated_at = ? WHERE id = ? AND user_id = ? AND deleted_at IS NULL"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, text(a.name));
    q.bindValue(i++, text(a.description));
    q.bindValue(i++, toString(a.alertType));
    q.bindValue(i++, text(a.targetType));
    q.bindValue(i++, text(a.targetId));
    q.bindValue(i++, integer(a.chainId));
    q.bindValue(i++, toString(a.conditionOperator));
    q.bindValue(i++, decimal(a.thresholdValue));
    q.bindValue(i++, toString(a.thresholdType));
    q.bindValue(i++, integer(a.timeframeMinutes));
    q.bindValue(i++, stringList(a.notificationChannels));
    q.bindValue(i++, text(a.webhookUrl));
    q.bindValue(i++, text(a.telegramChatId));
    q.bindValue(i++, text(a.discordWebhookUrl));
    q.bindValue(i++, integer(a.cooldownMinutes));
    q.bindValue(i++, integer(a.maxTriggersPerDay));
    q.bindValue(i++, Timestamp::now().toString());
    q.bindValue(i++, text(a.id));
    q.bindValue(i++, text(a.userId));
    return executeOne(q, what, a.id, tr("no live rule %1 of user %2").arg(a.id, a.userId));
}

Status AlertRepository::updateRuleState(const QString& sql, const QVariantList& values,
                                        const QString& id, const QString& what) {
    Result<QSqlQuery*> rq = statement(sql, what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values[i]);
    return executeOne(q, what, id, tr("no live rule %1").arg(id));
}

Status AlertRepository::setActive(const QString& id, bool active) {
    return updateRuleState(QStringLiteral("UPDATE alert_rules SET is_active = ?, updated_at = ? "
                                          "WHERE id = ? AND deleted_at IS NULL"),
                           {boolean(active), Timestamp::now().toString(), id}, id,
                           QStringLiteral("setActive"));
}

Status AlertRepository::pause(const QString& id, const std::optional<Timestamp>& until) {
    return updateRuleState(
        QStringLiteral("UPDATE alert_rules SET is_paused = 1, paused_until = ?, updated_at = ? "
                       "WHERE id = ? AND deleted_at IS NULL"),
        {timestamp(until), Timestamp::now().toString(), id}, id, QStringLiteral("pause"));
}

Status AlertRepository::resume(const QString& id) {
    return updateRuleState(
        QStringLiteral("UPDATE alert_rules SET is_paused = 0, paused_until = NULL, "
                       "updated_at = ? WHERE id = ? AND deleted_at IS NULL"),
        {Timestamp::now().toString(), id}, id, QStringLiteral("resume"));
}

Status AlertRepository::softDeleteRule(const QString& id) {
    const QString now = Timestamp::now().toString();
    return updateRuleState(QStringLiteral("UPDATE alert_rules SET deleted_at = ?, updated_at = ? "
                                          "WHERE id = ? AND deleted_at IS NULL"),
                           {now, now, id}, id, QStringLiteral("softDeleteRule"));
}

Result<std::optional<AlertRule>> AlertRepository::rule(const QString& id) {
    using R = Result<std::optional<AlertRule>>;
    const QString what = QStringLiteral("rule");
    Result<QSqlQuery*> rq = statement(QStringLiteral("SELECT ") + kRuleColumns +
                                          QStringLiteral(" FROM alert_rules WHERE id = ?"),
                                      what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, id);
    return readFirst(q, &readRule, what);
}

Result<QList<AlertRule>> AlertRepository::rules(const QString& userId, bool activeOnly) {
    using R = Result<QList<AlertRule>>;
    const QString what = QStringLiteral("rules");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kRuleColumns +
            (activeOnly ? QStringLiteral(" FROM alert_rules WHERE user_id = ? AND deleted_at IS "
                                         "NULL AND is_active = 1 ORDER BY name, id")
                        : QStringLiteral(" FROM alert_rules WHERE user_id = ? AND deleted_at IS "
                                         "NULL ORDER BY name, id")),
        what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    return readAll(q, &readRule, what);
}

Status AlertRepository::insertHistoryRow(const AlertHistoryEntry& h, const QString& what) {
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("INSERT INTO alert_history (id, alert_rule_id, user_id, triggered_value, "
                       "threshold_value, condition_met, title, message, severity, "
                       "notification_channels, delivery_status, metadata, timestamp, updated_at, "
                       "deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, text(h.id));
    q.bindValue(i++, text(h.alertRuleId));
    q.bindValue(i++, text(h.userId));
    q.bindValue(i++, decimal(h.triggeredValue));
    q.bindValue(i++, decimal(h.thresholdValue));
    q.bindValue(i++, text(h.conditionMet));
    q.bindValue(i++, text(h.title));
    q.bindValue(i++, text(h.message));
    q.bindValue(i++, toString(h.severity));
    q.bindValue(i++, stringList(h.notificationChannels));
    q.bindValue(i++, text(h.deliveryStatus));
    q.bindValue(i++, text(h.metadata));
    q.bindValue(i++, timestamp(h.timestamp));
    q.bindValue(i++, h.updatedAt ? timestamp(*h.updatedAt) : QVariant(Timestamp::now().toString()));
    q.bindValue(i++, timestamp(h.deletedAt));
    return execute(q, what);
}

Status AlertRepository::insertHistory(const AlertHistoryEntry& entry) {
    const QString what = QStringLiteral("insertHistory");
    if (const QStringList errors = entry.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, entry.id)); !s)
        return s;
    if (Status s = insertHistoryRow(entry, what); !s)
        return s;
    return tx.commit();
}

Result<TriggerOutcome> AlertRepository::recordTrigger(const AlertHistoryEntry& entry) {
    using R = Result<TriggerOutcome>;
    const QString what = QStringLiteral("recordTrigger");
    if (const QStringList errors = entry.validate(); !errors.isEmpty())
        return R::failure(failure(what, errors.join(QLatin1Char(' '))));

    // The rule is read inside the write transaction: two triggers racing for the last slot of
    // the day cannot both pass the checks.
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, entry.alertRuleId)); !s)
        return R::failure(s.error());
    Result<std::optional<AlertRule>> found = rule(entry.alertRuleId);
    if (!found)
        return R::failure(found.error());
    if (!*found)
        return R::failure(failure(what, tr("no rule %1").arg(entry.alertRuleId)));
    const AlertRule& r = **found;
    if (r.userId != entry.userId)
        return R::failure(failure(what, tr("rule %1 belongs to another user").arg(r.id)));

    const Timestamp& now = entry.timestamp;
    if (!r.isActive || r.deletedAt)
        return TriggerOutcome::RuleInactive;
    if (r.isPaused && (!r.pausedUntil || now < *r.pausedUntil))
        return TriggerOutcome::Paused;
    if (r.lastTriggeredAt) {
        const qint64 since =
            now.microsecondsSinceEpoch() - r.lastTriggeredAt->microsecondsSinceEpoch();
        if (since < r.cooldownMinutes * kMicrosPerMinute)
            return TriggerOutcome::CoolingDown;
    }
    const bool sameDay = r.lastTriggeredAt && utcDay(*r.lastTriggeredAt) == utcDay(now);
    const qint64 today = sameDay ? r.triggerCountToday : 0;
    if (today >= r.maxTriggersPerDay)
        return TriggerOutcome::DailyLimitReached;

    // A pause that has run out ends with this trigger.
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("UPDATE alert_rules SET last_triggered_at = ?, trigger_count_today = ?, "
                       "trigger_count_total = trigger_count_total + 1, is_paused = 0, "
                       "paused_until = NULL, updated_at = ? WHERE id = ?"),
        what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, now.toString());
    q.bindValue(1, today + 1);
    q.bindValue(2, Timestamp::now().toString());
    q.bindValue(3, r.id);
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    if (Status s = insertHistoryRow(entry, what); !s)
        return R::failure(s.error());
    if (Status s = tx.commit(); !s)
        return R::failure(s.error());
    return TriggerOutcome::Recorded;
}

Result<QList<AlertHistoryEntry>> AlertRepository::history(const QString& ruleId, int limit) {
    const QString what = QStringLiteral("history");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kHistoryColumns +
            QStringLiteral(" FROM alert_history WHERE alert_rule_id = ? AND deleted_at IS NULL "
                           "ORDER BY timestamp DESC, id DESC LIMIT ?"),
        what);
    if (!rq)
        return Result<QList<AlertHistoryEntry>>::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, ruleId);
    q.bindValue(1, limit);
    return readAll(q, &readHistory, what);
}

Result<QList<AlertHistoryEntry>> AlertRepository::userHistory(const QString& userId,
                                                              const std::optional<Timestamp>& from,
                                                              const std::optional<Timestamp>& until,
                                                              int limit) {
    const QString what = QStringLiteral("userHistory");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT ") + kHistoryColumns +
                      QStringLiteral(" FROM alert_history WHERE user_id = ? AND deleted_at IS NULL "
                                     "AND timestamp >= ? AND timestamp < ? "
                                     "ORDER BY timestamp DESC, id DESC LIMIT ?"),
                  what);
    if (!rq)
        return Result<QList<AlertHistoryEntry>>::failure(rq.error());
    QSqlQuery& q = **rq;
    // Open bounds become text that sorts before and after every stored timestamp.
    q.bindValue(0, userId);
    q.bindValue(1, from ? from->toString() : QStringLiteral("0"));
    q.bindValue(2, until ? until->toString() : QStringLiteral("A"));
    q.bindValue(3, limit);
    return readAll(q, &readHistory, what);
}

Result<int> AlertRepository::resetDailyCounts(const Timestamp& now) {
    const QString what = QStringLiteral("resetDailyCounts");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE alert_rules SET trigger_count_today = 0, updated_at = ? "
                                 "WHERE trigger_count_today <> 0 AND (last_triggered_at IS NULL "
                                 "OR last_triggered_at < ?)"),
                  what);
    if (!rq)
        return Result<int>::failure(rq.error());
    QSqlQuery& q = **rq;
    // The stored form starts with the date, so "before this day" is a text comparison.
    const QString dayStart = now.toString().left(10) + QStringLiteral("T00:00:00.000000Z");
    q.bindValue(0, Timestamp::now().toString());
    q.bindValue(1, dayStart);
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, dayStart)); !s)
        return Result<int>::failure(s.error());
    if (Status s = execute(q, what); !s)
        return Result<int>::failure(s.error());
    const int changed = q.numRowsAffected();
    if (Status s = tx.commit(); !s)
        return Result<int>::failure(s.error());
    return changed;
}

Status AlertRepository::insertNotification(const NotificationLog& n) {
    const QString what = QStringLiteral("insertNotification");
    if (const QStringList errors = n.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("INSERT INTO notification_logs (id, alert_history_id, user_id, channel, "
                       "recipient, subject, body, status, error_message, retry_count, provider, "
                       "provider_message_id, sent_at, delivered_at, timestamp, updated_at, "
                       "deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, text(n.id));
    q.bindValue(i++, optionalId(n.alertHistoryId));
    q.bindValue(i++, text(n.userId));
    q.bindValue(i++, text(n.channel));
    q.bindValue(i++, text(n.recipient));
    q.bindValue(i++, text(n.subject));
    q.bindValue(i++, text(n.body));
    q.bindValue(i++, toString(n.status));
    q.bindValue(i++, text(n.errorMessage));
    q.bindValue(i++, integer(n.retryCount));
    q.bindValue(i++, text(n.provider));
    q.bindValue(i++, text(n.providerMessageId));
    q.bindValue(i++, timestamp(n.sentAt));
    q.bindValue(i++, timestamp(n.deliveredAt));
    q.bindValue(i++, timestamp(n.timestamp));
    q.bindValue(i++, n.updatedAt ? timestamp(*n.updatedAt) : QVariant(Timestamp::now().toString()));
    q.bindValue(i++, timestamp(n.deletedAt));
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, n.id)); !s)
        return s;
    if (Status s = execute(q, what); !s)
        return s;
    return tx.commit();
}

Status AlertRepository::updateNotification(const NotificationLog& n) {
    const QString what = QStringLiteral("updateNotification");
    if (const QStringList errors = n.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("UPDATE notification_logs SET status = ?, error_message = ?, "
                       "retry_count = ?, provider = ?, provider_message_id = ?, sent_at = ?, "
                       "delivered_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, toString(n.status));
    q.bindValue(i++, text(n.errorMessage));
    q.bindValue(i++, integer(n.retryCount));
    q.bindValue(i++, text(n.provider));
    q.bindValue(i++, text(n.providerMessageId));
    q.bindValue(i++, timestamp(n.sentAt));
    q.bindValue(i++, timestamp(n.deliveredAt));
    q.bindValue(i++, Timestamp::now().toString());
    q.bindValue(i++, text(n.id));
    return executeOne(q, what, n.id, tr("no live notification %1").arg(n.id));
}

Result<QList<NotificationLog>> AlertRepository::notifications(const QString& alertHistoryId) {
    using R = Result<QList<NotificationLog>>;
    const QString what = QStringLiteral("notifications");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT ") + kNotificationColumns +
                      QStringLiteral(" FROM notification_logs WHERE alert_history_id = ? "
                                     "AND deleted_at IS NULL ORDER BY timestamp, id"),
                  what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, alertHistoryId);
    return readAll(q, &readNotification, what);
}

} // namespace llamadesk::store
