#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

enum class Severity { Info, Warning, Critical };
QString toString(Severity severity); // "info", "warning", "critical"
std::optional<Severity> severityFromString(QStringView text);

// One row of alert_history: a rule that fired.
struct AlertHistoryEntry {
    QString id;
    QString alertRuleId;
    QString userId;

    Decimal triggeredValue; // DECIMAL(30,18)
    Decimal thresholdValue; // DECIMAL(30,18)
    QString conditionMet;   // human-readable, at most 255 characters

    QString title; // at most 255 characters
    QString message;
    Severity severity = Severity::Info;

    QStringList notificationChannels;
    std::optional<QString> deliveryStatus; // JSON object, e.g. {"email":"sent"}
    std::optional<QString> metadata;       // JSON

    Timestamp timestamp;

    std::optional<Timestamp> updatedAt; // set by the repository when empty
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const AlertHistoryEntry& a, const AlertHistoryEntry& b);
    friend bool operator!=(const AlertHistoryEntry& a, const AlertHistoryEntry& b) {
        return !(a == b);
    }

    Q_DECLARE_TR_FUNCTIONS(AlertHistoryEntry)
};

} // namespace llamadesk
