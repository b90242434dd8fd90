#pragma once

#include "Result.h"
#include "alerts/Clock.h"
#include "domain/AlertHistoryEntry.h"
#include "domain/AlertRule.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <optional>

namespace llamadesk::alerts {

// Whether the local vault holds the data a rule needs.
enum class Locality {
    Local,      // price of an asset (prices), portfolio value, gas price (gas_predictions)
    ServerOnly, // TVL, volume, security, whale and listing alerts need the sync server's feeds
};

// What one evaluation did with one rule.
enum class Outcome {
    Triggered,   // the condition held and the trigger was recorded in alert_history
    NotMet,      // the condition did not hold
    NoData,      // the local data has no (recent enough) value to compare
    ServerOnly,  // skipped: only the server can answer it
    Paused,      // skipped: paused (indefinitely or until a later time)
    CoolingDown, // the condition held but the rule's cooldown is still running
    DailyLimit,  // the condition held but the rule reached its daily maximum
};

struct RuleEvaluation {
    QString ruleId;
    QString ruleName;
    Outcome outcome = Outcome::NotMet;
    std::optional<Decimal> value; // the compared value (USD, gwei or percent), when there was one
    QString detail;               // why, in words (for NoData and ServerOnly)
};

struct EvaluationReport {
    Timestamp at;
    QList<RuleEvaluation> rules;
    QList<AlertHistoryEntry> triggered; // rows written to alert_history, to notify the user
};

// Evaluates the owner's active alert rules against the local data: the latest price of an
// asset, the portfolio's value, a chain's predicted gas price. An absolute threshold compares the
// value itself; a percentage threshold compares the change in percent over the rule's timeframe
// (value now against the value at now - timeframe). Comparisons are exact decimals. Triggers go
// through AlertRepository::recordTrigger, which honours pause, cooldown and the daily maximum;
// all of one evaluation's triggers are written in one transaction.
class AlertEvaluator {
    Q_DECLARE_TR_FUNCTIONS(AlertEvaluator)

public:
    // Data older than this is not used: an alert from a stale price would mislead.
    static constexpr qint64 kMaxDataAgeMinutes = 48 * 60;

    AlertEvaluator(QSqlDatabase db, const Clock& clock);

    static Locality locality(const AlertRule& rule);
    static Locality locality(AlertType type);

    // One pass over the rules; stops early (recording nothing) when `cancel` becomes true.
    Result<EvaluationReport> evaluate(const std::atomic<bool>* cancel = nullptr);

private:
    struct Reading {
        Decimal value; // compared with the threshold
        Decimal now;   // the current value (USD or gwei)
        std::optional<Decimal> before;
        QString unit;
    };
    Result<std::optional<Reading>> read(const QString& userId, const AlertRule& rule,
                                        const Timestamp& now, QString* why);
    Result<std::optional<Decimal>> currentValue(const QString& userId, const AlertRule& rule,
                                                const Timestamp& at, bool current, QString* why);
    AlertHistoryEntry entryFor(const AlertRule& rule, const Reading& reading,
                               const Timestamp& now) const;

    QSqlDatabase m_db;
    const Clock& m_clock;
};

// Whether `value op threshold` holds, exactly.
bool conditionHolds(const Decimal& value, ConditionOperator op, const Decimal& threshold);

} // namespace llamadesk::alerts
