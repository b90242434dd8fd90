#include "AlertRule.h"

#include "domain/EnumText.h"
#include "domain/FieldValidator.h"

#include <QUrl>

#include <limits>

namespace llamadesk {

namespace {

const EnumText::Entry<AlertType> kAlertTypes[] = {
    {AlertType::PriceChange, "price_change"},       {AlertType::TvlChange, "tvl_change"},
    {AlertType::VolumeSpike, "volume_spike"},       {AlertType::GasPrice, "gas_price"},
    {AlertType::PortfolioValue, "portfolio_value"}, {AlertType::SecurityRisk, "security_risk"},
    {AlertType::WhaleMovement, "whale_movement"},   {AlertType::NewListing, "new_listing"},
};

const EnumText::Entry<ConditionOperator> kOperators[] = {
    {ConditionOperator::Greater, ">"},         {ConditionOperator::Less, "<"},
    {ConditionOperator::GreaterOrEqual, ">="}, {ConditionOperator::LessOrEqual, "<="},
    {ConditionOperator::Equal, "="},           {ConditionOperator::NotEqual, "!="},
};

const EnumText::Entry<ThresholdType> kThresholdTypes[] = {
    {ThresholdType::Absolute, "absolute"},
    {ThresholdType::Percentage, "percentage"},
};

constexpr qint64 kMaxInt = std::numeric_limits<qint32>::max();

void webUrl(FieldValidator& v, const char* field, const std::optional<QString>& value) {
    if (!value)
        return;
    v.text(field, value, 500);
    const QUrl url(*value, QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
        v.add(AlertRule::tr("%1 must be an http or https address.").arg(QLatin1String(field)));
    }
}

} // namespace

QString toString(AlertType type) {
    return EnumText::toString(kAlertTypes, type);
}
std::optional<AlertType> alertTypeFromString(QStringView text) {
    return EnumText::fromString(kAlertTypes, text);
}
QString toString(ConditionOperator op) {
    return EnumText::toString(kOperators, op);
}
std::optional<ConditionOperator> conditionOperatorFromString(QStringView text) {
    return EnumText::fromString(kOperators, text);
}
QString toString(ThresholdType type) {
    return EnumText::toString(kThresholdTypes, type);
}
std::optional<ThresholdType> thresholdTypeFromString(QStringView text) {
    return EnumText::fromString(kThresholdTypes, text);
}

QStringList alertChannels() {
    return {QStringLiteral("email"), QStringLiteral("webhook"), QStringLiteral("telegram"),
            QStringLiteral("discord"), QStringLiteral("sms")};
}

QStringList AlertRule::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("user_id", userId);
    v.text("name", name, 255, true);
    v.text("target_type", targetType, 50, true);
    v.text("target_id", targetId, 255, true);
    v.integer("chain_id", chainId, 1, kMaxInt);
    v.decimal("threshold_value", thresholdValue, 30, 18, Sign::Any);
    v.integer("timeframe_minutes", timeframeMinutes, 1, kMaxInt);

    if (notificationChannels.isEmpty())
        v.add(tr("notification_channels needs at least one channel."));
    const QStringList known = alertChannels();
    for (const QString& channel : notificationChannels) {
        if (!known.contains(channel)) {
            v.add(tr("notification_channels: unknown channel \"%1\" (allowed: %2).")
                      .arg(channel, known.join(QStringLiteral(", "))));
        }
    }
    QStringList unique = notificationChannels;
    if (unique.removeDuplicates() != 0)
        v.add(tr("notification_channels names a channel twice."));
    webUrl(v, "webhook_url", webhookUrl);
    webUrl(v, "discord_webhook_url", discordWebhookUrl);
    v.text("telegram_chat_id", telegramChatId, 100);
    if (notificationChannels.contains(QStringLiteral("webhook")) && !webhookUrl)
        v.add(tr("The webhook channel needs a webhook_url."));
    if (notificationChannels.contains(QStringLiteral("telegram")) && !telegramChatId)
        v.add(tr("The telegram channel needs a telegram_chat_id."));
    if (notificationChannels.contains(QStringLiteral("discord")) && !discordWebhookUrl)
        v.add(tr("The discord channel needs a discord_webhook_url."));

    v.integer("cooldown_minutes", cooldownMinutes, 0, kMaxInt);
    v.integer("max_triggers_per_day", maxTriggersPerDay, 1, kMaxInt);
    v.integer("trigger_count_today", triggerCountToday, 0, kMaxInt);
    v.integer("trigger_count_total", triggerCountTotal, 0, kMaxInt);
    if (triggerCountToday > triggerCountTotal)
        v.add(tr("trigger_count_today must not exceed trigger_count_total."));
    v.timestamp("last_triggered_at", lastTriggeredAt);
    v.timestamp("paused_until", pausedUntil);
    if (pausedUntil && !isPaused)
        v.add(tr("paused_until is only meaningful for a paused rule (is_paused)."));
    v.timestamp("created_at", createdAt);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);
    return v.errors();
}

bool operator==(const AlertRule& a, const AlertRule& b) {
    return a.id == b.id && a.userId == b.userId && a.name == b.name &&
           a.description == b.description && a.alertType == b.alertType &&
           a.targetType == b.targetType && a.targetId == b.targetId && a.chainId == b.chainId &&
           a.conditionOperator == b.conditionOperator && a.thresholdValue == b.thresholdValue &&
           a.thresholdType == b.thresholdType && a.timeframeMinutes == b.timeframeMinutes &&
           a.notificationChannels == b.notificationChannels && a.webhookUrl == b.webhookUrl &&
           a.telegramChatId == b.telegramChatId && a.discordWebhookUrl == b.discordWebhookUrl &&
           a.cooldownMinutes == b.cooldownMinutes && a.maxTriggersPerDay == b.maxTriggersPerDay &&
           a.lastTriggeredAt == b.lastTriggeredAt && a.triggerCountToday == b.triggerCountToday &&
           a.triggerCountTotal == b.triggerCountTotal && a.isActive == b.isActive &&
           a.isPaused == b.isPaused && a.pausedUntil == b.pausedUntil &&
           a.createdAt == b.createdAt && a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt &&
           a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
