#include "AlertHistoryEntry.h"

#include "domain/AlertRule.h"
#include "domain/EnumText.h"
#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

namespace {

const EnumText::Entry<Severity> kSeverities[] = {
    {Severity::Info, "info"},
    {Severity::Warning, "warning"},
    {Severity::Critical, "critical"},
};

} // namespace

QString toString(Severity severity) {
    return EnumText::toString(kSeverities, severity);
}
std::optional<Severity> severityFromString(QStringView text) {
    return EnumText::fromString(kSeverities, text);
}

QStringList AlertHistoryEntry::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("alert_rule_id", alertRuleId);
    v.uuid("user_id", userId);
    v.decimal("triggered_value", triggeredValue, 30, 18, Sign::Any);
    v.decimal("threshold_value", thresholdValue, 30, 18, Sign::Any);
    v.text("condition_met", conditionMet, 255, true);
    v.text("title", title, 255, true);
    v.text("message", message, std::numeric_limits<int>::max(), true);
    if (notificationChannels.isEmpty())
        v.add(tr("notification_channels needs at least one channel."));
    const QStringList known = alertChannels();
    for (const QString& channel : notificationChannels) {
        if (!known.contains(channel))
            v.add(tr("notification_channels: unknown channel \"%1\".").arg(channel));
    }
    v.json("delivery_status", deliveryStatus);
    v.json("metadata", metadata);
    v.timestamp("timestamp", timestamp);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);
    return v.errors();
}

bool operator==(const AlertHistoryEntry& a, const AlertHistoryEntry& b) {
    return a.id == b.id && a.alertRuleId == b.alertRuleId && a.userId == b.userId &&
           a.triggeredValue == b.triggeredValue && a.thresholdValue == b.thresholdValue &&
           a.conditionMet == b.conditionMet && a.title == b.title && a.message == b.message &&
           a.severity == b.severity && a.notificationChannels == b.notificationChannels &&
           a.deliveryStatus == b.deliveryStatus && a.metadata == b.metadata &&
           a.timestamp == b.timestamp && a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt &&
           a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
