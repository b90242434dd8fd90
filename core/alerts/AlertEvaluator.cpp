#include "AlertEvaluator.h"

#include "domain/Uuid.h"
#include "portfolio/ChainNames.h"
#include "store/AlertRepository.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "store/ReferenceDataRepository.h"
#include "store/SqlRepository.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace llamadesk::alerts {

namespace {

constexpr qint64 kMicrosPerMinute = 60LL * 1000 * 1000;

Timestamp minutesBefore(const Timestamp& t, qint64 minutes) {
    return Timestamp::fromMicrosecondsSinceEpoch(t.microsecondsSinceEpoch() -
                                                 minutes * kMicrosPerMinute);
}

// Just after `t`: the repositories' ranges exclude their upper bound.
Timestamp justAfter(const Timestamp& t) {
    return Timestamp::fromMicrosecondsSinceEpoch(t.microsecondsSinceEpoch() + 1);
}

// Money and prices keep cents; small prices (below 1) keep six digits so they stay readable.
QString shown(const Decimal& value) {
    const int scale = value.abs() < Decimal::fromInt(1) ? 6 : 2;
    return value.round(scale, RoundingMode::HalfEven).toString(scale == 2 ? 2 : 0);
}

std::optional<qint64> chainOf(const AlertRule& rule) {
    if (rule.chainId)
        return rule.chainId;
    bool ok = false;
    const qint64 id = rule.targetId.toLongLong(&ok);
    return ok ? std::optional<qint64>(id) : std::nullopt;
}

} // namespace

bool conditionHolds(const Decimal& value, ConditionOperator op, const Decimal& threshold) {
    switch (op) {
    case ConditionOperator::Greater:
        return value > threshold;
    case ConditionOperator::Less:
        return value < threshold;
    case ConditionOperator::GreaterOrEqual:
        return value >= threshold;
    case ConditionOperator::LessOrEqual:
        return value <= threshold;
    case ConditionOperator::Equal:
        return value == threshold;
    case ConditionOperator::NotEqual:
        return value != threshold;
    }
    return false;
}

AlertEvaluator::AlertEvaluator(QSqlDatabase db, const Clock& clock)
    : m_db(std::move(db))
    , m_clock(clock) {}

Locality AlertEvaluator::locality(AlertType type) {
    switch (type) {
    case AlertType::PriceChange:
    case AlertType::GasPrice:
    case AlertType::PortfolioValue:
        return Locality::Local;
    case AlertType::TvlChange:
    case AlertType::VolumeSpike:
    case AlertType::SecurityRisk:
    case AlertType::WhaleMovement:
    case AlertType::NewListing:
        break;
    }
    return Locality::ServerOnly;
}

Locality AlertEvaluator::locality(const AlertRule& rule) {
    return locality(rule.alertType);
}

Result<std::optional<Decimal>> AlertEvaluator::currentValue(const QString& userId,
                                                            const AlertRule& rule,
                                                            const Timestamp& at, bool current,
                                                            QString* why) {
    using R = Result<std::optional<Decimal>>;
    const Timestamp oldest = minutesBefore(at, kMaxDataAgeMinutes);
    switch (rule.alertType) {
    case AlertType::PriceChange: {
        store::ReferenceDataRepository prices(m_db);
        const QString symbol = rule.targetId.trimmed().toUpper();
        const auto found = prices.priceAt(symbol, at);
        if (!found)
            return R::failure(found.error());
        if (!found.value() || found.value()->timestamp < oldest) {
            *why = tr("No recent price of %1 in the vault.").arg(symbol);
            return std::optional<Decimal>();
        }
        return std::optional<Decimal>(found.value()->priceUsd);
    }
    case AlertType::GasPrice: {
        const std::optional<qint64> chain = chainOf(rule);
        if (!chain) {
            *why = tr("The rule names no chain.");
            return std::optional<Decimal>();
        }
        store::ReferenceDataRepository gas(m_db);
        const auto found = gas.gasPredictions(*chain, oldest, justAfter(at));
        if (!found)
            return R::failure(found.error());
        if (found.value().isEmpty()) {
            *why = tr("No recent gas prediction for chain %1 in the vault.").arg(*chain);
            return std::optional<Decimal>();
        }
        return std::optional<Decimal>(found.value().constLast().predictedMedium);
    }
    case AlertType::PortfolioValue: {
        store::PortfolioRepository portfolio(m_db);
        // Now: the current holdings, as the portfolio screen shows them.
        if (current) {
            const auto assets = portfolio.assets(userId);
            if (!assets)
                return R::failure(assets.error());
            if (!assets.value().isEmpty()) {
                Decimal total;
                for (const PortfolioAsset& a : assets.value())
                    total += a.balanceUsd;
                return std::optional<Decimal>(total);
            }
        }
        const auto snapshots = portfolio.snapshots(userId, oldest, justAfter(at));
        if (!snapshots)
            return R::failure(snapshots.error());
        if (snapshots.value().isEmpty()) {
            *why = tr("No portfolio value recorded near %1.").arg(at.toString());
            return std::optional<Decimal>();
        }
        return std::optional<Decimal>(snapshots.value().constLast().totalValueUsd);
    }
    default:
        break;
    }
    *why = tr("Needs the sync server.");
    return std::optional<Decimal>();
}

Result<std::optional<AlertEvaluator::Reading>> AlertEvaluator::read(const QString& userId,
                                                                    const AlertRule& rule,
                                                                    const Timestamp& now,
                                                                    QString* why) {
    using R = Result<std::optional<Reading>>;
    const auto current = currentValue(userId, rule, now, true, why);
    if (!current)
        return R::failure(current.error());
    if (!current.value())
        return std::optional<Reading>();
    Reading reading;
    reading.now = *current.value();
    reading.value = reading.now;
    reading.unit =
        rule.alertType == AlertType::GasPrice ? QStringLiteral("gwei") : QStringLiteral("USD");
    if (rule.thresholdType == ThresholdType::Percentage) {
        const auto past =
            currentValue(userId, rule, minutesBefore(now, rule.timeframeMinutes), false, why);
        if (!past)
            return R::failure(past.error());
        if (!past.value())
            return std::optional<Reading>();
        if (past.value()->isZero()) {
            *why = tr("The value %1 minutes ago was zero: no percentage change.")
                       .arg(rule.timeframeMinutes);
            return std::optional<Reading>();
        }
        reading.before = *past.value();
        // Percent with six decimals, like the percentage columns of the schema.
        const Decimal change =
            (reading.now - *reading.before)
                .divided(*reading.before, Decimal::kScale, RoundingMode::HalfEven);
        reading.value = (change * Decimal::fromInt(100)).round(6, RoundingMode::HalfEven);
        if (!reading.value.isValid()) {
            *why = tr("The change is out of range.");
            return std::optional<Reading>();
        }
    }
    return std::optional<Reading>(reading);
}

AlertHistoryEntry AlertEvaluator::entryFor(const AlertRule& rule, const Reading& reading,
                                           const Timestamp& now) const {
    AlertHistoryEntry e;
    e.id = newUuid();
    e.alertRuleId = rule.id;
    e.userId = rule.userId;
    e.triggeredValue = reading.value;
    e.thresholdValue = rule.thresholdValue;
    e.conditionMet = QStringLiteral("%1 %2 %3")
                         .arg(reading.value.toString(), toString(rule.conditionOperator),
                              rule.thresholdValue.toString())
                         .left(255);
    const bool percent = rule.thresholdType == ThresholdType::Percentage;
    const QString subject =
        rule.alertType == AlertType::PortfolioValue ? tr("Portfolio value")
        : rule.alertType == AlertType::GasPrice
            ? tr("Gas on %1").arg(portfolio::ChainNames::name(chainOf(rule).value_or(0)))
            : rule.targetId.trimmed().toUpper();
    const QString nowText = reading.unit == QLatin1String("USD")
                                ? QStringLiteral("$") + shown(reading.now)
                                : tr("%1 gwei").arg(shown(reading.now));
    if (percent) {
        e.title = tr("%1 moved %2% in %n minute(s)", nullptr, int(rule.timeframeMinutes))
                      .arg(subject, reading.value.round(2, RoundingMode::HalfEven).toString(2));
        e.message = tr("%1 is at %2 (rule \"%3\": change %4 %5%).")
                        .arg(subject, nowText, rule.name, toString(rule.conditionOperator),
                             rule.thresholdValue.toString());
    } else {
        e.title = tr("%1 is at %2").arg(subject, nowText);
        e.message = tr("Rule \"%1\": %2 %3 %4.")
                        .arg(rule.name, nowText, toString(rule.conditionOperator),
                             rule.thresholdValue.toString());
    }
    e.title = e.title.left(255);
    // A large move is critical; gas alerts are informational.
    if (rule.alertType == AlertType::GasPrice) {
        e.severity = Severity::Info;
    } else if (percent && !rule.thresholdValue.isZero() &&
               reading.value.abs() >= rule.thresholdValue.abs() * Decimal::fromInt(2)) {
        e.severity = Severity::Critical;
    } else {
        e.severity = Severity::Warning;
    }
    e.notificationChannels = rule.notificationChannels;
    QJsonObject meta;
    meta.insert(QStringLiteral("evaluated"), QStringLiteral("local"));
    meta.insert(QStringLiteral("value"), reading.now.toString());
    meta.insert(QStringLiteral("unit"), reading.unit);
    if (reading.before)
        meta.insert(QStringLiteral("previous_value"), reading.before->toString());
    e.metadata = QString::fromUtf8(QJsonDocument(meta).toJson(QJsonDocument::Compact));
    e.timestamp = now;
    e.updatedAt = now;
    return e;
}

Result<EvaluationReport> AlertEvaluator::evaluate(const std::atomic<bool>* cancel) {
    using R = Result<EvaluationReport>;
    const Result<QString> owner = store::LocalUser::ensure(m_db);
    if (!owner)
        return R::failure(tr("Alert evaluation: %1").arg(owner.error()));
    store::AlertRepository repository(m_db);
    const auto rules = repository.rules(owner.value(), true);
    if (!rules)
        return R::failure(rules.error());

    EvaluationReport report;
    report.at = m_clock.now();
    // Every trigger of this pass is stored together, or none is.
    store::SqlRepository::Transaction tx(m_db);
    if (Status s = tx.begin(tr("Alert evaluation")); !s)
        return R::failure(s.error());
    for (const AlertRule& rule : rules.value()) {
        if (cancel != nullptr && cancel->load())
            return R::failure(tr("Alert evaluation was cancelled."));
        RuleEvaluation result;
        result.ruleId = rule.id;
        result.ruleName = rule.name;
        if (locality(rule) == Locality::ServerOnly) {
            result.outcome = Outcome::ServerOnly;
            result.detail = tr("Needs the sync server.");
            report.rules.append(result);
            continue;
        }
        if (rule.isPaused && (!rule.pausedUntil || report.at < *rule.pausedUntil)) {
            result.outcome = Outcome::Paused;
            report.rules.append(result);
            continue;
        }
        QString why;
        const auto reading = read(owner.value(), rule, report.at, &why);
        if (!reading)
            return R::failure(reading.error());
        if (!reading.value()) {
            result.outcome = Outcome::NoData;
            result.detail = why;
            report.rules.append(result);
            continue;
        }
        result.value = reading.value()->value;
        if (!conditionHolds(reading.value()->value, rule.conditionOperator, rule.thresholdValue)) {
            result.outcome = Outcome::NotMet;
            report.rules.append(result);
            continue;
        }
        const AlertHistoryEntry entry = entryFor(rule, *reading.value(), report.at);
        const auto recorded = repository.recordTrigger(entry);
        if (!recorded)
            return R::failure(recorded.error());
        switch (recorded.value()) {
        case store::TriggerOutcome::Recorded:
            result.outcome = Outcome::Triggered;
            report.triggered.append(entry);
            break;
        case store::TriggerOutcome::CoolingDown:
            result.outcome = Outcome::CoolingDown;
            break;
        case store::TriggerOutcome::DailyLimitReached:
            result.outcome = Outcome::DailyLimit;
            break;
        case store::TriggerOutcome::Paused:
        case store::TriggerOutcome::RuleInactive:
            result.outcome = Outcome::Paused;
            break;
        }
        report.rules.append(result);
    }
    if (Status s = tx.commit(); !s)
        return R::failure(s.error());
    return report;
}

} // namespace llamadesk::alerts
