#include "NotificationLog.h"

#include "domain/AlertRule.h"
#include "domain/EnumText.h"
#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

namespace {

const EnumText::Entry<NotificationStatus> kStatuses[] = {
    {NotificationStatus::Pending, "pending"},     {NotificationStatus::Sent, "sent"},
    {NotificationStatus::Delivered, "delivered"}, {NotificationStatus::Failed, "failed"},
    {NotificationStatus::Bounced, "bounced"},
};

} // namespace

QString toString(NotificationStatus status) {
    return EnumText::toString(kStatuses, status);
}
std::optional<NotificationStatus> notificationStatusFromString(QStringView text) {
    return EnumText::fromString(kStatuses, text);
}

QStringList NotificationLog::validate() const {
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("alert_history_id", alertHistoryId, false);
    v.uuid("user_id", userId);
    v.text("channel", channel, 50, true);
    if (!channel.isEmpty() && !alertChannels().contains(channel))
        v.add(tr("channel: unknown channel \"%1\".").arg(channel));
    v.text("recipient", recipient, 255, true);
    v.text("subject", subject, 255);
    v.text("body", body, std::numeric_limits<int>::max(), true);
    v.integer("retry_count", retryCount, 0, std::numeric_limits<qint32>::max());
    v.text("provider", provider, 50);
    v.text("provider_message_id", providerMessageId, 255);
    if (status == NotificationStatus::Failed &&
        !(errorMessage && !errorMessage->trimmed().isEmpty()))
        v.add(tr("A failed notification needs an error_message that says why."));
    if (status == NotificationStatus::Delivered && !deliveredAt)
        v.add(tr("A delivered notification needs delivered_at."));
    if ((status == NotificationStatus::Sent || status == NotificationStatus::Delivered) && !sentAt)
        v.add(tr("A sent notification needs sent_at."));
    if (sentAt && deliveredAt && *deliveredAt < *sentAt)
        v.add(tr("delivered_at must not be earlier than sent_at."));
    v.timestamp("sent_at", sentAt);
    v.timestamp("delivered_at", deliveredAt);
    v.timestamp("timestamp", timestamp);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);
    return v.errors();
}

bool operator==(const NotificationLog& a, const NotificationLog& b) {
    return a.id == b.id && a.alertHistoryId == b.alertHistoryId && a.userId == b.userId &&
           a.channel == b.channel && a.recipient == b.recipient && a.subject == b.subject &&
           a.body == b.body && a.status == b.status && a.errorMessage == b.errorMessage &&
           a.retryCount == b.retryCount && a.provider == b.provider &&
           a.providerMessageId == b.providerMessageId && a.sentAt == b.sentAt &&
           a.deliveredAt == b.deliveredAt && a.timestamp == b.timestamp &&
           a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt && a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
