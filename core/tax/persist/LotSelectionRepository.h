#pragma once

#include "Result.h"
#include "store/SqlRepository.h"
#include "tax/TaxOptions.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace llamadesk::tax {

// lot_selections (sql/local/005_lot_selections.sql): the Specific-ID choices made in the app,
// disposal transaction id -> the lots it takes, in order. Every tax run with the specific method
// reads them (TaxOptions::lotSelections), the app's and `llamadesk-cli tax --db`.
class LotSelectionRepository : public store::SqlRepository {
public:
    explicit LotSelectionRepository(QSqlDatabase db);

    // Every saved choice of the user, in the form TaxOptions::lotSelections takes.
    Result<QHash<QString, QList<LotSelection>>> all(const QString& userId);
    // The lots chosen for one disposal (empty: none saved).
    Result<QList<LotSelection>> forDisposal(const QString& userId, const QString& disposalId);
    // Replaces the choice for one disposal in one transaction; an empty list removes it. Refuses
    // an empty or repeated lot id and an amount that is not positive.
    Status save(const QString& userId, const QString& disposalId,
                const QList<LotSelection>& selections);
    // Removes every choice of the user; returns how many rows went.
    Result<int> clear(const QString& userId);

    // One stored row: the disposal and one of its lots.
    struct StoredSelection {
        QString disposal;
        LotSelection selection;
    };

private:
    Result<QList<StoredSelection>> readRows(QSqlQuery& query, const QString& what);
};

} // namespace llamadesk::tax
