#pragma once

#include "domain/CostBasisLot.h"
#include "store/SqlRepository.h"

#include <QList>
#include <QString>

namespace llamadesk::store {

// Which lots a tax run owns: every lot of a user, or of one asset, or of one asset in one
// wallet. Empty members do not narrow the scope.
struct LotScope {
    QString userId;
    QString assetSymbol;
    QString wallet;
};

// cost_basis_lots: written only as the result of a tax run, which replaces its scope as a whole.
class LotRepository : public SqlRepository {
public:
    explicit LotRepository(QSqlDatabase db);

    // Deletes every lot in scope and inserts `lots` instead, in one transaction: readers see the
    // old run or the new one, never a mix. Every lot must lie inside the scope.
    Status replaceLots(const LotScope& scope, const QList<CostBasisLot>& lots);
    // Lots in scope ordered by (acquired_date, id); openOnly keeps those with something left.
    Result<QList<CostBasisLot>> lots(const LotScope& scope, bool openOnly = false);
    Result<std::optional<CostBasisLot>> get(const QString& id);

private:
    static bool readRow(const QSqlQuery& query, CostBasisLot* lot, QString* error);
    static void bindLot(QSqlQuery& query, int offset, const CostBasisLot& lot, const QString& now);
    static QString scopeClause(const LotScope& scope, QVariantList* values);
};

} // namespace llamadesk::store
