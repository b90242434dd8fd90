#pragma once

#include "domain/Timestamp.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

enum class NotificationStatus { Pending, Sent, Delivered, Failed, Bounced };
QString toString(NotificationStatus status); // "pending", "sent", ...
std::optional<NotificationStatus> notificationStatusFromString(QStringView text);

// One row of notification_logs: one delivery attempt of an alert over one channel.
struct NotificationLog {
    QString id;
    QString alertHistoryId; // empty: NULL
    QString userId;

    QString channel;   // email, webhook, telegram, discord, sms
    QString recipient; // at most 255 characters
    std::optional<QString> subject;
    QString body;

    NotificationStatus status = NotificationStatus::Pending;
    std::optional<QString> errorMessage;
    qint64 retryCount = 0;

    std::optional<QString> provider;          // at most 50 characters
    std::optional<QString> providerMessageId; // at most 255 characters

    std::optional<Timestamp> sentAt;
    std::optional<Timestamp> deliveredAt;
    Timestamp timestamp;

    std::optional<Timestamp> updatedAt; // set by the repository when empty
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const NotificationLog& a, const NotificationLog& b);
    friend bool operator!=(const NotificationLog& a, const NotificationLog& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(NotificationLog)
};

} // namespace llamadesk
