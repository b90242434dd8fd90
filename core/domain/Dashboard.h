#pragma once

#include "domain/Timestamp.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace llamadesk {

// One row of dashboards: a user's layout of widgets. layout and widgets are JSON text kept as
// written (numbers inside are not reparsed, so nothing is rounded).
struct Dashboard {
    QString id;
    QString userId;

    QString name; // at most 255 characters
    std::optional<QString> description;
    bool isDefault = false;
    bool isPublic = false;

    QString layout = QStringLiteral("{}");  // JSON
    QString widgets = QStringLiteral("[]"); // JSON

    std::optional<QString> shareToken; // at most 255 characters, unique
    qint64 viewCount = 0;

    std::optional<Timestamp> createdAt; // set by the repository when empty
    std::optional<Timestamp> updatedAt;
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const Dashboard& a, const Dashboard& b);
    friend bool operator!=(const Dashboard& a, const Dashboard& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(Dashboard)
};

} // namespace llamadesk
