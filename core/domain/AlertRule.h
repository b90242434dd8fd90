#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

enum class AlertType {
    PriceChange,
    TvlChange,
    VolumeSpike,
    GasPrice,
    PortfolioValue,
    SecurityRisk,
    WhaleMovement,
    NewListing,
};
QString toString(AlertType type); // "price_change", ...
std::optional<AlertType> alertTypeFromString(QStringView text);

enum class ConditionOperator { Greater, Less, GreaterOrEqual, LessOrEqual, Equal, NotEqual };
QString toString(ConditionOperator op); // ">", "<", ">=", "<=", "=", "!="
std::optional<ConditionOperator> conditionOperatorFromString(QStringView text);

enum class ThresholdType { Absolute, Percentage };
QString toString(ThresholdType type); // "absolute", "percentage"
std::optional<ThresholdType> thresholdTypeFromString(QStringView text);

// The notification channels alert_rules.notification_channels may name.
QStringList alertChannels(); // email, webhook, telegram, discord, sms

// One row of alert_rules.
struct AlertRule {
    QString id;
    QString userId;

    QString name; // at most 255 characters
    std::optional<QString> description;
    AlertType alertType = AlertType::PriceChange;

    QString targetType; // protocol, token, wallet, chain; at most 50 characters
    QString targetId;   // at most 255 characters
    std::optional<qint64> chainId;

    ConditionOperator conditionOperator = ConditionOperator::Greater;
    Decimal thresholdValue; // DECIMAL(30,18)
    ThresholdType thresholdType = ThresholdType::Absolute;
    qint64 timeframeMinutes = 60;

    QStringList notificationChannels = {QStringLiteral("email")};
    std::optional<QString> webhookUrl;        // at most 500 characters
    std::optional<QString> telegramChatId;    // at most 100 characters
    std::optional<QString> discordWebhookUrl; // at most 500 characters

    qint64 cooldownMinutes = 60;
    qint64 maxTriggersPerDay = 10;
    std::optional<Timestamp> lastTriggeredAt;
    qint64 triggerCountToday = 0;
    qint64 triggerCountTotal = 0;

    bool isActive = true;
    bool isPaused = false;
    std::optional<Timestamp> pausedUntil;

    std::optional<Timestamp> createdAt; // set by the repository when empty
    std::optional<Timestamp> updatedAt;
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const AlertRule& a, const AlertRule& b);
    friend bool operator!=(const AlertRule& a, const AlertRule& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(AlertRule)
};

} // namespace llamadesk
