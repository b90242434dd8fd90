#pragma once

#include "domain/Dashboard.h"
#include "store/SqlRepository.h"

#include <QList>
#include <QString>

#include <optional>

namespace llamadesk::store {

// dashboards: a user's layouts and widgets.
class DashboardRepository : public SqlRepository {
public:
    explicit DashboardRepository(QSqlDatabase db);

    // A dashboard inserted as default takes that role from the user's other dashboards, in the
    // same transaction.
    Status insert(const Dashboard& dashboard);
    // Replaces the editable columns (name, description, is_public, layout, widgets,
    // share_token) of a live dashboard; is_default changes only through setDefault().
    Status update(const Dashboard& dashboard);
    // Makes this the user's only default dashboard, atomically.
    Status setDefault(const QString& userId, const QString& id);
    Status incrementViewCount(const QString& id);
    Status softDelete(const QString& id);

    Result<std::optional<Dashboard>> get(const QString& id);
    // Live dashboards of a user: the default first, then by creation.
    Result<QList<Dashboard>> list(const QString& userId);

private:
    static bool readRow(const QSqlQuery& query, Dashboard* dashboard, QString* error);
    Status clearDefault(const QString& userId, const QString& exceptId, const QString& what);
};

} // namespace llamadesk::store
