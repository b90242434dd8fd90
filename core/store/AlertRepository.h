#pragma once

#include "domain/AlertHistoryEntry.h"
#include "domain/AlertRule.h"
#include "domain/NotificationLog.h"
#include "store/SqlRepository.h"

#include <QList>
#include <QString>

#include <optional>

namespace llamadesk::store {

// What recordTrigger() did with a rule that fired.
enum class TriggerOutcome {
    Recorded,          // history row written, counters and last_triggered_at updated
    RuleInactive,      // the rule is switched off or deleted
    Paused,            // the rule is paused (indefinitely or until a later time)
    CoolingDown,       // the last trigger is less than cooldown_minutes ago
    DailyLimitReached, // max_triggers_per_day reached for this UTC day
};

// alert_rules, alert_history and notification_logs.
class AlertRepository : public SqlRepository {
public:
    explicit AlertRepository(QSqlDatabase db);

    Status insertRule(const AlertRule& rule);
    // Replaces the rule's configuration (everything but its trigger state, its activity switches
    // and the bookkeeping columns) on a live rule.
    Status updateRule(const AlertRule& rule);
    Status setActive(const QString& id, bool active);
    // Pauses until a time, or indefinitely without one; resume() ends a pause.
    Status pause(const QString& id, const std::optional<Timestamp>& until);
    Status resume(const QString& id);
    Status softDeleteRule(const QString& id);
    Result<std::optional<AlertRule>> rule(const QString& id);
    // Live rules of a user by name; activeOnly keeps the active ones.
    Result<QList<AlertRule>> rules(const QString& userId, bool activeOnly = false);

    // A rule fired at entry.timestamp: checks in one transaction that the rule is active, not
    // paused, out of its cooldown and under its daily maximum (days are UTC days), then updates
    // last_triggered_at and the counters and inserts the history row. Either all of it is stored
    // or none of it.
    Result<TriggerOutcome> recordTrigger(const AlertHistoryEntry& entry);
    // A history row as is (the rule's state is not touched).
    Status insertHistory(const AlertHistoryEntry& entry);
    // History of one rule, newest first, at most `limit` rows.
    Result<QList<AlertHistoryEntry>> history(const QString& ruleId, int limit);
    // History of a user with from <= timestamp < until (either bound optional), newest first.
    Result<QList<AlertHistoryEntry>> userHistory(const QString& userId,
                                                 const std::optional<Timestamp>& from,
                                                 const std::optional<Timestamp>& until, int limit);
    // Sets trigger_count_today to 0 for rules last triggered before now's UTC day.
    Result<int> resetDailyCounts(const Timestamp& now);

    Status insertNotification(const NotificationLog& log);
    // Updates the delivery columns (status, error_message, retry_count, provider,
    // provider_message_id, sent_at, delivered_at) of a notification.
    Status updateNotification(const NotificationLog& log);
    // Deliveries of one alert, oldest first.
    Result<QList<NotificationLog>> notifications(const QString& alertHistoryId);

private:
    static bool readRule(const QSqlQuery& query, AlertRule* rule, QString* error);
    static bool readHistory(const QSqlQuery& query, AlertHistoryEntry* entry, QString* error);
    static bool readNotification(const QSqlQuery& query, NotificationLog* log, QString* error);
    Status insertHistoryRow(const AlertHistoryEntry& entry, const QString& what);
    Status updateRuleState(const QString& sql, const QVariantList& values, const QString& id,
                           const QString& what);
};

} // namespace llamadesk::store
